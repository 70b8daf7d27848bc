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
>>> Scope.parse("") is None, Scope.parse("places:XQ-1").column
(True, 'id')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: What a scope may be limited by, and the column of a view of places that says it.
BY = {"district": "district", "street": "street", "zone": "zone", "places": "id"}
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
        by = by.strip().lower()
        if not sep or by not in BY:
            raise ScopeRefused("scope_unknown_kind")
        values = tuple(dict.fromkeys(v.strip() for v in rest.replace("，", ",").replace("、", ",").split(",")
                                     if v.strip()))
        if not values:
            raise ScopeRefused("scope_no_values")
        if len(values) > MAX_VALUES:
            raise ScopeRefused("scope_too_many")
        return cls(by, values)

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
