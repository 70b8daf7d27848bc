"""The briefing and the task sheets written as Word documents (python-docx) and as PDFs (fpdf2): the same
sections, both in the layout of a Chinese official document (红头 title, the lines under it, numbered sections,
photos two a row, the signatures at the foot).

Word is what a bureau edits before it sends a paper out; the PDF is for reading on a phone or printing.
Both are written by maintained libraries; the PDF embeds the machine's Chinese font
(:func:`geo.report.fonts.find_cjk_font`).

Examples
--------
>>> numbered(0, "总体情况", "zh"), numbered(2, "Work resumption", "en")
('一、总体情况', '3. Work resumption')
"""

from __future__ import annotations

import io
import re
from typing import Protocol

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace
from PIL import Image

from geo.domain import t
from geo.report.briefing import Section, Shot
from geo.report.figures import ASPECT
from geo.report.fonts import CjkFont, find_cjk_font

RED = (192, 0, 0)  # the red of an official document's title (红头)
BODY_FONT = "宋体"  # Word's fonts: the body in Song, headings in Hei, as official documents are set
HEADING_FONT = "黑体"
FIGURE_MM = 150  # a map's width on an A4 page of the PDF
SHOT_MM = (72.0, 54.0)  # the box a photo is fitted into, two to a row (PDF, millimetres)
SHOT_CM = (7.0, 5.25)  # the same in Word, whose text is a little narrower


def numbered(index: int, heading: str, lang: str) -> str:
    """A section heading with its number: 一、二、… in Chinese, 1. 2. … in English."""
    numerals = t("briefing_numerals", lang).split(",")
    return t("briefing_heading", lang, number=numerals[index % len(numerals)], heading=heading)


def _more_line(section: Section, lang: str) -> str | None:
    return t("briefing_more_rows", lang, count=section.table.more) if section.table and section.table.more else None


def _east_asian(style_or_run, name: str) -> None:
    """Set a Word font for Chinese text too: Word keeps the East Asian font apart from the Latin one."""
    style_or_run.font.name = name
    style_or_run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def printable(text: str) -> str:
    """``text`` without the control characters an XML document cannot hold (Word refuses them).

    >>> printable("东门\\x00无人\\x0b值守\\t")
    '东门无人值守\\t'
    """
    return _NOT_XML.sub("", text)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Paper(Protocol):
    """What the two writers print: a briefing (:class:`geo.report.Briefing`) or a task sheet
    (:class:`geo.report.TaskSheet`)."""

    title: str
    sections: tuple[Section, ...]
    lang: str

    @property
    def head(self) -> tuple[str, ...]: ...

    @property
    def closing(self) -> tuple[str, ...]: ...


def _fit(image: bytes, box: tuple[float, float]) -> tuple[float, float]:
    """The size of ``image`` fitted into ``box`` (width, height), its proportions kept."""
    with Image.open(io.BytesIO(image)) as picture:
        width, height = picture.size
    scale = min(box[0] / width, box[1] / height)
    return width * scale, height * scale


def _docx_shots(doc, shots: tuple[Shot, ...], lang: str) -> None:
    grid = doc.add_table(rows=0, cols=2)
    for start in range(0, len(shots), 2):
        cells = grid.add_row().cells
        for cell, shot in zip(cells, shots[start:start + 2]):
            if shot.image:
                width, height = _fit(shot.image, SHOT_CM)
                cell.paragraphs[0].add_run().add_picture(io.BytesIO(shot.image), width=Cm(width), height=Cm(height))
            else:
                cell.paragraphs[0].add_run(t("tasksheet_photo_unreadable", lang))
            caption = cell.add_paragraph(printable(shot.caption))
            caption.runs[0].font.size = Pt(9)


