"""Status joins, derived states, KPIs and zone metrics on the tiny city."""

import pandas as pd

from geo import store
from geo.analysis.kpi import compute_kpis
from geo.analysis.views import (
    Thresholds,
    compound_view,
    place_supplies,
    report_dates,
    site_view,
    supply_view,
    unmatched_ids,
)
from geo.analysis.zones import class_breaks, classify, zone_metrics
from geo.domain import kinds
from geo.store import load_store


def test_every_place_keeps_its_row_and_silence_is_missing(tiny):
    view = compound_view(tiny, "2020-02-25")
    assert len(view) == 3
    states = dict(zip(view["id"], view["category"]))
    assert states == {"0501": "controlled", "0502": "sealed", "0503": "missing"}
    assert dict(zip(view["id"], view["report"]))["0503"] == "missing"


def test_compound_without_zone_gets_one_by_location(tiny):
    assert tiny.zones_assigned == 1
    assert tiny.compounds.set_index("id").loc["0503", "zone"] == "Z2"


def test_reports_of_a_retired_place_are_counted_not_dropped_silently(tiny_store):
    """A layer replaced without a place keeps that place's reports: their ids are listed, not dropped."""
    none = {k.report: [] for k in kinds.reporting_kinds()}  # every daily report, the other places' too
    assert unmatched_ids(load_store(tiny_store)) == none
    kept = store.current(tiny_store, "compounds").query("id != '0503'")
    store.apply_rows(tiny_store, "compounds", kept, "clerk", replace=True)
    assert unmatched_ids(load_store(tiny_store)) == {**none, "compound_status": ["0503"]}


def test_supply_level_is_the_worst_item_and_thresholds_are_settings(tiny):
    levels = place_supplies(tiny, "2020-02-25", Thresholds(low=7, critical=3))
    assert levels.loc["0501", "supply_level"] == "critical"  # masks 100 / 50 a day = 2 days
    assert levels.loc["0501", "short_items"] == "masks"
    relaxed = place_supplies(tiny, "2020-02-25", Thresholds(low=2, critical=1))
    assert relaxed.loc["0501", "supply_level"] == "adequate"


def test_supply_view_holds_compounds_and_sites(tiny):
    view = supply_view(tiny, "2020-02-25")
    assert sorted(view["place_kind"].unique()) == ["compound", "site"]
    assert dict(zip(view["id"], view["category"]))["0503"] == "missing"


def test_kpis_and_their_change_since_previous_report(tiny):
    assert report_dates(tiny) == ["2020-02-24", "2020-02-25"]
    kpis = {k.key: k for k in compute_kpis(tiny, "2020-02-25")}
    assert kpis["kpi_sealed"].value == 1 and kpis["kpi_sealed"].delta == 1
    assert kpis["kpi_resumption_rate"].value == 50.0 and kpis["kpi_resumption_rate"].delta == 50.0
    assert kpis["kpi_not_reported"].value == 1 and kpis["kpi_not_reported"].delta == 1
    first = {k.key: k for k in compute_kpis(tiny, "2020-02-24")}
    assert first["kpi_sealed"].delta is None


def test_kpis_follow_the_filter_on_both_dates(tiny):
    only_z1 = {k.key: k for k in compute_kpis(tiny, "2020-02-25", keep=lambda v: v[v["zone"] == "Z1"])}
    assert only_z1["kpi_not_reported"].value == 0
    assert only_z1["kpi_resumption_rate"].value == 100.0


def test_zone_metrics_aggregate_compounds_and_sites(tiny):
    zones = zone_metrics(tiny, "2020-02-25").set_index("id")
    assert zones.loc["Z1", "compounds"] == 2
    assert zones.loc["Z1", "sealed_share"] == 50.0
    assert zones.loc["Z1", "fever_reports"] == 2
    assert zones.loc["Z2", "missing_reports"] == 1
    assert zones.loc["Z2", "resumption_rate"] == 0.0


def test_classify_gives_missing_for_no_data_and_keeps_order():
    classes = classify(pd.Series([1.0, 5.0, 9.0, 15.0, None]), classes=3)  # widths of 5: 0–5, 6–10, 11–15
    assert classes.tolist() == ["c1", "c1", "c2", "c3", "missing"]


def test_class_breaks_are_whole_numbers_for_counts_and_fixed_for_shares():
    assert class_breaks(pd.Series([0.0, 1.0, 2.0])) == [1.0, 2.0, 3.0, 4.0, 5.0]  # never "0–0.4"
    assert class_breaks(pd.Series([3.0, 37.0])) == class_breaks(pd.Series([0.0, 41.0, 12.0]))  # stable day to day
    assert class_breaks(pd.Series([2.0, 3.0]), unit="%") == [20.0, 40.0, 60.0, 80.0, 100.0]


def test_site_view_carries_health_ledger(tiny):
    view = site_view(tiny, "2020-02-25").set_index("id")
    assert view.loc["S2", "health_ledger"] == "no"


def test_item_summary_counts_short_places(tiny):
    from geo.analysis.views import item_summary

    summary = item_summary(tiny, "2020-02-25", Thresholds()).set_index("item")
    assert summary.loc["masks", "places"] == 4
    assert summary.loc["masks", "critical"] == 2  # 0501: 2 days, S2: 1.5 days
    assert summary.loc["masks", "low"] == 1  # S1: 5 days
    only_sites = item_summary(tiny, "2020-02-25", Thresholds(), ["S1", "S2"]).set_index("item")
    assert only_sites.loc["masks", "places"] == 2


def test_change_since_previous_report_is_shown_in_the_table(tiny):
    from geo.analysis.display import display_table
    from geo.analysis.views import with_previous

    view = with_previous(compound_view(tiny, "2020-02-25"), compound_view(tiny, "2020-02-24"))
    table = display_table(view, "compounds", "zh").set_index("编号")
    assert table.loc["0502", "较上一日报变化"] == "封闭管理 → 全封闭"
    assert table.loc["0503", "较上一日报变化"] == "封闭管理 → 未报告"


def test_daily_figures_give_one_row_per_report_date(tiny):
    from geo.analysis.trends import daily_figures

    trend = daily_figures(tiny)
    assert trend.index.tolist() == ["2020-02-24", "2020-02-25"]
    assert trend["kpi_sealed"].tolist() == [0, 1]
    assert trend["kpi_resumption_rate"].tolist() == [0.0, 50.0]


def test_attention_list_orders_reasons_and_finds_each(tiny):
    from geo.analysis.attention import attention_items

    compounds = compound_view(tiny, "2020-02-25")
    sites = site_view(tiny, "2020-02-25")
    items = attention_items(compounds, sites, days=3)
    assert items["reason"].tolist() == ["fever", "supplies", "supplies", "missing"]
    assert items.iloc[0]["id"] == "0502" and items.iloc[0]["value"] == 2
    assert set(items.loc[items["reason"] == "supplies", "id"]) == {"0501", "S2"}
    resumed_without_ledger = sites.assign(health_ledger="no")
    assert "no_ledger" in set(attention_items(compounds, resumed_without_ledger, 3)["reason"])
