"""The task sheet (交办单) of one responsible unit and the league table of the loop (整改排名), as papers.

A task sheet hands a property company, a contractor or a street its open problems, the
way the bureau sends them on paper: the unit and the date under a red title, how many are
open and how many overdue, a table of the problems (overdue ones in red) with their deadlines
and days left, each problem's first photo small, two to a row, and a line for the unit to sign
for it. The league ranks the units and the streets by overdue and open problems. Both are
written by the briefing's two writers (:func:`geo.report.document_docx`, :func:`geo.report.document_pdf`).

Everything comes from the frame of :func:`geo.store.problems_frame` and a ``today`` passed in, through
the figures of :mod:`geo.analysis.tasks`, so that a sheet, the page and the wall cannot disagree.

Examples
--------
>>> days_left("2020-02-27", dt.date(2020, 2, 25), "zh"), days_left("2020-02-25", dt.date(2020, 2, 25), "zh")
('剩 2 天', '今日到期')
>>> days_left("2020-02-21", dt.date(2020, 2, 25), "en")
'4 days overdue'
>>> clipped("东门无人值守", 4)
'东门无…'
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from PIL import Image
from sqlalchemy.engine import Engine

from geo.analysis import is_open, is_overdue, league_table
from geo.domain import t, vocab
from geo.domain.tasks import UNFIXED_STATES
from geo.report.briefing import ROW_LIMIT, Section, Shot, make_table
from geo.store import photo_content, photos_of

PLACE_CHARS = 60  # a place's name in the table and a caption; longer ones are cut with "…"
DESCRIPTION_CHARS = 300  # a description in the table: a row must fit on one page of the PDF
TITLE_CHARS = 80  # the unit's name in the title
PHOTO_PIXELS = 900  # the longest side of a photo as printed (7.5 cm at about 300 dpi)
#: The problems table's relative column widths: number, place, found, category, description, deadline, days, state.
WIDTHS = (7, 17, 13, 11, 32, 13, 11, 10)

#: Reads the first photo of a problem by its id: JPEG or PNG bytes, or None when it has none.
PhotoReader = Callable[[int], bytes | None]


@dataclass(frozen=True)
class TaskSheet:
    """A task sheet or a league: what the writers print (see :class:`geo.report.documents.Paper`)."""

    title: str
    head: tuple[str, ...]  # the lines under the title
    sections: tuple[Section, ...]
    closing: tuple[str, ...] = ()  # the signatures at the foot
    lang: str = "zh"
    open: int = 0  # the unit's open problems, and how many of them are overdue
    overdue: int = 0


def clipped(text: object, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with "…"."""
    text = "" if text is None or text is pd.NA or text != text else str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def days_left(deadline: str, today: dt.date, lang: str) -> str:
    """Days left to ``deadline`` (ISO date), 今日到期 on the day, or days past it."""
    days = (dt.date.fromisoformat(str(deadline)[:10]) - today).days
    if days > 0:
        return t("tasksheet_days_left", lang, days=days)
    return t("tasksheet_due_today", lang) if days == 0 else t("tasksheet_days_over", lang, days=-days)


def bureau_name(city: str, lang: str) -> str:
    """The issuer: the city's housing bureau (住房和城乡建设局), or the bureau alone for a city without a name."""
    return t("tasksheet_bureau_city", lang, city=city) if city.strip() else t("tasksheet_bureau", lang)


def photo_reader(engine: Engine) -> PhotoReader:
    """The first stored photo of a problem (its own, taken when it was found, before any photo of a fix)."""
    def first(problem_id: int) -> bytes | None:
        shots = photos_of(engine, problem_id=problem_id)
        return photo_content(engine, shots[0].id) if shots else None
    return first


def printed_photo(content: bytes | None) -> bytes | None:
    """``content`` made small enough to print (a JPEG, its longest side :data:`PHOTO_PIXELS`); None when it is no
    image Pillow can read (damaged, a decompression bomb), so that one bad photo leaves the sheet whole."""
    if not content:
        return None
    try:
        with Image.open(io.BytesIO(content)) as picture:
            picture.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            out = io.BytesIO()
            picture.convert("RGB").save(out, "JPEG", quality=82)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return out.getvalue()


