"""A Streamlit client without a browser: the WebSocket protocol spoken by hand, as an attacker's program would.

Streamlit's browser code opens ``/_stcore/stream`` with the subprotocols
``streamlit, <xsrf token>, <session id to resume>``, sends a ``BackMsg`` asking for a
run and receives ``ForwardMsg`` protobufs (the new session, then the page's elements,
then ``script_finished``). :class:`RawSession` does the same with any cookies and any
session id, and gives the page back as text to search.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from google.protobuf import text_format
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
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

    def run(self, page: str = "", query: str = "", timeout: float = 60.0) -> str:
        """Ask for a run of ``page`` (a url path such as ``"upload"``; '' the default page) and wait for its end.

        Returns the page as text: every message of the run in protobuf text format.
        """
        request = BackMsg()
        request.rerun_script.query_string = query
        request.rerun_script.page_name = page
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
            if message.WhichOneof("type") == "new_session":
                self.session_id = message.new_session.initialize.session_id
            if (message.WhichOneof("type") == "script_finished"
                    and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                break
        else:
            raise AssertionError(f"no end of the run within {timeout:.0f} s")
        self.messages.extend(run)
        return "\n".join(text_format.MessageToString(m, as_utf8=True) for m in run)


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
