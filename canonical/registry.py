"""The registry of canonical resources: each model registers itself where it is
defined, with the :func:`register` decorator.

Adding a resource is one edit in its module (``@register`` on the class) plus
its import in :mod:`canonical`; the store's tables, the demo data and
:func:`model_for` all read :data:`RESOURCES`.
"""

from __future__ import annotations

import difflib
from typing import TypeVar

from canonical.base import Record

__all__ = ["RESOURCES", "model_for", "register"]

RESOURCES: dict[str, type[Record]] = {}
"""Every canonical resource by its registry name, in the order they were registered."""

M = TypeVar("M", bound=type[Record])


def register(model: M) -> M:
    """Class decorator: register ``model`` under its ``resource`` name.

    A second model claiming a name already taken raises, so two resources can
    never silently share one table.
    """
    name = getattr(model, "resource", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{model.__name__} has no resource name to register under")
    taken = RESOURCES.get(name)
    if taken is not None and taken is not model:
        raise ValueError(f"resource {name!r} is already registered by {taken.__name__}")
    RESOURCES[name] = model
    return model


def model_for(name: str) -> type[Record]:
    """The model registered as ``name``; a typo raises with the closest match."""
    try:
        return RESOURCES[name]
    except KeyError:
        close = difflib.get_close_matches(name, RESOURCES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown resource {name!r}{hint}") from None
