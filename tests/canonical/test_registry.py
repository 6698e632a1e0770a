"""canonical.registry: models register themselves with ``@register``."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import ClassVar

import pytest

import canonical
from canonical import RESOURCES, Record, model_for, register
from canonical.registry import RESOURCES as REGISTRY


@pytest.fixture
def registry() -> Iterator[dict[str, type[Record]]]:
    """The registry, restored after the test (a test model never leaks)."""
    saved = dict(REGISTRY)
    yield REGISTRY
    REGISTRY.clear()
    REGISTRY.update(saved)


def _defined_models() -> list[type[Record]]:
    found = []
    for info in pkgutil.iter_modules(canonical.__path__):
        module = importlib.import_module(f"canonical.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Record)
                and value is not Record
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_the_package_exposes_the_one_registry() -> None:
    assert RESOURCES is REGISTRY
    assert canonical.register is register


def test_every_model_defined_in_canonical_is_registered_under_its_name() -> None:
    models = _defined_models()
    assert len(models) >= 30
    for model in models:
        assert RESOURCES.get(model.resource) is model, model.__name__
    assert set(RESOURCES.values()) == set(models)


def test_the_decorator_registers_and_returns_the_class(
    registry: dict[str, type[Record]],
) -> None:
    @register
    class Widget(Record):
        resource: ClassVar[str] = "test_widget"

    assert Widget.__name__ == "Widget" and issubclass(Widget, Record)
    assert registry["test_widget"] is Widget
    assert model_for("test_widget") is Widget
    assert register(Widget) is Widget  # registering the same class again is harmless


def test_a_second_model_under_a_taken_name_is_refused(
    registry: dict[str, type[Record]],
) -> None:
    with pytest.raises(ValueError, match="'patient' is already registered by Patient"):

        @register
        class Impostor(Record):
            resource: ClassVar[str] = "patient"

    assert registry["patient"] is canonical.Patient


def test_a_model_without_a_resource_name_is_refused(
    registry: dict[str, type[Record]],
) -> None:
    with pytest.raises(TypeError, match="Nameless has no resource name"):

        @register
        class Nameless(Record):
            pass

    assert all(m.__name__ != "Nameless" for m in registry.values())


def test_model_for_suggests_the_closest_registered_name() -> None:
    with pytest.raises(KeyError, match="did you mean 'commlog'"):
        model_for("comlog")
    with pytest.raises(KeyError, match="unknown resource 'zzz'") as raised:
        model_for("zzz")
    assert "did you mean" not in str(raised.value)
