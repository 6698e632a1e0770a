"""dialects.base.served_by: every dialect package assembles what it serves the
same way, from one list of resource modules declaring ``ENDPOINTS`` and ``CODECS``."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest

from dialects import dialect_for
from dialects.base import Call, Endpoint, Reply, served_by
from dialects.opendental import commlogs, tasks

PACKAGES = ("opendental", "drchrono", "orgapi")


async def _handler(call: Call) -> Reply:
    return Reply()


def _module(name: str, **declared: Any) -> ModuleType:
    module = ModuleType(name)
    for key, value in declared.items():
        setattr(module, key, value)
    return module


def test_endpoints_and_codecs_come_in_module_order() -> None:
    first = Endpoint("GET", "/a", _handler, "commlog")
    second = Endpoint("GET", "/b", _handler, "task")
    actions = Endpoint("POST", "/b/{id}/do", _handler, "task")
    served = served_by(
        [
            _module("a", ENDPOINTS=[first], CODECS={"commlog": commlogs.CODEC}),
            _module("b", ENDPOINTS=[second, actions], CODECS={"task": tasks.CODEC}),
            _module("c", ENDPOINTS=[]),  # CODECS is optional
        ]
    )
    assert served.endpoints == (first, second, actions)
    assert list(served.codecs) == ["commlog", "task"]
    assert served.codecs["task"] is tasks.CODEC


def test_a_module_without_endpoints_is_refused() -> None:
    with pytest.raises(TypeError, match="orphan declares no ENDPOINTS"):
        served_by([_module("orphan", CODECS={"commlog": commlogs.CODEC})])


def test_two_modules_serving_one_method_and_path_are_refused() -> None:
    ep = Endpoint("GET", "/a", _handler)
    with pytest.raises(ValueError, match="b and a both declare GET /a"):
        served_by([_module("a", ENDPOINTS=[ep]), _module("b", ENDPOINTS=[ep])])
    # The same path under another method is another endpoint.
    served_by(
        [_module("a", ENDPOINTS=[ep]), _module("b", ENDPOINTS=[Endpoint("PUT", "/a", _handler)])]
    )


def test_two_codecs_for_one_resource_are_refused() -> None:
    with pytest.raises(ValueError, match="b and a both declare the 'commlog' codec"):
        served_by(
            [
                _module("a", ENDPOINTS=[], CODECS={"commlog": commlogs.CODEC}),
                _module("b", ENDPOINTS=[], CODECS={"commlog": commlogs.CODEC}),
            ]
        )


def test_a_codec_filed_under_another_resource_is_refused() -> None:
    with pytest.raises(ValueError, match="files the 'commlog' codec under 'task'"):
        served_by([_module("a", ENDPOINTS=[], CODECS={"task": commlogs.CODEC})])


@pytest.mark.parametrize("package", PACKAGES)
def test_each_dialect_serves_exactly_what_its_modules_declare(package: str) -> None:
    pkg = importlib.import_module(f"dialects.{package}")
    dialect = dialect_for(package)
    served = served_by(pkg.MODULES)
    assert tuple(dialect.endpoints[: len(served.endpoints)]) == served.endpoints
    # What follows are only the documented paths the dialect does not serve (501).
    assert not {(e.method, e.path) for e in dialect.endpoints[len(served.endpoints) :]} & {
        (e.method, e.path) for e in served.endpoints
    }
    assert dict(dialect.codecs) == served.codecs


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_declaring_endpoints_is_served(package: str) -> None:
    """A resource module left out of ``MODULES`` would silently serve nothing."""
    pkg = importlib.import_module(f"dialects.{package}")
    declaring = set()
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if hasattr(module, "ENDPOINTS") or hasattr(module, "CODECS"):
            declaring.add(module.__name__)
    assert declaring == {m.__name__ for m in pkg.MODULES}
