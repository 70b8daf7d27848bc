"""Reading status tables and layers: text first, Chinese headers and labels, problems named by row."""

import io
import json

from geo.io.read import read_layer, read_table


def test_gbk_file_with_chinese_headers_and_labels_keeps_leading_zeros():
    text = "小区编号,日期,封闭状态,居民人数\n0501,2020/2/25,全封闭,\"1,200\"\n"
    reading = read_table(io.BytesIO(text.encode("gbk")), "compound_status")
    frame, problems = reading.frame.reset_index(drop=True), reading.problems
    assert problems == []
    assert frame.loc[0, "compound_id"] == "0501"
    assert frame.loc[0, "date"] == "2020-02-25"
    assert frame.loc[0, "closure"] == "sealed"
    assert frame.loc[0, "residents"] == 1200


def test_utf8_bom_and_english_headers():
    text = "\ufeffSite ID,Date,Resumption state,Health ledger kept\nS1,2020-02-25,已复工,是\n"
    reading = read_table(text.encode("utf-8"), "site_status")
    frame, problems = reading.frame, reading.problems
    assert problems == []
    assert frame.iloc[0][["site_id", "resumption", "health_ledger"]].tolist() == ["S1", "resumed", "yes"]


def test_bad_values_are_reported_with_spreadsheet_row_and_header():
    text = ("小区编号,日期,封闭状态,居民人数\n"
            "0501,2020-02-25,关门,10\n"
            "0502,二月,open,10\n"
            "0503,2020-02-25,open,-4\n"
            "0504,2020-02-25,open,12\n")
    reading = read_table(text.encode(), "compound_status")
    frame, problems = reading.frame, reading.problems
    assert frame["compound_id"].tolist() == ["0504"]
    where = {(p.row, p.column) for p in problems}
    assert where == {(2, "封闭状态"), (3, "日期"), (4, "居民人数")}
    assert "全封闭" in next(p.zh for p in problems if p.row == 2)


def test_missing_required_column_is_one_clear_problem():
    reading = read_table("小区编号,日期\n0501,2020-02-25\n".encode(), "compound_status")
    assert reading.frame.empty
    assert [(p.row, p.column) for p in reading.problems] == [(1, "封闭状态")]


def test_duplicate_place_and_date_keeps_last_and_says_so():
    text = "place_id,date,item,on_hand,daily_use\nC1,2020-02-25,口罩,10,1\nC1,2020-02-25,masks,20,1\n"
    reading = read_table(text.encode(), "supplies")
    assert reading.frame["on_hand"].tolist() == [20]
    assert [(p.row, p.column) for p in reading.problems] == [(3, "place_id")]  # the repeat, not the first
    assert "多次" in reading.problems[0].zh


def test_layer_properties_that_are_lists_become_text_and_bad_features_are_reported():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 7, "name": "A", "center": [1, 2]},
         "geometry": {"type": "Point", "coordinates": [114.3, 29.8]}},
        {"type": "Feature", "properties": {"name": "no id"},
         "geometry": {"type": "Point", "coordinates": [114.3, 29.8]}},
    ]}
    layer, problems = read_layer(json.dumps(collection).encode(), "sites")
    assert layer["id"].tolist() == ["7"]
    assert len(problems) == 1 and problems[0].row == 2


def test_unreadable_layer_is_a_problem_not_an_exception():
    layer, problems = read_layer(b"not json", "zones")
    assert layer.empty and len(problems) == 1


