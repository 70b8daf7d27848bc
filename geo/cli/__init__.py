"""The command line, floor 5: ``python -m geo …``, the same code paths as the pages."""

from geo.cli.main import main

__all__ = ["main"]
