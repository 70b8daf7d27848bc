"""What a rerun of a page costs the server once its data is cached, side by side with another checkout.

A rerun is what every click of a leader makes (a filter, a date, a tab) and what the wall's timed refresh
makes; with the data version unchanged everything a page shows should come from the caches. For each
checkout (``--before``, the code before a change, and this one) a new Python fills a store with the shipped
demo city, runs each page once through Streamlit's AppTest (the caches filled), then times ``--runs`` reruns
of it; the checkouts take turns ``--rounds`` times. The table gives the median rerun per page and the ratio.
Run it from the project root::

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/page_reruns.py --before /tmp/before
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import run_in  # noqa: E402  (bench/seed.py: a script run by another checkout's code)

PAGES = ("pages/overview.py", "pages/wall.py", "pages/compounds.py", "pages/zones.py")

RERUNS = """
import json, os, sys, time
from pathlib import Path
url, data, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.environ.update(CMDMAP_DATA_DIR=data, CMDMAP_DATABASE_URL=url, CMDMAP_BASEMAP="none",
                  CMDMAP_WALL_ROTATE_SECONDS="0")
from geo.upload import open_city
open_city(url, data).dispose()
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
real_init = PagesManager.__init__
def served(self, *args, **kwargs):  # as a served app runs after its first page (tests/conftest.py)
    real_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False
PagesManager.__init__ = served
times = {}
for page in sys.argv[4:]:
    at = AppTest.from_file(str(Path("app.py").resolve()), default_timeout=300)
    at.switch_page(page)
    at.run()  # the caches filled
    assert not at.exception, [e.value for e in at.exception]
    times[page] = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times[page].append(time.perf_counter() - start)
print(json.dumps(times))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="another checkout: the code before a change")
    parser.add_argument("--runs", type=int, default=5, help="timed reruns of each page per round")
    parser.add_argument("--rounds", type=int, default=2, help="turns each checkout takes")
    args = parser.parse_args(argv)
    found: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for _ in range(args.rounds):
        for label, root in (("before", args.before.resolve()), ("after", ROOT)):
            url = f"sqlite:///{Path(tempfile.mkdtemp(prefix=f'cmdmap-reruns-{label}-')) / 'store.sqlite'}"
            done = run_in(root, RERUNS, url, str(ROOT / "data"), str(args.runs), *PAGES)
            for page, times in json.loads(done.stdout.strip().splitlines()[-1]).items():
                found[label].setdefault(page, []).extend(times)
            print(f"  {label}: done", file=sys.stderr, flush=True)
    print(f"| demo city, rerun with the data cached ({args.rounds} × {args.runs}) | before, median (s) | "
          "after, median (s) | after / before |")
    print("| --- | ---: | ---: | ---: |")
    for page in PAGES:
        before, after = statistics.median(found["before"][page]), statistics.median(found["after"][page])
        print(f"| {page} | {before:.2f} | {after:.2f} | {after / before:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
