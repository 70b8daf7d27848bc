"""The loop's records in the store: checklists, inspections, problems, every change of their state, photos.

Rows are only added. A checklist saved again retires its items and adds the new ones;
a problem's state is its newest row of ``problem_events``. A change names the change it
saw last (its ``seq``): two people changing one problem at once (one closes it, the other
sends it back) write the same ``seq`` + 1, the database keeps one, and the other is told
with :class:`ProblemMoved` that someone was quicker, never overwritten in silence.

Examples
--------
>>> from datetime import date
>>> from geo.store import connect
>>> engine = connect("sqlite://")
>>> [item.code for item in checklist(engine, "compounds")][:2]  # the defaults until an admin saves a list
['c_one_gate', 'c_register']
>>> problem = NewProblem("compounds", "XQ-1", "阳光小区", date(2020, 2, 20), "gate", "东门无人值守",
...                      "property", "阳光物业", "王经理", "13800000000", date(2020, 2, 23))
>>> pid = file_problem(engine, problem, by="li")
>>> move_problem(engine, pid, seen=1, to="rectified", by="wang", role="staff", photos=1).state
'rectified'
>>> move_problem(engine, pid, seen=1, to="in_progress", by="zhao", role="staff")  # zhao saw it handed out
Traceback (most recent call last):
...
geo.store.tasks.ProblemRefused: problem_moved
>>> problems_frame(engine)[["place_name", "state", "seq"]].to_dict("records")
[{'place_name': '阳光小区', 'state': 'rectified', 'seq': 2}]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from geo.domain import t
from geo.domain.tasks import DEFAULT_CHECKLISTS, FIRST_STATE, CheckItem, step
from geo.domain.text import Text
from geo.store.tables import checklist_items, inspection_results, inspections, photos, problem_events, problems


class ProblemRefused(Exception):
    """A change of a problem the loop does not allow, or one another person made first; ``text`` says which."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.text: Text = t(key, **values)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# --------------------------------------------------------------------------- checklists


def checklist(engine: Engine, name: str) -> list[CheckItem]:
    """The items of checklist ``name`` as last saved; the defaults of :mod:`geo.domain.tasks` until then."""
    with engine.connect() as conn:
        saved = conn.execute(select(func.count()).select_from(checklist_items)
                             .where(checklist_items.c.checklist == name)).scalar_one()
        rows = conn.execute(select(checklist_items).where(checklist_items.c.checklist == name,
                                                          checklist_items.c.retired_at.is_(None))
                            .order_by(checklist_items.c.position)).all()
    if not saved:
        return list(DEFAULT_CHECKLISTS.get(name, ()))
    return [CheckItem(row.code, row.zh, row.en, row.category) for row in rows]


def save_checklist(engine: Engine, name: str, items: Sequence[CheckItem], by: str) -> None:
    """Make ``items`` checklist ``name`` from now on: the items asked until now are retired, not deleted, so that
    an inspection made with them still reads as it was."""
    now = _now()
    with engine.begin() as conn:
        conn.execute(update(checklist_items).where(checklist_items.c.checklist == name,
                                                   checklist_items.c.retired_at.is_(None)).values(retired_at=now))
        if items:
            conn.execute(insert(checklist_items), [
                {"checklist": name, "code": item.code, "zh": item.zh, "en": item.en, "category": item.category,
                 "position": position, "added_at": now, "added_by": by}
                for position, item in enumerate(items)])


# --------------------------------------------------------------------------- inspections and problems


@dataclass(frozen=True)
class NewProblem:
    """A problem to hand out: where, what, who must fix it by when."""

    kind: str
    place_id: str
    place_name: str
    found_on: dt.date
    category: str
    description: str
    unit_type: str
    unit_name: str
    person: str | None
    phone: str | None
    deadline: dt.date
    item_code: str | None = None  # the failed checklist item it comes from


