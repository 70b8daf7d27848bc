"""The city-scale benchmark runs end to end on a tiny city (its figures are for bench/README.md, not tests)."""

import os
import re
import subprocess
import sys

from geo import store
from geo.store.engine import connect
from tests.browser import ROOT


def test_scale_benchmark_runs_on_a_tiny_city(tmp_path):
    done = subprocess.run([sys.executable, "bench/scale.py", "--sizes", "120", "--quick",
                           "--no-browser", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for measure in ("payload for one map", "server build, not cached", "rerun: filter changed",
                    "rerun: date changed", "import and check", "first start"):
        row = next((line for line in table.splitlines() if measure in line), None)
        assert row is not None, f"no {measure!r} row in:\n{table}"
        assert re.search(r"\d+\.\d+ (s|MB)", row), row
    payload = next(line for line in table.splitlines() if "payload" in line)
    explore, ours = (float(v) for v in re.findall(r"(\d+\.\d+) MB", payload))
    assert 0 < ours < explore, payload  # even 120 compounds cost explore() more bytes


def test_the_nation_benchmark_runs_on_a_tiny_city_cut_into_tiles(tmp_path):
    env = {**os.environ, "CMDMAP_MAP_PLACES_AT_ONCE": "96"}  # 120 compounds stand for a nation: tiles of 3
    done = subprocess.run([sys.executable, "bench/scale.py", "--nation", "--sizes", "120", "--quick", "--jump-zoom",
                           "18", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    tiles = next(line for line in table.splitlines() if "packs: tiles" in line)
    assert int(re.search(r"\| (\d+) / ", tiles).group(1)) >= 24, tiles
    jump = next(line for line in table.splitlines() if "a jump to a new area" in line)
    assert re.search(r"\| \d+\.\d+ s, \d+\.\d+ s \|", jump), jump  # every jump drawn (no nan)
    for measure in ("navigation to drawn", "first visit after that import", "import and check", "memory at the end"):
        row = next((line for line in table.splitlines() if measure in line), None)
        assert row is not None and "nan" not in row, f"{measure!r} in:\n{table}"


def test_briefing_benchmark_prints_a_row_per_generated_city(tmp_path):
    # the generated city only: the demo city's briefing is tested in tests/test_briefing.py, and filling it through
    # the upload's checks would take 20 s more
    done = subprocess.run([sys.executable, "bench/briefing.py", "--sizes", "120", "--no-demo", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {line.split("|")[1].strip(): line for line in done.stdout.splitlines() if re.match(r"\| (demo|120) ", line)}
    assert set(rows) == {"120"}, done.stdout
    assert "| 120 |" in rows["120"]
    assert all(len(re.findall(r"\| \d+\.\d ", row)) == 5 for row in rows.values()), rows  # five timings each


def test_store_write_benchmark_times_each_back_end_and_phase(tmp_path):
    done = subprocess.run([sys.executable, "bench/store_write.py", "--size", "120", "--out", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if re.match(r"\| (compounds|status)", line)]
    back_ends = [line.split("|")[2].strip() for line in rows]
    assert back_ends == ["sqlite"] * 4 + ["postgresql, row inserts"] * 4 + ["postgresql, COPY"] * 4, done.stdout
    # the total and six phases, and PostgreSQL's ratio to SQLite
    assert [len(re.findall(r"\| \d+\.\d\d ", row)) for row in rows] == [7] * 4 + [8] * 8, rows


def test_the_start_benchmarks_print_a_row_per_store(tmp_path):
    """bench/start_read.py, start_packs.py, version_build.py and wall_changes.py (this checkout against itself) on
    the demo city."""
    from tests.filled_stores import demo_store

    path = tmp_path / "store.sqlite"
    demo_store(path)
    for script, extra in (("start_read.py", []), ("start_packs.py", []), ("version_build.py", ["--before", str(ROOT)]),
                          ("wall_changes.py", ["--before", str(ROOT)])):
        done = subprocess.run([sys.executable, f"bench/{script}", str(path), *extra], cwd=ROOT, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (script, done.stderr[-3000:])
        rows = [line for line in done.stdout.splitlines() if line.startswith("| store.sqlite |")]
        assert rows and all(re.search(r"\| \d+\.\d+ \|", row) for row in rows), (script, done.stdout)
    assert (tmp_path / "store.sqlite.snapshot" / "packs").is_dir()  # the index start_packs read back


def test_the_import_benchmark_checks_and_stores_a_day_with_each_checkout(tmp_path):
    """bench/import_rows.py on the demo city, this checkout against itself: a row each, and their ratio."""
    from tests.filled_stores import demo_store
    from tests.uploads import next_day_report

    path = tmp_path / "store.sqlite"
    demo_store(path)
    counts = store.current_counts(connect(f"sqlite:///{path}"))
    next_day_report(f"sqlite:///{path}")[0].to_csv(tmp_path / "day.csv", index=False)
    done = subprocess.run([sys.executable, "bench/import_rows.py", str(path), str(tmp_path / "day.csv"), "--before",
                           str(ROOT), "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"store\.sqlite, \d+ status rows", done.stdout), done.stdout
    assert [row.split("|")[1].strip() for row in done.stdout.splitlines() if re.match(r"\| [a-z /]+ \| \d", row)] == [
        "before", "now", "now / before"], done.stdout
    assert not list((tmp_path / "import-rows").glob("*.sqlite")), "the copies are removed"
    assert store.current_counts(connect(f"sqlite:///{path}")) == counts  # the store given is left as it was


def test_the_warm_up_memory_benchmark_prints_each_step_and_the_largest_tables(tmp_path):
    """bench/warm_memory.py on the demo city, this checkout against itself: a row per step and checkout."""
    from tests.filled_stores import demo_store

    path = tmp_path / "store.sqlite"
    demo_store(path)
    done = subprocess.run([sys.executable, "bench/warm_memory.py", "--before", str(ROOT), str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    steps = re.findall(r"^\| store\.sqlite \| (now|before) \| ([a-z ]+) \| [\d.]+ \| [\d,]+ \| [+-][\d,]+ \| [\d,]+ \|$",
                       done.stdout, re.M)
    expected = ["start", "dataset", "days", "packs", "views", "trend", "place maps"]
    assert steps == [("before", s) for s in expected] + [("now", s) for s in expected], done.stdout
    assert re.search(r"^\| store\.sqlite \| now / before \| RSS at the end \| \| \d\.\d{3} \|", done.stdout, re.M)
    tables = re.findall(r"^\| store\.sqlite \| now \| (\w+) \| [\d,]+ \| [\d,]+ \| ([\d,]+) \|$", done.stdout, re.M)
    assert "compound_status" in dict(tables) and int(dict(tables)["compounds"].replace(",", "")) > 0, done.stdout


def test_the_wall_benchmark_prints_each_visit(tmp_path):
    """bench/wall.py on the demo city, one visit of one refresh: the map's measure and the browser's."""
    from tests.filled_stores import demo_store

    path = tmp_path / "store.sqlite"
    demo_store(path)
    done = subprocess.run([sys.executable, "bench/wall.py", "--city", "data", "--rounds", "1", "--refreshes", "1",
                           str(path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| store.sqlite | now |"))
    assert re.fullmatch(r"\| store.sqlite \| now \| \d+ \| \d+ \| (\d+|<50) \|", row), row


def test_the_status_decoding_benchmark_prints_a_row_per_size_and_checkout():
    """bench/apply_state.py, this checkout against itself, on small layers: a timed row per size and side."""
    from tests.test_fastlayer_js import node

    node()  # the bench runs the decoder in Node
    done = subprocess.run([sys.executable, "bench/apply_state.py", "--before", str(ROOT), "--places", "1000", "5000",
                           "--rounds", "3"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = re.findall(r"^\| ([\d,]+) \| (now|before) \| into the typed array \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$",
                      done.stdout, re.M)
    assert rows == [("1,000", "before"), ("1,000", "now"), ("5,000", "before"), ("5,000", "now")], done.stdout
    assert len(re.findall(r"^\| [\d,]+ \| now / before \| \| \d+\.\d{3} \|", done.stdout, re.M)) == 2, done.stdout


def test_the_first_visit_benchmark_times_new_and_returning_browsers(tmp_path):
    """bench/first_visit.py on a small generated city, this checkout alone (a checkout against another doubles the
    same steps): every visit drew."""
    done = subprocess.run([sys.executable, "bench/first_visit.py", "--size", "300", "--settle", "0", "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row.split("|")[1].strip(): row.split("|")[2:5] for row in done.stdout.splitlines() if row.startswith("| ")}
    assert [label for label in rows if label.startswith(("after", "before"))] == [
        "after, a new browser", "after, a browser that came before"], done.stdout
    for said in ("a new browser", "a browser that came before"):
        times = [float(cell) for cell in rows[f"after, {said}"]]
        assert all(0 < seconds < 120 for seconds in times), (said, times)  # nan when a map never drew
