"""Today's report of one place from a phone (网格员日报): the same as yesterday in one tap, or a short form.

A grid officer (role ``officer``) reports the state of the places its scope keeps; staff and
admins every place. A report is one row of the place's daily report table (and, for a compound
or a site, its supplies on hand), dated the calendar day, stored as a version through the same
check and commit as an upload of a one-row file: the same rules apply, and the version says who
and when. A second report of the same place on the same day replaces the first (the table's key
is the place and the date); :class:`Reported` says whose report of what time it replaced.

:func:`compliance` lists, by a deadline, the places not reported today and those reported late,
with the zone's leader and phone and the place's own contact where its kind has one.

Examples
--------
>>> form_fields("compound_status")
('closure', 'gates_open', 'fever_reports', 'home_isolation')
>>> form_fields("market_status")
('opening',)
>>> parse_deadline("9:30"), parse_deadline("25:00")
(datetime.time(9, 30), datetime.time(10, 0))
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from geo import store
from geo.accounts import Scope, ScopeRefused, auth
from geo.analysis import Days
from geo.domain import TABLES, Text, kinds, t
from geo.io import table_bytes
from geo.store import Dataset
from geo.upload.check import check_file, commit

#: The figures the short form asks for, by daily report table (others: their state column only).
FORM_FIELDS = {
    "compound_status": ("closure", "gates_open", "fever_reports", "home_isolation"),
    "site_status": ("resumption", "workers_returned", "health_ledger"),
}
DEFAULT_DEADLINE = datetime.time(10, 0)
#: A store whose newest report is older than this holds past data (the demo city's February 2020).
PAST_DATA_DAYS = 30
#: The columns of :func:`places_to_report`.
PLACE_COLUMNS = ["kind", "report", "id", "name", "zone", "zone_name", "district", "street", "leader", "zone_phone",
                 "contact", "phone"]


class DailyRefused(ValueError):
    """A report that cannot be stored as asked; ``text`` says why and what to do, in both languages."""

    def __init__(self, key: str, **values):
        self.key = key
        self.text = t(key, **values)
        super().__init__(self.text.en)


@dataclass(frozen=True)
class Reported:
    """A report stored: its versions (the report's, then its supplies'), and the report of the same day it
    replaced (its local time and author), if any."""

    kind: str
    place_id: str
    versions: tuple[int, ...]
    replaced_at: datetime.datetime | None = None
    replaced_by: str | None = None
    replaced_from_table: bool = False  # the report replaced came from a table upload, not a phone

    @property
    def text(self) -> Text:
        """What the page says: saved, or corrected with the time, author and kind of the report it replaced."""
        if self.replaced_at is None:
            return t("daily_saved")
        return t("daily_corrected_table" if self.replaced_from_table else "daily_corrected",
                 time=self.replaced_at.strftime("%H:%M"), user=self.replaced_by or "")


def form_fields(report: str) -> tuple[str, ...]:
    """The columns the short form of daily report table ``report`` asks for."""
    if report in FORM_FIELDS:
        return FORM_FIELDS[report]
    entry = kinds.of_report(report)
    return (entry.state_column,) if entry and entry.state_column else ()


def reporting_day(days: Days, today: datetime.date) -> datetime.date:
    """The day reported on the report page and counted by the list of places not reported: the calendar day,
    unless the city's data ends more than :data:`PAST_DATA_DAYS` before it on a day still being reported (a
    store of past data caught mid-morning, as the demo city's 2020-02-26): then that day, so that its
    morning can be seen and carried on rather than a day years later that nobody reports.

    >>> days = Days(("2020-02-25", "2020-02-26"), {"2020-02-25": 4, "2020-02-26": 1}, 4, 0.9)
    >>> reporting_day(days, datetime.date(2026, 12, 5)), reporting_day(days, datetime.date(2020, 2, 27))
    (datetime.date(2020, 2, 26), datetime.date(2020, 2, 27))
    """
    if days.pending:
        newest = datetime.date.fromisoformat(days.pending[-1])
        if newest < today - datetime.timedelta(days=PAST_DATA_DAYS):
            return newest
    return today


def parse_deadline(text: str | None) -> datetime.time:
    """The ``report_deadline`` setting (``HH:MM``) as a time of day; 10:00 when it is not one."""
    try:
        hours, minutes = str(text or "").strip().replace("：", ":").split(":")
        return datetime.time(int(hours), int(minutes))
    except ValueError:
        return DEFAULT_DEADLINE


def places_to_report(ds: Dataset, user: auth.User | None, place: tuple[str, str] | None = None) -> pd.DataFrame:
    """Every place with a daily report of its own that ``user`` may report: those its scope keeps (every
    place when it has none), with its zone's name, district, street, leader and phone, and its own contact
    and phone where its kind has them (columns :data:`PLACE_COLUMNS`). ``place`` (kind, id): only that one,
    if ``user`` may report it (a report's save looks up its place: the city's other places are not read)."""
    zones = pd.DataFrame(ds.zones.drop(columns="geometry")).rename(
        columns={"id": "zone", "name": "zone_name", "phone": "zone_phone"})
    zones = zones.reindex(columns=["zone", "zone_name", "district", "street", "leader", "zone_phone"])
    zones["zone"] = zones["zone"].astype("string")
    frames = []
    for entry in kinds.reporting_kinds():
        if entry.layer is None or (place is not None and entry.name != place[0]):
            continue
        layer = ds.layer(entry.layer)
        if place is not None:
            layer = layer.loc[layer["id"].astype("string") == str(place[1])]
        layer = pd.DataFrame(layer.drop(columns="geometry"))
        places = layer.reindex(columns=["id", "name", "zone", "contact", "phone"]).astype("string")
        places = places.assign(kind=entry.name, report=entry.report).merge(zones, on="zone", how="left")
        frames.append(places)
    every = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PLACE_COLUMNS)
    every = every.reindex(columns=PLACE_COLUMNS)
    if user is not None and user.scope is not None:
        every = every.loc[user.scope.keeps(every)]
    return every.dropna(subset=["id"]).reset_index(drop=True)


def reports_today(engine: Engine, places: pd.DataFrame, today: datetime.date) -> pd.DataFrame:
    """``places`` (of :func:`places_to_report`) with the time of their report of ``today`` (``reported_at``,
    local, NaT when none), its author (``reported_by``) and whether it came from a phone (``by_phone``)."""
    found = []
    for report in places["report"].dropna().unique():
        rows = store.reports_of_day(engine, report, today.isoformat())
        found.append(rows.assign(report=report))
    out = places.copy()
    if not found:
        return out.assign(reported_at=pd.NaT, reported_by=pd.NA, by_phone=pd.NA)
    times = pd.concat(found, ignore_index=True)
    times["reported_at"] = pd.to_datetime([store.local_time(m) for m in times["reported_at"]]) if len(times) else pd.NaT
    times["by_phone"] = times["action"] == store.PHONE_REPORT
    times = times.rename(columns={"user_name": "reported_by"})[["report", "id", "reported_at", "reported_by",
                                                                "by_phone"]]
    return out.merge(times, on=["report", "id"], how="left")


def _place(ds: Dataset, user: auth.User | None, kind: str, place_id: str) -> pd.Series:
    """The place ``place_id`` of ``kind`` if ``user`` may report it; :class:`DailyRefused` otherwise
    (a place outside its scope is refused here, whatever the page offered)."""
    match = places_to_report(ds, user, (kind, str(place_id)))
    if match.empty:
        raise DailyRefused("daily_not_yours", place=str(place_id)[:60])
    return match.iloc[0]


def yesterday(engine: Engine, report: str, place_id: str, today: datetime.date) -> pd.DataFrame:
    """The place's newest report before ``today`` (the values the form starts from), all its rows."""
    return store.last_report(engine, report, place_id, (today - datetime.timedelta(days=1)).isoformat())


