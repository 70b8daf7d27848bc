"""History: trends by day, every stored version, its changes, its original file, and rollback."""

import streamlit as st

from geo.accounts import auth
from geo.analysis import versions_table
from geo.domain import t
from geo.store import NothingToRollBack, history, original_file, version_changes
from geo.upload import rollback_to
from ui.busy import StoreStayedBusy, save_when_free
from ui.data import engine
from ui.login import require_role
from ui.navigation import require_navigation
from ui.settings import lang
from ui.trends import show_trend_charts, trend_of
from ui.uploadview import changes_table, undo_offer

require_navigation()
lg = lang()
user = require_role("history")
st.title(t("page_history", lg), anchor=False)

st.subheader(t("history_trends", lg), anchor=False)
trend = trend_of()
if trend.empty:  # no daily report yet: no trend to draw
    st.info(t("no_report_dates", lg))
else:
    show_trend_charts(trend, lg)

st.subheader(t("history_versions", lg), anchor=False)
versions = history(engine())
table = versions_table(versions, lg)
st.dataframe(table, hide_index=True, width="stretch")

chosen = st.selectbox(t("history_pick", lg), versions["id"].tolist(), key="history_version",
                      format_func=lambda v: f"{t('col_version', lg)} {v}")
if chosen is not None:
    row = versions.loc[versions["id"] == chosen].iloc[0]
    changes = version_changes(engine(), int(chosen))
    if len(changes):
        st.dataframe(changes_table(changes, lg, str(row["kind"])), hide_index=True, width="stretch")
    original = original_file(engine(), int(chosen))
    if original is not None:
        st.download_button(t("history_download", lg, file=original[0]), original[1], original[0],
                           key=f"history_download_{chosen}", on_click="ignore")
    if auth.can(user, "undo_own") and not auth.can(user, "rollback"):  # staff: their own latest import only
        undo_offer(user, int(chosen), "history_undo")
    if auth.can(user, "rollback"):
        sure = st.checkbox(t("history_rollback_sure", lg, version=chosen), key=f"history_sure_{chosen}")
        if st.button(t("history_rollback", lg, version=chosen), disabled=not sure, key=f"history_rollback_{chosen}"):
            try:
                applied = save_when_free(lambda: rollback_to(engine(), int(chosen), user))  # the role re-checked
                st.success(t("history_rolled_back", lg, version=applied.version))
            except StoreStayedBusy:
                pass  # said on the page; nothing changed
            except NothingToRollBack as nothing:
                st.info(nothing.message(lg))
