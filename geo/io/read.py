"""Read status tables (CSV) and geometry layers (GeoJSON) into clean frames.

Everything is read as text first, so that ids such as ``0501`` survive; headers
may be the schema's English names or the Chinese/English labels of
:mod:`geo.domain.schema`; status values may be codes or Chinese labels. Rows that
cannot be used are left out and each is reported as a :class:`Problem`
naming the row as a spreadsheet shows it, the column and the fix.

Examples
--------
>>> import io
>>> csv = "小区编号,日期,封闭状态\\n0501,2020/2/25,全封闭\\n0502,2020-02-25,关门\\n"
>>> reading = read_table(io.BytesIO(csv.encode("gb18030")), "compound_status")
>>> reading.frame[["compound_id", "date", "closure"]].values.tolist()
[['0501', '2020-02-25', 'sealed']]
>>> reading.problems[0].row, reading.problems[0].column
(3, '封闭状态')
"""

from __future__ import annotations

import datetime
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell.cell import ERROR_CODES

from geo.domain import TABLES, Problem, Table, Text, apply_distinct, listing, map_distinct, t, vocab
from geo.io.export import unneutralise
from geo.io.shapes import Shape, feature_shape, shape_notices, skipped_reasons
from geo.io.validate import validate

ENCODINGS = ("utf-8-sig", "gb18030")
MAX_ROWS = 500_000  # more rows than a city reports in months: refused before anything is parsed (a setting)
MAX_XML_BYTES = 400_000_000  # uncompressed worksheet XML beyond this is a zip bomb, not a report
MAX_CELL_CHARS = 2000  # longer than any name, address or note; a runaway cell is reported, not stored


BIDI_CONTROLS = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # marks, embeddings, overrides, isolates


def without_bidi(values: pd.Series) -> pd.Series:
    """Text without bidirectional controls: a right-to-left override (U+202E) shows a name reversed, and
    a Chinese name, address or note never needs one.

    >>> without_bidi(pd.Series(["金桂\u202e园花", "a\u2066b\u2069", None], dtype="string")).tolist()
    ['金桂园花', 'ab', <NA>]
    """
    return values.astype("string").str.replace(BIDI_CONTROLS, "", regex=True)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").strip().lower()


#: Headers of a report's district column (folded as headers are): a place's name is looked up within its district.
DISTRICT_HEADERS = frozenset(_fold(h) for h in ("区县", "所属区县", "所在区县", "县区", "区", "县", "县市区", "行政区",
                                                 "district", "county"))


def match_headers(headers: list[str], table: Table) -> dict[str, str]:
    """Map each header of a file to a column name of ``table`` (unknown headers are left out).

    Names and labels win over aliases, so '小区名称' is the name column even though
    '名称' is also an alias of it. Spaces and full-width characters are ignored.

    >>> match_headers(["小区编号", " Date ", "whatever"], TABLES["compound_status"])
    {'小区编号': 'compound_id', ' Date ': 'date'}
    >>> match_headers(["编号", "小区", "日期", "状态"], TABLES["compound_status"])
    {'编号': 'compound_id', '小区': 'compound_name', '日期': 'date', '状态': 'closure'}
    """
    known: dict[str, str] = {}
    for primary in (True, False):
        for col in table.columns:
            for alias in ((col.name, col.zh, col.en) if primary else col.aliases):
                known.setdefault(_fold(alias), col.name)
    mapping: dict[str, str] = {}
    for header in headers:
        name = known.get(_fold(header))
        if name is not None and name not in mapping.values():
            mapping[header] = name
    return mapping


def decode(data: bytes) -> str:
    r"""Decode CSV bytes as UTF-8 (with or without BOM), else as GB18030 (a superset of GBK).

    A byte-order mark anywhere else (left by pasting two files together) is dropped.

    >>> decode("a,\ufeffb".encode("utf-8"))
    'a,b'
    """
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding).replace("\ufeff", "")
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace").replace("\ufeff", "")


_CJK = re.compile("[\u4e00-\u9fff]")


def mixed_encoding_line(data: bytes) -> int | None:
    r"""The first line that is not UTF-8 in a file whose other non-ASCII lines are (None: one encoding).

    Pasting a GBK export under a UTF-8 one gives such a file; decoding it either way garbles
    half of it, so it is refused rather than guessed.

    >>> mixed_encoding_line("名称\n".encode("utf-8") + "名称\n".encode("gbk"))
    2
    >>> mixed_encoding_line("名称\n名称\n".encode("gbk")) is None
    True
    """
    try:
        data.decode("utf-8")
        return None  # every line is UTF-8 (a line end never splits a UTF-8 character): no need to look at each
    except UnicodeDecodeError:
        pass
    utf8, other = False, None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            # GBK text can pass as UTF-8 by chance, but then as Latin letters, not as Chinese
            text = line.decode("utf-8")
            utf8 = utf8 or bool(_CJK.search(text))
        except UnicodeDecodeError:
            other = other or number
        if utf8 and other:
            return other
    return None


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FULL_DATE = re.compile(r"^(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")


