"""The Chinese font the briefing's figures and PDF are set in, found on this machine.

A font is never shipped with the code: the system's Noto CJK (Debian's ``fonts-noto-cjk``)
or another CJK font is looked for in the usual folders, and when none is there the
briefing says so in plain Chinese instead of printing empty boxes.

Examples
--------
>>> FONT_FILES[0]
'NotoSansCJK-Regular.ttc'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from geo.domain import t

#: Font files tried in this order: Noto CJK (simplified Chinese face of the collection), then other common ones.
FONT_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSerifCJK-Regular.ttc",
              "SourceHanSansSC-Regular.otf", "wqy-microhei.ttc", "wqy-zenhei.ttc", "DroidSansFallbackFull.ttf")
#: Where fonts are installed on Debian and most Linux systems.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts")


class FontMissing(RuntimeError):
    """No Chinese font on this machine: a briefing could only print empty boxes."""

    def __init__(self):
        self.text = t("briefing_no_font", files="、".join(FONT_FILES[:3]))
        super().__init__(self.text.zh)


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int  # the face in a collection (.ttc): the simplified Chinese one
    family: str  # its family name, as matplotlib knows it


def _faces(path: Path) -> list[str]:
    """The family name of each face of a font file; lazily, reading the name tables only (a CJK collection
    read whole costs 200 MB)."""
    font = TTCollection(str(path), lazy=True) if path.suffix.lower() == ".ttc" else TTFont(str(path), lazy=True)
    try:
        return [face["name"].getDebugName(1) or "" for face in getattr(font, "fonts", [font])]
    finally:
        font.close()


def find_cjk_font(folders: tuple[str, ...] = FONT_FOLDERS) -> CjkFont:
    """The first font of :data:`FONT_FILES` found under ``folders``, with its simplified Chinese face.

    Raises :class:`FontMissing` when there is none.
    """
    for name in FONT_FILES:
        for folder in folders:
            root = Path(folder)
            found = sorted(root.rglob(name)) if root.is_dir() else []
            if found:
                families = _faces(found[0])
                index = next((i for i, family in enumerate(families) if family.endswith(" SC")), 0)
                return CjkFont(found[0], index, families[index])
    raise FontMissing()
