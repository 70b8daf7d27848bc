"""A digest of a layer's places (their ids, names and shapes, in order), found once per frame and kept with the
store's snapshot.

The map's packs of a layer are found again at start by such a digest (:func:`geo.maps.places_key`): a million
compounds' took 2.2 s of every start's warm-up (their shapes written as WKB and hashed), for the very places the
last run had digested. A frame's digest is now kept with the frame while it lives (frames of a dataset are not
changed once made), written into the snapshot's manifest beside the frame's file, and given back to the frame read
from it at the next start.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import Point
>>> frame = gpd.GeoDataFrame({"id": ["S1", "S2"], "name": ["工地", None]}, geometry=[Point(114.3, 29.8), None])
>>> known_digest(frame) is None
True
>>> digest = places_digest(frame)
>>> known_digest(frame) == digest, places_digest(frame.copy()) == digest
(True, True)
>>> places_digest(frame.assign(name=["工地", "b"])) == digest
False
"""

from __future__ import annotations

import hashlib
import threading
import weakref

import numpy as np
import shapely

#: Changed whenever what a digest covers, or how, changes: a snapshot's digests of another format are not taken.
DIGEST_FORMAT = 1

_known: dict[int, tuple[weakref.ref, str]] = {}  # id(frame) -> (the frame, weakly; its digest)
_lock = threading.Lock()


def known_digest(frame) -> str | None:
    """The digest of ``frame`` if it was found or given for this very frame (None: not yet)."""
    entry = _known.get(id(frame))
    return entry[1] if entry is not None and entry[0]() is frame else None


def remember_digest(frame, digest: str) -> None:
    """Take ``digest`` as the digest of ``frame`` (read from a snapshot written with it), for as long as it lives."""
    key = id(frame)

    def forget(ref, key=key):  # the frame is gone: its id may be another frame's next
        with _lock:
            if _known.get(key, (None,))[0] is ref:
                del _known[key]

    with _lock:
        _known[key] = (weakref.ref(frame, forget), digest)


def places_digest(frame) -> str:
    """A digest of ``frame``'s ids, names (when it has them) and shapes, in order: found once per frame."""
    found = known_digest(frame)
    if found is not None:
        return found
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{DIGEST_FORMAT}\x1e{len(frame)}\x1e".encode())
    digest.update("\x1f".join(frame["id"].astype(str).tolist()).encode("utf-8", "surrogatepass"))
    if "name" in frame:
        names = frame["name"].astype("string").fillna("").tolist()
        digest.update(b"\x1e" + "\x1f".join(names).encode("utf-8", "surrogatepass"))
    shapes = frame.geometry.to_numpy()
    missing = shapely.is_missing(shapes)  # a place not placed yet (待定位): no shape, said by its own bit
    wkb = shapely.to_wkb(shapes, output_dimension=2).astype(object)
    wkb[missing] = b""
    digest.update(b"\x1e" + np.packbits(missing).tobytes() + b"\x1e" + b"".join(wkb.tolist()))
    found = digest.hexdigest()
    remember_digest(frame, found)
    return found