def _save(engine: Engine, user: auth.User, report: str, frame: pd.DataFrame, name: str,
          today: datetime.date, at: datetime.datetime | None = None) -> int:
    """Check and commit ``frame`` as an upload of a file of its rows would be; the version's number."""
    content = table_bytes(report, frame, "csv")
    check = check_file(engine, report, content, t("daily_file_name", "zh", place=name, date=today.isoformat()),
                       today=today)
    if not check.ok:
        raise DailyRefused("daily_check_failed", problems="；".join(p.zh.rstrip("。") for p in check.problems[:3]))
    # the date is the calendar day the server gave, not typed: a long gap since the newest report is no typo
    return commit(engine, check, user, confirmed=True, action="report", permission="report_daily", at=at).version


def report_daily(engine: Engine, ds: Dataset, user: auth.User | None, kind: str, place_id: str,
                 today: datetime.date, values: dict | None = None,
                 on_hand: dict[str, float] | None = None, at: datetime.datetime | None = None) -> Reported:
    """Store ``today``'s report of a place: yesterday's values (``values`` None, the 零报告), or them changed
    by ``values`` (column to value, as a clerk would write it in the file) and the supplies' ``on_hand``
    (item code to quantity). Each table a version by ``user``, made now (or ``at``, a report of the past).

    Raises
    ------
    PermissionDenied
        ``user``'s role may not report.
    DailyRefused
        The place is not ``user``'s, it has no report to repeat, or a value breaks a rule of the upload.
    """
    auth.require(user, "report_daily")
    place = _place(ds, user, kind, place_id)
    report = place["report"]
    key = TABLES[report].key[0]
    before = yesterday(engine, report, place["id"], today)
    if before.empty and values is None:
        raise DailyRefused("daily_nothing_yesterday", place=str(place["name"]))
    row = _today_row(before if len(before) else pd.DataFrame({key: [place["id"]]}), place, today)
    for column, value in (values or {}).items():
        if column not in form_fields(report):
            raise DailyRefused("daily_not_a_field", column=str(column)[:40])
        row[column] = pd.Series([value], index=row.index, dtype=object)
    previous = store.reports_of_day(engine, report, today.isoformat())
    previous = previous.loc[previous["id"] == place["id"]]
    saved = [_save(engine, user, report, row, str(place["name"]), today, at)]
    supplies = _supplies(engine, place, today, on_hand)
    if supplies is not None:
        saved.append(_save(engine, user, "supplies", supplies, str(place["name"]), today, at))
    if previous.empty:
        return Reported(kind, place["id"], tuple(saved))
    return Reported(kind, place["id"], tuple(saved), store.local_time(previous["reported_at"].iloc[0]),
                    str(previous["user_name"].iloc[0]), previous["action"].iloc[0] != store.PHONE_REPORT)


