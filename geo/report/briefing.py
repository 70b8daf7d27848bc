"""The morning briefing (疫情防控工作日报) of a date and, optionally, a district: what it says, section by section.

Every figure comes from the functions the overview page uses (:func:`geo.analysis.compute_kpis`,
the views of :mod:`geo.analysis.views`, :func:`geo.analysis.attention_items`,
:func:`geo.analysis.report_days`), narrowed by the same filters, so the briefing and the
overview cannot disagree. :mod:`geo.report.documents` writes it as Word and PDF.

Examples
--------
>>> district_label(None, "zh"), district_label("咸安区", "en")
('未划分区县', '咸安区')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.accounts import User, format_time, require
from geo.analysis import (
    Filters,
    Kpi,
    Thresholds,
    apply_filters,
    attention_items,
    kpis_of,
    narrowed_views,
    outside_zones,
    report_days,
    unmatched_ids,
    with_previous,
)
from geo.domain import MISSING, TABLES, Text, kinds, t, vocab
from geo.report.figure_tiles import FigureTiles, figure_tiles
from geo.report.figures import status_map
from geo.report.fonts import CjkFont, find_cjk_font
from geo.settings import Settings
from geo.store import Dataset

ROW_LIMIT = 50  # rows of a long list printed; the rest are counted ("及其他 120 个")
LONG_CLOSURE_DAYS = 14  # "封闭 14 天以上": an incubation period, the length the compounds page's filter suggests


class BriefingRefused(ValueError):
    """A briefing that cannot be made (no such report date, no such district): ``text`` says why."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.zh)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    more: int = 0  # rows left out after the first ROW_LIMIT
    marked: frozenset[int] = frozenset()  # rows printed in red (a problem past its deadline)
    widths: tuple[float, ...] | None = None  # the columns' relative widths; None: even


@dataclass(frozen=True)
class Shot:
    """A photo printed small, two to a row, with its caption; ``image`` None when it cannot be read (the caption
    still says whose it is)."""

    image: bytes | None
    caption: str


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...] = ()
    table: Table | None = None
    figure: bytes | None = None  # a PNG at 300 dpi
    caption: str = ""
    shots: tuple[Shot, ...] = ()


@dataclass(frozen=True)
class Briefing:
    title: str
    issue: str  # 第N期
    issuer: str  # the city and the date, the line under the title
    freshness: str
    sections: tuple[Section, ...]
    kpis: list[Kpi] = field(repr=False)  # the overview's tiles of the same date and district
    lang: str = "zh"

    @property
    def head(self) -> tuple[str, ...]:
        """The lines under the title, centred."""
        return self.issue, self.issuer, self.freshness

    @property
    def closing(self) -> tuple[str, ...]:
        """The lines after the last section (a briefing has none; a task sheet's signatures)."""
        return ()


def district_label(district: object, lang: str) -> str:
    """A district's name, or '未划分区县' for places in no district (a city without zone shapes)."""
    return district if isinstance(district, str) and district.strip() else t("briefing_no_district", lang)


def make_table(headers: list[str], rows: list[list[object]], limit: int = ROW_LIMIT, total: int | None = None,
           **more) -> Table:
    """The first ``limit`` of ``rows``; ``total``: how many there are in all, when only the first were made;
    ``more``: the table's other fields (``marked``, ``widths``)."""
    text = tuple(tuple("" if value is None or value is pd.NA or value != value else str(value) for value in row)
                 for row in rows[:limit])
    return Table(tuple(headers), text, max(0, (len(rows) if total is None else total) - limit), **more)


def _change(kpi: Kpi) -> str:
    return "—" if kpi.delta is None else f"{kpi.delta:+g}{kpi.unit}"


def _overall(kpis: list[Kpi], before: str | None, lang: str) -> Section:
    line = (t("briefing_compared", lang, date=before) if before else t("briefing_no_compare", lang))
    rows = [[t(k.key, lang), k.shown(lang), _change(k)] for k in kpis]
    return Section(t("briefing_overall", lang), (line,),
                   make_table([t("briefing_col_figure", lang), t("briefing_col_value", lang),
                           t("briefing_col_change", lang)], rows))


