"""The loop in the store (issue #20): every step of a problem's state, allowed or refused, and two people at once."""

from __future__ import annotations

import datetime as dt
import itertools
import threading

import pytest

from geo.domain.tasks import STATES, TRANSITIONS, CheckItem, step
from geo.store import NewProblem, ProblemRefused, checklist, file_problem, move_problem, problem_history, problems_frame
from geo.store.tasks import save_checklist

PHOTO = 1  # a photo counted as already there: the photos themselves are geo.io.photos' tests
ROLES = ("viewer", "unit", "staff", "admin")


def hand_out(engine, name="阳光小区") -> int:
    return file_problem(engine, NewProblem("compounds", "XQ-1", name, dt.date(2020, 2, 20), "gate", "东门无人值守",
                                           "property", "阳光物业", "王经理", "13800000000", dt.date(2020, 2, 23)),
                        by="li")


def bring_to(engine, pid: int, state: str) -> int:
    """Move a fresh problem to ``state`` along the shortest path; returns the seq seen after it."""
    paths = {"handed_out": [], "in_progress": ["in_progress"], "rectified": ["rectified"],
             "returned": ["rectified", "returned"], "closed": ["rectified", "closed"]}
    seq = 1
    for to in paths[state]:
        seq = move_problem(engine, pid, seen=seq, to=to, by="li", role="admin", note="原因", photos=PHOTO).seq
    return seq


def test_every_step_is_allowed_exactly_as_the_loop_says(tiny_store):
    """Each state × each state × each role, on a problem of its own: a step of the loop for that role moves it,
    anything else is refused and writes nothing."""
    for start, to, role in itertools.product(STATES, STATES, ROLES):
        pid = hand_out(tiny_store)
        seq = bring_to(tiny_store, pid, start)
        allowed = step(start, to)
        if allowed is None or role not in allowed.roles:
            with pytest.raises(ProblemRefused) as refused:
                move_problem(tiny_store, pid, seen=seq, to=to, by="x", role=role, note="原因", photos=PHOTO)
            assert refused.value.key == "task_step_refused" and "不能这样处理" in refused.value.text.zh
            assert state_of(tiny_store, pid) == (start, seq)  # nothing written
        else:
            moved = move_problem(tiny_store, pid, seen=seq, to=to, by="x", role=role, note="原因", photos=PHOTO)
            assert (moved.state, moved.seq) == (to, seq + 1) == state_of(tiny_store, pid)


def state_of(engine, pid: int) -> tuple[str, int]:
    row = problems_frame(engine).set_index("id").loc[pid]
    return row["state"], int(row["seq"])


def test_a_fix_needs_a_photo_and_a_return_needs_a_reason(tiny_store):
    pid = hand_out(tiny_store)
    with pytest.raises(ProblemRefused, match="task_step_needs_photo"):
        move_problem(tiny_store, pid, seen=1, to="rectified", by="unit", role="unit")
    move_problem(tiny_store, pid, seen=1, to="rectified", by="unit", role="unit", photos=PHOTO)
    with pytest.raises(ProblemRefused, match="task_step_needs_note"):
        move_problem(tiny_store, pid, seen=2, to="returned", by="li", role="staff", note="  ")
    move_problem(tiny_store, pid, seen=2, to="returned", by="li", role="staff", note="照片不清楚")
    history = problem_history(tiny_store, pid)
    history["note"] = history["note"].astype(object).where(history["note"].notna(), None)
    assert history[["seq", "state", "by", "note"]].values.tolist() == [
        [1, "handed_out", "li", None], [2, "rectified", "unit", None], [3, "returned", "li", "照片不清楚"]]


def test_two_staff_closing_and_returning_at_once_one_wins_the_other_is_told(tiny_store):
    """docs/reliability.md: concurrent state changes of one problem."""
    pid = hand_out(tiny_store)
    seq = bring_to(tiny_store, pid, "rectified")
    barrier, outcomes = threading.Barrier(2), {}

    def act(to: str) -> None:
        barrier.wait()
        try:
            outcomes[to] = move_problem(tiny_store, pid, seen=seq, to=to, by=to, role="staff", note="复核不通过").state
        except ProblemRefused as refused:
            outcomes[to] = refused.key

    threads = [threading.Thread(target=act, args=(to,)) for to in ("closed", "returned")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()).count("problem_moved") == 1, outcomes
    winner = next(to for to, outcome in outcomes.items() if outcome != "problem_moved")
    frame = problems_frame(tiny_store)
    assert frame[["state", "seq", "changed_by"]].values.tolist() == [[winner, seq + 1, winner]]
    assert len(problem_history(tiny_store, pid)) == seq + 1  # one change written, the other refused


def test_a_checklist_saved_again_retires_its_items_and_keeps_the_defaults_of_the_others(tiny_store):
    assert [item.code for item in checklist(tiny_store, "sites")][:2] == ["s_team", "s_real_name"]
    mine = [CheckItem("gate", "大门有人值守", "Someone at the gate", "gate")]
    save_checklist(tiny_store, "compounds", mine, by="admin")
    save_checklist(tiny_store, "compounds", mine + [CheckItem("log", "有消毒记录", "A log", "disinfection")], by="admin")
    assert [item.code for item in checklist(tiny_store, "compounds")] == ["gate", "log"]
    assert len(checklist(tiny_store, "sites")) == 12
    save_checklist(tiny_store, "compounds", [], by="admin")  # emptied on purpose: stays empty, not the defaults
    assert checklist(tiny_store, "compounds") == []


def test_every_transition_of_the_loop_is_reachable_and_the_loop_ends_only_when_closed():
    reachable = {"handed_out"}
    for _ in STATES:
        reachable |= {s.to for s in TRANSITIONS if s.start in reachable}
    assert reachable == set(STATES)
    assert not [s for s in TRANSITIONS if s.start == "closed"]
