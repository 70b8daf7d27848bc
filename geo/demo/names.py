"""Invented names and numbers: people, phones, compounds, addresses, companies, sites.

Word lists of the Xianning area (surnames, given names, road names, brands, kinds of
works) are combined at random by a seeded generator, so every name in the demo is an
invention even where a list borrows a real brand or public body. The ids of the
layers (:func:`format_id`) are made here too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.demo.sources import DISTRICT

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


def format_id(prefix: str, numbers, width: int) -> list[str]:
    """Ids such as ``XA-C0001`` for 1-based ``numbers``.

    >>> format_id("XA-C", [1, 12], 4)
    ['XA-C0001', 'XA-C0012']
    """
    return [f"{prefix}{n:0{width}d}" for n in numbers]


def chinese_numeral(n: int) -> str:
    """1-99 in Chinese numerals: 1 -> 一, 10 -> 十, 21 -> 二十一.

    >>> [chinese_numeral(n) for n in (1, 10, 14, 21)]
    ['一', '十', '十四', '二十一']
    """
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[ones] if ones else "")


def pick(rng: np.random.Generator, options, size: int, p=None) -> np.ndarray:
    """``size`` random choices from a tuple of strings, as an object array."""
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def make_unique(names: list[str], suffix: str = "（{}标段）") -> list[str]:
    """Append a running number to repeated names: 'X', 'X（2标段）', 'X（3标段）'.

    >>> make_unique(["X", "Y", "X", "X"])
    ['X', 'Y', 'X（2标段）', 'X（3标段）']
    """
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else name + suffix.format(seen[name]))
    return unique


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
