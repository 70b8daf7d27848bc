"""A map's legend: a title and one swatch, label and count per class, escaped.

Examples
--------
>>> Legend("<b>", [LegendEntry("未报告", "#9e9e9e", 2)]).html().count("&lt;b&gt;")
1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class LegendEntry:
    label: str
    color: str
    count: int | None = None
    dashed: bool = False


@dataclass
class Legend:
    title: str
    entries: list[LegendEntry] = field(default_factory=list)
    layers: tuple[str, ...] = ()
    """The keys of the map layers it explains: the map shows it while one of them is on (none: always)."""

    def html(self) -> str:
        """Escaped legend HTML with a swatch, label and count per entry."""
        lines = [f'<div style="font-weight:600;margin-bottom:4px">{escape(self.title)}</div>']
        for entry in self.entries:
            border = "2px dashed #616161" if entry.dashed else "1px solid #424242"
            count = "" if entry.count is None else f' <span style="color:#555">({entry.count})</span>'
            lines.append(
                f'<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
                f'<span style="display:inline-block;width:16px;height:12px;background:{escape(entry.color)};'
                f'border:{border}"></span><span>{escape(entry.label)}{count}</span></div>'
            )
        return "".join(lines)

    def part(self) -> str:
        """Its :meth:`html` as one part of a map's legend, naming its layers (``static/cmdmap/fastlayer.js``
        hides the part while none of them is on the map).

        >>> Legend("t", layers=("markets", "parks")).part()[:60]
        '<div class="cmdmap-legend-part" data-layers="markets parks">'
        """
        return (f'<div class="cmdmap-legend-part" data-layers="{escape(" ".join(self.layers))}">'
                f"{self.html()}</div>")
