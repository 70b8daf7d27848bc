"""Every UI label in Chinese and English, in one table.

Examples
--------
>>> t("page_compounds", "zh"), t("page_compounds", "en")
('物业小区', 'Compounds')
>>> t("rows_shown", "en", shown=3, total=10)
'3 of 10 shown'
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("住建局疫情防控指挥图", "Housing Bureau Epidemic Command Map"),
    "page_overview": ("总览", "Overview"),
    "page_compounds": ("物业小区", "Compounds"),
    "page_zones": ("网格片区", "Grid zones"),
    "page_sites": ("在建工地", "Construction sites"),
    "page_supplies": ("防疫物资", "Supplies"),
    "language": ("语言 / Language", "语言 / Language"),
    "data_as_of": ("数据截至 {date}", "Data as of {date}"),
    "no_report_dates": ("暂无日报数据。请在数据目录中放入日报表。", "No daily reports yet. Put report tables in the data folder."),
    # layers and legend
    "layer_compounds": ("物业小区（封闭状态）", "Compounds (closure)"),
    "layer_sites": ("在建工地（复工状态）", "Sites (resumption)"),
    "layer_supplies": ("防疫物资（保障天数）", "Supplies (days of cover)"),
    "layer_zones": ("网格片区", "Grid zones"),
    "layer_zone_outlines": ("片区边界", "Zone outlines"),
    "legend_missing": ("未报告", "Not reported"),
    "legend_no_data": ("无数据", "No data"),
    "legend_closure": ("小区封闭状态", "Compound closure"),
    "legend_resumption": ("工地复工状态", "Site resumption"),
    "legend_supply": ("物资保障（最少天数）", "Supplies (fewest days of cover)"),
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
    "f_status": ("状态", "Status"),
    "f_search": ("按名称或编号搜索", "Search by name or id"),
    "f_metric": ("片区着色指标", "Shade zones by"),
    "f_all": ("全部", "All"),
    "share_link": ("当前视图已写入网址，复制浏览器地址即可分享。", "This view is in the URL: copy the address to share it."),
    # table, export, details
    "table_title": ("明细表", "Table"),
    "rows_shown": ("显示 {shown} / 共 {total} 条", "{shown} of {total} shown"),
    "download_csv": ("导出 CSV", "Export CSV"),
    "download_xlsx": ("导出 Excel", "Export Excel"),
    "details_title": ("详情", "Details"),
    "click_hint": ("点击地图上的要素查看详情。", "Click a feature on the map to see its details."),
    "supplies_of_place": ("物资明细", "Supplies by item"),
    "places_of_zone": ("片区内场所", "Places in the zone"),
    "nothing_matches": ("没有符合筛选条件的场所。", "Nothing matches the filters."),
    # data quality
    "data_notes": ("数据提示", "Data notes"),
    "unmatched": ("{table}中有 {count} 个编号在地图上找不到：{ids}", "{table}: {count} ids match no place on the map: {ids}"),
    "zones_assigned": ("{count} 个场所未填片区，已按位置自动归入片区。", "{count} places had no zone and were assigned one by location."),
    "problems_found": ("读取数据时发现 {count} 个问题：", "{count} problems found while reading the data:"),
    "never_reported": ("{count} 个场所在所选日期未报告（零报告也须上报）。", "{count} places did not report on the selected date (even nothing must be reported)."),
    # columns
    "col_change": ("较上一日报变化", "Change since previous report"),
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
    "col_street": ("街道乡镇", "Street / town"),
    "col_district": ("区县", "District"),
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
}


def t(key: str, lang: str = "zh", **values) -> str:
    """The label ``key`` in ``lang`` ('zh' or 'en'), with ``{names}`` filled in."""
    zh, en = LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