def _by_district(view: pd.DataFrame):
    district = view["district"].astype("string").fillna("") if "district" in view else pd.Series("", view.index)
    return view.assign(_district=district).groupby("_district", sort=True)


def long_sealed(compounds: pd.DataFrame, days: int = LONG_CLOSURE_DAYS) -> pd.DataFrame:
    """The compounds sealed for ``days`` days or more, longest first: what the compounds page keeps with its
    filters 状态 = 全封闭 and 本状态已持续（天）≥ ``days`` (the same :func:`geo.analysis.apply_filters`, on the
    same ``state_days``)."""
    held = apply_filters(compounds, Filters(status=("sealed",), held=days))
    return held.sort_values(["state_days", "name"], ascending=[False, True], kind="stable")


def _caption(title: str, figure: bytes | None, lang: str) -> str:
    """A figure's caption: its title, and its base map's credit or that it has none."""
    credit = getattr(figure, "basemap", "")
    return t("briefing_caption_basemap", lang, title=title, basemap=credit) if credit else \
        t("briefing_caption", lang, title=title)


def _closure(compounds, zones, date: str, lang, font, figures: bool, days: int = LONG_CLOSURE_DAYS,
             tiles: FigureTiles | None = None) -> tuple[Section, ...]:
    codes = [*vocab.codes("closure"), MISSING]
    long = long_sealed(compounds, days)
    rows = []
    for district, group in _by_district(compounds):
        counts = group["category"].value_counts()
        rows.append([district_label(district, lang), len(group), *(int(counts.get(c, 0)) for c in codes),
                     int(group.index.isin(long.index).sum())])
    headers = [t("briefing_col_district", lang), t("briefing_col_compounds", lang),
               *(vocab.label("closure", c, lang) for c in codes[:-1]), t("legend_missing", lang),
               t("briefing_col_long_sealed", lang, days=days)]
    sealed = compounds.loc[compounds["category"] == "sealed"].sort_values(["state_days", "name"],
                                                                          ascending=[False, True], kind="stable")
    if len(sealed):
        longest = sealed.iloc[0]
        line = t("briefing_sealed_count", lang, count=len(sealed), days=days, long=len(long),
                 longest=_whole(longest["state_days"]), name=longest["name"])
    else:
        line = t("briefing_sealed_none", lang)
    title = t("briefing_closure_map", lang)
    figure = status_map(compounds, "closure", zones, title, lang, font, basemap=tiles) if figures else None
    section = Section(t("briefing_closure", lang), (line,), table=make_table(headers, rows), figure=figure,
                      caption=_caption(title, figure, lang))
    if not len(long):
        return (section,)
    start = pd.Timestamp(date)
    listed = [[row.name, district_label(row.district, lang), row.zone_name,
               (start - pd.Timedelta(days=int(row.state_days) - 1)).strftime("%Y-%m-%d"), int(row.state_days)]
              for row in long.head(ROW_LIMIT).itertuples()]
    table = make_table([t("briefing_col_place", lang), t("briefing_col_district", lang), t("briefing_col_zone", lang),
                        t("briefing_col_sealed_since", lang), t("briefing_col_sealed_days", lang)], listed,
                       total=len(long))
    return section, Section(t("briefing_long_sealed", lang, days=days), table=table)


def _whole(value: object) -> str:
    return "—" if value is None or value is pd.NA or value != value else str(int(value))


