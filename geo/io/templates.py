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


def prefilled(kind: str, places: pd.DataFrame, date: str | None = None) -> pd.DataFrame:
    """The rows of daily report ``kind`` a clerk fills in: one per place of ``places`` (columns ``id``, ``name``
    and, to sort by, ``zone``), its id and name written, the date when given; supplies one row per item.

    >>> places = pd.DataFrame({"id": ["S2", "S1"], "name": ["学校工程", "棚改项目"], "zone": ["Z2", "Z1"]})
    >>> prefilled("site_status", places, "2020-02-26")[["site_id", "site_name", "date"]].values.tolist()
    [['S1', '棚改项目', '2020-02-26'], ['S2', '学校工程', '2020-02-26']]
    """
    table = TABLES[kind]
    order = [c for c in ("zone", "name", "id") if c in places]
    places = places.sort_values(order, na_position="last", kind="stable") if order else places
    key, name = table.key[0], table.place_name
    rows = pd.DataFrame({col: pd.Series(pd.NA, index=range(len(places)), dtype=object) for col in table.names})
    rows[key] = places["id"].astype(str).to_numpy()
    if name and name in rows and "name" in places:
        rows[name] = places["name"].astype("string").fillna("").to_numpy()
    if "date" in rows and date:
        rows["date"] = date
    if "item" in rows:  # supplies: one row per place and item
        items = vocab.codes("item")
        rows = rows.loc[rows.index.repeat(len(items))].reset_index(drop=True)
        rows["item"] = [vocab.label("item", code, "zh") for code in items] * (len(rows) // len(items))
    return rows


def choices(kind: str) -> dict[str, list[str]]:
    """Header to the Chinese labels its cells may hold, for a drop-down list: the coded columns of ``kind``.

    >>> choices("compound_status")["封闭状态"]
    ['未封闭', '封闭管理', '全封闭']
    """
    return {col.zh: [vocab.label(col.vocabulary, code, "zh") for code in vocab.codes(col.vocabulary)]
            for col in TABLES[kind].columns if col.vocabulary}


def template_bytes(kind: str, fmt: str = "csv", places: pd.DataFrame | None = None, date: str | None = None) -> bytes:
    """The header row of table ``kind`` in Chinese; the .xlsx adds the instructions sheet and drop-down lists
    for the coded columns. A daily report's template may come prefilled with ``places`` (see :func:`prefilled`).

    A layer's template is a list of places with coordinate columns (see :mod:`geo.io.points`):

    >>> template_bytes("sites", "csv").decode("utf-8-sig").splitlines()[0]
    '工地编号,项目名称,项目类型,建设单位,施工单位,所属片区,经度,纬度'
    """
    table = TABLES[kind]
    headers = [col.zh for col in table.columns]
    if table.geometry:
        headers += [t("points_role_lon", "zh"), t("points_role_lat", "zh")]
    rows = pd.DataFrame(columns=headers)
    if places is not None and not table.geometry and len(places):
        rows = prefilled(kind, places, date).rename(columns=table.header("zh"))[headers]
    if fmt == "csv":
        return to_csv_bytes(rows)
    return to_xlsx_bytes(rows, sheet=table.zh, extra={t("template_sheet", "zh"): instructions(kind)},
                         choices=choices(kind))
