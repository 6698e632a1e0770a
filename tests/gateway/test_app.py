"""gateway.app reads what each dialect declares (its hourly rate limit) instead of
naming dialects, and never imports a dialect package's internals."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

import gateway
from dialects import Dialect, dialect_for
from dialects.base import AuthRequest
from gateway import Settings, create_app
from gateway.app import all_dialects, rate_limits
from gateway.backends.store import Store

DIALECT_PACKAGES = ("dialects.opendental", "dialects.drchrono", "dialects.orgapi")


class Metered(Dialect):
    """A dialect the gateway has never heard of, declaring a limit."""

    name = "metered"
    prefix = "/metered"
    rate_limit = 7

    def credentials(
        self, headers: Mapping[str, str], path_params: Mapping[str, str]
    ) -> AuthRequest:
        return AuthRequest("x")


def test_only_drchrono_declares_a_limit() -> None:
    assert {d.name: d.rate_limit for d in all_dialects()} == {
        "drchrono": 500,
        "opendental": None,
        "orgapi": None,
    }


def test_the_app_applies_each_declared_limit(store: Store) -> None:
    app = create_app(Settings(database_url=store.url, demo=False), store=store)
    assert app.state.runtime.rate_limits == {"drchrono": 500}


@pytest.mark.parametrize("value", [3, 0])
def test_a_setting_overrides_the_declared_limit(value: int) -> None:
    settings = Settings(drchrono_rate_limit=value)
    assert rate_limits(settings, all_dialects()) == {"drchrono": value}  # 0: no limit


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_DRCHRONO_RATE_LIMIT", "42")
    assert rate_limits(Settings(), [dialect_for("drchrono")]) == {"drchrono": 42}


def test_a_new_dialect_gets_its_limit_with_no_gateway_edit() -> None:
    assert rate_limits(Settings(), [Metered()]) == {"metered": 7}
    assert rate_limits(Settings(), [dialect_for("orgapi")]) == {}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_the_gateway_never_imports_a_dialect_package() -> None:
    """It reaches a dialect through the registry and its declarations only."""
    root = Path(gateway.__file__).parent
    for path in root.rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(DIALECT_PACKAGES), f"{path.name} imports {name}"


def test_settings_rate_limit_falls_back_to_the_declared_default() -> None:
    s = Settings()
    assert s.drchrono_rate_limit is None
    assert s.rate_limit("drchrono", 500) == 500
    assert s.rate_limit("metered", 7) == 7  # no such setting: the declaration
    assert s.rate_limit("opendental", None) is None
