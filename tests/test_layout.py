"""The house's floors, as the README's Layout section draws them: every import points down, nothing cycles.

The floors are read from the README's table, so the table and the code cannot drift
apart: a module on no floor, an import that climbs, a cycle, an import hidden in a
function, or work done when a module is imported each fail here with the culprit named.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def floors() -> list[tuple[str, ...]]:
    """The Layout section's floors, lowest first: each a tuple of module prefixes (``geo.domain``, ``ui``)."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Layout", 1)[1].split("\n## ", 1)[0]
    found = []
    for line in section.splitlines():
        match = re.match(r"\|\s*(\d+)\s*\|([^|]*)\|", line)
        if match:
            found.append((int(match.group(1)), tuple(re.findall(r"`([\w.]+)`", match.group(2)))))
    assert [number for number, _ in found] == list(range(len(found))), "floors are numbered 0, 1, 2, … in order"
    return [prefixes for _, prefixes in found]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    paths = [*ROOT.glob("geo/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py",
             ROOT / "serve.py"]
    return {module_name(path): path for path in paths}


MODULES = project_modules()


def floor_of(module: str, layout: list[tuple[str, ...]]) -> int | None:
    """The floor of the longest prefix that names ``module`` or one of its packages."""
    best, best_length = None, -1
    for number, prefixes in enumerate(layout):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = number, len(prefix)
    return best


def imports_of(path: Path) -> list[tuple[int, str, bool]]:
    """(line, project module imported, inside a function) for every import of a project module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = {id(sub) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
              for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from geo.store import versions" imports the module geo.store.versions
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
                     for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name:
                found.append((node.lineno, name, id(node) in inside))
    return found


def graph() -> dict[str, set[str]]:
    """Module to the project modules it imports."""
    return {module: {name for _, name, _ in imports_of(path)} - {module} for module, path in MODULES.items()}


def test_every_module_stands_on_a_floor_of_the_readme():
    layout = floors()
    assert len(layout) >= 5
    homeless = sorted(module for module in MODULES if floor_of(module, layout) is None)
    assert not homeless, f"not on any floor of the README's Layout table: {homeless}"


def test_every_import_points_to_the_same_floor_or_lower():
    layout = floors()
    climbing = []
    for module, path in MODULES.items():
        own = floor_of(module, layout)
        for line, name, _ in imports_of(path):
            if floor_of(name, layout) > own:
                climbing.append(f"{path.relative_to(ROOT)}:{line} imports {name} (floor {floor_of(name, layout)} "
                                f"> {own})")
    assert not climbing, "imports that point up:\n" + "\n".join(climbing)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan).

    >>> cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    """
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_a_module_imports_its_neighbours_not_its_own_package():
    """A package's ``__init__`` imports its modules to re-export them: a module that imported its own
    package would run half of it (the re-exports are for the floors above)."""
    inward = [f"{module} imports {name}" for module, names in graph().items() for name in names
              if module.startswith(name + ".") and MODULES[name].name == "__init__.py"]
    assert not inward


def test_a_cycle_or_a_climbing_import_would_be_caught():
    """The checks themselves: a made-up cycle is found, and an upward import is named."""
    assert cycles({"geo.io.read": {"geo.io.validate"}, "geo.io.validate": {"geo.io.read"}}) == [
        ["geo.io.read", "geo.io.validate"]]
    layout = floors()
    assert floor_of("geo.store.versions", layout) > floor_of("geo.domain.schema", layout)
    assert floor_of("pages.overview", layout) > floor_of("ui.mappage", layout) > floor_of("geo.maps.build", layout)


def hidden_imports(path: Path) -> list[str]:
    """Every import statement inside a function, as ``file:line module``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{sub.lineno} {ast.unparse(sub)}"
            for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))]


def test_no_import_hides_in_a_function():
    hidden = [line for path in MODULES.values() for line in hidden_imports(path)]
    assert not hidden, "imports inside functions (put them at the top; a cycle means a module is on the wrong " \
        "floor):\n" + "\n".join(hidden)


def test_geo_never_imports_streamlit():
    offenders = []
    for module, path in MODULES.items():
        if module.startswith("geo"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [f"{module}: {n}" for n in names if n.split(".")[0] in ("streamlit", "streamlit_folium")]
    assert not offenders


@pytest.mark.parametrize("package", ["geo", "ui"])
def test_importing_every_module_does_no_work(tmp_path, package):
    """Importing writes no file and starts no store: work starts when a function is called."""
    # The import's own writes, seen by an audit hook in its process: files that other tests write meanwhile
    # (two workers share static/cache) are not its work.
    watched = [str(ROOT / "static" / "cache"), str(ROOT / "store")]
    names = sorted(m for m in MODULES if m.split(".")[0] == package and m != "geo.__main__")
    code = (
        "import importlib, os, sys\n"
        "watched, written = sys.argv[1].split('|'), []\n"
        "WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC\n"
        "def hook(event, args):\n"
        "    if event == 'open' and args and isinstance(args[0], str):\n"
        "        mode, flags = args[1], args[2] if len(args) > 2 else 0\n"
        "        writes = (isinstance(mode, str) and any(c in mode for c in 'wax+')) or (\n"
        "            mode is None and isinstance(flags, int) and flags & WRITE)\n"
        "        if writes and any(os.path.abspath(args[0]).startswith(w) for w in watched):\n"
        "            written.append(args[0])\n"
        "    elif event in ('os.mkdir', 'os.rename', 'os.replace') and args and isinstance(args[0], str) and \\\n"
        "            any(os.path.abspath(args[0]).startswith(w) for w in watched):\n"
        "        written.append(args[0])\n"
        "sys.addaudithook(hook)\n"
        "for name in sys.argv[2:]:\n"
        "    importlib.import_module(name)\n"
        "print(repr(written))\n")
    env = {**os.environ, "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite'}",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code, "|".join(watched), *names], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]", f"files written by importing: {result.stdout[-2000:]}"
    assert not list(tmp_path.iterdir()), "importing created files"
