"""PostgreSQL takes many rows by COPY: they must be stored exactly as the row inserts store them."""

from __future__ import annotations

import datetime

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from sqlalchemy import insert, select

from geo import store
from geo.store import versions
from geo.store.meta import open_store
from geo.store.rows import payload_columns, records
from geo.store.tables import ROWS, changes

# every text COPY's format must escape or could mangle, and every kind of value a row holds
HOSTILE = ["a\tb", "line\nnext", "back\\slash \\N", "\\", 'say "hi"', "it's", "\r\n", "  spaced  ", "",
           "广州市天河区 物业 · 第三小区", "emoji 🏠", "NULL", "\\.", ",;|"]


def hostile_compounds() -> gpd.GeoDataFrame:
    n = len(HOSTILE) * 3
    shapes = [shapely.Polygon([(113.123456789012 + i / 1000, 23.1), (113.2, 23.1 + i / 997), (113.2, 23.3)])
              for i in range(n)]
    shapes[1] = shapely.MultiPolygon([shapes[2], shapes[3]])
    shapes[4] = shapely.Point(113.123456789012345, -23.000000000000004)  # to the last bit (a Z is refused either way)
    shapes[5] = None  # a place not yet placed (待定位)
    return gpd.GeoDataFrame({
        "id": [f"{i:018d}" for i in range(n)],  # 18 digits with leading zeros: text, never a number
        "name": [HOSTILE[i % len(HOSTILE)] for i in range(n)],
        "address": [None if i % 4 == 0 else HOSTILE[(i + 3) % len(HOSTILE)] for i in range(n)],
        "zone": [None] * n,
        "households": pd.array([None if i % 5 == 0 else i * 1000 for i in range(n)], dtype="Int64"),
        "property_company": ["公司\t甲" if i % 2 else None for i in range(n)],
    }, geometry=shapes, crs="EPSG:4326")


def stored(conn, kind: str, version: int) -> pd.DataFrame:
    rows = ROWS[kind]
    query = select(*[rows.c[c] for c in payload_columns(kind)]).where(rows.c.added_in == version).order_by(
        rows.c.row_id)
    return pd.read_sql(query, conn)


def new_version(conn) -> int:
    return conn.execute(insert(versions.versions).values(
        kind="compounds", action="import", created_at=datetime.datetime.now(datetime.timezone.utc),
        user_name="test")).inserted_primary_key[0]


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_rows_copied_are_stored_exactly_as_rows_inserted(store_url):
    engine = open_store(store_url)
    frame = records("compounds", hostile_compounds())
    lines = pd.DataFrame({"change": "added", "key": frame["id"], "place": frame["name"], "field": None,
                          "before": frame["address"], "after": frame["property_company"]})
    with engine.begin() as conn:
        by_copy, by_insert = new_version(conn), new_version(conn)
        for version, copy_from in ((by_copy, 0), (by_insert, len(frame) + 1)):
            versions._insert_many(conn, ROWS["compounds"], frame, copy_from=copy_from, added_in=version)
            versions._insert_many(conn, changes, lines, copy_from=copy_from, version_id=version)
    with engine.connect() as conn:
        copied, inserted = stored(conn, "compounds", by_copy), stored(conn, "compounds", by_insert)
        history = [pd.read_sql(select(changes.c.change, changes.c.key, changes.c.place, changes.c.field,
                                      changes.c.before, changes.c.after).where(changes.c.version_id == v)
                               .order_by(changes.c.id), conn) for v in (by_copy, by_insert)]
        srids = conn.exec_driver_sql("SELECT DISTINCT ST_SRID(geometry) FROM rows_compounds "
                                     "WHERE geometry IS NOT NULL").scalars().all()
    pd.testing.assert_frame_equal(copied, inserted)
    pd.testing.assert_frame_equal(history[0], history[1])
    assert srids == [4326]
    # and both are what was given: text as written, NULLs as NULL, the shapes byte for byte
    given = frame.astype(object).where(frame.notna(), None)
    assert copied.astype(object).where(copied.notna(), None).to_dict("records") == given.to_dict("records")
    assert pd.isna(copied.loc[5, "geometry"]) and copied.loc[0, "id"] == "000000000000000000"
    assert history[0]["field"].isna().all() and history[0]["place"].tolist() == frame["name"].tolist()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_an_import_of_many_rows_through_copy_reads_back_as_given_and_fails_whole(store_url):
    engine = open_store(store_url)
    places = pd.concat([hostile_compounds()] * 6, ignore_index=True)
    places["id"] = [f"{i:018d}" for i in range(len(places))]
    assert len(places) >= versions.COPY_FROM
    applied = store.apply_rows(engine, "compounds", places, "clerk")
    assert applied.added == len(places)
    back = store.current(engine, "compounds")
    assert back["id"].tolist() == places["id"].tolist() and back["name"].tolist() == places["name"].tolist()
    assert shapely.to_wkb(back.geometry.to_numpy()).tolist() == shapely.to_wkb(places.geometry.to_numpy()).tolist()
    assert store.version_changes(engine, applied.version)["key"].tolist() == places["id"].tolist()
    # a rollback revives them through COPY too: their whole numbers, read back as floats beside NULLs
    renamed = store.apply_rows(engine, "compounds", places.assign(name=places["name"] + "（改）"), "clerk")
    assert renamed.changed == len(places)
    assert store.rollback(engine, applied.version, "clerk").added == len(places)
    back = store.current(engine, "compounds")
    assert back["name"].tolist() == places["name"].tolist()
    assert back["households"].tolist() == places["households"].tolist()
    newest = store.newest_version(engine)
    # one value PostgreSQL refuses stops the COPY, and the whole version is undone with it
    broken = places.assign(households=places["households"].astype(object), name=places["name"] + "（改）")
    broken.loc[len(broken) - 1, "households"] = "many"
    with pytest.raises(Exception, match="integer"):
        store.apply_rows(engine, "compounds", broken, "clerk")
    assert store.newest_version(engine) == newest
    assert store.current(engine, "compounds")["name"].tolist() == places["name"].tolist()
