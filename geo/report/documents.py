"""The briefing written as a Word document (python-docx) and as a PDF (fpdf2): the same sections, both
in the layout of a Chinese official daily (红头 title, 第N期, numbered sections).

Word is what a bureau edits before it sends the briefing up; the PDF is for reading on a phone.
Both are written by maintained libraries; the PDF embeds the machine's Chinese font
(:func:`geo.report.fonts.find_cjk_font`).

Examples
--------
>>> numbered(0, "总体情况", "zh"), numbered(2, "Work resumption", "en")
('一、总体情况', '3. Work resumption')
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from geo.domain import t
from geo.report.briefing import Briefing, Section
from geo.report.figures import ASPECT
from geo.report.fonts import CjkFont, find_cjk_font

RED = (192, 0, 0)  # the red of an official document's title (红头)
BODY_FONT = "宋体"  # Word's fonts: the body in Song, headings in Hei, as official documents are set
HEADING_FONT = "黑体"
FIGURE_MM = 150  # a map's width on an A4 page of the PDF


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


def briefing_docx(briefing: Briefing) -> bytes:
    """The briefing as a .docx (A4, tables with a grid, figures 15 cm wide)."""
    lang = briefing.lang
    doc = Document()
    doc.core_properties.title = f"{briefing.title} {briefing.issue}"
    page = doc.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.6)
    page.top_margin, page.bottom_margin = Cm(3.0), Cm(2.5)
    _east_asian(doc.styles["Normal"], BODY_FONT)
    doc.styles["Normal"].font.size = Pt(11)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(briefing.title)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(26), RGBColor(*RED)
    _east_asian(run, HEADING_FONT)
    for line in (briefing.issue, briefing.issuer, briefing.freshness):
        paragraph = doc.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, section in enumerate(briefing.sections):
        heading = doc.add_paragraph()
        run = heading.add_run(numbered(index, section.heading, lang))
        run.bold, run.font.size = True, Pt(14)
        _east_asian(run, HEADING_FONT)
        for line in section.lines:
            doc.add_paragraph(line)
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
            for row in section.table.rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = value
            more = _more_line(section, lang)
            if more:
                doc.add_paragraph(more)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def briefing_pdf(briefing: Briefing, font: CjkFont | None = None) -> bytes:
    """The briefing as a PDF (A4) with the Chinese font embedded; raises FontMissing when there is none."""
    lang = briefing.lang
    font = font or find_cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.index)
    pdf.set_title(briefing.title)
    pdf.add_page()
    pdf.set_font("cjk", size=24)
    pdf.set_text_color(*RED)
    pdf.cell(0, 14, briefing.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=11)
    for line in (briefing.issue, briefing.issuer, briefing.freshness):
        pdf.cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(5)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    for index, section in enumerate(briefing.sections):
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
            with pdf.table(headings_style=FontFace(emphasis="", fill_color=(235, 235, 235)), text_align="LEFT",
                           wrapmode=WrapMode.CHAR, line_height=5) as table:
                for row in (section.table.headers, *section.table.rows):
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            more = _more_line(section, lang)
            if more:
                pdf.multi_cell(0, 6, more, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        pdf.ln(3)
    return bytes(pdf.output())


#: The files a briefing is written as, by their suffix.
WRITERS = {".docx": briefing_docx, ".pdf": briefing_pdf}


def briefing_file(briefing: Briefing, suffix: str) -> bytes:
    """The briefing as a file: ``suffix`` '.docx' (Word) or '.pdf'."""
    return WRITERS[suffix.lower()](briefing)