@dataclass(frozen=True)
class NewInspection:
    """An inspection: where, when, by whom, each item's result (item code → pass or fail) and notes."""

    kind: str
    place_id: str
    place_name: str
    inspected_on: dt.date
    inspectors: str
    results: dict[str, str]
    items: tuple[CheckItem, ...]
    notes: str | None = None
    item_notes: dict[str, str] = field(default_factory=dict)

    @property
    def result(self) -> str:
        return "fail" if "fail" in self.results.values() else "pass"


def _add_photos(conn: Connection, shots: Iterable, by: str, now: dt.datetime, **owner) -> None:
    rows = [{"sha256": p.sha256, "content": p.content, "width": p.width, "height": p.height, "lat": p.lat,
             "lon": p.lon, "taken_at": p.taken_at, "name": p.name, "created_at": now, "created_by": by, **owner}
            for p in shots]
    if rows:
        conn.execute(insert(photos), rows)


def _file(conn: Connection, problem: NewProblem, by: str, now: dt.datetime, inspection_id: int | None,
          shots: Iterable) -> int:
    values = {**problem.__dict__, "found_on": problem.found_on.isoformat(), "deadline": problem.deadline.isoformat(),
              "inspection_id": inspection_id, "created_at": now, "created_by": by}
    pid = conn.execute(insert(problems).values(**values)).inserted_primary_key[0]
    event = conn.execute(insert(problem_events).values(problem_id=pid, seq=1, state=FIRST_STATE, at=now, by=by))
    _add_photos(conn, shots, by, now, problem_id=pid, event_id=event.inserted_primary_key[0])
    return pid


def file_problem(engine: Engine, problem: NewProblem, by: str, shots: Iterable = (),
                 at: dt.datetime | None = None, inspection_id: int | None = None) -> int:
    """Hand out ``problem`` (state 待整改), with its photos (:class:`geo.io.photos.Photo`); returns its id.
    ``at``: when (naive UTC; now by default, a record of the past when its history is imported);
    ``inspection_id``: the inspection that found it."""
    with engine.begin() as conn:
        return _file(conn, problem, by, at or _now(), inspection_id, shots)


def record_inspection(engine: Engine, inspection: NewInspection, by: str, found: Sequence[NewProblem] = (),
                      shots: Iterable = (), source: str = "form", file_name: str | None = None,
                      at: dt.datetime | None = None) -> int:
    """Store ``inspection`` with its results and photos, and hand out ``found`` (the problems its failed items
    became) in the same transaction; returns the inspection's id."""
    now = at or _now()
    words = {item.code: item for item in inspection.items}
    with engine.begin() as conn:
        iid = conn.execute(insert(inspections).values(
            kind=inspection.kind, place_id=inspection.place_id, place_name=inspection.place_name,
            inspected_on=inspection.inspected_on.isoformat(), inspectors=inspection.inspectors,
            result=inspection.result, notes=inspection.notes, source=source, file_name=file_name,
            created_at=now, created_by=by)).inserted_primary_key[0]
        conn.execute(insert(inspection_results), [
            {"inspection_id": iid, "item_code": code, "item": words[code].zh if code in words else code,
             "category": words[code].category if code in words else "other", "result": result,
             "note": inspection.item_notes.get(code)} for code, result in inspection.results.items()])
        _add_photos(conn, shots, by, now, inspection_id=iid)
        for problem in found:
            _file(conn, problem, by, now, iid, ())
    return iid


@dataclass(frozen=True)
class Moved:
    """A change made: the problem's new state and its ``seq``."""

    problem_id: int
    state: str
    seq: int


