"""Settings: defaults, parsing, types, roles, and every setting documented in the README (as datasette does).

A setting that guards access fails closed: a value it does not understand stops the app
(``serve.py``, started for real) and every command, with a message naming it; the others
fall back to their defaults.
"""

import dataclasses
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.cli.main import main
from geo.settings import ACCESS, ROLES, SETTINGS, SettingRefused, Settings, load
from tests.browser import free_port

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
YES = ["true", "TRUE", "True", "1", "yes", "On", "是", '"true"', "'yes'", " “是” ", '"  true "']
NO = ["false", "0", "no", "OFF", "否", '"false"', "'0'"]
NOT_UNDERSTOOD = ['"ture"', "ture", "y", "t", "required", "enabled", "2", "true!", "是的", "", "  ", '""', "'", "None"]
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


@pytest.mark.parametrize("raw", YES)
def test_require_login_understands_the_spellings_of_yes(raw):
    assert load({"CMDMAP_REQUIRE_LOGIN": raw}).require_login is True


@pytest.mark.parametrize("raw", NO)
def test_require_login_understands_the_spellings_of_no(raw):
    assert load({"CMDMAP_REQUIRE_LOGIN": raw}).require_login is False


@pytest.mark.parametrize("raw", NOT_UNDERSTOOD)
def test_a_setting_guarding_access_refuses_what_it_does_not_understand(raw):
    """``ture`` or ``required`` used to mean "open to everyone": now nothing starts, and the message says why."""
    with pytest.raises(SettingRefused) as refused:
        load({"CMDMAP_REQUIRE_LOGIN": raw})
    zh, en = refused.value.text
    for message in (zh, en):
        assert "CMDMAP_REQUIRE_LOGIN" in message and f"“{raw}”" in message
        assert "true/false, 1/0, yes/no, on/off, 是/否" in message
    assert "无法识别" in zh and "not understood" in en


def test_cosmetic_and_limit_settings_still_fall_back_and_lose_their_quotes():
    values = load({"CMDMAP_BASEMAP": '"osm"', "CMDMAP_MAP_HEIGHT": "'800'", "CMDMAP_LANGUAGE": "klingon",
                   "CMDMAP_SESSION_MINUTES": "forever", "CMDMAP_UPLOAD_MAX_MB": "inf",
                   "CMDMAP_UPLOAD_SESSION_MB": "nan", "CMDMAP_DATA_DIR": '"/srv/city"'})
    assert (values.basemap, values.map_height, values.language) == ("osm", 800, "zh")
    assert (values.session_minutes, values.upload_max_mb, values.upload_session_mb) == (480, 20.0, 100.0)
    assert values.data_dir == "/srv/city"
    assert load({"CMDMAP_UPLOAD_SESSION_MB": "1"}).upload_session_bytes == values.upload_max_bytes


def test_the_readme_says_what_a_value_not_understood_does_for_each_setting():
    rows = dict(re.findall(r"^\| `CMDMAP_(\w+)` \| [^|]* \| \w+ \| ([^|]*) \|", README.read_text(encoding="utf-8"),
                           re.M))
    assert {name.lower(): "stops" in effect for name, effect in rows.items()} == {
        s.name: s.role == ACCESS for s in SETTINGS}


def test_every_command_refuses_to_run_on_a_setting_it_does_not_understand(monkeypatch, capsys, tmp_path):
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{store}")
    monkeypatch.setenv("CMDMAP_REQUIRE_LOGIN", "required")
    for command in (["history"], ["user", "list"], ["template", "compound_status", "--out", str(tmp_path / "t.csv")]):
        assert main(command) == 4
        err = capsys.readouterr().err
        assert "CMDMAP_REQUIRE_LOGIN" in err and "“required”" in err and "是/否" in err and "Traceback" not in err
    assert not store.exists() and not (tmp_path / "t.csv").exists()  # nothing was done


def test_the_app_does_not_start_on_a_setting_it_does_not_understand():
    """``streamlit run serve.py`` (what ``./run.sh app`` runs), for real: it exits with the message, never serves."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CMDMAP_")}, "CMDMAP_REQUIRE_LOGIN": "ture"}
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(free_port()),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "CMDMAP_REQUIRE_LOGIN" in result.stderr and "“ture”" in result.stderr and "Traceback" not in result.stderr
    assert "无法识别" in result.stderr and "not understood" in result.stderr
    assert time.monotonic() - start < 60


def test_a_page_shows_only_the_message_when_a_setting_guarding_access_is_not_understood(monkeypatch, tiny_dir,
                                                                                         tmp_path):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_REQUIRE_LOGIN", "y")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "CMDMAP_REQUIRE_LOGIN" in at.error[0].value and "“y”" in at.error[0].value
    assert not at.title and not at.text_input  # no page, no login form: nothing but the message
