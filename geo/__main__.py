"""``python -m geo``: the command line (:mod:`geo.cli.main`)."""

import sys

from geo.cli import main

sys.exit(main())
