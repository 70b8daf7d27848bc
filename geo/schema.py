"""The data model: every table, its columns, their Chinese headers and types.

Readers, templates, exports and ``data/README.md`` all follow this one
description, so a column is named the same way everywhere.

Column kinds: ``text``, ``int``, ``float``, ``date``, or ``code:<vocabulary>``
for a status column whose values come from :mod:`geo.vocab`.

Examples
--------
>>> TABLES["compound_status"].file
'compound_status.csv'
>>> TABLES["sites"].column("developer").zh
'建设单位'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    en: str
    kind: str = "text"
    required: bool = False

    @property
    def vocabulary(self) -> str | None:
        return self.kind.split(":", 1)[1] if self.kind.startswith("code:") else None


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    geometry: str | None = None  # "Polygon" or "Point" for geometry layers
    key: tuple[str, ...] = ("id",)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [col.name for col in self.columns]

    def header(self, lang: str = "zh") -> dict[str, str]:
        """Column name to its header in ``lang``."""
        return {col.name: (col.zh if lang == "zh" else col.en) for col in self.columns}


def _c(name, zh, en, kind="text", required=False):
    return Column(name, zh, en, kind, required)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "zones", "zones.geojson", "网格片区", "Grid zones",
            (
                _c("id", "片区编号", "Zone ID", required=True),
                _c("name", "片区名称", "Zone name", required=True),
                _c("district", "区县", "District"),
                _c("street", "街道乡镇", "Street / town"),
                _c("leader", "片区长", "Zone leader"),
                _c("phone", "联系电话", "Phone"),
            ),
            geometry="Polygon",
        ),
        Table(
            "compounds", "compounds.geojson", "物业小区", "Residential compounds",
            (
                _c("id", "小区编号", "Compound ID", required=True),
                _c("name", "小区名称", "Compound name", required=True),
                _c("address", "地址", "Address"),
                _c("zone", "所属片区", "Zone ID"),
                _c("households", "户数", "Households", "int"),
                _c("property_company", "物业公司", "Property company"),
            ),
            geometry="Polygon",
        ),
        Table(
            "sites", "sites.geojson", "在建工地", "Construction sites",
            (
                _c("id", "工地编号", "Site ID", required=True),
                _c("name", "项目名称", "Project name", required=True),
                _c("kind", "项目类型", "Project kind"),
                _c("developer", "建设单位", "Developer"),
                _c("contractor", "施工单位", "Contractor"),
                _c("zone", "所属片区", "Zone ID"),
            ),
            geometry="Point",
        ),
        Table(
            "compound_status", "compound_status.csv", "小区日报", "Compound daily report",
            (
                _c("compound_id", "小区编号", "Compound ID", required=True),
                _c("date", "日期", "Date", "date", required=True),
                _c("closure", "封闭状态", "Closure status", "code:closure", required=True),
                _c("gates_open", "开放出入口数", "Gates open", "int"),
                _c("staff_on_duty", "在岗物业人员", "Staff on duty", "int"),
                _c("volunteers_on_duty", "在岗志愿者", "Volunteers on duty", "int"),
                _c("residents", "居民人数", "Residents", "int"),
                _c("fever_reports", "今日发热人数", "Fever reports today", "int"),
                _c("home_isolation", "居家隔离户数", "Households in home isolation", "int"),
                _c("vulnerable", "独居老人等重点人员", "Vulnerable residents", "int"),
                _c("note", "备注", "Note"),
            ),
            key=("compound_id", "date"),
        ),
        Table(
            "site_status", "site_status.csv", "工地日报", "Site daily report",
            (
                _c("site_id", "工地编号", "Site ID", required=True),
                _c("date", "日期", "Date", "date", required=True),
                _c("resumption", "复工状态", "Resumption state", "code:resumption", required=True),
                _c("workers_total", "在册工人数", "Workers on the roll", "int"),
                _c("workers_returned", "返岗工人数", "Workers returned", "int"),
                _c("health_ledger", "健康台账", "Health ledger kept", "code:yes_no"),
                _c("note", "备注", "Note"),
            ),
            key=("site_id", "date"),
        ),
        Table(
            "supplies", "supplies.csv", "防疫物资", "Epidemic supplies",
            (
                _c("place_id", "场所编号", "Place ID", required=True),
                _c("date", "日期", "Date", "date", required=True),
                _c("item", "物资", "Item", "code:item", required=True),
                _c("on_hand", "库存", "On hand", "float", required=True),
                _c("daily_use", "日消耗", "Daily use", "float", required=True),
            ),
            key=("place_id", "date", "item"),
        ),
    )
}

GEOMETRY_TABLES = ("zones", "compounds", "sites")
STATUS_TABLES = ("compound_status", "site_status", "supplies")
