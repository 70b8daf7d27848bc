"""Reading a file of phone reports (``phone_reports.json``): a morning of grid officers' reports.

The data folder may hold one beside its daily reports (the demo city's morning does, see
:mod:`geo.demo.morning`); a new store reads it once, after the reports of the days before. Each entry
is stored through the report page's own functions (:func:`geo.upload.daily.report_daily`, and
:func:`~geo.upload.daily.report_all_same` for the places reported as the day before), as its officer,
scoped to its zone, at the time written: the same checks, one version per save, refused entries named.

Examples
--------
>>> from geo.store import connect
>>> import_phone_reports(connect("sqlite://"), b"[]", "phone_reports.json")[1][0].zh
'phone_reports.json 无法读取：应为 JSON，含 date（日期）和 entries（每次填报：by、zone、at、places、values）。'
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.engine import Engine

from geo import store
from geo.accounts import Scope, User
from geo.domain import Text, t
from geo.upload.daily import DailyRefused, report_all_same, report_daily

FILE = "phone_reports.json"


def import_phone_reports(engine: Engine, data: bytes, name: str = FILE) -> tuple[int, list[Text]]:
    """Store the phone reports of a file; returns how many places were reported and what was refused."""
    try:
        records = json.loads(data.decode("utf-8-sig"))
        day, entries = dt.date.fromisoformat(str(records["date"])), list(records["entries"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return 0, [t("phone_file_unreadable", file=name)]
    ds = store.load_store(engine)
    count, refused = 0, []
    for number, entry in enumerate(entries, start=1):
        try:
            officer = User(str(entry["by"]), "officer", Scope("zone", (str(entry["zone"]),)))
            at = dt.datetime.fromisoformat(str(entry["at"])).astimezone(dt.timezone.utc)  # written in local time
            places = [(str(kind), str(pid)) for kind, pid in entry["places"]]
            values = entry.get("values")
        except (ValueError, KeyError, TypeError):
            refused.append(t("phone_file_bad_entry", file=name, number=number))
            continue
        try:
            if values is None:
                stored, failed = report_all_same(engine, ds, officer, places, day, at=at)
                count += stored
                refused += [t("phone_file_entry", file=name, number=number, reason=reason) for reason in failed]
            else:
                for kind, pid in places:
                    report_daily(engine, ds, officer, kind, pid, day, dict(values), at=at)
                    count += 1
        except DailyRefused as refusal:
            refused.append(t("phone_file_entry", file=name, number=number, reason=refusal.text))
    return count, refused
