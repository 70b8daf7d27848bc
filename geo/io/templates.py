"""Empty tables with Chinese headers for office staff, as CSV or .xlsx.

The .xlsx has a second sheet, 填写说明, explaining every column and its accepted values.

Examples
--------
>>> template_bytes("site_status", "csv").decode("utf-8-sig").splitlines()[0]
'工地编号,项目名称,日期,复工状态,在册工人数,返岗工人数,健康台账,备注'
"""

from __future__ import annotations

import pandas as pd

from geo.domain import TABLES, t, vocab
from geo.io.export import to_csv_bytes, to_xlsx_bytes


def instructions(kind: str) -> pd.DataFrame:
    """One row per column, in Chinese: header, required or not, what to write."""
    rows = []
    for col in TABLES[kind].columns:
        what = (t("template_one_of", values=vocab.accepted(col.vocabulary)) if col.vocabulary
                else t(f"template_kind_{col.kind}"))
        rows.append({t("template_header", "zh"): col.zh, t("template_name", "zh"): col.name,
                     t("template_required", "zh"): t("template_must" if col.required else "template_may", "zh"),
                     t("template_what", "zh"): what.zh})
    return pd.DataFrame(rows)


def template_bytes(kind: str, fmt: str = "csv") -> bytes:
    """The header row of table ``kind`` in Chinese; the .xlsx adds the instructions sheet."""
    table = TABLES[kind]
    empty = pd.DataFrame(columns=[col.zh for col in table.columns])
    if fmt == "csv":
        return to_csv_bytes(empty)
    return to_xlsx_bytes(empty, sheet=table.zh, extra={t("template_sheet", "zh"): instructions(kind)})
