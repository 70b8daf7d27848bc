"""What is wrong with a file, where, and how to fix it: the readers', validators' and upload's common answer.

A file with one mistake repeated on every row has thousands of problems of one kind:
:func:`group_problems` lists them as one group ("2,761 个要素缺少编号：第 1–2761 个"),
with the first examples, so that the pages and the command line say it once.

Examples
--------
>>> problem = Problem("a.csv", None, None, None, t("read_empty"))
>>> problem.message("en"), problem.zh
('The file is empty.', '文件是空的。')
>>> missing = [Problem.of("a.geojson", n, "id", None, "read_feature_no_id", number=n) for n in range(1, 2762)]
>>> [group.title.zh for group in group_problems(missing, features=True)]
['2,761 个要素缺少编号：第 1–2761 个']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geo.domain.labels import CATALOGUE, t
from geo.domain.text import Text, join

EXAMPLES = 3  # the problems a group shows in full: enough to see what is meant, few enough to read
RANGES = 12  # the runs of numbers a group names before it says "…"

#: The column a problem of a place's position names when the file has no column of its own for it (a GeoJSON).
POSITION = "位置"
#: Columns the program names, not the file's own headers: said in the reader's language.
PROGRAM_COLUMNS = {POSITION: Text("位置", "position"), "geometry": Text("图形", "shape")}


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and how to fix it, in both languages."""

    source: str
    row: int | None  # as a spreadsheet shows it (the header is row 1), or a layer's feature number; None: whole file
    column: str | None  # the header as the file has it
    value: str | None
    text: Text  # what is wrong and how to fix it, from the catalogue of geo.domain.labels
    fatal: bool = False  # the file could not be read at all (the command line exits with 2)
    key: str | None = None  # the catalogue key of ``text``: problems of one key are listed as one group

    @classmethod
    def of(cls, source: str, row: int | None, column: str | None, value, key: str, /, **values) -> Problem:
        """The problem whose text is the catalogue's sentence ``key`` filled with ``values``.

        >>> Problem.of("a.csv", 3, "日期", "x", "rule_not_future", value="2099-01-01").key
        'rule_not_future'
        """
        return cls(source, None if row is None else int(row), column, None if value is None else str(value),
                   t(key, **values), key=key)

    @property
    def zh(self) -> str:
        return self.text.zh

    @property
    def en(self) -> str:
        return self.text.en

    def message(self, lang: str = "zh") -> str:
        return self.text.pick(lang)

    @property
    def column_label(self) -> Text | str | None:
        """The column as said to the reader: the file's own header, or a column the program names in their language.

        >>> Problem("a.geojson", 7, "geometry", None, Text("", "")).where(features=True).en
        "feature 7, column 'shape'"
        """
        return PROGRAM_COLUMNS.get(self.column, self.column) if self.column else self.column

    def where(self, features: bool = False) -> Text:
        """Where the problem is: its row (or feature) and column, or the whole file.

        >>> Problem("a.csv", 2, "封闭状态", "关门", Text("", "")).where().zh
        '第 2 行、列“封闭状态”'
        >>> Problem("a.geojson", 7, None, None, Text("", "")).where(features=True).en
        'feature 7'
        """
        parts = ([t("problem_feature" if features else "problem_row", row=self.row)] if self.row else []) + (
            [t("problem_column", column=self.column_label)] if self.column else [])
        return join(parts, t("list_separator")) if parts else t("problem_whole_file")

    def located(self, features: bool = False) -> Text:
        """Where it is (:meth:`where`) and what is wrong, unless the message begins by naming its row itself.

        >>> Problem("a.csv", 2, "封闭状态", "关门", Text("“关门”无法识别", "")).located().zh
        '第 2 行、列“封闭状态”：“关门”无法识别'
        >>> Problem("a.csv", 3, "小区名称", None, Text("第 3 行没有小区名称", "")).located().zh
        '第 3 行没有小区名称'
        """
        named = self.row is not None and self.text.zh.startswith(
            t("problem_feature" if features else "problem_row", row=self.row).zh)
        return self.text if named else t("problem_at", where=self.where(features), message=self.text)


def ranges(numbers: Iterable[int], limit: int = RANGES) -> Text:
    """Numbers as runs ('1–3、5、8–10'), sorted, the first ``limit`` runs named and then '…'.

    >>> ranges([10, 1, 2, 3, 5, 8, 9])
    Text(zh='1–3、5、8–10', en='1–3, 5, 8–10')
    >>> ranges(range(1, 40, 2), limit=3).zh
    '1、3、5、…'
    """
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    named = [Text(str(a), str(a)) if a == b else Text(f"{a}–{b}", f"{a}–{b}") for a, b in runs[:limit]]
    if len(runs) > limit:
        named.append(Text("…", "…"))
    return join(named, t("list_separator"))


@dataclass(frozen=True)
class ProblemGroup:
    """Problems of one kind (one catalogue key, or the same sentence) in one column, said once."""

    problems: tuple[Problem, ...]
    title: Text  # the problem itself when alone; else how many, of what kind, and where

    @property
    def count(self) -> int:
        return len(self.problems)

    @property
    def examples(self) -> list[Problem]:
        """The first problems of different wording, shown in full under the title (none when alone)."""
        seen: set[Text] = set()
        found: list[Problem] = []
        for problem in self.problems if self.count > 1 else ():
            if problem.text not in seen:
                seen.add(problem.text)
                found.append(problem)
            if len(found) == EXAMPLES:
                break
        return found


def group_problems(problems: Sequence[Problem], features: bool = False) -> list[ProblemGroup]:
    """The problems grouped by kind, in the order each kind first appears.

    Problems of one catalogue key in one column are a group, whatever values fill their
    sentences; problems without a key are grouped when their sentences are the same. A group's
    title is the key's own group sentence (``KEY_group`` in the catalogue) or a general one;
    ``features`` says the rows are a layer's features.

    >>> same = [Problem("a.csv", row, "状态", None, t("read_empty")) for row in (2, 3, 4, 9)]
    >>> [(g.count, g.title.zh) for g in group_problems(same + [Problem("a.csv", None, None, None, t("read_binary"))])]
    [(4, '4 行有同样的问题：第 2–4、9 行'), (1, '这不是文本表格（含二进制内容）')]
    """
    grouped: dict[tuple, list[Problem]] = {}
    for problem in problems:
        kind = ("key", problem.key) if problem.key else ("text", problem.text)
        grouped.setdefault((kind, problem.column, problem.fatal), []).append(problem)
    return [ProblemGroup(tuple(members), _title(members, features)) for members in grouped.values()]


def _title(members: list[Problem], features: bool) -> Text:
    first = members[0]
    if len(members) == 1:
        return first.text
    rows = [p.row for p in members if p.row is not None]
    values = {"count": len(members), "rows": ranges(rows), "column": first.column or ""}
    if first.key and rows:  # a group sentence of its own; one may count a list's rows apart (KEY_group_rows)
        for key in ([] if features else [f"{first.key}_group_rows"]) + [f"{first.key}_group"]:
            if key in CATALOGUE:
                return t(key, **values)
    if not rows:
        return t("problems_group_file", **values)
    return t("problems_group_features" if features else "problems_group_rows", **values)