def report_all_same(engine: Engine, ds: Dataset, user: auth.User | None, chosen: list[tuple[str, str]],
                    today: datetime.date, at: datetime.datetime | None = None) -> tuple[int, list[Text]]:
    """The 一键零报告: each place of ``chosen`` (kind, id) not reported yet today, as yesterday, in one version
    per table (not one per place); the number stored, and why each of the others could not be.

    A place reported since the list was shown is left as it is: a report is never replaced by a repeat of
    yesterday. A place outside ``user``'s scope is refused as by :func:`report_daily`.
    """
    auth.require(user, "report_daily")
    mine = places_to_report(ds, user).set_index(["kind", "id"], drop=False)
    failed: list[Text] = []
    rows: dict[str, list[pd.DataFrame]] = {}
    stock: list[pd.DataFrame] = []
    done_today = {report: set(store.reports_of_day(engine, report, today.isoformat())["id"])
                  for report in mine["report"].dropna().unique()}
    for kind, pid in chosen:
        if (kind, str(pid)) not in mine.index:
            failed.append(t("daily_not_yours", place=str(pid)[:60]))
            continue
        place = mine.loc[(kind, str(pid))]
        if place["id"] in done_today[place["report"]]:
            continue
        before = yesterday(engine, place["report"], place["id"], today)
        if before.empty:
            failed.append(t("daily_nothing_yesterday", place=str(place["name"])))
            continue
        rows.setdefault(place["report"], []).append(_today_row(before, place, today))
        supplies = _supplies(engine, place, today, None)
        if supplies is not None:
            stock.append(supplies)
    count = 0
    for report, frames in rows.items():
        _save(engine, user, report, pd.concat(frames, ignore_index=True), t("daily_many", "zh", count=len(frames)),
              today, at)
        count += len(frames)
    if stock:
        _save(engine, user, "supplies", pd.concat(stock, ignore_index=True), t("daily_many", "zh", count=len(stock)),
              today, at)
    return count, failed


