"""Construction sites map: shaded by status, with filters, details and a table."""

from ui.navigation import require_navigation
from ui.placepage import render_place_page

require_navigation()
render_place_page("sites")
