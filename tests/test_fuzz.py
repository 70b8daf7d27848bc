"""Fuzzing the reader, the validator and the upload check: whatever comes in, a report comes out.

Random bytes, random tables (known and unknown headers, cells drawn from numbers, dates,
labels, formulas, markup and odd Unicode) and random JSON go through ``read_table``,
``read_layer`` and ``check_file``; nothing may escape but a list of problems. Bounded
(a few hundred examples, no database writes) so that it runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.domain.problems import Problem
from geo.io.read import Reading, read_layer, read_table
from geo.domain.schema import GEOMETRY_TABLES, STATUS_TABLES, TABLES
from geo.store import open_store
from tests.conftest import write_tiny_city

FUZZ = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HEADERS = sorted({h for t in TABLES.values() for c in t.columns for h in (c.name, c.zh, c.en, *c.aliases)})
CELLS = st.one_of(
    st.sampled_from(["0501", "0503", "S1", "XA-C0001", "2020-02-26", "2020/2/25", "2月25日", "43886", "全封闭",
                     "sealed", "已复工", "口罩", "合计", "=HYPERLINK(\"x\")", "+cmd|' /C calc'!A0", "@SUM(A1)",
                     "<script>alert(1)</script>", "NaN", "inf", "-1", "1e300", "1.01E+17", "", " ", "\ufeff",
                     "是", "否", "１２３", "1,200", "9" * 40, "2099-12-31", "2020-02-30"]),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=30),
)
TABLES_ = st.tuples(
    st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=10)), min_size=0, max_size=8),
    st.lists(st.lists(CELLS, max_size=10), max_size=12),
)
JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)
GEOMETRY = st.one_of(
    JSON,
    st.fixed_dictionaries({"type": st.sampled_from(["Point", "Polygon", "MultiPolygon", "LineString", "Nope"]),
                           "coordinates": st.one_of(JSON, st.lists(st.lists(st.lists(
                               st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=3),
                               max_size=5), max_size=2))}),
)
FEATURES = st.lists(st.fixed_dictionaries({
    "type": st.just("Feature"),
    "properties": st.one_of(JSON, st.dictionaries(st.sampled_from(["id", "name", "zone", "户数", "x"]), JSON | CELLS,
                                                  max_size=4)),
    "geometry": GEOMETRY}), max_size=5)


def _csv(headers: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _is_report(reading) -> None:
    assert isinstance(reading, Reading) and isinstance(reading.frame, pd.DataFrame)
    assert all(isinstance(p, Problem) and p.zh and p.en for p in reading.problems)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    return open_store(f"sqlite:///{folder / 'store.sqlite'}", write_tiny_city(folder / "city"))


@FUZZ
@given(data=st.binary(max_size=2000), kind=st.sampled_from(STATUS_TABLES))
def test_random_bytes_give_a_report(data, kind):
    _is_report(read_table(data, kind))
    _is_report(read_table(b"PK\x03\x04" + data, kind))  # looks like an .xlsx


@FUZZ
@given(table=TABLES_, kind=st.sampled_from(STATUS_TABLES), encoding=st.sampled_from(["utf-8", "gbk", "utf-8-sig"]))
def test_random_tables_give_a_report(table, kind, encoding, engine):
    from geo.upload.check import check_file

    content = _csv(*table, encoding)
    _is_report(read_table(content, kind))
    check = check_file(engine, kind, content, "fuzz.csv")  # unknown ids, the diff and the summary too
    assert check.ok or check.problems


@FUZZ
@given(data=st.one_of(st.binary(max_size=500), JSON.map(lambda v: json.dumps(v).encode())),
       kind=st.sampled_from(GEOMETRY_TABLES))
def test_random_json_gives_a_layer_report(data, kind):
    layer, problems = read_layer(data, kind)
    assert all(isinstance(p, Problem) for p in problems)


@FUZZ
@given(features=FEATURES, kind=st.sampled_from(GEOMETRY_TABLES))
def test_random_features_give_a_report(features, kind, engine):
    from geo.upload.check import check_file

    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    layer, problems = read_layer(content, kind)
    assert all(isinstance(p, Problem) for p in problems)
    check = check_file(engine, kind, content, "fuzz.geojson")
    assert check.ok or check.problems