def open_units(problems: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The units with open problems, the most overdue first: columns unit_name, open, overdue."""
    work = problems.loc[is_open(problems)].assign(overdue=lambda f: is_overdue(f, today))
    table = (work.groupby("unit_name", sort=True).agg(open=("id", "size"), overdue=("overdue", "sum"))
             .reset_index().astype({"open": int, "overdue": int}))
    return table.sort_values(["overdue", "open"], ascending=False, kind="stable").reset_index(drop=True)


def _problem_rows(mine: pd.DataFrame, today: dt.date, lang: str) -> list[list[str]]:
    # a fix reported and waiting for the bureau's re-check (待复核) counts no days: the unit has done its part
    return [[str(row.id), clipped(row.place_name, PLACE_CHARS), str(row.found_on)[:10],
             vocab.label("problem_category", row.category, lang) if row.category in vocab.codes("problem_category")
             else clipped(row.category, 20),
             clipped(row.description, DESCRIPTION_CHARS), str(row.deadline)[:10],
             days_left(row.deadline, today, lang) if row.state in UNFIXED_STATES else "—",
             vocab.label("problem_state", row.state, lang)] for row in mine.itertuples()]


def task_sheet(problems: pd.DataFrame, unit_name: str, today: dt.date, photos: PhotoReader, lang: str = "zh",
               city: str = "") -> TaskSheet:
    """The task sheet (交办单) of ``unit_name``: its open problems in ``problems`` (a
    :func:`geo.store.problems_frame`), overdue ones first, as of ``today``, with the first photo of each
    (``photos``: :func:`photo_reader` of the store), issued by the bureau of ``city``.

    Only the problems whose responsible unit is exactly ``unit_name`` are listed; the first
    :data:`geo.report.briefing.ROW_LIMIT` are printed and the rest counted.
    """
    mine = problems.loc[(problems["unit_name"] == unit_name) & is_open(problems)]
    overdue = is_overdue(mine, today)
    mine = (mine.assign(_overdue=overdue).sort_values(["_overdue", "deadline", "id"], ascending=[False, True, True],
                                                       kind="stable"))
    count, late, date = len(mine), int(overdue.sum()), today.isoformat()
    bureau = bureau_name(city, lang)
    if not count:
        sections = (Section(t("tasksheet_open_heading", lang), (t("tasksheet_none", lang, date=date),)),)
    else:
        summary = (t("tasksheet_summary", lang, date=date, open=count, overdue=late) if late
                   else t("tasksheet_summary_in_time", lang, date=date, open=count))
        headers = [t(key, lang) for key in ("tasksheet_col_number", "briefing_col_place", "tasksheet_col_found",
                                            "tasksheet_col_category", "tasksheet_col_description",
                                            "tasksheet_col_deadline", "tasksheet_col_left", "tasksheet_col_state")]
        printed = mine.head(ROW_LIMIT)
        table = make_table(headers, _problem_rows(printed, today, lang), total=count,
                           marked=frozenset(i for i, late in enumerate(printed["_overdue"]) if late), widths=WIDTHS)
        shots = []
        for row in printed.itertuples():
            picture = printed_photo(photos(int(row.id)))
            if picture is not None or row.photos:  # a photo that cannot be read is still named
                shots.append(Shot(picture, t("tasksheet_photo_caption", lang, number=row.id,
                                             place=clipped(row.place_name, PLACE_CHARS))))
        sections = (Section(t("tasksheet_open_heading", lang), (summary, t("tasksheet_ask", lang)), table),
                    Section(t("tasksheet_photos_heading", lang),
                            () if shots else (t("tasksheet_no_photos", lang),), shots=tuple(shots)))
    return TaskSheet(
        title=t("tasksheet_title", lang, unit=clipped(unit_name, TITLE_CHARS)),
        head=(t("tasksheet_to", lang, unit=unit_name), t("tasksheet_issued", lang, bureau=bureau, date=date)),
        sections=sections,
        closing=(t("tasksheet_sign", lang), t("tasksheet_seal", lang, bureau=bureau), date),
        lang=lang, open=count, overdue=late)


def league_section(problems: pd.DataFrame, by: str, today: dt.date, lang: str) -> Section:
    """The league by ``by`` ('unit_name', or 'street' on a frame of :func:`geo.analysis.with_streets`) as a
    section of a paper, the most overdue first."""
    table = league_table(problems, by, today, lang)
    rows = [[name, problems_, open_, overdue, f"{rate:g}%", "—" if days != days else f"{days:g}"]
            for name, problems_, open_, overdue, rate, days in table.itertuples(index=False)]
    heading = t("league_by_unit" if by == "unit_name" else "league_by_street", lang)
    return Section(heading, table=make_table(list(table.columns), rows, widths=(34, 12, 12, 12, 14, 16)))


def league_sheet(problems: pd.DataFrame, today: dt.date, lang: str = "zh", city: str = "") -> TaskSheet:
    """The league of the whole city as a paper: the loop's totals, then by responsible unit and by street
    (``problems`` from :func:`geo.analysis.with_streets`)."""
    date = today.isoformat()
    total, opened, late = len(problems), int(is_open(problems).sum()), int(is_overdue(problems, today).sum())
    closed = int(problems["closed_at"].notna().sum())
    rate = f"{round(100 * closed / total, 1):g}%" if total else "—"
    sections = (Section(t("league_overall", lang), (t("league_intro", lang, date=date, problems=total, open=opened,
                                                      overdue=late, rate=rate),)),)
    if total:
        sections += (league_section(problems, "unit_name", today, lang), league_section(problems, "street", today,
                                                                                        lang))
    return TaskSheet(title=t("league_title", lang), head=(t("league_issued", lang, bureau=bureau_name(city, lang),
                                                            date=date),),
                     sections=sections, lang=lang, open=opened, overdue=late)
