"""The seeded demo city: Xian'an district (咸安区) of Xianning, in February 2020.

:func:`write_city` writes every layer and status table of :mod:`geo.domain.schema` into
one folder, from nothing but a seed and the district boundary in
``data/source/``. The same arguments always give byte-identical files, so the
shipped demo in ``data/`` can be regenerated and diffed.

What is real and what is invented:

- the district boundary (Aliyun DataV GeoAtlas, GCJ-02, converted to WGS-84 by
  :mod:`geo.io.datum_convert`) and the names of its 3 streets and 10 towns (National
  Bureau of Statistics codes) are real; their origin is recorded in the
  ``"origin"`` member of the GeoJSON files and in ``data/source/README.md``;
- the position of each street or town is an approximate hand-placed anchor;
  grid zones are Voronoi cells of seed points drawn around those anchors and
  clipped to the boundary, so they tile the district without gaps;
- compounds, sites, people, companies and every number in the daily reports are
  invented. The reports follow the story of the housing bureaus' own accounts:
  compounds close (open, controlled, sealed) in the second week of February,
  sites apply and resume work in the second half, supplies run low and are
  restocked, and a few places miss their daily report.

Deliberate faults exercise the dashboard's error paths: two compounds have no
zone (the app assigns one by spatial join), one compound report on the last
day carries a mistyped compound id, and a few resumed sites keep no health
ledger on the last day.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as folder:
...     counts = write_city(Path(folder), compounds=30, days=2, seed=1)
>>> counts["compounds"], counts["sites"], counts["zones"]
(30, 40, 24)
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from geo.io.datum_convert import convert_geometries
from geo.domain.schema import TABLES
from geo.domain.vocab import codes

# --------------------------------------------------------------------------- sources

#: Folder holding the real inputs, inside the project (not the output folder).
SOURCE_DIR = Path(__file__).resolve().parents[2] / "data" / "source"
BOUNDARY_SOURCE = "xianan_gcj02.geojson"
TOWNSHIP_SOURCE = "townships_xianan.csv"

DISTRICT = "咸安区"
DISTRICT_ADCODE = 421202

BOUNDARY_ORIGIN = (
    "anzhou99/GeoJsons : 421200_full.json @ ae3304715838d7d37de1e682434d146614237f11; "
    "Aliyun DataV GeoAtlas export"
)
CONVERTED_ORIGIN = BOUNDARY_ORIGIN + "; GCJ-02 converted to WGS-84 by geo.io.datum_convert"
TOWNSHIP_ORIGIN = (
    "xiangyuecn/AreaCity-JsSpider-StatsGov : src/采集到的数据/ok_data_level4.csv @ "
    "1ec058087376da33e086b2fe1691ea17b0e365bb; MIT licence; rows of 咸安区 (pid 421202)"
)

SOURCE_README = f"""# Real inputs of the demo city

Written by `geo.demo.city.copy_sources` from public data; `geo.demo.city.write_city` reads
them to draw the demo city of `data/`. Do not edit by hand.

| file | origin | coordinates |
| --- | --- | --- |
| {BOUNDARY_SOURCE} | {BOUNDARY_ORIGIN}. Only the 咸安区 feature (adcode \
{DISTRICT_ADCODE}), properties `name` and `adcode` kept. | GCJ-02 |
| {TOWNSHIP_SOURCE} | {TOWNSHIP_ORIGIN}. Written without the BOM. | none |

