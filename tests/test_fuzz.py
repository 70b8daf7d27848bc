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

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.domain.problems import Problem
from geo.domain.schema import GEOMETRY_TABLES, STATUS_TABLES, TABLES
from geo.io.read import Reading, read_layer, read_table
from geo.upload import open_city
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
# a usable point in the tiny city, so that some features are kept and what is kept is checked too
CITY_POINT = st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]},
                       st.floats(114.28, 114.36), st.floats(29.80, 29.88))
GEOMETRY = st.one_of(
    JSON,
    CITY_POINT,
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


def _bilingual(problems) -> None:
    for problem in problems:
        assert isinstance(problem, Problem) and problem.zh and problem.en, problem


def _is_report(reading, kind: str) -> None:
    """A reading of anything: the table's columns, problems in both languages, no row kept that a problem names."""
    assert isinstance(reading, Reading) and list(reading.frame.columns) == TABLES[kind].names
    _bilingual(reading.problems)
    named = {p.row for p in reading.problems if p.row is not None}
    assert not named & set(reading.frame.index), sorted(named & set(reading.frame.index))


def _is_refusal(reading, kind: str) -> None:
    """What is not a table at all: no rows, and at least one problem saying why."""
    _is_report(reading, kind)
    assert reading.frame.empty and reading.problems


def _is_layer_report(layer, problems, kind: str, features: list | None) -> None:
    """Every feature is on the layer, skipped (its shape cannot be drawn) or named by a problem, and what is on
    the layer has an id and a shape.

    ``features`` is the collection's list, or None when the input is no FeatureCollection at all: then the
    layer is empty and one fatal problem says so.
    """
    _bilingual(problems)
    assert list(layer.columns) == [*TABLES[kind].names, "geometry"]
    assert layer["id"].notna().all() and layer["id"].is_unique
    assert not (layer.geometry.isna() | layer.geometry.is_empty).any()
    if features is None:
        assert layer.empty and [p.fatal for p in problems] == [True]
    else:
        assert not any(p.fatal for p in problems)
        # a feature left out is named: skipped with why, or by a problem (one for the file when none has an id)
        accounted = ({*layer.attrs["feature_numbers"], *(n for n, _ in layer.attrs["skipped"])}
                     | {p.row for p in problems})
        assert accounted >= set(range(1, len(features) + 1)) or any(p.key == "read_no_ids" for p in problems)
        assert all(key.startswith("shape_") for _, key in layer.attrs["skipped"])


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    return open_city(f"sqlite:///{folder / 'store.sqlite'}", write_tiny_city(folder / "city"))


@FUZZ
@given(data=st.binary(max_size=2000), kind=st.sampled_from(STATUS_TABLES))
def test_random_bytes_give_a_report(data, kind):
    _is_refusal(read_table(data, kind), kind)  # random bytes never hold the required headers
    _is_refusal(read_table(b"PK\x03\x04" + data, kind), kind)  # looks like an .xlsx


@FUZZ
@given(table=TABLES_, kind=st.sampled_from(STATUS_TABLES), encoding=st.sampled_from(["utf-8", "gbk", "utf-8-sig"]))
def test_random_tables_give_a_report(table, kind, encoding, engine):
    from geo.upload.check import check_file

    content = _csv(*table, encoding)
    _is_report(read_table(content, kind), kind)
    check = check_file(engine, kind, content, "fuzz.csv")  # unknown ids, the diff and the summary too
    assert check.ok or check.problems


@FUZZ
@given(value=st.one_of(st.binary(max_size=500), JSON), kind=st.sampled_from(GEOMETRY_TABLES))
def test_random_json_gives_a_layer_report(value, kind):
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    features = value.get("features") if isinstance(value, dict) else None  # random bytes are no collection
    layer, problems = read_layer(data, kind)
    _is_layer_report(layer, problems, kind, features if isinstance(features, list) else None)


@FUZZ
@given(features=FEATURES, kind=st.sampled_from(GEOMETRY_TABLES))
def test_random_features_give_a_report(features, kind, engine):
    from geo.upload.check import check_file

    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    layer, problems = read_layer(content, kind)
    _is_layer_report(layer, problems, kind, features)
    check = check_file(engine, kind, content, "fuzz.geojson")
    assert check.ok or check.problems