def parse_dates(values: pd.Series, year: int | None = None) -> pd.Series:
    """Parse dates as Excel and people write them to ISO strings (NA when not a date).

    Accepted: 2020-02-25, 2020/2/25, 2020.2.25, 2020年2月25日, 2020-02-25 00:00:00,
    Excel serial numbers (43886), and 2月25日 or 2/25, whose year is ``year``, else the
    most common year of the column's full dates.

    >>> parse_dates(pd.Series(["2020/2/25", "2月24日", "43884", "2020年2月1日", "昨天"])).tolist()
    ['2020-02-25', '2020-02-24', '2020-02-23', '2020-02-01', <NA>]
    """
    text = map_distinct(values.astype("string"), lambda v: unicodedata.normalize("NFKC", v).strip()).astype("string")
    if year is None:
        years = pd.to_numeric(text.str.extract(_FULL_DATE)[0], errors="coerce").dropna()
        year = int(years.mode().iloc[0]) if len(years) else pd.Timestamp.now().year
    return apply_distinct(text, partial(_dates, year=year))


def _dates(text: pd.Series, year: int) -> pd.Series:
    """:func:`parse_dates` of distinct texts, ``year`` known."""
    full = text.str.extract(_FULL_DATE)
    month_day = text.str.extract(_MONTH_DAY)
    serial = pd.to_numeric(text, errors="coerce")
    serial = serial.where((serial >= 20000) & (serial <= 80000) & (serial == serial.round()))
    y = pd.to_numeric(full[0], errors="coerce").fillna(year).astype(float)
    m = pd.to_numeric(full[1].fillna(month_day[0]), errors="coerce").astype(float)
    d = pd.to_numeric(full[2].fillna(month_day[1]), errors="coerce").astype(float)
    known = m.notna() & d.notna()
    text_dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if known.any():
        parts = pd.DataFrame({"year": y[known], "month": m[known], "day": d[known]}).astype(int)
        text_dates[known] = pd.to_datetime(parts, errors="coerce")
    from_serial = _EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")
    result = text_dates.fillna(from_serial)
    return result.dt.strftime("%Y-%m-%d").astype("string")


def parse_numbers(values: pd.Series) -> pd.Series:
    """Parse numbers with thousands separators or full-width digits (NaN if not a number).

    >>> parse_numbers(pd.Series(["1,200", "３４", "", "x", "inf"])).tolist()
    [1200.0, 34.0, nan, nan, nan]
    """
    return apply_distinct(values.astype("string"), _numbers).astype(float)


def _numbers(text: pd.Series) -> pd.Series:
    """:func:`parse_numbers` of distinct texts."""
    text = pd.Series([unicodedata.normalize("NFKC", v).replace(",", "").strip() for v in text], dtype="string")
    numbers = pd.to_numeric(text, errors="coerce").astype(float)
    return numbers.where(np.isfinite(numbers))  # 'inf' is not a count of anything


GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection")


def geojson_features(document) -> list | None:
    """The features of a GeoJSON document as exported in the wild: a FeatureCollection, one that holds others
    (a collection nested in its ``features``), a single Feature or bare geometry, or a JSON array of features;
    None for anything else.

    >>> point = {"type": "Point", "coordinates": [114.3, 29.8]}
    >>> len(geojson_features({"type": "Feature", "properties": {"name": "甲"}, "geometry": point}))
    1
    >>> nested = {"type": "FeatureCollection", "features": [{"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "geometry": point}, {"type": "Feature", "geometry": point}]}]}
    >>> len(geojson_features(nested)), geojson_features({"rows": []})
    (2, None)
    """
    if isinstance(document, list):  # every item a feature, a collection or a geometry, or it is no layer
        parts = [geojson_features(part) for part in document]
        return None if not parts or any(part is None for part in parts) else [f for part in parts for f in part]
    if not isinstance(document, dict):
        return None
    if document.get("type") == "Feature":
        return [document]
    if document.get("type") in GEOMETRY_TYPES:
        return [{"type": "Feature", "properties": {}, "geometry": document}]
    features = document.get("features")
    if not isinstance(features, list):
        return None
    return [item for part in features
            for item in (geojson_features(part) if isinstance(part, dict) and part.get("type") == "FeatureCollection"
                         else [part])]


def rows_wider_than_headers(headers: list[str], body: pd.DataFrame, name: str) -> list[Problem]:
    """Rows with a value right of the last header: their cells have likely slid along (an unquoted "1,200" in a
    CSV is two cells), so every value after the comma sits under the wrong header. One problem per row.

    >>> body = pd.DataFrame([["甲", "300", None], ["乙", "1", "200"]], index=[2, 3])
    >>> [(p.row, p.value) for p in rows_wider_than_headers(["名称", "户数", ""], body, "a.csv")]
    [(3, '200')]
    """
    named = [i for i, h in enumerate(headers) if h]
    if not named or named[-1] + 1 >= body.shape[1]:
        return []
    beyond = body.iloc[:, named[-1] + 1:]
    wide = beyond.notna().any(axis=1).to_numpy()
    return [Problem.of(name, int(row), None, str(beyond.loc[row].dropna().iloc[0]), "read_row_too_wide",
                       extra=int(beyond.loc[row].notna().sum()))
            for row in body.index[wide]]


