"""Export tables to CSV and Excel that open safely (no cell can become a live formula), and layers to GeoJSON.

A text cell starting with ``= + - @`` (or a tab or carriage return) is what
spreadsheet programs run as a formula; such cells get a leading apostrophe.
:func:`table_bytes` writes a stored table the way an upload reads it back.

Examples
--------
>>> neutralise("=SUM(A1:A9)")
"'=SUM(A1:A9)"
>>> neutralise(-3), neutralise("金桂花园")
(-3, '金桂花园')
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import shapely
from openpyxl.worksheet.datavalidation import DataValidation

from geo.domain import TABLES, t, vocab

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text value that a spreadsheet would read as a formula; leave everything else alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(values: pd.Series) -> pd.Series:
    """Text read back from a file this module wrote: the apostrophe :func:`neutralise` put before a formula goes.

    >>> unneutralise(pd.Series(["'=1+2", "'abc", "=x"])).tolist()
    ['=1+2', "'abc", '=x']
    """
    text = values.astype("string")
    guarded = text.str.startswith("'") & text.str[1:2].isin(FORMULA_PREFIXES)
    return values.where(~guarded.fillna(False).astype(bool), text.str[1:])


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and header neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame, title: str | None = None) -> bytes:
    """UTF-8 with a BOM, so that Excel on Chinese Windows shows the headers right; ``title``: a line of one
    cell above the headers (what the table is, its date and filters), which the upload's reader skips.

    >>> to_csv_bytes(pd.DataFrame({"a": [1]}), title="物业小区 · 2020-02-25, 全封闭").decode("utf-8-sig")
    '"物业小区 · 2020-02-25, 全封闭"\\na\\n1\\n'
    """
    text = safe_frame(frame).to_csv(index=False)
    if title:
        text = pd.DataFrame([[neutralise(title)]]).to_csv(index=False, header=False) + text
    return text.encode("utf-8-sig")


#: Rows of a template below its header that get the drop-down lists (a clerk adds rows to a prefilled list).
CHOICE_ROWS = 2000


def _drop_downs(sheet_obj, frame: pd.DataFrame, choices: dict[str, list[str]], top: int = 0) -> None:
    """A drop-down list of ``choices[header]`` in each column ``header`` of the sheet, below its header row
    (``top`` rows above it)."""
    last = max(len(frame) + 1, CHOICE_ROWS) + top
    for position, header in enumerate(frame.columns, start=1):
        if header not in choices:
            continue
        letter = sheet_obj.cell(row=1 + top, column=position).column_letter
        rule = DataValidation(type="list", formula1='"' + ",".join(choices[header]) + '"', allow_blank=True,
                              showErrorMessage=False)  # a word the list lacks (封控) is still read, and said
        rule.add(f"{letter}{2 + top}:{letter}{last}")
        sheet_obj.add_data_validation(rule)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1", extra: dict[str, pd.DataFrame] | None = None,
                  choices: dict[str, list[str]] | None = None, title: str | None = None) -> bytes:
    """An .xlsx whose text cells are stored as strings, never as formulas; ``extra`` adds sheets; ``choices``
    (header to values) gives those columns of the first sheet a drop-down list; ``title``: a first row of the
    first sheet above its headers (what the table is, its date and filters)."""
    buffer = io.BytesIO()
    top = 1 if title else 0  # the headers' row, from 0
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, part in {sheet: frame, **(extra or {})}.items():
            first = name == sheet and top
            safe_frame(part).to_excel(writer, index=False, sheet_name=name[:31], startrow=first)
            sheet_obj = writer.sheets[name[:31]]
            if first:
                sheet_obj.cell(row=1, column=1, value=neutralise(title))
            for row in sheet_obj.iter_rows(min_row=1):
                for cell in row:
                    # openpyxl marks '=…' strings as formulas; the apostrophe above already
                    # defuses them, and data_type 's' makes sure nothing is evaluated.
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
            for column_cells in sheet_obj.columns:
                width = max(len(str(c.value or "")) for c in column_cells[1 if first else 0:] or column_cells)
                sheet_obj.column_dimensions[column_cells[0].column_letter].width = min(40, max(8, width * 1.6))
        if choices:
            _drop_downs(writer.sheets[sheet[:31]], frame, choices, top)
    return buffer.getvalue()


def to_geojson_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    """A FeatureCollection in WGS-84 (RFC 7946): ``columns`` as each feature's properties, missing values null.

    >>> import geopandas as gpd
    >>> frame = gpd.GeoDataFrame({"id": ["S1"], "name": [None]}, geometry=[shapely.Point(114.3, 29.8)], crs=4326)
    >>> json.loads(to_geojson_bytes(frame, ["id", "name"]))["features"][0]["properties"]
    {'id': 'S1', 'name': None}
    """
    shapes = shapely.to_geojson(np.asarray(frame.geometry))  # one call for every shape: fast at 100,000
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    features = [
        f'{{"type":"Feature","properties":{json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str)},'
        f'"geometry":{"null" if shape is None else shape}}}'  # a place not yet placed (待定位)
        for row, shape in zip(values.itertuples(index=False, name=None), shapes)]
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n").encode("utf-8")


def _as_written(values: pd.Series, vocabulary: str | None) -> pd.Series:
    """A coded column as a clerk writes it (全封闭, not sealed); the upload reads both."""
    if not vocabulary:
        return values
    labels = {code: vocab.label(vocabulary, code, "zh") for code in vocab.codes(vocabulary)}
    return values.map(lambda code: labels.get(code, code) if isinstance(code, str) else code)


def table_bytes(kind: str, frame: pd.DataFrame, fmt: str) -> bytes:
    """Table ``kind`` as stored, in a file its upload reads back unchanged.

    A layer as GeoJSON (its column names as properties), or as a list (CSV, .xlsx) with the template's
    Chinese headers and 经度/纬度 in WGS-84 (a point inside each outline: the upload of such a list keeps
    the stored outlines); a daily report as CSV or .xlsx with the template's Chinese headers.

    >>> import geopandas as gpd
    >>> frame = gpd.GeoDataFrame({"id": ["S1"], "name": ["工地"]}, geometry=[shapely.Point(114.3, 29.8)], crs=4326)
    >>> table_bytes("sites", frame, "csv").decode("utf-8-sig").splitlines()[1]
    'S1,工地,,,,,114.3,29.8'
    """
    table = TABLES[kind]
    if fmt == "geojson":
        return to_geojson_bytes(frame, table.names)
    named = pd.DataFrame({col.zh: _as_written(frame[col.name], col.vocabulary) if col.name in frame else None
                          for col in table.columns}, index=frame.index)
    if table.geometry:
        inside = shapely.point_on_surface(np.asarray(frame.geometry, dtype=object))
        # a place not yet placed (待定位) has blank coordinates, as the list it came from
        # every digit: a list exported and uploaded again must compare equal to what is stored
        named[t("points_role_lon", "zh")] = shapely.get_x(inside)
        named[t("points_role_lat", "zh")] = shapely.get_y(inside)
    return to_csv_bytes(named) if fmt == "csv" else to_xlsx_bytes(named, sheet=table.zh)
