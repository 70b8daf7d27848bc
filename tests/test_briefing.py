"""The morning briefing (疫情防控工作日报) as Word and PDF: its figures are the overview's, read back from the files.

The .docx is opened with python-docx, the PDF's text extracted with pypdf; the figures are compared with
:func:`geo.analysis.compute_kpis` narrowed as the overview narrows it (``apply_filters`` of the page's
filters), on a city of two districts.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from geo.accounts import SYSTEM, PermissionDenied, User
from geo.analysis import Filters, Thresholds, apply_filters, compute_kpis, report_dates
from geo.cli.main import main
from geo.domain import t, vocab
from geo.report import (
    BriefingRefused,
    FontMissing,
    briefing_docx,
    briefing_pdf,
    build_briefing,
    find_cjk_font,
    status_map,
)
from geo.settings import load
from geo.store import load_store
from geo.upload import open_city
from tests.conftest import open_app_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SETTINGS = load({"CMDMAP_BASEMAP": "none"})  # the default base map is on the internet, which tests do not have


@pytest.fixture
def two_districts(tiny_dir):
    """The tiny city with its second zone (浮山小区, 学校建设工程) in a second district, 嘉鱼县."""
    path = tiny_dir / "zones.geojson"
    zones = json.loads(path.read_text(encoding="utf-8"))
    zones["features"][1]["properties"]["district"] = "嘉鱼县"
    path.write_text(json.dumps(zones, ensure_ascii=False), encoding="utf-8")
    return tiny_dir


@pytest.fixture
def city(two_districts):
    engine = open_city(f"sqlite:///{two_districts.parent / 'briefing.sqlite'}", two_districts)
    return load_store(engine)


def overview_kpis(ds, date, district):
    """The KPI tiles as pages/overview.py computes them for this date and district filter."""
    filters = Filters(date=date, district=(district,) if district else ())
    thresholds = Thresholds(low=SETTINGS.supply_low_days, critical=SETTINGS.supply_critical_days)
    return compute_kpis(ds, date, thresholds, lambda view: apply_filters(view, filters), SETTINGS.complete_share)


def expected_rows(kpis):
    return [[t(k.key, "zh"), k.shown("zh"), "—" if k.delta is None else f"{k.delta:+g}{k.unit}"] for k in kpis]


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs], [[[c.text for c in row.cells] for row in table.rows]
                                             for table in doc.tables]


@pytest.mark.parametrize("district", [None, "咸安区", "嘉鱼县"])
@pytest.mark.parametrize("date", ["2020-02-24", "2020-02-25"])
def test_the_word_briefing_shows_the_overviews_figures_for_the_same_date_and_district(city, date, district):
    briefing = build_briefing(city, date, district, user=SYSTEM, settings=SETTINGS, city="咸宁市", figures=False)
    paragraphs, tables = docx_text(briefing_docx(briefing))
    kpis = overview_kpis(city, date, district)
    assert tables[0][1:] == expected_rows(kpis)
    assert paragraphs[0] == "疫情防控工作日报"
    assert paragraphs[1] == f"第{report_dates(city).index(date) + 1}期"
    assert paragraphs[2] == f"{district or '咸宁市'}　{date}"
    assert [p for p in paragraphs if re.match(r"^[一二三四五六七八九十]+、", p)] == [
        "一、总体情况", "二、小区封闭管理", "三、工地复工复产", "四、防疫物资", "五、日报报送情况", "六、需要关注",
        "七、较上一日变化", "八、数据提示"]
    # the closure table by district counts what the tiles count
    closure = {row[0]: row for row in tables[1][1:]}
    sealed = sum(int(row[tables[1][0].index("全封闭")]) for row in closure.values())
    assert sealed == next(k.value for k in kpis if k.key == "kpi_sealed")
    assert set(closure) == ({district} if district else {"咸安区", "嘉鱼县"})


def test_a_district_briefing_leaves_the_other_districts_places_out(city):
    whole = build_briefing(city, "2020-02-25", user=SYSTEM, settings=SETTINGS, figures=False)
    one = build_briefing(city, "2020-02-25", "咸安区", user=SYSTEM, settings=SETTINGS, figures=False)
    text = [line for s in whole.sections for line in (*s.lines, *(c for r in (s.table.rows if s.table else ())
                                                                    for c in r))]
    assert "浮山小区" in text  # in 嘉鱼县, not reported on the 25th
    one_text = [c for s in one.sections for r in (s.table.rows if s.table else ()) for c in r]
    assert "浮山小区" not in one_text
    assert [k.value for k in one.kpis] != [k.value for k in whole.kpis]


def test_the_pdf_briefing_shows_the_same_figures_in_an_embedded_chinese_font(city):
    date, district = "2020-02-25", "咸安区"
    briefing = build_briefing(city, date, district, user=SYSTEM, settings=SETTINGS, city="咸宁市")
    pdf = PdfReader(io.BytesIO(briefing_pdf(briefing)))
    # pypdf reads the 2-byte codes of fpdf2's embedded CMap (CFF fonts) as one byte each, a NUL before each
    # character; PDFium (Chrome's reader) extracts the same file cleanly
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in pdf.pages))
    assert text.startswith("疫情防控工作日报第2期咸安区2020-02-25数据更新时间")
    for label, value, change in expected_rows(overview_kpis(city, date, district)):
        assert f"{label}{value}{change}" in text, (label, value, change)
    fonts = {str(font.get("/BaseFont")) for page in pdf.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSans" in name for name in fonts), fonts  # embedded, not a viewer's guess
    assert "图：物业小区封闭管理状态（未叠加底图" in text


def test_the_reporting_section_names_whom_to_call_about_a_silent_place(city):
    briefing = build_briefing(city, "2020-02-25", user=SYSTEM, settings=SETTINGS, figures=False)
    section = next(s for s in briefing.sections if s.heading == "日报报送情况")
    # 浮山小区 has no zone in its file: the spatial join put it in Z2, whose leader is 李娜
    assert ("浮山小区", "物业小区", "浮山街道第一片区", "李娜", "13800000002") in section.table.rows
    changes = next(s for s in briefing.sections if s.heading == "较上一日变化")
    assert ("物业小区", "未封闭", "封闭管理", "1") in changes.table.rows  # 金桂花园 on the 25th


def test_a_map_figure_is_a_300_dpi_png_with_every_state_coloured(city):
    from geo.analysis import compound_view

    view = compound_view(city, "2020-02-25")
    png = status_map(view, "closure", city.zones, "物业小区封闭管理状态", "zh", find_cjk_font())
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert [round(d) for d in Image.open(io.BytesIO(png)).info["dpi"]] == [300, 300]
    colours = {tuple(pixel) for pixel in np.asarray(image).reshape(-1, 3)}
    for code in ("controlled", "sealed"):  # the states of the 25th, in the map and the legend
        hex_colour = vocab.color("closure", code).lstrip("#")
        assert tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)) in colours, code


def test_without_a_chinese_font_the_briefing_says_so_in_plain_chinese(tmp_path):
    with pytest.raises(FontMissing) as missing:
        find_cjk_font(folders=(str(tmp_path),))
    assert "没有可用的中文字体" in missing.value.text.zh and "fonts-noto-cjk" in missing.value.text.zh


def test_a_briefing_is_refused_for_a_day_without_reports_an_unknown_district_and_someone_who_may_not_view(city):
    with pytest.raises(BriefingRefused, match="2020-03-01 没有任何日报"):
        build_briefing(city, "2020-03-01", user=SYSTEM, settings=SETTINGS, figures=False)
    with pytest.raises(BriefingRefused, match="没有名为“通山县”的区县"):
        build_briefing(city, "2020-02-25", "通山县", user=SYSTEM, settings=SETTINGS, figures=False)
    locked = load({"CMDMAP_REQUIRE_LOGIN": "true"})
    with pytest.raises(PermissionDenied):
        build_briefing(city, "2020-02-25", user=None, settings=locked, figures=False)
    viewer = build_briefing(city, "2020-02-25", user=User("leader", "viewer"), settings=locked, figures=False)
    assert viewer.kpis == overview_kpis(city, "2020-02-25", None)


def test_the_command_writes_word_and_pdf_and_explains_what_it_refuses(two_districts, app_store_url, tmp_path,
                                                                       capsys):
    word, pdf = tmp_path / "日报.docx", tmp_path / "日报.pdf"
    assert main(["briefing", "--date", "2020-02-25", "--district", "嘉鱼县", "--out", str(word)]) == 0
    paragraphs, tables = docx_text(word.read_bytes())
    ds = load_store(open_city(app_store_url, two_districts))
    assert tables[0][1:] == expected_rows(overview_kpis(ds, "2020-02-25", "嘉鱼县"))
    assert main(["briefing", "--date", "2020-02-24", "--out", str(pdf)]) == 0
    assert re.sub(r"[\s\x00]+", "", PdfReader(pdf).pages[0].extract_text()).startswith("疫情防控工作日报")
    assert "日报已写入" in capsys.readouterr().out
    assert main(["briefing", "--date", "2020-02-25", "--out", str(tmp_path / "日报.txt")]) == 2
    assert "须以 .docx（Word）或 .pdf 结尾" in capsys.readouterr().err
    assert main(["briefing", "--date", "2020-01-01", "--out", str(word)]) == 1
    err = capsys.readouterr().err
    assert "2020-01-01 没有任何日报" in err and "Traceback" not in err


def briefing_buttons(lang: str, **query) -> dict:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"lang": lang, **query}.items():
        at.query_params[key] = value
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return {b.proto.label: b.proto for b in at.get("download_button") if "briefing" in b.proto.id}  # ids hold keys


def test_the_overview_offers_the_briefing_as_word_and_pdf(two_districts, app_store_url):
    buttons = briefing_buttons("zh", district="嘉鱼县")
    assert set(buttons) == {"日报 Word", "日报 PDF"}
    assert all(b.deferred_file_id and b.ignore_rerun for b in buttons.values())  # built on a click, no rerun
    assert set(briefing_buttons("en")) == {"Briefing (Word)", "Briefing (PDF)"}


# --------------------------------------------------------------------------- written every morning by the server


def test_the_scheduled_briefing_is_written_once_a_day_by_one_process_and_listed(two_districts, tmp_path):
    import datetime as dt

    from geo.report import kept_briefings, write_scheduled
    from geo.store import connect

    url = f"sqlite:///{two_districts.parent / 'scheduled.sqlite'}"
    open_city(url, two_districts)
    folder = tmp_path / "briefings"
    day = dt.date(2026, 12, 5)
    written = write_scheduled(connect(url), SETTINGS, folder, day)
    assert [p.name for p in written] == ["2026-12-05_疫情防控工作日报_2020-02-25.docx",
                                         "2026-12-05_疫情防控工作日报_2020-02-25.pdf"]
    assert Document(written[0]).paragraphs[0].text.startswith("疫情防控工作日报")
    assert re.sub(r"[\s\x00]+", "", PdfReader(written[1]).pages[0].extract_text()).startswith("疫情防控工作日报")
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    # the same day again, from this process or another one on the same store: not written twice
    assert write_scheduled(connect(url), SETTINGS, folder, day) == []
    assert write_scheduled(open_city(url, two_districts), SETTINGS, folder, day) == []
    assert write_scheduled(connect(url), SETTINGS, folder, day + dt.timedelta(days=1))  # the next morning
    assert [k.path.name[:10] for k in kept_briefings(folder)] == ["2026-12-06"] * 2 + ["2026-12-05"] * 2
    assert not list(folder.glob(".*.part"))


def test_a_store_with_no_report_yet_gets_its_briefing_once_reports_come(tmp_path):
    import datetime as dt

    from geo.report import write_scheduled
    from geo.store import connect

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"  # a store made, with no places and no report
    folder = tmp_path / "briefings"
    assert write_scheduled(connect(url), SETTINGS, folder, dt.date(2026, 12, 5)) == []
    assert not list(folder.glob(".claimed-*"))  # not claimed: tried again at the next look


def test_the_server_writes_the_briefing_at_its_time_and_the_overview_lists_it(two_districts, tmp_path):
    """serve.py runs the schedule while it serves (CMDMAP_BRIEFING_TIME); the overview offers what it wrote."""
    import time

    from tests.browser import streamlit_server

    folder = tmp_path / "briefings"
    env = {"CMDMAP_DATA_DIR": str(two_districts), "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite'}",
           "CMDMAP_BASEMAP": "none", "CMDMAP_BRIEFING_TIME": "00:00", "CMDMAP_BRIEFING_DIR": str(folder)}
    with streamlit_server(env, name="server-briefing"):
        deadline = time.monotonic() + 90
        while len(list(folder.glob("*_疫情防控工作日报_*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
    assert sorted(p.suffix for p in folder.glob("*_疫情防控工作日报_*")) == [".docx", ".pdf"]


def test_the_overview_lists_the_briefings_written_on_schedule(two_districts, app_store_url, tmp_path, monkeypatch):
    import datetime as dt

    from geo.report import write_scheduled
    from geo.store import connect

    folder = tmp_path / "briefings"
    monkeypatch.setenv("CMDMAP_BRIEFING_DIR", str(folder))
    monkeypatch.setenv("CMDMAP_BRIEFING_TIME", "07:30")
    assert not [label for label in briefing_buttons("zh", kept="1") if "_疫情防控工作日报_" in label]
    write_scheduled(open_city(app_store_url, two_districts), SETTINGS, folder, dt.date(2026, 12, 5))
    connect(app_store_url).dispose()
    listed = [label for label in briefing_buttons("zh", kept="2") if label.startswith("2026-12-05_")]
    assert sorted(listed) == ["2026-12-05_疫情防控工作日报_2020-02-25.docx", "2026-12-05_疫情防控工作日报_2020-02-25.pdf"]


# --------------------------------------------------------------------------- closure as an interval (item 4)


@pytest.fixture
def long_sealed_city(two_districts):
    """The tiny city where 0502 has been sealed since 2020-02-11 (15 days on the 25th) and 0501 since the 25th."""
    path = two_districts / "compound_status.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("0502,2020-02-24,controlled", "0502,2020-02-24,sealed")
    text = text.replace("0501,2020-02-25,controlled", "0501,2020-02-25,sealed")
    path.write_text(text + "0502,2020-02-11,sealed,0,3,2,360,0,0,2,\n", encoding="utf-8")
    return two_districts


def test_the_briefing_counts_the_compounds_sealed_14_days_as_the_compounds_page_filter_does(long_sealed_city,
                                                                                           app_store_url):
    at = open_app_page("pages/compounds.py", date="2020-02-25", status="sealed", held="14")
    page = next(df.value for df in at.dataframe if df.value.columns[0] == "编号")
    ds = load_store(open_city(app_store_url, long_sealed_city))
    briefing = build_briefing(ds, "2020-02-25", user=SYSTEM, settings=SETTINGS, figures=False)
    closure = next(s for s in briefing.sections if s.heading == "小区封闭管理")
    assert closure.lines == ("全封闭小区 2 个，其中封闭 14 天以上的 1 个（最长 15 天：<img src=x onerror=alert(1)>）。",)
    assert page["编号"].tolist() == ["0502"]  # the page's filter keeps the one the briefing counts
    assert closure.table.headers[-1] == "封闭14天以上"
    assert sum(int(row[-1]) for row in closure.table.rows) == len(page) == 1
    listed = next(s for s in briefing.sections if s.heading == "封闭 14 天以上的小区")
    assert listed.table.headers[-2:] == ("封闭起始日", "封闭天数")
    assert [row[-2:] for row in listed.table.rows] == [("2020-02-11", "15")] == [
        ("2020-02-11", str(page["本状态第几天"].iloc[0]))]
    paragraphs, tables = docx_text(briefing_docx(briefing))
    assert closure.lines[0] in paragraphs
    assert any(table[0][-1] == "封闭天数" and table[1][-1] == "15" for table in tables)
    day_before = build_briefing(ds, "2020-02-24", user=SYSTEM, settings=SETTINGS, figures=False)
    listed = next(s for s in day_before.sections if s.heading == "封闭 14 天以上的小区")
    assert [row[-1] for row in listed.table.rows] == ["14"]  # its 14th day counts, as the page's filter counts it