def _resumption(sites, zones, lang, font, figures: bool, tiles: FigureTiles | None = None) -> Section:
    rows = []
    for district, group in _by_district(sites):
        resumed = int((group["category"] == "resumed").sum())
        rate = round(100.0 * resumed / len(group), 1) if len(group) else 0.0
        rows.append([district_label(district, lang), len(group), resumed,
                     int((group["report"] == MISSING).sum()), f"{rate:g}%"])
    headers = [t("briefing_col_district", lang), t("briefing_col_sites", lang), t("briefing_col_resumed", lang),
               t("legend_missing", lang), t("kpi_resumption_rate", lang)]
    title = t("briefing_resumption_map", lang)
    figure = status_map(sites, "resumption", zones, title, lang, font, basemap=tiles) if figures else None
    return Section(t("briefing_resumption", lang), table=make_table(headers, rows), figure=figure,
                   caption=_caption(title, figure, lang))


def _kind_name(kind: str, lang: str) -> str:
    return t(kinds.kind(kind).title, lang)


def _supplies(compounds, sites, lang) -> Section:
    parts = [view.loc[view["supply_level"].isin(["low", "critical"])].assign(kind=kind)
             for kind, view in (("compounds", compounds), ("sites", sites))]
    short = pd.concat(parts, ignore_index=True).sort_values(["min_days", "name"])
    rows = [[row.name, _kind_name(row.kind, lang), district_label(row.district, lang), row.zone_name,
             vocab.label("supply_level", row.supply_level, lang), f"{float(row.min_days):.1f}",
             "、".join(vocab.label("item", item, lang) for item in str(row.short_items).split(",") if item)]
            for row in short.itertuples()]
    headers = [t("briefing_col_place", lang), t("briefing_col_kind", lang), t("briefing_col_district", lang),
               t("briefing_col_zone", lang), t("briefing_col_level", lang), t("briefing_col_days", lang),
               t("briefing_col_items", lang)]
    line = t("briefing_short_count", lang, count=len(short)) if len(short) else t("briefing_none_short", lang)
    return Section(t("briefing_supplies", lang), (line,), make_table(headers, rows) if len(short) else None)