def _today_row(before: pd.DataFrame, place: pd.Series, today: datetime.date) -> pd.DataFrame:
    """Today's row of a place from its newest report ``before``: dated today, named as the place, no remark."""
    table = TABLES[place["report"]]
    row = before.head(1).copy().reindex(columns=table.names)
    row[table.key[0]], row["date"] = place["id"], today.isoformat()
    if table.place_name:
        row[table.place_name] = place["name"]
    if "note" in row:
        row["note"] = pd.NA  # yesterday's remark is not today's
    return row


def _supplies(engine: Engine, place: pd.Series, today: datetime.date,
              on_hand: dict[str, float] | None) -> pd.DataFrame | None:
    """Today's supplies rows of a compound or a site: yesterday's, with ``on_hand`` changed (None: none to
    store, as when the place keeps no supplies)."""
    if place["kind"] not in kinds.kind("supplies").place_layers:
        return None
    rows = yesterday(engine, "supplies", place["id"], today)
    if rows.empty:
        return None
    rows = rows.assign(date=today.isoformat(), place_name=place["name"])
    for item, quantity in (on_hand or {}).items():
        if item not in set(rows["item"].astype(str)):
            raise DailyRefused("daily_not_a_field", column=str(item)[:40])
        rows.loc[rows["item"].astype(str) == item, "on_hand"] = quantity
    return rows


def reporters(engine: Engine, places: pd.DataFrame) -> pd.Series:
    """Who reports each of ``places`` (of :func:`places_to_report`): the enabled grid officers whose scope keeps
    its zone or names the place, as "name 13800138000" (the phone kept with the account), joined by "、"."""
    by_zone: dict[str, list[str]] = {}
    by_place: dict[str, list[str]] = {}
    for account in auth.list_users(engine):
        if account.role != "officer" or account.disabled or not account.scope:
            continue
        try:
            scope = Scope.parse(account.scope)
        except ScopeRefused:
            continue
        who = f"{account.name} {account.phone}" if account.phone else account.name
        target = by_zone if scope.by == "zone" else by_place if scope.by == "places" else None
        for value in scope.values if target is not None else ():
            target.setdefault(value, []).append(who)
    return pd.Series(["、".join(by_zone.get(str(zone), []) + by_place.get(str(pid), []))
                      for zone, pid in zip(places["zone"], places["id"])], index=places.index, dtype="string")


def compliance(engine: Engine, ds: Dataset, user: auth.User | None, today: datetime.date,
               deadline: datetime.time) -> pd.DataFrame:
    """The places ``user`` may see that were not reported by ``deadline`` today: ``status`` "missing" (no
    report yet) or "late" (reported after it, ``reported_at`` local), with who reports them (``reporter``, see
    :func:`reporters`), sorted by district, zone and place."""
    places = reports_today(engine, places_to_report(ds, user), today)
    places["reporter"] = reporters(engine, places)
    cutoff = pd.Timestamp(datetime.datetime.combine(today, deadline))
    late = places["reported_at"].notna() & (places["reported_at"] > cutoff)
    missing = places["reported_at"].isna()
    out = places.loc[late | missing].copy()
    out["status"] = ["missing" if m else "late" for m in missing[late | missing]]
    return out.sort_values(["district", "zone", "kind", "id"], na_position="last").reset_index(drop=True)


