"""``python -m geo.demo REALDATA_DIR``: copy the demo's real inputs into ``data/source``.

``REALDATA_DIR`` holds the public files that :func:`geo.demo.sources.copy_sources`
reads. The demo city itself is written by ``python -m geo demo``.
"""

import sys
from pathlib import Path

from geo.demo.sources import copy_sources

if __name__ == "__main__":
    copy_sources(Path(sys.argv[1]))
