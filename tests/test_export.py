"""Exports cannot carry live formulas; templates have Chinese headers."""

import io

import openpyxl
import pandas as pd

from geo.domain.schema import TABLES
from geo.io.export import to_csv_bytes, to_xlsx_bytes
from geo.io.templates import template_bytes

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "正常"]


def test_xlsx_cells_are_text_not_formulas():
    data = to_xlsx_bytes(pd.DataFrame({"名称": HOSTILE, "数": [1, -2, 3, 4, 5]}))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [sheet.cell(row=r, column=1).value for r in range(2, 7)]
    types = [sheet.cell(row=r, column=1).data_type for r in range(2, 7)]
    assert all(t == "s" for t in types)
    assert values[0].startswith("'=") and values[4] == "正常"
    assert sheet.cell(row=3, column=2).value == -2  # numbers stay numbers


def test_csv_has_bom_and_neutralised_cells():
    text = to_csv_bytes(pd.DataFrame({"名称": HOSTILE})).decode("utf-8")
    assert text.startswith("\ufeff名称")
    for line in text.splitlines()[1:]:
        assert not line.lstrip('"').startswith(("=", "+", "-", "@"))


def test_templates_for_every_table_in_both_formats():
    for kind, table in TABLES.items():
        csv = template_bytes(kind, "csv").decode("utf-8-sig").splitlines()[0].split(",")
        # a layer's template is a list of places: its columns and the coordinates
        assert csv == [c.zh for c in table.columns] + (["经度", "纬度"] if table.geometry else [])
        book = openpyxl.load_workbook(io.BytesIO(template_bytes(kind, "xlsx")))
        assert [c.value for c in book.worksheets[0][1]] == csv
        assert book.worksheets[1].title == "填写说明"
