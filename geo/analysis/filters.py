"""The view a leader picks (date, district, street, zone, status, name search) and what passes it.

The pages keep each choice in the URL (``ui/urlstate.py``), so a link opens the same view.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.domain import MISSING, listing, t, vocab

MAX_QUERY_LENGTH = 100  # a search longer than this is cut: a URL is no place for an essay


@dataclass(frozen=True)
class Filters:
    date: str | None = None
    district: tuple[str, ...] = ()
    street: tuple[str, ...] = ()
    zone: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    q: str = ""
    held: int = 0  # in its state for at least this many days (封闭 14 天以上); 0 keeps every place
    no_ledger: bool = False  # only sites resumed without a health ledger (复工但未建健康台账)


def place_key(filters: Filters) -> str:
    """Which places the filters keep, as text ('' when none is set): a map re-frames when it changes,
    not when only the date does.

    >>> place_key(Filters(date="2020-02-25")), place_key(Filters(zone=("Z1",)))
    ('', '[[], [], ["Z1"], [], ""]')
    """
    chosen = [list(filters.district), list(filters.street), list(filters.zone), list(filters.status), filters.q]
    if filters.held:
        chosen.append(filters.held)
    if filters.no_ledger:
        chosen.append("no_ledger")
    return json.dumps(chosen, ensure_ascii=False) if any(chosen) else ""


def apply_filters(view: pd.DataFrame, filters: Filters, status_column: str = "category") -> pd.DataFrame:
    """The rows of ``view`` that pass every filter (an empty filter passes everything).

    >>> view = pd.DataFrame({"name": ["金桂花园", "温泉名城"], "street": ["温泉街道", "浮山街道"],
    ...                      "district": ["咸安区"] * 2, "zone": ["Z1", "Z2"], "category": ["open", "sealed"]})
    >>> apply_filters(view, Filters(q="金桂"))["name"].tolist()
    ['金桂花园']
    >>> sites = pd.DataFrame({"name": ["甲", "乙", "丙"], "category": ["resumed", "resumed", "stopped"],
    ...                       "health_ledger": ["no", "yes", "no"]})
    >>> apply_filters(sites, Filters(no_ledger=True))["name"].tolist()
    ['甲']
    """
    keep = pd.Series(True, index=view.index)
    for key, column in (("district", "district"), ("street", "street"), ("zone", "zone"),
                        ("status", status_column)):
        chosen = getattr(filters, key)
        if chosen and column in view:
            keep &= view[column].isin(chosen).fillna(False).astype(bool)
    if filters.q.strip():
        needle = filters.q.strip().casefold()
        haystack = view["name"].astype("string").fillna("").str.casefold()
        if "id" in view:
            haystack = haystack + " " + view["id"].astype("string").fillna("").str.casefold()
        keep &= haystack.str.contains(needle, regex=False)
    if filters.held and "state_days" in view:
        keep &= (view["state_days"] >= filters.held).fillna(False).astype(bool)
    if filters.no_ledger and "health_ledger" in view:  # the attention list's reason, as a filter
        keep &= ((view[status_column] == "resumed") & (view["health_ledger"] == "no")).fillna(False).astype(bool)
    return view.loc[keep]


def filter_parts(filters: Filters, lang: str, zone_names: Mapping[str, str] | None = None,
                 vocabulary: str | None = None) -> list[tuple[str, str]]:
    """Each filter that is set, as (its label, what it keeps) in ``lang``: zones by name, states by label.

    >>> filter_parts(Filters(district=("咸安区",), status=("sealed", "missing"), q="金桂"), "zh",
    ...              vocabulary="closure")
    [('区县', '咸安区'), ('状态', '全封闭、未报告'), ('按名称或编号搜索', '金桂')]
    """
    names = zone_names or {}

    def state(code: str) -> str:
        return t("legend_missing", lang) if code == MISSING or not vocabulary else vocab.label(vocabulary, code, lang)

    chosen = [("f_district", list(filters.district)), ("f_street", list(filters.street)),
              ("f_zone", [names.get(z, z) for z in filters.zone]), ("f_status", [state(c) for c in filters.status]),
              ("f_search", [filters.q.strip()] if filters.q.strip() else []),
              ("f_held", [str(filters.held)] if filters.held else []),
              ("f_no_ledger", [t("f_no_ledger_on", lang)] if filters.no_ledger else [])]
    return [(t(key, lang), listing(values).pick(lang)) for key, values in chosen if values]


def export_title(title: str, filters: Filters, lang: str, zone_names: Mapping[str, str] | None = None,
                 vocabulary: str | None = None) -> str:
    """The line above an exported table: what it is, of which date, and every filter that chose its rows.

    >>> export_title("物业小区", Filters(date="2020-02-25", zone=("Z1",)), "zh", {"Z1": "温泉片区"})
    '物业小区 · 2020-02-25 · 片区：温泉片区'
    >>> export_title("Compounds", Filters(), "en")
    'Compounds'
    """
    parts = [title, *([filters.date] if filters.date else [])]
    parts += [t("export_filter", lang, label=label, values=values)
              for label, values in filter_parts(filters, lang, zone_names, vocabulary)]
    return " · ".join(parts)


#: Characters no file name may hold on Windows (nor a sheet's name in Excel), and runs of blanks.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\[\]\x00-\x1f]+|\s+')


def export_stem(title: str, filters: Filters, lang: str, zone_names: Mapping[str, str] | None = None,
                vocabulary: str | None = None, limit: int = 80) -> str:
    """An exported file's name without its ending: what it is, its date and what its filters kept, made
    safe for every file system and cut at ``limit`` characters.

    >>> export_stem("物业小区", Filters(date="2020-02-25", status=("sealed",), q="a/b"), "zh", vocabulary="closure")
    '物业小区_2020-02-25_全封闭_a_b'
    """
    parts = [title, *([filters.date] if filters.date else [])]
    parts += [values for _, values in filter_parts(filters, lang, zone_names, vocabulary)]
    stem = _NOT_IN_NAMES.sub("_", "_".join(parts)).strip("._")
    return stem[:limit].rstrip("._") or "export"
