"""The demo city's week of inspections and the problems they found, in every state of the loop.

Over the last seven report days the bureau's teams inspect a few compounds and sites a
day (Chuxiong's figures, scaled to the demo: 140 compounds and 51 sites in a campaign);
an item fails now and then, and each failed item is handed out to the place's property
company or contractor with a deadline of three days. The older a problem, the further it
has got: most are closed (销号), some wait for the re-check (待复核), a few fixes were
sent back (退回), and some are overdue. Written as ``tasks.json`` in the data folder and
read like the rest of it (:mod:`geo.upload.tasks`); the same seed gives the same file.

Examples
--------
>>> import pandas as pd
>>> places = pd.DataFrame({"kind": ["compounds"] * 30 + ["sites"] * 10, "id": [f"P{i}" for i in range(40)],
...                        "name": [f"场所{i}" for i in range(40)], "unit": "阳光物业"})
>>> records = build_tasks(np.random.default_rng(1), places, [f"2020-02-{d}" for d in range(19, 26)])
>>> len(records["inspections"]) > 30, {p["history"][-1]["state"] for p in records["problems"]} >= {"closed", "returned"}
(True, True)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from geo.domain.tasks import DEFAULT_CHECKLISTS, checklist_of

DAYS = 7  # report days of inspections, ending on the last one
PER_DAY = {"compounds": 8, "sites": 4}  # inspections a day by kind
FAIL_SHARE = 0.07  # of the items asked
DEADLINE_DAYS = 3
TEAMS = ("市住建局督导组", "物业科检查组", "建管科检查组", "质安站检查组")
DESCRIPTIONS = {
    "c_one_gate": "北侧小门未封闭，有人员进出", "c_register": "登记簿记录不全，部分车辆未登记",
    "c_temperature": "门岗体温枪电量不足，未逐一测温", "c_disinfect": "电梯间消毒记录缺失两天",
    "c_on_duty": "夜间门岗无人值守", "c_supplies": "消毒液库存仅够一天",
    "s_team": "未明确防控负责人", "s_real_name": "新进场工人未实名登记", "s_ledger": "健康台账未更新",
    "s_temperature": "下午未测温", "s_disinfect": "工人宿舍未消毒", "s_isolation": "未设置隔离观察室",
    "s_supplies": "口罩储备不足三天", "s_no_unapproved": "未经核准已有工人进场施工", "s_no_gathering": "食堂集中就餐",
    "s_no_outsiders": "送货人员未登记进入工地", "s_no_hiding": "一名工人发热未及时上报", "s_no_sick_work": "咳嗽工人仍在岗",
}
FIXES = ("已整改，附整改照片", "已补齐记录", "已安排专人值守", "已采购补充")
RETURNS = ("整改照片不清楚，请重新拍摄", "现场复核仍未整改到位")


def _person(rng: np.random.Generator) -> tuple[str, str]:
    surname = "王李张刘陈杨黄赵周吴"[int(rng.integers(10))]
    return f"{surname}经理", f"13{int(rng.integers(100_000_000, 999_999_999))}"


def _history(rng: np.random.Generator, found: dt.date, last: dt.date, who: str, unit: str) -> list[dict]:
    """How far a problem found on ``found`` has got by ``last``: each change a day or so after the one before."""
    days = (last - found).days
    history = [{"state": "handed_out", "at": f"{found}T10:00:00", "by": who}]
    day = found

    def later(state: str, note: str | None, by: str) -> None:
        nonlocal day
        day = day + dt.timedelta(days=int(rng.integers(1, 3)))
        history.append({"state": state, "at": f"{min(day, last)}T{int(rng.integers(9, 18)):02d}:30:00", "by": by,
                        **({"note": note} if note else {})})

    if days >= 1 and rng.random() < 0.85:
        if rng.random() < 0.4:
            later("in_progress", None, unit)
            if days < 4 and rng.random() < 0.6:
                return history  # still being fixed
        later("rectified", FIXES[int(rng.integers(len(FIXES)))], unit)
        if days >= 2 and rng.random() < 0.85:
            if rng.random() < 0.15:
                later("returned", RETURNS[int(rng.integers(len(RETURNS)))], who)
                if days < 4 or rng.random() < 0.3:
                    return history  # sent back, not fixed again yet
                later("rectified", FIXES[0], unit)
            if days >= 2 and rng.random() < 0.85:
                later("closed", None, who)
    return history


def build_tasks(rng: np.random.Generator, places: pd.DataFrame, dates: list[str]) -> dict:
    """A week of inspections and their problems: ``places`` has kind, id, name and the responsible unit."""
    dates = dates[-DAYS:]
    last = dt.date.fromisoformat(dates[-1])
    inspections, problems = [], []
    for date in dates:
        day = dt.date.fromisoformat(date)
        for kind, count in PER_DAY.items():
            pool = places[places["kind"] == kind]
            for row in pool.iloc[rng.choice(len(pool), size=min(count, len(pool)), replace=False)].itertuples():
                items = DEFAULT_CHECKLISTS[checklist_of(kind)]
                fails = rng.random(len(items)) < FAIL_SHARE
                number = f"JC-{len(inspections) + 1:04d}"
                team = TEAMS[int(rng.integers(len(TEAMS)))]
                inspections.append({"number": number, "kind": kind, "place_id": row.id, "place_name": row.name,
                                    "date": date, "inspectors": team,
                                    "results": {item.code: "fail" if fail else "pass"
                                                for item, fail in zip(items, fails)}})
                unit_type = "property" if kind == "compounds" else "contractor"
                for item, fail in zip(items, fails):
                    if not fail:
                        continue
                    person, phone = _person(rng)
                    problems.append({
                        "inspection": number, "item_code": item.code, "kind": kind, "place_id": row.id,
                        "place_name": row.name, "found_on": date, "category": item.category,
                        "description": DESCRIPTIONS.get(item.code, item.zh), "unit_type": unit_type,
                        "unit_name": row.unit, "person": person, "phone": phone,
                        "deadline": str(day + dt.timedelta(days=DEADLINE_DAYS)),
                        "history": _history(rng, day, last, team, row.unit)})
    return {"inspections": inspections, "problems": problems}


def write_tasks(path: Path, records: dict) -> int:
    """Write the records as stable JSON (sorted keys, one record a line); returns the number of problems."""
    lines = ['{"inspections": [', ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True)
                                              for r in records["inspections"]),
             '], "problems": [', ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True)
                                            for r in records["problems"]), "]}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(records["problems"])
