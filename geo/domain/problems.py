"""What is wrong with a file, where, and how to fix it: the readers', validators' and upload's common answer.

Examples
--------
>>> from geo.domain.labels import t
>>> problem = Problem("a.csv", None, None, None, t("read_empty"))
>>> problem.message("en"), problem.zh
('The file is empty.', '文件是空的。')
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.domain.text import Text


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and how to fix it, in both languages."""

    source: str
    row: int | None  # as a spreadsheet shows it (the header is row 1); None: whole file
    column: str | None  # the header as the file has it
    value: str | None
    text: Text  # what is wrong and how to fix it, from the catalogue of geo.domain.labels
    fatal: bool = False  # the file could not be read at all (the command line exits with 2)

    @property
    def zh(self) -> str:
        return self.text.zh

    @property
    def en(self) -> str:
        return self.text.en

    def message(self, lang: str = "zh") -> str:
        return self.text.pick(lang)
