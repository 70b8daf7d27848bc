"""Read status tables (CSV) and geometry layers (GeoJSON) into clean frames.

Everything is read as text first, so that ids such as ``0501`` survive; headers
may be the schema's English names or the Chinese/English labels of
:mod:`geo.schema`; status values may be codes or Chinese labels. Rows that
cannot be used are left out and each is reported as a :class:`Problem`
naming the row as a spreadsheet shows it, the column and the fix.

Examples
--------
>>> import io
>>> csv = "小区编号,日期,封闭状态\\n0501,2020/2/25,全封闭\\n0502,2020-02-25,关门\\n"
>>> frame, problems = read_table(io.BytesIO(csv.encode("gb18030")), "compound_status")
>>> frame[["compound_id", "date", "closure"]].values.tolist()
[['0501', '2020-02-25', 'sealed']]
>>> problems[0].row, problems[0].column
(3, '封闭状态')
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import vocab
from geo.schema import TABLES, Table

ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and how to fix it, in both languages."""

    source: str
    row: int | None  # as a spreadsheet shows it (the header is row 1); None: whole file
    column: str | None  # the header as the file has it
    value: str | None
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").strip().lower()


def match_headers(headers: list[str], table: Table) -> dict[str, str]:
    """Map each header of a file to a column name of ``table`` (unknown headers are left out).

    >>> match_headers(["小区编号", " Date ", "whatever"], TABLES["compound_status"])
    {'小区编号': 'compound_id', ' Date ': 'date'}
    """
    known = {}
    for col in table.columns:
        for alias in (col.name, col.zh, col.en):
            known.setdefault(_fold(alias), col.name)
    mapping = {}
    for header in headers:
        name = known.get(_fold(header))
        if name is not None and name not in mapping.values():
            mapping[header] = name
    return mapping


