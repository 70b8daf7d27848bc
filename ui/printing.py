"""How a page prints: one clean page of the map, its title and legend, without the sidebar and the controls.

A leader prints a map page (Ctrl+P) for a meeting, or saves it as PDF. The browser
would print the sidebar, the toolbar, the buttons and the long table under the map
over several pages; this style sheet, for print only, leaves the title, the date,
the notices, the map with its legend and the details beside it, on one landscape page
sized like a screen (A3: the map's frame is laid out as on screen, where a narrower page
would cut its right side, legend included; printers shrink it to A4). Nothing in it comes
from data.
"""

from __future__ import annotations

import streamlit as st

PRINT_CSS = """<style>
@media print {
  @page { size: A3 landscape; margin: 10mm; }  /* about a screen's width: the map's frame keeps its layout */
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stPageLink"], [data-testid="stExpander"], [data-testid="stDataFrame"],
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]),
  [class*="st-key-list_heading_"], [data-baseweb="tooltip"], [role="tooltip"] { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; width: 100% !important; overflow: visible !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stAppViewContainer"], [data-testid="stApp"] { position: static !important; overflow: visible !important; }
  iframe { break-inside: avoid; }
}
</style>"""


def print_style() -> None:
    """Add the print style sheet to the page (it takes no room on screen)."""
    st.html(PRINT_CSS)
