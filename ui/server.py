"""The web server around the app: each browser's cookie, each WebSocket's identity, and who may send files.

``serve.py`` starts the app as ``st.App("app.py", middleware=[Middleware(BrowserGate)])``;
:class:`BrowserGate` sits in front of every request Streamlit's own server answers:

* **A cookie per browser.** A page (an HTML response) for a browser without a valid
  ``cmdmap_browser`` cookie sets one: a random id, ``HttpOnly`` (page scripts cannot
  read it), ``SameSite=Strict`` (no other site's page sends it) and ``Secure`` over
  HTTPS. A login is bound to it (``ui/login.py``).
* **The identity of a WebSocket.** A header the client sent under the name
  :data:`~geo.accounts.browsers.IDENTITY_HEADER` is dropped and replaced by the key of
  the cookie the handshake presented (on every request, so that Streamlit's agent API,
  off here, could not be handed a forged one either). ``.streamlit/config.toml`` lists
  that header in ``server.trustedUserHeaders``, so Streamlit records it as the session's
  owner and hands the session back only to a connection presenting the same one: a
  session id taken from an upload URL or a proxy log gets a fresh, logged-out session.
* **Files only from who may upload.** ``PUT`` and ``DELETE`` on
  ``/_stcore/upload_file/<session>/<file>`` are answered here, before a byte of the body
  is read, unless that session is logged in (:data:`geo.accounts.LOGINS`), from this
  same browser, as an enabled account whose role may upload; and a session's files
  waiting on the server, with those still arriving, stay under ``upload_session_mb``.
* **Data files only to who may see them.** With ``require_login``, the packs of places and the
  map's scripts under ``/app/static/cache/`` (every id, name and shape of a layer) go only to a
  browser with a live login (an account, or a wall display's token), and the files Streamlit
  serves under ``/media/`` (an original upload, an export) only to a browser logged in with an
  account; anyone else gets 403 and no bytes (:func:`file_refusal`). Such a file is marked
  ``Cache-Control: private`` (no shared cache hands it on), and no response of the app carries
  ``Access-Control-Allow-Origin: *`` (another site's page may not read it).
* **Packs held in memory.** Where ``static/cache`` cannot be written (a read-only install) the packs are held
  in memory (:mod:`ui.held`) and answered here under the paths they would have had, after the same checks.
* **A scoped account's browser gets its scope's packs only.** A browser whose live logins are all
  accounts limited to an area (:mod:`geo.accounts.scope`) gets nothing of ``/app/static/cache/`` but the
  map's scripts and its own scope's folder of packs (``s-<scope digest>/``, ``ui/packs.py``), whatever
  ``require_login`` says: the whole city's packs, and another scope's, are refused (403)
  (:func:`scoped_refusal`).
* **Streamlit's metrics** (``/_stcore/metrics``: sessions, caches and their sizes) go only to a
  browser with a live admin login, whatever ``require_login`` says; nobody else needs them.
* **The base map's tiles** (``basemap=file``): ``GET /tiles/{z}/{x}/{y}`` is answered here
  from the tile file (:func:`tile_response`), never passed to Streamlit. With
  ``require_login`` only a browser with a live login (:meth:`geo.accounts.Logins.users_of`, still
  enabled in the store: :func:`still_valid`) gets a tile; anyone else gets 403 and no tile bytes.

The cookie is SameSite=Strict, so a browser following another site's link to the app does not
send it with that first request: the page it gets sets a new id, and the other tabs of that
browser keep their logins until their WebSocket reconnects (then they start logged out).

Streamlit's internals this relies on (checked by ``tests/test_browser_identity.py``):
``st.App`` with middleware (Streamlit ≥ 1.53), the upload route's path, the session
binding of ``server.trustedUserHeaders`` (``matches_user_info``, 1.67), and the
``file_storage`` of ``MemoryUploadedFileManager`` for the bytes a session holds.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse, Response
from streamlit import config, runtime

from geo import settings as settings_mod
from geo.accounts import (
    COOKIE_NAME,
    IDENTITY_HEADER,
    LOGINS,
    ROLES,
    User,
    browser_key,
    can,
    display_live,
    find_user,
    new_browser_id,
)
from geo.domain import t
from geo.io import TileFileError, cached_tile_file, read_tile
from geo.maps import TILE_ROUTE
from geo.store import connect
from ui.data import STORE_ERRORS
from ui.held import held

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

UPLOAD_ROUTE = "/_stcore/upload_file/"
MULTIPART_SLACK = 64 * 1024  # a request's multipart framing around the file, allowed above the session's limit
TILE_PATH = re.compile(re.escape(TILE_ROUTE) + r"(\d{1,2})/(\d{1,10})/(\d{1,10})(?:\.(?:png|jpe?g|webp))?")
STATIC_CACHE = "/app/static/cache/"  # the packs of places and the map's scripts (ui/packs.py, geo/maps/assets.py)
MEDIA = "/media/"  # Streamlit's media files: images, downloads (an original upload, an export)
METRICS = "/_stcore/metrics"
TILE_MAX_AGE = 86400  # seconds a browser keeps a tile: the file changes when someone replaces it, rarely
DISPLAY_ROLE = "display"  # the role of a wall display's login (ui/login.py): in no role of geo.accounts
_GATE = {"installed": False}
_in_flight: dict[str, int] = {}  # session id -> bytes of uploads being received now (event loop only)
_log = logging.getLogger(__name__)


def installed() -> bool:
    """Whether a :class:`BrowserGate` stands in front of this process's server (app.py refuses to run without)."""
    return _GATE["installed"]


