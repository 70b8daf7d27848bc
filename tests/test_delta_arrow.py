"""A headline tile whose figure did not change shows "+0" without an arrow up (issue 18, item 6).

Found on the overview: "+0" under an arrow up read as a rise. Tested the way it was found: a complete next
day whose compounds and sites keep their states gives changes of 0, and those tiles have no arrow while the
tiles that changed keep theirs.
"""

from __future__ import annotations

import datetime

from streamlit.proto.Metric_pb2 import Metric

from geo.accounts import auth
from geo.analysis import delta_arrow
from geo.upload import check_file, commit
from tests.conftest import open_app_page

# 2020-02-26, every place reported: 0501 controlled and 0502 sealed as the day before, 0503 (silent the day
# before) open; S1 resumed and S2 applied as the day before
SAME_AGAIN = {"compound_status": "小区编号,日期,封闭状态\n0501,2020-02-26,封闭管理\n0502,2020-02-26,全封闭\n"
                                 "0503,2020-02-26,未封闭\n",
              "site_status": "工地编号,日期,复工状态\nS1,2020-02-26,已复工\nS2,2020-02-26,已申报\n"}


def test_a_change_of_zero_has_no_arrow_and_any_other_change_has_one():
    assert delta_arrow(0) == delta_arrow(0.0) == "off"
    assert delta_arrow(1) == delta_arrow(-0.5) == delta_arrow(50.0) == "auto"  # Streamlit's arrow by the sign
    assert delta_arrow(None) == "auto"  # no change to show: Streamlit draws no arrow without a delta


def test_a_kpi_tile_with_a_change_of_0_shows_no_arrow_up(page_env):
    for kind, content in SAME_AGAIN.items():
        check = check_file(page_env, kind, content.encode(), "日报.csv", today=datetime.date(2020, 2, 26))
        assert check.ok, [p.message() for p in check.problems]
        commit(page_env, check, auth.User("clerk", "staff"))
    at = open_app_page("pages/overview.py")
    assert at.selectbox(key="date").value == "2020-02-26"
    tiles = {m.label: (m.delta, Metric.MetricDirection.Name(m.proto.direction)) for m in at.metric}
    assert tiles["全封闭小区"] == ("+0", "NONE")
    assert tiles["封闭管理小区"] == ("+0", "NONE")
    assert tiles["工地复工率"] == ("+0%", "NONE")
    assert tiles["未封闭小区"] == ("+1", "UP") and tiles["今日未报告场所"] == ("-1", "DOWN")  # changes keep theirs
