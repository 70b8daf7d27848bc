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
    """One row per column, in Chinese: header, required or not, what to write.

    A layer's template is a list of places: its id may be left out, and it has the coordinate columns.
    """
    rows = []
    table = TABLES[kind]
    for col in table.columns:
        what = (t("template_one_of", values=vocab.accepted(col.vocabulary)) if col.vocabulary
                else t(f"template_kind_{col.kind}"))
        required = col.required and not (table.geometry and col.name == "id")
        if table.geometry and col.name == "id":
            what = t("template_id_optional")
        rows.append(_instruction(col.zh, col.name, required, what))
    if table.geometry:
        rows += [_instruction(t("points_role_lon", "zh"), "lon", True, t("template_lon")),
                 _instruction(t("points_role_lat", "zh"), "lat", True, t("template_lat"))]
    return pd.DataFrame(rows)


def _instruction(header: str, name: str, required: bool, what) -> dict[str, str]:
    return {t("template_header", "zh"): header, t("template_name", "zh"): name,
            t("template_required", "zh"): t("template_must" if required else "template_may", "zh"),
            t("template_what", "zh"): what.zh}


def template_bytes(kind: str, fmt: str = "csv") -> bytes:
    """The header row of table ``kind`` in Chinese; the .xlsx adds the instructions sheet.

    A layer's template is a list of places with coordinate columns (see :mod:`geo.io.points`):

    >>> template_bytes("sites", "csv").decode("utf-8-sig").splitlines()[0]
    '工地编号,项目名称,项目类型,建设单位,施工单位,所属片区,经度,纬度'
    """
    table = TABLES[kind]
    headers = [col.zh for col in table.columns]
    if table.geometry:
        headers += [t("points_role_lon", "zh"), t("points_role_lat", "zh")]
    empty = pd.DataFrame(columns=headers)
    if fmt == "csv":
        return to_csv_bytes(empty)
    return to_xlsx_bytes(empty, sheet=table.zh, extra={t("template_sheet", "zh"): instructions(kind)})