def cookie_of(headers: Headers) -> str | None:
    """The browser id the request's cookies carry, or None."""
    return cookie_parser(headers.get("cookie", "")).get(COOKIE_NAME)


def cookie_path() -> str:
    """The cookie's path: the app's own, under ``server.baseUrlPath`` when it has one."""
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else "/"


def set_cookie_header(secure: bool) -> str:
    """A ``Set-Cookie`` value giving the browser a new id."""
    attributes = [f"{COOKIE_NAME}={new_browser_id()}", f"Path={cookie_path()}", "HttpOnly", "SameSite=Strict"]
    return "; ".join(attributes + (["Secure"] if secure else []))


def with_identity(scope: Scope) -> Scope:
    """A request's scope with the identity header set from its cookie (a client's own one dropped).

    >>> forged = {"type": "websocket", "headers": [(b"x-cmdmap-browser", b"forged"),
    ...                                            (b"cookie", b"cmdmap_browser=" + b"x" * 43)]}
    >>> [value[:12] for name, value in with_identity(forged)["headers"] if name == b"x-cmdmap-browser"]
    [b'cc0b1c2c66f3']
    >>> [name for name, _ in with_identity({"headers": [(b"x-cmdmap-browser", b"forged")]})["headers"]]
    []
    """
    headers = MutableHeaders(scope=dict(scope, headers=list(scope["headers"])))
    del headers[IDENTITY_HEADER]
    key = browser_key(cookie_of(headers))
    if key is not None:
        headers.append(IDENTITY_HEADER, key)
    return dict(scope, headers=headers.raw)


def upload_session(path: str) -> str | None:
    """The session id of an upload URL's path, or None when ``path`` is not one.

    >>> upload_session("/_stcore/upload_file/5f1c-aa/file-1"), upload_session("/app/_stcore/upload_file/s/f/")
    ('5f1c-aa', 's')
    >>> upload_session("/_stcore/upload_file/"), upload_session("/compounds")
    ('', None)
    """
    if UPLOAD_ROUTE not in path:
        return None
    return path.split(UPLOAD_ROUTE, 1)[1].split("/", 1)[0]


def pending_bytes(session_id: str) -> int:
    """Bytes of the files ``session_id`` has on the server, waiting for the page (Streamlit's upload manager)."""
    manager = runtime.get_instance().uploaded_file_mgr
    storage = getattr(manager, "file_storage", None)  # MemoryUploadedFileManager (Streamlit 1.67), not public
    if storage is None:
        return 0
    with manager._lock:
        files = storage.get(session_id) or {}
        return sum(len(record.data) for record in files.values())


