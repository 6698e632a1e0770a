"""The records an Open Dental request names: the one in its path (400 for a
number that is not an integer, 404 "<Model> not found."), and the ones its
filters name (404 "<Label> not found.")."""

from __future__ import annotations

from canonical import Invalid, NotFound, Record
from dialects.base import Call
from dialects.opendental.formats import parse_int

__all__ = ["get_or_404", "must_exist", "not_found", "num_in_path"]


def num_in_path(text: str, label: str) -> int:
    """The record number a path (or a body standing in for it) gives as ``label``."""
    try:
        return parse_int(text)
    except ValueError:
        raise Invalid.field(label, f"{label} in the URL must be an integer.") from None


def not_found(model: type[Record]) -> NotFound:
    return NotFound(f"{model.__name__} not found.", resource=model.resource)


async def get_or_404(call: Call, model: type[Record], num_text: str, label: str) -> Record:
    num = num_in_path(num_text, label)
    try:
        return await call.backend.get(model, num=num)
    except NotFound:
        raise not_found(model) from None


async def must_exist(call: Call, model: type[Record], num: int | None, label: str) -> None:
    """404 "<Label> not found." when a referenced record does not exist."""
    if num is None:
        return
    try:
        await call.backend.get(model, num=num)
    except NotFound:
        raise NotFound(f"{label} not found.", resource=model.resource, field=label) from None
