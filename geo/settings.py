"""Settings: one typed table with defaults, roles and help text, read from the environment.

Every setting ``name`` is an attribute of :class:`Settings` and is read from the
environment variable ``CMDMAP_<NAME>`` (upper case). ``README.md`` documents each
one; a test fails when one is not. :func:`load` returns a frozen :class:`Settings`
whose attributes already have their types (``str``, ``int``, ``float`` or
``bool``), so call sites read ``load().upload_max_mb`` with no cast. Quotes around
a value, as env files keep them (``CMDMAP_BASEMAP="osm"``), are not part of it.

Each setting has a role, saying what a wrong value can cost:

* ``access`` guards who may see or do what (only ``require_login`` today);
* ``limit`` bounds a resource or a session (``upload_max_mb``, ``session_minutes``,
  ``backup_keep``, ``photo_max_mb``);
* ``location`` says where the data is read and stored (``data_dir``, ``database_url``);
* ``cosmetic`` changes what is shown or how, and guards nothing.

A value that does not parse (``CMDMAP_MAP_HEIGHT=tall``, ``CMDMAP_UPLOAD_MAX_MB=inf``
or ``nan``: a number must be finite) or is not one of the choices falls back to
the default, so a typo in a deployment never stops the command post's screen;
except for an ``access`` setting: there a value that is not understood (``ture``,
``required``, or set but blank) would silently mean "open to everyone", so
:func:`load` raises :class:`SettingRefused` naming the setting and the values it
accepts, and the app and the command line stop at start with that message.

Examples
--------
>>> load({"CMDMAP_SUPPLY_LOW_DAYS": "10"}).supply_low_days
10.0
>>> load({}).basemap
'amap'
>>> load({"CMDMAP_UPLOAD_MAX_MB": "inf"}).upload_max_mb
20.0
>>> load({"CMDMAP_REQUIRE_LOGIN": '"true"'}).require_login
True
>>> load({"CMDMAP_REQUIRE_LOGIN": "ture"})
Traceback (most recent call last):
...
geo.settings.SettingRefused: CMDMAP_REQUIRE_LOGIN='ture'
>>> [s.name for s in SETTINGS if s.role == ACCESS]
['require_login']
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Mapping, get_type_hints

from geo.domain import Text, t

PROJECT_DIR = Path(__file__).resolve().parent.parent

ACCESS = "access"  # guards who may see or do what
LIMIT = "limit"  # bounds a resource or a session
LOCATION = "location"  # where the data is read and stored
COSMETIC = "cosmetic"  # what is shown or how; guards nothing
ROLES = (ACCESS, LIMIT, LOCATION, COSMETIC)

BASEMAPS = ("amap", "osm", "tianditu", "custom", "file", "none")


# The words a yes/no setting understands, in any case, as yes/no pairs; anything else is not understood.
FLAG_PAIRS = (("true", "false"), ("1", "0"), ("yes", "no"), ("on", "off"), ("是", "否"))
FLAG_WORDS: dict[str, bool] = {word: answer for pair in FLAG_PAIRS for word, answer in zip(pair, (True, False))}
QUOTE_PAIRS = ("\"\"", "''", "“”", "‘’")  # what env files and copied documents put around a value


def unquote(raw: str) -> str:
    """``raw`` without surrounding blanks and one pair of quotes around it (then blanks again).

    >>> unquote(' "true" '), unquote("'osm'"), unquote("“是”"), unquote('"half')
    ('true', 'osm', '是', '"half')
    """
    value = raw.strip()
    if len(value) >= 2 and value[0] + value[-1] in QUOTE_PAIRS:
        value = value[1:-1].strip()
    return value


def parse_flag(raw: str) -> bool:
    """A yes/no setting: true/false, 1/0, yes/no, on/off (any case) or 是/否; anything else is a ValueError.

    A word that is almost one of these (``ture``, ``y``, ``required``) is not guessed at:
    for a setting that guards access, guessing "no" would open the app to everyone.

    >>> parse_flag("True"), parse_flag("off"), parse_flag("是")
    (True, False, True)
    >>> parse_flag("ture")
    Traceback (most recent call last):
    ...
    ValueError: not a yes/no word: 'ture'
    """
    word = raw.strip().casefold()
    if word not in FLAG_WORDS:
        raise ValueError(f"not a yes/no word: {raw!r}")
    return FLAG_WORDS[word]


def parse_finite(raw: str) -> float:
    """A number setting: a finite float; ``inf`` and ``nan`` raise ValueError (the default is used).

    >>> parse_finite("2.5")
    2.5
    >>> parse_finite("nan")
    Traceback (most recent call last):
    ...
    ValueError: not a finite number: 'nan'
    """
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {raw!r}")
    return value


PARSERS: dict[type, Callable[[str], object]] = {str: str, int: int, float: parse_finite, bool: parse_flag}


def megabytes_in_bytes(megabytes: float) -> int:
    """A size setting in megabytes (10⁶ bytes) as a whole number of bytes, from 0 to 2⁶² however large it is.

    >>> megabytes_in_bytes(1.5), megabytes_in_bytes(-3), megabytes_in_bytes(1e300)
    (1500000, 0, 4611686018427387904)
    """
    return int(min(max(megabytes, 0.0) * 1e6, 2.0 ** 62))


def _setting(default: object, role: str, help: str, choices: tuple[str, ...] = ()) -> Any:
    """A field of :class:`Settings`: its default, and its role, help and choices as the field's metadata."""
    return field(default=default, metadata={"role": role, "help": help, "choices": choices})