def drop_session_files(session_id: str) -> None:
    """Free the files ``session_id`` sent (at logout: nobody may use them any more)."""
    if runtime.exists():
        runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)


def _uploader(session_id: str, cookie: str | None):
    """The enabled account logged in on ``session_id`` from this browser, if it may upload; else None."""
    settings = settings_mod.load()
    user = LOGINS.holder(session_id, browser_key(cookie), idle_seconds=settings.session_minutes * 60)
    if user is None or user.role not in ROLES:  # a wall display's session holds no account
        return None
    try:
        current = find_user(connect(settings.database_url), user.name)  # disabled or demoted since its last run?
    except STORE_ERRORS:
        return None
    return current if current is not None and can(current, "upload") else None


def app_path(path: str) -> str:
    """``path`` without the app's ``server.baseUrlPath``."""
    base = cookie_path().rstrip("/")
    return path[len(base):] if base and path.startswith(base + "/") else path


def guarded(path: str) -> bool:
    """Whether ``path`` is one of the files :func:`file_refusal` decides about.

    >>> guarded("/app/static/cache/places-1.json"), guarded("/media/a.csv"), guarded("/_stcore/metrics")
    (True, True, True)
    >>> guarded("/app/static/vendor/leaflet/leaflet.js"), guarded("/_stcore/health")
    (False, False)
    """
    path = app_path(path)
    return path.startswith(STATIC_CACHE) or path.startswith(MEDIA) or path.rstrip("/") == METRICS


def still_valid(user: User) -> bool:
    """Whether a login the web server holds is still good in the store: the account enabled (with the same
    role), or the wall display not revoked. Logins are kept per process; a change made elsewhere (the
    command line, another app process) shows here."""
    url = settings_mod.load().database_url
    try:
        if user.role == DISPLAY_ROLE:
            return display_live(connect(url), user.name)
        current = find_user(connect(url), user.name)
    except STORE_ERRORS:
        return False  # nobody can be checked: nothing is handed out
    return current is not None and current.role == user.role


def current_logins(browser: str | None, idle: float, roles=None) -> list[User]:
    """The live logins of ``browser`` as the store has them now: accounts re-read (enabled, same role; with
    their scope now), wall displays not revoked."""
    url = settings_mod.load().database_url
    found = []
    for user in LOGINS.users_of(browser, idle, roles=roles):
        try:
            if user.role == DISPLAY_ROLE:
                current = user if display_live(connect(url), user.name) else None
            else:
                current = find_user(connect(url), user.name)
        except STORE_ERRORS:
            continue  # nobody can be checked: nothing is handed out on their account
        if current is not None and current.role == user.role:
            found.append(current)
    return found


SCRIPT_FILE = re.compile(r"cmdmap-map-[0-9a-f]+\.js")
SCOPED_PACK = re.compile(r"s-([0-9a-f]{16})/(?:places|fields)-[0-9a-f]+\.json(?:\.gz)?")  # packs, tiles' tooltips


