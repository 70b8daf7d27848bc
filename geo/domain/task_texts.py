"""The sentences of the loop of acting on the map (inspections, problems, task sheets), in both languages.

A topic of the one catalogue (:data:`geo.domain.labels.CATALOGUE`, read with
:func:`geo.domain.labels.t`), apart from the pages' labels and the files' messages.
"""

from __future__ import annotations

TASK_TEXTS: dict[str, tuple[str, str]] = {
    # refusals of the store (geo.store.tasks)
    "task_no_such_problem": ("没有编号为 {number} 的问题。", "There is no problem number {number}."),
    "problem_moved": ("问题 {number} 刚被其他人处理过，状态已变。请看最新状态后再操作。",
                      "Problem {number} was just changed by someone else. Look at its state now and try again."),
    "task_step_refused": ("问题 {number} 当前状态下不能这样处理，或您的账号无权这样处理。",
                          "Problem {number} cannot take that step from its state, or your account may not take it."),
    "task_step_needs_photo": ("请附上整改后的照片。", "Add a photo of the fix."),
    "task_step_needs_note": ("退回时请写明原因。", "Say why the fix is sent back."),
}
