"""Every label and sentence shown to a person, in Chinese and English, looked up by key with :func:`t`.

The catalogue is split by topic: :data:`LABELS` here holds the pages' labels,
:data:`geo.domain.messages.MESSAGES` what readers, validators, uploads, the
store and the command line say. :func:`t` gives a :class:`~geo.domain.text.Text`
(both languages), or the sentence in one language when ``lang`` is given.

Examples
--------
>>> t("page_compounds", "zh"), t("page_compounds", "en")
('物业小区', 'Compounds')
>>> t("rows_shown", "en", shown=3, total=10)
'3 of 10 shown'
>>> t("rows_shown", shown=3, total=10)
Text(zh='显示 3 / 共 10 条', en='3 of 10 shown')
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import overload

from geo.domain.messages import MESSAGES
from geo.domain.task_texts import TASK_TEXTS
from geo.domain.text import Text, join

LABELS: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("住建局疫情防控指挥图", "Housing Bureau Epidemic Command Map"),
    "app_title_city": ("{city} · 住建局疫情防控指挥图", "{city} · Housing Bureau Epidemic Command Map"),
    "page_overview": ("总览", "Overview"),
    "page_trends": ("趋势", "Trends"),
    "page_compare": ("日期对比", "Compare dates"),
    "compare_before": ("与哪一天对比", "Compared with"),
    "compare_kind": ("场所类别", "Kind of place"),
    "compare_summary": ("**{before}** 至 **{after}**：{count} 个{table}的状态有变化（地图只画这些场所，按 {after} 的状态着色）。",
                        "**{before}** to **{after}**: {count} of the {table} changed state (the map draws only them, "
                        "coloured by their state on {after})."),
    "compare_nothing": ("两天之间没有状态变化的场所。", "No place changed state between the two dates."),
    "compare_transitions": ("状态变化", "Transitions"),
    "compare_from": ("原状态", "From"),
    "compare_count": ("场所数", "Places"),
    "compare_to": ("新状态", "To"),
    "compare_list": ("状态有变化的场所", "Places that changed state"),
    "compare_state_on": ("{date} 状态", "State on {date}"),
    "compare_needs_two_dates": ("至少需要两个日报日期才能对比。", "Two report dates at least are needed to compare."),
    "overview_trends_link": ("逐日趋势与各区县对比", "Day by day, and district by district"),
    "trends_intro": ("{first} 至 {last} 共 {days} 个日报日的主要指标（按左侧筛选的场所）；悬停可看数值。",
                     "The headline figures of {days} report dates, {first} to {last}, for the places the filters "
                     "keep; hover for the values."),
    "trends_by_district": ("各区县对比", "District by district"),
    "trends_figure": ("指标", "Figure"),
    "trends_no_district": ("未划区县", "No district"),
    "trends_no_districts": ("场所没有区县信息（片区名单或形状中没有“区县”），无法按区县对比。",
                            "The places have no district (the zones give none): no comparison by district."),
    "trends_table": ("逐日数值", "Figures by day"),
    "page_compounds": ("物业小区", "Compounds"),
    "page_zones": ("网格片区", "Grid zones"),
    "page_sites": ("在建工地", "Construction sites"),
    "page_supplies": ("防疫物资", "Supplies"),
    "language": ("语言 / Language", "语言 / Language"),
    "data_as_of": ("数据截至 {date}", "Data as of {date}"),
    "no_report_dates": ("暂无日报数据。工作人员可在“数据上传”页下载日报模板，填写后上传。",
                        "No daily reports yet. Staff can download the daily report template on the Upload page, "
                        "fill it in and upload it."),
    "no_zones": ("尚无网格片区图层，其他页面照常显示小区和工地。工作人员可在“数据上传”页上传片区图层，之后这里按片区着色。",
                 "No grid zone shapes yet; the other pages show compounds and sites as usual. Staff can upload "
                 "the zones layer on the Upload page, and this page then shades the zones."),
    # layers and legend
    "layer_compounds": ("物业小区（封闭状态）", "Compounds (closure)"),
    "layer_sites": ("在建工地（复工状态）", "Sites (resumption)"),
    "layer_supplies": ("防疫物资（保障天数）", "Supplies (days of cover)"),
    "layer_zones": ("网格片区", "Grid zones"),
    "layer_zone_outlines": ("片区边界", "Zone outlines"),
    "legend_missing": ("未报告", "Not reported"),
    "map_legend": ("图例", "Legend"),
    "field_separator": ("：", ": "),
    "map_two_fingers": ("两指移动地图", "Use two fingers to move the map"),
    "legend_no_data": ("无数据", "No data"),
    "legend_closure": ("小区封闭状态", "Compound closure"),
    "legend_resumption": ("工地复工状态", "Site resumption"),
    "legend_supply": ("物资保障（最少天数）", "Supplies (fewest days of cover)"),
    "supply_band_adequate": ("{label}（≥{low} 天）", "{label} (≥{low} days)"),
    "supply_band_low": ("{label}（{critical}–{low} 天）", "{label} ({critical}–{low} days)"),
    "supply_band_critical": ("{label}（<{critical} 天）", "{label} (<{critical} days)"),
    # KPIs
    "kpi_sealed": ("全封闭小区", "Compounds sealed"),
    "kpi_controlled": ("封闭管理小区", "Compounds controlled"),
    "kpi_open": ("未封闭小区", "Compounds open"),
    "kpi_resumption_rate": ("工地复工率", "Site resumption rate"),
    "kpi_short": ("物资偏紧/告急场所", "Places short of supplies"),
    "kpi_not_reported": ("今日未报告场所", "Places not reported"),
    "kpi_vs_previous": ("较上一日报", "vs previous report"),
    # filters
    "f_date": ("日报日期", "Report date"),
    "f_district": ("区县", "District"),
    "f_street": ("街道乡镇", "Street / town"),
    "f_zone": ("片区", "Zone"),
    "f_zone_narrow": ("先选区县或街道（共{count}个）", "Pick a district or street ({count} zones)"),
    "f_status": ("状态", "Status"),
    "f_search": ("按名称或编号搜索", "Search by name or id"),
    "f_no_ledger": ("只看复工但未建健康台账的工地", "Only sites resumed without a health ledger"),
    "f_no_ledger_help": ("已复工却没有建立健康台账的工地，即“需要关注”中的这一类", "Sites working again without a "
                         "health ledger: the attention list's reason, as a filter"),
    "f_no_ledger_on": ("是", "yes"),
    "briefing_kept_title": ("每日自动生成的日报（{count} 份）", "Briefings written each morning ({count})"),
    "briefing_kept_help": ("生成于 {time}", "Written {time}"),
    "briefing_kept_none": ("每天 {time} 后自动生成日报，生成后在此下载。", "A briefing is written each day after {time}; "
                           "it can be downloaded here."),
    "map_picture": ("地图图片（PNG）", "Map picture (PNG)"),
    "map_picture_help": ("当前筛选和日期下的地图，含标题、图例、比例尺和指北针（300 dpi），可插入报告",
                         "The map for the current filters and date, with title, legend, scale bar and north arrow "
                         "(300 dpi), for a report"),
    "timeline_back": ("前一日", "Back"),
    "timeline_back_help": ("显示前一个报告日期", "Show the report date before"),
    "timeline_forward": ("后一日", "Next"),
    "timeline_forward_help": ("显示后一个报告日期", "Show the next report date"),
    "timeline_play": ("播放", "Play"),
    "timeline_pause": ("暂停", "Pause"),
    "timeline_play_help": ("逐日播放各报告日期（每 {seconds} 秒一日），地图、指标和图例随之变化；到最新日期停止",
                           "Play through the report dates ({seconds} s each): the map, figures and legend follow; "
                           "stops at the newest date"),
    "f_metric": ("片区着色指标", "Shade zones by"),
    "f_all": ("全部", "All"),
    "export_filter": ("{label}：{values}", "{label}: {values}"),
    "detail_line": ("{field}：{value}", "{field}: {value}"),
    "share_link": ("当前视图已写入网址，复制浏览器地址即可分享。", "This view is in the URL: copy the address to share it."),
    # table, export, details
    "table_title": ("明细表", "Table"),
    "table_open": ("列表（可排序，点一行看详情）", "List (sortable; click a row for its details)"),
    "rows_shown": ("显示 {shown} / 共 {total} 条", "{shown} of {total} shown"),
    "rows_limited": ("表格列出前 {limit} 条；请用左侧筛选缩小范围，导出文件包含全部 {shown} 条。",
                     "The table lists the first {limit}; narrow it with the filters. The exports hold all {shown}."),
    "download_csv": ("导出 CSV", "Export CSV"),
    "download_xlsx": ("导出 Excel", "Export Excel"),
    "briefing_word": ("日报 Word", "Briefing (Word)"),
    "briefing_pdf": ("日报 PDF", "Briefing (PDF)"),
    "briefing_help": ("下载所选日期、所选区县的疫情防控工作日报（含地图）；街道、片区和搜索不影响日报。",
                      "Download the daily briefing (with maps) for the chosen date and districts; "
                      "streets, zones and the search do not change it."),
    "details_title": ("详情", "Details"),
    "click_hint": ("点击地图上的要素查看详情。", "Click a feature on the map to see its details."),
    "supplies_of_place": ("物资明细", "Supplies by item"),
    "places_of_zone": ("片区内场所", "Places in the zone"),
    "zones_click_drills": ("点击片区：地图放大到该片区，页面只看该片区；在左侧“片区”中移除它即可返回。",
                           "Click a zone to zoom to it and keep only it; remove it from the Zone filter on the left "
                           "to go back."),
    "nothing_matches": ("没有符合筛选条件的场所。", "Nothing matches the filters."),
    # data quality
    "data_notes": ("数据提示", "Data notes"),
    "unmatched": ("{table}中有 {count} 个编号在地图上找不到：{ids}", "{table}: {count} ids match no place on the map: {ids}"),
    "zones_assigned": ("{count} 个场所未填片区，已按位置自动归入片区。", "{count} places had no zone and were assigned one by location."),
    "outside_zones": ("{count} 个{kind}不在任何网格片区内：{names}", "{count} of the {kind} lie outside every grid zone: {names}"),
    "outside_zones_list": ("不在任何网格片区内的场所（{count}）", "Places outside every grid zone ({count})"),
    "col_layer": ("类别", "Kind"),
    "problems_found": ("读取数据时发现 {count} 个问题：", "{count} problems found while reading the data:"),
    "never_reported": ("{count} 个场所在所选日期未报告（零报告也须上报）。", "{count} places did not report on the selected date (even nothing must be reported)."),
    # columns
    "col_change": ("较上一日报变化", "Change since previous report"),
    # wall display
    "page_wall": ("大屏", "Wall display"),
    "wall_data_just_now": ("数据刚刚更新", "data arrived just now"),
    "wall_data_minutes": ("数据 {minutes} 分钟前更新", "data arrived {minutes} min ago"),
    "wall_data_hours": ("数据 {hours} 小时前更新", "data arrived {hours} h ago"),
    "wall_data_days": ("数据 {days} 天前更新", "data arrived {days} days ago"),
    "wall_error": ("数据暂时无法读取（{error}），正在显示上次的数据，稍后自动重试。",
                   "The data cannot be read just now ({error}); showing the last good data, retrying by itself."),
    "store_too_new": ("数据存储的结构（版本 {revision}）比本程序新（本程序最高到 {head}）：它已由更新版本的程序升级。请用那个版本运行本系统；"
                      "本程序不会改动它，未做任何更改。",
                      "The store's schema (revision {revision}) is newer than this program's (up to {head}): a newer "
                      "version of the program has upgraded it. Run that version; this one does not touch it, and "
                      "nothing was changed."),
    "store_unavailable": ("数据存储暂时无法读取或写入（{error}）：可能被锁定、只读或已损坏，未做任何更改。请稍后重试；"
                          "若持续出现，请管理员按 README 从自动备份恢复。",
                          "The store cannot be read or written just now ({error}): locked, read-only or damaged; "
                          "nothing was changed. Try again later; if it persists, an administrator restores the "
                          "automatic backup as the README says."),
    "wall_tables_unreadable": ("数据表“{tables}”暂时无法读取，相关数字暂不显示（显示为 0 或未报告）；其余数据照常。",
                               "Table(s) {tables} cannot be read for now: their figures are not shown (0 or not "
                               "reported); the rest is as usual."),
    "store_tables_unreadable": ("数据表“{tables}”暂时无法读取（{error}），这些数据暂不显示，其余数据照常显示。"
                                "请管理员按 README 从自动备份恢复（python -m geo restore）；恢复后本页自动恢复。",
                                "The table(s) “{tables}” cannot be read just now ({error}): their data is not shown, "
                                "the rest is. An administrator restores the store from its automatic backup "
                                "(python -m geo restore, see the README); the page recovers by itself after."),
    "data_newer_pending": ("新数据已到达，正在准备中：本页先显示上一版数据，准备好后自动更新。",
                           "New data has arrived and is being prepared: this page shows the data before it for now "
                           "and updates by itself once it is ready."),
    "store_read_only_notice": ("数据存储现在是只读的：所有数据可以照常查看和导出，但不能保存任何更改（上传、修改场所、回退、"
                               "账户）。请管理员检查存储所在的磁盘或文件夹能否写入；恢复后本系统自动恢复保存。",
                               "The store is read-only just now: all data can be viewed and exported as usual, but no "
                               "change can be saved (uploads, place edits, rollbacks, accounts). An administrator "
                               "checks that the disk or folder of the store can be written; saving comes back by "
                               "itself after."),
    "store_read_only_refused": ("数据存储现在是只读的，本页的更改无法保存，所以暂不提供。数据可以在其他页面照常查看和导出。",
                                "The store is read-only just now: the changes made on this page cannot be saved, so "
                                "the page is not offered for now. The data can be viewed and exported on the other "
                                "pages as usual."),
    "store_stale": ("数据存储暂时无法读取（{error}），正在显示上次读到的数据，可能不是最新。",
                    "The store cannot be read just now ({error}); showing the last data read, which may be out "
                    "of date."),
    "wall_waiting": ("正在等待数据……", "Waiting for data…"),
    "wall_attention": ("需要关注", "Needs attention"),
    "wall_reason_fever": ("发热", "Fever"),
    "wall_reason_no_ledger": ("无健康台账", "No health ledger"),
    "wall_reason_supplies": ("物资告急", "Supplies low"),
    "wall_reason_overdue": ("逾期未整改", "Overdue fix"),
    "wall_overdue_count": ("{count} 个问题逾期", "{count} problems overdue"),
    "wall_reason_missing": ("未报告", "Not reported"),
    "wall_fever_count": ("{count} 人", "{count} people"),
    "wall_days_left": ("剩 {days} 天", "{days} days left"),
    "wall_page": ("第 {page}/{pages} 页", "page {page}/{pages}"),
    "wall_last_report": ("{date} 报", "reported {date}"),
    "wall_last_report_before": ("上次 {date}", "last reported {date}"),
    "wall_never_reported": ("从未报告", "never reported"),
    "wall_no_reports": ("暂无日报数据。", "No daily reports yet."),
    "wall_stale": ("数据已 {hours} 小时未更新，请核实上报情况。", "No new data for {hours} hours; check the reporting."),
    "progress_today": ("今日已报告 {reported}/{total}", "Reported today: {reported}/{total}"),
    "progress_date": ("{date} 已报告 {reported}/{total}", "{date}: {reported}/{total} reported"),
    "progress_showing": ("{progress}。新一日报告未齐，仍显示 {date} 的完整数据；可在“日期”中选择新日期。",
                         "{progress}. The new day's reports are not complete yet: showing {date}, the last "
                         "complete day; choose the new date under Date to see it."),
    "day_incomplete": ("{date} 的报告未齐，不与前一日比较变化。",
                       "Reports of {date} are not complete: no change against the day before is shown."),
    "wall_incomplete": ("{date} 日报尚不完整：{missing}/{total} 个场所未报告。",
                        "Reports of {date} are incomplete: {missing} of {total} places have not reported."),
    # upload and history
    "page_upload": ("数据上传", "Upload"),
    "upload_button": ("选择文件", "Browse files"),
    "widget_select_all": ("全选", "Select all"),
    "widget_stop": ("停止", "Stop"),
    "page_not_found_title": ("没有这个页面", "No such page"),
    "page_not_found": ("本系统没有地址为 “/{path}” 的页面，请检查链接，或从左侧菜单选择页面。",
                       "There is no page at “/{path}”: check the link, or choose a page in the menu on the left."),
    "page_history": ("历史版本", "History"),
    "upload_intro": ("选择表格类型，下载模板，上传 Excel 或 CSV（GBK 或 UTF-8 均可）。场所名单可以是带经纬度列的 Excel、CSV，"
                     "也可以是 GeoJSON。先检查预览，确认后才会导入；导入后可“撤销本次导入”（在本页或“历史版本”中，"
                     "在该表格有更新版本之前），更早的版本由管理员回退。",
                     "Pick the table, download its template, upload Excel or CSV (GBK or UTF-8). A list of places may "
                     "be Excel or CSV with coordinate columns, or GeoJSON. Check the preview first: nothing is stored "
                     "until you confirm. You can undo your import (here or in History) until its table has a newer version; "
                     "an administrator can roll back older versions."),
    "upload_kind": ("表格类型", "Table"),
    "template_title": ("下载模板", "Templates"),
    "template_prefill": ("预填本市场所（{count} 个：编号和名称已填好，逐行填写状态即可）",
                         "Prefill the city's places ({count}: ids and names written, fill in each row's state)"),
    "template_prefill_zone": ("只要这个片区的场所", "Only the places of this zone"),
    "template_prefill_all": ("全部片区", "All zones"),
    "template_prefill_date": ("日报日期", "Report date"),
    "template_csv": ("下载 CSV 模板", "CSV template"),
    "template_xlsx": ("下载 Excel 模板", "Excel template"),
    "upload_file": ("选择文件（{types}，不超过 {mb} MB）", "Choose a file ({types}, up to {mb} MB)"),
    "upload_sheet": ("工作表", "Sheet"),
    "upload_columns": ("列对应：表中哪一列是什么", "Column mapping: which column holds what"),
    "upload_columns_help": ("已按表头自动对应。如有不对，请改选；经纬度写在同一格时选“经纬度（一格）”，不需要的留空。",
                            "Matched by the headers. Correct what is wrong; pick 'position (one cell)' when both "
                            "coordinates share a cell, and leave unused roles empty."),
    "upload_warnings": ("请核实以下 {count} 处：", "To check ({count}):"),
    "upload_keep_reports": ("保留手机填报：不导入会替换手机填报的行", "Keep the phone reports: leave out the rows that would "
                            "replace them"),
    "upload_keep_reports_help": ("网格员今天已用手机填报的场所，以手机填报为准；表格中这些场所的行不导入。",
                                 "Where a grid officer has reported from a phone today, the phone's report stands; the "
                                 "table's rows of those places are not imported."),
    "upload_accept_warnings": ("我已核实以上警告，仍要导入", "I have checked the warnings above: import anyway"),
    "upload_match_outlines": ("给已有点位加轮廓（按位置匹配文件中的面）", "Outlines for stored points (match the file's polygons by position)"),
    "upload_match_outlines_help": ("适用于 OpenStreetMap、土地利用等轮廓文件：文件中的面套住某个已有点位时，作为该场所的轮廓；"
                                   "不新增场所，编号和名称不变。",
                                   "For OpenStreetMap or land-use files: a polygon containing one stored point becomes "
                                   "that place's outline; no place is added, ids and names stay."),
    "upload_column_none": ("（不使用）", "(not used)"),
    "upload_datum": ("坐标系", "Coordinates"),
    "upload_datum_auto": ("自动识别", "Detect"),
    "upload_datum_auto_found": ("自动识别（检查结果：{datum}）", "Detect (found: {datum})"),
    "upload_datum_found": ("检查结果：坐标很可能是 **{datum}**。理由：{reason}", "The check found the coordinates most "
                           "likely **{datum}**. Why: {reason}"),
    "upload_datum_unconfirmed": ("按 **{datum}** 读取，本市数据无法印证。理由：{reason}", "Read as **{datum}**, which the "
                                 "city's data cannot confirm. Why: {reason}"),
    "upload_datum_other": ("检查结果：坐标很可能是 **{datum}**，而不是现在的{read}。理由：{reason}。"
                           "请在上面的框中改选“{datum}”，或核实后在下方确认。",
                           "The check found the coordinates most likely **{datum}**, not {read} as now. Why: "
                           "{reason}. Choose \"{datum}\" in the box above, or confirm below once you are sure."),
    "upload_checking": ("正在检查文件……", "Checking the file…"),
    "upload_confirm": ("确认导入", "Confirm import"),
    "upload_nothing_to_import": ("文件与现有数据完全相同，无需导入：没有生成新版本。",
                                 "The file is identical to the stored data: there is nothing to import, and no version "
                                 "is made."),
    "upload_done": ("已导入，版本 {version}。地图已更新。", "Imported as version {version}. The maps show it now."),
    "upload_problems": ("{file} 有 {count} 个问题，未导入。请按下表逐一修改后重新上传：",
                        "{file} has {count} problems and was not imported. Fix each one below and upload again:"),
    "upload_problem_rows": ("逐条明细（共 {count} 条）", "Each problem ({count})"),
    "upload_problems_download": ("下载全部明细（CSV）", "Download them all (CSV)"),
    "upload_more_groups": ("另有 {count} 类问题，见下方逐条明细。", "{count} more kinds of problems: see each one below."),
    "upload_preview": ("导入后将会", "What the import will change"),
    "upload_preview_tip": ("本次导入", "This import"),
    "upload_col_change": ("变动", "Change"),
    "upload_changed": ("将变化", "Will change"),
    "upload_same": ("不变", "Unchanged"),
    "upload_warned": ("将变化，需核实（见上方警告）", "Will change; to check (see the warnings above)"),
    "change_added": ("新增", "Added"),
    "change_changed": ("修改", "Changed"),
    "change_removed": ("移除", "Removed"),
    "upload_replace": ("整层替换：文件中没有的场所将停用", "Replace the whole layer: places not in the file are retired"),
    "upload_replace_help": ("不勾选时只新增和修改。勾选后，文件就是完整的图层：预览会列出将停用的场所，"
                            "它们的日报历史保留，导入后可在“历史版本”中回退。",
                            "Unticked, the file only adds and changes places. Ticked, the file is the whole layer: "
                            "the preview lists the places it retires, their daily reports are kept, and History can "
                            "undo the import."),
    "upload_removed": ("将停用 {count} 个场所：{names}", "{count} places will be retired: {names}"),
    "upload_removed_more": ("等", "and more"),
    # the first visit to a city with no places yet (pages/welcome.py)
    "page_welcome": ("开始使用", "Get started"),
    "welcome_title": ("欢迎使用住建局疫情防控指挥图", "Welcome to the housing bureau's command map"),
    "welcome_title_city": ("欢迎使用{city}疫情防控指挥图", "Welcome to the command map of {city}"),
    "welcome_intro": ("这里还没有任何场所。按下面三步，用本单位自己的名单建起地图，不需要 GIS 软件：",
                      "There are no places here yet. Three steps build the map from your own lists, no GIS "
                      "software needed:"),
    "welcome_step_places": ("第一步：上传场所", "Step 1: upload the places"),
    "welcome_places_text": ("先传网格片区（名单即可，不必有范围），再传物业小区、在建工地等场所。每类一个文件：Excel 或 CSV 名单"
                            "（有经度、纬度列；高德、百度上取的坐标也可以，会自动识别），或 GeoJSON。"
                            "先下载模板看需要哪些列；上传后先检查预览，确认后才会导入。",
                            "Upload the grid zones first (a list will do, no outlines needed), then the compounds, "
                            "construction sites and other places. One file each: an Excel or CSV list (with longitude "
                            "and latitude columns; positions picked on Amap or Baidu are recognised), or GeoJSON. "
                            "Download the template to see the columns; each upload shows a preview and is stored "
                            "only when you confirm."),
    "welcome_upload_kind": ("上传{table}", "Upload {table}"),
    "welcome_step_map": ("第二步：查看地图", "Step 2: check the map"),
    "welcome_map_text": ("场所一上传就出现在地图上，还没有日报时显示为“未报告”。核对位置和名称；"
                         "传错了可以在“历史版本”中回退，或勾选“整层替换”重新上传。",
                         "Places appear on the map as soon as they are uploaded, as “not reported” until a daily "
                         "report arrives. Check where they are and what they are called; a wrong upload is undone "
                         "in History, or uploaded again with “Replace the whole layer”."),
    "welcome_map_link": ("打开物业小区地图", "Open the compounds map"),
    "welcome_step_report": ("第三步：上传今日日报", "Step 3: upload today's report"),
    "welcome_report_text": ("下载日报模板，每个场所一行（编号或名称均可），填好后上传。",
                            "Download the daily report's template, one row per place (its id or its name), fill "
                            "it in and upload it."),
    "welcome_report_link": ("上传小区日报", "Upload the compound daily report"),
    "welcome_login": ("上传需要工作人员或管理员账户：请在左侧登录。",
                      "Uploading needs a staff or admin account: log in on the left."),
    "welcome_demo": ("想先看看演示城市？在服务器上运行 `python -m geo init --demo`"
                     "（已有数据时加 `--force`，会先备份）。",
                     "Want to see the demo city first? Run `python -m geo init --demo` on the server "
                     "(with `--force` when there is data already: it is backed up first)."),
    "refused_files": ("数据目录中有 {count} 个文件没有通过检查，未导入。改好后在“数据上传”中上传：",
                      "{count} files of the data folder did not pass the checks and were not imported. Fix them "
                      "and upload them here:"),
    "refused_file": ("{file}（{table}）：共 {count} 个问题", "{file} ({table}): {count} problems"),
    "col_key": ("编号/日期", "Key"),
    "col_field_changed": ("字段", "Field"),
    "col_geometry": ("图形", "Shape"),
    "col_before": ("原值", "Before"),
    "col_after": ("新值", "After"),
    "history_trends": ("每日趋势", "Day by day"),
    "history_versions": ("版本列表", "Versions"),
    "history_pick": ("查看版本", "Show version"),
    "history_download": ("下载原始文件 {file}", "Download the original file {file}"),
    "history_rollback_sure": ("我确认要把该表回退到版本 {version} 之后的状态", "I want this table as it was right after version {version}"),
    "history_rollback": ("回退到版本 {version}", "Roll back to version {version}"),
    "history_rolled_back": ("已回退，记录为新版本 {version}。", "Rolled back, recorded as version {version}."),
    "col_version": ("版本", "Version"),
    "col_table": ("表格", "Table"),
    "col_action": ("操作", "Action"),
    "col_time": ("时间", "Time"),
    "col_user": ("用户", "User"),
    "col_added": ("新增", "Added"),
    "col_changed": ("修改", "Changed"),
    "col_removed": ("移除", "Removed"),
    "col_summary": ("摘要", "Summary"),
    "action_seed": ("初始数据", "Initial data"),
    "action_import": ("上传", "Upload"),
    "action_rollback": ("回退", "Rollback"),
    "action_init": ("新建城市", "New city"),
    "action_edit": ("场所维护", "Place edit"),
    "action_report": ("手机填报", "Phone report"),
    "row_hint": ("在下表中选一行查看详情。", "Choose a row of the table below for its details."),
    "zones_without_shapes": ("片区是一份名单，没有范围形状，所以这里不画地图：下表照常按片区统计（场所按“所属片区”归入）。"
                             "上传片区的形状（GeoJSON，编号相同）后即可在地图上着色。",
                             "The zones are a list without shapes, so no map is drawn here: the table below counts by "
                             "zone as usual (places join by their zone column). Upload the zones' shapes (GeoJSON, "
                             "same ids) to shade them on a map."),
    "page_edit": ("场所维护", "Edit places"),
    "page_report": ("今日填报", "Report today"),
    "daily_intro": ("今天（{date}）各场所的情况：情况不变点“与昨日相同”，有变化点下方“填写或更正”。",
                    "Today's ({date}) state of your places: tap “Same as yesterday” when nothing changed, else "
                    "“Fill in or correct” below."),
    "daily_progress": ("{date} 已报告 {reported}/{total}", "{date}: {reported} of {total} reported"),
    "daily_reported": ("已报告 {time} · {user}", "reported {time} by {user}"),
    "daily_reported_table": ("已报告 {time} · {user}（表格导入）", "reported {time} by {user} (a table upload)"),
    "daily_replaces": ("今日已有 {user} {time} 的报告{how}：提交会替换它，原报告保留在历史版本中。",
                       "{user} reported this place today at {time}{how}: sending replaces that report, which stays "
                       "in the history."),
    "compliance_reporter": ("网格员及电话", "Grid officer and phone"),
    "daily_past_day": ("数据只到 {date}（演示或历史数据）：报告和未报告名单按 {date} 计算。",
                       "The data ends on {date} (a demo or past data): reports and the list of places not reported "
                       "count that day."),
    "daily_from_table": ("（表格导入）", " (a table upload)"),
    "daily_not_reported": ("未报告", "not reported"),
    "daily_same": ("与昨日相同", "Same as yesterday"),
    "daily_zero_all": ("一键零报告（{count} 个未报告的场所与昨日相同）",
                       "Report all {count} not reported as the same as yesterday"),
    "daily_zero_done": ("已报告 {count} 个场所与昨日相同。", "{count} places reported as the same as yesterday."),
    "daily_fill": ("填写或更正", "Fill in or correct"),
    "daily_pick": ("场所", "Place"),
    "daily_submit": ("提交今日报告", "Send today's report"),
    "daily_supplies": ("防疫物资库存", "Supplies on hand"),
    "daily_all_zones": ("全部片区", "Every zone"),
    "daily_none": ("您负责的范围内没有需要填报的场所。", "There is no place to report in your area."),
    "compliance_title": ("未报告（截至 {deadline}）", "Not reported by {deadline}"),
    "compliance_counts": ("未报告 **{missing}** 个，迟报 **{late}** 个。", "**{missing}** not reported, **{late}** late."),
    "compliance_none": ("今日各场所均已按时报告。", "Every place reported on time today."),
    "compliance_missing": ("未报告", "not reported"),
    "compliance_late": ("迟报", "late"),
    "compliance_sort": ("排序", "Sort by"),
    "compliance_contact_phone": ("场所电话", "Place's phone"),
    "compliance_file": ("未报告场所联系名单 {date}", "Places not reported {date}"),
    "compliance_csv": ("下载联系名单（CSV）", "Call list (CSV)"),
    "compliance_xlsx": ("下载联系名单（Excel）", "Call list (Excel)"),
    "edit_intro": ("在地图上给“待定位”的场所定位、移动放错位置的点，或给场所改名、停用。每次修改都保存为一个新版本，"
                   "可以撤销，也会记入历史。",
                   "Place the places still to be placed, move a misplaced point by a click, rename or retire a "
                   "place. Each change is a new version: it can be undone and shows in the history."),
    "edit_kind": ("场所类别", "Kind of place"),
    "edit_place": ("场所（待定位的排在最前）", "Place (those still to be placed first)"),
    "edit_unplaced_tag": ("待定位", "unplaced"),
    "edit_unplaced_count": ("{count} 个{table}待定位：没有坐标，地图上不显示。在下面选中后点地图即可定位。",
                            "{count} of the {table} are still to be placed: no position, not drawn. Choose one "
                            "below and click the map."),
    "edit_no_places": ("还没有{table}。请先在“上传数据”页上传名单。", "There are no {table} yet: upload a list first."),
    "edit_where_now": ("位置：经度 {lon}，纬度 {lat}", "at longitude {lon}, latitude {lat}"),
    "edit_unplaced_now": ("待定位（还没有坐标）", "still to be placed (no position)"),
    "edit_tab_position": ("定位 / 移动", "Place / move"),
    "edit_tab_name": ("改名", "Rename"),
    "edit_tab_retire": ("停用", "Retire"),
    "edit_click_hint": ("在地图上点击新位置（红圈），灰圈是现在的位置；也可以在下面输入经纬度。",
                        "Click the new position on the map (red circle); the grey circle is where it is now. Or "
                        "type the coordinates below."),
    "edit_type_position": ("或输入经纬度（如 114.3215,29.8421，顺序不限）",
                           "Or type the coordinates (e.g. 114.3215,29.8421, either order)"),
    "edit_datum_gcj02": ("GCJ-02（高德、腾讯地图上取的点）", "GCJ-02 (picked on Amap or Tencent maps)"),
    "edit_datum_wgs84": ("WGS-84（GPS、天地图）", "WGS-84 (GPS, Tianditu)"),
    "edit_datum_bd09": ("BD-09（百度地图）", "BD-09 (Baidu maps)"),
    "edit_datum_help": ("输入的经纬度取自哪里：工作人员多在高德地图上取点，所以默认 GCJ-02。点地图定位不受此项影响。",
                        "Where the typed coordinates come from: staff mostly pick points on Amap, hence GCJ-02 by "
                        "default. A click on the map is not affected by this."),
    "edit_use_typed": ("用这个位置", "Use it"),
    "edit_will_place": ("将把 **{place}** 定位到经度 {lon}，纬度 {lat}。", "**{place}** will be placed at longitude {lon}, "
                                                                 "latitude {lat}."),
    "edit_will_move": ("将把 **{place}** 移动 {metres} 米，到经度 {lon}，纬度 {lat}。",
                       "**{place}** will move {metres} m, to longitude {lon}, latitude {lat}."),
    "edit_save_position": ("保存位置", "Save the position"),
    "edit_new_name": ("新名称", "New name"),
    "edit_save_name": ("保存名称", "Save the name"),
    "edit_retire_text": ("停用后，**{place}** 不再出现在地图、统计和表格中（已关闭、拆除或重复的场所）；它的日报保留。"
                         "停用可以撤销。",
                         "Once retired, **{place}** leaves the maps, figures and tables (closed, demolished or a "
                         "duplicate); its reports are kept. Retiring can be undone."),
    "edit_retire_confirm": ("确认停用这个场所", "Yes, retire this place"),
    "edit_retire_button": ("停用", "Retire"),
    "edit_saved": ("已保存为版本 {version}。", "Saved as version {version}."),
    "unplaced_places": ("{count} 个{kind}待定位（没有坐标，地图上不显示）：{names}",
                        "{count} of the {kind} are still to be placed (no position, not drawn): {names}"),
    "unplaced_list": ("待定位的场所（{count}）", "Places still to be placed ({count})"),
    "unplaced_go": ("去定位", "Place them"),
    "col_places": ("报告场所数", "Places reporting"),
    "col_low": ("偏紧场所", "Places low"),
    "col_critical": ("告急场所", "Places critical"),
    "items_title": ("分物资汇总", "By item"),
    "col_field": ("项目", "Field"),
    "col_value": ("内容", "Value"),
    "col_file": ("文件", "File"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_message": ("说明", "Message"),
    "col_item": ("物资", "Item"),
    "col_on_hand": ("库存", "On hand"),
    "col_daily_use": ("日消耗", "Daily use"),
    "col_id": ("编号", "ID"),
    "col_name": ("名称", "Name"),
    "col_zone": ("片区", "Zone"),
    "col_state_days": ("本状态第几天", "Days in this state"),
    "state_day": ("（第 {days} 天）", " (day {days})"),
    "f_held": ("本状态已持续（天）≥", "In this state for at least (days)"),
    "f_held_help": ("只显示当前状态已持续这么多天的场所，如选“全封闭”并填 14：封闭 14 天以上的小区。0 为不限。",
                    "Only places in their state for at least this many days: choose Sealed and 14 for the "
                    "compounds sealed two weeks or more. 0 keeps all."),
    "col_street": ("街道乡镇", "Street / town"),
    "col_district": ("区县", "District"),
    "col_zone_name": ("片区名称", "Zone name"),
    "col_contact": ("场所负责人", "Person in charge"),
    "col_leader": ("片区长", "Zone leader"),
    "col_phone": ("联系电话", "Phone"),
    "col_closure": ("封闭状态", "Closure"),
    "col_resumption": ("复工状态", "Resumption"),
    "col_report": ("报告状态", "Report"),
    "col_residents": ("居民人数", "Residents"),
    "col_households": ("户数", "Households"),
    "col_fever_reports": ("今日发热", "Fever today"),
    "col_workers": ("返岗/在册工人", "Workers returned / on roll"),
    "col_health_ledger": ("健康台账", "Health ledger"),
    "col_supply_level": ("物资保障", "Supply level"),
    "col_min_days": ("最少保障天数", "Fewest days of cover"),
    "col_days": ("保障天数", "Days of cover"),
    "col_short_items": ("偏紧物资", "Items short"),
    "col_place_kind": ("场所类型", "Kind of place"),
    "place_compound": ("小区", "Compound"),
    "place_site": ("工地", "Site"),
    "unit_days": (" 天", " days"),
    # the other places supervised (geo/domain/kinds.py): markets, sales offices, agencies, parks, plants
    "page_markets": ("农贸市场", "Markets"),
    "page_sales_offices": ("售楼部", "Sales offices"),
    "page_agencies": ("房产中介", "Housing agencies"),
    "page_parks": ("城市公园", "Parks"),
    "page_plants": ("水厂和污水处理厂", "Water and sewage plants"),
    "layer_markets": ("农贸市场（开放状态）", "Markets (open or closed)"),
    "layer_sales_offices": ("售楼部（开放状态）", "Sales offices (open or closed)"),
    "layer_agencies": ("房产中介（开放状态）", "Housing agencies (open or closed)"),
    "layer_parks": ("城市公园（开放状态）", "Parks (open or closed)"),
    "layer_plants": ("水厂和污水处理厂（运行状态）", "Water and sewage plants (operation)"),
    "legend_opening": ("开放状态", "Open or closed"),
    "legend_operation": ("水厂运行状态", "Plant operation"),
    "col_opening": ("开放状态", "Open or closed"),
    "col_operation": ("运行状态", "Operation"),
    "kpi_markets_open": ("开放的农贸市场", "Markets open"),
    "kpi_sales_offices_open": ("开放的售楼部", "Sales offices open"),
    "kpi_agencies_open": ("开放的中介门店", "Agencies open"),
    "kpi_parks_open": ("开放的公园", "Parks open"),
    "kpi_plants_running": ("正常运行的水厂", "Plants running"),
    "kpi_of_total": ("{value} / {total}", "{value} of {total}"),
    "wall_view_shared": ("其他监管场所", "Other places supervised"),
    # accounts (geo/auth.py, ui/auth.py, pages/users.py, geo/cli_user.py)
    "auth_page_users": ("账户管理", "Accounts"),
    "auth_role_viewer": ("只读用户", "Viewer"),
    "auth_role_officer": ("网格员", "Grid officer"),
    "auth_role_unit": ("责任单位", "Responsible unit"),
    "auth_role_staff": ("工作人员", "Staff"),
    "auth_role_admin": ("管理员", "Administrator"),
    "auth_action_view": ("查看", "view"),
    "auth_action_upload": ("上传数据", "upload data"),
    "auth_action_history": ("查看历史版本和下载原件", "see the version history and download originals"),
    "auth_action_rollback": ("回退版本", "roll back a version"),
    "auth_action_undo_own": ("撤销本人最近的导入", "undo your own latest import"),
    "auth_undo_not_latest": ("版本 {version} 不是您本人最近一次、且其后没有新版本的导入，不能撤销；请联系管理员回退。",
                             "Version {version} is not your own latest import with no later version of its table: "
                             "it cannot be undone here; ask an administrator to roll back."),
    "undo_edit": ("撤销这次修改（版本 {version}）", "Undo this change (version {version})"),
    "undo_edit_help": ("只能撤销您本人最近一次修改，且在同一类场所没有更新版本之前。撤销记录为新版本。",
                       "Only your own latest change, while no newer version of its kind of place exists. The undo "
                       "is recorded as a new version."),
    "undo_import": ("撤销本次导入（版本 {version}）", "Undo this import (version {version})"),
    "undo_import_help": ("只能撤销您本人最近一次导入，且在同一表格没有更新版本之前。撤销记录为新版本。",
                         "Only your own latest import, while its table has no later version. The undo is recorded "
                         "as a new version."),
    "undo_done": ("已撤销版本 {undone} 的导入，记录为新版本 {version}。",
                  "The import of version {undone} was undone, recorded as version {version}."),
    "auth_action_manage_users": ("管理账户", "manage accounts"),
    "auth_action_report_daily": ("填报今日日报", "report today's state of places"),
    "auth_denied": ("您的角色（{role}）无权{action}。", "Your role ({role}) may not {action}."),
    "scope_line": ("范围：{area}", "Area: {area}"),
    "auth_scope_title": ("查看范围", "Area"),
    "auth_batch_title": ("批量创建", "Many at once"),
    "auth_batch_help": ("上传表格（CSV 或 .xlsx）：每行一个账号，列为 用户名、角色（只读用户/工作人员/管理员，空为只读用户）、"
                        "范围（如 片区：Z1 或 街道：温泉街道，空为全市）、手机。每个账号的初始密码由系统生成，只显示一次。",
                        "Upload a table (CSV or .xlsx), one account a row, with the columns 用户名 (name), 角色 (role; "
                        "empty: viewer), 范围 (area, such as 片区：Z1 or 街道：温泉街道; empty: the whole city) and 手机 "
                        "(phone). Each account's first password is made here and shown once."),
    "auth_batch_upload": ("账号表格", "Table of accounts"),
    "auth_batch_problems": ("表格有 {count} 处问题，改好后重新上传；问题改好前不会创建任何账号。",
                            "The table has {count} problems: fix them and upload it again; no account is created "
                            "before."),
    "auth_batch_button": ("创建这 {count} 个账号", "Create these {count} accounts"),
    "auth_done_batch": ("已创建 {count} 个账号。", "{count} accounts created."),
    "auth_batch_once": ("初始密码只显示这一次：请立即下载并分发，然后妥善处理该文件。",
                        "The first passwords are shown this once: download and hand them out now, then dispose of "
                        "the file."),
    "auth_batch_download": ("下载账号和初始密码（CSV）", "Download the accounts and first passwords (CSV)"),
    "auth_batch_file": ("账号初始密码", "first passwords"),
    "auth_batch_col_password": ("初始密码", "First password"),
    "auth_batch_col_phone": ("手机", "Phone"),
    "auth_batch_col_row": ("行", "Row"),
    "auth_batch_col_column": ("列", "Column"),
    "auth_batch_col_value": ("内容", "Value"),
    "auth_batch_col_problem": ("问题及改法", "Problem and fix"),
    "auth_scope_help": ("限定账号只能查看某区县、街道、片区或若干场所：其地图、筛选、导出、日报和大屏都只含范围内的数据；"
                        "有范围的账号只能查看，不能上传、回滚或管理账号。",
                        "Limit an account to a district, streets, zones or places: its maps, filters, exports, "
                        "briefing and wall hold only what is inside; an account with an area may only view, "
                        "not upload, roll back or manage accounts."),
    "auth_scope_by": ("范围类型", "Limited to"),
    "auth_scope_places": ("场所编号（每行一个，或用逗号分隔）", "Place ids (one a line, or separated by commas)"),
    "auth_scope_button": ("设置范围", "Set the area"),
    "auth_phone_button": ("保存手机", "Save the phone"),
    "auth_phone_help": ("网格员的手机写进“未报告”联系名单，到点未报告时指挥部直接打给他。留空则删除。",
                        "A grid officer's phone goes into the call list of places not reported, for the command post "
                        "to ring. Leave it empty to remove it."),
    "scope_places": ("{count} 个场所", "{count} places"),
    "auth_denied_scoped": ("此账号只查看其范围内的数据，不能{action}（这会涉及全市的数据）。",
                           "This account sees only its own area and may not {action} (that concerns the whole city)."),
    "auth_login_needed": ("请先登录，再{action}。", "Please log in to {action}."),
    "auth_bad_credentials": ("用户名或密码错误。", "Wrong user name or password."),
    "auth_store_read_only": ("数据存储是只读的，也没有可写的临时文件夹来记录登录尝试，暂时无法登录。请管理员检查磁盘能否写入。",
                             "The store is read-only and no temporary folder can be written to count login tries: "
                             "logging in is not possible for now. An administrator checks that the disk can be "
                             "written."),
    "auth_locked": ("登录失败次数过多，请 {seconds} 秒后再试。", "Too many failed logins: try again in {seconds} s."),
    "auth_disabled": ("该账户已停用，请联系管理员。", "This account is disabled: ask an administrator."),
    "auth_password_short": ("密码太短：至少需要 {min} 个字符。", "Password too short: it needs at least {min} characters."),
    "auth_password_long": ("密码太长：最多 {max} 个字符。", "Password too long: at most {max} characters."),
    "auth_password_blank": ("密码不能只由空格或不可见字符组成：至少需要 {min} 个可见字符。",
                            "A password cannot be mostly blanks or invisible characters: it needs at least {min} "
                            "visible ones."),
    "auth_password_common": ("密码太容易被猜到（常见密码、键盘顺序、重复字符、年份或含用户名）。请换一个更长、"
                             "不常见的密码，例如几个不相关的词加数字。",
                             "This password is too easy to guess (a common password, a keyboard run, repeats, a year "
                             "or the user name). Choose a longer, uncommon one, such as a few unrelated words and "
                             "digits."),
    "auth_password_rule": ("至少 {min} 个可见字符，不能是常见或容易猜到的密码（如 12345678、password、含用户名）。",
                           "At least {min} visible characters, and not a common or guessable password (such as "
                           "12345678, password, or one containing the user name)."),
    "auth_password_mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "auth_password_not_read": ("没有读到密码：请在终端里输入两次，或加 --password-stdin 从标准输入给出一行。",
                               "No password was read: type it twice in a terminal, or add --password-stdin and "
                               "give it as one line on standard input."),
    "auth_name_invalid": ("用户名须为 1 至 {max} 个字符，不能含空格或控制字符。",
                          "A user name has 1 to {max} characters, with no spaces or control characters."),
    "auth_name_reserved": ("“{name}”是保留名称，请换一个。", "“{name}” is reserved: choose another name."),
    "auth_name_taken": ("用户名“{name}”已存在。", "The user name “{name}” is taken."),
    "auth_phone_not_dialable": ("手机“{phone}”无法拨通：应为 11 位手机号，或带区号的座机（如 0715-8123456）。",
                                "The phone “{phone}” cannot be dialled: write an 11-digit mobile, or a landline with "
                                "its area code (such as 0715-8123456)."),
    "auth_user_unknown": ("没有名为“{name}”的用户。", "No user is called “{name}”."),
    "auth_role_unknown": ("未知角色“{role}”，可选：{roles}。", "Unknown role “{role}”: choose {roles}."),
    "auth_last_admin": ("不能停用或降级最后一个管理员。", "The last administrator cannot be disabled or demoted."),
    "auth_login_title": ("登录", "Log in"),
    "auth_login_required": ("请登录后使用本系统。", "Please log in to use this app."),
    "auth_name": ("用户名", "User name"),
    "auth_password": ("密码", "Password"),
    "auth_password_again": ("再次输入密码", "Password again"),
    "auth_new_password": ("新密码", "New password"),
    "auth_login_button": ("登录", "Log in"),
    "auth_logout": ("退出登录", "Log out"),
    "auth_logged_in": ("已登录：{name}（{role}）", "Logged in: {name} ({role})"),
    "auth_expired": ("登录已超时，请重新登录。", "Your session expired: please log in again."),
    "auth_store_busy": ("数据存储正忙（可能正在导入数据），正在重试登录……已等待 {seconds} 秒，请勿关闭页面。",
                        "The store is busy (a file is probably being imported): retrying the login… waited {seconds} "
                        "s so far; keep this page open."),
    "store_busy_retrying": ("数据存储正忙（可能正在导入数据），正在重试保存……已等待 {seconds} 秒，请勿关闭页面。",
                            "The store is busy (a file is probably being imported): retrying the save… waited "
                            "{seconds} s so far; keep this page open."),
    "store_busy_gave_up": ("数据存储一直忙（已等待 {seconds} 秒），这次的更改没有保存，已保存的数据完好无损。请稍后再试。",
                           "The store stayed busy ({seconds} s): nothing was saved, and the stored data is intact. "
                           "Try again in a while."),
    "auth_store_busy_gave_up": ("数据存储一直忙（已等待 {seconds} 秒），登录未完成。请稍后再试。",
                                "The store stayed busy ({seconds} s): not logged in. Try again in a while."),
    "auth_no_browser_cookie": ("无法登录：本浏览器没有发回本站的 Cookie，登录无法绑定到这个浏览器。请刷新页面后再试；"
                               "若仍不行，请在浏览器设置中允许本站使用 Cookie。",
                               "Cannot log in: this browser did not send back this site's cookie, so the login "
                               "cannot be bound to it. Reload the page and try again; if that does not help, allow "
                               "cookies for this site in the browser's settings."),
    "auth_user": ("用户", "User"),
    "auth_role": ("角色", "Role"),
    "auth_col_name": ("用户名", "User name"),
    "auth_col_role": ("角色", "Role"),
    "auth_col_disabled": ("已停用", "Disabled"),
    "auth_col_created": ("创建时间", "Created"),
    "auth_col_last_login": ("最近登录", "Last login"),
    # login locks and wall displays (geo/accounts/throttle.py, geo/accounts/displays.py, pages/users.py, CLI)
    "auth_col_locked": ("登录锁定（剩余秒数）", "Login locked (seconds left)"),
    "auth_unlock_title": ("解除登录锁定", "Unlock logins"),
    "auth_unlock_button": ("解除锁定", "Unlock"),
    "auth_done_unlocked": ("已解除 {name} 的登录锁定（所有地址）。", "Logins of {name} unlocked (from every address)."),
    "display_title": ("大屏授权", "Wall displays"),
    "display_help": ("大屏授权让一块屏幕无需输入密码即可显示大屏页面（仅大屏，只读，不能访问其他页面、导出或上传），"
                     "可随时撤销。授权码只显示一次，请立即复制下面的地址到大屏浏览器中打开。",
                     "A display token lets one screen show the wall without a password (the wall only, read-only: "
                     "no other page, export or upload), and can be revoked at any time. The token is shown once: "
                     "copy the address below into the screen's browser now."),
    "display_label": ("大屏名称", "Display name"),
    "display_add_button": ("生成授权", "Create token"),
    "display_revoke_button": ("撤销授权", "Revoke"),
    "display_col_label": ("大屏名称", "Display"),
    "display_col_created": ("创建时间", "Created"),
    "display_col_created_by": ("创建人", "Created by"),
    "display_col_last_used": ("最近使用", "Last used"),
    "display_none": ("还没有大屏授权。", "No wall displays yet."),
    "display_done_added": ("已为大屏“{label}”生成授权。请在该大屏的浏览器中打开以下地址（只显示这一次）：\n{path}",
                           "Display “{label}” created. Open this address in the screen's browser (shown only "
                           "this once):\n{path}"),
    "display_done_revoked": ("已撤销大屏“{label}”的授权，该屏幕在下次刷新时停止显示数据。",
                             "Display “{label}” revoked: the screen stops showing data at its next refresh."),
    "display_label_invalid": ("大屏名称须为 1 至 {max} 个字符，不能含控制字符。",
                              "A display name has 1 to {max} characters, with no control characters."),
    "display_label_taken": ("大屏名称“{label}”已存在。", "The display name “{label}” is taken."),
    "display_unknown": ("没有名为“{label}”的大屏授权。", "No wall display is called “{label}”."),
    "display_refused": ("此大屏地址的授权无效或已被撤销，不再显示数据。请联系管理员重新生成大屏授权。",
                        "This display address's token is not valid or was revoked: no data is shown. Ask an "
                        "administrator for a new display token."),
    "auth_add_title": ("添加用户", "Add a user"),
    "auth_add_button": ("添加", "Add"),
    "auth_role_title": ("更改角色", "Change role"),
    "auth_role_button": ("保存角色", "Save role"),
    "auth_passwd_title": ("重置密码", "Reset password"),
    "auth_passwd_button": ("重置密码", "Reset password"),
    "auth_status_title": ("停用 / 启用", "Disable / enable"),
    "auth_disable_button": ("停用", "Disable"),
    "auth_enable_button": ("启用", "Enable"),
    "auth_state_active": ("启用", "active"),
    "auth_state_disabled": ("停用", "disabled"),
    "auth_never": ("从未", "never"),
    "auth_no_users": ("还没有用户。请在命令行添加第一个管理员：python -m geo user add 用户名 --role admin",
                      "No users yet. Add the first administrator on the command line: "
                      "python -m geo user add NAME --role admin"),
    "auth_done_added": ("已添加用户 {name}（{role}）。", "Added user {name} ({role})."),
    "auth_done_password": ("已为 {name} 设置新密码。", "New password set for {name}."),
    "auth_done_role": ("{name} 的角色已改为{role}。", "{name} is now {role}."),
    "auth_done_disabled": ("已停用 {name}。", "Disabled {name}."),
    "auth_done_enabled": ("已启用 {name}。", "Enabled {name}."),
}


#: Every key of the catalogue, whatever its topic (no key is in two topics: a test checks it). A view, not a
#: copy: the labels a kind of place brings when it is registered (geo.domain.kinds) are found too.
CATALOGUE: Mapping[str, tuple[str, str]] = ChainMap(LABELS, MESSAGES, TASK_TEXTS)


@overload
def t(key: str, lang: None = None, /, **values) -> Text: ...


@overload
def t(key: str, lang: str, /, **values) -> str: ...


def t(key: str, lang: str | None = None, /, **values) -> Text | str:
    """The sentence ``key`` with its ``{names}`` filled in: in ``lang`` ('zh' or 'en'), or in both as a Text.

    A value that is itself a :class:`~geo.domain.text.Text` (a role, a datum, a table's
    name) is filled in each language in that language.
    """
    text = Text(*CATALOGUE[key])
    return text.fill(**values) if lang is None else text.pick(lang, **values)


def listing(items) -> Text:
    """Names, ids or sentences listed, '、' between them in Chinese and ', ' in English.

    >>> listing(["0501", "0502"])
    Text(zh='0501、0502', en='0501, 0502')
    >>> listing([Text("经度", "longitude"), "x"]).en
    'longitude, x'
    """
    return join((item if isinstance(item, Text) else Text(str(item), str(item)) for item in items),
                t("list_separator"))
