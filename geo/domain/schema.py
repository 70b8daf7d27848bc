"""The data model: every table, its columns, their Chinese headers and types.

Readers, templates, exports and ``data/README.md`` all follow this one
description, so a column is named the same way everywhere.

Column kinds: ``text``, ``int``, ``float``, ``date``, or ``code:<vocabulary>``
for a status column whose values come from :mod:`geo.domain.vocab`.

Examples
--------
>>> TABLES["compound_status"].file
'compound_status.csv'
>>> TABLES["sites"].column("developer").zh
'建设单位'
>>> TABLES["zones"].accepts, TABLES["site_status"].place_name
(('Polygon', 'MultiPolygon'), 'site_name')
>>> TABLES["compounds"].accepts, TABLES["compounds"].geometry, TABLES["sites"].accepts
(('Polygon', 'MultiPolygon', 'Point'), 'Polygon', ('Point',))
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.domain.text import Bilingual

#: The geometry types an upload of a layer may hold, by the layer's geometry: a polygon layer takes multipolygons.
ACCEPTED_GEOMETRY = {"Polygon": ("Polygon", "MultiPolygon"), "Point": ("Point",)}


@dataclass(frozen=True)
class Column(Bilingual):
    name: str
    zh: str
    en: str
    kind: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers people use for it (小区名称 / 小区 / 名称)
    maximum: float | None = None  # above this a number is absurd, not a report

    @property
    def vocabulary(self) -> str | None:
        return self.kind.split(":", 1)[1] if self.kind.startswith("code:") else None


@dataclass(frozen=True)
class Table(Bilingual):
    name: str
    file: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    geometry: str | None = None  # "Polygon" or "Point" for geometry layers: the shape its places usually have
    key: tuple[str, ...] = ("id",)
    shapes: tuple[str, ...] = ()  # the geometry types its features may have, when more than ``geometry``'s
    listed: bool = False  # its places may come as a list with no position at all (zones: names, leaders, phones)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [col.name for col in self.columns]

    @property
    def accepts(self) -> tuple[str, ...]:
        """The geometry types a file of this layer may hold (none for a table without geometry)."""
        return self.shapes or ACCEPTED_GEOMETRY.get(self.geometry, ())

    @property
    def points(self) -> bool:
        """Whether some of its places may be points (drawn as a circle of a fixed size on the maps).

        >>> TABLES["compounds"].points, TABLES["zones"].points
        (True, False)
        """
        return "Point" in self.accepts

    @property
    def place_name(self) -> str | None:
        """The column naming the place a row is about: ``name`` in a layer, ``<place>_name`` in a daily report."""
        return next((name for name in self.names if name == "name" or name.endswith("_name")), None)

    def header(self, lang: str = "zh") -> dict[str, str]:
        """Column name to its header in ``lang``."""
        return {col.name: col.label(lang) for col in self.columns}


#: Headers of a place's zone: by its id or by its name, as a bureau's list writes it.
ZONE_ALIASES = ("片区编号", "网格编号", "片区", "所属网格", "网格", "片区名称", "网格名称", "所属片区名称")


def _c(name, zh, en, kind="text", required=False, aliases=(), maximum=None):
    return Column(name, zh, en, kind, required, tuple(aliases), maximum)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "zones", "zones.geojson", "网格片区", "Grid zones",
            (
                _c("id", "片区编号", "Zone ID", required=True, aliases=("网格编号", "编号")),
                _c("name", "片区名称", "Zone name", required=True, aliases=("网格名称", "片区", "网格", "名称")),
                _c("district", "区县", "District", aliases=("区", "县区", "所属区县")),
                _c("street", "街道乡镇", "Street / town", aliases=("街道", "乡镇", "所属街道")),
                _c("leader", "片区长", "Zone leader", aliases=("负责人", "网格长")),
                _c("phone", "联系电话", "Phone", aliases=("电话", "手机", "手机号")),
            ),
            # many cities keep their zones as a list of names with a leader and a phone, and no shapes
            geometry="Polygon", listed=True,
        ),
        Table(
            "compounds", "compounds.geojson", "物业小区", "Residential compounds",
            (
                _c("id", "小区编号", "Compound ID", required=True, aliases=("编号", "小区代码")),
                _c("name", "小区名称", "Compound name", required=True, aliases=("小区", "名称")),
                _c("address", "地址", "Address", aliases=("小区地址", "详细地址")),
                _c("zone", "所属片区", "Zone ID", aliases=ZONE_ALIASES),
                _c("households", "户数", "Households", "int", aliases=("总户数", "住户数"), maximum=50000),
                _c("property_company", "物业公司", "Property company", aliases=("物业服务企业", "物业")),
            ),
            # Most bureaus know a compound by its address, not its outline: a point until an outline is drawn.
            geometry="Polygon", shapes=("Polygon", "MultiPolygon", "Point"),
        ),
        Table(
            "sites", "sites.geojson", "在建工地", "Construction sites",
            (
                _c("id", "工地编号", "Site ID", required=True, aliases=("项目编号", "编号")),
                _c("name", "项目名称", "Project name", required=True, aliases=("工地名称", "工地", "项目", "名称")),
                _c("kind", "项目类型", "Project kind", aliases=("类型", "工程类型")),
                _c("developer", "建设单位", "Developer", aliases=("开发商", "开发企业")),
                _c("contractor", "施工单位", "Contractor", aliases=("施工企业", "总包单位")),
                _c("zone", "所属片区", "Zone ID", aliases=ZONE_ALIASES),
            ),
            geometry="Point",
        ),
        Table(
            "compound_status", "compound_status.csv", "小区日报", "Compound daily report",
            (
                _c("compound_id", "小区编号", "Compound ID", required=True, aliases=("编号", "小区代码")),
                _c("compound_name", "小区名称", "Compound name", aliases=("小区", "名称")),
                _c("date", "日期", "Date", "date", required=True, aliases=("报告日期", "日报日期", "填报日期")),
                _c("closure", "封闭状态", "Closure status", "code:closure", required=True, aliases=("封闭管理", "管控状态", "状态")),
                _c("gates_open", "开放出入口数", "Gates open", "int", aliases=("出入口", "开放出入口"), maximum=50),
                _c("staff_on_duty", "在岗物业人员", "Staff on duty", "int", aliases=("在岗人员", "物业人员"), maximum=2000),
                _c("volunteers_on_duty", "在岗志愿者", "Volunteers on duty", "int", aliases=("志愿者",), maximum=2000),
                _c("residents", "居民人数", "Residents", "int", aliases=("居民", "人口", "常住人口"), maximum=200000),
                _c("fever_reports", "今日发热人数", "Fever reports today", "int", aliases=("发热人数", "发热"), maximum=10000),
                _c("home_isolation", "居家隔离户数", "Households in home isolation", "int", aliases=("居家隔离", "隔离户数"), maximum=50000),
                _c("vulnerable", "独居老人等重点人员", "Vulnerable residents", "int", aliases=("重点人员", "独居老人"), maximum=50000),
                _c("note", "备注", "Note"),
            ),
            key=("compound_id", "date"),
        ),
        Table(
            "site_status", "site_status.csv", "工地日报", "Site daily report",
            (
                _c("site_id", "工地编号", "Site ID", required=True, aliases=("项目编号", "编号")),
                _c("site_name", "项目名称", "Project name", aliases=("工地名称", "工地", "名称")),
                _c("date", "日期", "Date", "date", required=True, aliases=("报告日期", "日报日期", "填报日期")),
                _c("resumption", "复工状态", "Resumption state", "code:resumption", required=True, aliases=("复工情况", "状态")),
                _c("workers_total", "在册工人数", "Workers on the roll", "int", aliases=("工人总数", "在册人数"), maximum=20000),
                _c("workers_returned", "返岗工人数", "Workers returned", "int", aliases=("返岗人数", "到岗人数"), maximum=20000),
                _c("health_ledger", "健康台账", "Health ledger kept", "code:yes_no", aliases=("是否建立健康台账", "台账")),
                _c("note", "备注", "Note"),
            ),
            key=("site_id", "date"),
        ),
        Table(
            "supplies", "supplies.csv", "防疫物资", "Epidemic supplies",
            (
                _c("place_id", "场所编号", "Place ID", required=True, aliases=("小区编号", "工地编号", "编号")),
                _c("place_name", "场所名称", "Place name", aliases=("小区名称", "项目名称", "工地名称", "名称")),
                _c("date", "日期", "Date", "date", required=True, aliases=("报告日期", "日报日期", "填报日期")),
                _c("item", "物资", "Item", "code:item", required=True, aliases=("物资名称", "品名")),
                _c("on_hand", "库存", "On hand", "float", required=True, aliases=("库存数量", "现有数量", "数量"), maximum=1e8),
                _c("daily_use", "日消耗", "Daily use", "float", required=True, aliases=("日均消耗", "每日消耗"), maximum=1e7),
            ),
            key=("place_id", "date", "item"),
        ),
    )
}


def _place_table(name, zh, en, id_zh, id_en, name_zh, name_en, extra, id_aliases=(), name_aliases=()):
    """A layer of points the bureau supervises besides compounds and sites: id, name, address, zone, ``extra``,
    the person in charge and a phone."""
    return Table(name, f"{name}.geojson", zh, en, (
        _c("id", id_zh, id_en, required=True, aliases=(*id_aliases, "编号")),
        _c("name", name_zh, name_en, required=True, aliases=(*name_aliases, "名称")),
        _c("address", "地址", "Address", aliases=("详细地址", "门店地址")),
        _c("zone", "所属片区", "Zone ID", aliases=ZONE_ALIASES),
        *extra,
        _c("contact", "负责人", "Person in charge", aliases=("联系人", "责任人")),
        _c("phone", "联系电话", "Phone", aliases=("电话", "手机", "手机号", "联系方式")),
    ), geometry="Point")


def _report_table(name, zh, en, place, ids, state, extra):
    """The daily report of such a place: its id and name (``ids``: their zh and en), the date, its state
    (``state``: column, zh, en, vocabulary), then ``extra`` and a note."""
    id_zh, id_en, name_zh, name_en = ids
    column, state_zh, state_en, vocabulary = state
    return Table(name, f"{name}.csv", zh, en, (
        _c(f"{place}_id", id_zh, id_en, required=True, aliases=("编号",)),
        _c(f"{place}_name", name_zh, name_en, aliases=("名称",)),
        _c("date", "日期", "Date", "date", required=True, aliases=("报告日期", "日报日期", "填报日期")),
        _c(column, state_zh, state_en, f"code:{vocabulary}", required=True,
           aliases=("营业状态", "开放情况", "营业情况", "运行情况", "状态")),
        *extra,
        _c("note", "备注", "Note"),
    ), key=(f"{place}_id", "date"))


_STAFF = _c("staff", "在岗人员", "Staff on duty", "int", aliases=("在岗人数", "值守人员"), maximum=5000)
_DISINFECTIONS = _c("disinfections", "消毒次数", "Disinfections", "int", aliases=("今日消毒次数", "消杀次数"), maximum=48)
_OPENING = ("opening", "开放状态", "Open or closed", "opening")
_MARKET = ("市场编号", "Market ID", "市场名称", "Market name")
_OFFICE = ("售楼部编号", "Sales office ID", "售楼部名称", "Sales office name")
_AGENCY = ("门店编号", "Agency ID", "门店名称", "Agency name")
_PARK = ("公园编号", "Park ID", "公园名称", "Park name")
_PLANT = ("水厂编号", "Plant ID", "水厂名称", "Plant name")

#: The other places the bureau supervises (the Chuxiong bureau: 44 sales offices, 48 agencies, 2 parks,
#: 3 water and 2 sewage plants), each a layer of points and its daily report.
TABLES.update({t.name: t for t in (
    _place_table("markets", "农贸市场", "Markets", *_MARKET, (
        _c("vendors", "经营户数", "Vendors", "int", aliases=("商户数", "摊位数", "经营户"), maximum=20000),
        _c("manager", "市场管理方", "Market manager", aliases=("管理单位", "开办单位", "市场管理所")),
    ), name_aliases=("市场",)),
    _report_table("market_status", "市场日报", "Market daily report", "market", _MARKET, _OPENING, (
        _c("vendors_open", "开业经营户数", "Vendors trading", "int", aliases=("开业户数", "营业户数"), maximum=20000),
        _STAFF, _DISINFECTIONS)),
    _place_table("sales_offices", "售楼部", "Sales offices", *_OFFICE, (
        _c("developer", "开发企业", "Developer", aliases=("开发商", "房地产开发企业", "建设单位")),
    ), name_aliases=("售楼部", "售楼处", "营销中心", "楼盘名称")),
    _report_table("sales_office_status", "售楼部日报", "Sales office daily report", "office", _OFFICE, _OPENING, (
        _c("visits", "接待人次", "Visitors received", "int", aliases=("来访人次", "接待人数"), maximum=10000),
        _STAFF, _DISINFECTIONS)),
    _place_table("agencies", "房产中介", "Housing agencies", *_AGENCY, (
        _c("company", "经纪机构", "Brokerage", aliases=("所属公司", "中介公司", "经纪公司")),
    ), id_aliases=("中介编号",), name_aliases=("中介名称", "中介", "机构名称", "门店")),
    _report_table("agency_status", "中介日报", "Agency daily report", "agency", _AGENCY, _OPENING, (_STAFF,)),
    _place_table("parks", "城市公园", "Parks", *_PARK, (
        _c("manager", "管理单位", "Managed by", aliases=("管理方", "管理处")),
    ), name_aliases=("公园",)),
    _report_table("park_status", "公园日报", "Park daily report", "park", _PARK, _OPENING, (
        _c("visitors", "入园人次", "Visitors", "int", aliases=("游客人次", "入园人数"), maximum=500000),
        _STAFF, _DISINFECTIONS)),
    _place_table("plants", "水厂和污水处理厂", "Water and sewage plants", *_PLANT, (
        _c("plant_type", "水厂类型", "Kind of plant", aliases=("类型", "厂站类型")),
        _c("operator", "运营单位", "Operator", aliases=("运营企业", "水务公司", "供水企业")),
        _c("capacity", "设计规模（吨/日）", "Capacity (t/day)", "int", aliases=("设计规模", "处理能力", "规模"),
           maximum=5_000_000),
    ), id_aliases=("厂站编号",), name_aliases=("水厂", "污水处理厂", "厂名")),
    _report_table("plant_status", "水厂日报", "Plant daily report", "plant", _PLANT,
                  ("operation", "运行状态", "Operation", "operation"), (
        _c("output", "日处理量（吨）", "Water treated (t)", "int", aliases=("日供水量", "日处理量", "处理量"),
           maximum=5_000_000),
        _c("water_quality", "水质达标", "Water quality met", "code:yes_no", aliases=("水质", "水质检测")),
        _STAFF)),
)})

#: The tables the store's migrations make; a kind registered at run time (geo.domain.kinds) adds its own to TABLES.
GEOMETRY_TABLES = ("zones", "compounds", "sites", "markets", "sales_offices", "agencies", "parks", "plants")
STATUS_TABLES = ("compound_status", "site_status", "supplies", "market_status", "sales_office_status",
                 "agency_status", "park_status", "plant_status")


def layer_tables() -> tuple[str, ...]:
    """Every geometry layer in :data:`TABLES`, the registered ones included, in their order.

    >>> layer_tables()[:4]
    ('zones', 'compounds', 'sites', 'markets')
    """
    return tuple(name for name, table in TABLES.items() if table.geometry)


def report_tables() -> tuple[str, ...]:
    """Every table without geometry (the daily reports) in :data:`TABLES`, the registered ones included.

    >>> report_tables()[:4]
    ('compound_status', 'site_status', 'supplies', 'market_status')
    """
    return tuple(name for name, table in TABLES.items() if not table.geometry)
