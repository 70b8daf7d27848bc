"""Spatial questions on both back ends: what is in a map view, which zone holds a place without one."""

from __future__ import annotations

from sqlalchemy import text

from geo.store.dataset import load_store
from geo.store.spatial import in_view
from geo.store.versions import open_store
from tests.pgserver import fresh_schema

Z1_VIEW = (114.299, 29.829, 114.319, 29.851)  # zone Z1 and a little around it, not Z2


def test_in_view_finds_the_shapes_inside_the_box(tiny_store):
    assert sorted(in_view(tiny_store, "compounds", Z1_VIEW)["id"]) == ["0501", "0502"]
    assert in_view(tiny_store, "sites", Z1_VIEW)["id"].tolist() == ["S1"]
    assert in_view(tiny_store, "zones", Z1_VIEW)["id"].tolist() == ["Z1"]
    assert in_view(tiny_store, "sites", (0.0, 0.0, 1.0, 1.0)).empty
    whole = in_view(tiny_store, "compounds", (114.0, 29.0, 115.0, 30.0))
    assert whole.crs == "EPSG:4326" and len(whole) == 3 and whole.geometry.is_valid.all()


def test_places_without_a_zone_get_the_zone_that_holds_them(tiny_store):
    dataset = load_store(tiny_store)
    assert dataset.compounds.set_index("id")["zone"].to_dict() == {"0501": "Z1", "0502": "Z1", "0503": "Z2"}
    assert dataset.zones_assigned == 1


def test_postgis_uses_the_spatial_index_for_a_view(tiny_dir, postgres_url):
    engine = open_store(fresh_schema(postgres_url, "spatial_index"), tiny_dir)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # a tiny table: make the planner show what it can use
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM rows_compounds WHERE removed_in IS NULL "
            "AND geometry && ST_MakeEnvelope(114.299, 29.829, 114.319, 29.851, 4326)")).scalars())
    assert "ix_rows_compounds_geometry" in plan
