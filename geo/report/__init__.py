"""Reports, floor 4: the morning briefing (疫情防控工作日报) and the task sheets (交办单) with their league table,
as Word and PDF, the briefing's map figures drawn on the server."""

from geo.report.briefing import Briefing, BriefingRefused, Section, Shot, build_briefing, district_label
from geo.report.documents import (
    WRITERS,
    Paper,
    briefing_docx,
    briefing_file,
    briefing_pdf,
    document_docx,
    document_pdf,
    printable,
)
from geo.report.figure_tiles import FigureTiles, figure_tiles
from geo.report.figures import status_map
from geo.report.fonts import CjkFont, FontMissing, find_cjk_font
from geo.report.picture import layers_picture
from geo.report.schedule import BriefingSchedule, Kept, kept_briefings, start_schedule, write_scheduled
from geo.report.tasksheet import (
    TaskSheet,
    league_section,
    league_sheet,
    open_units,
    photo_reader,
    task_sheet,
)

__all__ = ["WRITERS", "Briefing", "BriefingRefused", "CjkFont", "FontMissing", "Section", "briefing_docx", "briefing_file", "briefing_pdf",
           "build_briefing", "district_label", "figure_tiles", "FigureTiles", "find_cjk_font", "layers_picture", "status_map",
           "BriefingSchedule", "Kept", "kept_briefings", "start_schedule", "write_scheduled",
           "Paper", "Shot", "TaskSheet", "document_docx", "document_pdf", "league_section", "league_sheet",
           "open_units", "photo_reader", "printable", "task_sheet"]
