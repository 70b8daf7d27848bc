"""The versioned store: every upload a version, nothing overwritten in place; SQLite or PostgreSQL with PostGIS.

Tables are in :mod:`geo.store.tables`, the engine and its write lock in
:mod:`geo.store.engine`, versions, history and rollback in
:mod:`geo.store.versions`, current rows in :mod:`geo.store.rows`, the content
comparison in :mod:`geo.store.diff`, the store's own facts (the city's name, the reading of the data
folder) and opening it in :mod:`geo.store.meta`.
"""

from geo.store.daily import PHONE_REPORT, has_phone_reports, last_report, local_time, reports_of_day, row_origins
from geo.store.dataset import READ_ERRORS, Dataset, Loaded, load_store, read_error_text, read_store, refresh_store
from geo.store.diff import diff_rows, keep_absent_columns, key_text
from geo.store.digest import known_digest, places_digest, remember_digest
from geo.store.engine import connect, lock_for_writing, read_only, store_failure, write_locked
from geo.store.meta import (
                            RefusedFile,
                            city_name,
                            claim_seeding,
                            last_datum,
                            open_store,
                            record_refused,
                            refused_files,
                            remember_datum,
                            seeding_claimed,
                            set_city_name,
)
from geo.store.migrate import StoreTooNew
from geo.store.private import private_file, private_folder
from geo.store.rows import (
                            current,
                            current_counts,
                            has_places,
                            latest_before,
                            newest_report_date,
                            place_ids,
                            place_names,
                            reported_on,
)
from geo.store.snapshot import read_newest, read_snapshot, snapshot_folder, write_snapshot
from geo.store.spatial import zones_named
from geo.store.tables import KINDS, ROWS
from geo.store.tasks import (
                            PROBLEM_COLUMNS,
                            Moved,
                            NewInspection,
                            NewProblem,
                            ProblemRefused,
                            StoredPhoto,
                            checklist,
                            file_problem,
                            inspections_frame,
                            located_photos,
                            move_problem,
                            photo_content,
                            photo_sizes,
                            photos_of,
                            problem_history,
                            problems_frame,
                            problems_stamp,
                            record_inspection,
                            save_checklist,
)
from geo.store.versions import (
                            Applied,
                            Compared,
                            NewerVersion,
                            NothingToRollBack,
                            ReportArrived,
                            apply_rows,
                            compare,
                            history,
                            newest_version,
                            newest_version_time,
                            original_file,
                            retire_rows,
                            rollback,
                            summary_json,
                            summary_lines,
                            tables_changed_since,
                            undoable_import,
                            version_changes,
                            version_stamp,
                            versions_written_here,
                            when_written,
)

__all__ = ["known_digest", "places_digest", "remember_digest", "PHONE_REPORT", "has_phone_reports", "last_report", "local_time", "reports_of_day", "row_origins", "private_file", "private_folder", "KINDS", "ROWS", "Applied", "Dataset", "Loaded", "read_store", "refresh_store", "read_newest", "read_snapshot", "snapshot_folder", "write_snapshot", "READ_ERRORS", "read_error_text", "last_datum", "remember_datum", "NewerVersion", "StoreTooNew", "ReportArrived", "NothingToRollBack", "RefusedFile", "apply_rows", "retire_rows", "key_text", "zones_named",
           "city_name", "claim_seeding", "connect", "current", "current_counts", "diff_rows", "has_places", "history",
           "keep_absent_columns", "latest_before", "load_store", "lock_for_writing", "newest_report_date", "tables_changed_since", "version_stamp",
           "newest_version", "newest_version_time", "versions_written_here", "when_written", "open_store", "original_file", "place_ids", "place_names",
           "compare", "Compared", "record_refused", "refused_files", "reported_on", "rollback",
           "seeding_claimed",
           "set_city_name", "read_only", "store_failure", "summary_json", "summary_lines", "undoable_import", "version_changes", "write_locked",
           "Moved", "NewInspection", "PROBLEM_COLUMNS", "NewProblem", "ProblemRefused", "StoredPhoto", "checklist", "file_problem",
           "inspections_frame", "located_photos", "move_problem", "photo_content", "photo_sizes", "photos_of",
           "problem_history", "problems_frame", "problems_stamp", "record_inspection", "save_checklist"]
