"""A layer's packs kept across restarts: an index of the pack files made of a set of places, found again by content.

The packs of a million compounds (their tiles converted to the base map's datum, gzipped) took 33 s of the
warm-up after every start, for the very files the last start had written (named by their content,
:func:`geo.maps.pack.write_pack`). Once made, the packs of a layer's places are listed in an index file named
by :func:`places_key`: a digest of what the packs are made of (each place's id, name and shape, in order) and
of every choice that shapes them (the datum, how many places a tile holds, the formats). The next start with
the same places finds the index and reads the packs' files back instead of making them again.

An index is taken only whole: every file it lists must be there, gzipped copy included, each with the digest
its name says. The index says nothing a pack does not (ids are in the labelled packs already); it is kept
beside the store, not among the files served.

Examples
--------
>>> import tempfile
>>> from shapely import Point
>>> from geo.maps.pack import pack_places, write_pack
>>> frame = gpd.GeoDataFrame({"id": ["S1", "S2"], "name": ["工地", "b"]}, geometry=[Point(114.3, 29.8)] * 2)
>>> key = places_key(frame, "wgs84", 1000)
>>> key == places_key(frame.assign(name=["工地", "c"]), "wgs84", 1000), key == places_key(frame, "gcj02", 1000)
(False, False)
>>> packs, index = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
>>> made = [("whole", None, pack_places(frame))]
>>> _ = write_pack(made[0][2], packs); keep_packs(index, key, made)
>>> [(role, box, pack.ids.tolist()) for role, box, pack in kept_packs(index, key, packs)]
[('whole', None, ['S1', 'S2'])]
>>> kept_packs(index, places_key(frame.iloc[:1], "wgs84", 1000), packs) is None
True
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

from geo.maps.pack import PACK_FORMAT, Pack, text_digest
from geo.maps.tiles import DOT_PRECISION
from geo.store import places_digest, private_folder

log = logging.getLogger(__name__)

#: Changed whenever what an index holds, or what packs the same places and choices make, changes.
KEPT_FORMAT = 1

#: Indexes kept in a folder, the newest used: a city's layers and the scopes of its accounts.
INDEXES_KEPT = 64

#: A kept pack: its role (``"whole"``, ``"tile"``, ``"dots"``), its tile's extent (None but for a tile), itself.
Kept = tuple[str, "tuple[float, float, float, float] | None", Pack]


def places_key(frame: gpd.GeoDataFrame, *choices) -> str:
    """A digest of ``frame``'s places (:func:`geo.store.places_digest`: ids, names and shapes in order) and of
    ``choices`` (datum, sizes): the packs made of the same places with the same choices are the same files."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (KEPT_FORMAT, PACK_FORMAT, DOT_PRECISION, *choices):  # not the CRS: WGS-84 by contract
        digest.update(f"{part}\x1e".encode())
    digest.update(places_digest(frame).encode())
    return digest.hexdigest()


def _index_file(folder: Path, key: str) -> Path:
    return folder / f"packs-{key}.json"


def keep_packs(folder: Path, key: str, packs: list[Kept]) -> None:
    """List ``packs`` (written already) in the index of ``key`` in ``folder``, and forget the oldest indexes beyond
    :data:`INDEXES_KEPT`. A folder that cannot be written is logged: the next start makes the packs again."""
    body = {"format": KEPT_FORMAT, "packs": [
        {"role": role, "box": list(box) if box is not None else None, "file": pack.file_name, "kind": pack.kind,
         "digest": pack.digest, "ids": pack.ids.tolist()} for role, box, pack in packs]}
    try:
        private_folder(folder)  # beside the store, as its snapshot
        target = _index_file(folder, key)
        partial = folder / f".{target.name}.{os.getpid()}"
        partial.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, target)
        now = time.time()  # the file system's own stamp is the kernel's coarse clock: indexes written within a
        os.utime(target, (now, now))  # few milliseconds got the same one, and the newest could be forgotten
        indexes = sorted(folder.glob("packs-*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in indexes[INDEXES_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("the index of the map's packs could not be written to %s: %s", folder, exc)


def kept_packs(folder: Path, key: str, files: Path) -> list[Kept] | None:
    """The packs the index of ``key`` in ``folder`` lists, read back from their files in ``files``; None when
    there is no such index or any of its files is missing or not what its name says (then made again)."""
    index = _index_file(folder, key)
    try:
        body = json.loads(index.read_text(encoding="utf-8"))
        if body.get("format") != KEPT_FORMAT:
            return None
        found = []
        for entry in body["packs"]:
            text = (files / entry["file"]).read_text(encoding="utf-8")
            pack = Pack(np.array(entry["ids"], dtype=object), text, entry["digest"], entry["kind"])
            if text_digest(text) != pack.digest or pack.file_name != entry["file"] or \
                    not (files / f"{entry['file']}.gz").is_file():
                return None
            found.append((entry["role"], tuple(entry["box"]) if entry["box"] is not None else None, pack))
        now = time.time()
        os.utime(index, (now, now))  # the newest used is kept longest
        return found
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("the index %s of the map's packs could not be read (the packs are made again): %s", index, exc)
        return None