def move_problem(engine: Engine, problem_id: int, seen: int, to: str, by: str, role: str, note: str | None = None,
                 shots: Sequence = (), photos: int | None = None, at: dt.datetime | None = None,
                 imported: bool = False) -> Moved:
    """Move problem ``problem_id`` to state ``to``, as ``by`` in ``role``, who last saw change ``seen`` of it.

    Raises :class:`ProblemRefused` when the loop has no such step from its state, ``role`` may not take it,
    the step needs a photo (``shots``, or ``photos`` already counted) or a note that is missing, or someone
    changed the problem since ``seen``. ``imported``: a change of the past read from a file of records, which
    carries no photos (the photo rule is for changes made here).
    """
    now = at or _now()
    with engine.begin() as conn:
        last = conn.execute(select(problem_events.c.seq, problem_events.c.state)
                            .where(problem_events.c.problem_id == problem_id)
                            .order_by(problem_events.c.seq.desc()).limit(1)).first()
        if last is None:
            raise ProblemRefused("task_no_such_problem", number=problem_id)
        if last.seq != seen:
            raise ProblemRefused("problem_moved", number=problem_id)
        allowed = step(last.state, to)
        if allowed is None or role not in allowed.roles:
            raise ProblemRefused("task_step_refused", number=problem_id)
        if allowed.photo and not (shots or photos or imported):
            raise ProblemRefused("task_step_needs_photo")
        if allowed.note and not (note or "").strip():
            raise ProblemRefused("task_step_needs_note")
        try:
            event = conn.execute(insert(problem_events).values(problem_id=problem_id, seq=seen + 1, state=to,
                                                                at=now, by=by, note=(note or "").strip() or None))
        except IntegrityError:  # the same seq written by another change a moment before
            raise ProblemRefused("problem_moved", number=problem_id) from None
        _add_photos(conn, shots, by, now, problem_id=problem_id, event_id=event.inserted_primary_key[0])
    return Moved(problem_id, to, seen + 1)


# --------------------------------------------------------------------------- reading


PROBLEM_COLUMNS = ["id", "kind", "place_id", "place_name", "found_on", "category", "description", "unit_type",
                   "unit_name", "person", "phone", "deadline", "inspection_id", "item_code", "created_by",
                   "state", "seq", "changed_at", "changed_by", "closed_at", "photos"]


