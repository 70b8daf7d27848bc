"""The app's own style sheet: what Streamlit's layout does not do by itself on a phone.

On a screen as narrow as a phone (Streamlit stacks columns below 640 pixels) the map is
shorter, so that the page around it can be seen and scrolled, and the overview's headline
figures are a strip of small tiles that a finger slides sideways, instead of six tall tiles
stacked before the map. The map's own frame has its part in ``static/cmdmap/map.css``.
"""

from __future__ import annotations

import streamlit as st

#: The key of the container holding the overview's headline figures (``st-key-`` + key is its class); a second
#: strip's key starts with it (the loop's figures: ``kpi_tiles_tasks``).
KPI_STRIP = "kpi_tiles"

BUTTON_ROW = ('[data-testid="stHorizontalBlock"]:has([data-testid="stDownloadButton"])'
              ':not(:has([data-testid="stMetric"])):not(:has(iframe))')
PHONE_CSS = f"""<style>
@media (max-width: 640px) {{
  iframe[title="streamlit_folium.st_folium"] {{ height: min(55vh, 460px) !important; }}
  /* a row of download buttons (the briefing, a table's exports) stays a row; the map's row, whose column
     holds the map's picture button too, stacks like any other */
  {BUTTON_ROW} {{ flex-wrap: nowrap !important; }}
  {BUTTON_ROW} > [data-testid="stColumn"] {{ min-width: 0 !important; width: auto !important;
    flex: 0 1 auto !important; }}
  [class*="st-key-{KPI_STRIP}"] {{ gap: .4rem !important; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap !important; overflow-x: auto;
    gap: .4rem !important; scroll-snap-type: x proximity; padding-bottom: 2px; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stColumn"] {{ flex: 0 0 31% !important; min-width: 31% !important;
    width: 31% !important; scroll-snap-align: start; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stColumn"]:not(:has([data-testid="stMetric"])) {{ display: none !important; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetric"] {{ padding: 0 !important; height: 100%; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetric"] > div {{ padding: .35rem .5rem !important; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetricLabel"] p {{ font-size: .72rem !important; line-height: 1.2;
    white-space: normal !important; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetricValue"] {{ font-size: 1.3rem !important; line-height: 1.25; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetricDelta"] {{ font-size: .7rem !important; }}
  /* the small trend of each tile: the Trends page has it, the phone's first screen has no room for it */
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetricChart"] {{ display: none !important; }}
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetricDelta"] + div,
  [class*="st-key-{KPI_STRIP}"] [data-testid="stMetricDeltaDescription"] {{ display: none !important; }}
}}
</style>"""


def app_style() -> None:
    """Put the app's style sheet on the page (our own, no data in it; it takes no room)."""
    st.html(PHONE_CSS)
