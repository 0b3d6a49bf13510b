"""The code keeps the shape the README describes: packages that import each other
in one direction only, and nothing of a library's private parts."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("services", "config")


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield module_name(path), path


def imported_at_load(path, known):
    """The project's modules a module imports when it is loaded: imports inside
    functions wait until they run, so they cannot make a cycle at load time."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found |= {name for name in names if name in known}
    return found


def import_graph():
    paths = dict(modules())
    return {name: imported_at_load(path, paths) for name, path in paths.items()}


def test_no_module_imports_itself_back_through_others():
    graph = import_graph()
    visiting, done, cycles = [], set(), []

    def visit(name):
        if name in done:
            return
        if name in visiting:
            cycles.append(" → ".join([*visiting[visiting.index(name) :], name]))
            return
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [("services.admin", "services.public"), ("services.public", "services.admin")],
)
def test_the_admin_and_the_public_pages_never_import_each_other(importer, imported):
    paths = dict(modules())
    offending = [
        f"{name} imports {target}"
        for name, path in paths.items()
        if name.startswith(importer)
        for target in imported_at_load(path, paths) | lazily_imported(path, paths)
        if target.startswith(imported)
    ]
    assert not offending


def lazily_imported(path, known):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {
                name
                for name in [node.module]
                + [f"{node.module}.{alias.name}" for alias in node.names]
                if name in known
            }
    return found


# Attributes with a leading underscore that Django documents for use: the model
# API (`_meta`) and a model's first manager (`_default_manager`).
DOCUMENTED = {"_meta", "_default_manager"}


def own_private_names():
    """The underscored names this project defines itself: its own helpers."""
    names = set()
    for package in (*PACKAGES, "tests"):
        for path in (ROOT / package).rglob("*.py"):
            names.add(path.stem)
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    names.add(node.name)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
                elif isinstance(node, ast.Attribute) and isinstance(
                    node.ctx, ast.Store
                ):
                    names.add(node.attr)
    return {name for name in names if name.startswith("_")}


def test_no_private_attribute_of_a_library_is_used():
    """Django, Jinja2, markupsafe or any other library: only what they publish."""
    allowed = DOCUMENTED | own_private_names()
    uses = []
    for package in (*PACKAGES, "tests"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and node.attr not in allowed
                ):
                    where = path.relative_to(ROOT)
                    uses.append(f"{where}:{node.lineno}: .{node.attr}")
    assert not uses, "\n".join(uses)