def document_docx(paper: Paper) -> bytes:
    """A briefing or a task sheet as a .docx (A4, tables with a grid, figures 15 cm wide, photos two a row)."""
    lang = paper.lang
    doc = Document()
    doc.core_properties.title = printable(" ".join((paper.title, *paper.head[:1])))[:250]
    page = doc.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.6)
    page.top_margin, page.bottom_margin = Cm(3.0), Cm(2.5)
    _east_asian(doc.styles["Normal"], BODY_FONT)
    doc.styles["Normal"].font.size = Pt(11)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(printable(paper.title))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(26), RGBColor(*RED)
    _east_asian(run, HEADING_FONT)
    for line in paper.head:
        paragraph = doc.add_paragraph(printable(line))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, section in enumerate(paper.sections):
        heading = doc.add_paragraph()
        run = heading.add_run(numbered(index, section.heading, lang))
        run.bold, run.font.size = True, Pt(14)
        _east_asian(run, HEADING_FONT)
        for line in section.lines:
            doc.add_paragraph(printable(line))
        if section.figure:
            doc.add_picture(io.BytesIO(section.figure), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = doc.add_paragraph(section.caption)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.runs[0].font.size = Pt(9)
        if section.table:
            table = doc.add_table(rows=1, cols=len(section.table.headers), style="Table Grid")
            for cell, header in zip(table.rows[0].cells, section.table.headers):
                cell.text = header
                cell.paragraphs[0].runs[0].bold = True
            for number, row in enumerate(section.table.rows):
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = printable(value)
                    if number in section.table.marked and cell.paragraphs[0].runs:
                        cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(*RED)
            more = _more_line(section, lang)
            if more:
                doc.add_paragraph(more)
        if section.shots:
            _docx_shots(doc, section.shots, lang)
    for number, line in enumerate(paper.closing):
        paragraph = doc.add_paragraph(printable(line))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.keep_with_next = number < len(paper.closing) - 1  # the signatures stay together
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pdf_shots(pdf: FPDF, shots: tuple[Shot, ...], lang: str) -> None:
    width, height = SHOT_MM
    gap = pdf.epw - 2 * width
    pdf.set_font("cjk", size=8)
    for start in range(0, len(shots), 2):
        if pdf.get_y() + height + 12 > pdf.page_break_trigger:
            pdf.add_page()
        top, bottom = pdf.get_y(), pdf.get_y()
        for column, shot in enumerate(shots[start:start + 2]):
            x = pdf.l_margin + column * (width + gap)
            if shot.image:
                pdf.image(io.BytesIO(shot.image), x=x, y=top, w=width, h=height, keep_aspect_ratio=True)
            else:
                pdf.set_xy(x, top + height / 2)
                pdf.cell(width, 6, t("tasksheet_photo_unreadable", lang), align="C")
            pdf.set_xy(x, top + height + 1)
            pdf.multi_cell(width, 4.5, shot.caption, align="C", wrapmode=WrapMode.CHAR, new_x="LEFT", new_y="NEXT")
            bottom = max(bottom, pdf.get_y())
        pdf.set_xy(pdf.l_margin, bottom + 3)
    pdf.set_font("cjk", size=10)


def document_pdf(paper: Paper, font: CjkFont | None = None) -> bytes:
    """A briefing or a task sheet as a PDF (A4) with the Chinese font embedded; raises FontMissing when there is
    none."""
    lang = paper.lang
    font = font or find_cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.index)
    pdf.set_title(paper.title[:250])
    pdf.add_page()
    pdf.set_font("cjk", size=24)
    pdf.set_text_color(*RED)
    pdf.multi_cell(0, 14, paper.title, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=11)
    for line in paper.head:
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(5)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    for index, section in enumerate(paper.sections):
        if section.figure and pdf.get_y() + 12 + FIGURE_MM * ASPECT > pdf.page_break_trigger:
            pdf.add_page()  # a heading stays with its map, not alone at the foot of a page
        pdf.set_font("cjk", size=14)
        pdf.multi_cell(0, 9, numbered(index, section.heading, lang), new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR)
        pdf.set_font("cjk", size=10)
        for line in section.lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        if section.figure:
            pdf.image(io.BytesIO(section.figure), x=(pdf.w - FIGURE_MM) / 2, w=FIGURE_MM)
            pdf.set_font("cjk", size=8)
            pdf.multi_cell(0, 5, section.caption, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
            pdf.set_font("cjk", size=10)
        if section.table:
            pdf.set_font("cjk", size=8)
            marked = FontFace(color=RED)
            with pdf.table(headings_style=FontFace(emphasis="", fill_color=(235, 235, 235)), text_align="LEFT",
                           wrapmode=WrapMode.CHAR, line_height=5, col_widths=section.table.widths) as table:
                for number, row in enumerate((section.table.headers, *section.table.rows)):
                    cells = table.row()
                    for value in row:
                        cells.cell(value, style=marked if number - 1 in section.table.marked else None)
            more = _more_line(section, lang)
            if more:
                pdf.multi_cell(0, 6, more, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        if section.shots:
            pdf.ln(2)
            _pdf_shots(pdf, section.shots, lang)
        pdf.ln(3)
    pdf.set_font("cjk", size=11)
    if paper.closing and pdf.get_y() + 9 * len(paper.closing) + 6 > pdf.page_break_trigger:
        pdf.add_page()  # the signatures stay together
    pdf.ln(6 if paper.closing else 0)
    for line in paper.closing:
        pdf.multi_cell(0, 9, line, align="R", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    return bytes(pdf.output())


briefing_docx = document_docx  # the names the briefing's callers know
briefing_pdf = document_pdf


#: The files a briefing or a task sheet is written as, by their suffix.
WRITERS = {".docx": document_docx, ".pdf": document_pdf}


def briefing_file(paper: Paper, suffix: str) -> bytes:
    """A briefing or a task sheet as a file: ``suffix`` '.docx' (Word) or '.pdf'."""
    return WRITERS[suffix.lower()](paper)