def decode(data: bytes) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM), else as GB18030 (a superset of GBK)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse dates written as 2020-02-25, 2020/2/25 or 2020.2.25 to ISO strings (NaN if not)."""
    text = values.astype("string").str.strip().str.replace(r"[/.年月]", "-", regex=True)
    text = text.str.replace("日", "", regex=False)
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return parsed.dt.strftime("%Y-%m-%d")


def parse_numbers(values: pd.Series) -> pd.Series:
    """Parse numbers with thousands separators or full-width digits (NaN if not a number)."""
    text = values.astype("string").map(
        lambda v: unicodedata.normalize("NFKC", v).replace(",", "").strip() if isinstance(v, str) else v
    )
    return pd.to_numeric(text, errors="coerce")


def _problem(source, row, header, value, zh, en):
    return Problem(source, None if row is None else int(row), header, None if value is None else str(value), zh, en)


def read_table(source, kind: str, name: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a status table from a path, bytes or a binary file object.

    Returns the clean rows (columns named as in :mod:`geo.schema`) and the problems.
    """
    table = TABLES[kind]
    name = name or (Path(source).name if isinstance(source, (str, Path)) else table.file)
    if isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    problems: list[Problem] = []
    try:
        raw = pd.read_csv(io.StringIO(decode(data)), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        problems.append(_problem(name, None, None, None, f"无法读取为表格（CSV）：{exc}。请另存为 CSV 后重试。",
                                 f"Cannot be read as a CSV table: {exc}. Save it as CSV and try again."))
        return pd.DataFrame(columns=table.names), problems
    mapping = match_headers(list(raw.columns), table)
    header_of = {column: header for header, column in mapping.items()}
    missing = [col for col in table.columns if col.required and col.name not in header_of]
    for col in missing:
        problems.append(_problem(name, 1, col.zh, None, f"缺少必填列“{col.zh}”。请按模板在第 1 行加上此列。",
                                 f"Required column '{col.en}' is missing. Add it to row 1 as in the template."))
    if missing:
        return pd.DataFrame(columns=table.names), problems
    frame = raw[list(mapping)].rename(columns=mapping)
    for col in table.columns:
        if col.name not in frame:
            frame[col.name] = pd.NA
    frame = frame[table.names]
    bad = np.zeros(len(frame), dtype=bool)
    rows = np.arange(len(frame)) + 2  # spreadsheet rows: the header is row 1
    for col in table.columns:
        header = header_of.get(col.name, col.zh)
        values = frame[col.name].astype("string").str.strip()
        blank = values.isna() | (values == "")
        if col.required:
            for i in np.flatnonzero(blank.to_numpy()):
                problems.append(_problem(name, rows[i], header, "", f"“{header}”不能为空，请填写。",
                                         f"'{header}' must not be empty."))
            bad |= blank.to_numpy()
        if col.kind == "date":
            parsed = parse_dates(values)
            wrong = (~blank & parsed.isna()).to_numpy()
            for i in np.flatnonzero(wrong):
                problems.append(_problem(name, rows[i], header, values.iloc[i],
                                         "日期无法识别，请写成 2020-02-25 这样的格式。",
                                         "Unrecognised date; write it like 2020-02-25."))
            bad |= wrong
            frame[col.name] = parsed
        elif col.kind in ("int", "float"):
            parsed = parse_numbers(values)
            wrong = (~blank & (parsed.isna() | ~np.isfinite(parsed.fillna(0)) | (parsed < 0))).to_numpy()
            for i in np.flatnonzero(wrong):
                problems.append(_problem(name, rows[i], header, values.iloc[i],
                                         "应为不小于 0 的数字，请改为数字或留空。",
                                         "Expected a number of 0 or more; correct it or leave it empty."))
            bad |= wrong
            frame[col.name] = parsed.round().astype("Int64") if col.kind == "int" else parsed.astype("Float64")
        elif col.vocabulary:
            codes = values.map(lambda v: vocab.to_code(col.vocabulary, v) if isinstance(v, str) else None)
            wrong = (~blank & codes.isna()).to_numpy()
            for i in np.flatnonzero(wrong):
                accepted = vocab.accepted_values(col.vocabulary, "zh")
                problems.append(_problem(name, rows[i], header, values.iloc[i],
                                         f"取值无法识别，应为：{accepted}。",
                                         f"Unrecognised value; expected one of "
                                         f"{vocab.accepted_values(col.vocabulary, 'en')}."))
            bad |= wrong
            frame[col.name] = codes.astype("string")
        else:
            frame[col.name] = values.where(~blank, pd.NA)
    frame = frame.loc[~bad].reset_index(drop=True)
    duplicated = frame.duplicated(list(table.key), keep="last")
    for i in np.flatnonzero(duplicated.to_numpy()):
        key = " / ".join(str(frame.iloc[i][k]) for k in table.key)
        problems.append(_problem(name, None, None, key, f"同一场所同一日期重复出现（{key}），以最后一行为准。",
                                 f"Same place and date twice ({key}); the last row is used."))
    frame = frame.loc[~duplicated].reset_index(drop=True)
    return frame, problems


def read_layer(source, kind: str, name: str | None = None) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read a GeoJSON geometry layer in WGS-84; features without a usable geometry or id are reported."""
    table = TABLES[kind]
    name = name or (Path(source).name if isinstance(source, (str, Path)) else table.file)
    empty = gpd.GeoDataFrame({c: pd.Series(dtype="string") for c in table.names}, geometry=[], crs="EPSG:4326")
    try:
        data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
        collection = json.loads(decode(data) if isinstance(data, bytes) else data)
        features = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return empty, [_problem(name, None, None, None, f"无法读取地图图层：{exc}。请检查文件是否为 GeoJSON。",
                                f"Cannot read the map layer: {exc}. Check that it is GeoJSON.")]
    problems: list[Problem] = []
    records, geometries = [], []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        mapping = match_headers(list(props), table)
        record = {mapping[k]: _as_text(v) for k, v in props.items() if k in mapping}
        try:
            geometry = shapely.from_geojson(json.dumps(feature.get("geometry")))
        except shapely.errors.GEOSException:
            geometry = None
        if geometry is None or geometry.is_empty or not record.get("id"):
            problems.append(_problem(name, number, None, record.get("id"),
                                     f"第 {number} 个要素缺少编号或几何图形，已跳过。",
                                     f"Feature {number} has no id or no geometry; skipped."))
            continue
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        records.append(record)
        geometries.append(geometry)
    frame = pd.DataFrame.from_records(records, columns=table.names)
    for col in table.columns:
        if col.kind == "int":
            frame[col.name] = parse_numbers(frame[col.name]).round().astype("Int64")
        else:
            frame[col.name] = frame[col.name].astype("string").replace("", pd.NA)
    layer = gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")
    duplicated = layer["id"].duplicated(keep="first")
    for key in layer.loc[duplicated, "id"]:
        problems.append(_problem(name, None, "id", key, f"编号 {key} 重复，只保留第一个。",
                                 f"Id {key} appears twice; the first is kept."))
    return layer.loc[~duplicated].reset_index(drop=True), problems


def _as_text(value) -> str | None:
    """Properties can hold numbers, lists or dicts: keep them as text, never as objects."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
