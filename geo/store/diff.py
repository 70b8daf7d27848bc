"""Comparing rows by content: what an upload adds or changes, field by field, and rows as one text each.

Values are compared as text, numbers as their ten significant digits, so that
3 and 3.0, None and NaN, a number and the same number written as text are equal.

Examples
--------
>>> columns = TABLES["compound_status"].names
>>> def row(place, closure):
...     return dict.fromkeys(columns) | {"compound_id": place, "date": "2020-02-25", "closure": closure}
>>> stored = pd.DataFrame([row("C1", "open")]).assign(row_id=1)
>>> delta, fields = diff_rows("compound_status", stored, pd.DataFrame([row("C1", "sealed"), row("C2", "open")]))
>>> delta["_change"].tolist()
['added', 'changed']
>>> fields.loc[fields["change"] == "changed", ["field", "before", "after"]].to_numpy().tolist()
[['closure', 'open', 'sealed']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.domain import TABLES, apply_distinct, t
from geo.store.rows import payload_columns


def joined(frame: pd.DataFrame) -> pd.Series:
    """Each row's values as one text, joined by the unit separator (column-wise: fast at 100,000 rows)."""
    if frame.empty:
        return pd.Series([], dtype="string", index=frame.index)
    columns = [frame[c].astype("string").fillna("") for c in frame.columns]
    out = columns[0]
    for column in columns[1:]:
        out = out + "\x1f" + column
    return out


def key_text(kind: str, frame: pd.DataFrame) -> pd.Series:
    return joined(frame[list(TABLES[kind].key)])