@dataclass(frozen=True)
class Settings:
    """Every setting, typed: the attribute's annotation is its type, its field the rest of its row.

    ``Settings()`` holds the defaults; :func:`load` reads the environment.

    >>> Settings(basemap="osm").basemap, Settings().map_height
    ('osm', 620)
    """

    data_dir: str = _setting(str(PROJECT_DIR / "data"), LOCATION,
                             "Folder holding the GeoJSON layers and the CSV status tables, read once into a new "
                             "store through the upload's checks (a file with problems is not stored).")
    basemap: str = _setting("amap", COSMETIC,
                            "Base map: amap (GCJ-02, overlays are shifted to match), osm, tianditu, "
                            "custom (a local XYZ tile server, see tile_url), file (a tile file the app serves "
                            "itself, see tile_file) or none.", BASEMAPS)
    tile_url: str = _setting("", COSMETIC,
                             "XYZ tile URL template for basemap=custom, for example "
                             "http://tiles.intranet/{z}/{x}/{y}.png.")
    tile_file: str = _setting("", LOCATION,
                              "For basemap=file: an MBTiles or PMTiles file of raster tiles (png, jpg, webp), for "
                              "example /srv/cmdmap/city.mbtiles, as tile downloaders write it; the app serves it at "
                              "/tiles/{z}/{x}/{y}, to logged-in browsers only when require_login is true. "
                              "See docs/deploy.md.")
    tile_crs: str = _setting("wgs84", COSMETIC,
                             "Datum of the tiles of basemap=custom or file: wgs84 or gcj02 (Amap's tiles and most "
                             "Chinese tile servers and downloads).",
                             ("wgs84", "gcj02"))
    tianditu_key: str = _setting("", COSMETIC, "Tianditu API key (tk) for basemap=tianditu.")
    supply_low_days: float = _setting(7.0, COSMETIC,
                                      "Days of cover below which a place's supply level is low (偏紧).")
    supply_critical_days: float = _setting(3.0, COSMETIC,
                                           "Days of cover below which a place's supply level is critical (告急).")
    complete_share: float = _setting(0.9, COSMETIC,
                                     "A report day is shown as the current one (pages, wall, changes) once this "
                                     "share of the places has reported on it (places missing rounded up); until "
                                     "then the last complete day stays, with the new day's progress.")
    briefing_time: str = _setting("", COSMETIC,
                                  "Time of day (HH:MM, the server's local time) after which the app writes the "
                                  "morning briefing of the current report day as Word and PDF into briefing_dir, "
                                  "once a day; empty: never (a value that is not a time is said in the log).")
    report_deadline: str = _setting("10:00", COSMETIC,
                                    "Time of day (HH:MM, the server's local time) by which the places report "
                                    "today: the report page's list of places not reported (未报告) shows those "
                                    "missing and, apart, those reported after it; a value that is not a time "
                                    "means 10:00.")
    play_seconds: float = _setting(2.0, COSMETIC,
                                   "Seconds each report date is shown when a map page plays through the dates.")
    language: str = _setting("zh", COSMETIC, "Default UI language: zh or en.", ("zh", "en"))
    map_height: int = _setting(620, COSMETIC, "Height of the maps in pixels.")
    map_places_at_once: int = _setting(200_000, LIMIT,
                                       "A map layer with more places than this (a province's or a nation's "
                                       "compounds) is cut into tiles the browser fetches as it looks there: "
                                       "where the view holds more, each place is a dot of its status's colour, "
                                       "and closer in the places in view are drawn whole. Smaller: lighter "
                                       "for old computers, more zooming in before outlines show.")
    zone_list_max: int = _setting(1000, COSMETIC,
                                  "With more zones than this to choose from, the zone filter waits for a "
                                  "district or street: a list of thousands helps nobody and slows every page.")
    table_open_max: int = _setting(2000, COSMETIC,
                                   "A list under a map opens with the page when it has at most this many rows; a "
                                   "longer one opens with a click (at 100,000 compounds its grid made the map "
                                   "appear 0.4 s later). 0: always closed.")
    briefing_dir: str = _setting(str(PROJECT_DIR / "store" / "briefings"), LOCATION,
                                 "Folder the morning briefings written at briefing_time go to; all are kept, and "
                                 "the overview lists the newest for download.")
    database_url: str = _setting(f"sqlite:///{PROJECT_DIR / 'store' / 'cmdmap.sqlite'}", LOCATION,
                                 "SQLAlchemy URL of the versioned store (uploads, history, accounts). The default "
                                 "SQLite file needs nothing installed; several app servers share a PostgreSQL "
                                 "database with PostGIS (postgresql+psycopg://user@host/db, the password in "
                                 "~/.pgpass; see docs/deploy.md). A new store is filled from data_dir on "
                                 "first use, unless python -m geo init started it empty.")
    require_login: bool = _setting(False, ACCESS,
                                   "true: viewing needs an account too; false: anyone may view, only uploads and "
                                   "history actions need one (an account limited to an area sees only that "
                                   "area, but logged out anyone sees the whole city: use true with such accounts). "
                                   "Also yes/no, on/off, 1/0, 是/否; any other value stops the app at start, "
                                   "saying so.")
    backup_keep: int = _setting(20, LIMIT,
                                "Before each import or rollback the SQLite store is copied to store/backups/; "
                                "this many newest copies are kept (0: no automatic backup). Other databases are "
                                "not copied.")
    session_minutes: int = _setting(480, LIMIT, "A login expires after this many minutes without use.")
    upload_max_mb: float = _setting(20.0, LIMIT, "Largest file accepted for upload, in megabytes.")
    max_move_km: float = _setting(5.0, LIMIT,
                                  "An upload that moves a stored place farther than this (kilometres) lists it in "
                                  "the preview as a warning to be confirmed before the import.")
    upload_max_rows: int = _setting(500_000, LIMIT,
                                    "Most rows (or GeoJSON features) one uploaded or imported file may have; "
                                    "a longer one is refused before it is parsed, saying to split it. Counted "
                                    "in the file, not guessed from its size. A nation's list of a million "
                                    "compounds needs 1000000, and some gigabytes of memory to check it.")
    upload_session_mb: float = _setting(100.0, LIMIT,
                                        "Most file data one login may have waiting on the server at once (every "
                                        "file chosen on the upload page and not yet removed), in megabytes; never "
                                        "less than one file of upload_max_mb. Nobody else can send a file at all.")
    photo_max_mb: float = _setting(15.0, LIMIT,
                                   "Largest photo accepted from a phone or a browser (inspections, problems), in "
                                   "megabytes. It is kept upright, at most 1600 pixels on its long side, as a JPEG "
                                   "of some 300 KB, without EXIF (only its GPS position and time are kept).")
    photos_per_problem: int = _setting(9, LIMIT, "Most photos one problem (or inspection) may hold.")
    problem_photos_max_mb: float = _setting(20.0, LIMIT,
                                            "Most megabytes of photos one problem (or inspection) may hold, "
                                            "counted as stored (resized), not as received.")
    wall_refresh_seconds: int = _setting(60, COSMETIC, "The wall display reads new data this often (seconds).")
    follow_seconds: int = _setting(5, COSMETIC,
                                   "Pages left open (the overview, trends, comparison, the maps and the wall "
                                   "display) look this often (seconds) for a new data version and redraw with "
                                   "it by themselves, once the server has built it (at most every "
                                   "build_spacing_seconds during a morning of phone reports); 0: they show new "
                                   "data only when reloaded (the wall at its own refresh).")
    build_spacing_seconds: int = _setting(30, LIMIT,
                                          "The server builds a new data version for the pages left open at most "
                                          "this often (seconds): a morning of phone reports makes a version every "
                                          "few seconds, and each build reads the whole city again. Smaller: screens "
                                          "show an import sooner, and the server works more. The build at start "
                                          "is not counted.")
    wall_rotate_seconds: int = _setting(30, COSMETIC,
                                        "The wall display moves to its next view (compounds, sites, supplies, "
                                        "zones, the other places together, in that order) and its attention "
                                        "list to its next page this often, on a clock of its own (not the "
                                        "refresh's); 0 keeps one view (the list then pages at each refresh). "
                                        "?view=sites in the URL pins a view.")
    wall_stale_hours: float = _setting(24.0, COSMETIC,
                                       "The wall display warns when no new data has arrived for this many hours.")
    wall_highlight_minutes: float = _setting(10.0, COSMETIC,
                                             "On the wall display, a place whose state changed stays highlighted "
                                             "this long.")
    wall_attention_days: float = _setting(3.0, COSMETIC,
                                          "The wall's attention list names places with fewer days of supplies "
                                          "than this.")

    @property
    def upload_max_bytes(self) -> int:
        """``upload_max_mb`` in bytes (a megabyte is 10⁶ bytes), at most 2⁶² however large the setting.

        >>> Settings(upload_max_mb=1.5).upload_max_bytes, Settings(upload_max_mb=1e300).upload_max_bytes
        (1500000, 4611686018427387904)
        """
        return megabytes_in_bytes(self.upload_max_mb)

    @property
    def upload_session_bytes(self) -> int:
        """``upload_session_mb`` in bytes, at least one largest file (``upload_max_bytes``) and at most 2⁶².

        >>> Settings(upload_session_mb=50).upload_session_bytes, Settings(upload_session_mb=1).upload_session_bytes
        (50000000, 20000000)
        """
        return max(self.upload_max_bytes, megabytes_in_bytes(self.upload_session_mb))

    @property
    def photo_max_bytes(self) -> int:
        """``photo_max_mb`` in bytes.

        >>> Settings().photo_max_bytes, Settings(photo_max_mb=0.5).photo_max_bytes
        (15000000, 500000)
        """
        return megabytes_in_bytes(self.photo_max_mb)

    @property
    def problem_photos_max_bytes(self) -> int:
        """``problem_photos_max_mb`` in bytes.

        >>> Settings().problem_photos_max_bytes
        20000000
        """
        return megabytes_in_bytes(self.problem_photos_max_mb)


