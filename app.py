"""Entry point: page set-up, the language switch and the navigation."""

import streamlit as st

from geo.labels import t
from ui.common import lang, settings
from ui.urlstate import from_url, to_url

from_url("lang", ["zh", "en"], default=settings()["language"])
st.set_page_config(page_title=t("app_title", lang()), page_icon="🗺️", layout="wide")
lg = st.sidebar.radio(t("language", lang()), ["zh", "en"], key="lang", horizontal=True,
                      format_func=lambda code: {"zh": "中文", "en": "English"}[code])
to_url("lang", lg)

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lg), icon="📊", default=True, url_path="overview"),
    st.Page("pages/compounds.py", title=t("page_compounds", lg), icon="🏘️", url_path="compounds"),
    st.Page("pages/zones.py", title=t("page_zones", lg), icon="🗺️", url_path="zones"),
    st.Page("pages/sites.py", title=t("page_sites", lg), icon="🏗️", url_path="sites"),
    st.Page("pages/supplies.py", title=t("page_supplies", lg), icon="😷", url_path="supplies"),
]
st.navigation(pages).run()
