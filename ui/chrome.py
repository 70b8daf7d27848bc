"""Streamlit's own words on its file uploader, in the page's language.

Streamlit 1.67 writes a few texts of its widgets in English whatever the page's language,
with no setting to change them (streamlit#13500): the file uploader's "Upload" button and
its "20MB per file • CSV, XLSX" line. This style sheet writes the button's word from the
catalogue (选择文件 in Chinese) and leaves the line out (every uploader's label already
says the types and the limit in the page's language). Nothing in it comes from data.
"""

from __future__ import annotations

import json

import streamlit as st

from geo.domain import t

CSS = """<style>
[data-testid="stFileUploaderDropzone"] button, [data-testid="stFileUploaderDropzone"] button * {
  font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button::after { content: %s; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
</style>"""


def streamlit_words(lang: str) -> None:
    """Streamlit's own English widget texts in the page's language (see the module)."""
    st.html(CSS % json.dumps(t("upload_button", lang), ensure_ascii=False))  # a CSS string, quoted as JSON