@dataclass(frozen=True)
class Setting:
    """One row of the table: a field of :class:`Settings` as the README and :func:`load` see it."""

    name: str
    default: object
    help: str
    parse: Callable[[str], object] = str
    choices: tuple[str, ...] = ()
    role: str = COSMETIC

    @property
    def variable(self) -> str:
        """The environment variable: ``CMDMAP_`` and the name in upper case."""
        return f"CMDMAP_{self.name.upper()}"

    def accepted(self) -> Text:
        """The values the setting understands, as its refusal lists them.

        >>> [s.accepted().en for s in SETTINGS if s.name in ("language", "map_height", "require_login")]
        ['zh, en', 'a whole number', 'true/false, 1/0, yes/no, on/off, 是/否']
        """
        if self.choices:
            return Text(", ".join(self.choices), ", ".join(self.choices))
        if self.parse is parse_flag:
            words = ", ".join("/".join(pair) for pair in FLAG_PAIRS)
            return Text(words, words)
        return t({int: "setting_whole_number", parse_finite: "setting_number"}.get(self.parse, "setting_text"))


class SettingRefused(ValueError):
    """A setting that guards access has a value it does not understand: the app must not start.

    ``str(error)`` names the variable and the value; :attr:`text` is the message for a person,
    naming both and the accepted values, in Chinese and English.
    """

    def __init__(self, setting: Setting, raw: str):
        self.setting = setting
        self.raw = raw
        self.text = t("setting_refused", variable=setting.variable, value=raw, accepted=setting.accepted())
        super().__init__(f"{setting.variable}={raw!r}")