def layer_counts(values: pd.Series, header: str, name: str, rows=None) -> tuple[pd.Series, list[Problem]]:
    """A layer's column of whole numbers (households), parsed; a value that is not one, or is negative, is a
    problem naming its row (``rows``: the row or feature number of each value, else the index) and column.

    >>> counts, problems = layer_counts(pd.Series(["320", "320户", "-5", None]), "户数", "a.csv", [2, 3, 4, 5])
    >>> counts.tolist(), [(p.row, p.value) for p in problems]
    ([320, <NA>, <NA>, <NA>], [(3, '320户'), (4, '-5')])
    """
    parsed = parse_numbers(values)
    text = values.astype("string").str.strip()
    unreadable = (text.notna() & (text != "") & (parsed.isna() | (parsed != parsed.round()))).to_numpy()
    negative = (parsed < 0).to_numpy()
    rows = list(values.index if rows is None else rows)
    problems = [Problem.of(name, rows[i], header, values.iloc[i], "read_not_understood", value=values.iloc[i],
                           expected=t("read_expected_int")) for i in np.flatnonzero(unreadable)]
    problems += [Problem.of(name, rows[i], header, values.iloc[i], "rule_not_negative", header=header,
                            value=values.iloc[i]) for i in np.flatnonzero(negative)]
    counts = parsed.where(~unreadable & ~negative).round()
    # a count beyond what a whole number holds (9.2e18 households) is no count: it would not even convert
    return counts.where(counts.abs() < 2 ** 53).astype("Int64"), problems


def _problem(source, row, header, value, text: Text) -> Problem:
    return Problem(source, None if row is None else int(row), header, None if value is None else str(value), text)


TOTALS = re.compile(r"^(合\s*计|总\s*计|小\s*计|total|sum)\b", re.IGNORECASE)


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"


def _control_share(data: bytes) -> float:
    """Share of control characters (other than tab and line ends): text has none, images plenty."""
    return (len(data) - len(data.translate(None, _CONTROL))) / max(len(data), 1)


class TooLarge(ValueError):
    """A file that would take too long or too much memory to read: refused before parsing."""


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")  # <row r="1">, <row>, <x:row …>; not <rowBreaks>


def count_rows(data: bytes, limit: int = MAX_ROWS) -> int:
    r"""Rows of the biggest sheet of an .xlsx, counted in its XML without parsing (0 for a CSV); stops past ``limit``.

    A quick first look before parsing: an .xlsx is a zip, whose sheets' uncompressed size is read
    from the zip directory (a zip bomb is never inflated) and whose row tags are counted while
    streaming, however the writer spells them (``<row r="1">``, ``<row>``, ``<x:row>``). The
    parser counts again as it reads (:func:`raw_rows`).

    >>> count_rows(b"a,b\n1,2\n3,4\n")
    0
    """
    if not is_xlsx(data):
        return 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
        if sum(i.file_size for i in archive.infolist()) > MAX_XML_BYTES:
            raise TooLarge(t("read_zip_bomb").both("/ "))
        most = 0
        for info in sheets:
            with archive.open(info) as stream:
                rows = _count_row_tags(stream, limit)
            if rows > limit:
                return rows
            most = max(most, rows)
        return most


def _count_row_tags(stream, limit: int) -> int:
    r"""Row start tags in an XML stream read 1 MiB at a time; a tag cut by a chunk's end is counted once.

    >>> _count_row_tags(io.BytesIO(b'<x:sheetData><x:row r="1"/><x:row><c/></x:row><rowBreaks/><row>'), 10)
    3
    """
    rows, carry = 0, b""
    while chunk := stream.read(1 << 20):
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut == -1 or len(buffer) - cut > 256:  # no tag start near the end: nothing to carry over
            cut = len(buffer)
        rows += len(_ROW_TAG.findall(buffer, 0, cut))
        carry = buffer[cut:]
        if rows > limit:
            return rows
    return rows + len(_ROW_TAG.findall(carry + b" "))


