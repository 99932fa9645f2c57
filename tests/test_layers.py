"""The layer rules of docs/ARCHITECTURE.md, checked on the source: every import statement of
every module under reviewer/ (inside functions too, since a lazy import is still a
dependency) is parsed with ``ast`` and held against the rules. No module is imported, so
this needs none of the heavy libraries and runs in a fraction of a second.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reviewer"

# Which third-party libraries each layer may import (by top-level name). The demo's media
# generators (reviewer/demo) write videos with PyAV and PDFs with PyMuPDF the way real files
# are made: they are a producer of test material, not a reader of the case.
ONLY_IN: dict[str, tuple[str, ...]] = {
    "PySide6": ("ui",),
    "shiboken6": ("ui",),
    "sqlite3": ("store",),
    "sqlite_utils": ("store",),
    "av": ("media", "export", "demo"),
    "vlc": ("media", "export", "ui"),  # ui: VLC's Qt embedding
    "fitz": ("pdf", "export", "demo"),
    "pymupdf": ("pdf", "export", "demo"),
    "distributed": ("batch",),  # --cluster: only the batch layer talks to Dask
    "dask": ("batch",),
    "tqdm": ("cli",),  # progress bars are the command line's
}

# What each headless layer must never reach (it sits below these).
NEVER: dict[str, tuple[str, ...]] = {
    "annotate": ("store", "media", "pdf", "speech", "export", "session", "citation", "batch", "cli", "demo", "ui"),
    "store": ("media", "pdf", "speech", "export", "session", "citation", "batch", "cli", "demo", "ui"),
    "media": ("store", "pdf", "speech", "export", "session", "citation", "batch", "cli", "demo", "ui"),
    "pdf": ("store", "media", "speech", "export", "session", "citation", "batch", "cli", "demo", "ui"),
    # speech (media's sibling): recognises and matches words in samples it is handed
    "speech": ("store", "media", "pdf", "export", "session", "citation", "batch", "cli", "demo", "ui"),
    "export": ("session", "citation", "batch", "cli", "demo", "ui"),
    "session": ("export", "citation", "batch", "cli", "demo", "ui"),  # export's sibling
    "citation": ("batch", "cli", "demo", "ui"),
    "batch": ("citation", "cli", "demo", "ui"),  # per-item jobs over session and export
    "cli": ("ui",),
    "demo": ("citation", "batch", "cli", "ui"),  # citation's sibling
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything the module imports; ``from P import m`` names the
    submodule P.m when m is one, so edges inside a package are seen."""
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            subs = [f"{mod}.{a.name}" for a in node.names if _is_module(f"{mod}.{a.name}")]
            yield from ((node.lineno, s) for s in subs)
            if len(subs) < len(node.names):
                yield node.lineno, mod


def _layer(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


MODULES = sorted(PACKAGE.rglob("*.py"))
GRAPH = {_module_name(p): list(_imports(p)) for p in MODULES}


def test_the_parser_sees_the_package():
    # guards against a rule passing because nothing was parsed
    assert len(GRAPH) > 100
    assert ("reviewer.media.frameindex" in {n for _, n in GRAPH["reviewer.media.index"]})
    assert any(n == "PySide6.QtWidgets" or n.startswith("PySide6") for _, n in GRAPH["reviewer.ui.app"])


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_libraries_stay_in_their_layers(library):
    allowed = ONLY_IN[library]
    bad = [f"{mod}:{line} imports {name}" for mod, imps in GRAPH.items() for line, name in imps
           if name.split(".")[0] == library and _layer(mod) not in allowed]
    assert not bad, f"{library} only under {', '.join('reviewer/' + a for a in allowed)}:\n" + "\n".join(bad)


@pytest.mark.parametrize("layer", sorted(NEVER))
def test_layers_import_only_layers_below(layer):
    banned = NEVER[layer]
    bad = [f"{mod}:{line} imports {name}" for mod, imps in GRAPH.items() if _layer(mod) == layer
           for line, name in imps if name.startswith("reviewer.") and _layer(name) in banned]
    assert not bad, "\n".join(bad)


def _cycle(nodes: set[str]) -> list[str] | None:
    """One import circle among ``nodes`` (depth-first search), or None."""
    edges = {m: sorted({n for _, n in GRAPH[m] if n in nodes and n != m}) for m in nodes}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in edges[m]:
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(nodes):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_media_has_no_import_circle():
    media = {m for m in GRAPH if m.startswith("reviewer.media.")}
    assert "reviewer.media.server" in media and "reviewer.media.probe" in media
    circle = _cycle(media)
    assert circle is None, "import circle in reviewer/media: " + " -> ".join(circle or [])


def test_the_circle_finder_finds_a_circle():
    # the check above is only worth something if a real circle would be reported
    saved = GRAPH.get("reviewer.media.decode")
    GRAPH["reviewer.media.decode"] = [*saved, (0, "reviewer.media.server")]
    try:
        circle = _cycle({m for m in GRAPH if m.startswith("reviewer.media.")})
    finally:
        GRAPH["reviewer.media.decode"] = saved
    assert circle is not None and circle[0] == circle[-1] and "reviewer.media.server" in circle


def test_ui_tests_are_grouped_like_the_ui_package():
    # tests/ui has no __init__.py (its tests import `conftest` by name), so two test files
    # with one name would collide, and a folder should match a ui group it tests
    tests_ui = ROOT / "tests" / "ui"
    groups = {p.name for p in tests_ui.iterdir() if p.is_dir() and p.name != "__pycache__"}
    ui_groups = {p.parent.name for p in (PACKAGE / "ui").glob("*/__init__.py")}
    assert groups and groups <= ui_groups, f"tests/ui folders not matching a reviewer/ui group: {groups - ui_groups}"
    names = [p.name for p in tests_ui.rglob("test_*.py")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    importing_tests = [f"{p.relative_to(ROOT)}:{line}" for p in tests_ui.rglob("*.py")
                       for line, name in _imports(p) if name.split(".")[-1].startswith("test_")]
    assert not importing_tests, "a test imports another test module (put shared helpers in conftest):\n" + \
        "\n".join(importing_tests)


def test_every_import_of_a_reviewer_name_resolves():
    # Imports inside functions only fail when the function runs; after a rename (such as
    # media.index.load_index becoming cached_index) a merged caller would fail late, or
    # silently where it catches ImportError. Every `from reviewer.X import name` must resolve.
    import importlib

    missing = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and not node.level and node.module
                    and node.module.split(".")[0] == "reviewer"):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(module, alias.name) and not _is_module(f"{node.module}.{alias.name}"):
                    missing.append(f"{_module_name(path)}:{node.lineno} from {node.module} import {alias.name}")
    assert not missing, "\n".join(missing)
