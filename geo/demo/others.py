"""The other places the bureau supervises: markets, sales offices, housing agencies, parks, water and sewage plants.

How many (:func:`count_others`): as in Chuxiong, whose bureau checked 44 sales offices, 48 housing
agencies, 2 parks, 3 water and 2 sewage plants beside its 140 compounds; markets, one for 16
compounds. Where: points near the zone seeds, most in the three urban streets, plants more often
out of town. Their February (:func:`simulate_others`), timed like the compounds and sites: markets
stay open to keep the 菜篮子 full and a few shut for a day or two of disinfection, one for good;
sales offices and agency shops are suspended by the bureau's order and about half reopen from the
third week; the parks stay closed but one, which reopens on the last days; the plants run, one runs
reduced for a few days and one stops a day for maintenance. A few reports are missing, as for the
compounds. Every name is invented from the word lists of :mod:`geo.demo.names`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely

from geo.demo.names import (
    COMPOUND_PREFIXES,
    COMPOUND_SUFFIXES,
    DEVELOPER_BRANDS,
    DEVELOPER_FORMS,
    TOWN_ROAD_SUFFIXES,
    URBAN_ROADS,
    chinese_numeral,
    draw_phones,
    format_id,
    make_unique,
    name_people,
    pick,
)
from geo.demo.places import Layer, join_zones, place_points
from geo.demo.sources import DISTRICT
from geo.domain import TABLES, kinds, vocab

#: The kinds of :mod:`geo.domain.kinds` written here, in their order.
OTHER_KINDS = ("markets", "sales_offices", "agencies", "parks", "plants")
#: Places per compound (Chuxiong: 44 sales offices, 48 agencies, 2 parks, 5 plants for 140 compounds).
PER_COMPOUND = {"markets": 1 / 16, "sales_offices": 44 / 140, "agencies": 48 / 140, "parks": 2 / 140,
                "plants": 5 / 140}
#: A benchmark city of 100,000 compounds counts them as if it had this many: the benchmark is about compounds.
COMPOUNDS_COUNTED = 1000
#: Share of each kind in the three urban streets.
URBAN_SHARE = {"markets": 0.7, "sales_offices": 0.85, "agencies": 0.9, "parks": 0.85, "plants": 0.4}
ID_PREFIXES = {"markets": "XA-M", "sales_offices": "XA-O", "agencies": "XA-A", "parks": "XA-P", "plants": "XA-W"}

MARKET_FORMS = ("{}农贸市场", "{}菜市场", "{}综合市场")
MARKET_MANAGERS = ("咸安区{}市场管理所", "咸宁{}市场管理有限公司")
AGENCY_BRANDS = ("香城", "泉都", "金桂", "安家", "好房", "乐居", "鑫家", "顺达", "嘉业", "家和", "恒信", "温馨")
PARKS = ("十六潭公园", "潜山公园", "金桂湖公园", "淦河湿地公园", "书台公园", "月亮湾公园", "滨河公园", "银泉公园",
         "龟山公园", "永安公园", "体育公园", "人民公园")
PARK_MANAGERS = ("咸安区园林绿化管理所", "咸宁市园林局", "咸安区城市管理执法局")
WATER_OPERATORS = ("咸宁市水务集团有限公司", "咸宁市自来水有限公司")
SEWAGE_OPERATORS = ("咸宁市排水有限公司", "咸安区污水处理有限公司")

#: Notes of a report by state (in the vocabulary's order), per kind.
NOTES = {
    "markets": (("每日两次消毒", "入口测温登记", "购物须佩戴口罩", "已设置单向通道"),
                ("停市全面消杀", "暂停营业，全面消毒"), ("责令关闭整改",)),
    "sales_offices": (("预约看房，限流接待", "已恢复开放，入口测温"), ("按通知暂停开放", "留守人员值班"),
                      ("项目停售，售楼部关闭",)),
    "agencies": (("恢复营业，测温登记",), ("门店暂停开放",), ("门店已歇业",)),
    "parks": (("限流开放，入园测温",), ("暂时关闭，暂停各类活动", "每日巡查消毒"), ("关闭",)),
    "plants": (("水质检测正常", "人员封闭值守"), ("人员不足，减量运行", "药剂紧张，减量运行"), ("设备检修，暂停运行",)),
}


def count_others(compounds: int) -> dict[str, int]:
    """How many places of each kind a city of ``compounds`` compounds has (at least one, two plants).

    >>> count_others(200)
    {'markets': 12, 'sales_offices': 63, 'agencies': 69, 'parks': 3, 'plants': 7}
    """
    counted = min(compounds, COMPOUNDS_COUNTED)
    return {kind: max(2 if kind == "plants" else 1, round(counted * share)) for kind, share in PER_COMPOUND.items()}


def _roads(rng: np.random.Generator, streets: np.ndarray, short: dict[str, str]) -> np.ndarray:
    """A road of each place's street or town: 金桂路 in town, 汀泗桥中路 in 汀泗桥镇."""
    urban = np.char.endswith(streets.astype(str), "街道")
    towns = np.asarray([short.get(s, s) for s in streets], dtype=object) + pick(rng, TOWN_ROAD_SUFFIXES, len(streets))
    return np.where(urban, pick(rng, URBAN_ROADS, len(streets)), towns)


