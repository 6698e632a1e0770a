"""The canonical package's public surface, pinned."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import canonical
import dialects


def test_every_public_name_resolves() -> None:
    for module in (canonical, dialects):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_registry_lookup_suggests_on_typo() -> None:
    assert canonical.model_for("patient") is canonical.Patient
    with pytest.raises(KeyError, match="patient"):
        canonical.model_for("patinet")


def test_canonical_imports_nothing_from_other_layers() -> None:
    root = Path(canonical.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("dialects", "gateway")), path.name
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith(("dialects", "gateway")), path.name


def test_dialects_never_import_the_gateway() -> None:
    root = Path(dialects.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("gateway", "starlette")), path.name


def test_every_record_has_identity_and_versioning() -> None:
    for model in canonical.RESOURCES.values():
        for name in ("uuid", "num", "version", "created_at", "updated_at", "deleted_at"):
            assert name in model.model_fields, f"{model.__name__}.{name}"