def scoped_refusal(path: str, logins: list[User]) -> Response | None:
    """For a browser whose live ``logins`` are all scoped accounts: 403 for anything of ``static/cache`` but the
    map's scripts and the packs of one of their scopes (see the module); None otherwise.

    >>> from geo.accounts import Scope
    >>> officer = User("li", "viewer", Scope.parse("zone:Z1"))
    >>> own = f"/app/static/cache/s-{officer.scope.digest}/places-0a1b.json.gz"
    >>> scoped_refusal(own, [officer]), scoped_refusal("/app/static/cache/cmdmap-map-0123456789ab.js", [officer])
    (None, None)
    >>> scoped_refusal(own.replace("places-", "fields-"), [officer]) is None  # a tile's tooltip lines
    True
    >>> [scoped_refusal(path, [officer]).status_code for path in ("/app/static/cache/places-0a1b.json.gz",
    ...  "/app/static/cache/s-0123456789abcdef/places-0a1b.json", own.replace("places-", "../places-"),
    ...  "/app/static/cache/fields-0a1b.json.gz", "/app/static/cache/s-0123456789abcdef/fields-0a1b.json")]
    [403, 403, 403, 403, 403]
    >>> scoped_refusal("/app/static/cache/places-0a1b.json", [officer, User("wang", "admin")]) is None
    True
    """
    if not path.startswith(STATIC_CACHE) or not logins or any(
            user.role == DISPLAY_ROLE or getattr(user, "scope", None) is None for user in logins):
        return None
    rest = path[len(STATIC_CACHE):]
    if posixpath.normpath(path) != path or "\\" in rest:
        return _refusal(403, "server_files_scoped")
    if SCRIPT_FILE.fullmatch(rest):
        return None
    found = SCOPED_PACK.fullmatch(rest)
    if found and any(user.scope.digest == found[1] for user in logins):
        return None
    return _refusal(403, "server_files_scoped")


def file_refusal(path: str, cookie: str | None) -> Response | None:
    """The answer refusing a request for a guarded file (see the module), or None when it may be served.

    Reads the store (who is still enabled): called in a worker thread.
    """
    path = app_path(path)
    settings = settings_mod.load()
    idle = settings.session_minutes * 60
    browser = browser_key(cookie)
    if path.rstrip("/") == METRICS:
        if not any(still_valid(user) for user in LOGINS.users_of(browser, idle, roles=("admin",))):
            return _refusal(403, "server_metrics_refused")
        return None
    if path.startswith(STATIC_CACHE) and (refused := scoped_refusal(path, current_logins(browser, idle))):
        return refused
    if not settings.require_login:
        return None
    roles = ROLES if path.startswith(MEDIA) else None  # a wall display needs its packs, never a download
    if not any(still_valid(user) for user in LOGINS.users_of(browser, idle, roles=roles)):
        return _refusal(403, "server_files_refused")
    return None


def held_response(path: str) -> Response | None:
    """A pack the app could not write to ``static/cache`` (a read-only install), answered from memory
    (:mod:`ui.held`) as Streamlit would answer the file; None when none is held for ``path``. Called after
    :func:`file_refusal`, whose checks of the path apply to it as to a file."""
    path = app_path(path)
    body = held(path) if path.startswith(STATIC_CACHE) else None
    if body is None:
        return None
    kind = "application/gzip" if path.endswith(".gz") else "application/json"  # unzipped by the page's script
    return Response(body, media_type=kind, headers={"Cache-Control": f"private, max-age={TILE_MAX_AGE}"})


def tile_position(path: str) -> tuple[int, int, int] | None:
    """The (z, x, y) a tile URL's path asks for, or None when it is not one.

    >>> tile_position("/tiles/12/3370/1552"), tile_position("/tiles/12/3370/1552.png")
    ((12, 3370, 1552), (12, 3370, 1552))
    >>> tile_position("/tiles/12/3370"), tile_position("/tiles/a/b/c"), tile_position("/tiles/1/2/3/../4")
    (None, None, None)
    """
    found = TILE_PATH.fullmatch(path)
    return None if found is None else (int(found[1]), int(found[2]), int(found[3]))


def tile_response(path: str, cookie: str | None) -> Response:
    """The answer to a tile request: the tile (200), 404 where the file has none (or there is no tile file),
    403 with no tile bytes when ``require_login`` and this browser holds no live login."""
    settings = settings_mod.load()
    if settings.require_login and not any(
            still_valid(user) for user in LOGINS.users_of(browser_key(cookie), settings.session_minutes * 60)):
        return _refusal(403, "server_tiles_refused")
    position = tile_position(path)
    if settings.basemap != "file" or position is None:
        return Response(status_code=404)
    try:
        tiles = cached_tile_file(settings.tile_file)
    except TileFileError:
        return Response(status_code=404)
    data = read_tile(tiles, *position)
    if data is None:
        return Response(status_code=404)
    # private: with require_login a shared cache must not hand a tile to someone else
    cache = f"{'private' if settings.require_login else 'public'}, max-age={TILE_MAX_AGE}"
    return Response(data, media_type=tiles.media_type,
                    headers={"cache-control": cache, "x-content-type-options": "nosniff"})


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}"


