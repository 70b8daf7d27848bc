"""Acting on what the map shows: inspections (督导检查), problems handed out (交办), rectified (整改), signed off (销号).

The facts of the loop, as the grid-management platforms the bureau knows run it:
report → verify → hand out → rectify → re-check → close. A problem's state moves
only along :data:`TRANSITIONS`, each step allowed to some roles only and some needing
a photo of the fix; the states, the problems' categories, the kinds of responsible
unit and an inspection's results are vocabularies of :mod:`geo.domain.vocab`. The
checklists an inspection fills in start as :data:`DEFAULT_CHECKLISTS` and are data
afterwards (an admin edits them in the store).

Examples
--------
>>> step("handed_out", "rectified").photo
True
>>> [s.to for s in steps_from("rectified", "staff")]
['closed', 'returned']
>>> [s.to for s in steps_from("rectified", "unit")]
[]
>>> checklist_of("sites"), checklist_of("markets"), checklist_of("compounds")
('sites', 'others', 'compounds')
>>> OPEN_STATES
('handed_out', 'in_progress', 'rectified', 'returned')
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.domain import kinds

#: Where a problem is: its state's code (vocabulary ``problem_state``).
STATES = ("handed_out", "in_progress", "rectified", "returned", "closed")
OPEN_STATES = tuple(state for state in STATES if state != "closed")
UNFIXED_STATES = ("handed_out", "in_progress", "returned")  # the unit's turn: these can be overdue
FIRST_STATE = "handed_out"

#: Who acts on a problem: the bureau's staff and admins hand out, re-check and close; the responsible unit
#: (its account, once accounts can be scoped to places) works on it and reports it fixed.
BUREAU = ("staff", "admin")
UNIT = ("unit", "staff", "admin")


@dataclass(frozen=True)
class Step:
    """One allowed change of a problem's state."""

    start: str
    to: str
    roles: tuple[str, ...]
    photo: bool = False  # a photo of the fix must come with it
    note: bool = False  # a reason must be written (a fix sent back)


TRANSITIONS: tuple[Step, ...] = (
    Step("handed_out", "in_progress", UNIT),
    Step("handed_out", "rectified", UNIT, photo=True),
    Step("in_progress", "rectified", UNIT, photo=True),
    Step("returned", "in_progress", UNIT),
    Step("returned", "rectified", UNIT, photo=True),
    Step("rectified", "closed", BUREAU),
    Step("rectified", "returned", BUREAU, note=True),
)


def step(start: str, to: str) -> Step | None:
    """The step from ``start`` to ``to``, or None when the loop has no such step.

    >>> step("closed", "handed_out") is None, step("handed_out", "closed") is None
    (True, True)
    """
    return next((s for s in TRANSITIONS if s.start == start and s.to == to), None)


def steps_from(state: str, role: str) -> list[Step]:
    """The steps ``role`` may take from ``state``, in the order of :data:`TRANSITIONS`."""
    return [s for s in TRANSITIONS if s.start == state and role in s.roles]


@dataclass(frozen=True)
class CheckItem:
    """One line of a checklist: what the inspector looks at, and the category of a problem when it fails."""

    code: str
    zh: str
    en: str
    category: str  # a code of the vocabulary ``problem_category``


#: The checklists an empty store starts with; afterwards they are rows an admin edits (geo.store.tasks).
DEFAULT_CHECKLISTS: dict[str, tuple[CheckItem, ...]] = {
    # the closure checks of a compound (封闭管理): one gate, registration, temperatures, disinfection, people on duty
    "compounds": (
        CheckItem("c_one_gate", "只留一个出入口，其余出入口封闭", "One gate open, the others closed", "gate"),
        CheckItem("c_register", "进出人员、车辆逐一登记", "Everyone and every vehicle in or out registered",
                  "registration"),
        CheckItem("c_temperature", "进出人员逐一测温", "Everyone's temperature taken at the gate", "temperature"),
        CheckItem("c_disinfect", "公共区域每日消毒并有记录", "Common areas disinfected daily, with a log",
                  "disinfection"),
        CheckItem("c_on_duty", "物业人员、志愿者在岗值守", "Property staff and volunteers on duty", "duty"),
        CheckItem("c_supplies", "口罩、体温枪、消毒液储备充足", "Masks, thermometers, disinfectant in stock",
                  "supplies"),
    ),
    # a construction site's "seven musts" (七个必须) and "five nevers" (五个严禁) before and after resuming
    "sites": (
        CheckItem("s_team", "必须成立疫情防控工作组", "Must have an epidemic control team", "site_rules"),
        CheckItem("s_real_name", "必须落实实名制管理", "Must register every worker by name", "registration"),
        CheckItem("s_ledger", "必须建立人员健康台账", "Must keep a health ledger of the workers", "registration"),
        CheckItem("s_temperature", "必须每日两次测温", "Must take temperatures twice a day", "temperature"),
        CheckItem("s_disinfect", "必须对生活区、办公区每日消毒", "Must disinfect living and office areas daily",
                  "disinfection"),
        CheckItem("s_isolation", "必须设置临时隔离观察室", "Must have a room to isolate someone unwell",
                  "site_rules"),
        CheckItem("s_supplies", "必须储备足够的防疫物资", "Must hold enough protective supplies", "supplies"),
        CheckItem("s_no_unapproved", "严禁未经核准擅自复工", "Never resume work without approval", "site_rules"),
        CheckItem("s_no_gathering", "严禁集中用餐、聚集活动", "Never eat or gather in groups", "site_rules"),
        CheckItem("s_no_outsiders", "严禁外来人员随意进出", "Never let outsiders in unchecked", "gate"),
        CheckItem("s_no_hiding", "严禁瞒报、迟报疫情信息", "Never hide or delay reporting a case", "site_rules"),
        CheckItem("s_no_sick_work", "严禁带病上岗", "Never let anyone unwell work", "duty"),
    ),
    # markets, sales offices, agencies, parks, plants
    "others": (
        CheckItem("o_scan", "进入人员扫码或登记", "Everyone coming in scanned or registered", "registration"),
        CheckItem("o_temperature", "入口测温", "Temperatures taken at the entrance", "temperature"),
        CheckItem("o_masks", "工作人员和进入人员佩戴口罩", "Staff and visitors wear masks", "duty"),
        CheckItem("o_disinfect", "每日消毒并有记录", "Disinfected daily, with a log", "disinfection"),
        CheckItem("o_crowd", "控制人流，避免聚集", "Visitors limited, no crowding", "gate"),
    ),
}


def checklist_of(kind_name: str) -> str:
    """The checklist an inspection of a place of ``kind_name`` fills in: its own when there is one, else the
    other places'."""
    return kind_name if kind_name in DEFAULT_CHECKLISTS else "others"


def inspected_kinds() -> list[str]:
    """The kinds whose places can be inspected: every kind with places of its own, points included (not the
    zones, which are areas of the map rather than places one walks into)."""
    return [k.name for k in kinds.KINDS.values() if k.layer and k.layer != "zones"]
