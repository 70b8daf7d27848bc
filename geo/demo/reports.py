"""The simulated daily reports (closures, resumption, missing reports, supplies) and their frames.

The story follows the housing bureaus' own accounts, timed from :data:`TIMELINE_START`:
compounds close (open, controlled, sealed) in the second week of February, sites apply
and resume work in the second half, supplies run low and are restocked, and a few
places miss their daily report. :func:`simulate_reports` draws them as
(places × days) arrays; :func:`compound_frames`, :func:`site_frames` and
:func:`supply_frames` turn them into the day chunks of the status tables.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pandas as pd

from geo.demo.names import SITE_KINDS, SITE_WORKERS
from geo.demo.places import Layer
from geo.domain import TABLES, codes

#: Last day of the reports.
END_DATE = dt.date(2020, 2, 25)
#: Day 0 of the epidemic timeline: the closures and resumptions are timed from here,
#: so a short window (``days=2``) shows the same late-February state as the demo.
TIMELINE_START = dt.date(2020, 2, 12)

#: Supplies: days of cover at the start, reorder point, daily chance of a delivery
#: once below it, and the cover an item is topped up to when below TOP_UP_BELOW_DAYS.
START_COVER_DAYS = (5.0, 30.0)
REORDER_DAYS = (3.0, 9.0)
DELIVERY_CHANCE = (0.45, 0.95)
TOP_UP_DAYS = (20.0, 35.0)
TOP_UP_BELOW_DAYS = 15.0

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


def report_dates(days: int) -> list[dt.date]:
    """The ``days`` report dates ending on :data:`END_DATE`."""
    return [END_DATE - dt.timedelta(days=days - 1 - i) for i in range(days)]


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


@dataclass
class Reports:
    """The daily reports of the window to write: arrays are (places × days)."""

    dates: list[dt.date]
    missing: np.ndarray  # compounds then sites
    compounds: dict[str, np.ndarray]
    sites: dict[str, np.ndarray]
    stocks: Iterator[tuple[np.ndarray, np.ndarray]]  # (on_hand, daily_use) per day
    place_ids: np.ndarray


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
    )


def format_quantities(values: np.ndarray) -> np.ndarray:
    """Numbers as text without needless decimals: 1200, 3.5 (one decimal at most).

    >>> format_quantities([1200.0, 3.5, 0.04]).tolist()
    ['1200', '3.5', '0']
    """
    tenths = np.round(np.asarray(values, dtype=float) * 10).astype(np.int64)
    whole, part = np.divmod(tenths, 10)
    text = whole.astype(str).astype(object)
    has_part = part != 0
    text[has_part] = text[has_part] + "." + part[has_part].astype(str).astype(object)
    return text


def compound_frames(compounds: Layer, reports: dict, dates: list[dt.date],
                    missing: np.ndarray):
    """One DataFrame of compound reports per day."""
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
