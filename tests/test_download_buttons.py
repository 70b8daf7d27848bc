"""Every download button downloads without rerunning the page.

A click on a ``st.download_button`` whose ``on_click`` is Streamlit's default ("rerun") sends two messages: one
asking for the file made by the button's callable, one rerunning the page. When the rerun starts, Streamlit
clears what is queued for the browser, and an answer with the file's address queued just before went with it:
the click downloaded nothing. CI met this twice on a loaded machine (the scoped officer's CSV export, 30 s and
no download); a user would meet it on a busy server. The rerun showed nothing new either, and at 100,000
places it costs a whole run of the page.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def reruns_on_click(path: Path) -> list[str]:
    """The download buttons in ``path`` that do not say ``on_click="ignore"``, as ``file:line``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     source = Path(folder) / "page.py"
    ...     _ = source.write_text('st.download_button("a", b"x")\\nst.download_button("b", b"y", on_click="ignore")\\n')
    ...     [line.split(":")[1] for line in reruns_on_click(source)]
    ['1']
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "download_button"
            and not any(k.arg == "on_click" and isinstance(k.value, ast.Constant) and k.value.value == "ignore"
                        for k in node.keywords)]


def test_every_download_button_downloads_without_a_rerun():
    paths = [*ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    found = sum((reruns_on_click(path) for path in paths), [])
    assert not found, 'download buttons without on_click="ignore" (a rerun loses their file): ' + ", ".join(found)