def call_list(late: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The rows of :func:`compliance` as a call list with headers in ``lang``: district, zone, its leader and
    phone, the place, its own contact and phone, its grid officer and phone, missing or late, and the time of
    a late report.

    >>> late = pd.DataFrame({"district": ["咸安区"], "zone": ["Z1"], "zone_name": ["第一片区"], "leader": ["张伟"],
    ...     "zone_phone": ["138"], "kind": ["compounds"], "id": ["0501"], "name": ["金桂花园"], "contact": [None],
    ...     "phone": [None], "reporter": ["wg-z1 13800138000"], "status": ["missing"], "reported_at": [pd.NaT]})
    >>> call_list(late).iloc[0].tolist()
    ['咸安区', 'Z1', '第一片区', '张伟', '138', '物业小区', '0501', '金桂花园', '', '', 'wg-z1 13800138000', '未报告', '']
    """
    texts = {"missing": t("compliance_missing", lang), "late": t("compliance_late", lang)}
    shown = pd.DataFrame({
        t("col_district", lang): late["district"], t("col_zone", lang): late["zone"],
        t("col_zone_name", lang): late["zone_name"], t("col_leader", lang): late["leader"],
        t("col_phone", lang): late["zone_phone"],
        t("col_place_kind", lang): [t(kinds.kind(k).title, lang) for k in late["kind"]],
        t("col_id", lang): late["id"], t("col_name", lang): late["name"],
        t("col_contact", lang): late["contact"], t("compliance_contact_phone", lang): late["phone"],
        t("compliance_reporter", lang): late["reporter"] if "reporter" in late else pd.NA,
        t("col_report", lang): late["status"].map(texts),
        t("col_time", lang): [m.strftime("%H:%M") if pd.notna(m) else "" for m in late["reported_at"]],
    })
    return shown.astype(object).where(shown.notna(), "").reset_index(drop=True)


def zone_summary(late: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The rows of :func:`compliance` counted by zone, those with most places missing first: whom to call
    first (the zone's leader and phone), with headers in ``lang``.

    >>> late = pd.DataFrame({"district": ["咸安区"] * 3, "zone": ["Z1", "Z1", "Z2"], "zone_name": ["一", "一", "二"],
    ...     "leader": ["张伟", "张伟", "李娜"], "zone_phone": ["138", "138", "139"],
    ...     "status": ["missing", "late", "missing"]})
    >>> zone_summary(late).values.tolist()
    [['咸安区', 'Z1', '一', '张伟', '138', 1, 1], ['咸安区', 'Z2', '二', '李娜', '139', 1, 0]]
    """
    keys = ["district", "zone", "zone_name", "leader", "zone_phone"]
    filled = late.assign(**{k: late[k].astype("string").fillna("") for k in keys})
    counts = pd.crosstab([filled[k] for k in keys], filled["status"]).reindex(columns=["missing", "late"],
                                                                              fill_value=0)
    counts = counts.reset_index().sort_values(["missing", "late", "district", "zone"],
                                              ascending=[False, False, True, True], kind="stable")
    headers = {"district": "col_district", "zone": "col_zone", "zone_name": "col_zone_name", "leader": "col_leader",
               "zone_phone": "col_phone", "missing": "compliance_missing", "late": "compliance_late"}
    out = counts[list(headers)].rename(columns={k: t(v, lang) for k, v in headers.items()})
    out.columns.name = None
    return out.astype({t("compliance_missing", lang): int, t("compliance_late", lang): int}).reset_index(drop=True)
