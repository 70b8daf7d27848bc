"""From a staff member's file to a new version: check (dry run), then commit, or roll back.

The same functions serve the upload page and ``python -m geo check/import/rollback``.
Nothing is stored by :func:`check_file`; :func:`commit` stores the whole file or
nothing, and refuses anyone whose role does not allow it, whatever page or
command they came from.

Examples
--------
>>> summarise_counts("compounds", added=2, changed=1)[0].zh
'新增 2 个物业小区'
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import json
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy.engine import Engine

from geo import store
from geo.accounts import auth
from geo.analysis import Thresholds, supply_level
from geo.domain import (
    CATALOGUE,
    POSITION,
    TABLES,
    Problem,
    Text,
    join,
    kinds,
    listing,
    member_of,
    ranges,
    t,
    text_set,
    vocab,
)
from geo.io import (
    MAX_ROWS,
    decode,
    has_coordinates,
    id_context,
    is_table,
    layer_with_ids,
    list_with_ids,
    make_layer_ids,
    metres_between,
    read_layer,
    read_places,
    read_table,
    repeated_places,
    role_text,
)
from geo.io import datum_guess as crs
from geo.io.points import LAT, LON, PAIR
from geo.store import backup
from geo.upload.outlines import match_outlines


def places_of(kind: str) -> tuple[str, ...]:
    """The geometry layers whose ids the place ids of daily report ``kind`` refer to (none for a layer).

    >>> places_of("supplies")
    ('compounds', 'sites')
    """
    reporter = kinds.of_report(kind)
    return reporter.place_layers if reporter else ()


@dataclass
class Check:
    """The dry run of one upload: what is wrong, what would change. Nothing is stored yet."""

    kind: str
    file_name: str
    content: bytes
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notices: list[Text] = field(default_factory=list)
    delta: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows new or changed
    fields: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per changed field
    summary: list[Text] = field(default_factory=list)
    datum: str | None = None
    present: list[str] | None = None  # columns the file had: the others keep their stored values
    columns: dict[str, str] | None = None  # a list of places: which header holds what (the mapping step)
    headers: list[str] | None = None  # a list of places: its headers, the mapping step's choices
    rows: list[int] | None = None  # each place's row (a list) or feature number (GeoJSON) in the file
    ids_made: bool = False  # a list without ids: the places' ids were made from their names
    warnings: list[Problem] = field(default_factory=list)  # not wrong, but to be confirmed (a place moved far)
    replace: bool = False  # the file is the whole layer: stored places it lacks are retired
    phone_rows: frozenset[int] = frozenset()  # stored rows of phone reports the file replaces (said as warnings)
    likely_datum: str | None = None  # the datum the positions most likely are in (shown by the page's datum box)
    datum_reason: Text | None = None  # ... and why
    datum_unconfirmed: bool = False  # the city's places and zones were too far or too few to confirm it
    compared: store.Compared | None = None  # the comparison behind frame, delta and fields, for the commit to reuse
    max_rows: int = MAX_ROWS  # the most rows the file could have (as it was read, to read it again)

    @property
    def by_feature(self) -> bool:
        """Its problems' rows are a GeoJSON's features (a list's and a report's are spreadsheet rows)."""
        return bool(TABLES[self.kind].geometry) and not is_table(self.content)

    @property
    def ok(self) -> bool:
        return not self.problems and len(self.frame) > 0

    @property
    def changes(self) -> bool:
        """The upload would change something: an identical file makes no version (nothing to undo, no empty line
        in the history)."""
        return len(self.delta) > 0 or len(self.removed) > 0

    @property
    def changed_ids(self) -> list[str]:
        """Ids of the places the upload would change, for the preview map."""
        if self.delta.empty:
            return []
        return sorted(set(self.delta[TABLES[self.kind].key[0]].dropna().astype(str)))

    @property
    def removed(self) -> pd.DataFrame:
        """The stored places a replacement retires: their key and name (none without ``replace``)."""
        if self.fields.empty:
            return pd.DataFrame(columns=["key", "place"])
        return self.fields.loc[self.fields["change"] == "removed", ["key", "place"]].reset_index(drop=True)


def _file_problem(name: str, text: Text) -> Problem:
    return Problem(name, None, None, None, text)


def _places(engine: Engine, kind: str) -> pd.DataFrame:
    frames = [store.place_names(engine, layer) for layer in places_of(kind)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["id", "name"])


def suggest(value: str, name: str | None, places: pd.DataFrame, limit: int = 3) -> list[str]:
    """The closest existing places to an unknown id (by its name when the file gives one).

    >>> places = pd.DataFrame({"id": ["XA-C0001", "XA-C0002"], "name": ["金桂花园", "温泉名城"]})
    >>> suggest("XA-C001", None, places, 1)
    ['XA-C0001（金桂花园）']
    >>> suggest("X9", "温泉名城", places)
    ['XA-C0002（温泉名城）']
    >>> suggest("金桂园", None, places)
    ['XA-C0001（金桂花园）']
    """
    names = dict(zip(places["id"].astype(str), places["name"].astype(str)))
    by_name = {v: k for k, v in names.items()}
    found: list[str] = []
    for text in (name, value):  # the value may be a name too (a file that names its places)
        if text:
            found += [by_name[n] for n in difflib.get_close_matches(text, list(by_name), n=limit, cutoff=0.5)]
    found += difflib.get_close_matches(value, list(names), n=limit, cutoff=0.6)
    unique = list(dict.fromkeys(found))[:limit]
    return [f"{i}（{names[i]}）" for i in unique]


def _unknown_ids(kind: str, frame: pd.DataFrame, known: set[str], places: pd.DataFrame, source: str,
                 header: str) -> list[Problem]:
    """A problem per row whose id is no place's, with the closest places as suggestions."""
    key = TABLES[kind].key[0]
    name_column = TABLES[kind].place_name
    unknown = frame.loc[~member_of(frame[key].astype(str), known)]
    problems = []
    names = unknown[name_column] if name_column else pd.Series(pd.NA, index=unknown.index)
    for row, value, name in zip(unknown.index, unknown[key].astype(str), names):
        if not isinstance(value, str) or not value.strip():
            continue  # an empty id is already reported
        hints = suggest(value, None if pd.isna(name) else str(name), places)
        hint = t("check_did_you_mean", places=listing(hints)) if hints else t("check_no_suggestion")
        # a report naming its places by name: the name was not found, not an id
        said = "check_unknown_name" if not pd.isna(name) and str(name).strip() == value.strip() else "check_unknown_id"
        problems.append(Problem.of(source, int(row), header, value, said, value=value, hint=hint))
    return problems


def _same_district(given, stored) -> bool:
    """'咸安区' and '咸安' are one district; a blank says nothing."""
    if pd.isna(given) or pd.isna(stored) or not str(given).strip() or not str(stored).strip():
        return False
    a, b = str(given).strip(), str(stored).strip()
    return a == b or (min(len(a), len(b)) >= 2 and (a.startswith(b) or b.startswith(a)))


def ids_by_name(frame: pd.DataFrame, kind: str, known: set[str], places: pd.DataFrame,
                source: str, header: str, districts: pd.Series | None = None) -> tuple[pd.DataFrame, int, list[Problem]]:
    """Rows whose id column names their place (what people write when they have no ids): the id of the
    one place of that name, or, when the report has a 区县 column (``districts``, by row) and ``places`` a
    ``district``, of the one place of that name in the row's district.

    A name that several places share (in the row's district, when given) is a problem listing them with
    their districts; a value that is neither an id nor a name is left to the unknown-id check, which suggests
    the closest places. An id that is wrong but sits beside a known name is not replaced: which of the two is
    right is for the person to say.

    >>> places = pd.DataFrame({"id": ["C1", "C2", "C3"], "name": ["龙潭社区", "金桂花园", "金桂花园 "],
    ...                        "district": ["咸安区", "咸安区", "通山县"]})
    >>> frame = pd.DataFrame({"compound_id": ["龙潭社区", "金桂花园", "C9"]}, index=[2, 3, 4])
    >>> fixed, matched, problems = ids_by_name(frame, "compound_status", {"C1", "C2", "C3"}, places, "f.csv", "小区编号")
    >>> fixed["compound_id"].tolist(), matched, [(p.row, p.value) for p in problems]
    (['C1', '金桂花园', 'C9'], 1, [(3, '金桂花园')])
    >>> problems[0].zh
    '名称“金桂花园”对应 2 个场所（C2（咸安区）、C3（通山县）），无法确定是哪一个。请填写编号，或填写“区县”列。'
    >>> fixed, matched, problems = ids_by_name(frame, "compound_status", {"C1", "C2", "C3"}, places, "f.csv",
    ...                                        "小区编号", pd.Series(["", "通山", ""], index=[2, 3, 4]))
    >>> fixed["compound_id"].tolist(), matched, problems
    (['C1', 'C3', 'C9'], 2, [])
    """
    key = TABLES[kind].key[0]
    values = frame[key].astype("string").str.strip()
    unknown = ~member_of(values.astype(str), known) & values.notna()
    if not unknown.any() or places.empty:
        return frame, 0, []
    places = places.assign(name=places["name"].astype("string").str.strip())
    if "district" not in places:
        places = places.assign(district=pd.NA)
    by_name = {name: group for name, group in places.groupby("name")}
    fixed, matched, problems = frame.copy(), 0, []
    for row in frame.index[unknown]:
        name = values.at[row]
        if name not in by_name:
            continue
        candidates = by_name[name]
        given = districts.get(row) if districts is not None else None
        if len(candidates) > 1 and given is not None and not pd.isna(given) and str(given).strip():
            candidates = candidates.loc[[_same_district(given, d) for d in candidates["district"]]]
            if candidates.empty:  # none in the district written: all are candidates, with their districts
                candidates = by_name[name]
        if len(candidates) == 1:
            fixed.at[row, key] = candidates["id"].iloc[0]
            matched += 1
        else:
            named = [f"{i}（{d}）" if not pd.isna(d) and str(d).strip() else str(i)
                     for i, d in zip(candidates["id"], candidates["district"])]
            problems.append(Problem.of(source, int(row), header, name, "check_name_not_unique", name=name,
                                       count=len(candidates), places=listing(named[:5])))
    return fixed, matched, problems


