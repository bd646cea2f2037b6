"""No import cycle between the modules of one app (issue 20).

The graph is built from each module's top-level imports only (``import x``, ``from x import y``
at module level, including under ``if``/``try``), read with ``ast`` without importing anything.
A function-local import is left out on purpose: it is how a real cycle is broken, with a comment
saying which. ``from . import services`` counts as an import of ``<app>.services`` (the name
imported may be a module), and importing a package's module also imports the package.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = {
    "tests",
    "benchmarks",
    "scripts",
    "static",
    "templates",
    "docs",
    "media",
    "node_modules",
}


def _apps() -> list[str]:
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if path.is_dir()
        and path.name not in LEFT_OUT
        and not path.name.startswith(".")
        and (path / "__init__.py").exists()
    )


def _modules(app: str, root: Path = ROOT) -> dict[str, Path]:
    """Dotted name → file for every module of the app (migrations left out)."""
    found = {}
    for path in (root / app).rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _top_level_imports(node: ast.AST):
    """The import statements run when the module is imported (not those inside functions or
    classes' methods)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If | ast.Try | ast.With | ast.ClassDef | ast.ExceptHandler):
            yield from _top_level_imports(child)


def _resolve(module: str, path: Path, statement: ast.ImportFrom) -> str:
    if not statement.level:
        return statement.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - statement.level + 1]
    return ".".join(base + ([statement.module] if statement.module else []))


def import_graph(app: str, root: Path = ROOT) -> dict[str, set[str]]:
    modules = _modules(app, root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        # A module's own packages are always imported before it: no edge to them from a
        # submodule's import (``from .psas import x``), only from a name taken from one
        # (``from . import SomeModel`` in a package's module depends on its ``__init__``).
        ancestors = {".".join(name.split(".")[:end]) for end in range(1, name.count(".") + 1)}
        tree = ast.parse(path.read_text(), filename=str(path))
        for statement in _top_level_imports(tree):
            if isinstance(statement, ast.Import):
                targets = [alias.name for alias in statement.names]
            else:
                base = _resolve(name, path, statement)
                targets = []
                for alias in statement.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in modules else base)
                    if submodule not in modules and base in ancestors:
                        graph[name].add(base)
            for target in targets:
                # Importing a.b.c runs a, a.b and a.b.c.
                parts = target.split(".")
                for end in range(1, len(parts) + 1):
                    prefix = ".".join(parts[:end])
                    if prefix in modules and prefix != name and prefix not in ancestors:
                        graph[name].add(prefix)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


@pytest.mark.parametrize("app", _apps())
def test_no_import_cycle_within_an_app(app):
    cycle = find_cycle(import_graph(app))
    assert cycle is None, f"import cycle in {app}: {' → '.join(cycle or [])}"


def test_the_check_finds_a_cycle():
    assert find_cycle({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}}) == [
        "a.x",
        "a.y",
        "a.z",
        "a.x",
    ]
    assert find_cycle({"a.x": {"a.y"}, "a.y": set()}) is None


def test_the_graph_reads_relative_and_package_imports():
    graph = import_graph("payments")
    assert "payments.models" in graph["payments.admin"]
    assert any(target.startswith("payments.services") for target in graph["payments.admin"])


def test_a_cycle_through_a_package_is_found(tmp_path):
    """services/a.py takes a name from the package's __init__, which imports services/a.py
    back: a real cycle. A function-local import is left out."""
    package = tmp_path / "app" / "services"
    package.mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "tasks.py").write_text("def run():\n    from .services import a\n")
    (package / "__init__.py").write_text("from .a import thing\nVALUE = 1\n")
    (package / "a.py").write_text("from . import VALUE\nfrom .. import tasks\nthing = VALUE\n")
    graph = import_graph("app", tmp_path)
    assert graph["app.tasks"] == set()
    assert find_cycle(graph) == ["app.services", "app.services.a", "app.services"]
    (package / "a.py").write_text("from .. import tasks\nthing = 1\n")
    assert find_cycle(import_graph("app", tmp_path)) is None
