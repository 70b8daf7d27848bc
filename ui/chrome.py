"""Streamlit's own words on its widgets, in the page's language.

Streamlit 1.67 writes a few texts of its widgets in English whatever the page's language,
with no setting to change them (streamlit#13500): the file uploader's "Upload" button and
its "20MB per file • CSV, XLSX" line, a multiselect's "Select all" and the running
indicator's "Stop". A style sheet writes the uploader's word from the catalogue (选择文件 in
Chinese) and leaves the line out (every uploader's label already says the types and the
limit in the page's language). The other two have nothing a style sheet can hold on to: a
small script of the page puts the catalogue's words in their place, only inside those two
widgets (a place named "Stop" stays as it is). Nothing in either comes from data.
"""

from __future__ import annotations

import json

import streamlit as st

from geo.domain import t

# Streamlit's English text -> the catalogue's key for it
WIDGET_WORDS = {"Select all": "widget_select_all", "Stop": "widget_stop"}
# where they are: a multiselect's open list, the running indicator
WIDGETS = '[data-baseweb="popover"], [role="listbox"], [data-testid="stStatusWidget"]'
WORDS_JS = """(() => {
  window.cmdmapWords = %s;
  if (!window.cmdmapWordsWatch) {  // one watcher per page, reading the words of the newest run
    const put = (node) => {
      const text = (node.nodeValue || "").trim();
      const word = window.cmdmapWords[text];
      // a word already in place is left alone: writing it again is a change the watcher sees, and the page's
      // thread would write it for ever (English: "Stop" for "Stop" froze the page)
      if (word && word !== text && node.parentElement && node.parentElement.closest(%s)) node.nodeValue = word;
    };
    window.cmdmapWordsWalk = (root) => {
      if (root.nodeType === Node.TEXT_NODE) return put(root);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) put(node);
    };
    window.cmdmapWordsWatch = new MutationObserver((changes) => changes.forEach((change) =>
      change.type === "characterData" ? put(change.target) : change.addedNodes.forEach(window.cmdmapWordsWalk)));
    window.cmdmapWordsWatch.observe(document.body, {childList: true, subtree: true, characterData: true});
  }
  window.cmdmapWordsWalk(document.body);  // every run: a page switched to the other language says its words
})();"""

CSS = """<style>
[data-testid="stFileUploaderDropzone"] > span > button, [data-testid="stFileUploaderDropzone"] > span > button * {
  font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] > span > button::after { content: %s; font-size: 0.875rem;
  white-space: nowrap; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
</style>"""


def streamlit_words(lang: str) -> None:
    """Streamlit's own English widget texts in the page's language (see the module)."""
    st.html(CSS % json.dumps(t("upload_button", lang), ensure_ascii=False))  # a CSS string, quoted as JSON
    # Streamlit's word and the catalogue's in each language, to this language's: switched from Chinese to English
    # without a reload, a running indicator already saying 停止 says Stop
    words = {said: t(key, lang) for english, key in WIDGET_WORDS.items() for said in (english, *t(key))
             if said != t(key, lang)}
    st.html(f"<script>{WORDS_JS % (json.dumps(words, ensure_ascii=False), json.dumps(WIDGETS))}</script>",
            unsafe_allow_javascript=True)
