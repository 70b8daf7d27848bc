"""Settings: defaults, parsing, and every setting documented in the README (as datasette does)."""

from pathlib import Path

from geo.settings import SETTINGS, load

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults_and_environment():
    values = load({"CMDMAP_BASEMAP": "osm", "CMDMAP_SUPPLY_LOW_DAYS": "5"})
    assert values["basemap"] == "osm" and values["supply_low_days"] == 5.0


def test_bad_values_fall_back_to_defaults():
    values = load({"CMDMAP_BASEMAP": "google", "CMDMAP_MAP_HEIGHT": "tall"})
    assert values["basemap"] == "amap" and values["map_height"] == 620


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"CMDMAP_{s.name.upper()}" not in text]
    assert missing == []


def test_every_column_of_the_data_model_is_documented():
    from geo.domain.schema import TABLES

    text = (README.parent / "data" / "README.md").read_text(encoding="utf-8")
    missing = [f"{t.file}:{c.name}" for t in TABLES.values() for c in t.columns
               if f"`{c.name}` | {c.zh} |" not in text]
    assert missing == []