def settings_table() -> tuple[Setting, ...]:
    """The rows of :class:`Settings`, in order, each with the parser of its type."""
    types = get_type_hints(Settings)
    return tuple(Setting(f.name, f.default, f.metadata["help"], PARSERS[types[f.name]], f.metadata["choices"],
                         f.metadata["role"]) for f in fields(Settings))


SETTINGS: tuple[Setting, ...] = settings_table()


def read_value(setting: Setting, raw: str | None) -> object:
    """The value of ``setting`` for the environment's ``raw`` text (None: not set).

    Not set, or blank: the default. A value that does not parse or is not one of the
    choices: the default too, unless the setting guards access.

    Raises
    ------
    SettingRefused
        For an ``access`` setting whose value is not understood, or is set but blank.
    """
    if raw is None:
        return setting.default
    value = unquote(raw)
    if value == "":
        if setting.role == ACCESS:
            raise SettingRefused(setting, raw)
        return setting.default
    try:
        parsed = setting.parse(value)
    except ValueError:
        parsed = None
    if parsed is None or (setting.choices and parsed not in setting.choices):
        if setting.role == ACCESS:
            raise SettingRefused(setting, raw)
        return setting.default
    return parsed


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from ``environ`` (default ``os.environ``), falling back to defaults.

    A value that cannot be parsed (a number must also be finite) or is not one of
    the choices falls back to the default, so a typo in a deployment never stops
    the command post's screen; a setting that guards access refuses instead.

    Raises
    ------
    SettingRefused
        When a setting of role ``access`` has a value it does not understand.
    """
    environ = os.environ if environ is None else environ
    return _parsed(tuple(environ.get(setting.variable) for setting in SETTINGS))


# A page run reads the settings a few hundred times: each different environment is parsed once. A refused
# setting raises every time (an exception is not kept).
@functools.lru_cache(maxsize=16)
def _parsed(raws: tuple[str | None, ...]) -> Settings:
    return Settings(**{setting.name: read_value(setting, raw) for setting, raw in zip(SETTINGS, raws)})
