"""Broken and hostile files, built in memory: each case says what the product must answer.

Shared by the upload-page, command-line and fuzz tests. ``expect`` is a fragment of the
Chinese message staff must see; ``None`` means the file is fine and must be read right.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

HEADER = "小区编号,小区名称,日期,封闭状态,居民人数,备注\n"
SQUARE = [[114.301, 29.831], [114.303, 29.831], [114.303, 29.833], [114.301, 29.833], [114.301, 29.831]]
BOW_TIE = [[114.301, 29.831], [114.303, 29.833], [114.303, 29.831], [114.301, 29.833], [114.301, 29.831]]
# the square, its last edge overshooting the first corner: a tiny loop (0.01 % of its area) crosses the first edge
SMALL_LOOP = [*SQUARE[:4], [114.30102, 29.83098], [114.301, 29.831]]
SCRIPT = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">"


def status_csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode(encoding)


def geojson(*features: tuple[dict, dict | None]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]},
        ensure_ascii=False).encode("utf-8")


def polygon(ring) -> dict:
    return {"type": "Polygon", "coordinates": [ring]}


def xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, Callable[[zipfile.ZipFile, str], None] | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, member in members.items():
            if isinstance(member, bytes):
                archive.writestr(name, member)
            else:
                member(archive, name)
    return buffer.getvalue()


_SKELETON = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                           b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                       b'2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
}


@lru_cache(maxsize=1)
def zip_bomb() -> bytes:
    """An .xlsx whose one sheet inflates to 450 MB of blanks (about 2 MB on disk)."""
    def sheet(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as stream:
            stream.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            block = b" " * (1 << 20)
            for _ in range(450):
                stream.write(block)
    return _zip({**_SKELETON, "xl/worksheets/sheet1.xml": sheet})


@lru_cache(maxsize=1)
def million_rows_xlsx() -> bytes:
    """An .xlsx with 1,000,001 rows (a real sheet XML, a few MB zipped)."""
    def sheet(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as stream:
            stream.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            for start in range(0, 1_000_001, 50_000):
                stream.write("".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>0501</t></is></c></row>'
                                     for r in range(start + 1, min(start + 50_001, 1_000_002))).encode())
            stream.write(b"</sheetData></worksheet>")
    return _zip({**_SKELETON, "xl/worksheets/sheet1.xml": sheet})


_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _real_skeleton(sheet_xml: Callable[[zipfile.ZipFile, str], None]) -> dict:
    """The parts a spreadsheet program reads (content types, relationships), around one sheet written by ``sheet_xml``."""
    rels = b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    office = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                               b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                               b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                               b'worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships ' + rels + b'><Relationship Id="r1" Type="' + office +
                       b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships ' + rels + b'><Relationship Id="r1" '
                                      b'Type="' + office + b'/worksheet" Target="worksheets/sheet1.xml"/>'
                                      b'</Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook ' + _MAIN + b' xmlns:r="' + office + b'"><sheets>'
                           b'<sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }


def million_rows_spelled(prefix: str, numbered: bool, rows: int = 600_001) -> bytes:
    """An .xlsx of ``rows`` rows as other writers spell them: ``<x:row>`` (a namespace prefix, as .NET's
    OpenXML SDK writes), or ``<row>`` without its number (as some exporters do), with a declared size of A1:C3."""
    tag = f"{prefix}:" if prefix else ""

    def sheet(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as stream:
            namespace = _MAIN.replace(b"xmlns=", f"xmlns:{prefix}=".encode()) if prefix else _MAIN
            stream.write(b'<?xml version="1.0"?><' + tag.encode() + b"worksheet " + namespace + b"><" +
                         tag.encode() + b'dimension ref="A1:C3"/><' + tag.encode() + b"sheetData>")
            for start in range(1, rows + 1, 50_000):
                stream.write("".join(
                    f'<{tag}row{f" r={chr(34)}{r}{chr(34)}" if numbered else ""}><{tag}c t="inlineStr"><{tag}is>'
                    f"<{tag}t>0501</{tag}t></{tag}is></{tag}c></{tag}row>"
                    for r in range(start, min(start + 50_000, rows + 1))).encode())
            stream.write(f"</{tag}sheetData></{tag}worksheet>".encode())
    return _zip(_real_skeleton(sheet))


@dataclass(frozen=True)
class Case:
    name: str  # also the test id
    what: str  # the case, as docs/reliability.md lists it
    kind: str
    file: str
    content: Callable[[], bytes]
    expect: str | None  # fragment of the Chinese message; None: accepted


def _c(name, what, kind, file, content, expect):
    return Case(name, what, kind, file, content if callable(content) else (lambda: content), expect)


GOOD_ROW = "0501,金桂花园,2020-02-26,全封闭,900,"
CASES = [
    _c("empty", "empty file (0 bytes)", "compound_status", "a.csv", b"", "文件是空的"),
    _c("blank", "only blank lines and spaces", "compound_status", "a.csv", b"\r\n \r\n\t\n", "文件是空的"),
    _c("header_only", "header row only", "compound_status", "a.csv", HEADER.encode(), "没有数据行"),
    _c("wrong_table", "wrong kind of table (site report uploaded as compound report)", "compound_status",
       "a.csv", "工地编号,日期,复工状态\nS1,2020-02-26,已复工\n".encode(), "缺少必填列“小区编号”"),
    _c("png_as_csv", "PNG image renamed .csv", "compound_status", "a.csv",
       b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "含二进制内容"),
    _c("binary_as_csv", "random binary (no NUL byte) renamed .csv", "compound_status", "a.csv",
       bytes(range(1, 256)) * 16, "含二进制内容"),
    _c("broken_xlsx", "a file starting like a zip (.xlsx) but truncated", "compound_status", "a.xlsx",
       b"PK\x03\x04" + b"\x14\x00" * 40, "无法读取为表格"),
    _c("zip_bomb", ".xlsx zip bomb (450 MB of XML in 2 MB)", "compound_status", "a.xlsx", zip_bomb,
       "疑似压缩炸弹"),
    _c("million_xlsx", ".xlsx with 1,000,000 rows", "compound_status", "a.xlsx", million_rows_xlsx,
       "超过 500,000 行"),
    _c("million_csv", "CSV with 1,000,000 rows", "compound_status", "a.csv",
       lambda: HEADER.encode() + b"1,,,,,\n" * 1_000_000, "超过 500,000 行"),
    _c("million_csv_cr", "CSV with 1,000,000 rows ending in \\r alone (old Mac Excel)", "compound_status", "a.csv",
       lambda: HEADER.replace("\n", "\r").encode() + b"1,,,,,\r" * 1_000_000, "超过 500,000 行"),
    _c("million_csv_crlf", "CSV with 600,000 rows ending in \\r\\n", "compound_status", "a.csv",
       lambda: HEADER.replace("\n", "\r\n").encode() + b"1,,,,,\r\n" * 600_000, "超过 500,000 行"),
    _c("million_xlsx_prefixed", ".xlsx with 600,001 rows spelled <x:row> (OpenXML SDK), declared A1:C3",
       "compound_status", "a.xlsx", lambda: million_rows_spelled("x", True), "超过 500,000 行"),
    _c("million_xlsx_unnumbered", ".xlsx with 600,001 rows spelled <row> without their number, declared A1:C3",
       "compound_status", "a.xlsx", lambda: million_rows_spelled("", False), "超过 500,000 行"),
    _c("many_features", "GeoJSON with 500,001 features", "compounds", "a.geojson",
       lambda: b'{"type": "FeatureCollection", "features": [' + b"{}, " * 500_000 + b"{}]}", "超过 500,000 个要素"),
    _c("long_geojson_name", "GeoJSON names of 10,000 and 200,000 characters", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "长" * 10_000}, polygon(SQUARE)),
               ({"id": "0503", "name": "长" * 200_000}, polygon([[x + 0.02, y] for x, y in SQUARE]))),
       "内容过长（200000 个字符"),
    _c("mixed_encoding", "UTF-8 and GBK lines in one file", "compound_status", "a.csv",
       HEADER.encode() + (GOOD_ROW + "\n").encode("utf-8") + "0503,浮山小区,2020-02-26,全封闭,10,\n".encode("gbk"),
       "混用了另一种编码"),
    _c("nul_bytes", "NUL bytes after the first 8 KB", "compound_status", "a.csv",
       status_csv(*[GOOD_ROW] * 400) + b"0503,\x00\x00,2020-02-26,open,1,\n", "含二进制内容"),
    _c("long_cell", "a 200,000-character cell", "compound_status", "a.csv",
       status_csv(GOOD_ROW + "长" * 200_000), "内容过长（200000 个字符"),
    _c("excel_float_id", "id as an Excel float (1.01E+17) in a CSV", "compound_status", "a.csv",
       status_csv("1.01E+17,金桂花园,2020-02-26,全封闭,900,"), "是科学计数法"),
    _c("excel_number_id", "18-digit id typed as a number in .xlsx", "compound_status", "a.xlsx",
       lambda: xlsx([["小区编号", "日期", "封闭状态"], [1.01234567890123456e17, "2020-02-26", "全封闭"]]), "是科学计数法"),
    _c("nan_inf", "NaN and inf as numbers", "compound_status", "a.csv",
       status_csv("0501,a,2020-02-26,全封闭,NaN,", "0503,b,2020-02-26,全封闭,inf,"), "无法识别，应为整数"),
    _c("negative", "negative number", "compound_status", "a.csv",
       status_csv("0501,a,2020-02-26,全封闭,-5,"), "不能是负数"),
    _c("absurd", "a compound with 10 million residents", "compound_status", "a.csv",
       status_csv("0501,a,2020-02-26,全封闭,10000000,"), "超出合理范围"),
    _c("absurd_supply", "1e300 masks on hand", "supplies", "a.csv",
       "场所编号,日期,物资,库存,日消耗\n0501,2020-02-26,口罩,1e300,5\n".encode(), "超出合理范围"),
    _c("future_date", "a date in 2099", "compound_status", "a.csv",
       status_csv("0501,a,2099-02-26,全封闭,5,"), "在未来"),
    _c("impossible_date", "30 February", "compound_status", "a.csv",
       status_csv("0501,a,2020-02-30,全封闭,5,"), "无法识别，应为日期"),
    _c("ancient_date", "a date in 1900", "compound_status", "a.csv",
       status_csv("0501,a,1900-01-01,全封闭,5,"), "早于 2000 年"),
    _c("same_place_twice", "the same place and date twice", "compound_status", "a.csv",
       status_csv("0501,a,2020-02-26,全封闭,5,", "0501,a,2020-02-26,封闭管理,6,"), "同一场所同一日期出现多次"),
    _c("unknown_id", "an id that is on no map", "compound_status", "a.csv",
       status_csv("0599,a,2020-02-26,全封闭,5,"), "在地图上找不到"),
    _c("invalid_json", "GeoJSON that is not valid JSON", "compounds", "a.geojson",
       b'{"type": "FeatureCollection", "features": [}', "无法读取地图图层"),
    _c("not_collection", "JSON that is not a FeatureCollection", "compounds", "a.geojson",
       b'[1, 2, 3]', "不是 GeoJSON 要素集合"),
    # a file whose every feature cannot be drawn: nothing is left to import (with others, see ACCEPTED)
    _c("self_intersection", "polygon crossing itself (bow tie), alone in its file", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon(BOW_TIE))), "边界交叉成 8 字形，修复会改变面积"),
    _c("two_point_ring", "polygon ring of two points, alone in its file", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon([[114.301, 29.831], [114.303, 29.833]]))), "少于三个不同的点"),
    _c("empty_geometry", "empty geometry", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, {"type": "Polygon", "coordinates": []})), "几何图形是空的"),
    _c("mixed_geometry", "mixed geometry types (a line among compounds)", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon(SQUARE)),
               ({"id": "0503", "name": "b"}, {"type": "LineString", "coordinates": [[114.326, 29.836],
                                                                                    [114.327, 29.837]]})),
       "应为面（Polygon）或点（Point）"),
    _c("metres", "coordinates in metres (Web Mercator)", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon([[12724000 + x * 100, 3480000 + y * 100]
                                                      for x, y in [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]))),
       "不是经纬度"),
    _c("swapped", "latitude and longitude swapped", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon([[y, x] for x, y in SQUARE]))), "经度和纬度顺序颠倒"),
    _c("duplicate_feature_id", "two features with the same id", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon(SQUARE)),
               ({"id": "0501", "name": "b"}, polygon([[x + 0.02, y] for x, y in SQUARE]))),
       "第 2 个要素的编号 0501 与第 1 个要素重复：编号必须唯一，整个文件不会导入"),
    _c("nan_point", "a site at NaN (GeoJSON)", "sites", "a.geojson",
       b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "S1", "name": "a"}, '
       b'"geometry": {"type": "Point", "coordinates": [NaN, 29.84]}}]}', "坐标不是数字"),
    _c("nan_in_list", "a site list with NaN as its longitude", "sites", "a.csv",
       "名称,经度,纬度\n六岭棚改项目,NaN,29.84\n".encode(), "坐标“NaN，29.84”无法识别。应为十进制度数"),
    _c("huge_point", "a site at longitude 1e308", "sites", "a.geojson",
       b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "S1", "name": "a"}, '
       b'"geometry": {"type": "Point", "coordinates": [1e308, 29.84]}}]}',
       "坐标（如 1e+308, 29.84）超出了任何坐标系的范围"),
    _c("huge_polygon", "a compound with a corner at longitude 1e308", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, polygon([[1e308, 29.831], *SQUARE[1:4], [1e308, 29.831]]))),
       "坐标超出任何坐标系的范围（如 1e308）"),
    # accepted, and read right
    # a feature with no geometry at all: a stored place keeps its shape, a new one is still to be placed (待定位)
    _c("null_geometry", "feature without geometry", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "a"}, None)), None),
    _c("bidi_names", "right-to-left override and other bidi controls in names and notes", "compound_status", "a.csv",
       status_csv("0501,金桂\u202e园花,2020-02-26,全封闭,900,已\u2067设\u2069卡口\u200f"), None),
    _c("bidi_layer", "a right-to-left override in a GeoJSON name", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "金桂\u202e园花", "zone": "Z1"}, polygon(SQUARE))), None),
    _c("bom_in_middle", "a byte-order mark in the middle (two files pasted together)", "compound_status", "a.csv",
       status_csv(GOOD_ROW, "\ufeff0503,浮山小区,2020-02-26,全封闭,10,"), None),
    _c("leading_zeros", "ids with leading zeros (0501)", "compound_status", "a.csv", status_csv(GOOD_ROW), None),
    _c("formulas", "formula cells (=HYPERLINK, +cmd|, @SUM)", "compound_status", "a.csv",
       status_csv('0501,"=HYPERLINK(""http://evil/"",""点我"")",2020-02-26,全封闭,900,+cmd|\' /C calc\'!A0',
                  "0503,@SUM(A1:A9),2020-02-26,全封闭,10,-2+3"), None),
    _c("script_everywhere", "HTML and script in every text field", "compound_status", "a.csv",
       status_csv(f'0501,"{SCRIPT.replace(chr(34), chr(34) * 2)}",2020-02-26,全封闭,900,"{SCRIPT.replace(chr(34), chr(34) * 2)}"'),
       None),
    _c("list_properties", "list- and dict-valued GeoJSON properties", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": ["金桂", "花园"], "address": {"road": "金桂路"}, "zone": "Z1"},
                polygon(SQUARE))), None),
    _c("gcj02", "GCJ-02 coordinates (picked on Amap)", "compounds", "a.geojson",
       lambda: _gcj_layer(), None),
    # real-world shapes: repaired where the area is kept, else skipped while the rest is imported
    _c("small_loop", "outline crossing itself in a tiny loop near a corner", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "金桂花园"}, polygon(SMALL_LOOP))), None),
    _c("bow_tie_among_good", "a bow tie and a two-point ring among good features", "compounds", "a.geojson",
       geojson(({"id": "0501", "name": "金桂花园"}, polygon(SQUARE)), ({"id": "0509", "name": "b"}, polygon(BOW_TIE)),
               ({"id": "0510", "name": "c"}, polygon([[114.311, 29.831], [114.313, 29.833], [114.311, 29.831]]))),
       None),
]


def _gcj_layer() -> bytes:
    from geo.io.datum_convert import wgs84_to_gcj02

    return geojson(({"id": "0501", "name": "金桂花园", "zone": "Z1"},
                    polygon([[float(v) for v in wgs84_to_gcj02(x, y)] for x, y in SQUARE])))


REFUSED = [c for c in CASES if c.expect is not None]
ACCEPTED = [c for c in CASES if c.expect is None]


def store_dump(path: Path) -> str:
    """Every row of the SQLite store as SQL text: equal dumps mean nothing changed."""
    with sqlite3.connect(path) as conn:
        return "\n".join(conn.iterdump())
