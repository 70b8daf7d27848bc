"""Row rules of every status table, checked with pandera, each failure a Problem staff can act on.

Values have been parsed to numbers, dates and codes before this runs (a value
that could not be parsed is already a problem), so every rule here sees typed
data: required cells filled, no negative or absurd numbers, no dates in the
future or before 2000, and each place reported once per date (and item).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"compound_id": ["C1", "C1"], "date": ["2020-02-25", "2020-02-25"],
...                       "closure": ["open", "sealed"], "residents": pd.array([10_000_000, 5], "Int64")},
...                      index=[2, 3])
>>> sorted((p.row, p.column) for p in validate(frame, "compound_status", {}, "f.csv"))
[(2, '居民人数'), (3, '小区编号')]
"""

from __future__ import annotations

import datetime

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from geo.domain import TABLES, Column, Problem, Text, t

EARLIEST = "2000-01-01"


def _today() -> str:
    return (datetime.date.today() + datetime.timedelta(days=1)).isoformat()


def _checks(col: Column) -> list[pa.Check]:
    checks = []
    if col.kind in ("int", "float"):
        checks.append(pa.Check.ge(0, ignore_na=True))
        if col.maximum is not None:
            checks.append(pa.Check.le(col.maximum, ignore_na=True))
    if col.kind == "date":
        checks.append(pa.Check(lambda s: s.isna() | (s.astype("string") <= _today()), name="not_future",
                               element_wise=False))
        checks.append(pa.Check(lambda s: s.isna() | (s.astype("string") >= EARLIEST), name="not_too_old",
                               element_wise=False))
    return checks


def schema_for(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of a status table, built from :mod:`geo.domain.schema`."""
    table = TABLES[kind]
    columns = {col.name: pa.Column(None, checks=_checks(col), nullable=not col.required, required=False)
               for col in table.columns}
    # the repeats are reported, not the first row: "delete the repeated row" then names the row to delete
    return pa.DataFrameSchema(columns, unique=list(table.key), report_duplicates="exclude_first")


# pandera names its built-in checks by what they do, whatever name they were given
_BUILT_IN = {"greater_than_or_equal_to": "not_negative", "less_than_or_equal_to": "not_absurd"}


_RULES = ("not_nullable", "not_negative", "not_absurd", "not_future", "not_too_old", "multiple_fields_uniqueness")


def _message(check: str, col: Column | None, header: str, value, key: str) -> tuple[str, Text]:
    """The catalogue key of the broken rule, and its sentence."""
    check = _BUILT_IN.get(check.split("(")[0], check)
    if check not in _RULES:
        return "rule_other", t("rule_other", header=header, check=check)
    maximum = col.maximum if check == "not_absurd" else None
    return f"rule_{check}", t(f"rule_{check}", header=header, value=value, key=key, maximum=maximum)


def validate(frame: pd.DataFrame, kind: str, header_of: dict[str, str], source: str) -> list[Problem]:
    """Every rule broken by ``frame`` (indexed by spreadsheet row), as Problems."""
    table = TABLES[kind]
    present = frame[[c for c in table.names if c in frame.columns]]
    try:
        schema_for(kind).validate(present, lazy=True)
        return []
    except SchemaErrors as errors:
        cases = errors.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        column = case.column if isinstance(case.column, str) and case.column in table.names else None
        col = table.column(column) if column else None
        if case.check == "multiple_fields_uniqueness" or column is None:
            column = table.key[0]
            col = table.column(column)
        header = header_of.get(column, col.zh)
        key = " / ".join(str(present.at[row, k]) for k in table.key) if row in present.index else ""
        value = present.at[row, column] if row in present.index else case.failure_case
        rule, text = _message(str(case.check), col, header, value, key)
        problems.append(Problem(source, row, header, None if pd.isna(value) else str(value), text, key=rule))
    # one message per cell: the uniqueness check reports each key column of a duplicated row
    unique = {(p.row, p.column, p.zh): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.row or 0, p.column or ""))
