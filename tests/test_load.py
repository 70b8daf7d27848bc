"""The load test of bench/load.py, in its one-minute form: no errors, every page shows each upload, memory levels off.

CI runs 6 sessions (3 overview, 3 wall) rather than the full 20: the CI machine has 2 cores
and this runs beside the rest of the suite. ``python bench/load.py`` runs the full 5 minutes.
The officers' form (``--officers``) has no CI run: its smallest form takes minutes (accounts, server,
screens); an officer's visit is tested in tests/test_browser_report.py.
"""

import json
import subprocess
import sys
from pathlib import Path

from tests.browser import require_chromium

ROOT = Path(__file__).resolve().parent.parent


def test_one_minute_load_has_no_errors_and_memory_levels_off(tmp_path):
    require_chromium()
    out = tmp_path / "load.json"
    result = subprocess.run([sys.executable, "bench/load.py", "--sessions", "6", "--minutes", "1",
                             "--upload-every", "20", "--refresh", "15", "--min-uploads", "2", "--json", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    print(result.stdout)
    figures = json.loads(out.read_text())
    assert figures["errors"] == [], figures["errors"]
    assert figures["uploads"] >= 2
    assert len(figures["latency"]["overview"]) == 3 * figures["uploads"]  # every page showed every upload
    assert len(figures["latency"]["wall"]) == 3 * figures["uploads"]
    assert max(figures["latency"]["wall"]) <= 2 * 15 + 60  # a refresh or two, and the rerun itself
    assert figures["levels_off"], figures["rss"]
    assert result.returncode == 0, result.stdout + result.stderr
