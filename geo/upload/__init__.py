"""An upload, floor 4: the dry run (:func:`check_file`), then :func:`commit`, or :func:`rollback_to` a version
(:func:`undo_import`: one's own latest import); a city's store filled from its data folder through the same
checks (:func:`open_city`) or started empty (:func:`start_city`); one place fixed by hand (:func:`move_place`,
:func:`rename_place`, :func:`retire_place`)."""

from geo.upload.check import (
                               Check,
                               check_file,
                               commit,
                               far_moves,
                               file_with_ids,
                               keep_outlines,
                               places_of,
                               rollback_to,
                               suggest,
                               summarise,
                               undo_import,
                               unique_names,
)
from geo.upload.city import (
                               Reading,
                               city_name_problem,
                               import_folder,
                               open_city,
                               problem_lines,
                               seed_from_folder,
                               start_city,
)
from geo.upload.daily import (
                               DailyRefused,
                               Reported,
                               call_list,
                               compliance,
                               form_fields,
                               parse_deadline,
                               places_to_report,
                               report_all_same,
                               report_daily,
                               reporting_day,
                               reports_today,
                               yesterday,
                               zone_summary,
)
from geo.upload.edit import (
                               EditRefused,
                               Move,
                               move_place,
                               name_problem,
                               plan_move,
                               position_from,
                               rename_place,
                               retire_place,
                               stored_place,
)
from geo.upload.outlines import Matched, match_outlines

__all__ = ["DailyRefused", "Reported", "call_list", "compliance", "form_fields", "parse_deadline",
           "places_to_report", "report_all_same", "report_daily", "reporting_day", "reports_today", "yesterday", "zone_summary",
           "EditRefused", "Move", "move_place", "name_problem", "plan_move", "position_from", "rename_place",
           "retire_place", "stored_place",
           "Check", "Matched", "Reading", "check_file", "file_with_ids", "city_name_problem", "commit", "far_moves", "import_folder",
           "keep_outlines", "match_outlines", "open_city", "places_of", "problem_lines", "rollback_to",
           "seed_from_folder", "start_city", "suggest", "summarise", "undo_import", "unique_names"]
