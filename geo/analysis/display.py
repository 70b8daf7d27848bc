"""Present a status view as people read it: labelled columns, status labels instead of codes.

Used for the table under each map, its exports and the details panel.

Examples
--------
>>> import pandas as pd
>>> view = pd.DataFrame({"id": ["C1"], "name": ["金桂花园"], "category": ["sealed"]})
>>> display_table(view, "compounds", "zh").columns.tolist()
['编号', '名称', '封闭状态']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.accounts import format_time
from geo.analysis.zones import METRICS
from geo.domain import MISSING, TABLES, kinds, map_distinct, t, vocab
from geo.store import summary_lines

#: Columns of each page's table, in order (only those present in the view are shown); see :func:`table_columns`.
TABLE_COLUMNS: dict[str, list[str]] = {
    "compounds": ["id", "name", "district", "street", "zone_name", "category", "state_days", "change", "residents",
                  "households",
                  "fever_reports", "home_isolation", "vulnerable", "gates_open", "staff_on_duty",
                  "volunteers_on_duty", "supply_level", "min_days", "property_company", "address", "note"],
    "sites": ["id", "name", "kind", "district", "street", "zone_name", "category", "state_days", "change",
              "workers_total",
              "workers_returned", "health_ledger", "supply_level", "min_days", "developer", "contractor", "note"],
    "supplies": ["id", "name", "place_kind", "district", "street", "zone_name", "category", "change", "min_days",
                 "short_items"],
    "zones": ["id", "name", "district", "street", "leader", "phone", *[m.code for m in METRICS]],
}

_EXTRA_HEADERS = {
    "zone_name": "col_zone", "category": None, "supply_level": "col_supply_level", "min_days": "col_min_days",
    "short_items": "col_short_items", "place_kind": "col_place_kind", "report": "col_report",
    "change": "col_change", "state_days": "col_state_days", "leader": "col_leader", "phone": "col_phone", "name": "col_name", "id": "col_id",
}


def table_columns(kind: str) -> list[str]:
    """The columns of the table of page ``kind``, in order: :data:`TABLE_COLUMNS`, else (a kind registered
    later) its place, zone, state and change, then the other columns of its layer and daily report.

    >>> table_columns("sites")[:3]
    ['id', 'name', 'kind']
    """
    if kind in TABLE_COLUMNS:
        return TABLE_COLUMNS[kind]
    entry = kinds.kind(kind)
    tables = [TABLES[name] for name in (entry.layer, entry.report) if name]
    shown_already = {"id", "zone", "date", entry.state_column, *(table.key[0] for table in tables),
                     *(table.place_name for table in tables)}
    rest = [c for table in tables for c in table.names if c not in shown_already]
    return list(dict.fromkeys(["id", "name", "district", "street", "zone_name", "category", "state_days", "change",
                               *rest]))


def _vocabulary(kind: str) -> str | None:
    """What the ``category`` column means on page ``kind`` (None: not a kind of place, or zones)."""
    entry = kinds.KINDS.get(kind)
    return entry.vocabulary if entry else None


def header(column: str, kind: str, lang: str) -> str:
    """The label of a column of a view on page ``kind`` (or of the table ``kind``).

    >>> header("staff_on_duty", "compounds", "zh"), header("note", "market_status", "en")
    ('在岗物业人员', 'Note')
    """
    if column == "category":
        entry = kinds.KINDS.get(kind)
        return t(entry.state_label if entry and entry.state_label else "f_status", lang)
    if _EXTRA_HEADERS.get(column):
        return t(_EXTRA_HEADERS[column], lang)
    for m in METRICS:
        if m.code == column:
            return m.label(lang) + (f" ({m.unit})" if m.unit else "")
    entry = kinds.KINDS.get(kind)
    own = [TABLES[name] for name in ((entry.layer, entry.report) if entry else (kind,)) if name in TABLES]
    for table in (*own, *TABLES.values()):  # its own tables first: 在岗人员 of a market, not of a compound
        for col in table.columns:
            if col.name == column:
                return col.label(lang)
    return column


def state_label(vocabulary: str, code, lang: str) -> str:
    """Label of a code, 'not reported' for a missing one."""
    if code is None or (not isinstance(code, str) and pd.isna(code)) or code == MISSING:
        return t("legend_missing", lang)
    return vocab.label(vocabulary, str(code), lang)


def change_label(vocabulary: str, before, now, lang: str) -> str:
    """'封闭管理 → 全封闭' when the state changed since the previous report, else ''.

    >>> change_label("closure", "controlled", "sealed", "zh")
    '封闭管理 → 全封闭'
    >>> change_label("closure", "sealed", "sealed", "zh")
    ''
    """
    if before is None or (not isinstance(before, str) and pd.isna(before)) or before == now:
        return ""
    return f"{state_label(vocabulary, before, lang)} → {state_label(vocabulary, now, lang)}"


def _changes(vocabulary: str, before: pd.Series, now: pd.Series, lang: str) -> pd.Series:
    """:func:`change_label` of each row, computed once per distinct (before, now) pair."""
    pairs = pd.Series(list(zip(before.astype(object), now.astype(object))), index=before.index, dtype=object)
    return map_distinct(pairs, lambda pair: change_label(vocabulary, pair[0], pair[1], lang), missing="")


def _coded_columns(kind: str) -> dict[str, str]:
    """The columns of page ``kind``'s tables coded by a vocabulary, besides its state, to their vocabulary.

    >>> _coded_columns("sites"), _coded_columns("zones")
    ({'health_ledger': 'yes_no'}, {})
    """
    entry = kinds.KINDS.get(kind)
    names = (entry.layer, entry.report) if entry else ()
    return {col.name: col.vocabulary for name in names if name for col in TABLES[name].columns
            if col.vocabulary and col.name != entry.state_column}


def _labelled(frame: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    # Each label is computed once per distinct code: 100,000 rows hold a handful of states.
    out = frame.copy()
    vocabulary = _vocabulary(kind)
    if "previous" in frame and vocabulary:
        out["change"] = _changes(vocabulary, frame["previous"], frame["category"], lang)
    missing = t("legend_missing", lang)
    if "category" in out and vocabulary:
        out["category"] = map_distinct(out["category"], lambda c: state_label(vocabulary, c, lang), missing=missing)
    if "supply_level" in out:
        out["supply_level"] = map_distinct(out["supply_level"], lambda c: state_label("supply_level", c, lang),
                                           missing=missing)
    for column, coded in _coded_columns(kind).items():  # 健康台账, 水质达标: 是/否, not yes/no
        if column in out:
            out[column] = map_distinct(out[column], lambda c, v=coded: vocab.label(v, c, lang) if isinstance(c, str)
                                       else "", missing="")
    if "place_kind" in out:
        out["place_kind"] = map_distinct(out["place_kind"], lambda k: t(f"place_{k}", lang))
    if "short_items" in out:
        out["short_items"] = map_distinct(
            out["short_items"], lambda s: "、".join(vocab.label("item", i, lang) for i in str(s).split(",") if i),
            missing="")
    if "min_days" in out:
        out["min_days"] = pd.to_numeric(out["min_days"], errors="coerce").replace([np.inf, -np.inf], np.nan).round(1)
    return out


def display_table(view: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """The table under the map: chosen columns, labels for codes, headers in ``lang``."""
    wanted = [c for c in table_columns(kind) if c in view.columns or (c == "change" and "previous" in view)]
    out = _labelled(pd.DataFrame(view[[c for c in wanted if c in view.columns] +
                                      (["previous"] if "previous" in view else [])]), kind, lang)
    out = out[wanted]
    out.columns = [header(c, kind, lang) for c in wanted]
    return out.reset_index(drop=True)


#: What an empty value turns into when it is made text somewhere on its way: never shown as such.
_NULL_TEXTS = {"None", "nan", "NaN", "NaT", "<NA>", "null"}


def shown_value(value) -> str:
    """A value as the details panel writes it: '' for nothing, whole numbers without '.0', others to 0.1.

    >>> [shown_value(v) for v in (None, float("nan"), 12.0, 33.333, "None", "金桂花园", True, float("inf"))]
    ['', '', '12', '33.3', '', '金桂花园', 'True', '']
    """
    if value is None or isinstance(value, str) and value.strip() in _NULL_TEXTS:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not np.isfinite(value):
            return ""
        return f"{value:.1f}".rstrip("0").rstrip(".") if float(value) != int(value) else str(int(value))
    if not isinstance(value, str) and pd.isna(value):
        return ""
    return str(value)


def details(row: pd.Series, kind: str, lang: str) -> pd.DataFrame:
    """Every field of one place that has a value, as (field, value) rows, for the details panel: an empty field
    is left out rather than shown as 'None' or 'nan', and numbers are written as people write them."""
    columns = [c for c in table_columns(kind) if c in row.index or (c == "change" and "previous" in row.index)]
    labelled = _labelled(pd.DataFrame([row]), kind, lang).iloc[0][columns]
    pairs = [(header(c, kind, lang), shown_value(v)) for c, v in zip(columns, labelled)]
    pairs = [(field, value) for field, value in pairs if value]
    return pd.DataFrame({t("col_field", lang): [f for f, _ in pairs], t("col_value", lang): [v for _, v in pairs]})


def versions_table(versions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The store's versions (:func:`geo.store.history`) as people read them: headers, tables and actions in
    ``lang``, times local to the minute, blanks for what a version has not (no file, no summary).

    The History page and ``python -m geo history`` show this table.
    """
    return pd.DataFrame({
        t("col_version", lang): versions["id"],
        t("col_table", lang): [TABLES[k].label(lang) for k in versions["kind"]],
        t("col_action", lang): [t(f"action_{a}", lang) for a in versions["action"]],
        t("col_time", lang): [format_time(None if pd.isna(v) else pd.Timestamp(v).to_pydatetime())
                              for v in versions["created_at"]],
        t("col_user", lang): versions["user_name"],
        t("col_file", lang): versions["file_name"].fillna(""),
        t("col_added", lang): versions["rows_added"], t("col_changed", lang): versions["rows_changed"],
        t("col_removed", lang): versions["rows_removed"],
        t("col_summary", lang): [t("sentence_separator", lang).join(line.pick(lang) for line in summary_lines(s))
                                 for s in versions["summary"]],
    })
