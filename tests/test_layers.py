"""The package's import contract: a layer never imports a layer built on top of it.

    core (checks, data, info, train, zoo, cli)  ->  models  ->  coding  ->  chapters  ->  explorers

Core may use models (the zoo trains them); nothing may use a layer to its right, except that
the explorers and the chapters may use anything. Every ``import`` statement counts, including
those inside functions.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mlebook"
FORBIDDEN = {
    "core": {"coding", "chapters", "explorers"},
    "models": {"coding", "chapters", "explorers"},
    "coding": {"chapters", "explorers"},
    "chapters": {"explorers"},
    "explorers": set(),
}


def layer_of(module: str) -> str:
    """'mlebook.models.nade' and 'mlebook.models' -> 'models'; the top-level modules are the core."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FORBIDDEN else "core"


def module_name(path: Path, package: Path = PACKAGE) -> str:
    relative = path.relative_to(package.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported_modules(path: Path, package: Path = PACKAGE) -> set[str]:
    """Absolute names of every mlebook module that ``path`` imports, anywhere in the file."""
    name = module_name(path, package)
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            stem = ".".join(base + ([node.module] if node.module else []))
            found.add(stem)
            found |= {f"{stem}.{alias.name}" for alias in node.names}
    return {module for module in found if module.split(".")[0] == "mlebook"}


def violations(path: Path, package: Path = PACKAGE) -> list[str]:
    own = layer_of(module_name(path, package))
    return sorted(m for m in imported_modules(path, package) if layer_of(m) in FORBIDDEN[own])


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_no_module_imports_a_higher_layer(path):
    bad = violations(path)
    assert not bad, f"{module_name(path)} (layer {layer_of(module_name(path))}) imports {bad}"


def test_the_checker_finds_relative_imports_inside_functions(tmp_path):
    package = tmp_path / "mlebook"
    (package / "models").mkdir(parents=True)
    (package / "models" / "bad.py").write_text("import numpy\n\ndef f():\n    from ..coding import images\n")
    (package / "models" / "good.py").write_text("from .base import DensityModel\nfrom .. import checks\n")
    (package / "zoo.py").write_text("from mlebook.explorers import kl\n")
    assert violations(package / "models" / "bad.py", package) == ["mlebook.coding", "mlebook.coding.images"]
    assert violations(package / "models" / "good.py", package) == []
    assert violations(package / "zoo.py", package) == ["mlebook.explorers", "mlebook.explorers.kl"]