def _responsible(view: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The person to call about a place and their phone: its own contact, else its zone's leader."""
    blank = pd.Series(pd.NA, index=view.index, dtype="string")
    leader = view["leader"].astype("string") if "leader" in view else blank
    zone_phone = view["zone_phone"].astype("string") if "zone_phone" in view else blank
    person = view["contact"].astype("string").fillna(leader) if "contact" in view else leader
    phone = view["phone"].astype("string").fillna(zone_phone) if "phone" in view else zone_phone
    return person, phone


def _reporting(views: dict[str, pd.DataFrame], zones: gpd.GeoDataFrame, lang: str) -> tuple[Section, ...]:
    """Places that did not report, with whom to call; then the zones none of whose places reported."""
    rows, silent_zones, missing = [], [], 0
    for kind, view in views.items():
        silent = view["report"] == MISSING
        missing += int(silent.sum())
        listed = view.loc[silent].head(max(0, ROW_LIMIT - len(rows)))  # only those printed are made into rows
        person, phone = _responsible(listed)
        for row, who, number in zip(listed.itertuples(), person, phone):
            rows.append([row.name, _kind_name(kind, lang), row.zone_name, who, number])
    everything = pd.concat([v[["zone", "report"]] for v in views.values()], ignore_index=True)
    if len(everything) and len(zones):
        quiet = everything.assign(silent=everything["report"] == MISSING).groupby("zone")["silent"].all()
        silent_ids = set(quiet.index[quiet])
        for zone in zones.loc[zones["id"].isin(silent_ids)].sort_values("name").itertuples():
            silent_zones.append([zone.name, district_label(zone.district, lang), zone.leader, zone.phone])
    lines = [t("briefing_missing_count", lang, count=missing) if missing else t("briefing_all_reported", lang)]
    if silent_zones:
        lines.append(t("briefing_zones_silent", lang, count=len(silent_zones)))
    headers = [t("briefing_col_place", lang), t("briefing_col_kind", lang), t("briefing_col_zone", lang),
               t("briefing_col_person", lang), t("briefing_col_phone", lang)]
    section = Section(t("briefing_reporting", lang), tuple(lines),
                      make_table(headers, rows, total=missing) if missing else None)
    if not silent_zones:
        return (section,)
    zone_table = make_table([t("briefing_col_zone", lang), t("briefing_col_district", lang),
                         t("briefing_col_person", lang), t("briefing_col_phone", lang)], silent_zones)
    return section, Section(t("briefing_zones_heading", lang), table=zone_table)


def _attention(compounds, sites, others, days: float, lang: str) -> Section:
    items = attention_items(compounds, sites, days, others)
    rows = []
    for item in items.head(ROW_LIMIT).itertuples():  # only those printed are made into rows
        detail = ""
        if item.reason == "fever":
            detail = t("wall_fever_count", lang, count=int(item.value))
        elif item.reason == "supplies":
            detail = t("wall_days_left", lang, days=f"{item.value:.1f}")
        rows.append([t("wall_reason_" + item.reason, lang), item.name, _kind_name(item.kind, lang),
                     item.zone_name, detail])
    headers = [t("briefing_col_reason", lang), t("briefing_col_place", lang), t("briefing_col_kind", lang),
               t("briefing_col_zone", lang), t("briefing_col_detail", lang)]
    line = t("briefing_attention_count", lang, count=len(items)) if len(items) else t("briefing_attention_none",
                                                                                        lang)
    return Section(t("wall_attention", lang), (line,), make_table(headers, rows, total=len(items)) if rows else None)


def _changes(now: dict[str, pd.DataFrame], before: dict[str, pd.DataFrame] | None, before_date: str | None,
             lang: str) -> Section:
    if before is None:
        return Section(t("briefing_changes", lang), (t("briefing_no_compare", lang),))
    rows = []
    for kind, view in now.items():
        vocabulary = kinds.kind(kind).vocabulary
        paired = with_previous(view, before[kind])
        moved = paired.loc[paired["previous"].notna() & (paired["previous"] != paired["category"])]
        for (old, new), count in moved.groupby(["previous", "category"]).size().items():
            rows.append([_kind_name(kind, lang), _state(vocabulary, old, lang), _state(vocabulary, new, lang),
                         int(count)])
    lines = (t("briefing_compared", lang, date=before_date),
             t("briefing_changed_count", lang, count=sum(r[-1] for r in rows)) if rows
             else t("briefing_nothing_changed", lang))
    headers = [t("briefing_col_kind", lang), t("briefing_col_from", lang), t("briefing_col_to", lang),
               t("briefing_col_count", lang)]
    return Section(t("briefing_changes", lang), lines, make_table(headers, rows) if rows else None)


def _state(vocabulary: str, code: str, lang: str) -> str:
    return t("legend_missing", lang) if code == MISSING else vocab.label(vocabulary, code, lang)


def _notes(ds: Dataset, views: dict[str, pd.DataFrame], complete: bool, date: str, lang: str,
           credits: tuple[str, ...] = ()) -> Section:
    lines = [t("briefing_note_same", lang)]
    if not complete:
        lines.append(t("day_incomplete", lang, date=date))
    missing = sum(int((v["report"] == MISSING).sum()) for v in views.values())
    if missing:
        lines.append(t("never_reported", lang, count=missing))
    for table, ids in unmatched_ids(ds).items():
        if ids:
            lines.append(t("unmatched", lang, table=TABLES[table].label(lang), count=len(ids),
                           ids=", ".join(ids[:10])))
    if ds.zones_assigned:
        lines.append(t("zones_assigned", lang, count=ds.zones_assigned))
    for layer, rows in outside_zones(ds).groupby("layer", sort=False):
        names = rows["name"].where(rows["name"] != "", rows["id"]).tolist()
        lines.append(t("outside_zones", lang, count=len(rows), kind=TABLES[layer].label(lang),
                       names=", ".join(names[:10]) + (" …" if len(names) > 10 else "")))
    if ds.problems:
        lines.append(t("problems_found", lang, count=len(ds.problems)))
    lines.append(t("briefing_note_tiles", lang, basemap="、".join(dict.fromkeys(credits))) if credits
                 else t("briefing_note_basemap", lang))
    return Section(t("data_notes", lang), tuple(lines))


def build_briefing(ds: Dataset, date: str, district: str | tuple[str, ...] | None = None, *, user: User | None,
                   settings: Settings, updated: dt.datetime | None = None, city: str = "", lang: str = "zh",
                   font: CjkFont | None = None, figures: bool = True) -> Briefing:
    """The briefing of ``date`` for the whole city or one ``district`` (or several, as the overview's filter
    may choose), in ``lang``, for ``user``, who must be allowed to view (:func:`geo.accounts.can`; the
    command line acts as ``SYSTEM``).

    ``settings`` are the ones the overview and the wall read (supply thresholds, ``complete_share``,
    ``wall_attention_days``, ``require_login``); ``updated`` is when the newest data was stored (the
    data's freshness); ``figures`` False leaves the map figures out (they are the slow part).

    Raises :class:`BriefingRefused` for a date with no report or a district the city does not have,
    :class:`geo.accounts.PermissionDenied` for a user who may not view, and
    :class:`geo.report.fonts.FontMissing` when no Chinese font is installed.
    """
    require(user, "view", settings.require_login)
    thresholds = Thresholds(low=settings.supply_low_days, critical=settings.supply_critical_days)
    complete_share = settings.complete_share
    days = report_days(ds, complete_share)
    dates = list(days.dates)
    if date not in dates:
        raise BriefingRefused(t("briefing_no_date", date=date, dates=", ".join(dates[-5:]) or "—"))
    districts = sorted(ds.zones["district"].dropna().astype(str).unique()) if len(ds.zones) else []
    chosen = (district,) if isinstance(district, str) else tuple(district or ())
    for name in chosen:
        if name not in districts:
            raise BriefingRefused(t("briefing_no_such_district", district=name, districts="、".join(districts) or "—"))
    font = font or (find_cjk_font() if figures else None)
    filters = Filters(date=date, district=chosen)

    def keep(view):
        return apply_filters(view, filters)

    before_date = days.before(date)
    # each date's views made once, for the overview's figures (compute_kpis) and the sections alike
    now_views = narrowed_views(ds, date, thresholds, keep)
    before_views = narrowed_views(ds, before_date, thresholds, keep) if before_date else None
    kpis = kpis_of(ds, now_views, before_views)
    compounds, sites, every_other = now_views
    others = {name: view for name, view in every_other.items() if len(view)}
    zones = ds.zones.loc[ds.zones["district"].isin(chosen)] if chosen else ds.zones
    reporting = {"compounds": compounds, "sites": sites, **others}
    before = None
    if before_views:  # the places of every kind as they were on the day compared with
        before = {"compounds": before_views[0], "sites": before_views[1], **before_views[2]}
    tiles = figure_tiles(settings) if figures else None
    closure = _closure(compounds, zones, date, lang, font, figures, tiles=tiles)
    resumption = _resumption(sites, zones, lang, font, figures, tiles=tiles)
    credits = tuple(c for c in (getattr(s.figure, "basemap", "") for s in (*closure, resumption)) if c)
    sections = (
        _overall(kpis, before_date, lang),
        *closure,
        resumption,
        _supplies(compounds, sites, lang),
        *_reporting(reporting, zones, lang),
        _attention(compounds, sites, others, settings.wall_attention_days, lang),
        _changes(reporting, before, before_date, lang),
        _notes(ds, reporting, days.complete(date), date, lang, credits),
    )
    issue = sum(1 for d in dates if d <= date)
    where = "、".join(chosen) or city
    return Briefing(
        title=t("briefing_title", lang),
        issue=t("briefing_issue", lang, number=issue),
        issuer=t("briefing_issuer", lang, where=where, date=date) if where else t("briefing_date", lang, date=date),
        freshness=(t("briefing_freshness", lang, time=format_time(updated)) if updated
                   else t("briefing_freshness_unknown", lang)),
        sections=sections, kpis=kpis, lang=lang,
    )
