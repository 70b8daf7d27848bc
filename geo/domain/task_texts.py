"""The sentences of the loop of acting on the map (inspections, problems, task sheets), in both languages.

A topic of the one catalogue (:data:`geo.domain.labels.CATALOGUE`, read with
:func:`geo.domain.labels.t`), apart from the pages' labels and the files' messages.
"""

from __future__ import annotations

TASK_TEXTS: dict[str, tuple[str, str]] = {
    # on the maps, the overview and the wall
    "layer_problems": ("问题整改", "Problems"),
    "legend_problems": ("待整改问题", "Open problems"),
    "legend_problems_overdue": ("有逾期问题的场所", "Places with an overdue problem"),
    "legend_problems_open": ("问题均在期限内的场所", "Places with problems still in time"),
    "col_open_problems": ("问题", "Problems"),
    "problem_counts": ("{open} 个待整改，其中 {overdue} 个逾期", "{open} open, {overdue} overdue"),
    "kpi_problems_open": ("待整改问题", "Open problems"),
    "kpi_problems_overdue": ("逾期未整改", "Overdue"),
    "kpi_problems_closed_week": ("近 7 日销号", "Closed in 7 days"),
    "kpi_rectification_rate": ("整改率", "Rectified"),
    "kpi_vs_week_before": ("较 7 日前", "vs a week before"),
    "overview_tasks_as_of": ("问题整改（截至 {date}）", "Problems (as of {date})"),
    # refusals of the store (geo.store.tasks)
    "task_no_such_problem": ("没有编号为 {number} 的问题。", "There is no problem number {number}."),
    "problem_moved": ("问题 {number} 刚被其他人处理过，状态已变。请看最新状态后再操作。",
                      "Problem {number} was just changed by someone else. Look at its state now and try again."),
    "task_step_refused": ("问题 {number} 当前状态下不能这样处理，或您的账号无权这样处理。",
                          "Problem {number} cannot take that step from its state, or your account may not take it."),
    "task_step_needs_photo": ("请附上整改后的照片。", "Add a photo of the fix."),
    "task_step_needs_note": ("退回时请写明原因。", "Say why the fix is sent back."),
    # a file of the loop's records (geo.upload.tasks)
    "seed_tasks_imported": ("已从 {file} 导入 {count} 个问题及其检查记录。", "Stored {count} problems and their "
                            "inspections from {file}."),
    "tasks_file_unreadable": ("{file} 不是检查与问题记录文件（应为 JSON，含 inspections 和 problems 两个列表）。",
                              "{file} is not a file of inspections and problems (JSON with the lists inspections and "
                              "problems)."),
    "tasks_file_bad_inspection": ("{file} 第 {number} 条检查记录缺少场所、日期、检查人员或检查结果，未导入。",
                                  "{file}: inspection {number} lacks its place, date, inspectors or results; not "
                                  "stored."),
    "tasks_file_bad_problem": ("{file} 第 {number} 个问题的场所、日期、类别、责任单位或整改期限无法识别，未导入。",
                               "{file}: problem {number} has a place, date, category, responsible unit or deadline "
                               "that cannot be read; not stored."),
    "tasks_file_problem": ("{file} 第 {number} 个问题：{reason}", "{file}, problem {number}: {reason}"),
    "tasks_file_first_state": ("记录应从“{state}”开始。", "Its history must start with \"{state}\"."),
    "tasks_file_unknown_state": ("没有“{state}”这个状态。请用 待整改、整改中、待复核、退回、已销号。",
                                 "There is no state \"{state}\". Use handed out, being fixed, fixed, sent back, closed."),
    "tasks_file_wrong_step": ("不能从“{start}”直接变为“{to}”。请按 待整改 → 整改中 → 待复核 → 已销号 的顺序记录。",
                              "\"{start}\" cannot go straight to \"{to}\". Record it in the order handed out → being "
                              "fixed → fixed → closed."),
}