def _refusal(status: int, key: str, **values) -> PlainTextResponse:
    return PlainTextResponse(t(key, **values).both("\n"), status_code=status)


class BrowserGate:
    """ASGI middleware: the browser cookie, the WebSocket identity header, and the upload gate (see the module)."""

    def __init__(self, app):
        self.app = app
        _GATE["installed"] = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope = with_identity(scope)
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = cookie_of(headers)
        if browser_key(cookie) is None:
            send = self._giving_cookie(send, secure=scope.get("scheme") == "https")
        send = self._guarding_files(send)
        refusal = await run_in_threadpool(file_refusal, scope["path"], cookie) if guarded(scope["path"]) else None
        if refusal is not None:
            _log.warning("%s refused: no login from this browser", app_path(scope["path"])[:40])
            await refusal(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD") and (response := held_response(scope["path"])) is not None:
            await response(scope, receive, send)
            return
        if scope["path"].startswith(TILE_ROUTE) and scope["method"] in ("GET", "HEAD"):
            response = await run_in_threadpool(tile_response, scope["path"], cookie)
            await response(scope, receive, send)
            return
        session_id = upload_session(scope["path"])
        if session_id is None or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        await self._upload(scope, receive, send, session_id, cookie, headers)

    @staticmethod
    def _guarding_files(send: Send) -> Send:
        """``send`` that drops ``Access-Control-Allow-Origin: *`` from every response and, with
        ``require_login``, makes a shared cache keep no file of the app (``Cache-Control: private``)."""
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = MutableHeaders(scope=message)
                if response.get("access-control-allow-origin") == "*":
                    del response["access-control-allow-origin"]
                if "public" in response.get("cache-control", "") and settings_mod.load().require_login:
                    response["cache-control"] = response["cache-control"].replace("public", "private")
            await send(message)
        return sending

    @staticmethod
    def _giving_cookie(send: Send, secure: bool) -> Send:
        """``send`` that adds a new browser cookie to a page (an HTML response); other responses are left alone,
        so that no cacheable file ever carries one."""
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = MutableHeaders(scope=message)
                if response.get("content-type", "").startswith("text/html"):
                    response.append("set-cookie", set_cookie_header(secure))
            await send(message)
        return sending

    async def _upload(self, scope: Scope, receive: Receive, send: Send, session_id: str, cookie: str | None,
                      headers: Headers) -> None:
        """Pass an upload (or its removal) on only for a session that may upload, within its limit."""
        user = await run_in_threadpool(_uploader, session_id, cookie)
        if user is None:
            _log.warning("upload refused: session %s is not logged in as staff from this browser", session_id[:8])
            await _refusal(403, "server_upload_refused")(scope, receive, send)
            return
        if scope["method"] != "PUT":
            await self.app(scope, receive, send)
            return
        try:
            size = int(headers.get("content-length", ""))
        except ValueError:
            await _refusal(411, "server_upload_no_length")(scope, receive, send)
            return
        limit = settings_mod.load().upload_session_bytes
        pending = pending_bytes(session_id) + _in_flight.get(session_id, 0)
        if size < 0 or pending + size > limit + MULTIPART_SLACK:
            _log.warning("upload refused: session %s would hold %s bytes", session_id[:8], pending + size)
            await _refusal(413, "server_upload_too_much", pending=_megabytes(pending), size=_megabytes(size),
                           limit=_megabytes(limit))(scope, receive, send)
            return
        _in_flight[session_id] = _in_flight.get(session_id, 0) + size
        try:
            await self.app(scope, receive, send)
        finally:
            left = _in_flight.pop(session_id, 0) - size
            if left > 0:
                _in_flight[session_id] = left