The boundary in `data/boundary.geojson` is this one converted to WGS-84 by
`geo.io.datum_convert`; its `"origin"` member says so.
"""

# --------------------------------------------------------------------------- calendar

#: Last day of the reports.
END_DATE = dt.date(2020, 2, 25)
#: Day 0 of the epidemic timeline: the closures and resumptions are timed from here,
#: so a short window (``days=2``) shows the same late-February state as the demo.
TIMELINE_START = dt.date(2020, 2, 12)

# --------------------------------------------------------------------------- geography

#: Xianning city centre (WGS-84).
CITY_CENTRE = (114.32, 29.84)
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320 * np.cos(np.radians(CITY_CENTRE[1]))

#: Approximate WGS-84 anchor of each street or town, and its zone count in the demo.
#: Hand-placed from memory of the map: good enough for a demo, not a survey.
TOWNSHIP_ANCHORS: dict[str, tuple[float, float, int]] = {
    "温泉街道": (114.318, 29.832, 4),
    "浮山街道": (114.292, 29.846, 3),
    "永安街道": (114.326, 29.862, 4),
    "汀泗桥镇": (114.205, 29.780, 2),
    "向阳湖镇": (114.190, 29.925, 1),
    "官埠桥镇": (114.245, 29.885, 1),
    "横沟桥镇": (114.300, 29.955, 2),
    "贺胜桥镇": (114.370, 29.985, 2),
    "双溪桥镇": (114.500, 29.885, 1),
    "马桥镇": (114.420, 29.910, 1),
    "桂花镇": (114.360, 29.725, 1),
    "高桥镇": (114.550, 29.820, 1),
    "大幕乡": (114.640, 29.870, 1),
}
#: Spread (km) of the zone seeds around a street's or a town's anchor in the demo.
URBAN_SPREAD_KM = 1.1
TOWN_SPREAD_KM = 1.6
#: Share of compounds and of zones in the three urban streets.
URBAN_COMPOUND_SHARE = 0.8
URBAN_SITE_SHARE = 0.55
#: Compounds per zone: in Xianning the leader of 温泉第四片区 answered for 14 compounds.
COMPOUNDS_PER_ZONE = 14
#: Supplies: days of cover at the start, reorder point, daily chance of a delivery
#: once below it, and the cover an item is topped up to when below TOP_UP_BELOW_DAYS.
START_COVER_DAYS = (5.0, 30.0)
REORDER_DAYS = (3.0, 9.0)
DELIVERY_CHANCE = (0.45, 0.95)
TOP_UP_DAYS = (20.0, 35.0)
TOP_UP_BELOW_DAYS = 15.0
#: Coordinates are written with 6 decimals (about 0.1 m).
DECIMALS = 6

# --------------------------------------------------------------------------- names (data)

SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "蔡", "蒋", "余", "杜", "叶", "程", "魏", "苏",
    "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石",
    "廖", "贾", "夏", "付", "方", "邹", "熊", "孟", "秦", "邱", "江", "尹", "段", "雷", "黎",
    "陶", "贺", "毛", "龚", "邵", "万", "戴", "严", "欧阳",
)
GIVEN_NAMES = (
    "建国", "建华", "国强", "志强", "志刚", "志勇", "俊", "伟", "磊", "强", "军", "勇", "杰",
    "涛", "明", "超", "斌", "波", "辉", "刚", "平", "鹏", "浩", "宇", "亮", "晓东", "海波",
    "红兵", "卫东", "德华", "春华", "秋生", "丽", "芳", "敏", "静", "艳", "娟", "霞", "燕",
    "玲", "琴", "红梅", "海燕", "秀英", "桂英", "桂芳", "晓燕", "丽华", "慧", "婷", "莉",
    "雪梅", "春兰", "文", "华", "峰", "凯", "旭", "少华", "新民", "永红", "金山", "汉平",
)
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "186", "187", "188", "189",
)

COMPOUND_PREFIXES = (
    "金桂", "温泉", "淦河", "潜山", "永安", "凤凰", "桂乡", "香城", "书台", "银泉", "青龙",
    "龟山", "九宫", "碧水", "翡翠", "锦绣", "丽景", "天鹅", "滨河", "山水", "盛世", "御景",
    "怡景", "东方", "中央", "世纪", "阳光", "幸福", "和谐", "长江", "嘉和", "泉都", "桃花",
    "梓山", "玉泉", "富康", "南山", "月亮湾", "双鹤", "旗鼓", "太乙", "星河", "温馨", "鑫苑",
    "育才", "学府", "文笔", "钟台", "浮山", "宝塔",
)
COMPOUND_SUFFIXES = (
    "花园", "名城", "雅居", "华庭", "小区", "新村", "家园", "公馆", "苑", "府", "世家", "湾",
    "国际", "嘉园", "丽都", "壹号", "上城", "春天", "公寓", "豪庭", "山庄", "雅苑", "新城",
    "名都", "佳园", "花苑", "天地", "景园",
)
BRANDED_COMPOUNDS = (
    "碧桂园·凤凰城", "碧桂园·十里春风", "恒大·名都", "恒大·御景湾", "中伦·名苑",
    "福星惠誉·温泉城", "联乐·广场", "泉都·天地", "东方·今典", "城发·时代天骄",
    "山湖·温泉", "宏泰·凤凰城", "清水·湾", "咸宁·中央公园", "中央花园", "温泉名城",
)
#: Phase suffixes that keep names unique in big cities: 二期 … 十期, then "11期" ….
PHASES = ("", "二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期", "十期")

URBAN_ROADS = (
    "金桂路", "温泉路", "银泉大道", "淦河大道", "咸宁大道", "长江大道", "永安大道", "青龙路",
    "龟山路", "书台街", "双鹤路", "旗鼓大道", "马柏大道", "贺胜路", "文笔路", "桂花路",
    "钱塘路", "茶花路", "月亮湾路", "十六潭路", "潜山路", "玉泉路", "滨河路", "同心路",
    "怀德路", "宝塔路", "东风路", "咸安大道", "向阳路", "岭南路",
)
TOWN_ROAD_SUFFIXES = ("大道", "街", "中路", "东路", "西路", "南路", "北路")

PROPERTY_BRANDS = (
    "金桂", "香城", "泉都", "鑫源", "嘉禾", "华盛", "安居", "长城", "中南", "龙湖", "永安",
    "温泉", "恒通", "天成", "佳和", "鸿运", "康居", "瑞丰", "润泽", "宏泰", "银泉", "楚天",
    "福泽", "华邦", "顺达",
)
PROPERTY_FORMS = (
    "咸宁市{}物业服务有限公司", "咸宁{}物业管理有限公司", "湖北{}物业服务有限公司",
    "咸安区{}物业管理有限公司",
)

SITE_KINDS = ("房地产开发", "棚户区改造", "市政工程", "公共建筑", "老旧小区改造", "工业厂房")
SITE_KIND_WEIGHTS = (0.35, 0.10, 0.20, 0.13, 0.12, 0.10)
#: Workers on the roll, (low, high), by kind.
SITE_WORKERS = ((80, 600), (60, 400), (30, 150), (50, 300), (30, 120), (40, 250))
SITE_PLACES = (
    "六岭", "温泉", "永安", "浮山", "马柏", "龟山", "肖桥", "宝塔", "钱塘", "书台", "十六潭",
    "桂花", "向阳", "东风", "甘棠", "双鹤", "大屋", "岭下", "金桂", "潜山",
)
SITE_PHASES = ("一期", "二期", "三期", "四期", "A区", "B区", "东区", "西区")
MUNICIPAL_WORKS = (
    "{road}雨污分流改造工程", "{road}道路提升改造工程", "{road}综合管廊工程",
    "{road}供水管网改造工程", "淦河{place}段综合治理工程", "{place}污水处理厂提标改造工程",
    "{place}片区黑臭水体治理工程",
)
PUBLIC_WORKS = (
    "咸宁市第{number}中学教学楼建设工程", "咸宁市第{number}高级中学教学楼建设工程",
    "咸安区{place}小学综合楼建设工程", "咸安区{place}社区服务中心建设项目",
    "咸安区人民医院{place}院区建设工程", "咸宁市{place}体育中心建设工程",
    "咸安区{place}幼儿园新建工程",
)
SHANTY_WORKS = ("咸安区{place}棚改安置小区项目", "{place}片区棚户区改造项目")
RENOVATION_WORKS = ("{compound}老旧小区改造工程", "{place}片区老旧小区改造工程")
INDUSTRIAL_WORKS = ("咸宁高新区{brand}标准化厂房项目", "咸宁{brand}科技产业园项目",
                    "{brand}新材料生产基地建设项目")
INDUSTRIAL_BRANDS = ("楚天", "香城", "鼎盛", "泉都", "华中", "长江", "桂乡", "天源", "金鼎",
                     "九鼎", "嘉瑞", "华瑞")
DEVELOPER_BRANDS = ("金桂", "香城", "泉都", "城发", "宏泰", "中伦", "联乐", "嘉禾", "鼎盛",
                    "天源", "华中", "楚都", "福星", "清水", "山湖", "九鼎")
DEVELOPER_FORMS = ("咸宁{}置业有限公司", "咸宁市{}房地产开发有限公司")
PUBLIC_DEVELOPERS = (
    "咸宁市城市建设投资开发有限公司", "咸安区城市建设投资有限公司", "咸安区住房和城乡建设局",
    "咸宁市交通投资有限公司", "咸安区教育局", "咸安区卫生健康局", "咸宁高新投资集团有限公司",
    "咸宁市城市管理执法委员会",
)
#: Developers by kind: None means a private developer from DEVELOPER_FORMS.
KIND_DEVELOPERS = (None, (0, 1, 2), (0, 1, 3, 7), (1, 4, 5), (1, 2), (6,))
CONTRACTOR_BRANDS = ("鼎盛", "楚天", "华中", "长江", "广厦", "天工", "宏达", "建安", "金鼎",
                     "众城", "华泰", "远大", "晟达", "中楚", "咸宁", "桂乡")
CONTRACTOR_FORMS = ("湖北{}建设集团有限公司", "咸宁{}建筑工程有限公司", "湖北省{}建筑工程有限公司")
BIG_CONTRACTORS = ("中建三局第一建设工程有限责任公司", "中铁十一局集团有限公司",
                   "湖北省工业建筑集团有限公司", "湖北省路桥集团有限公司")

CHINESE_DIGITS = "零一二三四五六七八九"

# --------------------------------------------------------------------------- report notes (data)

#: Notes of a compound report by closure level (open, controlled, sealed).
CLOSURE_NOTES = (
    ("已张贴防疫告示", "已消杀公共区域", "已排查返咸人员"),
    ("已设卡口测温", "只留一个出入口", "志愿者轮班", "出入人员登记测温", "快递外卖不进小区"),
    ("全封闭硬隔离", "生活物资配送到户", "已完成围挡施工", "出入口24小时值守", "独居老人上门走访"),
)
FEVER_NOTE = "发热人员已报社区"
#: Notes of a site report by resumption state, in vocabulary order.
RESUMPTION_NOTES = (
    ("项目部留守值班", "正在摸排返岗人员"),
    ("承诺制复工申报", "已提交复工申请", "待现场核查"),
    ("已核准，待复工", "防疫物资到位", "工人分批返岗"),
    ("七个必须五个严禁已落实", "工人分批返岗", "每日两次测温", "已建立健康台账"),
    ("健康台账不全，停工整改", "防疫物资不足，停工整改", "未落实测温登记，停工整改"),
)
LEDGER_LAPSED_NOTE = "健康台账未及时更新"

CLOSURE = codes("closure")
RESUMPTION = codes("resumption")
ITEMS = codes("item")


# =========================================================================== sources


def copy_sources(realdata_dir: Path, source_dir: Path = SOURCE_DIR) -> None:
    """Copy the real inputs of the demo into the project's ``data/source``.

    Parameters
    ----------
    realdata_dir : Path
        Folder holding ``421200_full.json`` and ``townships_xianan_liling.csv``.
    source_dir : Path
        Target folder (default ``data/source`` of the project).

    Notes
    -----
    Only the Xian'an feature is kept, with its ``name`` and ``adcode`` (the other
    properties are lists and dicts that break writers); the township table is
    cut to the 咸安区 rows (``pid`` 421202) and written without its BOM. A
    ``README.md`` beside them records their origin.
    """
    source_dir.mkdir(parents=True, exist_ok=True)
    collection = json.loads((realdata_dir / "421200_full.json").read_text(encoding="utf-8"))
    [feature] = [f for f in collection["features"]
                 if int(f["properties"]["adcode"]) == DISTRICT_ADCODE]
    properties = {"name": feature["properties"]["name"], "adcode": DISTRICT_ADCODE}
    text = to_json({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    write_feature_collection(source_dir / BOUNDARY_SOURCE, [[text]], origin=BOUNDARY_ORIGIN)
    with open(realdata_dir / "townships_xianan_liling.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    kept = [rows[0]] + [row for row in rows[1:] if row[1] == str(DISTRICT_ADCODE)]
    with open(source_dir / TOWNSHIP_SOURCE, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(kept)
    (source_dir / "README.md").write_text(SOURCE_README, encoding="utf-8", newline="\n")


def read_boundary(source_dir: Path = SOURCE_DIR) -> shapely.Geometry:
    """The district boundary in WGS-84, coordinates rounded to :data:`DECIMALS`."""
    collection = json.loads((source_dir / BOUNDARY_SOURCE).read_text(encoding="utf-8"))
    gcj = shape(collection["features"][0]["geometry"])
    [wgs] = round_geometries(convert_geometries([gcj], "gcj02", "wgs84"))
    return wgs


def read_townships(source_dir: Path = SOURCE_DIR) -> pd.DataFrame:
    """Streets and towns of the district: columns ``street`` (ext_name) and ``short`` (name)."""
    table = pd.read_csv(source_dir / TOWNSHIP_SOURCE, dtype=str, encoding="utf-8-sig")
    table = table[table["pid"] == str(DISTRICT_ADCODE)]
    return pd.DataFrame({"street": table["ext_name"].to_numpy(),
                         "short": table["name"].to_numpy()})


# =========================================================================== helpers


def round_geometries(geometries, decimals: int = DECIMALS) -> np.ndarray:
    """Round coordinates, repairing the rare geometry that rounding makes invalid."""
    rounded = shapely.transform(np.asarray(geometries, dtype=object),
                                lambda xy: np.round(xy, decimals))
    broken = ~shapely.is_valid(rounded)
    if broken.any():
        rounded[broken] = [keep_polygons(g) for g in shapely.make_valid(rounded[broken])]
    return rounded


def keep_polygons(geometry: shapely.Geometry) -> shapely.Geometry:
    """Drop the lines and points that a clip or a repair can leave beside the polygons."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def to_km(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Degrees to a local plane in km around the city centre."""
    return ((np.asarray(lon) - CITY_CENTRE[0]) * _KM_PER_DEG_LON,
            (np.asarray(lat) - CITY_CENTRE[1]) * _KM_PER_DEG_LAT)