def _names(rng: np.random.Generator, kind: str, n: int, streets: np.ndarray, roads: np.ndarray,
           short: dict[str, str]) -> dict:
    """The name and the kind's own columns (manager, developer, company, …) of ``n`` places on ``roads``."""
    urban = np.char.endswith(streets.astype(str), "街道")
    local = np.asarray([short.get(s, s) for s in streets], dtype=object)  # 温泉, 汀泗桥
    if kind == "markets":
        forms = np.where(urban, pick(rng, MARKET_FORMS, n), "{}集贸市场")
        where = np.where(urban & (rng.random(n) < 0.5), roads, local)
        return {"name": [f.format(w) for f, w in zip(forms, where)],
                "vendors": np.round(np.exp(rng.uniform(np.log(80), np.log(700), n))).astype(np.int64),
                "manager": [f.format(p) for f, p in zip(pick(rng, MARKET_MANAGERS, n), local)]}
    if kind == "sales_offices":
        estates = pick(rng, COMPOUND_PREFIXES, n) + pick(rng, COMPOUND_SUFFIXES, n)
        return {"name": estates + pick(rng, ("售楼部", "营销中心"), n),
                "developer": [f.format(b) for f, b in zip(pick(rng, DEVELOPER_FORMS, n), pick(rng, DEVELOPER_BRANDS, n))]}
    if kind == "agencies":
        weights = 1.0 / np.arange(1, len(AGENCY_BRANDS) + 1)  # a few firms have many shops
        brands = pick(rng, AGENCY_BRANDS, n, p=weights / weights.sum())
        return {"name": [f"{b}房产（{r}店）" for b, r in zip(brands, roads)],
                "company": [f"咸宁{b}房地产经纪有限公司" for b in brands]}
    if kind == "parks":
        chosen = rng.permutation(len(PARKS))[np.arange(n) % len(PARKS)]
        return {"name": np.asarray(PARKS, dtype=object)[chosen], "manager": pick(rng, PARK_MANAGERS, n)}
    water = np.arange(n) < max(1, round(n * 3 / 5))  # Chuxiong: 3 water plants, 2 sewage plants
    capacity = np.where(water, rng.integers(5, 16, n), rng.integers(2, 11, n)) * 10_000
    return {"name": [f"咸宁市第{chinese_numeral(i + 1)}水厂" if w else f"{p}污水处理厂"
                     for i, (w, p) in enumerate(zip(water, local))],
            "plant_type": np.where(water, "自来水厂", "污水处理厂"),
            "operator": np.where(water, pick(rng, WATER_OPERATORS, n), pick(rng, SEWAGE_OPERATORS, n)),
            "capacity": capacity.astype(np.int64)}


def build_others(rng: np.random.Generator, boundary: shapely.Geometry, zones: Layer, seeds_km: np.ndarray,
                 urban_zone: np.ndarray, counts: dict[str, int], townships: pd.DataFrame) -> dict[str, Layer]:
    """The layer of each kind of :data:`OTHER_KINDS` (points), in the column order of its table."""
    short = dict(zip(townships["street"], townships["short"]))
    layers = {}
    for kind in OTHER_KINDS:
        n = counts[kind]
        share = URBAN_SHARE[kind]
        weights = np.where(urban_zone, share / urban_zone.sum(), (1 - share) / max(1, (~urban_zone).sum()))
        points = place_points(rng, boundary, seeds_km, weights / weights.sum(), n)
        zone = join_zones(points, zones)
        streets = zones.properties["street"].to_numpy()[zone]
        roads = _roads(rng, streets, short)
        columns = _names(rng, kind, n, streets, roads, short)
        columns["name"] = make_unique([str(name) for name in columns["name"]], "（{}）")
        properties = pd.DataFrame({
            "id": format_id(ID_PREFIXES[kind], range(1, n + 1), max(2, len(str(n)))),
            **columns,
            "address": [f"{DISTRICT}{s}{r}{k}号" for s, r, k in zip(streets, roads, rng.integers(1, 300, n))],
            "zone": zones.properties["id"].to_numpy()[zone],
            "contact": name_people(rng, n),
            "phone": draw_phones(rng, n),
        })
        layers[kind] = Layer(properties[TABLES[kind].names], points)
    return layers


def _episode(rng: np.random.Generator, t: np.ndarray, length: tuple[int, int]) -> np.ndarray:
    """Days (of ``t``) of one episode of 1 to ``length`` days starting on a random day."""
    start = rng.integers(int(t.min()), int(t.max()) + 1)
    return (t >= start) & (t < start + rng.integers(*length))


