"""Compounds map: shaded by status, with filters, details and a table."""

from ui.placepage import render_place_page

render_place_page("compounds")
