"""What is wrong with a file, where, and how to fix it: the readers', validators' and upload's common answer.

Examples
--------
>>> problem = Problem("a.csv", 3, "日期", "2020-13-01", "日期无法识别。", "The date cannot be read.")
>>> problem.message("en")
'The date cannot be read.'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and how to fix it, in both languages."""

    source: str
    row: int | None  # as a spreadsheet shows it (the header is row 1); None: whole file
    column: str | None  # the header as the file has it
    value: str | None
    zh: str
    en: str
    fatal: bool = False  # the file could not be read at all (the command line exits with 2)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en
