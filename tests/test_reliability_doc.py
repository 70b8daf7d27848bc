"""Every test that docs/reliability.md cites exists (issue #17: a row still cited a test removed by a change).

The document cites tests as `tests/test_x.py::test_name`, or by name alone (`test_name`) after a file cited
earlier on its line or under a section's "Tests are in `tests/test_x.py` unless named otherwise"; a
parametrized case carries its id (`[sqlite]`, `[…]`), and a name may be shortened: `test_users_page_refuses_*`,
`test_a_display_token_opens_…` (a start), `…_of_no` (an end, of the test named before it on the line).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"

FILE = re.compile(r"tests/[\w/]+\.py")
QUOTED = re.compile(r"`([^`]+)`")
CITED = re.compile(r"^(?:(?P<file>tests/[\w/]+\.py)::)?(?P<name>…?[A-Za-z_][\w*…]*)(?:\[[^\]]*\])?$")
DEFAULT = re.compile(r"Tests are in\s+`(tests/[\w/]+\.py)`\s+unless named otherwise")


@cache
def defined(path: str) -> frozenset[str]:
    """Every function and class a file defines, at any depth (test functions, their helpers, test classes)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree)
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


def matches(name: str, names: frozenset[str], before: str | None) -> bool:
    """Whether ``name`` as cited (whole, ``*``-pattern, or shortened with ``…``) names one of ``names``."""
    if name.startswith("…") and name.endswith("…"):  # a part of the name: "…keeping_the_phone_reports…"
        return any(name[1:-1] in n for n in names)
    if name.startswith("…"):  # the end of a name whose start is the test cited before it: "…_of_no"
        end = name[1:]
        return any(n.endswith(end) and (before is None or before.startswith(n[:-len(end)])) for n in names)
    if name.endswith("…"):
        return any(n.startswith(name[:-1]) for n in names)
    if "*" in name:
        pattern = re.compile(re.escape(name).replace(r"\*", r"\w*") + "$")
        return any(pattern.match(n) for n in names)
    return name in names


def citations() -> list[tuple[int, tuple[str, ...], str, str | None]]:
    """(line number, the files it may be in, name as cited, the name cited before it on the line) of every test
    the document cites. A bare name is in the file cited before it on its line, or in one its section's text
    names ("Tests are in `tests/test_x.py` unless named otherwise", "Tests: `tests/test_scope.py` … and …")."""
    found = []
    section: list[str] = []
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            section = []  # a new section: its own files, if any
        elif not line.startswith("|"):  # the section's text, not one of its rows
            section += FILE.findall(line)
        current, before = None, None
        for quoted in (q.strip() for q in QUOTED.findall(line)):
            if FILE.fullmatch(quoted):  # a file on its own: the bare names after it on the line are its tests
                current = quoted
                continue
            cited = CITED.match(quoted)
            if not cited or not (cited.group("name").startswith(("test_", "…")) or cited.group("file")):
                continue  # a code word, not a test
            current = cited.group("file") or current
            files = (current,) if cited.group("file") else tuple(dict.fromkeys([*filter(None, [current]), *section]))
            found.append((number, files, cited.group("name"), before))
            before = cited.group("name")
    return found


def test_the_document_cites_the_tests_it_should():
    cited = citations()
    assert len(cited) > 150  # the parser reads the document's citations, not a handful of them
    bare = [c for c in cited if not c[1]]
    assert not bare, f"a test cited by name with no file on its line or in its section: {bare}"


@pytest.mark.parametrize("line, files, name, before",
                         [pytest.param(*c, id=f"line{c[0]}-{c[2]}") for c in citations()])
def test_every_test_the_document_cites_exists(line, files, name, before):
    for path in files:
        assert (ROOT / path).is_file(), f"docs/reliability.md line {line}: {path} does not exist"
    assert any(matches(name, defined(path), before) for path in files), \
        f"docs/reliability.md line {line}: no {name} in {', '.join(files)}"


def test_a_removed_test_would_be_found():
    names = defined("tests/test_browser_identity.py")
    assert not matches("test_after_a_server_restart_the_next_click_says_the_login_ended", names, None)
    assert matches("test_a_reload_a_new_tab_and_a_server_restart_keep_the_login_and_a_logout_ends_it_everywhere",
                   names, None)
    settings = defined("tests/test_settings.py")
    assert matches("…_of_no", settings, "test_require_login_understands_the_spellings_of_yes")
    assert not matches("…_of_maybe", settings, "test_require_login_understands_the_spellings_of_yes")
    assert matches("test_users_page_refuses_*", defined("tests/test_auth.py"), None)
