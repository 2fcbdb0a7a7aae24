"""The import graph of lambda/cramp_helper against docs/architecture.md's layers.

Every import counts: at module level, inside functions (the lazy imports that keep cold starts
short) and under ``if TYPE_CHECKING:`` (a type-only import is still a dependency of the design; it
must not hide a cycle, so it obeys the same rules). Read with ``ast``, nothing is imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lambda" / "cramp_helper"
DOC = ROOT / "docs" / "architecture.md"


def layers() -> list[tuple[str, list[str]]]:
    """The fenced ```layers block of docs/architecture.md: (name, globs), top to bottom."""
    block = re.search(r"```layers\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```layers block"
    rows = []
    for line in block.group(1).splitlines():
        if line.strip():
            name, _, globs = line.partition(":")
            rows.append((name.strip(), globs.split()))
    return rows


def modules() -> dict[str, Path]:
    """Dotted name (cramp_helper.x.y) -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _matches(relative: str, pattern: str) -> bool:
    if pattern.endswith("/*"):
        return relative.startswith(pattern[:-1])
    return relative == pattern


def layer_of(path: Path, rows: list[tuple[str, list[str]]]) -> list[int]:
    relative = path.relative_to(PACKAGE).as_posix()
    return [i for i, (_, globs) in enumerate(rows) if any(_matches(relative, g) for g in globs)]


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def add(target: str) -> None:
        while target and target not in known:  # `from x import a_function`: the module x
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("cramp_helper"):
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("cramp_helper"):
                module = node.module
            else:
                continue
            for alias in node.names:  # `from . import relief`: the submodule, when it is one
                if f"{module}.{alias.name}" in known:
                    add(f"{module}.{alias.name}")
                else:
                    add(module)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_the_import_reader_sees_lazy_and_type_checking_imports():
    edges = graph()
    assert "cramp_helper.actions.relief" in edges["cramp_helper.actions"]  # inside a function
    assert "cramp_helper.context" in edges["cramp_helper.actions.relief"]  # under TYPE_CHECKING
    assert "cramp_helper.dialogue.vocabulary" in edges["cramp_helper.state"]


def test_every_module_sits_in_exactly_one_layer():
    rows = layers()
    placed = {name: layer_of(path, rows) for name, path in modules().items()}
    assert not {n: where for n, where in placed.items() if len(where) != 1}, \
        "each module must match exactly one layer of docs/architecture.md"


def test_no_import_cycles():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_module_imports_a_layer_above_it():
    rows = layers()
    known = modules()
    level = {name: layer_of(path, rows)[0] for name, path in known.items()}
    upward = [f"{name} ({rows[level[name]][0]}) imports {target} ({rows[level[target]][0]})"
              for name, targets in graph().items() for target in sorted(targets)
              if level[target] < level[name]]
    assert not upward, "\n".join(upward)


def test_only_the_turn_calls_the_look_ups():
    importers = {name for name, targets in graph().items() if "cramp_helper.lookups" in targets}
    assert importers == {"cramp_helper.turn"}
