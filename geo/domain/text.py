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
        return chosen.format(**{name: value.pick(lang) if isinstance(value, Text) else value
                                for name, value in values.items()})

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
