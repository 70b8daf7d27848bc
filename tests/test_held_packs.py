"""A read-only install (``static/cache`` cannot be written): its packs are held in memory (ui/held.py) and the
web server's own middleware (ui/server.py BrowserGate) answers them under their paths, after the same checks as
the files; before, each page carried its packs, a nation's every tile."""

from __future__ import annotations

import asyncio
import gzip

import geopandas as gpd
from shapely import box

import ui.packs
from geo.maps import pack_places
from ui.server import BrowserGate


async def _not_found(scope, receive, send):
    """Streamlit's static handler for a file that is not on the disk."""
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b"not found"})


def _get(path: str) -> tuple[int, bytes]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [], "scheme": "http", "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 5000)}
    asyncio.run(BrowserGate(_not_found)(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_read_only_install_holds_its_packs_and_the_web_server_answers_them(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(ui.packs, "PACK_DIR", blocker / "cache")  # under a file: cannot be made
    frame = gpd.GeoDataFrame({"id": ["C1", "C2"], "name": ["金桂花园", "<b>温泉</b>"]},
                             geometry=[box(114.3, 29.8, 114.31, 29.81), box(114.4, 29.9, 114.41, 29.91)], crs=4326)
    pack = pack_places(frame)
    source = ui.packs._written(pack, "")
    assert source.url == f"/app/static/cache/{pack.file_name}" and source.folder is None  # fetched, not embedded
    assert '"data"' not in source.js()

    status, body = _get(source.gz_url)
    assert status == 200 and gzip.decompress(body).decode("utf-8") == pack.text
    status, body = _get(source.url)
    assert status == 200 and body.decode("utf-8") == pack.text
    assert _get("/app/static/cache/places-0000.json")[0] == 404  # nothing held: Streamlit's own answer

    monkeypatch.setenv("CMDMAP_REQUIRE_LOGIN", "true")
    status, body = _get(source.gz_url)  # no login: refused like the file, no byte of it
    assert status == 403 and pack.text.encode("utf-8")[:20] not in body
