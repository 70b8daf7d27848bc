"""Several app processes on one store: two imports at the same moment both land, one after the other.

Each import runs in its own Python process, as on two app servers. The import is
slowed down between reading the current rows and writing its version, so that
without the store's write lock both would diff against the same rows and the
key they both change would end up with two current rows.
"""

from __future__ import annotations

import subprocess
import sys
import time

from geo import store
from geo.settings import PROJECT_DIR

WORKER = r"""
import sys, time
from geo import store
from geo.store.engine import connect

url, value, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
engine = connect(url)
real_diff = store.diff_rows

def slow_diff(*args, **kwargs):
    time.sleep(0.5)  # between the read and the write of the version: where a race would happen
    return real_diff(*args, **kwargs)

store.diff_rows = slow_diff
rows = store.current(engine, "compound_status")
rows = rows[(rows["compound_id"] == "0501") & (rows["date"] == "2020-02-25")].assign(closure=value)
time.sleep(max(0.0, start - time.time()))
print(store.apply_rows(engine, "compound_status", rows, "clerk").version)
"""


def test_two_imports_from_two_processes_at_once_both_land_in_order(tiny_store, store_url):
    assert store.newest_version(tiny_store) == 6
    start = time.time() + 3.0  # both processes have started Python and connected by then
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, store_url, value, str(start)], cwd=PROJECT_DIR,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for value in ("sealed", "open")]
    results = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err for _, err in results]
    versions = {value: int(out.strip()) for value, (out, _) in zip(("sealed", "open"), results)}
    assert sorted(versions.values()) == [7, 8]
    # this process sees both at once: the key of every cache moved on
    assert store.newest_version(tiny_store) == 8
    current = store.current(tiny_store, "compound_status")
    key = current[(current["compound_id"] == "0501") & (current["date"] == "2020-02-25")]
    last = max(versions, key=versions.get)
    assert key["closure"].tolist() == [last]  # one current row: the second import replaced the first
    history = store.history(tiny_store).set_index("id")
    assert history.loc[7, "rows_changed"] == 1 and history.loc[8, "rows_changed"] == 1
    first = min(versions, key=versions.get)
    assert store.version_changes(tiny_store, 8)[["before", "after"]].values.tolist() == [[first, last]]
