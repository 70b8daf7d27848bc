"""A sentence in both languages: the one type every label and message shown to a person travels in.

:class:`Text` holds the Chinese and the English of one sentence, its values
already filled in; :meth:`Text.pick` is the one place that chooses between them
by a language code. The sentences themselves live in one catalogue, looked up
with :func:`geo.domain.labels.t`.

Examples
--------
>>> greeting = Text("数据截至 {date}", "Data as of {date}").fill(date="2020-02-25")
>>> greeting.pick("zh"), greeting.pick("en")
('数据截至 2020-02-25', 'Data as of 2020-02-25')
>>> list(greeting)  # stored as a [zh, en] pair, as the version summaries are
['数据截至 2020-02-25', 'Data as of 2020-02-25']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple


class Text(NamedTuple):
    """One sentence (or label) in Chinese and English.

    A pair, so that it unpacks as ``zh, en = text``, compares equal to the
    ``(zh, en)`` tuples it replaces and is written to JSON as ``[zh, en]``.
    """

    zh: str
    en: str

    def pick(self, lang: str = "zh", /, **values) -> str:
        """The sentence in ``lang`` ('zh' or 'en'), its ``{names}`` filled in: the only choice of a language.

        A :class:`Text` value is filled in ``lang`` too.

        >>> Text("全封闭", "Sealed").pick("en")
        'Sealed'
        >>> Text("{state}：{count} 个", "{state}: {count}").pick("en", state=Text("全封闭", "Sealed"), count=3)
        'Sealed: 3'
        """
        chosen = self.zh if lang == "zh" else self.en
        if not values:
            return chosen
        filled = chosen.format(**{name: value.pick(lang) if isinstance(value, Text) else value
                                  for name, value in values.items()})
        return _GRAMMAR.get(lang, _one_in_singular)(filled)

    def fill(self, **values) -> Text:
        """Both languages with their ``{names}`` filled in; a :class:`Text` value is filled in its own language.

        >>> role = Text("管理员", "Administrator")
        >>> Text("您的角色（{role}）", "Your role ({role})").fill(role=role)
        Text(zh='您的角色（管理员）', en='Your role (Administrator)')
        """
        return Text(self.pick("zh", **values), self.pick("en", **values)) if values else self

    def both(self, between: str = " / ") -> str:
        """Chinese, then English, for output that shows both (the command line).

        >>> Text("可以导入", "valid").both()
        '可以导入 / valid'
        """
        return f"{self.zh}{between}{self.en}"


def join(parts: Iterable[Text], separator: Text) -> Text:
    """The parts joined, each language with its own separator.

    >>> join([Text("口罩", "Masks"), Text("手套", "Gloves")], Text("、", ", "))
    Text(zh='口罩、手套', en='Masks, Gloves')
    """
    parts = list(parts)
    return Text(separator.zh.join(part.zh for part in parts), separator.en.join(part.en for part in parts))


class Bilingual:
    """For records that carry a label in two fields ``zh`` and ``en`` (vocabulary terms, columns, tables, metrics).

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Term(Bilingual):
    ...     zh: str
    ...     en: str
    >>> Term("全封闭", "Sealed").label("en")
    'Sealed'
    """

    zh: str
    en: str

    @property
    def text(self) -> Text:
        """The label as a :class:`Text`."""
        return Text(self.zh, self.en)

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang``."""
        return self.text.pick(lang)


# English nouns that follow a count in the catalogue: "1 rows" reads "1 row" (Chinese has no plural)
_SINGULAR = {"characters": "character", "compounds": "compound", "days": "day", "features": "feature",
             "files": "file", "hours": "hour", "ids": "id", "items": "item", "people": "person", "places": "place",
             "points": "point", "polygons": "polygon", "problems": "problem", "rows": "row", "sites": "site",
             "times": "time", "values": "value", "warnings": "warning", "zones": "zone", "minutes": "minute",
             "versions": "version", "accounts": "account", "reports": "report", "dates": "date", "kinds": "kind",
             "names": "name"}
_VERB = {"have": "has", "are": "is", "were": "was", "lie": "lies", "name": "names", "match": "matches",
         "repeat": "repeats", "contain": "contains", "do": "does", "change": "changes", "appear": "appears"}
# Words that may stand between the count and its noun ("1 blank rows", "1 more features", "1 officer accounts");
# a word that says the count is not the noun's ("Feature 1 lies in 3 zones", "row 1 of the rows") may not.
_NOT_BETWEEN = ("of", "the", "a", "an", "in", "on", "at", "to", "and", "or", "for", "with", "from", "by", "than",
                "is", "has", *_VERB, *_VERB.values())
_ONE = re.compile(r"(?<![\d.,])\b1 ((?:(?!(?:" + "|".join(_NOT_BETWEEN) + r")\b)[a-z-]+ ){0,2})("
                  + "|".join(_SINGULAR) + r")\b(?: (" + "|".join(_VERB) + r")\b)?")


# "rows 6" naming a single row (a list of one: "(rows 6)") reads "row 6"; "rows 6, 9" and "rows 6–9" stay
_ONE_ROW = re.compile(r"\brows (\d+)\b(?!\s*(?:[,、–~-]|and |to )\s*\d)")


def _as_written(sentence: str) -> str:
    return sentence


def _one_in_singular(sentence: str) -> str:
    """An English sentence with a count of one before its noun in the singular.

    >>> _one_in_singular("1 rows have ids that match no place; 21 rows and 1 people")
    '1 row has ids that match no place; 21 rows and 1 person'

    Up to two words may stand between the count and its noun:

    >>> _one_in_singular("1 blank rows ignored. 1 more features have coordinates; 1 officer accounts made.")
    '1 blank row ignored. 1 more feature has coordinates; 1 officer account made.'
    >>> _one_in_singular("Feature 1 lies in 3 zones; row 1 of the rows")
    'Feature 1 lies in 3 zones; row 1 of the rows'
    >>> _one_in_singular("1 names appear more than once; 1 rows name a place")
    '1 name appears more than once; 1 row names a place'

    A list of rows that holds one reads as one row:

    >>> _one_in_singular("1 rows name a place and nothing else (rows 6); 2 rows: rows 6, 9; rows 3–5")
    '1 row names a place and nothing else (row 6); 2 rows: rows 6, 9; rows 3–5'
    """
    def singular(found: re.Match) -> str:
        verb = found.group(3)
        return f"1 {found.group(1)}{_SINGULAR[found.group(2)]}" + (f" {_VERB[verb]}" if verb else "")

    if "rows " in sentence:
        sentence = _ONE_ROW.sub(r"row \1", sentence)
    return _ONE.sub(singular, sentence) if "1 " in sentence else sentence


_GRAMMAR = {"zh": _as_written, "en": _one_in_singular}  # what a filled-in sentence needs in each language
