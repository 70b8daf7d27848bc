"""Streamlit's own words, in Chinese mode: its file uploader's button and size line.

Streamlit 1.67 writes a few texts of its widgets in English whatever the page's language,
with no setting to change them (streamlit#13500): the file uploader's "Upload" button and
its "20MB per file • CSV, XLSX" line. In Chinese mode this style sheet puts 选择文件 on the
button and leaves the line out (every uploader's label already says the types and the
limit in Chinese). Nothing in it comes from data.
"""

from __future__ import annotations

import streamlit as st

CHINESE_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button * { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button::after { content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
</style>"""


def streamlit_words(lang: str) -> None:
    """In Chinese mode, Streamlit's own English widget texts in Chinese (see the module)."""
    if lang == "zh":
        st.html(CHINESE_CSS)