def raw_rows(data: bytes, sheet: str | int | None, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Every cell as text (or NA), no header, from CSV or .xlsx bytes; :class:`TooLarge` past ``limit`` rows.

    Rows are counted as the parser yields them, whatever the line ends (``\\r``, ``\\r\\n``,
    ``\\n``) or however the spreadsheet's writer spells its rows, and reading stops at the first
    row past the limit: nothing beyond it is parsed or kept.
    """
    if not is_xlsx(data) and (b"\x00" in data or _control_share(data[:65536]) > 0.01):
        raise ValueError(t("read_binary").both("/ "))
    if not is_xlsx(data) and (line := mixed_encoding_line(data)):
        raise ValueError(t("read_mixed_encoding", line=line).both("/ "))
    too_many = TooLarge(t("read_too_many_rows", rows=limit).both())
    if count_rows(data, limit) > limit:
        raise too_many
    if is_xlsx(data):
        return _sheet_rows(data, sheet, limit, too_many)
    text = decode(data)
    # as many columns as the widest line: a title row of one cell above the headers ("咸安区小区日报表") would
    # otherwise fix the width at one, and the next line "expected 1 fields, saw 4" (a quoted comma only widens)
    width = max((line.count(",") for line in text.splitlines()), default=0) + 1
    raw = pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=str, keep_default_na=False,
                      skip_blank_lines=False, skipinitialspace=True, nrows=limit + 1).replace("", pd.NA)
    if len(raw) > limit:
        raise too_many
    used = np.flatnonzero(raw.notna().any(axis=0).to_numpy())
    return raw.iloc[:, : used[-1] + 1] if len(used) else raw  # the widening's empty columns at the right go


def _sheet_rows(data: bytes, sheet: str | int | None, limit: int, too_many: TooLarge) -> pd.DataFrame:
    """The cells of one sheet of an .xlsx as text, read row by row (openpyxl's streaming reader).

    The sheet's declared size is ignored (writers get it wrong); trailing empty rows and cells
    are dropped, as Excel shows them; a row with a value past ``limit`` stops the reading.
    """
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        sheets = book.worksheets
        chosen = sheets[sheet or 0] if isinstance(sheet, int) or sheet in (None, "") else book[sheet]
        chosen.reset_dimensions()
        rows: list[list] = []
        pending = 0  # empty rows not kept yet: they count only when a row with a value follows
        for cells in chosen.iter_rows(values_only=True):
            values = [None if value in ERROR_CODES else value for value in cells]  # #N/A and the like: blank
            while values and (values[-1] is None or values[-1] == ""):
                values.pop()
            if not values:
                pending += 1
                continue
            if len(rows) + pending + 1 > limit:
                raise too_many
            rows += [[]] * pending + [values]
            pending = 0
    finally:
        book.close()
    width = max((len(row) for row in rows), default=0)
    frame = pd.DataFrame([row + [None] * (width - len(row)) for row in rows], dtype=object)
    # Excel keeps numbers as numbers: 0501 typed as text stays text, 1200.0 becomes '1200'
    return frame.map(_cell_text)


def _cell_text(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return pd.NA
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
        return f"{value:.15G}"  # digits beyond Excel's 15 are lost: shown as Excel shows it, e.g. 1.01E+17
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (pd.Timestamp, datetime.datetime, datetime.date)):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return text if text.strip() else pd.NA


def _header_row(raw: pd.DataFrame, table: Table, scan: int = 10) -> int:
    """The row holding the headers: the first of the top rows that names two or more columns
    (a title row such as '咸安区小区日报表' above the headers is common in Excel exports)."""
    for i in range(min(scan, len(raw))):
        cells = [str(v) for v in raw.iloc[i].tolist() if isinstance(v, str)]
        if len(match_headers(cells, table)) >= 2:
            return i
    return 0


@dataclass
class Reading:
    """What reading a table gave: the clean rows, the problems, and notices (things set aside)."""

    frame: pd.DataFrame
    problems: list[Problem]
    notices: list[Text]
    headers: dict[str, str]  # column name -> the header as the file has it
    districts: pd.Series | None = None  # a 区县 column of a report that has one, by row: where a name is looked up


def read_table(source, kind: str, name: str | None = None, sheet: str | int | None = None,
               year: int | None = None, keep_bad_rows: bool = False, max_rows: int = MAX_ROWS) -> Reading:
    """Read a status table (CSV in any common encoding, or .xlsx) from a path, bytes or a file object.

    A file of more than ``max_rows`` rows is refused before it is parsed (the setting ``upload_max_rows``).

    Rows with problems are left out of ``frame`` (the dashboard shows the rest); an
    upload refuses the file when there is any problem at all.
    """
    table = TABLES[kind]
    name = name or (Path(source).name if isinstance(source, (str, Path)) else table.file)
    data = as_bytes(source)
    empty = pd.DataFrame(columns=table.names)
    try:
        raw = raw_rows(data, sheet, max_rows)
    except TooLarge as exc:
        return Reading(empty, [Problem(name, None, None, None, t("read_too_large", detail=short(exc)),
                                       fatal=True)], [], {})
    except Exception as exc:  # a broken file of any kind is a message, never a traceback
        return Reading(empty, [Problem(name, None, None, None, t("read_unreadable_table", detail=short(exc)),
                                       fatal=True)], [], {})
    if raw.empty:
        return Reading(empty, [_problem(name, None, None, None, t("read_empty"))], [], {})
    top = _header_row(raw, table)
    headers = [str(h).strip() if isinstance(h, str) else "" for h in raw.iloc[top].tolist()]
    body = raw.iloc[top + 1:].copy()
    body.columns = range(len(headers))
    body.index = np.arange(top + 2, top + 2 + len(body))  # spreadsheet row numbers
    notices: list[Text] = []
    if top:
        notices.append(t("read_title_rows", row=top + 1))
    blank = body.isna().all(axis=1)
    totals = totals_rows(body)
    if blank.any():
        notices.append(t("read_blank_rows", count=int(blank.sum())))
    for row in body.index[totals]:
        notices.append(t("read_totals_row", row=row))
    body = body.loc[~blank & ~totals]
    wide = rows_wider_than_headers(headers, body, name)
    mapping = match_headers([h for h in headers if h], table)
    position = {col: headers.index(header) for header, col in mapping.items()}
    header_of = {col: header for header, col in mapping.items()}
    key, place_name = table.key[0], table.place_name
    if not table.geometry and key not in position and place_name in position and place_name != key:
        # a report that names its places only by name: the names stand for the ids, and the check finds
        # the place each names (geo.upload.check.ids_by_name)
        position[key], header_of[key] = position[place_name], header_of[place_name]
        notices.append(t("read_places_by_name", header=header_of[place_name]))
    missing = [col for col in table.columns if col.required and col.name not in position]
    problems = [_problem(name, top + 1, col.zh, None,
                         t("read_missing_column", column=col.text, aliases=listing(col.aliases[:3]).zh or col.en))
                for col in missing]
    if missing:
        return Reading(empty, problems, notices, header_of)
    unknown = [h for h in headers if h and h not in mapping]
    district = next((h for h in unknown if _fold(h) in DISTRICT_HEADERS), None)
    districts = None
    if district is not None and not table.geometry:  # read, not unknown: a place's name is unique in its district
        unknown.remove(district)
        districts = body[headers.index(district)].astype("string").str.strip().rename("district")
    if unknown:
        notices.append(t("read_unknown_columns", columns=listing(unknown[:8])))
    frame = pd.DataFrame({col.name: body[position[col.name]] if col.name in position else pd.NA
                          for col in table.columns}, index=body.index)
    frame, filled_notices = _fill_from_names(frame, table)
    notices += filled_notices
    before_parsing = frame
    frame, parse_problems = _parse_columns(frame, table, header_of, name, year)
    notices += words_read(table, header_of, before_parsing, frame)
    problems += wide + parse_problems
    # a cell that could not be read is reported once, not again as "empty" by the rules
    unreadable = {(p.row, p.column) for p in parse_problems}
    problems += [p for p in validate(frame, kind, header_of, name) if (p.row, p.column) not in unreadable
                 and not _apart_by_district(p, frame, table, districts)]
    if not keep_bad_rows:
        bad_rows = {p.row for p in problems if p.row is not None and p.key != "rule_multiple_fields_uniqueness"}
        frame = frame.loc[~frame.index.isin(bad_rows)]
        # same place and date twice: keep the last and say so (an upload refuses it instead)
        duplicated = frame.duplicated(list(table.key), keep="last")
        frame = frame.loc[~duplicated]
    return Reading(frame, problems, notices, header_of, districts)


def _apart_by_district(problem: Problem, frame: pd.DataFrame, table: Table, districts: pd.Series | None) -> bool:
    """A row repeating another's place and date only by name, in another district: two places of one name, which
    the check tells apart by their districts (and refuses if they are one place after all)."""
    if districts is None or problem.key != "rule_multiple_fields_uniqueness" or problem.row not in frame.index:
        return False
    keys = [*table.key, "_district"]
    rows = frame[list(table.key)].astype("string").assign(_district=districts.reindex(frame.index).fillna(""))
    return not rows.duplicated(keys, keep=False).at[problem.row]


def short(exc: Exception) -> str:
    """The first line of an exception's text, at most 200 characters: a detail inside a message."""
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def as_bytes(source) -> bytes:
    """The bytes of a path, a bytes object or an open file."""
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    return source.read()


def _blank(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().fillna("") == ""


def _fill_from_names(frame: pd.DataFrame, table: Table) -> tuple[pd.DataFrame, list[Text]]:
    """A daily report as a clerk fills a prefilled list: a row with only its place (and date, item) and nothing
    reported is left out and said, as not reported yet; a row with a name and no id is found by its name.

    >>> rows = pd.DataFrame({"site_id": ["S1", None, "S3"], "site_name": ["甲", "乙", "丙"],
    ...                      "date": ["2020-02-25"] * 3, "resumption": ["复工", "复工", None],
    ...                      "workers_total": [None] * 3, "workers_returned": [None] * 3,
    ...                      "health_ledger": [None] * 3, "note": [None] * 3}, index=[2, 3, 4])
    >>> frame, said = _fill_from_names(rows, TABLES["site_status"])
    >>> frame["site_id"].tolist(), len(said)
    (['S1', '乙'], 2)
    """
    key, place_name = table.key[0], table.place_name
    notices = []
    reported = [c for c in table.names if c not in (*table.key, place_name)]
    empty = pd.concat([_blank(frame[c]) for c in reported], axis=1).all(axis=1) if reported else None
    if empty is not None and empty.any() and not empty.all():
        rows = [str(r) for r in frame.index[empty]]
        notices.append(t("read_rows_not_filled", count=len(rows), rows=listing(rows[:10] + (["…"] if len(rows) > 10
                                                                                           else []))))
        frame = frame.loc[~empty]
    if place_name and place_name != key and not table.geometry:
        by_name = _blank(frame[key]) & ~_blank(frame[place_name])
        if by_name.any() and not by_name.all():  # a column of names alone is said by read_places_by_name
            frame = frame.copy()
            frame.loc[by_name, key] = frame.loc[by_name, place_name]
            notices.append(t("read_ids_by_name", count=int(by_name.sum())))
    return frame, notices


def words_read(table: Table, header_of: dict[str, str], raw: pd.DataFrame, parsed: pd.DataFrame) -> list[Text]:
    """Per coded column, the words that are not a state's own name but were read as one ("封控" → 全封闭),
    with how many rows wrote each: the preview says them, so a clerk sees how the file was understood.

    >>> raw = pd.DataFrame({"closure": ["封控", "全封闭", "封控", "开放"]})
    >>> parsed = pd.DataFrame({"closure": ["sealed", "sealed", "sealed", "open"]})
    >>> [n.zh for n in words_read(TABLES["compound_status"], {}, raw, parsed)]
    ['“封闭状态”列按以下写法识别：“封控”→全封闭（2 行）、“开放”→未封闭（1 行）。']
    """
    notices = []
    for col in table.columns:
        if not col.vocabulary or col.name not in raw or col.name not in parsed:
            continue
        written = raw[col.name].astype("string").str.strip()
        codes = parsed[col.name].astype("string")
        own = {code: {code, vocab.label(col.vocabulary, code, "zh"), vocab.label(col.vocabulary, code, "en")}
               for code in vocab.codes(col.vocabulary)}
        # each way of writing counted once, then looked at: not row by row (a million rows' import)
        counts = pd.DataFrame({"word": written, "code": codes}).value_counts(sort=True)  # blank words left out
        other = [(word, code, n) for (word, code), n in counts.items() if word not in own.get(code, ())]
        if not other:
            continue
        words = listing([t("read_word_as", word=word, state=vocab.term(col.vocabulary, code).text, count=int(n))
                         for word, code, n in other[:8]])
        notices.append(t("read_words_read", column=header_of.get(col.name, col.zh), words=words))
    return notices


def _parse_columns(frame: pd.DataFrame, table: Table, header_of: dict[str, str], name: str,
                   year: int | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn text into typed columns; a value that cannot be read is a problem naming row and column."""
    problems: list[Problem] = []
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        header = header_of.get(col.name, col.zh)
        values = frame[col.name].astype("string").str.strip()
        blank = (values.isna() | (values == "")).to_numpy()
        if col.kind == "date":
            parsed = parse_dates(values, year)
            expected = t("read_expected_date")
        elif col.kind in ("int", "float"):
            parsed = parse_numbers(values)
            if col.kind == "int":
                whole = parsed.isna() | (parsed == parsed.round())
                parsed = parsed.where(whole, np.nan)
            expected = t(f"read_expected_{col.kind}")
        elif col.vocabulary:
            parsed = map_distinct(values.astype("string"), lambda v: vocab.to_code(col.vocabulary, v)).astype("string")
            expected = vocab.accepted(col.vocabulary)
        else:
            values = without_bidi(values)
            out[col.name] = unneutralise(values.where(~blank, pd.NA))
            problems += _text_problems(values, col, header, name, is_key=col.name in table.key)
            continue
        unreadable = ~blank & pd.isna(parsed).to_numpy()
        for row in frame.index[unreadable]:
            problems.append(Problem.of(name, row, header, frame.at[row, col.name], "read_not_understood",
                                       value=frame.at[row, col.name], expected=expected))
        if col.kind == "int":
            parsed = parsed.round().astype("Int64")
        elif col.kind == "float":
            parsed = parsed.astype("Float64")
        out[col.name] = parsed
    return out, problems


_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


def totals_rows(body: pd.DataFrame) -> pd.Series:
    """The rows of a spreadsheet's ``body`` that are its sums, not a place's: 合计, 总计, 小计, Total or Sum in one of
    their first three cells.

    >>> totals_rows(pd.DataFrame({"a": ["0501", "合计", "小计小区", None], "b": ["金桂", None, "1", None]})).tolist()
    [False, True, False, False]
    """
    totals = pd.Series(False, index=body.index)
    for position in range(min(3, body.shape[1])):
        cells = body.iloc[:, position].astype("string").fillna("").str.strip()
        totals |= _matching(cells, TOTALS, r"^(?:合|总|小|total|sum)")
    return totals & ~body.isna().all(axis=1)


def _matching(values: pd.Series, pattern: re.Pattern, could: str) -> pd.Series:
    """``values.str.match(pattern)`` (False where missing), Python's ``re`` run only on the values that ``could``,
    a looser regular expression pyarrow runs over the whole column (case aside), lets through: run on every
    value, the totals' and the ids' patterns took 1.5 s of a million rows' check.

    >>> _matching(pd.Series(["合计", "0501", None, "Total:"], dtype="string"), TOTALS, r"^(?:合|total)").tolist()
    [True, False, False, True]
    """
    values = values.astype("string")
    maybe = values.str.contains(could, case=False, regex=True).fillna(False).astype(bool)
    found = pd.Series(False, index=values.index)
    if maybe.any():
        found[maybe] = values[maybe].str.match(pattern).fillna(False).astype(bool)
    return found


def _text_problems(values: pd.Series, col, header: str, name: str, is_key: bool) -> list[Problem]:
    """Runaway cells, and ids that Excel turned into numbers in scientific notation (digits lost)."""
    problems = []
    lengths = values.str.len()
    for row in values.index[(lengths > MAX_CELL_CHARS).fillna(False).to_numpy()]:
        problems.append(_problem(name, row, header, values[row][:40] + "…",
                                 t("read_too_long", length=lengths[row], limit=MAX_CELL_CHARS)))
    if is_key:
        for row in values.index[_matching(values, _SCIENTIFIC, "[eE]").to_numpy()]:
            problems.append(_problem(name, row, header, values[row], t("read_scientific_id", value=values[row])))
    return problems


#: Properties that identify a feature in files exported from elsewhere (OpenStreetMap, Overpass, DataV, ArcGIS,
#: Excel lists), in the order they are tried when a feature has no id of the schema. The GeoJSON Feature's own
#: ``id`` comes before all of them.
FEATURE_ID_FIELDS = ("osm_id", "@id", "adcode", "编号", "序号", "OBJECTID", "FID")
_ID_FIELDS = {_fold(field): rank for rank, field in enumerate(FEATURE_ID_FIELDS)}


def _own_id_field(names: tuple[str, ...]) -> str | None:
    """The property of ``names`` that is the file's own identifier (None: it has none).

    >>> _own_id_field(("name", "FID", "osm_id"))
    'osm_id'
    """
    known = [(_ID_FIELDS[_fold(n)], n) for n in names if _fold(n) in _ID_FIELDS]
    return min(known)[1] if known else None


def read_layer(source, kind: str, name: str | None = None, without_ids: bool = False,
               max_rows: int = MAX_ROWS) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read a GeoJSON geometry layer in WGS-84; features without a usable geometry or id are reported.

    A feature without the schema's id takes the file's own: the Feature's ``id``, else one of
    :data:`FEATURE_ID_FIELDS`. When no feature has any and ``without_ids``, the features are kept with a
    blank id (``attrs["ids_missing"]``) for the caller to make theirs (:func:`geo.io.points.make_layer_ids`);
    some features with an id and others without is a problem naming those without.
    A shape that can be repaired keeping its area is (``attrs["repaired"]``);
    one that cannot be drawn is left out (``attrs["skipped"]``); ``attrs["notices"]`` says both, and
    where the ids came from. Those are notices, not problems: the rest of the file can be imported.

    >>> osm = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "id": "way/123", "properties": {"name": "炜赋花苑"},
    ...      "geometry": {"type": "Polygon", "coordinates": [[[120.91, 31.96], [120.92, 31.96], [120.92, 31.97]]]}},
    ...     {"type": "Feature", "id": "way/124", "properties": {"name": " "},
    ...      "geometry": {"type": "Polygon", "coordinates": [[[120.90, 31.96], [120.91, 31.97], [120.90, 31.96]]]}}]}
    >>> layer, problems = read_layer(json.dumps(osm).encode(), "compounds")
    >>> layer["id"].tolist(), problems
    (['way/123'], [])
    >>> for notice in layer.attrs["notices"]:
    ...     print(notice.zh)
    1 个要素没有“小区编号”，编号取自文件自带的要素 id（GeoJSON Feature 的 id）。
    已修复 1 个环未闭合的图形，面积不变：第 1 个要素。
    将跳过 1 个要素（少于三个不同的点，围不成面：第 2 个），其余 1 个照常导入。
    跳过的要素中有编号的 1 个：way/124。请在 GIS 软件中按编号找到它们改正后再上传。
    """
    table = TABLES[kind]
    name = name or (Path(source).name if isinstance(source, (str, Path)) else table.file)
    empty = gpd.GeoDataFrame({c: pd.Series(dtype="string") for c in table.names}, geometry=[], crs="EPSG:4326")
    try:
        data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
        collection = json.loads(decode(data) if isinstance(data, bytes) else data)
        features = geojson_features(collection)
        if features is None:
            return empty, [Problem(name, None, None, None, t("read_not_collection"), fatal=True)]
        if len(features) > max_rows:  # before a single shape is built
            detail = t("read_too_many_features", rows=max_rows)
            return empty, [Problem(name, None, None, None, t("read_too_large", detail=detail), fatal=True)]
    except json.JSONDecodeError as exc:  # the library's own words name a character, not the file's trouble
        return empty, [Problem(name, None, None, None, t("read_not_json", line=exc.lineno), fatal=True)]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        return empty, [Problem(name, None, None, None, t("read_unreadable_layer", detail=short(exc)), fatal=True)]
    problems: list[Problem] = []
    records, geometries, numbers, carried = [], [], [], []
    present: set[str] = set()  # the table's columns that any feature has
    fields: dict[str, None] = {}  # every property name of the file, in order, to name when no id is found
    repaired: dict[str, tuple[int, str]] = {}
    repairs: list[tuple[int, str]] = []
    skipped: list[tuple[int, str]] = []
    skipped_ids: dict[str, int] = {}  # the ids of the features skipped -> their numbers
    no_id: list[int] = []
    id_sources: dict[str, int] = {}  # where ids not in the schema's column came from -> features
    mappings: dict[tuple, tuple[dict[str, str], str | None]] = {}  # features share their keys: match them once
    for number, feature in enumerate(features, start=1):
        feature = feature if isinstance(feature, dict) else {}
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        names = tuple(str(k) for k in props)
        if names not in mappings:
            mappings[names] = (match_headers(list(names), table), _own_id_field(names))
            fields.update(dict.fromkeys(names))
        mapping, own_field = mappings[names]
        record = {mapping[k]: _as_text(v) for k, v in props.items() if k in mapping}
        present.update(record)
        taken_from = None  # "" for the Feature's id, else the property the id was taken from
        if not _filled(record.get("id")):
            for field, value in (("", feature.get("id")), (own_field, props.get(own_field))):
                if field is not None and _filled(_as_text(value)):
                    record["id"], taken_from = _as_text(value).strip(), field
                    break
        raw = feature.get("geometry")
        # no geometry at all is a place still to be placed (待定位, as an export writes it); a broken one is left out
        shape = Shape(None) if raw is None else feature_shape(raw, table.geometry)
        if shape.geometry is None and raw is not None:  # a shape that cannot be drawn is left out, whatever its id
            skipped.append((number, shape.skipped))
            if _filled(record.get("id")):
                skipped_ids[str(record["id"]).strip()] = number
            continue
        if not _filled(record.get("id")):
            no_id.append(number)
            if not without_ids:
                continue
            record["id"] = None  # kept until every feature is read: made for all, or said for these
        if shape.repaired:
            repaired[str(record["id"])] = (number, shape.repaired)
            repairs.append((number, shape.repaired))
        if taken_from is not None:
            id_sources[taken_from] = id_sources.get(taken_from, 0) + 1
        records.append(record)
        geometries.append(shape.geometry)
        numbers.append(number)
        carried.append(frozenset(record))
    ids_missing = bool(no_id) and len(no_id) == len(records) if without_ids else False
    if without_ids and no_id and not ids_missing:  # some have ids: those without are said, and left out
        keep = [i for i, record in enumerate(records) if record.get("id") is not None]
        records, geometries, numbers, carried = ([items[i] for i in keep]
                                                 for items in (records, geometries, numbers, carried))
    if ids_missing:  # no feature has an id: the caller makes them, as for a list without ids
        pass
    elif no_id and not records:  # no feature has an id: one problem naming the fields the file has
        listed = listing(list(fields)[:20]) if fields else t("read_no_fields")
        problems.append(Problem.of(name, None, "id", None, "read_no_ids", column=table.column("id").text,
                                   fields=listed))
    else:
        problems += [Problem.of(name, n, "id", None, "read_feature_no_id", number=n) for n in no_id]
    if skipped and not records and not no_id:  # nothing left to import: the refusal says why
        problems.append(Problem.of(name, None, "geometry", None, "read_all_skipped", count=len(skipped),
                                   reasons=skipped_reasons(skipped)))
    frame = pd.DataFrame.from_records(records, columns=table.names)
    for col in table.columns:
        if col.kind == "int":
            frame[col.name], count_problems = layer_counts(frame[col.name], col.zh, name, numbers)
            problems += count_problems
        else:  # a name of blanks is no name
            text = without_bidi(frame[col.name])
            frame[col.name] = text.where(text.str.strip() != "", pd.NA)
    layer = gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")
    layer["_feature"] = numbers
    layer["_carried"] = carried
    problems += _long_text_problems(layer, table, name)
    duplicated = layer["id"].duplicated(keep="first") & layer["id"].notna()
    first = dict(zip(layer.loc[~duplicated, "id"], layer.loc[~duplicated, "_feature"]))
    for key, number in zip(layer.loc[duplicated, "id"], layer.loc[duplicated, "_feature"]):
        problems.append(Problem.of(name, number, "id", key, "read_duplicate_id", number=number, key=key,
                                   first=first[key]))
    layer = layer.loc[~duplicated].reset_index(drop=True)
    layer.attrs["ids_missing"] = ids_missing
    layer.attrs["feature_numbers"] = layer.pop("_feature").tolist()  # each row's place in the file
    # the columns each feature has: one without a property others have keeps its stored value
    layer.attrs["carried"] = layer.pop("_carried").tolist()
    layer.attrs["repaired"] = repaired  # id -> (feature number, what was repaired: a shape_fix_ key)
    layer.attrs["skipped"] = skipped  # (feature number, why it cannot be drawn: a shape_ key)
    layer.attrs["skipped_ids"] = skipped_ids
    id_column = table.column("id").text
    layer.attrs["notices"] = [*(t("read_ids_from", count=count, column=id_column, field=_field_text(field))
                                for field, count in id_sources.items()),
                              *shape_notices(repairs, skipped, len(layer)),
                              *([t("shape_skipped_ids", count=len(skipped_ids), ids=listing(
                                  [*list(skipped_ids)[:8], *(["…"] if len(skipped_ids) > 8 else [])]))]
                                if skipped_ids and len(layer) else [])]
    # a column no feature has keeps the stored values of places already there (see geo.store.diff)
    layer.attrs["present"] = [c for c in table.names if c in present]
    return layer, problems


def _long_text_problems(layer: pd.DataFrame, table: Table, name: str) -> list[Problem]:
    """Runaway names and notes of a layer's features: the same limit as a table's cells (:data:`MAX_CELL_CHARS`)."""
    problems = []
    for col in table.columns:
        if col.kind in ("int", "float"):
            continue
        lengths = layer[col.name].astype("string").str.len()
        for row in layer.index[(lengths > MAX_CELL_CHARS).fillna(False).to_numpy()]:
            problems.append(Problem.of(name, int(layer.at[row, "_feature"]), col.name,
                                       str(layer.at[row, col.name])[:40] + "…", "read_too_long",
                                       length=int(lengths[row]), limit=MAX_CELL_CHARS))
    return problems


def _field_text(field: str) -> Text:
    """The file's own identifier named: the Feature's id ("") or a property, quoted as the file spells it."""
    return t("read_id_of_feature") if not field else Text(f"“{field}”", f"'{field}'")


def _filled(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _as_text(value) -> str | None:
    """Properties can hold numbers, lists or dicts: keep them as text, never as objects."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
