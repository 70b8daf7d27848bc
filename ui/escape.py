"""Text from the data shown as typed: nothing in a name or a message is read as markdown or HTML.

Examples
--------
>>> plain("<b>A_1</b>")
'\\\\<b\\\\>A\\\\_1\\\\</b\\\\>'
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Text for a Streamlit markdown element, shown as typed: every markdown and HTML character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
