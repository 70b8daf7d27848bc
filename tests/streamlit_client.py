"""A Streamlit client without a browser: the WebSocket protocol spoken by hand, as an attacker's program would.

Streamlit's browser code opens ``/_stcore/stream`` with the subprotocols
``streamlit, <xsrf token>, <session id to resume>``, sends a ``BackMsg`` asking for a
run and receives ``ForwardMsg`` protobufs (the new session, then the page's elements,
then ``script_finished``). :class:`RawSession` does the same with any cookies and any
session id, and gives the page back as text to search. It can also use the page's widgets
as the browser code does (:meth:`RawSession.widget`, the ``states`` of :meth:`RawSession.run`):
a button's click is a run sending its trigger, a form's submit a run sending its fields'
values with the submit button's trigger; a widget left out keeps the value the page gave it.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.request import urlopen

from google.protobuf import text_format
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


@dataclass
class RawSession:
    """One WebSocket to a running app, optionally resuming ``resume`` and presenting ``cookies``."""

    base_url: str
    resume: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    messages: list[ForwardMsg] = field(default_factory=list)
    session_id: str | None = None
    shown: dict[str, object] = field(default_factory=dict)  # the last run's widgets: id -> their element's proto
    clocks: dict[str, tuple[float, float]] = field(default_factory=dict)  # timed fragment -> (interval, next due)

    def __enter__(self) -> "RawSession":
        parts = urlsplit(self.base_url)
        protocols = ["streamlit", "", self.resume] if self.resume else ["streamlit"]
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        # websockets refuses empty subprotocol entries: the XSRF slot carries a placeholder (no st.login here)
        protocols = [p or "none" for p in protocols]
        self._stack = ExitStack()
        self._socket = self._stack.enter_context(connect(
            f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream", subprotocols=protocols,
            additional_headers=headers, max_size=None, open_timeout=30))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def run(self, page: str = "", query: str = "", timeout: float = 60.0, states: list[WidgetState] = ()) -> str:
        """Ask for a run of ``page`` (a url path such as ``"upload"``; '' the default page) with the widget
        ``states`` (see :func:`trigger`, :func:`value`) and wait for its end.

        Returns the page as text: every message of the run in protobuf text format.
        """
        request = BackMsg()
        request.rerun_script.query_string = query
        request.rerun_script.page_name = page
        request.rerun_script.widget_states.widgets.extend(states)
        self._socket.send(request.SerializeToString())
        run: list[ForwardMsg] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data = self._socket.recv(timeout=max(0.1, deadline - time.monotonic()))
            except (TimeoutError, ConnectionClosed):
                break
            message = ForwardMsg()
            message.ParseFromString(data)
            run.append(message)
            self._keep_clocks(message)
            if message.WhichOneof("type") == "new_session":
                self.session_id = message.new_session.initialize.session_id
            if (message.WhichOneof("type") == "script_finished"
                    and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                break
        else:
            raise AssertionError(f"no end of the run within {timeout:.0f} s")
        self.messages.extend(run)
        self.shown = {}
        for message in run:
            if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                proto = getattr(element, element.WhichOneof("type") or "", None)
                if getattr(proto, "id", ""):
                    self.shown[proto.id] = proto
        return "\n".join(text_format.MessageToString(m, as_utf8=True) for m in run)

    def listen(self, seconds: float, page: str = "") -> list[ForwardMsg]:
        """Receive what the server sends for ``seconds``, asking for the page's timed fragment runs (``run_every``)
        on their own clocks as the browser's code does (``auto_rerun`` messages set a clock, ``stop_auto_rerun``
        stops them): a screen left open without a browser. Returns the messages received."""
        timers = self.clocks
        received: list[ForwardMsg] = []
        end = time.monotonic() + seconds
        while (now := time.monotonic()) < end:
            for fragment, (interval, due) in list(timers.items()):
                if due <= now:
                    request = BackMsg()
                    request.rerun_script.page_name = page
                    request.rerun_script.fragment_id = fragment
                    request.rerun_script.is_auto_rerun = True
                    self._socket.send(request.SerializeToString())
                    timers[fragment] = (interval, now + interval)
            wait = min([end, *(due for _, due in timers.values())]) - now
            try:
                data = self._socket.recv(timeout=max(0.05, wait))
            except TimeoutError:
                continue
            message = ForwardMsg()
            message.ParseFromString(data)
            received.append(message)
            self._keep_clocks(message)
        return received

    def _keep_clocks(self, message: ForwardMsg) -> None:
        """A timed fragment's clock starts when a run announces it; one the page no longer has stops."""
        kind = message.WhichOneof("type")
        if kind == "auto_rerun" and message.auto_rerun.fragment_id not in self.clocks:
            interval = message.auto_rerun.interval
            self.clocks[message.auto_rerun.fragment_id] = (interval, time.monotonic() + interval)
        elif kind == "stop_auto_rerun":
            for fragment in message.stop_auto_rerun.fragment_ids:
                self.clocks.pop(fragment, None)

    def widget(self, key: str | None = None, label: str | None = None):
        """The proto of the last run's widget made with ``key`` (its id ends with it) or labelled ``label``."""
        for widget_id, proto in self.shown.items():
            if (key is not None and widget_id.endswith(f"-{key}")) or (label is not None and proto.label == label):
                return proto
        raise LookupError(f"no widget {key or label!r} on the page: {[p.label for p in self.shown.values()]}")


def browser_cookies(base_url: str, path: str = "/") -> dict[str, str]:
    """The cookies a browser gets with the page at ``path`` (the app gives each browser its own)."""
    with urlopen(base_url.rstrip("/") + path, timeout=30) as response:
        return dict(header.split(";", 1)[0].split("=", 1) for header in response.headers.get_all("Set-Cookie") or [])


def trigger(widget) -> WidgetState:
    """A button's (or a form's submit button's) click."""
    return WidgetState(id=widget.id, trigger_value=True)


def value(widget, given) -> WidgetState:
    """A text box's or a number box's new value."""
    state = WidgetState(id=widget.id)
    if isinstance(given, str):
        state.string_value = given
    elif isinstance(given, int):
        state.int_value = given
    else:
        state.double_value = float(given)
    return state


def session_ids(frames: list[bytes]) -> list[str]:
    """The session ids announced in WebSocket frames a browser received (its ``new_session`` messages)."""
    found = []
    for frame in frames:
        message = ForwardMsg()
        try:
            message.ParseFromString(frame)
        except Exception:  # noqa: BLE001 - not every frame need be one message
            continue
        if message.WhichOneof("type") == "new_session" and message.new_session.initialize.session_id:
            found.append(message.new_session.initialize.session_id)
    return found
