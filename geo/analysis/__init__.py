"""Analysis, floor 3: each place with its report of a date, headline figures, zone figures, trends, filters."""

from geo.analysis.attention import attention_items, with_last_reports
from geo.analysis.compare import changed_places, transitions
from geo.analysis.days import Days, neighbours, report_days
from geo.analysis.display import details, display_table, header, shown_value, state_label, versions_table
from geo.analysis.filters import Filters, apply_filters, export_stem, export_title, filter_parts, place_key
from geo.analysis.kind_view import view_of
from geo.analysis.kpi import Kpi, compute_kpis, delta_arrow, kpis_of, narrowed_views
from geo.analysis.problem_list import (
    ProblemFilters,
    days_text,
    filter_problems,
    history_table,
    place_kind_label,
    problems_table,
)
from geo.analysis.task_forms import (
    DEADLINE_DAYS,
    FormRefused,
    Unit,
    checklist_items,
    new_inspection,
    new_problem,
    read_photos,
    unit_refusals,
)
from geo.analysis.tasks import (
    LEAGUE_SHOWN,
    TaskFigures,
    as_of,
    is_open,
    is_overdue,
    league,
    league_table,
    of_places,
    open_by_place,
    task_figures,
    with_streets,
)
from geo.analysis.trends import daily_figures, figures_by
from geo.analysis.views import (
    Thresholds,
    compound_view,
    item_summary,
    other_kinds,
    other_views,
    outside_zones,
    place_supplies,
    place_view,
    previous_date,
    report_dates,
    site_view,
    supply_level,
    supply_rows,
    supply_view,
    unmatched_ids,
    unplaced_places,
    with_previous,
)
from geo.analysis.wall import (
    Changes,
    PlaceStates,
    Turn,
    banners,
    city_wall_views,
    data_age,
    next_view,
    page_count,
    page_of,
    state_changes,
    take_turn,
    track_changes,
)
from geo.analysis.zones import METRICS, zone_metrics, zone_peaks

__all__ = ["Days", "neighbours", "Filters", "Kpi", "METRICS", "Thresholds", "apply_filters", "export_stem", "export_title", "filter_parts", "attention_items", "banners",
           "city_wall_views", "compound_view", "compute_kpis", "delta_arrow", "kpis_of", "narrowed_views", "daily_figures", "figures_by", "changed_places", "transitions", "state_label", "versions_table", "shown_value", "details", "display_table", "header",
           "item_summary", "other_kinds", "other_views", "outside_zones", "unplaced_places", "place_key", "place_supplies",
           "place_view", "previous_date", "report_dates", "report_days", "site_view", "supply_level", "supply_rows",
           "supply_view", "Changes", "PlaceStates", "state_changes", "track_changes", "unmatched_ids", "view_of", "with_previous", "zone_metrics", "zone_peaks",
           "Turn", "data_age", "next_view", "page_count", "page_of", "take_turn", "with_last_reports",
           "TaskFigures", "as_of", "is_overdue", "of_places", "league", "open_by_place", "task_figures",
           "LEAGUE_SHOWN", "is_open", "league_table", "with_streets",
           "DEADLINE_DAYS", "FormRefused", "ProblemFilters", "Unit", "checklist_items", "days_text", "filter_problems",
           "history_table",
           "new_inspection", "new_problem", "place_kind_label", "problems_table", "read_photos", "unit_refusals"]
