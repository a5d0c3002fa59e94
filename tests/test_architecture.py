"""The shape of the package: the import graph runs down, and start-up stays light.

- No import cycle among bkmap's modules, counting imports inside functions too.
- No private name (``_x``) imported from another module.
- Imports sit at the top of a module, except the few kept lazy on purpose (an
  optional extra, or start-up time), each with a comment saying so.
- ``bkmap --help`` and ``bkmap units`` import neither geopandas nor folium.
- Every package folder is in the wheel's package list.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bkmap"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in PACKAGE.rglob("*.py")}


def _top_level_ids(tree: ast.Module) -> set[int]:
    """Nodes at module level, including those of an ``if TYPE_CHECKING:`` block."""
    ids = set()
    for node in tree.body:
        ids.add(id(node))
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            ids.update(id(n) for n in ast.walk(node))
    return ids


def _imports() -> dict[str, list[tuple[ast.AST, bool]]]:
    """Each module's import statements, with whether each is at the top."""
    out: dict[str, list[tuple[ast.AST, bool]]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = _top_level_ids(tree)
        out[name] = [
            (node, id(node) in top)
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
    return out


IMPORTS = _imports()


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for name, nodes in IMPORTS.items():
        for node, _top in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bkmap"):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    edges[name].add(target if target in MODULES else node.module)
            elif isinstance(node, ast.Import):
                edges[name].update(a.name for a in node.names if a.name.startswith("bkmap"))
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in MODULES or w == "bkmap":
                continue  # the package itself only re-exports, lazily
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles(_edges()) == []


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    edges = _edges()
    edges["bkmap.model.criteria"] = edges["bkmap.model.criteria"] | {"bkmap.render.maps"}
    assert _cycles(edges)


def test_no_private_name_is_imported_from_another_module() -> None:
    offenders = [
        f"{name}: from {node.module} import {alias.name}"
        for name, nodes in IMPORTS.items()
        for node, _top in nodes
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bkmap")
        for alias in node.names
        if alias.name.startswith("_")
        and alias.name != "__version__"
        # the package's private modules (bkmap._errors, bkmap._version) are shared on purpose
        and node.module not in ("bkmap", "bkmap._errors", "bkmap._progress", "bkmap._version")
    ]
    assert offenders == []


def test_imports_are_at_the_top_or_say_why_not() -> None:
    offenders = []
    for name, nodes in IMPORTS.items():
        lines = MODULES[name].read_text(encoding="utf-8").splitlines()
        for node, top in nodes:
            if top:
                continue
            line = lines[node.lineno - 1]
            # A block of lazy imports shares the comment above its first line.
            row = node.lineno - 2
            while row >= 0 and lines[row].strip().startswith(("import ", "from ")):
                row -= 1
            above = lines[row].strip() if row >= 0 else ""
            if "#" not in line and not above.startswith("#"):
                offenders.append(f"{name}:{node.lineno}: {line.strip()}")
    assert offenders == []


def _modules_loaded(*argv: str) -> set[str]:
    code = (
        "import sys\n"
        "from bkmap.cli.main import cli\n"
        f"try:\n    cli.main({list(argv)!r}, prog_name='bkmap', standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(out.stdout.split()[-1000:])


@pytest.mark.parametrize("argv", [("--help",), ("units",), ("map", "--help")])
def test_start_up_imports_neither_geopandas_nor_folium(argv: tuple[str, ...]) -> None:
    loaded = _modules_loaded(*argv)
    assert "click" in loaded  # the probe works
    assert "geopandas" not in loaded
    assert "folium" not in loaded


def test_every_package_folder_is_in_the_wheel() -> None:
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {_module(p) for p in PACKAGE.rglob("__init__.py")}
    assert folders <= listed