def comparable(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Values as text so that 3 and 3.0, None and NaN compare equal."""
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        # once per distinct value: formatting each of a million numbers took seconds
        out[c] = apply_distinct(frame[c], _comparable_text).astype("string").fillna("")
    return out


def _comparable_text(values: pd.Series) -> pd.Series:
    """Numbers (also numbers written as text) as their 10 significant digits, anything else as its text."""
    numbers = pd.to_numeric(values, errors="coerce")
    as_number = numbers.map(lambda v: f"{v:.10g}", na_action="ignore").astype("string")
    return as_number.where(numbers.notna(), values.astype("string"))


def signatures(kind: str, frame: pd.DataFrame) -> pd.Series:
    """One text per row of everything it holds, for comparing content across copies."""
    return joined(comparable(frame, payload_columns(kind)))


def place_column(kind: str) -> str | None:
    return TABLES[kind].place_name


def diff_rows(kind: str, existing: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare incoming rows with the existing ones by key.

    Returns the incoming rows that are new or differ (with a ``_change`` column,
    'added' or 'changed', and ``_row_id`` of the row they replace), and one row
    per changed field (key, field, before, after) for the history.
    """
    # rows with the same key texts have the same key values: only the other columns can differ
    columns = [c for c in payload_columns(kind) if c not in TABLES[kind].key]
    incoming = incoming.copy()
    incoming["_key"] = key_text(kind, incoming).to_numpy()
    existing = existing.copy()
    existing["_key"] = key_text(kind, existing).to_numpy()
    old = existing.drop_duplicates("_key", keep="last").set_index("_key")
    new = incoming.drop_duplicates("_key", keep="last").set_index("_key")
    common = new.index.intersection(old.index)
    before = comparable(old.loc[common], columns)
    after = comparable(new.loc[common], columns)
    differs = (before != after)
    same_shape = None
    if "geometry" in columns and len(common):
        same_shape = same_shapes(old.loc[common, "geometry"], new.loc[common, "geometry"])
        differs["geometry"] = ~same_shape
    changed_keys = common[differs.any(axis=1).to_numpy()] if len(common) else common
    added_keys = new.index.difference(old.index)
    result = new.loc[added_keys.append(changed_keys)].copy()
    if same_shape is not None and len(changed_keys):  # a shape moved by centimetres stays as stored
        kept = changed_keys[same_shape.reindex(changed_keys).to_numpy(dtype=bool)]
        result.loc[kept, "geometry"] = old.loc[kept, "geometry"]
    result["_change"] = ["added"] * len(added_keys) + ["changed"] * len(changed_keys)
    result["_row_id"] = [None] * len(added_keys) + old.loc[changed_keys, "row_id"].tolist() if "row_id" in old else None
    place = place_column(kind)
    fields = (_changed_fields(differs.loc[changed_keys], before, after, place_texts(new, changed_keys, place))
              if len(changed_keys) else [])
    columns = ["change", "key", "field", "before", "after", "place"]
    added = pd.DataFrame({
        "change": "added", "key": added_keys.str.replace("\x1f", " / ").to_numpy(), "field": None, "before": None,
        "after": None, "place": place_texts(new, added_keys, place),
    }, columns=columns)
    field_frame = pd.concat([pd.DataFrame(fields, columns=columns), added], ignore_index=True) if fields else added
    return result.reset_index(names="_key"), field_frame


#: Degrees within which a shape's every vertex may move and the shape stay the same: about 10 cm. A list
#: picked on Amap is converted to WGS-84 and back a few centimetres off, which is no change of a place.
SAME_SHAPE_DEGREES = 1e-6


def same_shapes(before: pd.Series, after: pd.Series) -> pd.Series:
    """Whether each pair of shapes (shapely's, or WKB as the store reads them) is the same place's shape: equal,
    or the same vertices within :data:`SAME_SHAPE_DEGREES`; both missing is the same, one missing is not.

    >>> from shapely import Point
    >>> same_shapes(pd.Series([Point(114.3, 29.8), Point(114.3, 29.8), None]),
    ...             pd.Series([Point(114.3000003, 29.8).wkb_hex, Point(114.301, 29.8), None])).tolist()
    [True, False, True]
    """
    same = (before.astype("string").fillna("") == after.astype("string").fillna("")).to_numpy(dtype=bool)
    differ = np.flatnonzero(~same)  # only these are read as shapes: a layer sent again is mostly the same text
    old, new = _shapes(before.iloc[differ]), _shapes(after.iloc[differ])
    both = ~pd.isna(old) & ~pd.isna(new)
    same[differ[both]] = shapely.equals_exact(old[both], new[both], tolerance=SAME_SHAPE_DEGREES)
    return pd.Series(same, index=before.index)


def _shapes(values: pd.Series) -> np.ndarray:
    """Shapes as shapely's: WKB (bytes or hex) read, what cannot be read None."""
    shapes = np.asarray(values, dtype=object).copy()
    encoded = np.array([isinstance(v, (str, bytes)) for v in shapes], dtype=bool)
    if encoded.any():
        shapes[encoded] = shapely.from_wkb(shapes[encoded], on_invalid="ignore")
    return shapes


def absent_rows(kind: str, existing: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """The ``existing`` rows whose key ``incoming`` does not have: what replacing a whole layer retires.

    >>> stored = pd.DataFrame({"id": ["Z1", "Z2"], "name": ["一", "二"], "row_id": [1, 2]})
    >>> absent_rows("zones", stored, pd.DataFrame({"id": ["Z2"], "name": ["二"]}))["row_id"].tolist()
    [1]
    """
    return existing.loc[~key_text(kind, existing).isin(set(key_text(kind, incoming))).to_numpy()]


def removal_fields(kind: str, removed: pd.DataFrame) -> pd.DataFrame:
    """One history line per retired row: its key as shown and its place's name, as :func:`diff_rows` writes them.

    >>> stored = pd.DataFrame({"id": ["Z1"], "name": ["温泉街道第一片区"]})
    >>> removal_fields("zones", stored)[["change", "key", "place"]].to_numpy().tolist()
    [['removed', 'Z1', '温泉街道第一片区']]
    """
    keys = key_text(kind, removed).str.replace("\x1f", " / ", regex=False)
    places = place_texts(removed, removed.index, place_column(kind))
    return pd.DataFrame({"change": "removed", "key": keys.to_numpy(dtype=object), "field": None, "before": None,
                         "after": None, "place": places},
                        columns=["change", "key", "field", "before", "after", "place"])


def place_texts(new: pd.DataFrame, keys: pd.Index, place: str | None) -> list:
    """The place name of each key's row as text (None for a table without names)."""
    return [None] * len(keys) if place is None else [_text(v) for v in new.loc[keys, place].to_numpy(dtype=object)]


def _changed_fields(differs: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame, places: list) -> list[dict]:
    """One record per field that differs, row by row: its text before and after (a shape's is not shown).

    ``differs`` has a row per changed key; the values are picked by position (a lookup per field by
    key and name took seconds for a day of corrections).
    """
    keys = differs.index
    rows, columns = np.nonzero(differs.to_numpy(dtype=bool))
    before_text = before.loc[keys, differs.columns].to_numpy(dtype=object)
    after_text = after.loc[keys, differs.columns].to_numpy(dtype=object)
    shown = keys.str.replace("\x1f", " / ").tolist()
    fields = []
    for row, column in zip(rows.tolist(), columns.tolist()):
        field = differs.columns[column]
        # a shape's change is stored as words, in Chinese (as the change log always has been)
        b, a = ((t("version_old_shape", "zh"), t("version_new_shape", "zh")) if field == "geometry"
                else (before_text[row, column], after_text[row, column]))
        fields.append({"change": "changed", "key": shown[row], "field": field, "before": b, "after": a,
                       "place": places[row]})
    return fields


def _text(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def keep_absent_columns(kind: str, incoming: pd.DataFrame, existing: pd.DataFrame, present: list[str]) -> pd.DataFrame:
    """A file without a column keeps the stored values of that column (a partial update), row by row.

    >>> old = pd.DataFrame({"site_id": ["S1"], "date": ["2020-02-25"], "resumption": ["applied"],
    ...                     "workers_total": [200]})
    >>> new = pd.DataFrame({"site_id": ["S1"], "date": ["2020-02-25"], "resumption": ["resumed"],
    ...                     "workers_total": [None]})
    >>> keep_absent_columns("site_status", new, old, ["site_id", "date", "resumption"])["workers_total"].tolist()
    [200]
    """
    absent = [c for c in TABLES[kind].names if c not in present and c in existing.columns]
    if not absent or existing.empty or incoming.empty:
        return incoming
    keys = list(TABLES[kind].key)
    old = existing.drop_duplicates(keys, keep="last").set_index(keys)[absent]
    filled = incoming.copy()
    index = pd.MultiIndex.from_frame(filled[keys].astype(str)) if len(keys) > 1 else filled[keys[0]].astype(str)
    old.index = (pd.MultiIndex.from_frame(old.index.to_frame().astype(str)) if len(keys) > 1
                 else old.index.astype(str))
    for column in absent:
        stored = old[column].reindex(index).to_numpy()
        known = pd.notna(stored)
        values = np.array(filled[column].astype(object).to_numpy(), dtype=object)
        values[known] = stored[known]
        filled[column] = pd.array(values, dtype=filled[column].dtype) if known.any() else filled[column]
    return filled