def simulate_states(rng: np.random.Generator, kind: str, n: int, t: np.ndarray) -> np.ndarray:
    """The state of each place on each day (places × days), as an index into its vocabulary."""
    if kind in ("markets", "plants"):  # open or running, with short episodes
        state = np.zeros((n, len(t)), dtype=np.int8)
        if kind == "markets":
            for place in np.flatnonzero(rng.random(n) < 0.2):
                state[place, _episode(rng, t, (1, 4))] = 1
            if n >= 4:
                state[rng.integers(n), t >= rng.integers(4, 11)] = 2  # ordered to close
        else:
            chosen = rng.permutation(n)
            state[chosen[0], t >= t.max() - rng.integers(1, 3)] = 1  # short of staff in the last days
            state[chosen[1], t == 3] = 2  # a day of maintenance
        return state
    # suspended by the order of late January; some reopen in the third week of February
    reopen = {"sales_offices": (0.5, 9, 17), "agencies": (0.45, 8, 17), "parks": (0.0, 12, 13)}[kind]
    share, first, last = reopen
    day = np.where(rng.random(n) < share, rng.integers(first, last, n), np.inf)
    if kind == "parks" and n >= 2:
        day[rng.integers(n)] = first
    state = np.where(t[None, :] >= day[:, None], 0, 1).astype(np.int8)
    if kind != "parks":
        state[rng.random(n) < 0.04] = 2  # closed for good
    return state


def simulate_values(rng: np.random.Generator, kind: str, layer: Layer, state: np.ndarray) -> dict[str, np.ndarray]:
    """The report's other columns (places × days): open places are staffed, visited and disinfected."""
    n, days = state.shape
    open_ = state == 0
    staff = np.where(open_, rng.integers(2, 9, (n, days)), rng.integers(0, 3, (n, days)))
    twice = np.where(open_, rng.integers(2, 4, (n, days)), (state == 1) * rng.integers(0, 2, (n, days)))
    if kind == "markets":
        vendors = layer.properties["vendors"].to_numpy()[:, None]
        trading = np.round(vendors * rng.uniform(0.5, 0.9, (n, days))).astype(np.int64)
        return {"vendors_open": np.where(open_, trading, 0), "staff": staff + 4 * open_, "disinfections": twice}
    if kind == "sales_offices":
        return {"visits": np.where(open_, rng.poisson(8, (n, days)), 0), "staff": staff, "disinfections": twice}
    if kind == "agencies":
        return {"staff": np.where(open_, rng.integers(1, 7, (n, days)), (state == 1) * rng.integers(0, 2, (n, days)))}
    if kind == "parks":
        return {"visitors": np.where(open_, rng.poisson(600, (n, days)), 0), "staff": staff + 2, "disinfections": twice}
    capacity = layer.properties["capacity"].to_numpy()[:, None]
    share = np.select([state == 0, state == 1], [rng.uniform(0.6, 0.85, (n, days)), rng.uniform(0.3, 0.5, (n, days))],
                      0.0)
    return {"output": np.round(capacity * share, -2).astype(np.int64), "water_quality": np.full((n, days), "yes"),
            "staff": rng.integers(10, 31, (n, days))}


def _notes(rng: np.random.Generator, kind: str, state: np.ndarray) -> np.ndarray:
    """A short note for about one report in ten, and for every report of a place not open."""
    notes = np.full(state.shape, "", dtype=object)
    write = (rng.random(state.shape) < 0.1) | (state > 0)
    choice = rng.integers(0, 1 << 30, state.shape)
    for code, pool in enumerate(NOTES[kind]):
        where = write & (state == code)
        notes[where] = np.asarray(pool, dtype=object)[choice[where] % len(pool)]
    return notes


def simulate_others(rng: np.random.Generator, layers: dict[str, Layer], t: np.ndarray,
                    missing: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Every column of the daily report of each kind, as (places × days) arrays over the timeline ``t``."""
    reports = {}
    for kind in OTHER_KINDS:
        n = len(layers[kind].geometry)
        state = simulate_states(rng, kind, n, t)
        reports[kind] = {kinds.kind(kind).state_column: state, **simulate_values(rng, kind, layers[kind], state),
                         "note": _notes(rng, kind, state), "_missing": missing[kind]}
    return reports


def other_frames(kind: str, layer: Layer, reports: dict[str, np.ndarray], dates: list[dt.date], window: slice):
    """One DataFrame of the daily report of ``kind`` per day of the window (dates are the window's)."""
    table = TABLES[kinds.kind(kind).report]
    place_id, place_name = table.key[0], table.place_name
    state_column = kinds.kind(kind).state_column
    codes = np.asarray(vocab.codes(kinds.kind(kind).vocabulary), dtype=object)
    ids, names = layer.properties["id"].to_numpy(), layer.properties["name"].to_numpy()
    measures = [name for name in table.names if name in reports]
    offset = window.start
    for day, date in enumerate(dates):
        keep = ~reports["_missing"][:, offset + day]
        frame = pd.DataFrame({place_id: ids[keep], place_name: names[keep], "date": date.isoformat()})
        for name in measures:
            frame[name] = reports[name][keep, offset + day]
        frame[state_column] = codes[frame[state_column].to_numpy().astype(int)]
        yield frame[table.names]