def problems_frame(engine: Engine) -> pd.DataFrame:
    """Every problem with its state now (its newest change), when it was closed and how many photos it has."""
    newest = (select(problem_events.c.problem_id, func.max(problem_events.c.seq).label("seq"))
              .group_by(problem_events.c.problem_id).subquery())
    closed = (select(problem_events.c.problem_id, func.max(problem_events.c.at).label("closed_at"))
              .where(problem_events.c.state == "closed").group_by(problem_events.c.problem_id).subquery())
    shots = (select(photos.c.problem_id, func.count().label("photos")).where(photos.c.problem_id.is_not(None))
             .group_by(photos.c.problem_id).subquery())
    query = (select(problems.c.id, problems.c.kind, problems.c.place_id, problems.c.place_name, problems.c.found_on,
                    problems.c.category, problems.c.description, problems.c.unit_type, problems.c.unit_name,
                    problems.c.person, problems.c.phone, problems.c.deadline, problems.c.inspection_id,
                    problems.c.item_code, problems.c.created_by, problem_events.c.state, problem_events.c.seq,
                    problem_events.c.at.label("changed_at"), problem_events.c.by.label("changed_by"),
                    closed.c.closed_at, func.coalesce(shots.c.photos, 0).label("photos"))
             .join(newest, newest.c.problem_id == problems.c.id)
             .join(problem_events, (problem_events.c.problem_id == problems.c.id)
                   & (problem_events.c.seq == newest.c.seq))
             .outerjoin(closed, closed.c.problem_id == problems.c.id)
             .outerjoin(shots, shots.c.problem_id == problems.c.id)
             .order_by(problems.c.id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    for column in ("changed_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def problems_stamp(engine: Engine) -> tuple[int, int, int]:
    """What changes whenever :func:`problems_frame` would read otherwise: the newest problem, change and photo of a
    problem. Problems, their changes and photos are only ever added, so a frame read at one stamp stays true
    while the stamp does."""
    newest = [select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
              for table in (problems, problem_events, photos)]
    with engine.connect() as conn:
        return tuple(int(n) for n in conn.execute(select(*newest)).one())


def problem_history(engine: Engine, problem_id: int) -> pd.DataFrame:
    """Every change of one problem, oldest first: seq, state, at, by, note, and the photos that came with it."""
    with engine.connect() as conn:
        events = conn.execute(select(problem_events.c.id, problem_events.c.seq, problem_events.c.state,
                                     problem_events.c.at, problem_events.c.by, problem_events.c.note)
                              .where(problem_events.c.problem_id == problem_id)
                              .order_by(problem_events.c.seq)).all()
        shots = conn.execute(select(photos.c.id, photos.c.event_id).where(photos.c.problem_id == problem_id)).all()
    by_event: dict[int, list[int]] = {}
    for shot in shots:
        by_event.setdefault(shot.event_id, []).append(shot.id)
    return pd.DataFrame([{"seq": e.seq, "state": e.state, "at": e.at, "by": e.by, "note": e.note,
                          "photos": by_event.get(e.id, [])} for e in events],
                        columns=["seq", "state", "at", "by", "note", "photos"])


INSPECTION_COLUMNS = ["id", "kind", "place_id", "place_name", "inspected_on", "inspectors", "result", "notes",
                      "source", "created_by", "failed"]


def inspections_frame(engine: Engine) -> pd.DataFrame:
    """Every inspection, newest first, with how many of its items failed."""
    failed = (select(inspection_results.c.inspection_id, func.count().label("failed"))
              .where(inspection_results.c.result == "fail").group_by(inspection_results.c.inspection_id).subquery())
    query = (select(inspections.c.id, inspections.c.kind, inspections.c.place_id, inspections.c.place_name,
                    inspections.c.inspected_on, inspections.c.inspectors, inspections.c.result, inspections.c.notes,
                    inspections.c.source, inspections.c.created_by, func.coalesce(failed.c.failed, 0))
             .outerjoin(failed, failed.c.inspection_id == inspections.c.id)
             .order_by(inspections.c.inspected_on.desc(), inspections.c.id.desc()))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=INSPECTION_COLUMNS)


@dataclass(frozen=True)
class StoredPhoto:
    """A photo's facts, without its bytes (:func:`photo_content` reads them)."""

    id: int
    problem_id: int | None
    event_id: int | None
    inspection_id: int | None
    width: int
    height: int
    lat: float | None
    lon: float | None
    taken_at: dt.datetime | None
    name: str | None


def photos_of(engine: Engine, problem_id: int | None = None, inspection_id: int | None = None) -> list[StoredPhoto]:
    """The photos of one problem (its own and its fixes') or of one inspection, oldest first."""
    where = photos.c.problem_id == problem_id if problem_id is not None else photos.c.inspection_id == inspection_id
    with engine.connect() as conn:
        rows = conn.execute(select(photos.c.id, photos.c.problem_id, photos.c.event_id, photos.c.inspection_id,
                                   photos.c.width, photos.c.height, photos.c.lat, photos.c.lon, photos.c.taken_at,
                                   photos.c.name).where(where).order_by(photos.c.id)).all()
    return [StoredPhoto(*row) for row in rows]


def located_photos(engine: Engine) -> pd.DataFrame:
    """Every photo that says where it was taken: id, problem_id, lat, lon (WGS-84), for the map."""
    with engine.connect() as conn:
        rows = conn.execute(select(photos.c.id, photos.c.problem_id, photos.c.lat, photos.c.lon)
                            .where(photos.c.lat.is_not(None), photos.c.lon.is_not(None))).all()
    return pd.DataFrame(rows, columns=["id", "problem_id", "lat", "lon"])


def photo_content(engine: Engine, photo_id: int) -> bytes | None:
    """The JPEG bytes of photo ``photo_id`` (None when there is no such photo)."""
    with engine.connect() as conn:
        return conn.execute(select(photos.c.content).where(photos.c.id == photo_id)).scalar_one_or_none()


def photo_sizes(engine: Engine, problem_id: int) -> list[int]:
    """The stored size of each photo of a problem: what its per-problem limit counts."""
    with engine.connect() as conn:
        return list(conn.execute(select(func.length(photos.c.content)).where(photos.c.problem_id == problem_id))
                    .scalars())
