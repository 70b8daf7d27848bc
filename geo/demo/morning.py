"""The demo city's morning after its last complete day: a third of its places reported from phones.

In the seeds a district has a grid officer per zone (Daxiang: 116), who reports the places of the zone
from a phone before the command post's deadline. The morning of 2020-02-26, the day after the demo's
last report day, has begun: the officers of some zones have reported every place of theirs (most of
them "与昨日相同" in one tap, a couple with a change typed into the form), a few only some, most not
yet; two zones came in after the 10:00 deadline. The day stays pending on the pages and the wall
("2020-02-26 已报告 134/402") and the report page's list of places not reported has whom to call.

Written as ``phone_reports.json`` and read into a new store after its daily reports
(:mod:`geo.upload.phone_file`), each entry through the report page's own functions, so each is a
version by its officer (action ``report``) at the time written; the same seed gives the same file.

Examples
--------
>>> places = pd.DataFrame({"kind": ["compounds"] * 9 + ["sites"] * 3, "id": [f"P{i}" for i in range(12)],
...                        "zone": ["Z1", "Z1", "Z1", "Z2", "Z2", "Z2", "Z3", "Z3", "Z3", "Z1", "Z2", "Z3"]})
>>> morning = build_morning(np.random.default_rng(3), places, dt.date(2020, 2, 26))
>>> morning["date"], 3 <= sum(len(e["places"]) for e in morning["entries"]) <= 6
('2020-02-26', True)
>>> sorted({e["by"] for e in morning["entries"]}) == sorted({officer_name(e["zone"]) for e in morning["entries"]})
True
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from geo.accounts import officer_name

SHARE = 1 / 3  # of the places reported by the time the demo is opened
LATE_ZONES = 2  # zones whose officer reported after the deadline
DEADLINE = dt.time(10, 0)
#: What an officer typed into the form for a place that changed overnight, by kind.
CHANGES = {
    "compounds": ({"closure": "sealed"}, {"fever_reports": 1}, {"gates_open": 1}),
    "sites": ({"health_ledger": "yes"}, {"resumption": "applied"}),
}


def _clock(start: dt.datetime, minutes: float) -> str:
    return (start + dt.timedelta(minutes=float(minutes))).isoformat(timespec="seconds")


def build_morning(rng: np.random.Generator, places: pd.DataFrame, day: dt.date) -> dict:
    """The morning's phone reports: whole zones first, in an order drawn by ``rng``, until a third of
    ``places`` (columns kind, id, zone) is reported; the last zone drawn reports only part of its places.

    Each entry is one save of the report page by a zone's officer: a place with the values typed into
    its form (``values``), or every other place of the zone as the day before (``values`` None, the 一键零报告).
    """
    places = places.loc[places["zone"].fillna("").astype(str).str.strip() != ""]  # a place in no zone has no officer
    zones = sorted(places["zone"].astype(str).unique())
    order = [zones[i] for i in rng.permutation(len(zones))]
    target = int(round(len(places) * SHARE))
    entries: list[dict] = []
    done = 0
    for number, zone in enumerate(order):
        if done >= target:
            break
        mine = places.loc[places["zone"].astype(str) == zone].sort_values(["kind", "id"])
        mine = mine.head(target - done)  # the last zone: its officer has not got through all of it yet
        late = number < LATE_ZONES
        start = dt.datetime.combine(day, dt.time(10, 5) if late else dt.time(7, 20)) + dt.timedelta(
            minutes=int(rng.integers(0, 90 if late else 150)))
        by = officer_name(zone)
        changed = [row for row in mine.itertuples() if row.kind in CHANGES and rng.random() < 0.12][:2]
        minutes = 0.0
        for row in changed:
            minutes += float(rng.integers(2, 6))
            options = CHANGES[row.kind]
            entries.append({"by": by, "zone": zone, "at": _clock(start, minutes), "places": [[row.kind, row.id]],
                            "values": options[int(rng.integers(len(options)))]})
        rest = [[row.kind, row.id] for row in mine.itertuples() if row not in changed]
        if rest:
            entries.append({"by": by, "zone": zone, "at": _clock(start, minutes + float(rng.integers(1, 4))),
                            "places": rest, "values": None})
        done += len(mine)
    entries.sort(key=lambda entry: entry["at"])
    return {"date": day.isoformat(), "deadline": DEADLINE.strftime("%H:%M"), "entries": entries}


def write_morning(path: Path, morning: dict) -> int:
    """Write the morning as JSON (UTF-8, one entry a line, stable); returns the number of places reported."""
    lines = ",\n".join("    " + json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in morning["entries"])
    head = {key: morning[key] for key in ("date", "deadline")}
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": [\n' + lines + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    return sum(len(entry["places"]) for entry in morning["entries"])
