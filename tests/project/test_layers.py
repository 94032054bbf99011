"""Layers import only downwards (README, "Layout"): a module never imports from a package of a
higher layer, nor from a sibling of the lowest one — so a folder's name says what it may use."""

from __future__ import annotations

import ast

from tests.shared import PACKAGES, ROOT

# lowest first; a package may import its own layer's siblings from layer 2 up (services share
# through the layer below, faces call services)
LAYERS = {"graph": 0, "policy": 0, "loaders": 1, "seed": 1, "queries": 2, "propagation": 2,
          "publication": 2, "alerts": 2, "access": 2, "cli": 3, "dashboard": 3, "api": 3,
          "casefile": 3}


def imported(path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                 [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
        found += [(node.lineno, name) for name in names]
    return found


def test_every_package_imports_only_downwards():
    wrong = []
    for package, layer in LAYERS.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, name in imported(path):
                parts = name.split(".")
                if parts[0] != "creditgraph" or len(parts) < 2 or parts[1] not in LAYERS:
                    continue
                other = parts[1]
                if other != package and (LAYERS[other] > layer or LAYERS[other] == layer == 0):
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert wrong == []


def test_every_package_is_in_a_layer_and_installed():
    assert set(PACKAGES) == set(LAYERS)
    listed = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert all(f'"creditgraph.{p}" = "{p}"' in listed for p in LAYERS)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    typechecked = makefile.split("PACKAGES :=", 1)[1].split("\nlint:", 1)[0]
    assert set(typechecked.replace("\\", " ").split()) == set(LAYERS)  # mypy sees each
