"""An upload, floor 4: the dry run (:func:`check_file`), then :func:`commit`, or :func:`rollback_to` a version
(:func:`undo_import`: one's own latest import)."""

from geo.upload.check import (
                               Check,
                               check_file,
                               commit,
                               far_moves,
                               keep_outlines,
                               places_of,
                               rollback_to,
                               suggest,
                               summarise,
                               undo_import,
                               unique_names,
)
from geo.upload.outlines import Matched, match_outlines

__all__ = ["Check", "Matched", "check_file", "commit", "far_moves", "keep_outlines", "match_outlines", "places_of",
           "rollback_to", "suggest", "summarise", "undo_import", "unique_names"]
