"""Entry point: page set-up, the language switch and the navigation."""

import streamlit as st

from geo.labels import t
from ui.common import lang, settings

st.set_page_config(page_title="住建局疫情防控指挥图", page_icon="🗺️", layout="wide")

languages = ["zh", "en"]
lg = st.sidebar.radio(t("language", lang()), languages, index=languages.index(settings()["language"]),
                      key="lang", horizontal=True, bind="query-params",
                      format_func=lambda code: {"zh": "中文", "en": "English"}[code])

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lg), icon="📊", default=True, url_path="overview"),
    st.Page("pages/compounds.py", title=t("page_compounds", lg), icon="🏘️", url_path="compounds"),
    st.Page("pages/zones.py", title=t("page_zones", lg), icon="🗺️", url_path="zones"),
    st.Page("pages/sites.py", title=t("page_sites", lg), icon="🏗️", url_path="sites"),
    st.Page("pages/supplies.py", title=t("page_supplies", lg), icon="😷", url_path="supplies"),
]
st.navigation(pages).run()
