"""An upload, floor 4: the dry run (:func:`check_file`), then :func:`commit`, or :func:`rollback_to` a version."""

from geo.upload.check import Check, check_file, commit, places_of, rollback_to, suggest, summarise

__all__ = ["Check", "check_file", "commit", "places_of", "rollback_to", "suggest", "summarise"]
