"""Problems of one kind said once: grouped by their catalogue key and column, rows as runs, the first examples."""

from __future__ import annotations

from geo.domain import Problem, Text, group_problems, ranges, t


def wrong_shape(row: int, gtype: str) -> Problem:
    return Problem.of("z.geojson", row, "geometry", f"Z{row}", "check_wrong_shape", fid=f"Z{row}",
                      gtype=t(f"gtype_{gtype}"), table=t("page_zones"), expected=t("check_shape_polygon"))


def test_problems_of_one_key_are_one_group_whatever_fills_their_sentences():
    problems = [wrong_shape(row, "Point" if row % 2 else "LineString") for row in range(1, 2762)]
    (group,) = group_problems(problems, features=True)
    assert group.count == 2761 and group.title.zh == "2,761 个要素的图形类型不对：第 1–2761 个"
    assert [p.row for p in group.examples] == [1, 2, 3]
    fix = "请在 GIS 软件中改画为面（Polygon），或从文件中删去这个要素，再上传。"
    assert group.examples[0].zh == f"要素 Z1 的图形是 点（Point），网格片区应为面（Polygon）：{fix}"
    assert group.examples[1].zh == f"要素 Z2 的图形是 线（LineString），网格片区应为面（Polygon）：{fix}"


def test_one_key_in_two_columns_is_two_groups_in_the_order_first_seen():
    def unreadable(row, header, value):
        return Problem.of("a.csv", row, header, value, "read_not_understood", value=value, expected="日期")
    problems = [unreadable(2, "日期", "昨天"), unreadable(2, "封闭状态", "关门"), unreadable(3, "日期", "前天"),
                unreadable(5, "日期", "明天")]
    groups = group_problems(problems)
    assert [(g.count, g.title.zh) for g in groups] == [
        (3, "列“日期”有 3 个值无法识别：第 2–3、5 行"), (1, "“关门”无法识别，应为日期。")]
    assert groups[1].examples == []  # alone: the problem itself is the title


def test_problems_without_a_key_are_grouped_only_when_they_say_the_same():
    same = [Problem("a.csv", row, "备注", None, Text("太长", "too long")) for row in (4, 5, 6)]
    other = Problem("a.csv", 7, "备注", None, Text("别的", "other"))
    groups = group_problems([*same, other])
    assert [(g.count, g.title.zh) for g in groups] == [(3, "3 行有同样的问题：第 4–6 行"), (1, "别的")]
    assert [p.row for p in groups[0].examples] == [4]  # one wording: one example
    whole = [Problem("a.csv", None, None, None, Text("坏", "bad"))] * 2
    assert group_problems(whole)[0].title.zh == "同样的问题出现 2 次"


def test_a_fatal_problem_is_never_folded_into_others():
    fatal = Problem("a.csv", None, None, None, Text("坏", "bad"), fatal=True)
    plain = Problem("a.csv", None, None, None, Text("坏", "bad"))
    assert [g.count for g in group_problems([fatal, plain])] == [1, 1]


def test_rows_are_runs_and_a_long_list_ends_with_an_ellipsis():
    assert ranges([3, 1, 2, 2, 7]) == Text("1–3、7", "1–3, 7")
    assert ranges(range(1, 100, 2)).zh.endswith("21、23、…")
    assert ranges([]) == Text("", "")


def test_where_a_problem_is_said_for_rows_features_and_the_whole_file():
    problem = Problem("a.csv", 3, "日期", None, Text("", ""))
    assert problem.where().zh == "第 3 行、列“日期”" and problem.where(features=True).zh == "第 3 个要素、列“日期”"
    assert Problem("a.csv", None, None, None, Text("", "")).where().en == "the whole file"
