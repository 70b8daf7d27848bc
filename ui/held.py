"""Packs of places the app could not write to ``static/cache`` (a read-only install), held in memory instead.

Streamlit serves ``static/`` from the disk only. Where ``static/cache`` cannot be written, each pack was put
into every page that draws it: a city's 3 MB on each visit, and a nation's every tile (38 MB zipped). Held
here under the path the browser asks for, a pack is answered by the web server (``ui/server.py``), after the
same checks as a file there (a login, the scope's folder), gzipped as the written ``.gz`` copy is.

Examples
--------
>>> hold("/app/static/cache/places-ab.json", gzip.compress(b'{"v": 1}'))
>>> gzip.decompress(held("/app/static/cache/places-ab.json.gz")), held("/app/static/cache/places-ab.json")
(b'{"v": 1}', b'{"v": 1}')
>>> held("/app/static/cache/places-cd.json") is None
True
"""

from __future__ import annotations

import gzip

#: path of the plain file -> its gzipped bytes (the plain copy is made on the rare request for it)
_HELD: dict[str, bytes] = {}

#: Packs held at most: a nation's tiles for a few data versions and scopes, which the newest replace.
MOST_HELD = 4096


def hold(path: str, zipped: bytes) -> None:
    """Keep a pack's gzipped JSON to answer ``path`` (unzipped) and ``path + '.gz'`` (as it is) with."""
    if path not in _HELD:
        if len(_HELD) >= MOST_HELD:
            _HELD.pop(next(iter(_HELD)))  # the oldest held
        _HELD[path] = zipped


def held(path: str) -> bytes | None:
    """The bytes held for ``path`` (a ``.gz`` path: the gzipped ones), or None."""
    if path.endswith(".gz"):
        return _HELD.get(path[:-3])
    zipped = _HELD.get(path)
    return gzip.decompress(zipped) if zipped is not None else None