def to_degrees(x_km, y_km) -> tuple[np.ndarray, np.ndarray]:
    """The local km plane back to WGS-84 degrees."""
    return (CITY_CENTRE[0] + np.asarray(x_km) / _KM_PER_DEG_LON,
            CITY_CENTRE[1] + np.asarray(y_km) / _KM_PER_DEG_LAT)


def format_id(prefix: str, numbers, width: int) -> list[str]:
    """Ids such as ``XA-C0001`` for 1-based ``numbers``."""
    return [f"{prefix}{n:0{width}d}" for n in numbers]


def chinese_numeral(n: int) -> str:
    """1-99 in Chinese numerals: 1 -> 一, 10 -> 十, 21 -> 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[ones] if ones else "")


def split_count(total: int, weights) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` by largest remainder, at least 1 each."""
    weights = np.asarray(weights, dtype=float)
    share = (total - len(weights)) * weights / weights.sum()
    counts = np.floor(share).astype(int)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: total - len(weights) - counts.sum()]] += 1
    return counts + 1


def pick(rng: np.random.Generator, options, size: int, p=None) -> np.ndarray:
    """``size`` random choices from a tuple of strings, as an object array."""
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def make_unique(names: list[str], suffix: str = "（{}标段）") -> list[str]:
    """Append a running number to repeated names: 'X', 'X（2标段）', 'X（3标段）'."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else name + suffix.format(seen[name]))
    return unique


def misspell_id(identifier: str) -> str:
    """A typing error that matches no id: the last digit 0 typed as the letter O."""
    position = identifier.rfind("0")
    if position < 0:
        return identifier + "O"
    return identifier[:position] + "O" + identifier[position + 1:]


def count_sites(compounds: int) -> int:
    """Default number of sites: 48 for the 200-compound demo, one per four in big cities."""
    if compounds <= 200:
        return max(40, round(compounds * 0.24))
    return compounds // 4


def report_dates(days: int) -> list[dt.date]:
    """The ``days`` report dates ending on :data:`END_DATE`."""
    return [END_DATE - dt.timedelta(days=days - 1 - i) for i in range(days)]


@dataclass
class Layer:
    """A geometry layer: one row of properties per geometry, in schema column order."""

    properties: pd.DataFrame
    geometry: np.ndarray


# =========================================================================== zones


def plan_zone_counts(total: int, townships: pd.DataFrame) -> np.ndarray:
    """Number of zones in each street or town: the demo layout, scaled up for big cities."""
    demo = np.array([TOWNSHIP_ANCHORS.get(s, (0, 0, 1))[2] for s in townships["street"]])
    if total <= demo.sum():
        return demo
    urban = townships["street"].str.endswith("街道").to_numpy()
    urban_total = round(total * URBAN_COMPOUND_SHARE)
    counts = np.zeros(len(demo), dtype=int)
    counts[urban] = split_count(urban_total, demo[urban])
    counts[~urban] = split_count(total - urban_total, demo[~urban])
    return counts


def find_anchors(rng: np.random.Generator, townships: pd.DataFrame,
                 boundary: shapely.Geometry) -> np.ndarray:
    """Anchor of each street or town in km; a random inner point for an unknown one."""
    anchors = []
    for street in townships["street"]:
        if street in TOWNSHIP_ANCHORS:
            lon, lat, _ = TOWNSHIP_ANCHORS[street]
        else:
            [[lon, lat]] = sample_inside(rng, boundary, 1)
        anchors.append(to_km(lon, lat))
    return np.array(anchors, dtype=float)


def sample_inside(rng: np.random.Generator, boundary: shapely.Geometry, n: int) -> np.ndarray:
    """``n`` points uniformly inside ``boundary`` (lon, lat)."""
    minx, miny, maxx, maxy = boundary.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n + 16, 2))
        found = np.vstack([found, xy[shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])]])
    return found[:n]


def place_zone_seeds(rng: np.random.Generator, boundary: shapely.Geometry,
                     anchors: np.ndarray, counts: np.ndarray, urban: np.ndarray) -> tuple:
    """Seed points (km) of every zone, spread around the anchors and kept apart.

    Seeds are drawn from a Gaussian around each anchor, inside the boundary,
    and a candidate closer than half the expected spacing to another seed is
    dropped, so the Voronoi cells are of similar size. Returns the seeds and
    the township index of each, ordered by township then by distance from its
    anchor.
    """
    growth = (counts.sum() / sum(a[2] for a in TOWNSHIP_ANCHORS.values())) ** 0.25
    spread = np.where(urban, np.minimum(URBAN_SPREAD_KM * growth, 6.0),
                      np.minimum(TOWN_SPREAD_KM * growth, 4.0))
    seeds = np.empty((0, 2))
    limits = np.empty(0)
    for anchor, count, sigma in zip(anchors, counts, spread):
        spacing = 0.5 * np.sqrt(4 * np.pi * sigma**2 / count)
        mine = np.empty((0, 2))
        while len(mine) < count:
            wanted = count - len(mine)
            candidates = anchor + rng.normal(0.0, sigma, size=(2 * wanted + 8, 2))
            lon, lat = to_degrees(candidates[:, 0], candidates[:, 1])
            candidates = candidates[shapely.contains_xy(boundary, lon, lat)]
            placed = np.vstack([seeds, mine])
            reach = np.concatenate([limits, np.full(len(mine), spacing)])
            kept = keep_apart(candidates, placed, reach, spacing)[:wanted]
            mine = np.vstack([mine, kept])
            if len(kept) < wanted / 4:
                spacing *= 0.8  # a crowded anchor: relax the spacing
        order = np.argsort(np.hypot(*(mine - anchor).T), kind="stable")
        seeds = np.vstack([seeds, mine[order]])
        limits = np.concatenate([limits, np.full(count, spacing)])
    return seeds, np.repeat(np.arange(len(counts)), counts)


def keep_apart(candidates: np.ndarray, placed: np.ndarray, reach: np.ndarray,
               spacing: float) -> np.ndarray:
    """Candidates at least ``max(reach, spacing)`` from every placed point and ``spacing``
    from every earlier kept candidate (a later one of two close candidates is dropped)."""
    points = shapely.points(candidates)
    keep = np.ones(len(candidates), dtype=bool)
    if len(placed):
        tree = shapely.STRtree(shapely.points(placed))
        near = tree.query(points, predicate="dwithin", distance=max(spacing, reach.max()))
        gaps = np.hypot(*(candidates[near[0]] - placed[near[1]]).T)
        keep[near[0][gaps < np.maximum(reach[near[1]], spacing)]] = False
    pairs = shapely.STRtree(points).query(points, predicate="dwithin", distance=spacing)
    later = pairs[1][pairs[0] < pairs[1]]
    keep[later] = False
    return candidates[keep]


def draw_voronoi(seeds_km: np.ndarray, boundary: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of the seeds clipped to the boundary, in seed order (WGS-84)."""
    lon, lat = to_degrees(seeds_km[:, 0], seeds_km[:, 1])
    points = shapely.multipoints(np.column_stack([lon, lat]))
    frame = shapely.buffer(shapely.envelope(boundary), 0.1)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=frame, ordered=True))
    shapely.prepare(boundary)
    inside = shapely.contains(boundary, cells)
    clipped = cells.copy()
    clipped[~inside] = [keep_polygons(g) for g in shapely.intersection(cells[~inside], boundary)]
    return round_geometries(clipped)