def place_districts(engine: Engine, kind: str) -> pd.DataFrame:
    """Id, name and district of the places daily report ``kind`` names: a layer's own ``district`` column where
    it has one, else its zone's (zones carry the district)."""
    zones = store.current(engine, "zones")
    of_zone = dict(zip(zones["id"].astype(str), zones["district"])) if len(zones) and "district" in zones else {}
    frames = []
    for layer in places_of(kind):
        stored = store.current(engine, layer)
        if stored.empty:
            continue
        district = stored["district"] if "district" in stored else pd.Series(pd.NA, index=stored.index)
        if "zone" in stored:
            district = district.where(district.notna(), stored["zone"].astype("string").map(of_zone))
        frames.append(pd.DataFrame({"id": stored["id"].astype(str), "name": stored["name"],
                                    "district": district.to_numpy()}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["id", "name", "district"])


def _status_reading(engine: Engine, kind: str, content: bytes, file_name: str, sheet, max_rows: int,
                    newest: str | None, known: set[str]) -> tuple:
    """A daily report's file read and its ids checked against the ids of the places ``known``; ``newest``: the
    store's newest report date, the year of dates written as 2月25日."""
    year = int(newest[:4]) if newest else None
    # every row is checked, also rows with other problems: staff see everything at once
    reading = read_table(content, kind, name=file_name, sheet=sheet, year=year, keep_bad_rows=True,
                         max_rows=max_rows)
    problems, notices, frame = list(reading.problems), list(reading.notices), reading.frame
    if not frame.empty:
        key = TABLES[kind].key[0]
        if not member_of(frame[key].astype(str), known).all():  # names read only when some id is unknown
            header = reading.headers.get(key, TABLES[kind].column(key).zh)
            places = place_districts(engine, kind)
            frame, matched, ambiguous = ids_by_name(frame, kind, known, places, file_name, header, reading.districts)
            if matched:
                notices.append(t("check_matched_by_name", count=matched))
            named = {p.row for p in ambiguous}
            problems += ambiguous + [p for p in _unknown_ids(kind, frame, known, places, file_name, header)
                                     if p.row not in named]
            if reading.districts is not None:  # rows kept apart by their districts that name one place after all
                twice = frame.duplicated(list(TABLES[kind].key), keep="first") & frame[key].notna()
                problems += [Problem.of(file_name, int(row), header, frame.at[row, key],
                                        "rule_multiple_fields_uniqueness", header=header, value=frame.at[row, key],
                                        key=" / ".join(str(frame.at[row, k]) for k in TABLES[kind].key))
                             for row in frame.index[twice]]
    return frame, problems, notices, list(reading.headers)


def names_not_matching(frame: pd.DataFrame, kind: str, places: pd.DataFrame,
                       file_name: str) -> tuple[list[Problem], list[Text]]:
    """Rows whose place name is not the name of the place their id names (the id decides where they go).

    A row naming *another* stored place was likely typed on the wrong line: a warning to confirm. Any other
    difference (a short name, a typo) is said once, with the first rows.

    >>> places = pd.DataFrame({"id": ["0501", "0502"], "name": ["金桂花园", "温泉名城"]})
    >>> rows = pd.DataFrame({"compound_id": ["0501", "0502"], "compound_name": ["金桂", "金桂花园"]}, index=[2, 3])
    >>> warnings, notices = names_not_matching(rows, "compound_status", places, "f.csv")
    >>> [(w.row, w.zh) for w in warnings]
    [(3, '编号 0502 是“温泉名城”，这一行却写作“金桂花园”：这一行将记在“温泉名城”名下，请核实后确认。')]
    >>> notices[0].zh
    '1 行的名称与编号对应的场所不同（以编号为准）：第 2 行 0501 写作“金桂”，地图上是“金桂花园”。'
    """
    key, name = TABLES[kind].key[0], TABLES[kind].place_name
    if not name or name not in frame or name == key or frame[name].isna().all() or places.empty:
        return [], []
    stored = places.assign(id=places["id"].astype(str)).drop_duplicates("id").set_index("id")["name"]
    written = frame[name].astype("string").str.strip()
    expected = frame[key].astype(str).map(stored).astype("string").str.strip()
    differ = (written.notna() & expected.notna() & (written != expected)).fillna(False).astype(bool)
    another = differ.copy()  # looked up for the rows that differ only: 5 s of a million rows' check otherwise
    if differ.any():
        another[differ] = written[differ].isin(set(stored.astype("string").str.strip().dropna()))
    warnings = [Problem.of(file_name, row, TABLES[kind].column(name).zh, written[row], "check_name_differs",
                           key=frame.at[row, key], written=written[row], stored=expected[row])
                for row in frame.index[another]]
    other = differ & ~another
    if not other.any():
        return warnings, []
    examples = listing([t("check_name_example", row=row, key=frame.at[row, key], written=written[row],
                          stored=expected[row]) for row in frame.index[other][:3]])
    return warnings, [t("check_names_differ", count=int(other.sum()), examples=examples)]


def unique_names(engine: Engine, kind: str) -> dict[str, str]:
    """Name to id of the stored places of layer ``kind`` whose name no other place has."""
    places = store.place_names(engine, kind)
    names = places["name"].astype("string").str.strip()
    once = ~names.duplicated(keep=False) & names.notna()
    return dict(zip(names[once], places.loc[once, "id"].astype(str)))


def _list_notices(kind: str, read: dict) -> list[Text]:
    """What reading a list of places decided for the person: the columns, the order, the ids, the rows left out."""
    said = listing([t("points_role", role=role_text(kind, role), header=header)
                    for role, header in read.get("columns", {}).items()])
    notices = [t("points_columns_by_values" if read.get("found_by_values") else "points_columns", roles=said)]
    if read.get("swapped"):
        notices.append(t("points_swapped"))
    if read.get("ids_made"):
        notices.append(t("points_ids_made", count=len(read.get("feature_numbers", [])), table=TABLES[kind].text))
    notices += [t("read_totals_row", row=row) for row in read.get("totals", [])]
    used = set(read.get("columns", {}).values())
    unused = [h for h in read.get("headers", []) if h and h not in used]
    if unused:  # as a daily report says of its extra columns: nothing is dropped without a word
        notices.append(t("read_unknown_columns", columns=listing(unused[:8])))
    return notices


def _repeat_notice(kind: str, frame: pd.DataFrame, known: dict[str, str]) -> list[Text]:
    """The names a list without ids gives more than once (numbered as different places): often a place listed
    twice, which the person should know before it becomes two places on the map."""
    if not frame.attrs.get("ids_made"):
        return []
    groups = repeated_places(frame["name"], id_context(frame), known)
    if not groups:
        return []
    numbers = frame.attrs.get("feature_numbers") or list(range(1, len(frame) + 1))
    wording = "points_rows" if "columns" in frame.attrs else "points_features"
    shown = [t("points_repeated_group", name=str(frame["name"].iloc[g[0]]).strip()[:40],
               where=t(wording, rows=listing([str(numbers[i]) for i in g[:6]] + (["…"] if len(g) > 6 else []))))
             for g in groups[:5]]
    return [t("points_repeated_names", count=len(groups), table=TABLES[kind].text,
              groups=listing(shown + (["…"] if len(groups) > 5 else [])))]


def _unplaced_notice(kind: str, frame: pd.DataFrame, read: dict) -> list[Text]:
    """The places of a list that will have no position (待定位), or a list that gives none at all (zones)."""
    numbers = read.get("feature_numbers") or list(range(1, len(frame) + 1))
    missing = frame.geometry.isna().to_numpy().copy()
    if "unplaced" in read:  # a list: a row whose position is not understood is refused above, not left to place
        blank = set(read["unplaced"])
        missing &= np.array([number in blank for number in numbers], dtype=bool)
    unplaced = np.flatnonzero(missing)
    if not len(unplaced):
        return []
    if len(unplaced) == len(frame) and TABLES[kind].listed and not has_coordinates(read.get("columns", {})):
        return [t("points_listed", count=len(frame), table=TABLES[kind].text)]
    rows = [str(numbers[i]) for i in unplaced[:10]] + (["…"] if len(unplaced) > 10 else [])
    where = t("points_rows" if "columns" in read else "points_features", rows=listing(rows))
    return [t("points_unplaced", count=len(unplaced), where=where)]


def _read_places_or_layer(engine: Engine, kind: str, content: bytes, file_name: str, sheet, columns,
                          max_rows: int) -> tuple:
    """A list (CSV, .xlsx) or a GeoJSON layer, read; the parsed GeoJSON for its ``crs`` member; notices."""
    if is_table(content):
        known = unique_names(engine, kind)
        frame, problems = read_places(content, kind, name=file_name, sheet=sheet, columns=columns, known=known,
                                      max_rows=max_rows)
        notices = _list_notices(kind, frame.attrs) + _repeat_notice(kind, frame, known) if not frame.empty else []
        return frame, problems, notices, {}
    frame, problems = read_layer(content, kind, name=file_name, without_ids=True, max_rows=max_rows)
    made = []
    if frame.attrs.get("ids_missing") and not frame.empty:  # no feature has an id: made as for a list without ids
        known = unique_names(engine, kind)  # the store's names only when ids are to be made
        frame = make_layer_ids(frame, kind, known)
        frame.attrs.update(ids_made=True, present=["id", *frame.attrs.get("present", [])])
        made = [t("points_ids_made_layer", count=len(frame), table=TABLES[kind].text),
                *_repeat_notice(kind, frame, known)]
    try:
        collection = json.loads(decode(content))
    except ValueError:
        collection = {}
    collection = collection if isinstance(collection, dict) else {}
    frame.attrs["datum_hint"] = crs.platform_hint(collection)
    # shapes repaired or skipped, ids taken from the file's own identifiers, or made
    return frame, problems, made + list(frame.attrs.get("notices", [])), collection


def _outlines_by_position(frame: pd.DataFrame, reference: pd.DataFrame, numbers) -> tuple[pd.DataFrame, list[Text]]:
    """The file's polygons that each contain one stored point, with that place's id; and what was set aside."""
    matched = match_outlines(frame, reference, numbers)
    positions = sorted(matched.ids)
    kept = frame.iloc[positions].copy()
    kept["id"] = [matched.ids[p] for p in positions]
    numbers = numbers or list(range(1, len(frame) + 1))
    kept.attrs["numbers"] = [numbers[p] for p in positions]
    notices = [t("outlines_matched", count=len(positions))]
    if matched.empty:
        notices.append(t("outlines_empty", count=len(matched.empty), features=ranges(matched.empty)))
    for number, ids in matched.crowded.items():
        notices.append(t("outlines_crowded", number=number, count=len(ids), places=listing(ids[:5])))
    for place, features in matched.claimed.items():
        notices.append(t("outlines_claimed", place=place, features=ranges(features)))
    return kept.reset_index(drop=True), notices


def _datum_hint(engine: Engine, kind: str, said: tuple | None) -> tuple[str, Text] | None:
    """The likely datum when nothing stored matches: what the file says of itself (a word, or a platform's
    properties), else the city's last import's."""
    if said:
        datum, word, *platform = said
        return datum, t("points_datum_platform" if platform else "points_datum_hint", word=word,
                        platform=platform[0] if platform else "", datum=crs.datum_name(datum))
    remembered = store.last_datum(engine, kind)
    if remembered in crs.DATUMS:
        return remembered, t("datum_remembered", datum=crs.datum_name(remembered))
    return None


class Stored(NamedTuple):
    """What the store holds now of an upload's layer and of the zones, read once for all the checks of a file."""

    places: pd.DataFrame
    zones: pd.DataFrame
    ids: set[str]  # the places' ids as texts (a million of them made into a set took 0.7 s)


def _layer_reading(engine: Engine, kind: str, content: bytes, file_name: str, datum: str | None, sheet=None,
                   columns=None, outlines: bool = False, max_rows: int = MAX_ROWS) -> tuple:
    frame, problems, notices, collection = _read_places_or_layer(engine, kind, content, file_name, sheet, columns,
                                                                 max_rows)
    read = dict(frame.attrs)
    if problems and frame.empty:
        return frame, problems, notices, None, None
    # pandas deep-copies attrs on every operation: a list per feature cost 10,000 places 20 s
    frame.attrs = {"present": read.get("present", [])}
    reference = store.current(engine, kind)
    stored_ids = text_set(reference["id"]) if len(reference) else set()
    frame = _keep_stored_where_not_carried(frame, reference, read.get("carried"))
    zones = store.current(engine, "zones")
    area = shapely.union_all(zones.geometry.to_numpy()) if len(zones) else None
    placed = frame.geometry.notna().to_numpy()
    # the datum check sees only the placed rows; the person counts every row (a list) or feature (GeoJSON)
    numbers = np.asarray(read.get("feature_numbers") or np.arange(1, len(frame) + 1))[placed]
    # ids the program made are unknown to the person: the problems name the place by its name instead
    name_column = TABLES[kind].place_name if read.get("ids_made") else None
    resolved, crs_problems, crs_notices = crs.resolve_datum(
        collection, dict(zip(frame["id"].astype(str)[placed], frame.geometry[placed])),
        reference_geoms=dict(zip(reference["id"].astype(str), reference.geometry)) if len(reference) else None,
        area=area, chosen=datum, source_name=file_name, hint=_datum_hint(engine, kind, read.get("datum_hint")),
        numbers=numbers, by_row=is_table(content),
        names=frame[name_column].to_numpy()[placed] if name_column in frame else None)
    problems += crs_problems
    if not placed.any():  # a list without positions (zones by name): nothing to convert or to compare
        resolved, crs_problems, crs_notices = None, [], []
        frame = keep_positions(frame, reference)  # and nothing to move: the stored places keep theirs
    notices += crs_notices
    if resolved and not crs_problems:
        # the file's own stored places told the datum: that the others are too far to tell is then no news
        known = bool(len(reference)) and member_of(frame["id"].astype(str).to_numpy()[placed], stored_ids).any()
        doubt, evidence = datum_doubt_warning(engine, kind, frame, resolved, zones, file_name, said_by_own=known)
        read["datum_doubt"] = doubt
        read["datum_unconfirmed"] = evidence == t("datum_reason_undecided")
        # what the page's datum box shows: the other datum the city's places point to, else how this one was found
        read["likely_datum"] = doubt.value if doubt is not None else resolved
        if doubt is not None:
            read["datum_reason"] = evidence
        else:  # how the datum was found (or that it was chosen), and that the city agrees
            read["datum_basis"] = crs_notices[-1] if datum is None and crs_notices else t("datum_reason_chosen")
            read["datum_reason"] = read["datum_basis"] if evidence is None else join(
                [read["datum_basis"], evidence], Text("", " "))
        frame = frame.set_geometry(list(crs.to_wgs84(frame.geometry.to_numpy(), resolved)), crs="EPSG:4326")
        frame = keep_positions(frame, reference)
        if "columns" in read:  # a list of places: its points do not replace the outlines they fall in
            frame, kept = keep_outlines(frame, reference)
            if kept:
                notices.append(t("points_outlines_kept", count=kept))
        elif outlines:  # outlines for stored points, matched by position: the file's ids and names are not ours
            frame, outline_notices = _outlines_by_position(frame, reference, read.get("feature_numbers"))
            notices += outline_notices
            read.update(present=["id"], feature_numbers=frame.attrs.pop("numbers"), carried=None)
            problems = [p for p in problems if p.row is None]  # the features set aside are not imported
    wrong = ~frame.geometry.geom_type.isin(TABLES[kind].accepts) & frame.geometry.notna()
    numbers = read.get("feature_numbers") or list(range(1, len(frame) + 1))
    for position, (fid, gtype) in enumerate(zip(frame["id"], frame.geometry.geom_type)):
        if wrong.iloc[position]:
            expected = t("check_shape_point" if TABLES[kind].accepts == ("Point",) else
                         "check_shape_polygon_or_point" if TABLES[kind].points else "check_shape_polygon")
            problems.append(Problem.of(file_name, numbers[position], "geometry", str(fid), "check_wrong_shape",
                                       fid=fid, gtype=t(f"gtype_{gtype}"), table=TABLES[kind].text, expected=expected))
    notices += _unplaced_notice(kind, frame, read)
    frame, zone_notices = zones_by_name(frame, zones)
    notices += zone_notices
    frame.attrs.update(read)
    return frame, problems, notices, resolved, Stored(reference, zones, stored_ids)


def _other_places(engine: Engine, kind: str, ids: set[str]) -> list:
    """The stored places (WGS-84) of every layer but the zones, except the upload's own ids of its own layer."""
    shapes = []
    for layer in (k for k in TABLES if TABLES[k].geometry and k != "zones"):
        stored = store.current(engine, layer)
        if layer == kind and len(stored):
            stored = stored.loc[~stored["id"].astype(str).isin(ids)]
        shapes += [g for g in stored.geometry if g is not None]
    return shapes


def datum_doubt_warning(engine: Engine, kind: str, frame: pd.DataFrame, read: str, zones: pd.DataFrame,
                        file_name: str, said_by_own: bool = False) -> tuple[Problem | None, Text | None]:
    """A warning when the upload, as read in datum ``read``, sits off the city's other places and zones in a way
    another datum explains (a list picked on Amap read as WGS-84): see :func:`geo.io.datum_guess.datum_doubt`.

    ``frame`` holds the positions as read (not yet converted). Zones are compared with the places in them, not
    with a zones file itself. Returns the warning and the figures that make the other datum likely; else no
    warning, and a sentence saying the positions fit the city, or that the city cannot tell (None when there was
    nothing to compare with, or it cannot tell but the file's own stored places told the datum: ``said_by_own``).
    """
    placed = frame.geometry.notna().to_numpy()
    if not placed.any():
        return None, None
    shapes = zones.loc[zones.geometry.notna()] if kind != "zones" and len(zones) else zones.iloc[0:0]
    own = None
    if "zone" in frame and len(shapes):
        position = {str(z): i for i, z in enumerate(shapes["id"])}
        named = store.zones_named(frame.loc[placed, ["id", "zone"]], shapes)["zone"]
        own = [position.get(str(z).strip(), -1) if pd.notna(z) else -1 for z in named]
    others = _other_places(engine, kind, set(frame["id"].astype(str)))
    doubt, confirmed = crs.datum_compared(frame.geometry[placed].to_numpy(), read, places=others,
                                          zones=shapes.geometry.to_numpy() if len(shapes) else (), own_zone=own)
    if doubt is None:  # said by the datum box: in place, too far from the rest to tell, or nothing to compare with
        return None, None if confirmed is None or not confirmed and said_by_own else t(
            "datum_reason_no_offset" if confirmed else "datum_reason_undecided")
    found, as_read = crs.SHORT_NAMES[doubt.datum], crs.SHORT_NAMES[read]
    evidence = []
    if doubt.by_zones:
        evidence.append(t("check_datum_doubt_zones", found=found, share=doubt.inside, read=as_read,
                          share_read=doubt.inside_read))
    if doubt.by_places:
        evidence.append(t("check_datum_doubt_places", found=found, metres=doubt.metres, read=as_read,
                          metres_read=doubt.metres_read))
    figures = join(evidence, t("evidence_separator"))
    return Problem.of(file_name, None, POSITION, doubt.datum, "check_datum_doubt", count=doubt.count,
                      read=crs.datum_name(read), found=crs.datum_name(doubt.datum), evidence=figures,
                      code=doubt.datum, code_name=found), figures


def _row(numbers: list[int] | None, position: int) -> int:
    """The file's row (or feature) number of the frame's ``position``."""
    return numbers[position] if numbers and position < len(numbers) else position + 1


def place_text(fid, name) -> Text:
    """A place as a warning names it: by its name and id, or by its id alone when it has no name.

    >>> place_text("GD-1", " 六岭三期 ").zh, place_text("GD-2", None).zh
    ('“六岭三期”（编号 GD-1）', '编号 GD-2 的场所')
    """
    name = str(name).strip() if pd.notna(name) else ""
    return t("place_named", name=name, fid=str(fid)) if name else t("place_numbered", fid=str(fid))


def _said_of(numbers: list[int] | None, count: int, said: frozenset[int]) -> np.ndarray:
    """Which of ``count`` positions are the file's rows (or features) in ``said``, numbered as :func:`_row` says.

    >>> _said_of([2, 5, 7], 3, frozenset({5})).tolist(), _said_of(None, 3, frozenset({1})).tolist()
    ([False, True, False], [True, False, False])
    """
    rows = np.arange(1, count + 1)
    if numbers:
        rows[:len(numbers)] = np.asarray(numbers)[:count]
    return np.isin(rows, list(said))


def _km(metres: float) -> str:
    """A distance as said in a warning: whole kilometres from ten, one decimal below."""
    return f"{metres / 1000:,.0f}" if metres >= 10_000 else f"{metres / 1000:,.1f}"


def _ids_of_other_kinds(engine: Engine, kind: str, frame: pd.DataFrame, numbers: list[int] | None,
                        file_name: str) -> list[Problem]:
    """A place whose id is already another kind's: its reports and supplies would be counted twice.

    Only the layers whose places report are compared (zones are not: their ids name no report).
    """
    reported = {layer for k in kinds.KINDS.values() if k.report for layer in k.place_layers}
    if kind not in reported:
        return []
    ids = frame["id"].astype(str)
    problems = []
    for other in sorted(reported - {kind}):
        taken = member_of(ids, store.place_ids(engine, other))
        for position in np.flatnonzero(np.asarray(taken)):
            problems.append(Problem.of(file_name, _row(numbers, position), "id", ids.iloc[position], "check_id_of_other_kind",
                                       fid=ids.iloc[position], other=TABLES[other].text))
    return problems


def position_column(columns: dict[str, str] | None) -> str:
    """The column a position's problem names: a list's own coordinate headers, else :data:`POSITION`.

    >>> position_column({"name": "工地名称", "lat": "纬度", "lon": "经度"}), position_column(None)
    ('经度/纬度', '位置')
    >>> position_column({"lonlat": "坐标"})
    '坐标'
    """
    columns = columns or {}
    if PAIR in columns:
        return columns[PAIR]
    return "/".join(columns[role] for role in (LON, LAT) if role in columns) or POSITION
#: A new place farther than this from the middle of the city's others is likely in another town (or mistyped).
FAR_FROM_THE_REST_M = 100_000.0


def far_from_the_rest(frame: pd.DataFrame, reference: pd.DataFrame, numbers: list[int] | None,
                      file_name: str, limit_m: float = FAR_FROM_THE_REST_M, column: str = POSITION) -> list[Problem]:
    """Places of the upload far from the middle of all the others (the file's and the stored ones'): a row of
    another city, or a mistyped coordinate, is a warning the person confirms.

    >>> from shapely import Point
    >>> new = pd.DataFrame({"id": [f"C{i}" for i in range(6)],
    ...                     "geometry": [Point(101.5 + i / 100, 25.0) for i in range(5)] + [Point(116.4, 39.9)]})
    >>> [(w.row, w.value) for w in far_from_the_rest(new, new.iloc[0:0], None, "f.csv")]
    [(6, 'C5')]
    """
    placed = frame.geometry.notna().to_numpy()
    ids = frame["id"].astype(str)
    others = reference.loc[~member_of(reference["id"].astype(str), set(ids)) & reference.geometry.notna().to_numpy()] \
        if len(reference) else reference
    shapes = [*np.asarray(frame.geometry, dtype=object)[placed], *np.asarray(others.geometry, dtype=object)]
    if len(shapes) < 5:  # too few to tell the middle of a city
        return []
    xy = shapely.get_coordinates(shapely.point_on_surface(np.asarray(shapes, dtype=object)))
    middle = np.median(xy, axis=0)
    distance = metres_between(xy, np.repeat([middle], len(xy), axis=0))
    limit = max(limit_m, 10 * float(np.median(distance)))  # a province's list spreads wider than a city's
    warnings = []
    for position, metres in zip(np.flatnonzero(placed), distance[:int(placed.sum())]):
        if metres > limit:
            warnings.append(Problem.of(file_name, _row(numbers, position), column, ids.iloc[position],
                                       "check_far_from_rest", fid=ids.iloc[position], km=f"{metres / 1000:,.0f}"))
    return warnings


def moved_metres(frame: pd.DataFrame, reference: pd.DataFrame) -> np.ndarray:
    """How far each place of ``frame`` moves from its stored position in ``reference`` (its last row of the
    id); NaN for a new place, or one placed neither before nor now (待定位: no distance to tell).

    >>> from shapely import Point
    >>> new = pd.DataFrame({"id": ["S1", "S2", "S3"], "geometry": [Point(114.3, 29.8), Point(114.3, 29.81), None]})
    >>> old = pd.DataFrame({"id": ["S1", "S2"], "geometry": [Point(114.3, 29.8), Point(114.3, 29.8)]})
    >>> moved_metres(new, old).round().tolist()
    [0.0, 1112.0, nan]
    """
    moved = np.full(len(frame), np.nan)
    if reference.empty or frame.empty:
        return moved
    # by positions in an index: Series.isin over a million Arrow strings took 5 s
    stored = pd.Index(reference["id"].astype(str).to_numpy(dtype=object))
    last = ~stored.duplicated(keep="last")
    stored_shapes = np.asarray(reference.geometry, dtype=object)[last]
    at = pd.Index(stored[last]).get_indexer(frame["id"].astype(str).to_numpy(dtype=object))
    shapes = np.asarray(frame.geometry, dtype=object)
    known = (at >= 0) & pd.notna(shapes)
    known[known] = pd.notna(stored_shapes[at[known]])
    if known.any():
        here, there = (shapely.get_coordinates(shapely.point_on_surface(s))
                       for s in (shapes[known], stored_shapes[at[known]]))
        moved[known] = metres_between(here, there)
    return moved


#: A place farther than this outside every zone of the city is likely mistyped ("北纬29度" for 29°51′).
FAR_FROM_EVERY_ZONE_M = 10_000.0


def far_from_every_zone(frame: pd.DataFrame, moved: np.ndarray, zones: pd.DataFrame,
                        numbers: list[int] | None, file_name: str, limit_m: float = FAR_FROM_EVERY_ZONE_M,
                        said: frozenset[int] = frozenset(), column: str = POSITION) -> list[Problem]:
    """Places the upload puts more than ``limit_m`` metres outside every zone of the city: warnings to confirm.

    Only a new place, or a stored one ``moved`` (see :func:`moved_metres`) farther than ``limit_m``, is checked,
    so that a place long kept outside the zones is not said again at every upload; rows in ``said`` were
    warned of already.

    >>> from shapely import Point, box
    >>> zones = pd.DataFrame({"id": ["Z1"], "name": ["浮山片区"], "geometry": [box(114.2, 29.8, 114.4, 29.9)]})
    >>> new = pd.DataFrame({"id": ["S1", "S2"], "geometry": [Point(114.3, 29.85), Point(114.3, 29.0)]})
    >>> [(w.row, w.value, w.zh[:38]) for w in far_from_every_zone(new, np.full(2, np.nan), zones, [2, 3], "f.csv")]
    [(3, 'S2', '编号 S2 的场所在本市所有网格片区之外，离最近的“浮山片区”约 89 公里')]
    """
    shapes = zones.loc[zones.geometry.notna()] if len(zones) else zones
    # moved less than the limit, it cannot have left the zones by more: it stood outside them already
    placed = np.array(frame.geometry.notna(), dtype=bool) & ~(moved < limit_m)
    placed &= ~_said_of(numbers, len(frame), said)
    if shapes.empty or not placed.any():
        return []
    points = shapely.point_on_surface(np.asarray(frame.geometry, dtype=object)[placed])
    outlines = np.asarray(shapes.geometry, dtype=object)
    tree = shapely.STRtree(outlines)
    inside = np.zeros(len(points), bool)
    inside[np.unique(tree.query(points, predicate="intersects")[0])] = True
    outside = np.flatnonzero(~inside)
    if not len(outside):
        return []
    which, nearest = tree.query_nearest(points[outside], all_matches=False)
    ends = shapely.get_coordinates(shapely.shortest_line(points[outside][which], outlines[nearest])).reshape(-1, 2, 2)
    ids = frame["id"].astype(str)
    warnings = []
    for position, zone, distance in zip(np.flatnonzero(placed)[outside][which], nearest,
                                        metres_between(ends[:, 0], ends[:, 1])):
        if distance > limit_m:
            name = frame["name"].iloc[position] if "name" in frame else None
            place = place_text(ids.iloc[position], name)
            warnings.append(Problem.of(file_name, _row(numbers, position), column, ids.iloc[position],
                                       "check_far_from_zones", place=place, zone=str(shapes["name"].iloc[zone]),
                                       km=_km(distance)))
    return warnings


#: A new polygon that shares this much of its area with a stored place's (over their union) is that place again.
SAME_PLACE_OVERLAP = 0.8


def repeats_stored_places(frame: pd.DataFrame, stored: pd.DataFrame, numbers: list[int] | None, file_name: str,
                          said: frozenset[int] = frozenset(), column: str = POSITION,
                          stored_ids: set[str] | None = None) -> list[Problem]:
    """New places of an upload that look like places already stored under another id: warnings to confirm.

    A new place is one whose id is not stored. It repeats a stored place when it has the stored place's name (and
    lies within :data:`SAME_NAME_NEAR_M` of it: names repeat across counties), or
    when its shape is the stored one's (polygons sharing :data:`SAME_PLACE_OVERLAP` of their area) or lies in it
    (a point in a stored outline): a district's zones exported again from DataV, or a list picked on Amap whose
    names differ ("学府豪庭小区" for "学府豪庭") would otherwise be stored twice. Rows in ``said`` were warned of.

    >>> from shapely import Point, box
    >>> old = pd.DataFrame({"id": ["Z1"], "name": ["温泉片区"], "geometry": [box(0, 0, 0.01, 0.01)]})
    >>> new = pd.DataFrame({"id": ["Z1", "421202", "N2", "N3", "N4"],
    ...                     "name": ["温泉片区", "温泉片区", "别处", "学府", "远处"],
    ...                     "geometry": [box(0, 0, 0.01, 0.01), box(0.005, 0.005, 0.015, 0.015),
    ...                                  box(0, 0, 0.01, 0.011), Point(0.005, 0.005), box(0, 0, 0.03, 0.03)]})
    >>> [(w.row, w.value) for w in repeats_stored_places(new, old, [2, 3, 4, 5, 6], "f.geojson")]
    [(3, '421202'), (4, 'N2'), (5, 'N3')]
    """
    if stored.empty or frame.empty:
        return []
    ids = frame["id"].astype(str)
    new = ~member_of(ids, text_set(stored["id"]) if stored_ids is None else stored_ids)
    new &= ~_said_of(numbers, len(frame), said)
    if not new.any():
        return []
    names = stored["name"].astype("string").str.strip() if "name" in stored else pd.Series(pd.NA, index=stored.index)
    positions = np.flatnonzero(new)
    given = frame["name"].astype("string").str.strip().to_numpy(dtype=object)[positions] if "name" in frame else \
        np.full(len(positions), None)
    # only the stored places that have a new place's name: a million stored names made into a mapping took 1.8 s
    named = member_of(names, text_set(given))
    by_name = {name: (fid, shape) for name, fid, shape in zip(
        names[named], stored["id"].to_numpy(dtype=object)[named].astype(str), stored.geometry.to_numpy()[named])}
    shapes = frame.geometry.to_numpy()[positions]
    twins = {p: place_text(by_name[n][0], n) for p, n, shape in zip(positions, given, shapes)
             if pd.notna(n) and n in by_name and _near(shape, by_name[n][1])}
    twins |= {int(positions[p]): twin for p, twin in stored_twins(frame.geometry.to_numpy()[positions], stored,
                                                                   names).items() if positions[p] not in twins}
    warnings = []
    for position in sorted(twins):
        place = place_text(ids.iloc[position], given[np.searchsorted(positions, position)])
        warnings.append(Problem.of(file_name, _row(numbers, position), column, ids.iloc[position],
                                   "check_repeats_stored", place=place, twin=twins[position]))
    return warnings


#: Two places of one name farther apart than this are two places (a 金桂花园 in each of two counties).
SAME_NAME_NEAR_M = 2_000.0


def _near(one, other, limit_m: float = SAME_NAME_NEAR_M) -> bool:
    """Whether two shapes lie within ``limit_m`` metres of each other (no shape: cannot be said, so not near)."""
    if one is None or other is None or pd.isna(one) or pd.isna(other) or one.is_empty or other.is_empty:
        return False
    ends = shapely.get_coordinates(shapely.shortest_line(one, other)).reshape(-1, 2, 2)
    return bool(metres_between(ends[:, 0], ends[:, 1])[0] <= limit_m)


def stored_twins(shapes: np.ndarray, stored: pd.DataFrame, names: pd.Series) -> dict[int, Text]:
    """For each of ``shapes`` (by position) that lies in a stored outline (a point) or mostly shares its area with
    one (a polygon: :data:`SAME_PLACE_OVERLAP`), that stored place, named. All at once: a nation's new places."""
    outlines = np.asarray(stored.geometry, dtype=object)
    polygon = pd.notna(outlines) & np.isin(shapely.get_type_id(outlines), (3, 6))  # what holds what lies in it
    shapes = np.asarray(shapes, dtype=object)
    present = np.flatnonzero(pd.notna(shapes))
    if not polygon.any() or not len(present):
        return {}
    outlines, ids, names = outlines[polygon], stored["id"].astype(str).to_numpy()[polygon], names.to_numpy()[polygon]
    which, found = shapely.STRtree(outlines).query(shapes[present], predicate="intersects")
    mine, theirs = shapes[present][which], outlines[found]
    areal = np.isin(shapely.get_type_id(mine), (3, 6))
    same = np.zeros(len(which), dtype=bool)
    if areal.any():
        union = shapely.area(shapely.union(mine[areal], theirs[areal]))
        shared = shapely.area(shapely.intersection(mine[areal], theirs[areal]))
        same[areal] = (union > 0) & (shared >= SAME_PLACE_OVERLAP * union)
    same[~areal] = shapely.contains(theirs[~areal], shapely.point_on_surface(mine[~areal]))
    twins: dict[int, Text] = {}
    for position, other in zip(present[which[same]], found[same]):
        if position not in twins:
            twins[int(position)] = place_text(ids[other], names[other])
    return twins


def far_moves(frame: pd.DataFrame, moved: np.ndarray, limit_m: float, numbers: list[int] | None,
              file_name: str, column: str = POSITION) -> list[Problem]:
    """Stored places the upload would move farther than ``limit_m`` metres (``moved``, see
    :func:`moved_metres`): warnings the person confirms.

    >>> from shapely import Point
    >>> new = pd.DataFrame({"id": ["S1", "S2"], "geometry": [Point(114.3, 29.8), Point(104.1, 30.6)]})
    >>> old = pd.DataFrame({"id": ["S1", "S2"], "geometry": [Point(114.3, 29.8), Point(114.3, 29.8)]})
    >>> [(w.row, w.value, w.zh[:22]) for w in far_moves(new, moved_metres(new, old), 5000, [2, 3], "f.csv")]
    [(3, 'S2', '编号 S2 的位置将移动 984 公里，超过')]
    """
    ids = frame["id"].astype(str)
    return [Problem.of(file_name, _row(numbers, position), column, ids.iloc[position], "check_far_move",
                       fid=ids.iloc[position], km=_km(moved[position]), limit=f"{limit_m / 1000:g}")
            for position in np.flatnonzero(moved > limit_m)]


def check_file(engine: Engine, kind: str, content: bytes, file_name: str, sheet=None, datum: str | None = None,
               max_bytes: int | None = None, thresholds: Thresholds = Thresholds(),
               columns: dict[str, str] | None = None, max_move_m: float = 5000.0,
               match_by_position: bool = False, today: datetime.date | None = None,
               max_gap_days: int = 30, replace: bool = False, keep_reports: bool = False,
               max_rows: int = MAX_ROWS) -> Check:
    """Read and check an upload, and work out what it would change. Stores nothing.

    A layer may come as GeoJSON or as a list of places (CSV, .xlsx) with coordinate columns; for a
    list, ``columns`` (role to header, see :func:`geo.io.points.read_places`) corrects the columns
    found by their headers. With ``match_by_position``, a GeoJSON's polygons are outlines for the stored
    points they contain (see :mod:`geo.upload.outlines`): no place is added, only shapes change.
    A daily report dated after ``today`` (the calendar day) or more than ``max_gap_days`` after the newest
    stored report is a warning to confirm (see :func:`date_warnings`). ``replace`` (a layer only, not with
    ``match_by_position``): the file is the whole layer, and the stored places it lacks would be retired.
    A daily report's row that would replace a report made from a phone (the report page) is a warning to
    confirm, naming whose report of what time it replaces; with ``keep_reports`` such rows are left out
    instead and the phone reports stay (see :func:`replaced_phone_reports`). A file of more than ``max_rows`` rows
    or features is refused before it is parsed (the setting ``upload_max_rows``).
    """
    if replace and (not TABLES[kind].geometry or match_by_position):
        raise ValueError(f"only a layer's own file can replace it whole, not {kind!r} (or outlines by position)")
    if kind not in TABLES:
        raise ValueError(f"unknown table kind {kind!r}")
    if max_bytes is not None and len(content) > max_bytes:
        return Check(kind, file_name, content, pd.DataFrame(), [_file_problem(
            file_name, t("check_too_big", size=len(content) / 1e6, limit=max_bytes / 1e6))])
    if not content.strip():
        return Check(kind, file_name, content, pd.DataFrame(), [_file_problem(file_name, t("read_empty"))])
    resolved, present, numbers, read = None, None, None, {}
    if TABLES[kind].geometry:
        frame, problems, notices, resolved, stored = _layer_reading(
            engine, kind, content, file_name, datum, sheet, columns, match_by_position, max_rows)
        read = dict(frame.attrs)
        present, numbers = read.get("present"), read.get("feature_numbers")
        frame.attrs = {}  # read: not to be deep-copied by every step of the preview
        if replace and read.get("skipped_ids") and stored is not None:
            frame, numbers, kept = keep_skipped_places(frame, numbers, stored.places, read["skipped_ids"])
            notices += [t("replace_keeps_skipped", count=len(kept), places=listing(kept[:5]))] if kept else []
    else:
        # read once for the ids, the names and the dates' checks: a million places' ids and names took 4 s a read
        newest, places = store.newest_report_date(engine), _places(engine, kind)
        known = text_set(places["id"])
        frame, problems, notices, present = _status_reading(engine, kind, content, file_name, sheet, max_rows,
                                                            newest, known)
    problems = sorted(problems, key=_file_first)
    result = Check(kind, file_name, content, frame, problems, notices, datum=resolved, present=present,
                   columns=read.get("columns"), headers=read.get("headers"), rows=numbers,
                   ids_made=bool(read.get("ids_made")), replace=replace, likely_datum=read.get("likely_datum"),
                   datum_reason=read.get("datum_reason"), datum_unconfirmed=bool(read.get("datum_unconfirmed")),
                   max_rows=max_rows)
    if frame.empty and not problems:
        result.problems.append(_file_problem(file_name, t("check_no_rows")))
    if result.ok and not TABLES[kind].geometry:
        named_wrong, name_notices = names_not_matching(frame, kind, places, file_name)
        result.warnings = date_warnings(kind, frame, newest,
                                        today or datetime.date.today(), file_name, max_gap_days) + named_wrong
        result.notices += name_notices
    if result.ok and TABLES[kind].geometry:
        result.problems += _ids_of_other_kinds(engine, kind, frame, numbers, file_name)
        doubt = [read["datum_doubt"]] if read.get("datum_doubt") is not None else []
        moved, column = moved_metres(frame, stored.places), position_column(read.get("columns"))
        far = far_moves(frame, moved, max_move_m, numbers, file_name, column) + far_from_the_rest(
            frame, stored.places, numbers, file_name, column=column)
        outside = [] if kind == "zones" else far_from_every_zone(
            frame, moved, stored.zones, numbers, file_name, said=frozenset(w.row for w in far), column=column)
        repeated = repeats_stored_places(frame, stored.places, numbers, file_name, column=column,
                                         said=frozenset(w.row for w in far + outside), stored_ids=stored.ids)
        result.warnings = doubt + far + outside + repeated
        if (far or outside) and "datum_basis" in read:
            result.datum_reason = read["datum_basis"]  # "no clear offset" beside a place far off reads as all clear
            result.datum_unconfirmed = False
    if result.ok:  # a partial file keeps the stored values of the columns it lacks
        result.compared = store.compare(engine, kind, frame, present, replace)
        result.frame, result.delta, result.fields = (result.compared.frame, result.compared.delta,
                                                     result.compared.fields)
        if not TABLES[kind].geometry:
            result = _phone_reports(engine, result, keep_reports)
        retired = len(result.compared.retired)
        if replace and retired and retired >= len(result.frame):  # half the layer would go: not on a stray tick
            result.warnings.append(Problem.of(file_name, None, None, None, "check_replace_retires_most",
                                              count=retired, rows=len(result.frame), table=TABLES[kind].text))
        result.problems += _blank_required(kind, result.frame, numbers, file_name, by_row=not result.by_feature,
                                           ids_made=result.ids_made)
    elif TABLES[kind].geometry and not frame.empty:
        # said with the other problems, not once they are mended: only the columns in the file, whose
        # blank cells stay blank whatever is stored (an absent column keeps the stored names, to compare)
        result.problems = sorted(result.problems + _blank_required(
            kind, frame, numbers, file_name, by_row=not result.by_feature, among=present, ids_made=result.ids_made),
            key=_file_first)
    if result.ok:
        result.summary = summarise(engine, kind, result, thresholds)
        if not TABLES[kind].geometry:
            result.summary += unreported_lines(engine, kind, frame, known)
    return result


def _file_first(problem: Problem) -> tuple[bool, int]:
    """The order problems are listed in: the whole file's first, then by row."""
    return problem.row is not None, problem.row or 0


def date_warnings(kind: str, frame: pd.DataFrame, newest: str | None, today: datetime.date, file_name: str,
                  max_gap_days: int = 30) -> list[Problem]:
    """Dates of a daily report to confirm: after the calendar day, or far after the newest stored report.

    Either is most often a typo (2002 for 2020, a month off) and would show as the newest day. One
    warning per date, at its first row.

    >>> rows = pd.DataFrame({"date": ["2020-02-26", "2020-02-27", "2020-02-27"]}, index=[2, 3, 4])
    >>> [(w.row, w.key) for w in date_warnings("compound_status", rows, "2020-01-01", datetime.date(2020, 2, 26),
    ...                                        "a.csv")]
    [(2, 'check_date_far'), (3, 'check_date_after_today')]
    """
    header = TABLES[kind].column("date").zh
    found = []
    far = (datetime.date.fromisoformat(newest) + datetime.timedelta(days=max_gap_days)).isoformat() if newest else None
    firsts = frame["date"].dropna().astype(str).drop_duplicates()
    for row, date in sorted(zip(firsts.index, firsts), key=lambda pair: pair[1]):
        if date > today.isoformat():
            found.append(Problem.of(file_name, int(row), header, date, "check_date_after_today", date=date,
                                    today=today.isoformat()))
        elif far is not None and date > far:
            found.append(Problem.of(file_name, int(row), header, date, "check_date_far", date=date, newest=newest,
                                    days=max_gap_days))
    return found


def replaced_phone_reports(engine: Engine, check: Check) -> tuple[list[Problem], pd.DataFrame]:
    """The rows of a daily report file that would replace a report made from a phone: one warning each, naming
    the place, the date, who reported it when and the columns the file changes; and the origins of the stored
    rows replaced (:func:`geo.store.row_origins`, by ``row_id``).

    A row equal to the phone's report changes nothing and is not named; a row replacing a table's row
    (an earlier upload) is an ordinary change.
    """
    kind, delta = check.kind, check.delta
    if not len(delta) or "_row_id" not in delta:
        return [], pd.DataFrame()
    changed = delta.loc[delta["_change"] == "changed"]
    origins = store.row_origins(engine, kind, changed["_row_id"].dropna().astype(int).tolist())
    phone = origins.loc[origins["action"] == store.PHONE_REPORT].set_index("row_id")
    if phone.empty:
        return [], phone
    table, place = TABLES[kind], TABLES[kind].key[0]
    rows_of = dict(zip(store.key_text(kind, check.frame), check.frame.index))
    columns = check.fields.groupby("key")["field"].agg(list) if len(check.fields) else pd.Series(dtype=object)
    warnings = []
    for _, row in changed.loc[changed["_row_id"].isin(phone.index)].iterrows():
        origin = phone.loc[int(row["_row_id"])]
        moment = store.local_time(origin["reported_at"])
        fields = [table.column(f) for f in columns.get(str(row["_key"]).replace("\x1f", " / "), []) if f]
        warnings.append(Problem.of(
            check.file_name, rows_of.get(row["_key"]), table.column(place).zh, row[place], "check_replaces_phone",
            place=str(row[place]), date=str(row["date"]), user=str(origin["user_name"]),
            time=moment.strftime("%H:%M" if moment.date().isoformat() == str(row["date"]) else "%m-%d %H:%M"),
            columns=join((Text(c.zh, c.en) for c in fields), t("list_separator"))))
    return warnings, phone


def _phone_reports(engine: Engine, check: Check, keep_reports: bool) -> Check:
    """``check`` with the rows replacing phone reports as warnings, or, ``keep_reports``, left out."""
    warnings, replaced = replaced_phone_reports(engine, check)
    if not warnings:
        return check
    if not keep_reports:
        check.warnings += warnings
        check.phone_rows = frozenset(int(r) for r in replaced.index)
        authors = replaced["user_name"].value_counts()
        whose = join((t("check_phone_by", user=str(name), count=int(n)) for name, n in authors.items()),
                     t("list_separator"))
        check.notices.append(t("check_phone_replaced", count=len(warnings), whose=whose))
        return check
    rows = sorted(w.row for w in warnings if w.row is not None)
    kept = check.frame.loc[~check.frame.index.isin(rows)]
    compared = store.compare(engine, check.kind, kept, check.present, check.replace)
    check.notices.append(t("check_phone_kept", count=len(warnings), rows=ranges(rows)))
    return replace(check, frame=compared.frame, delta=compared.delta, fields=compared.fields, compared=compared)


def file_with_ids(check: Check) -> tuple[bytes, str] | None:
    """The uploaded file with the ids made for its places, in its own format (a list's first column, a GeoJSON
    feature's ``id``): (bytes, extension), or None when its ids were not made."""
    if not (check.ok and check.ids_made and check.rows):
        return None
    ids = dict(zip(check.rows, check.frame["id"].astype(str)))
    if is_table(check.content):
        return list_with_ids(check.content, ids, TABLES[check.kind].column("id").text, max_rows=check.max_rows)
    return layer_with_ids(check.content, ids)


def unreported_lines(engine: Engine, kind: str, frame: pd.DataFrame, known: set[str], limit: int = 3) -> list[Text]:
    """For the newest dates of a daily report: how many of the places ``known`` (their ids) would still have no
    report of that date."""
    if TABLES[kind].geometry or "date" not in frame:
        return []
    key = TABLES[kind].key[0]
    lines = []
    for date in sorted(frame["date"].dropna().astype(str).unique())[-limit:]:
        reported = store.reported_on(engine, kind, date) | text_set(frame.loc[frame["date"].astype(str) == date, key])
        missing = len(known - reported)
        lines.append(t("check_unreported", date=date, missing=missing, total=len(known)) if missing
                     else t("check_all_reported", date=date, total=len(known)))
    return lines


def keep_outlines(frame: pd.DataFrame, reference: pd.DataFrame, tolerance_m: float = 30.0) -> tuple[pd.DataFrame, int]:
    """A list's point that falls in (or within ``tolerance_m`` of) its place's stored outline keeps the outline.

    A list says where a place is, not its shape: a compound's outline exported as a list, edited and
    uploaded again stays an outline. Returns the frame and how many outlines were kept.

    >>> from shapely import Point, box
    >>> new = pd.DataFrame({"id": ["C1", "C2"], "geometry": [Point(0.5, 0.5), Point(5, 5)]})
    >>> old = pd.DataFrame({"id": ["C1", "C2"], "geometry": [box(0, 0, 1, 1), box(0, 0, 1, 1)]})
    >>> kept, count = keep_outlines(new, old)
    >>> count, kept.geometry.iloc[0].geom_type, kept.geometry.iloc[1].geom_type
    (1, 'Polygon', 'Point')
    """
    if reference.empty or frame.empty:
        return frame, 0
    stored = reference.assign(id=reference["id"].astype(str)).drop_duplicates("id", keep="last").set_index("id")
    ids = frame["id"].astype(str)
    shapes = np.asarray(stored["geometry"].reindex(ids), dtype=object)
    points = np.asarray(frame.geometry, dtype=object)
    outline = np.array([s is not None and not (isinstance(s, float)) and s.geom_type in ("Polygon", "MultiPolygon")
                        for s in shapes])
    if not outline.any():
        return frame, 0
    degrees = tolerance_m / 111_320  # near enough at these distances
    inside = np.zeros(len(frame), dtype=bool)
    inside[outline] = shapely.dwithin(shapes[outline], points[outline], degrees)
    frame = frame.copy()
    frame.loc[inside, "geometry"] = shapes[inside]
    return frame, int(inside.sum())


def zones_by_name(frame: pd.DataFrame, zones: pd.DataFrame) -> tuple[pd.DataFrame, list[Text]]:
    """A place's zone given by the zone's name (东城网格) becomes its id, where that name is one zone's.

    A value that is neither a zone's id nor one zone's name is kept and said: its places are outside every zone.

    >>> zones = pd.DataFrame({"id": ["WG1", "WG2"], "name": ["东城网格", "西城网格"]})
    >>> places = pd.DataFrame({"id": ["C1", "C2", "C3"], "zone": ["东城网格", "WG2", "北城"]})
    >>> frame, said = zones_by_name(places, zones)
    >>> frame["zone"].tolist(), len(said)
    (['WG1', 'WG2', '北城'], 2)
    """
    if "zone" not in frame or zones.empty or frame["zone"].isna().all():
        return frame, []
    given = frame["zone"].astype("string").str.strip()
    frame = store.zones_named(frame, zones)
    ids = set(zones["id"].astype(str))
    named = given.notna() & ~given.isin(ids) & (frame["zone"].astype("string") != given)
    notices = []
    if named.any():
        pairs = dict(zip(given[named], frame.loc[named, "zone"].astype(str)))
        notices.append(t("check_zones_by_name", count=int(named.sum()),
                         examples=listing([f"{n}→{i}" for n, i in list(pairs.items())[:3]])))
    unknown = given.notna() & ~given.isin(ids) & ~named
    if unknown.any():
        notices.append(t("check_zones_unknown", count=int(unknown.sum()),
                         zones=listing([str(v) for v in pd.unique(given[unknown])[:5]])))
    return frame, notices


def keep_skipped_places(frame: gpd.GeoDataFrame, numbers: list[int] | None, stored: pd.DataFrame,
                        skipped: dict[str, int]) -> tuple[gpd.GeoDataFrame, list[int] | None, list[Text]]:
    """A file that replaces a whole layer keeps, as they are stored, the places of its features whose shapes could
    not be read (``skipped``: id -> feature number): they are in the file, and are not to be retired for a shape.

    Returns the frame with those places' stored rows added, their feature numbers, and the places kept.

    >>> from shapely import Point
    >>> new = gpd.GeoDataFrame({"id": ["C1"], "name": ["一"]}, geometry=[Point(1, 1)])
    >>> old = pd.DataFrame({"id": ["C1", "C2"], "name": ["一", "二"], "geometry": [Point(1, 1), Point(2, 2)]})
    >>> frame, numbers, kept = keep_skipped_places(new, [1], old, {"C2": 2, "C9": 3})
    >>> frame["id"].tolist(), numbers, [k.zh for k in kept]
    (['C1', 'C2'], [1, 2], ['“二”（编号 C2）'])
    """
    ids = stored["id"].astype(str)
    found = stored.loc[ids.isin(set(skipped) - set(frame["id"].astype(str))).to_numpy()]
    if found.empty:
        return frame, numbers, []
    found = found.drop_duplicates("id", keep="last")
    rows = gpd.GeoDataFrame(found.reindex(columns=frame.columns), geometry=list(found.geometry), crs=frame.crs)
    numbers = (numbers or list(range(1, len(frame) + 1))) + [skipped[str(i)] for i in found["id"]]
    kept = [place_text(fid, name) for fid, name in zip(found["id"], found["name"] if "name" in found else found["id"])]
    return pd.concat([frame, rows], ignore_index=True), numbers, kept


def keep_positions(frame: gpd.GeoDataFrame, stored: pd.DataFrame) -> gpd.GeoDataFrame:
    """A row without a position keeps its place's stored one: a list with a blank coordinate moves nothing.

    >>> from shapely import Point
    >>> new = gpd.GeoDataFrame({"id": ["C1", "C2"]}, geometry=[None, None])
    >>> old = pd.DataFrame({"id": ["C1"], "geometry": [Point(114.3, 29.8)]})
    >>> [g if g is None else g.wkt for g in keep_positions(new, old).geometry]
    ['POINT (114.3 29.8)', None]
    """
    lacking = frame.geometry.isna().to_numpy()
    if not lacking.any() or stored.empty:
        return frame
    shapes = stored.assign(id=stored["id"].astype(str)).drop_duplicates("id", keep="last").set_index("id")["geometry"]
    found = shapes.reindex(frame["id"].astype(str)).to_numpy()
    fill = lacking & pd.notna(found)
    if not fill.any():
        return frame
    geometry = np.asarray(frame.geometry, dtype=object).copy()
    geometry[fill] = found[fill]
    return frame.set_geometry(list(geometry), crs=frame.crs)


def _keep_stored_where_not_carried(frame: pd.DataFrame, reference: pd.DataFrame, carried) -> pd.DataFrame:
    """A feature without a property that other features of the file have keeps the place's stored value.

    (A column no feature has is kept whole by the store's partial update, see ``Check.present``.)
    """
    if not carried or len(carried) != len(frame) or reference.empty:
        return frame
    stored = reference.assign(id=reference["id"].astype(str)).drop_duplicates("id", keep="last").set_index("id")
    frame = frame.copy()
    ids = frame["id"].astype(str)
    for column in frame.attrs.get("present", []):
        lacking = np.array([column not in keys for keys in carried]) & frame[column].isna().to_numpy()
        lacking &= ids.isin(stored.index).to_numpy()
        if lacking.any():
            frame.loc[lacking, column] = stored.loc[ids[lacking], column].to_numpy()
    return frame


def _blank_required(kind: str, frame: pd.DataFrame, numbers: list[int] | None, file_name: str,
                    by_row: bool = False, among=None, ids_made: bool = False) -> list[Problem]:
    """A place of a layer whose required column (its name) is blank in the file and not stored before.

    A file without the column keeps the stored values (a partial update), so only new places, or a
    file that blanks the column, are left without one. ``by_row``: ``numbers`` are a list's rows, not features.
    ``among``: only these columns (those the file has), else every column of ``frame``. ``ids_made``: the
    file had no ids, so the problems do not name the ones the program made.
    """
    if numbers is None or len(numbers) != len(frame):
        return []
    problems = []
    for col in TABLES[kind].columns:
        if not col.required or col.name not in frame or (among is not None and col.name not in among):
            continue
        for position in np.flatnonzero(frame[col.name].isna().to_numpy()):
            fid = str(frame["id"].iloc[position])
            where = t("problem_row" if by_row else "problem_feature", row=numbers[position])
            # an id the program made (from a blank name) means nothing to the person: the row alone says it
            named = Text("", "") if ids_made else t("problem_place_id", key=fid)
            problems.append(Problem.of(file_name, numbers[position], col.zh, None if ids_made else fid,
                                       "check_blank_required", where=where, id=named, column=col.text))
    return problems


def summarise_counts(kind: str, added: int, changed: int, removed: int = 0) -> list[Text]:
    table = Text(TABLES[kind].zh, TABLES[kind].en.lower())
    counted = "places" if TABLES[kind].geometry else "rows"
    lines = []
    if added:
        lines.append(t(f"check_added_{counted}", count=added, table=table))
    if changed:
        lines.append(t(f"check_changed_{counted}", count=changed, table=table))
    if removed:
        lines.append(t("check_removed_places", count=removed, table=table))
    if not lines:
        lines.append(t("check_identical"))
    return lines


def summarise(engine: Engine, kind: str, check: Check, thresholds: Thresholds) -> list[Text]:
    """Plain lines such as '23 个小区封闭状态变化（其中 5 个转为全封闭）'."""
    delta = check.delta
    added = int((delta["_change"] == "added").sum()) if len(delta) else 0
    changed = int((delta["_change"] == "changed").sum()) if len(delta) else 0
    lines = summarise_counts(kind, added, changed, len(check.removed))
    reporter = kinds.of_report(kind)
    if reporter and reporter.layer and reporter.state_column and len(delta):  # a daily report of places' states
        key, state, vocabulary = TABLES[kind].key[0], reporter.state_column, reporter.vocabulary
        latest = check.frame.sort_values("date").drop_duplicates(key, keep="last").set_index(key)
        # what the upload changes from
        before = store.latest_before(engine, kind, state, str(latest["date"].min()), latest.index)
        moved = latest.loc[latest[state] != before.reindex(latest.index), state]
        moved = moved[before.reindex(moved.index).notna()]
        if len(moved):
            states = {code: vocab.term(vocabulary, code) for code in moved.unique()}
            detail = join((t("check_moved_to", count=n, state=Text(states[c].zh, states[c].en.lower()))
                           for c, n in moved.value_counts().items()), t("list_separator"))
            if f"check_moved_{vocabulary}" in CATALOGUE:  # compounds' closure, sites' resumption: said their way
                lines.append(t(f"check_moved_{vocabulary}", count=len(moved), detail=detail))
            else:  # '3 个农贸市场开放状态变化（其中 2 个转为暂停开放）'
                lines.append(t("check_moved_state", count=len(moved), detail=detail, state=t(reporter.state_label),
                               places=Text(TABLES[reporter.layer].zh, TABLES[reporter.layer].en.lower())))
        if kind == "compound_status":
            fever = int(pd.to_numeric(latest["fever_reports"], errors="coerce").fillna(0).sum())
            if fever:
                lines.append(t("check_fever", count=fever))
    if kind == "supplies" and len(delta):
        rows = check.frame
        use = pd.to_numeric(rows["daily_use"], errors="coerce").astype(float)
        days = pd.to_numeric(rows["on_hand"], errors="coerce").astype(float) / use.where(use > 0)
        levels = pd.Series(supply_level(days.fillna(float("inf")), thresholds.low, thresholds.critical),
                           index=rows.index)
        short = rows.loc[levels != "adequate", "place_id"].nunique()
        if short:
            lines.append(t("check_short", count=short))
    if TABLES[kind].geometry and check.datum and check.datum != "wgs84":
        lines.append(t("check_converted", datum=crs.datum_name(check.datum)))
    return lines


def commit(engine: Engine, check: Check, user: auth.User | None, confirmed: bool = False,
           action: str = "import", permission: str = "upload", at: datetime.datetime | None = None) -> store.Applied:
    """Store a checked upload as a new version: the whole file, or nothing.

    An upload with warnings (:attr:`Check.warnings`) is stored only when the person ``confirmed`` them.
    ``action`` "seed": a file of the data folder read into a new store (which has nothing to back up yet);
    "report": one place's report of today from the report page (:mod:`geo.upload.daily`), which the role's
    ``permission`` "report_daily" allows (a grid officer's) where "upload" would not. ``at``: when it was
    made, for a record of the past (the demo city's morning of phone reports); now by default.
    """
    auth.require(user, permission)
    if not check.ok:
        raise ValueError("a file with problems cannot be imported")
    if check.warnings and not confirmed:
        raise ValueError("the upload's warnings must be confirmed before it is imported")
    if not check.changes and action == "import":  # a form's report saved again is still that day's report
        raise ValueError("a file identical to the stored data makes no version")
    # a phone report arriving since the check is not replaced unseen (a report page's own save may replace one)
    guard = check.phone_rows if action == "import" and not TABLES[check.kind].geometry else None
    # a store being filled has nothing to back up yet
    with backup.before_change(engine, small=action == "report") if action != "seed" else contextlib.nullcontext():
        if check.datum:  # the city's next lists likely come from the same place
            store.remember_datum(engine, check.kind, check.datum)
        return store.apply_rows(engine, check.kind, check.frame, user.name, action, check.file_name, check.content,
                                check.summary, rows_in_file=len(check.frame),
                                present=check.present, replace=check.replace, replaceable_reports=guard, at=at,
                                compared=check.compared)


def undo_import(engine: Engine, version: int, user: auth.User | None) -> store.Applied:
    """Undo ``user``'s own import ``version``: a rollback to the version its table had before, itself a version.

    Allowed only for the user's newest import while no later version of its table exists (see
    :func:`geo.store.undoable_import`), checked here on the server: a forged version number is refused.
    """
    auth.require(user, "undo_own")
    undoable = store.undoable_import(engine, user.name)
    if undoable is None or undoable[0] != version:
        raise auth.PermissionDenied("auth_undo_not_latest", version=version)
    try:  # an import of the same table landing since the check above is never undone with this one
        with backup.before_change(engine):
            return store.rollback(engine, undoable[1], user.name, newest=version)
    except store.NewerVersion:
        raise auth.PermissionDenied("auth_undo_not_latest", version=version) from None


def rollback_to(engine: Engine, version: int, user: auth.User | None) -> store.Applied:
    """Bring a table back to how it was right after ``version``; itself a new version."""
    auth.require(user, "rollback")
    with backup.before_change(engine):
        return store.rollback(engine, version, user.name)

