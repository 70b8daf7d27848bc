"""Settings: defaults, parsing, types, roles, and every setting documented in the README (as datasette does)."""

import dataclasses
import re
from pathlib import Path

import pytest

from geo.settings import ACCESS, ROLES, SETTINGS, Settings, load

README = Path(__file__).resolve().parent.parent / "README.md"
NUMBERS = [s.name for s in SETTINGS if isinstance(s.default, (int, float)) and not isinstance(s.default, bool)]


def test_defaults_and_environment():
    values = load({"CMDMAP_BASEMAP": "osm", "CMDMAP_SUPPLY_LOW_DAYS": "5"})
    assert values.basemap == "osm" and values.supply_low_days == 5.0


def test_bad_values_fall_back_to_defaults():
    values = load({"CMDMAP_BASEMAP": "google", "CMDMAP_MAP_HEIGHT": "tall"})
    assert values.basemap == "amap" and values.map_height == 620


def test_settings_are_typed_and_frozen():
    values = load({"CMDMAP_UPLOAD_MAX_MB": "2.5", "CMDMAP_REQUIRE_LOGIN": "yes", "CMDMAP_MAP_HEIGHT": "800"})
    assert (values.upload_max_mb, values.upload_max_bytes) == (2.5, 2_500_000)
    assert values.require_login is True and values.map_height == 800
    with pytest.raises(dataclasses.FrozenInstanceError):
        values.require_login = False
    hints = {f.name: f.type for f in dataclasses.fields(Settings)}
    for setting in SETTINGS:  # every default has its attribute's type, so no call site needs a cast
        assert type(setting.default).__name__ == hints[setting.name], setting.name
        assert type(getattr(load({}), setting.name)) is type(setting.default), setting.name


@pytest.mark.parametrize("raw", ["inf", "-inf", "nan", "NaN", "1e999", "Infinity"])
@pytest.mark.parametrize("name", NUMBERS)
def test_a_number_that_is_not_finite_falls_back_to_the_default(name, raw):
    value = getattr(load({f"CMDMAP_{name.upper()}": raw}), name)
    assert value == getattr(Settings(), name)


@pytest.mark.parametrize("raw", ["inf", "nan", "1e300"])
def test_the_upload_limit_in_bytes_is_always_a_whole_number(raw):
    limit = load({"CMDMAP_UPLOAD_MAX_MB": raw}).upload_max_bytes
    assert isinstance(limit, int) and limit >= 20_000_000


def test_every_setting_has_a_role_and_only_require_login_guards_access():
    assert {s.role for s in SETTINGS} <= set(ROLES)
    assert [s.name for s in SETTINGS if s.role == ACCESS] == ["require_login"]
    roles = {s.name: s.role for s in SETTINGS}
    assert roles["upload_max_mb"] == roles["session_minutes"] == "limit"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"CMDMAP_{s.name.upper()}" not in text]
    assert missing == []


def test_the_readme_names_each_setting_s_role():
    rows = dict(re.findall(r"^\| `CMDMAP_(\w+)` \| [^|]* \| (\w+) \|", README.read_text(encoding="utf-8"), re.M))
    assert {name.lower(): role for name, role in rows.items()} == {s.name: s.role for s in SETTINGS}


def test_every_column_of_the_data_model_is_documented():
    from geo.domain.schema import TABLES

    text = (README.parent / "data" / "README.md").read_text(encoding="utf-8")
    missing = [f"{t.file}:{c.name}" for t in TABLES.values() for c in t.columns
               if f"`{c.name}` | {c.zh} |" not in text]
    assert missing == []
