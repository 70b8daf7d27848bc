"""Welcome: a city with no places yet, step by step (upload places, check the map, upload today's report)."""

from ui.navigation import require_navigation
from ui.welcome import render_welcome

require_navigation()
render_welcome()
