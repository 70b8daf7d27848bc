"""Which zone holds a place without one, on both back ends, and PostGIS's index for it."""

from __future__ import annotations

from sqlalchemy import text

from geo.store.dataset import load_store
from geo.upload import open_city
from tests.pgserver import fresh_schema


def test_places_without_a_zone_get_the_zone_that_holds_them(tiny_store):
    dataset = load_store(tiny_store)
    assert dataset.compounds.set_index("id")["zone"].to_dict() == {"0501": "Z1", "0502": "Z1", "0503": "Z2"}
    assert dataset.zones_assigned == 1


def test_postgis_can_use_the_spatial_index(tiny_dir, postgres_url):
    engine = open_city(fresh_schema(postgres_url, "spatial_index"), tiny_dir)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # a tiny table: make the planner show what it can use
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM rows_compounds WHERE removed_in IS NULL "
            "AND geometry && ST_MakeEnvelope(114.299, 29.829, 114.319, 29.851, 4326)")).scalars())
    assert "ix_rows_compounds_geometry" in plan
