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
    "layer_photos": ("现场照片位置", "Where photos were taken"),
    "col_problem": ("问题", "Problem"),
    "col_problem_state": ("状态", "State"),
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
    # a sheet of inspections uploaded (geo.upload.inspections)
    "inspection_sheet_columns": ("检查表至少要有“检查日期”、“场所编号”或“场所名称”，以及检查项的列（如“{items}”）。请下载模板，按模板的列名填写。",
                                 "The sheet needs the columns date, place ID or name, and the checklist's items "
                                 "(such as \"{items}\"). Download the template and keep its headers."),
    "inspection_sheet_bad_date": ("不是日期。请写成 2020-02-25 或 2020/2/25。", "Not a date. Write it as 2020-02-25."),
    "inspection_sheet_result": ("请填写 合格 或 不合格（也可写 √ 或 ×）。", "Write pass or fail (or √ or ×)."),
    "inspection_sheet_no_unit": ("有不合格项，请填写责任单位（谁来整改）。",
                                 "An item failed: write the responsible unit (who must fix it)."),
    "inspection_sheet_deadline_before": ("整改期限早于检查日期 {date}，请核对。",
                                         "The deadline is before the inspection's date {date}; check it."),
    "inspection_sheet_unknown_place": ("没有“{value}”这个场所。相近的有：{near}。请核对编号或名称。",
                                       "There is no place \"{value}\". Close ones: {near}. Check the ID or name."),
    "inspection_sheet_no_place": ("没有填写场所编号或名称。", "No place ID or name."),
    "inspection_sheet_same_name": ("名称“{value}”有多个场所（{ids}），请改填场所编号。",
                                   "Several places are called \"{value}\" ({ids}): write the place ID instead."),
    "inspection_sheet_item": ("合格 或 不合格（也可写 √ 或 ×）", "pass or fail (or √ or ×)"),
    "inspection_sheet_date": ("检查的日期，如 2020-02-25", "the inspection's date, such as 2020-02-25"),
    "inspection_sheet_place_id": ("场所编号；没有编号时填场所名称", "the place's ID; its name when there is none"),
    "inspection_sheet_place_name": ("场所名称（有编号时可不填）", "the place's name (may be left out with an ID)"),
    "inspection_sheet_inspectors": ("检查人员或检查组", "who inspected"),
    "inspection_sheet_notes": ("检查情况说明", "notes"),
    "inspection_sheet_unit_name": ("不合格项的整改单位（物业公司、施工单位等），有不合格项时必填",
                                   "who must fix a failed item (property company, contractor); needed when an item "
                                   "failed"),
    "inspection_sheet_person": ("责任人姓名", "the responsible person"),
    "inspection_sheet_phone": ("责任人电话", "the responsible person's phone"),
    "inspection_sheet_deadline": ("整改期限；不填则为检查日期后 3 天", "the deadline; 3 days after the inspection "
                                  "when left out"),
    "inspection_sheet_read": ("{file}：{rows} 条检查记录，其中 {failed} 个不合格项将交办为问题。",
                              "{file}: {rows} inspections; {failed} failed items will be handed out as problems."),
    "inspection_sheet_kind": ("检查的场所类别", "Kind of place inspected"),
    "inspection_sheet_template": ("下载检查表模板（Excel）", "Download the inspection sheet's template (Excel)"),
    "inspection_sheet_file": ("{kind}检查表模板", "{kind} inspection sheet"),
    "inspection_sheet_upload": ("上传填好的检查表（CSV 或 Excel，每行一次检查）",
                                "Upload the filled-in sheet (CSV or Excel, one inspection a row)"),
    "inspection_sheet_refused": ("{file} 有 {count} 处需要修改，未导入任何记录。请按下面的提示改好后重新上传。",
                                 "{file} has {count} things to fix; nothing was stored. Fix them as said below "
                                 "and upload it again."),
    "inspection_sheet_store": ("导入这 {rows} 条检查记录", "Store these {rows} inspections"),
    "inspection_sheet_stored": ("已导入 {rows} 条检查记录，{failed} 个不合格项已交办为问题。",
                                "Stored {rows} inspections; {failed} failed items were handed out as problems."),
    "inspection_col_date": ("检查日期", "Date"),
    "inspection_col_place": ("场所", "Place"),
    "inspection_col_result": ("结果", "Result"),
    "inspection_col_failed": ("不合格项", "Failed items"),
    "inspection_col_unit": ("责任单位", "Responsible unit"),
}