def name_people(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` believable Chinese names, distinct while the name list allows."""
    combos = len(SURNAMES) * len(GIVEN_NAMES)
    chosen = rng.choice(combos, size=n, replace=n > combos)
    return [SURNAMES[i // len(GIVEN_NAMES)] + GIVEN_NAMES[i % len(GIVEN_NAMES)] for i in chosen]


def draw_phones(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` believable 11-digit mobile numbers (13x, 15x, 18x)."""
    prefixes = pick(rng, MOBILE_PREFIXES, n)
    numbers = rng.integers(0, 10**8, size=n)
    return [f"{p}{x:08d}" for p, x in zip(prefixes, numbers)]


def build_zones(rng: np.random.Generator, boundary: shapely.Geometry,
                townships: pd.DataFrame, compounds: int) -> tuple[Layer, np.ndarray, np.ndarray]:
    """The grid zones layer, with the seed points (km) and township index of each zone."""
    counts = plan_zone_counts(max(24, round(compounds / COMPOUNDS_PER_ZONE)), townships)
    urban = townships["street"].str.endswith("街道").to_numpy()
    anchors = find_anchors(rng, townships, boundary)
    seeds, owners = place_zone_seeds(rng, boundary, anchors, counts, urban)
    cells = draw_voronoi(seeds, boundary)
    streets = townships["street"].to_numpy()[owners]
    numbers = np.concatenate([np.arange(1, c + 1) for c in counts])
    arabic = counts[owners] > 10
    names = [f"{s}第{n if a else chinese_numeral(n)}片区"
             for s, n, a in zip(streets, numbers, arabic)]
    n = len(seeds)
    properties = pd.DataFrame({
        "id": format_id("XA-Z", range(1, n + 1), max(2, len(str(n)))),
        "name": names,
        "district": DISTRICT,
        "street": streets,
        "leader": name_people(rng, n),
        "phone": draw_phones(rng, n),
    })
    return Layer(properties[TABLES["zones"].names], cells), seeds, owners


def join_zones(points: np.ndarray, zones: Layer) -> np.ndarray:
    """Index of the zone containing each point; the nearest zone for a point in no zone."""
    tree = shapely.STRtree(zones.geometry)
    pairs = tree.query(points, predicate="intersects")
    found = np.full(len(points), len(zones.geometry), dtype=np.int64)
    np.minimum.at(found, pairs[0], pairs[1])
    lost = np.flatnonzero(found == len(zones.geometry))
    if lost.size:
        nearest = tree.query_nearest(points[lost], return_distance=False, all_matches=False)
        found[lost[nearest[0]]] = nearest[1]
    return found


def measure_spacing(seeds_km: np.ndarray) -> np.ndarray:
    """Distance (km) from each seed to its nearest neighbour."""
    points = shapely.points(seeds_km)
    tree = shapely.STRtree(points)
    pairs, distance = tree.query_nearest(points, exclusive=True, return_distance=True,
                                         all_matches=False)
    spacing = np.full(len(points), np.inf)
    spacing[pairs[0]] = distance
    return spacing


# =========================================================================== compounds


def draw_outlines(rng: np.random.Generator, centres_km: np.ndarray) -> tuple:
    """Compound outlines around the centres: 8-20 vertices, 60-250 m across.

    Jittered ellipses and rounded rectangles (super-ellipses) at a random
    angle; every outline is star-shaped around its centre, hence a valid
    polygon. Returns the polygons (WGS-84, rounded) and their areas in m².
    """
    n = len(centres_km)
    vertices = rng.integers(8, 21, size=n)
    major = rng.uniform(30.0, 125.0, size=n)
    minor = major * rng.uniform(0.45, 1.0, size=n)
    turn = rng.uniform(0.0, np.pi, size=n)
    boxy = np.where(rng.random(n) < 0.4, 0.35, 1.0)
    owner = np.repeat(np.arange(n), vertices)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(vertices) - vertices, vertices)
    angle = 2 * np.pi * (step + rng.uniform(-0.3, 0.3, size=len(owner))) / vertices[owner]
    radius = np.clip(rng.normal(1.0, 0.06, size=len(owner)), 0.85, 1.15)
    cos, sin = np.cos(angle), np.sin(angle)
    x = major[owner] * radius * np.sign(cos) * np.abs(cos) ** boxy[owner]
    y = minor[owner] * radius * np.sign(sin) * np.abs(sin) ** boxy[owner]
    east = (x * np.cos(turn[owner]) - y * np.sin(turn[owner])) / 1000 + centres_km[owner, 0]
    north = (x * np.sin(turn[owner]) + y * np.cos(turn[owner])) / 1000 + centres_km[owner, 1]
    lon, lat = to_degrees(east, north)
    coords = np.round(np.column_stack([lon, lat]), DECIMALS)
    polygons = shapely.polygons(shapely.linearrings(coords, indices=owner))
    area = np.pi * major * minor * np.where(boxy < 1, 1.2, 1.0)
    return polygons, area


def place_outlines(rng: np.random.Generator, boundary: shapely.Geometry, seeds_km: np.ndarray,
                   weights: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` compound outlines near zone seeds chosen by ``weights``, all inside the boundary."""
    jitter = np.clip(0.35 * measure_spacing(seeds_km), 0.12, 1.5)
    shapely.prepare(boundary)
    polygons = np.empty(n, dtype=object)
    areas = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        zone = rng.choice(len(seeds_km), size=todo.size, p=weights)
        centres = seeds_km[zone] + rng.normal(size=(todo.size, 2)) * jitter[zone, None]
        drawn, area = draw_outlines(rng, centres)
        ok = shapely.within(drawn, boundary)
        polygons[todo[ok]] = drawn[ok]
        areas[todo[ok]] = area[ok]
        todo = todo[~ok]
    return polygons, areas


def name_compounds(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` unique compound names; past the name list, phases 二期 … and 11期 … are added."""
    base = list(BRANDED_COMPOUNDS) + [p + s for p in COMPOUND_PREFIXES for s in COMPOUND_SUFFIXES]
    base = list(dict.fromkeys(base))
    order = rng.permutation(len(base))
    names = []
    for i in range(n):
        phase = i // len(base)
        suffix = PHASES[phase] if phase < len(PHASES) else f"{phase + 1}期"
        names.append(base[order[i % len(base)]] + suffix)
    return names


def write_addresses(rng: np.random.Generator, streets: np.ndarray, townships: pd.DataFrame,
                    ) -> list[str]:
    """Addresses such as 咸安区温泉街道金桂路18号 or 咸安区汀泗桥镇汀泗桥大道6号."""
    short = dict(zip(townships["street"], townships["short"]))
    n = len(streets)
    urban_roads = pick(rng, URBAN_ROADS, n)
    town_roads = pick(rng, TOWN_ROAD_SUFFIXES, n)
    numbers = rng.integers(1, 300, size=n)
    return [
        f"{DISTRICT}{s}{u if s.endswith('街道') else short.get(s, '') + t}{k}号"
        for s, u, t, k in zip(streets, urban_roads, town_roads, numbers)
    ]


def name_property_companies(rng: np.random.Generator, n: int) -> np.ndarray:
    """A property company for each compound, from a pool where a few firms run many."""
    pool = [form.format(brand) for brand in PROPERTY_BRANDS for form in PROPERTY_FORMS]
    size = min(len(pool), max(30, n // 25))
    firms = np.asarray(pool, dtype=object)[rng.choice(len(pool), size=size, replace=False)]
    weights = 1.0 / np.arange(1, size + 1) ** 0.8
    return firms[rng.choice(size, size=n, p=weights / weights.sum())]


def build_compounds(rng: np.random.Generator, boundary: shapely.Geometry, zones: Layer,
                    seeds_km: np.ndarray, urban_zone: np.ndarray, n: int,
                    townships: pd.DataFrame) -> Layer:
    """The residential compounds layer; exactly two compounds are left without a zone."""
    weights = np.where(urban_zone, URBAN_COMPOUND_SHARE / urban_zone.sum(),
                       (1 - URBAN_COMPOUND_SHARE) / max(1, (~urban_zone).sum()))
    polygons, area = place_outlines(rng, boundary, seeds_km, weights / weights.sum(), n)
    zone = join_zones(shapely.centroid(polygons), zones)
    density = np.where(urban_zone[zone], rng.uniform(0.015, 0.045, n), rng.uniform(0.01, 0.025, n))
    households = np.clip(np.round(area * density), 80, 2000).astype(np.int64)
    zone_ids = zones.properties["id"].to_numpy()[zone].astype(object)
    zone_ids[rng.choice(n, size=min(2, n), replace=False)] = ""
    properties = pd.DataFrame({
        "id": format_id("XA-C", range(1, n + 1), max(4, len(str(n)))),
        "name": name_compounds(rng, n),
        "address": write_addresses(rng, zones.properties["street"].to_numpy()[zone], townships),
        "zone": zone_ids,
        "households": households,
        "property_company": name_property_companies(rng, n),
    })
    return Layer(properties[TABLES["compounds"].names], polygons)


# =========================================================================== sites


def place_points(rng: np.random.Generator, boundary: shapely.Geometry, seeds_km: np.ndarray,
                 weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` points near zone seeds chosen by ``weights``, inside the boundary (WGS-84)."""
    jitter = np.clip(0.5 * measure_spacing(seeds_km), 0.3, 2.0)
    found = np.empty((0, 2))
    while len(found) < n:
        zone = rng.choice(len(seeds_km), size=n - len(found), p=weights)
        xy = seeds_km[zone] + rng.normal(size=(len(zone), 2)) * jitter[zone, None]
        lon, lat = to_degrees(xy[:, 0], xy[:, 1])
        xy = np.round(np.column_stack([lon, lat]), DECIMALS)
        found = np.vstack([found, xy[shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])]])
    return shapely.points(found)


def name_site(rng: np.random.Generator, kind: int, compound_names: list[str]) -> str:
    """A project name of the given kind (index into :data:`SITE_KINDS`)."""
    place = SITE_PLACES[rng.integers(len(SITE_PLACES))]
    road = URBAN_ROADS[rng.integers(len(URBAN_ROADS))]
    if kind == 0:
        estate = BRANDED_COMPOUNDS[rng.integers(len(BRANDED_COMPOUNDS))] if rng.random() < 0.4 \
            else COMPOUND_PREFIXES[rng.integers(len(COMPOUND_PREFIXES))] \
            + COMPOUND_SUFFIXES[rng.integers(len(COMPOUND_SUFFIXES))]
        return estate + SITE_PHASES[rng.integers(len(SITE_PHASES))]
    templates = (None, SHANTY_WORKS, MUNICIPAL_WORKS, PUBLIC_WORKS, RENOVATION_WORKS,
                 INDUSTRIAL_WORKS)[kind]
    template = templates[rng.integers(len(templates))]
    return template.format(
        place=place, road=road, number=chinese_numeral(int(rng.integers(1, 16))),
        compound=compound_names[rng.integers(len(compound_names))],
        brand=INDUSTRIAL_BRANDS[rng.integers(len(INDUSTRIAL_BRANDS))],
    )


def name_developers(rng: np.random.Generator, kinds: np.ndarray) -> list[str]:
    """The developer (建设单位) of each site: private for real estate, public otherwise."""
    private = [form.format(b) for b in DEVELOPER_BRANDS for form in DEVELOPER_FORMS]
    names = []
    for kind in kinds:
        choices = KIND_DEVELOPERS[kind]
        if choices is None or (kind == 5 and rng.random() < 0.5):
            names.append(private[rng.integers(len(private))])
        else:
            names.append(PUBLIC_DEVELOPERS[choices[rng.integers(len(choices))]])
    return names


def name_contractors(rng: np.random.Generator, n: int) -> np.ndarray:
    """The contractor (施工单位) of each site."""
    pool = [form.format(b) for b in CONTRACTOR_BRANDS for form in CONTRACTOR_FORMS]
    pool += list(BIG_CONTRACTORS)
    return pick(rng, pool, n)


def build_sites(rng: np.random.Generator, boundary: shapely.Geometry, zones: Layer,
                seeds_km: np.ndarray, urban_zone: np.ndarray, n: int,
                compound_names: list[str]) -> Layer:
    """The construction sites layer (points)."""
    weights = np.where(urban_zone, URBAN_SITE_SHARE / urban_zone.sum(),
                       (1 - URBAN_SITE_SHARE) / max(1, (~urban_zone).sum()))
    points = place_points(rng, boundary, seeds_km, weights / weights.sum(), n)
    kinds = rng.choice(len(SITE_KINDS), size=n, p=SITE_KIND_WEIGHTS)
    names = make_unique([name_site(rng, k, compound_names) for k in kinds])
    properties = pd.DataFrame({
        "id": format_id("XA-S", range(1, n + 1), max(3, len(str(n)))),
        "name": names,
        "kind": np.asarray(SITE_KINDS, dtype=object)[kinds],
        "developer": name_developers(rng, kinds),
        "contractor": name_contractors(rng, n),
        "zone": zones.properties["id"].to_numpy()[join_zones(points, zones)],
    })
    return Layer(properties[TABLES["sites"].names], points)


# =========================================================================== daily reports


def timeline(dates: list[dt.date]) -> np.ndarray:
    """Day of each report date on the epidemic timeline (0 = :data:`TIMELINE_START`)."""
    return np.array([(d - TIMELINE_START).days for d in dates], dtype=float)


def simulate_closures(rng: np.random.Generator, n: int, t: np.ndarray) -> np.ndarray:
    """Closure level (0 open, 1 controlled, 2 sealed) of each compound on each day.

    Compounds come under control around day 3 (a few were already), about half
    are sealed a few days later, and about 4% loosen by one level for 1-3 days.
    """
    controlled = np.where(rng.random(n) < 0.15, -5.0, rng.normal(3.0, 2.2, n))
    sealed = np.where(rng.random(n) < 0.5, controlled + rng.uniform(2.0, 10.0, n), np.inf)
    level = (t >= controlled[:, None]).astype(np.int8) + (t >= sealed[:, None])
    loosen = rng.random(n) < 0.04
    start = rng.uniform(t.min(), t.max() + 1, n)
    length = rng.integers(1, 4, n)
    eased = loosen[:, None] & (t >= start[:, None]) & (t < start[:, None] + length[:, None])
    return np.maximum(level - eased, 0).astype(np.int8)


def draw_notes(rng: np.random.Generator, pools, state: np.ndarray, chance: float,
               forced: np.ndarray | None = None) -> np.ndarray:
    """A short note for about ``chance`` of the reports, from the pool of each state."""
    notes = np.full(state.shape, "", dtype=object)
    write = rng.random(state.shape) < chance
    if forced is not None:
        write |= forced
    pick_index = rng.integers(0, 1 << 30, size=state.shape)
    for code, pool in enumerate(pools):
        where = write & (state == code)
        notes[where] = np.asarray(pool, dtype=object)[pick_index[where] % len(pool)]
    return notes


def simulate_compound_reports(rng: np.random.Generator, compounds: Layer,
                              t: np.ndarray) -> dict[str, np.ndarray]:
    """Every column of the compound report, as (compounds × days) arrays."""
    n, days = len(compounds.geometry), len(t)
    households = compounds.properties["households"].to_numpy()
    level = simulate_closures(rng, n, t)
    open_gates = rng.integers(2, 5, n)[:, None]
    sealed_gates = (rng.random(n) < 0.7).astype(int)[:, None]
    gates = np.where(level == 0, open_gates, np.where(level == 1, 1, sealed_gates))
    staff_base = np.clip(np.round(households / 120 + rng.uniform(1, 4, n)), 2, 30)
    staff = np.maximum(1, staff_base[:, None] + level + rng.integers(-1, 2, (n, days)))
    # volunteers join when a compound closes, more when sealed and as the weeks go on
    on_guard = (rng.integers(1, 5, n)[:, None] + (level - 1) * rng.integers(1, 4, n)[:, None]
                + np.round(np.clip(t / 7, 0, 1)).astype(int)
                + rng.integers(-1, 2, (n, days)))
    volunteers = np.where(level > 0, np.maximum(0, on_guard),
                          (rng.random((n, days)) < 0.2).astype(int))
    residents = np.round(households * rng.uniform(2.5, 3.2, n)).astype(np.int64)
    fever = np.minimum(rng.poisson(0.01 + households[:, None] * 0.00002, (n, days)), 3)
    isolation_rate = households * rng.uniform(0.002, 0.01, n)
    isolation = rng.poisson(isolation_rate[:, None] * np.clip(1.2 - 0.04 * t, 0.5, 1.2))
    changes = np.where(rng.random((n, days)) < 0.03, rng.choice([-1, 1], (n, days)), 0)
    changes[:, 0] = 0
    vulnerable = np.maximum(0, rng.poisson(households * 0.015)[:, None] + np.cumsum(changes, 1))
    notes = draw_notes(rng, CLOSURE_NOTES, level, 0.05)
    notes[(fever > 0) & (rng.random((n, days)) < 0.5)] = FEVER_NOTE
    return {
        "closure": level, "gates_open": gates, "staff_on_duty": staff.astype(np.int64),
        "volunteers_on_duty": volunteers, "residents": np.repeat(residents[:, None], days, 1),
        "fever_reports": fever, "home_isolation": isolation, "vulnerable": vulnerable,
        "note": notes,
    }


def simulate_resumption(rng: np.random.Generator, n: int, t: np.ndarray) -> tuple:
    """Resumption state (index into the vocabulary) of each site on each day.

    Sites apply between day 1 and day 12 (about 15% not at all), are approved
    1-3 days later and resume 0-2 days after that, which ends near 70%
    resumed; about 4% of sites (at least one) are suspended for 2-4 days after
    resuming. Returns the states and the day each site was approved.
    """
    applied = np.where(rng.random(n) < 0.85, rng.integers(1, 13, n).astype(float), np.inf)
    approved = applied + rng.integers(1, 4, n)
    resumed = approved + rng.integers(0, 3, n)
    state = ((t >= applied[:, None]).astype(np.int8) + (t >= approved[:, None])
             + (t >= resumed[:, None]))
    candidates = np.flatnonzero(resumed <= t.max() - 2)
    count = min(candidates.size, max(1, round(0.04 * n)))
    for site in rng.choice(candidates, size=count, replace=False):
        start = rng.integers(int(resumed[site]) + 1, int(t.max()) + 1)
        stop = start + rng.integers(2, 5)
        state[site, (t >= start) & (t < stop)] = RESUMPTION.index("suspended")
    return state, approved


def simulate_site_reports(rng: np.random.Generator, sites: Layer, t: np.ndarray,
                          reported: np.ndarray) -> dict[str, np.ndarray]:
    """Every column of the site report, as (sites × days) arrays.

    ``reported`` (sites × days) tells which sites report: the 2-3 resumed sites
    whose health ledger lapses on the last day are picked among the reporting.
    """
    n, days = len(sites.geometry), len(t)
    state, approved = simulate_resumption(rng, n, t)
    kinds = pd.Index(SITE_KINDS).get_indexer(sites.properties["kind"])
    low, high = np.array(SITE_WORKERS).T
    total = np.round(np.exp(rng.uniform(np.log(low[kinds]), np.log(high[kinds])))).astype(np.int64)
    start_share = rng.uniform(0.1, 0.3, n)
    rate = rng.uniform(0.05, 0.15, n)
    cap = rng.uniform(0.6, 0.95, n)
    since = t[None, :] - approved[:, None]
    share = np.where(since >= 0, np.minimum(cap[:, None], start_share[:, None]
                                             + rate[:, None] * np.maximum(since, 0)), 0.0)
    returned = np.round(total[:, None] * share).astype(np.int64)
    early = rng.random(n) < 0.15
    keeps = rng.random(n) < 0.7
    ledger = np.where(state >= 2, True, np.where(state == 1, keeps[:, None], early[:, None]))
    suspended = state == RESUMPTION.index("suspended")
    ledger[suspended] &= rng.random(suspended.sum()) < 0.3
    resumed_last = np.flatnonzero((state[:, -1] == RESUMPTION.index("resumed")) & reported[:, -1])
    lapses = min(resumed_last.size, max(int(rng.integers(2, 4)), round(0.01 * n)))
    lapsed = np.zeros((n, days), dtype=bool)
    for site in rng.choice(resumed_last, size=lapses, replace=False):
        lapsed[site, days - int(rng.integers(1, 3)):] = True
    lapsed &= state == RESUMPTION.index("resumed")
    ledger[lapsed] = False
    notes = draw_notes(rng, RESUMPTION_NOTES, state, 0.08, forced=suspended)
    notes[lapsed] = LEDGER_LAPSED_NOTE
    return {
        "resumption": state, "workers_total": np.repeat(total[:, None], days, 1),
        "workers_returned": returned, "health_ledger": np.where(ledger, "yes", "no"),
        "note": notes,
    }


def draw_missing(rng: np.random.Generator, n: int, days: int) -> np.ndarray:
    """Which places miss their report: about 2% a day, 5% on the last day."""
    chance = np.full(days, 0.02)
    chance[-1] = 0.05
    return rng.random((n, days)) < chance


# =========================================================================== supplies


def plan_daily_use(compound_reports: dict, site_reports: dict, households: np.ndarray,
                   factors: dict, day: int) -> np.ndarray:
    """Daily use of each item (places × items) on ``day``, before noise and rounding."""
    level = compound_reports["closure"][:, day]
    people = (compound_reports["staff_on_duty"][:, day]
              + compound_reports["volunteers_on_duty"][:, day])
    workers = site_reports["workers_returned"][:, day].astype(float)
    working = np.isin(site_reports["resumption"][:, day], (RESUMPTION.index("approved"),
                                                           RESUMPTION.index("resumed")))
    compound = np.column_stack([
        2 * people * factors["masks"][: len(level)],
        np.zeros(len(level)),
        (0.8 + households / 250) * factors["disinfectant"][: len(level)]
        * np.array([0.7, 1.0, 1.2])[level],
        factors["suits"][: len(level)] * np.array([0.0, 0.5, 1.0])[level],
        2 * people * factors["masks"][: len(level)] * factors["gloves"][: len(level)],
    ])
    guards = factors["guards"][len(level):]
    site = np.column_stack([
        2 * workers * working + guards,
        np.zeros(len(workers)),
        0.3 + workers * working / 80,
        (0.5 + workers / 100) * working,
        workers * working * factors["gloves"][len(level):] * 2 + 2,
    ])
    return np.vstack([compound, site])


def round_quantities(values: np.ndarray) -> np.ndarray:
    """Whole units for every item but disinfectant, which keeps one decimal (kg)."""
    rounded = np.round(values)
    disinfectant = ITEMS.index("disinfectant")
    rounded[:, disinfectant] = np.round(values[:, disinfectant], 1)
    return rounded


def simulate_supplies(rng: np.random.Generator, compound_reports: dict, site_reports: dict,
                      households: np.ndarray, days: int):
    """Yield (on_hand, daily_use) arrays (places × items) for each day.

    Stocks start at 5-30 days of use and run down by each day's use. When a
    place's shortest cover falls below its reorder point (3-9 days), the
    bureau delivers on a random later day (each place has its own chance a
    day, 45-95%): every item below 15 days of cover is topped up to 20-35
    days, masks by the hundred. Thermometers are not used up: daily use 0.
    """
    places = len(households) + len(site_reports["workers_total"])
    factors = {
        "masks": rng.uniform(0.8, 1.3, places), "disinfectant": rng.uniform(0.8, 1.2, places),
        "suits": rng.uniform(1.0, 4.0, places), "gloves": rng.uniform(0.4, 0.8, places),
        "guards": rng.uniform(2.0, 6.0, places),
    }
    shape = (places, len(ITEMS))
    masks, thermometers = ITEMS.index("masks"), ITEMS.index("thermometers")
    use = round_quantities(plan_daily_use(compound_reports, site_reports, households, factors, 0)
                           * rng.uniform(0.9, 1.1, shape))
    stock = round_quantities(np.maximum(use, 1) * rng.uniform(*START_COVER_DAYS, shape))
    stock[:, thermometers] = rng.integers(1, 7, places)
    reorder = rng.uniform(*REORDER_DAYS, places)
    chance = rng.uniform(*DELIVERY_CHANCE, places)
    for day in range(days):
        if day > 0:
            use = round_quantities(
                plan_daily_use(compound_reports, site_reports, households, factors, day)
                * rng.uniform(0.9, 1.1, shape))
        yield stock.copy(), use
        stock = np.maximum(stock - use, 0)
        cover = np.divide(stock, use, out=np.full(shape, np.inf), where=use > 0)
        served = (cover.min(axis=1) < reorder) & (rng.random(places) < chance)
        target = use * rng.uniform(*TOP_UP_DAYS, shape)
        target[:, masks] = np.ceil(target[:, masks] / 100) * 100
        top_up = served[:, None] & (cover < TOP_UP_BELOW_DAYS) & (target > stock)
        stock = round_quantities(np.where(top_up, target, stock))


def format_quantities(values: np.ndarray) -> np.ndarray:
    """Numbers as text without needless decimals: 1200, 3.5 (one decimal at most)."""
    tenths = np.round(np.asarray(values, dtype=float) * 10).astype(np.int64)
    whole, part = np.divmod(tenths, 10)
    text = whole.astype(str).astype(object)
    has_part = part != 0
    text[has_part] = text[has_part] + "." + part[has_part].astype(str).astype(object)
    return text


# =========================================================================== writing


def to_json(value) -> str:
    """Compact JSON text, Chinese kept as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def geometry_texts(geometries) -> list[str]:
    """GeoJSON geometry text of each geometry, coordinates as stored (shortest repr).

    Points and polygons without holes take a fast vectorised path (100,000
    compounds in about a second); anything else goes through
    :func:`shapely.geometry.mapping`.
    """
    geometries = np.asarray(geometries, dtype=object)
    kinds = shapely.get_type_id(geometries)
    if (kinds == shapely.GeometryType.POINT).all():
        return [f'{{"type":"Point","coordinates":{to_json(xy)}}}'
                for xy in shapely.get_coordinates(geometries).tolist()]
    if (kinds == shapely.GeometryType.POLYGON).all() and not shapely.get_num_interior_rings(
            geometries).any():
        coords = shapely.get_coordinates(geometries).tolist()
        ends = np.cumsum(shapely.get_num_coordinates(geometries)).tolist()
        return [f'{{"type":"Polygon","coordinates":[{to_json(coords[a:b])}]}}'
                for a, b in zip([0] + ends[:-1], ends)]
    return [to_json(mapping(g)) for g in geometries]


def feature_texts(properties: pd.DataFrame, geometries) -> list[str]:
    """One GeoJSON feature text per row: properties in column order, then geometry."""
    names = list(properties.columns)
    columns = [properties[name].tolist() for name in names]
    return [
        f'{{"type":"Feature","properties":{to_json(dict(zip(names, values)))},"geometry":{g}}}'
        for values, g in zip(zip(*columns), geometry_texts(geometries))
    ]


def write_feature_collection(path: Path, features, origin: str | None = None) -> None:
    """Write a GeoJSON FeatureCollection, one feature per line (UTF-8, stable bytes).

    ``features`` is an iterable of lists of feature texts (chunks, to bound the
    memory of big cities). ``origin``, when given, is written as a top-level
    ``"origin"`` member that names where the data come from.
    """
    head = {"type": "FeatureCollection"} if origin is None else {
        "type": "FeatureCollection", "origin": origin}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(to_json(head)[:-1] + ',"features":[')
        separator = "\n"
        for chunk in features:
            if chunk:
                f.write(separator + ",\n".join(chunk))
                separator = ",\n"
        f.write("\n]}\n")


def write_layer(path: Path, layer: Layer, origin: str | None = None, chunk: int = 10_000) -> None:
    """Write a geometry layer as GeoJSON, ``chunk`` features at a time."""
    write_feature_collection(path, (
        feature_texts(layer.properties.iloc[start:start + chunk],
                      layer.geometry[start:start + chunk])
        for start in range(0, len(layer.geometry), chunk)
    ), origin)


def write_boundary(path: Path, boundary: shapely.Geometry) -> None:
    """The district boundary (WGS-84) with its origin."""
    properties = pd.DataFrame({"name": [DISTRICT], "adcode": [DISTRICT_ADCODE]})
    write_layer(path, Layer(properties, np.array([boundary], dtype=object)), CONVERTED_ORIGIN)


def write_table_days(path: Path, frames) -> int:
    """Write day chunks of a status table to one CSV (UTF-8, no BOM); return the row count."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        for i, frame in enumerate(frames):
            frame.to_csv(f, header=i == 0, index=False, lineterminator="\n")
            rows += len(frame)
    return rows


def compound_frames(compounds: Layer, reports: dict, dates: list[dt.date],
                    missing: np.ndarray, typo: tuple[int, str]):
    """One DataFrame of compound reports per day; the typo row is added on the last day."""
    ids = compounds.properties["id"].to_numpy()
    names = compounds.properties["name"].to_numpy()
    columns = TABLES["compound_status"].names
    measures = [name for name in columns if name in reports]
    for day, date in enumerate(dates):
        keep = ~missing[:, day]
        frame = pd.DataFrame({"compound_id": ids[keep], "compound_name": names[keep], "date": date.isoformat()})
        for name in measures:
            frame[name] = reports[name][keep, day]
        frame["closure"] = np.asarray(CLOSURE, dtype=object)[frame["closure"].to_numpy()]
        if day == len(dates) - 1:
            row = {"compound_id": typo[1], "compound_name": names[typo[0]], "date": date.isoformat()}
            row.update({name: reports[name][typo[0], day] for name in measures})
            row["closure"] = CLOSURE[row["closure"]]
            frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
        yield frame[columns]


def site_frames(sites: Layer, reports: dict, dates: list[dt.date], missing: np.ndarray):
    """One DataFrame of site reports per day."""
    ids = sites.properties["id"].to_numpy()
    names = sites.properties["name"].to_numpy()
    columns = TABLES["site_status"].names
    measures = [name for name in columns if name in reports]
    for day, date in enumerate(dates):
        keep = ~missing[:, day]
        frame = pd.DataFrame({"site_id": ids[keep], "site_name": names[keep], "date": date.isoformat()})
        for name in measures:
            frame[name] = reports[name][keep, day]
        frame["resumption"] = np.asarray(RESUMPTION, dtype=object)[frame["resumption"].to_numpy()]
        yield frame[columns]


def supply_frames(place_ids: np.ndarray, place_names: np.ndarray, stocks, dates: list[dt.date],
                  missing: np.ndarray, chunk: int = 20_000):
    """DataFrames of supply rows, day by day in blocks of ``chunk`` places:
    every reporting place, every item."""
    items = np.asarray(ITEMS, dtype=object)
    for day, (date, (on_hand, use)) in enumerate(zip(dates, stocks)):
        for start in range(0, len(place_ids), chunk):
            block = slice(start, start + chunk)
            keep = ~missing[block, day]
            yield pd.DataFrame({
                "place_id": np.repeat(place_ids[block][keep], len(items)),
                "place_name": np.repeat(place_names[block][keep], len(items)),
                "date": date.isoformat(),
                "item": np.tile(items, int(keep.sum())),
                "on_hand": format_quantities(on_hand[block][keep].ravel()),
                "daily_use": format_quantities(use[block][keep].ravel()),
            })[TABLES["supplies"].names]


# =========================================================================== the city


@dataclass
class Reports:
    """The daily reports of the window to write: arrays are (places × days)."""

    dates: list[dt.date]
    missing: np.ndarray  # compounds then sites
    compounds: dict[str, np.ndarray]
    sites: dict[str, np.ndarray]
    stocks: Iterator[tuple[np.ndarray, np.ndarray]]  # (on_hand, daily_use) per day
    place_ids: np.ndarray
    typo: tuple[int, str]  # compound whose last report carries a mistyped id


def simulate_reports(streams: list[np.random.Generator], compounds: Layer, sites: Layer,
                     days: int) -> Reports:
    """Simulate the daily reports and keep the last ``days``.

    At least the whole timeline (from :data:`TIMELINE_START`) is simulated, so
    a short window shows the same late-February rows as the demo's last days.
    """
    simulated = report_dates(max(days, (END_DATE - TIMELINE_START).days + 1))
    window = slice(len(simulated) - days, None)
    t = timeline(simulated)
    n = len(compounds.geometry)
    missing = draw_missing(streams[3], n + len(sites.geometry), len(simulated))
    missing[n - 1, -1] = True  # its report arrives under a mistyped id
    typo = (n - 1, misspell_id(compounds.properties["id"].iloc[n - 1]))
    compound_reports = simulate_compound_reports(streams[4], compounds, t)
    site_reports = simulate_site_reports(streams[5], sites, t, ~missing[n:])
    households = compounds.properties["households"].to_numpy()
    stocks = simulate_supplies(streams[6], compound_reports, site_reports, households,
                               len(simulated))
    return Reports(
        dates=simulated[window],
        missing=missing[:, window],
        compounds={k: v[:, window] for k, v in compound_reports.items()},
        sites={k: v[:, window] for k, v in site_reports.items()},
        stocks=itertools.islice(stocks, window.start, None),
        place_ids=np.concatenate([compounds.properties["id"].to_numpy(),
                                  sites.properties["id"].to_numpy()]),
        typo=typo,
    )


def write_city(out: Path, compounds: int = 200, sites: int | None = None, days: int = 14,
               seed: int = 2020) -> dict[str, int]:
    """Generate the demo city and write every layer and table into ``out``.

    Parameters
    ----------
    out : Path
        Folder to write (created if needed): ``boundary.geojson`` and the files of
        :data:`geo.domain.schema.TABLES`.
    compounds : int
        Number of residential compounds (200 in the demo; 100,000 with ``days=2``
        take about 15 s and 450 MB).
    sites : int, optional
        Number of construction sites; default :func:`count_sites` (48 for 200 compounds).
    days : int
        Days of reports, ending on 2020-02-25. The city is always simulated
        from 2020-02-12 at least, so the last days do not depend on ``days``.
    seed : int
        Seed of every random draw: the same arguments give byte-identical files.

    Returns
    -------
    dict
        Rows written per table: zones, compounds, sites, compound_status,
        site_status, supplies.
    """
    if compounds < 1 or days < 1:
        raise ValueError("compounds and days must be at least 1")
    n_sites = count_sites(compounds) if sites is None else sites
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    boundary = read_boundary()
    townships = read_townships()

    zones, seeds, owners = build_zones(streams[0], boundary, townships, compounds)
    urban_zone = townships["street"].str.endswith("街道").to_numpy()[owners]
    compound_layer = build_compounds(streams[1], boundary, zones, seeds, urban_zone, compounds,
                                     townships)
    site_layer = build_sites(streams[2], boundary, zones, seeds, urban_zone, n_sites,
                             compound_layer.properties["name"].tolist())

    reports = simulate_reports(streams, compound_layer, site_layer, days)
    write_boundary(out / "boundary.geojson", boundary)
    for name, layer in (("zones", zones), ("compounds", compound_layer), ("sites", site_layer)):
        write_layer(out / TABLES[name].file, layer)
    return {
        "zones": len(zones.geometry),
        "compounds": compounds,
        "sites": n_sites,
        "compound_status": write_table_days(
            out / TABLES["compound_status"].file,
            compound_frames(compound_layer, reports.compounds, reports.dates,
                            reports.missing[:compounds], reports.typo)),
        "site_status": write_table_days(
            out / TABLES["site_status"].file,
            site_frames(site_layer, reports.sites, reports.dates, reports.missing[compounds:])),
        "supplies": write_table_days(
            out / TABLES["supplies"].file,
            supply_frames(reports.place_ids, np.concatenate([compound_layer.properties["name"].to_numpy(),
                                                             site_layer.properties["name"].to_numpy()]),
                          reports.stocks, reports.dates, reports.missing)),
    }


if __name__ == "__main__":  # python -m geo.demo.city REALDATA_DIR: refresh data/source
    import sys

    copy_sources(Path(sys.argv[1]))
