"""The area an account sees: a district, a street, some zones, or a list of places; the whole city by default.

A scoped account (a district's leader, a street's office, a grid officer, a property
company, a contractor) sees, filters, exports and reports only the places inside its
scope. The scope is kept with the account as text (``district:咸安区``,
``zone:Z1,Z2``, ``places:XQ-1,XQ-2``) and read into a :class:`Scope`; :meth:`Scope.keeps`
says which rows of a view of places are inside it, by the view's own ``district``,
``street``, ``zone`` or ``id`` column.

Examples
--------
>>> import pandas as pd
>>> scope = Scope.parse("zone:Z1, Z3")
>>> scope, scope.text
(Scope(by='zone', values=('Z1', 'Z3')), 'zone:Z1,Z3')
>>> view = pd.DataFrame({"id": ["a", "b", "c"], "zone": ["Z1", "Z2", "Z3"]})
>>> view.loc[scope.keeps(view), "id"].tolist()
['a', 'c']
>>> Scope.parse("") is None, Scope.parse("places:XQ-1").column, Scope.parse("片区：Z1、Z2").text
(True, 'id', 'zone:Z1,Z2')

:func:`scoped_dataset` is the one place where a scope takes effect: the pages, the wall, the
exports and the briefing all read the dataset it returns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import pandas as pd

from geo.domain import TABLES, Text, kinds, layer_tables, listing, report_tables, t
from geo.store import Dataset

#: What a scope may be limited by, and the column of a view of places that says it.
BY = {"district": "district", "street": "street", "zone": "zone", "places": "id"}
#: The kinds as a bureau's table writes them (and as :func:`describe` says them).
KIND_WORDS = {"区县": "district", "区": "district", "县": "district", "街道": "street", "乡镇": "street",
              "片区": "zone", "网格": "zone", "场所": "places"}
MAX_VALUES = 5000  # a property company's or a district's places: more is not a scope but a mistake


class ScopeRefused(ValueError):
    """A scope's text that cannot be read: ``key`` names the catalogue's sentence saying why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Scope:
    """Where an account may look: ``by`` one of :data:`BY`, ``values`` the districts, streets, zone ids or
    place ids it is limited to."""

    by: str
    values: tuple[str, ...]

    @classmethod
    def parse(cls, text: str | None) -> Scope | None:
        """The scope written as ``by:value,value`` (full-width ``：`` and ``，``/``、`` too); None for the whole
        city (nothing written). Raises :class:`ScopeRefused` for any other text."""
        if text is None or not str(text).strip():
            return None
        by, sep, rest = str(text).replace("：", ":").partition(":")
        by = KIND_WORDS.get(by.strip(), by.strip().lower())
        if not sep or by not in BY:
            raise ScopeRefused("scope_unknown_kind")
        values = tuple(dict.fromkeys(v.strip() for v in rest.replace("，", ",").replace("、", ",").split(",")
                                     if v.strip()))
        if not values:
            raise ScopeRefused("scope_no_values")
        if len(values) > MAX_VALUES:
            raise ScopeRefused("scope_too_many")
        return cls(by, values)

    @classmethod
    def of_text(cls, text: str) -> Scope | None:
        """The scope whose :attr:`text` is ``text`` ('' for None), an empty one too (a scope that could not be
        read admits nothing: ``places:``), where :meth:`parse` refuses an empty scope typed by a person.

        >>> Scope.of_text("places:"), Scope.of_text("zone:Z1,Z2") == Scope.parse("zone:Z1,Z2"), Scope.of_text("")
        (Scope(by='places', values=()), True, None)
        """
        if not text:
            return None
        by, _, rest = text.partition(":")
        return cls(by, tuple(rest.split(",")) if rest else ())

    @property
    def text(self) -> str:
        """How the scope is kept with the account (read back by :meth:`parse`)."""
        return f"{self.by}:{','.join(self.values)}"

    @property
    def column(self) -> str:
        """The column of a view of places that says whether a place is inside the scope."""
        return BY[self.by]

    def keeps(self, view: pd.DataFrame) -> pd.Series:
        """Which rows of ``view`` (a view or layer of places) are inside the scope; none when the view lacks
        the column that would say (a scope never widens by a missing column)."""
        if self.column not in view:
            return pd.Series(False, index=view.index)
        return view[self.column].astype("string").isin(self.values).fillna(False).astype(bool)

    @property
    def digest(self) -> str:
        """A short name of the scope for file names (its packs' folder): the same for the same scope.

        >>> Scope.parse("zone:Z1").digest == Scope.parse("zone：Z1").digest != Scope.parse("zone:Z2").digest
        True
        """
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def zones_kept(ds: Dataset, scope: Scope) -> pd.Series:
    """Which of the dataset's zones a scope keeps: those of its districts or streets, its zones, or the zones
    holding its places (their outlines frame them)."""
    zones = ds.zones
    if scope.by in ("district", "street"):
        return scope.keeps(zones)
    if scope.by == "zone":
        return zones["id"].astype("string").isin(scope.values).fillna(False).astype(bool)
    held = set()
    for name in _place_layers():
        layer = ds.layer(name)
        if "zone" in layer:
            held.update(layer.loc[scope.keeps(layer), "zone"].dropna().astype(str))
    return zones["id"].astype(str).isin(held)