def _xlsx(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_title_row_totals_row_blank_rows_and_excel_dates():
    import datetime

    data = _xlsx([
        ["咸安区小区日报表"],
        ["小区编号", "小区名称", "日期", "封闭状态", "居民人数"],
        ["0501", "金桂花园", datetime.datetime(2020, 2, 25), "全封闭", 1200],
        [None, None, None, None, None],
        ["0502", "温泉名城", 43886, "封闭管理", "1,500"],
        ["0503", "浮山小区", "2月25日", "未封闭", 300.0],
        ["合计", None, None, None, 3000],
    ])
    reading = read_table(data, "compound_status", name="日报.xlsx")
    assert reading.problems == []
    assert reading.frame["compound_id"].tolist() == ["0501", "0502", "0503"]
    assert reading.frame["date"].tolist() == ["2020-02-25"] * 3
    assert reading.frame["residents"].tolist() == [1200, 1500, 300]
    notes = " ".join(zh for zh, _ in reading.notices)
    assert "第 7 行是合计行" in notes and "1 个空行" in notes and "表头在第 2 行" in notes


def test_header_aliases_and_absurd_numbers_and_future_dates():
    text = "编号,小区,报告日期,状态,居民\n0501,金桂花园,2020-02-25,全封闭,10000000\n0502,温泉名城,2099-01-01,open,5\n"
    reading = read_table(text.encode(), "compound_status")
    found = {(p.row, p.column) for p in reading.problems}
    assert found == {(2, "居民"), (3, "报告日期")}
    assert "超出合理范围" in next(p.zh for p in reading.problems if p.row == 2)


def test_a_layer_count_too_big_for_a_whole_number_is_no_count_not_a_crash():
    """Found by the fuzz test: 户数 9.223372036854776e+18 made the conversion to whole numbers raise."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "0501", "name": "a", "户数": "9.223372036854776e+18"},
         "geometry": {"type": "Point", "coordinates": [114.3, 29.8]}}]}
    layer, problems = read_layer(json.dumps(collection).encode(), "compounds")
    assert layer["households"].isna().all() and layer["id"].tolist() == ["0501"]


def _sheet(rows: dict[int, list]) -> bytes:
    """An .xlsx written by openpyxl with values in the given rows only (the others absent from its XML)."""
    import openpyxl

    book = openpyxl.Workbook()
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            book.active.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_rows_are_counted_as_the_parser_yields_them_and_reading_stops_past_the_limit():
    """Line ends of every kind, quoted line breaks, and a sheet whose rows in between are absent from its XML."""
    import pytest

    from geo.io.read import TooLarge, raw_rows

    for end in ("\n", "\r\n", "\r"):
        text = end.join(["a,b", '"x' + end + 'y",1', "z,2", ""]).encode()
        assert raw_rows(text, None, limit=3).shape == (3, 2)  # the quoted line break is in one row
        with pytest.raises(TooLarge, match="2 行"):
            raw_rows(text, None, limit=2)
    # two row tags in the XML, but the second is row 700,000: the parser yields every row up to it
    far = _sheet({1: ["小区编号", "日期", "封闭状态"], 2: ["0501", "2020-02-26", "全封闭"],
                  700_000: ["0503", "2020-02-26", "全封闭"]})
    problems = read_table(far, "compound_status").problems
    assert [p.text.zh for p in problems] == ["文件太大：超过 500,000 行 / more than 500,000 rows。请拆分成几个文件分别上传。"]
    # empty rows at the end are not rows: Excel shows none
    trailing = _sheet({1: ["小区编号", "日期", "封闭状态"], 2: ["0501", "2020-02-26", "全封闭"], 5: [None, ""]})
    assert raw_rows(trailing, None, limit=10).shape == (2, 3)


def test_geojson_names_have_the_same_length_limit_as_table_cells():
    features = [{"type": "Feature", "properties": {"id": f"C{i}", "name": "长" * length},
                 "geometry": {"type": "Point", "coordinates": [114.3 + i / 100, 29.8]}}
                for i, length in enumerate((2000, 2001, 200_000))]
    _, problems = read_layer(json.dumps({"type": "FeatureCollection", "features": features}).encode(), "sites")
    assert [(p.row, p.column, p.text.zh) for p in problems] == [
        (2, "name", "内容过长（2001 个字符，最多 2000），请删减后重试。"),
        (3, "name", "内容过长（200000 个字符，最多 2000），请删减后重试。")]
