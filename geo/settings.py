"""Settings: one table with defaults and help text, read from the environment.

Every setting ``name`` is read from the environment variable ``CMDMAP_<NAME>``
(upper case). ``README.md`` documents each one; a test fails when one is not.

Examples
--------
>>> load({"CMDMAP_SUPPLY_LOW_DAYS": "10"})["supply_low_days"]
10.0
>>> load({})["basemap"]
'amap'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    parse: Callable[[str], object] = str
    choices: tuple[str, ...] = ()


BASEMAPS = ("amap", "osm", "tianditu", "custom", "none")

SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", str(PROJECT_DIR / "data"),
            "Folder holding the GeoJSON layers and the CSV status tables."),
    Setting("basemap", "amap",
            "Base map: amap (GCJ-02, overlays are shifted to match), osm, tianditu, "
            "custom (a local XYZ tile server, see tile_url) or none.",
            choices=BASEMAPS),
    Setting("tile_url", "",
            "XYZ tile URL template for basemap=custom, for example "
            "http://tiles.intranet/{z}/{x}/{y}.png."),
    Setting("tile_crs", "wgs84",
            "Datum of the custom tiles: wgs84 or gcj02 (most Chinese tile servers).",
            choices=("wgs84", "gcj02")),
    Setting("tianditu_key", "", "Tianditu API key (tk) for basemap=tianditu."),
    Setting("supply_low_days", 7.0,
            "Days of cover below which a place's supply level is low (偏紧).", float),
    Setting("supply_critical_days", 3.0,
            "Days of cover below which a place's supply level is critical (告急).", float),
    Setting("language", "zh", "Default UI language: zh or en.", choices=("zh", "en")),
    Setting("map_height", 620, "Height of the maps in pixels.", int),
    Setting("zone_list_max", 1000,
            "With more zones than this to choose from, the zone filter waits for a district or street: a list "
            "of thousands helps nobody and slows every page.", int),
    Setting("table_open_max", 2000,
            "A list under a map opens with the page when it has at most this many rows; a longer one opens with "
            "a click (at 100,000 compounds its grid made the map appear 0.4 s later). 0: always closed.", int),
    Setting("database_url", f"sqlite:///{PROJECT_DIR / 'store' / 'cmdmap.sqlite'}",
            "SQLAlchemy URL of the versioned store (uploads, history, accounts). The default SQLite "
            "file needs nothing installed; several app servers share a PostgreSQL database with PostGIS "
            "(postgresql+psycopg://user@host/db, the password in ~/.pgpass; see docs/deploy.md). An empty store is filled "
            "from data_dir on first use."),
    Setting("require_login", False,
            "true: viewing needs an account too; false: anyone may view, only uploads and history "
            "actions need one.", lambda v: v.lower() in ("1", "true", "yes", "on")),
    Setting("backup_keep", 20,
            "Before each import or rollback the SQLite store is copied to store/backups/; this many "
            "newest copies are kept (0: no automatic backup). Other databases are not copied.", int),
    Setting("session_minutes", 480, "A login expires after this many minutes without use.", int),
    Setting("upload_max_mb", 20, "Largest file accepted for upload, in megabytes.", float),
    Setting("wall_refresh_seconds", 60, "The wall display reads new data this often (seconds).", int),
    Setting("wall_rotate_seconds", 30,
            "The wall display moves to its next view (compounds, sites, supplies, zones) this often; "
            "0 keeps one view. ?view=sites in the URL pins a view.", int),
    Setting("wall_stale_hours", 24,
            "The wall display warns when no new data has arrived for this many hours.", float),
    Setting("wall_highlight_minutes", 10,
            "On the wall display, a place whose state changed stays highlighted this long.", float),
    Setting("wall_attention_days", 3.0,
            "The wall's attention list names places with fewer days of supplies than this.", float),
)


def load(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """Read every setting from ``environ`` (default ``os.environ``), falling back to defaults.

    A value that cannot be parsed or is not one of the choices falls back to the
    default, so a typo in a deployment never stops the command post's screen.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for setting in SETTINGS:
        raw = environ.get(f"CMDMAP_{setting.name.upper()}")
        value = setting.default
        if raw is not None and raw.strip() != "":
            try:
                value = setting.parse(raw.strip())
            except ValueError:
                value = setting.default
            if setting.choices and value not in setting.choices:
                value = setting.default
        values[setting.name] = value
    return values