def _place_layers() -> list[str]:
    return [name for name in layer_tables() if name != "zones"]


def scoped_dataset(ds: Dataset, scope: Scope | None) -> Dataset:
    """``ds`` with only what ``scope`` holds (None: ``ds`` itself, the whole city).

    Places are kept by their zone (a scope by district, street or zone: the places of the zones
    it keeps) or by their id (a scope by places); each daily report keeps the rows of the places
    kept in its kind's layers. A place with no zone is in no district, street or zone scope.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from geo.store.rows import from_records, payload_columns
    >>> tables = {name: from_records(name, pd.DataFrame(columns=payload_columns(name)))
    ...           for name in (*layer_tables(), *report_tables())}
    >>> tables["zones"] = gpd.GeoDataFrame({"id": ["Z1", "Z2"], "name": ["甲", "乙"], "district": ["咸安区", "通山县"]},
    ...                                    geometry=[None, None])
    >>> tables["compounds"] = gpd.GeoDataFrame({"id": ["a", "b"], "name": ["A", "B"], "zone": ["Z1", "Z2"]},
    ...                                        geometry=[None, None])
    >>> tables["compound_status"] = pd.DataFrame({"compound_id": ["a", "b"], "date": ["2020-02-25"] * 2})
    >>> ds = scoped_dataset(Dataset(tables), Scope.parse("district:咸安区"))
    >>> ds.zones["id"].tolist(), ds.compounds["id"].tolist(), ds.compound_status["compound_id"].tolist()
    (['Z1'], ['a'], ['a'])
    >>> scoped_dataset(Dataset(tables), Scope.parse("places:b")).zones["id"].tolist()
    ['Z2']
    """
    if scope is None:
        return ds
    tables = dict(ds.tables)
    zones = ds.zones.loc[zones_kept(ds, scope)]
    zone_ids = set(zones["id"].astype(str))
    tables["zones"] = zones
    for name in _place_layers():
        layer = ds.layer(name)
        if scope.by == "places":
            kept = scope.keeps(layer)
        elif "zone" in layer:
            kept = layer["zone"].astype("string").isin(zone_ids).fillna(False).astype(bool)
        else:
            kept = pd.Series(False, index=layer.index)
        tables[name] = layer.loc[kept]
    for name in report_tables():
        kind = kinds.of_report(name)
        layers = kind.place_layers if kind is not None else _place_layers()
        ids = set().union(*(set(tables[layer]["id"].astype(str)) for layer in layers if layer in tables))
        report = ds.layer(name)
        column = TABLES[name].key[0] if TABLES[name].key else report.columns[0]
        tables[name] = report.loc[report[column].astype(str).isin(ids)] if len(report) else report
    return replace(ds, tables=tables)


def place_ids(ds: Dataset) -> set[str]:
    """Every place id of the dataset's place layers (a scoped dataset's: the places its scope holds)."""
    return set().union(*(set(ds.layer(name)["id"].astype(str)) for name in _place_layers()))


def unknown_values(ds: Dataset, scope: Scope) -> list[str]:
    """The values of ``scope`` the city of ``ds`` does not have (a district, street, zone id or place id), in
    the scope's order: an admin setting a scope is told them rather than giving an account an empty area.

    >>> import geopandas as gpd
    >>> zones = gpd.GeoDataFrame({"id": ["Z1"], "district": ["咸安区"], "street": ["温泉街道"]}, geometry=[None])
    >>> ds = Dataset({"zones": zones})
    >>> unknown_values(ds, Scope.parse("zone:Z1,Z9")), unknown_values(ds, Scope.parse("street:温泉街道"))
    (['Z9'], [])
    """
    if scope.by in ("district", "street"):
        known = set(ds.zones[scope.by].dropna().astype(str)) if scope.by in ds.zones else set()
    elif scope.by == "zone":
        known = set(ds.zones["id"].astype(str))
    else:
        known = set().union(*(set(ds.layer(name)["id"].astype(str)) for name in _place_layers() if name in ds.tables))
    return [value for value in scope.values if value not in known]


def describe(scope: Scope | None) -> Text:
    """A scope in words, for the accounts page and the command line.

    >>> describe(Scope.parse("zone:Z1,Z2")).zh, describe(None).en
    ('片区：Z1、Z2', 'whole city')
    """
    if scope is None:
        return t("scope_whole_city")
    return t("scope_described", by=t(f"scope_by_{scope.by}"), values=listing(scope.values))
