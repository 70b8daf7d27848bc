"""One mechanism for every sentence shown to a person: the catalogue is complete in both languages,
and nothing outside :meth:`geo.domain.text.Text.pick` chooses a language."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from geo.domain.labels import CATALOGUE, LABELS, t
from geo.domain.messages import MESSAGES, ONE_SIDED
from geo.domain.problems import Problem
from geo.domain.task_texts import TASK_TEXTS
from geo.domain.text import Text
from geo.store import summary_json, summary_lines
from tests.conftest import open_app_page

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.glob("geo/**/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("pages/**/*.py"), ROOT / "app.py",
                  ROOT / "serve.py"])


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_sources_are_found():
    assert len(SOURCES) > 40 and ROOT / "geo" / "domain" / "text.py" in SOURCES


def test_no_key_is_in_two_topics():
    assert not set(LABELS) & set(MESSAGES) and not (set(LABELS) | set(MESSAGES)) & set(TASK_TEXTS)
    assert len(CATALOGUE) == len(LABELS) + len(MESSAGES) + len(TASK_TEXTS)


def incomplete(catalogue: dict, one_sided: dict) -> list[str]:
    """The keys that lack a language or whose languages name different placeholders."""
    wrong = []
    for key, entry in catalogue.items():
        zh, en = entry
        both = one_sided.get(key, frozenset())
        if not (zh.strip() and en.strip()) or placeholders(zh) - both != placeholders(en) - both:
            wrong.append(key)
        # a placeholder said in one language only is listed, and really is in one language only
        elif any((name in placeholders(zh)) == (name in placeholders(en)) for name in both):
            wrong.append(key)
    return wrong


def test_every_key_has_both_languages_with_the_same_placeholders():
    assert all(isinstance(entry, tuple) and len(entry) == 2 for entry in CATALOGUE.values())
    assert incomplete(CATALOGUE, ONE_SIDED) == []


def test_one_sided_placeholders_name_real_keys():
    assert set(ONE_SIDED) <= set(CATALOGUE)


def test_a_missing_language_or_placeholder_would_be_caught():
    assert placeholders("第 {row} 行（{value:.0f}）") == {"row", "value"}
    catalogue = {"fine": ("第 {row} 行", "row {row}"), "no_en": ("第 {row} 行", " "),
                 "lost": ("第 {row} 行（{value:.0f}）", "Row {row}"), "listed": ("共 {count} 个", "invalid"),
                 "listed_but_both": ("共 {count} 个", "{count}")}
    one_sided = {"listed": frozenset({"count"}), "listed_but_both": frozenset({"count"})}
    assert incomplete(catalogue, one_sided) == ["no_en", "lost", "listed_but_both"]


# t("key" ...), or the start of a key made up: t(f"auth_role_{role}" ...), t("page_" + view ...)
_LITERAL_KEY = re.compile(r"""\bt\(\s*f?(["'])([^"'{]*)(\{|\1\s*\+)?""")


def test_every_key_the_code_asks_for_exists():
    asked = 0
    for path in SOURCES:
        for _, key, made_up in _LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
            asked += 1
            if made_up:
                assert any(name.startswith(key) for name in CATALOGUE), f"{path}: {key}…"
            else:
                assert key in CATALOGUE, f"{path}: {key}"
    assert asked > 200


# a comparison with a language code: lang == "zh", "en" != lg, lg == 'zh' ...
_CHOICE = re.compile(r"""(==|!=)\s*["'](zh|en)["']|["'](zh|en)["']\s*(==|!=)""")


def test_only_text_pick_chooses_a_language():
    found = [f"{path.relative_to(ROOT)}: {line.strip()}"
             for path in SOURCES for line in path.read_text(encoding="utf-8").splitlines() if _CHOICE.search(line)]
    assert found == ['geo/domain/text.py: chosen = self.zh if lang == "zh" else self.en'], "\n".join(found)


def test_the_choice_test_would_catch_the_old_ways():
    for line in ('return found.zh if lang == "zh" else found.en', "line[0 if lg == 'zh' else 1]",
                 'if "en" != lang:'):
        assert _CHOICE.search(line), line


def test_t_gives_both_languages_or_one():
    text = t("unmatched", table="小区日报", count=2, ids="0501")
    assert text == Text("小区日报中有 2 个编号在地图上找不到：0501", "小区日报: 2 ids match no place on the map: 0501")
    assert t("unmatched", "en", table="x", count=2, ids="a") == "x: 2 ids match no place on the map: a"
    assert t("page_wall", "zh") == "大屏" and t("page_wall") == Text("大屏", "Wall display")


def test_a_text_value_is_filled_in_each_language():
    refusal = t("auth_denied", role=t("auth_role_staff"), action=t("auth_action_rollback"))
    assert refusal.zh == "您的角色（工作人员）无权回退版本。"
    assert refusal.en == "Your role (Staff) may not roll back a version."


def test_values_may_be_called_key_or_lang():
    assert t("rule_multiple_fields_uniqueness", "en", key="0501 / 2020-02-25", lang="x").endswith(
        "(0501 / 2020-02-25); keep one row.")


def test_a_problem_carries_its_text():
    problem = Problem("a.csv", 2, "日期", "x", t("rule_not_future", value="2099-01-01"))
    assert problem.zh == "日期 2099-01-01 在未来，请核对。" and problem.message("en") == problem.en
    assert problem.en == "The date 2099-01-01 is in the future; check it."


def test_summaries_are_stored_as_zh_en_pairs_and_old_ones_still_read():
    lines = [t("version_rolled_back", version=3), t("check_fever", count=2)]
    stored = summary_json(lines)
    assert json.loads(stored) == [["回退到版本 3", "Rolled back to version 3"], ["报告发热 2 人", "2 fever reports"]]
    assert summary_lines(stored) == lines
    written_before = '[["初始数据：10 行", "Initial data: 10 rows"]]'  # as stores written before Text hold it
    assert [line.pick("en") for line in summary_lines(written_before)] == ["Initial data: 10 rows"]
    assert summary_lines(None) == summary_lines("") == []


def test_the_labels_a_registered_kind_brings_are_found():
    LABELS["page_throwaway"] = ("临时", "Throw-away")  # as geo.domain.kinds.register adds a kind's texts
    try:
        assert t("page_throwaway", "en") == "Throw-away" and "page_throwaway" in CATALOGUE
    finally:
        del LABELS["page_throwaway"]
    assert "page_throwaway" not in CATALOGUE


# Issue #18, item 8: the sentences of the shape "{count} <word> <plural>" with a count of one. A word between the
# count and its noun kept "1 blank rows ignored." in the plural.
ONE_OF_A_KIND = {
    "read_blank_rows": ({"count": 1}, "1 blank row ignored."),
    "check_fever": ({"count": 1}, "1 fever report"),
    "check_phone_kept": ({"count": 1, "rows": "3"}, "1 phone report kept: row 3 of the file"),
    "datum_more_features": ({"count": 1, "first": "x"}, "1 more feature has the same problem"),
    "upload_more_groups": ({"count": 1}, "1 more kind of problems"),
    "cli_officers_done": ({"count": 1}, "1 officer account made."),
    "briefing_zones_silent": ({"count": 1}, "In 1 grid zone no place reported."),
    "briefing_more_rows": ({"count": 1}, "1 more row not listed"),
    "inspection_sheet_stored": ({"rows": 2, "failed": 1}, "1 failed item was handed out"),
    "cli_init_has_data": ({"url": "u", "places": 5, "reports": 1}, "5 places and 1 report row."),
    "tasksheet_summary_in_time": ({"date": "d", "open": 1}, "your unit has 1 open problem,"),
    "trends_intro": ({"days": 1, "first": "a", "last": "b"}, "of 1 report date,"),
}


def test_a_count_of_one_takes_its_noun_in_the_singular_with_words_between():
    for key, (values, expected) in ONE_OF_A_KIND.items():
        assert expected in t(key, "en", **values), key
    assert t("read_blank_rows", "en", count=3) == "3 blank rows ignored."
    # a 1 that counts something else leaves the noun alone
    assert Text("x", "Feature {n} lies in 3 zones; row {n} of the rows").pick("en", n=1) == \
        "Feature 1 lies in 3 zones; row 1 of the rows"


def test_the_running_indicators_stop_is_chinese_in_chinese_mode(page_env):
    """Streamlit's running indicator says "Stop" in English whatever the language (issue #18, item 8): every page
    sends the words that the page's script puts in its place, 停止 in Chinese and Stop in English. That the
    script replaces the word in a browser: tests/test_browser.py::test_streamlit_s_own_words_in_its_widgets_are_chinese."""
    def words(at) -> dict:
        sent = next(h.proto.body for h in at.get("html") if "window.cmdmapWords" in h.proto.body)
        return json.loads(re.search(r"window\.cmdmapWords = (\{.*?\});", sent).group(1))

    assert words(open_app_page("pages/overview.py")) == {"Select all": "全选", "Stop": "停止"}
    # a page switched from Chinese keeps Streamlit's indicator as it was: its Chinese word back to English
    assert words(open_app_page("pages/overview.py", lang="en")) == {"全选": "Select all", "停止": "Stop"}
