"""Reading status tables and layers: text first, Chinese headers and labels, problems named by row."""

import io
import json

import pandas as pd

from geo.read import read_layer, read_table


def test_gbk_file_with_chinese_headers_and_labels_keeps_leading_zeros():
    text = "小区编号,日期,封闭状态,居民人数\n0501,2020/2/25,全封闭,\"1,200\"\n"
    frame, problems = read_table(io.BytesIO(text.encode("gbk")), "compound_status")
    assert problems == []
    assert frame.loc[0, "compound_id"] == "0501"
    assert frame.loc[0, "date"] == "2020-02-25"
    assert frame.loc[0, "closure"] == "sealed"
    assert frame.loc[0, "residents"] == 1200


def test_utf8_bom_and_english_headers():
    text = "\ufeffSite ID,Date,Resumption state,Health ledger kept\nS1,2020-02-25,已复工,是\n"
    frame, problems = read_table(text.encode("utf-8"), "site_status")
    assert problems == []
    assert frame.iloc[0][["site_id", "resumption", "health_ledger"]].tolist() == ["S1", "resumed", "yes"]


def test_bad_values_are_reported_with_spreadsheet_row_and_header():
    text = ("小区编号,日期,封闭状态,居民人数\n"
            "0501,2020-02-25,关门,10\n"
            "0502,二月,open,10\n"
            "0503,2020-02-25,open,-4\n"
            "0504,2020-02-25,open,12\n")
    frame, problems = read_table(text.encode(), "compound_status")
    assert frame["compound_id"].tolist() == ["0504"]
    where = {(p.row, p.column) for p in problems}
    assert where == {(2, "封闭状态"), (3, "日期"), (4, "居民人数")}
    assert "全封闭" in next(p.zh for p in problems if p.row == 2)


def test_missing_required_column_is_one_clear_problem():
    frame, problems = read_table("小区编号,日期\n0501,2020-02-25\n".encode(), "compound_status")
    assert frame.empty
    assert [(p.row, p.column) for p in problems] == [(1, "封闭状态")]


def test_duplicate_place_and_date_keeps_last_and_says_so():
    text = "place_id,date,item,on_hand,daily_use\nC1,2020-02-25,口罩,10,1\nC1,2020-02-25,masks,20,1\n"
    frame, problems = read_table(text.encode(), "supplies")
    assert frame["on_hand"].tolist() == [20]
    assert len(problems) == 1 and "重复" in problems[0].zh


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
