"""Empty tables with Chinese headers for office staff, as CSV or .xlsx.

The .xlsx has a second sheet, 填写说明, explaining every column and its accepted values.

Examples
--------
>>> template_bytes("site_status", "csv").decode("utf-8-sig").splitlines()[0]
'工地编号,项目名称,日期,复工状态,在册工人数,返岗工人数,健康台账,备注'
"""

from __future__ import annotations

import pandas as pd

from geo.domain import vocab
from geo.io.export import to_csv_bytes, to_xlsx_bytes
from geo.domain.schema import TABLES

KIND_HELP = {"text": "文字", "int": "整数", "float": "数字", "date": "日期，如 2020-02-25"}


def instructions(kind: str) -> pd.DataFrame:
    """One row per column: header, required or not, what to write."""
    rows = []
    for col in TABLES[kind].columns:
        what = (f"以下之一：{vocab.accepted_values(col.vocabulary)}" if col.vocabulary else KIND_HELP[col.kind])
        rows.append({"列名": col.zh, "英文列名": col.name, "是否必填": "必填" if col.required else "选填", "填写要求": what})
    return pd.DataFrame(rows)


def template_bytes(kind: str, fmt: str = "csv") -> bytes:
    """The header row of table ``kind`` in Chinese; the .xlsx adds the instructions sheet."""
    table = TABLES[kind]
    empty = pd.DataFrame(columns=[col.zh for col in table.columns])
    if fmt == "csv":
        return to_csv_bytes(empty)
    return to_xlsx_bytes(empty, sheet=table.zh, extra={"填写说明": instructions(kind)})
