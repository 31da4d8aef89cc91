"""What the project's code imports, read from its source with ast: every third-party
package it imports is declared in pyproject.toml, every declared runtime dependency is
imported (or says here why not), and the project's modules import one another without
a cycle.

An import counts whether it sits at module level or inside a function: a function-level
import runs too, only later, and is often a cycle put off rather than removed. Imports
under ``if TYPE_CHECKING:`` do not count: they never run, they name types for annotations.
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from graphlib import CycleError, TopologicalSorter
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "spiders", "storage")
PROJECT = (*PACKAGES, "scheduler")

# Declared runtime dependencies that no module names in an import statement.
NOT_IMPORTED = {
    "psycopg": "the PostgreSQL driver: SQLAlchemy loads it for postgresql+psycopg:// archive URLs",
}


@dataclass(frozen=True)
class Imported:
    name: str  # dotted and absolute: "lxml.html", "crawler.extract.model"
    line: int


@cache
def modules() -> dict[str, Path]:
    """Every module of the project by its dotted name (a package by its own name)."""
    found = {"scheduler": ROOT / "scheduler.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _under_type_checking(node: ast.If) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "TYPE_CHECKING" or isinstance(n, ast.Attribute) and
               n.attr == "TYPE_CHECKING" for n in ast.walk(node.test))


def _runs(tree: ast.AST):
    """The import statements that run, at any depth, skipping TYPE_CHECKING blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _under_type_checking(node):
            yield from (n for child in node.orelse for n in _runs(ast.Module(body=[child], type_ignores=[])))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _runs(node)


@cache
def imports(module: str) -> tuple[Imported, ...]:
    """What a module imports, as absolute dotted names; ``from a import b`` gives a and a.b."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in _runs(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module
            names = [stem] + [f"{stem}.{a.name}" for a in node.names if a.name != "*"]
        found.extend(Imported(name, node.lineno) for name in names)
    return tuple(found)


def third_party() -> dict[str, list[str]]:
    """Top-level third-party import names → the modules that import them."""
    users: dict[str, list[str]] = {}
    for module in modules():
        for imp in imports(module):
            top = imp.name.split(".")[0]
            if top not in PROJECT and top not in sys.stdlib_module_names:
                where = users.setdefault(top, [])
                if f"{module}:{imp.line}" not in where:
                    where.append(f"{module}:{imp.line}")
    return users


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement(spec: str) -> str:
    return _normal(re.match(r"[A-Za-z0-9._-]+", spec)[0])


@cache
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_every_imported_package_is_declared():
    project = pyproject()["project"]
    # the test extra is for tests: the code under test may not need it
    declared = {_requirement(s) for s in project["dependencies"]}
    declared |= {_requirement(s) for extra, specs in project["optional-dependencies"].items() if extra != "test"
                 for s in specs}
    distributions = packages_distributions()
    users = third_party()
    assert {"lxml", "twisted", "scrapy", "sqlalchemy"} <= set(users)  # the scan sees real imports
    missing = {}
    for top, where in sorted(users.items()):
        dists = {_normal(d) for d in distributions.get(top, [])}
        assert dists, f"{top} (imported by {where[0]}) is not installed"
        if not dists & declared:
            missing[top] = (sorted(dists), where[:3])
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_runtime_dependency_is_imported_or_says_why_not():
    imported = {_normal(d) for top in third_party() for d in packages_distributions().get(top, [])}
    unused = [spec for spec in pyproject()["project"]["dependencies"] if _requirement(spec) not in imported]
    assert {_requirement(s) for s in unused} == set(NOT_IMPORTED), (
        f"declared but never imported: {unused}; remove them, or say in NOT_IMPORTED why they stay")


def graph() -> dict[str, set[str]]:
    """Module → the project modules it imports (the deepest module each name reaches)."""
    known = modules()

    def reached(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    return {module: {t for imp in imports(module) if (t := reached(imp.name)) and t != module}
            for module in known}


def test_the_graph_sees_function_level_imports_and_skips_type_only_ones():
    edges = graph()
    assert "crawler.vocab.docnumber" in edges["storage.search_query"]
    assert "storage.locks" in edges["storage.db"]  # imported inside a function
    assert "storage.db" not in edges["storage.locks"]  # imported under TYPE_CHECKING only
    assert "crawler.samples.gen.notice" in edges["crawler.samples.gen.demo"]  # a relative import


def test_no_import_cycle():
    try:
        TopologicalSorter(graph()).prepare()
    except CycleError as exc:
        pytest.fail("import cycle: " + " → ".join(reversed(exc.args[1])))
