"""DrChrono's 400 bodies (Django REST framework's): every bad key with a list
of messages, ``{"field": ["message"]}``; a list POST answers one such object
per posted object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import Invalid, Ref
from dialects.codec import Codec

__all__ = ["REQUIRED", "ListInvalid", "field_errors", "missing_reference", "required_error"]

REQUIRED = "This field is required."


class ListInvalid(Invalid):
    """A list POST with bad objects: one error object per posted object
    (``{}`` for the good ones), as DRF answers a list serializer."""

    def __init__(self, items: list[dict[str, list[str]]]) -> None:
        super().__init__("Some objects in the list are invalid.")
        self.items = items


def field_errors(exc: Invalid) -> dict[str, list[str]]:
    """DrChrono's 400 body: every key with a list of messages."""
    if exc.fields:
        return {k: [v] for k, v in exc.fields.items()}
    return {"non_field_errors": [exc.message]}


def required_error(missing: list[str]) -> Invalid:
    return Invalid(" ".join(f"{k}: {REQUIRED}" for k in missing), dict.fromkeys(missing, REQUIRED))


def missing_reference(key: str, patch: Mapping[str, Any], codec: Codec) -> str:
    """DRF's message for a reference to nothing: by id, or by name for named references."""
    canonical = next((c for c, w in codec.ref_labels.items() if w == key), key)
    ref = patch.get(canonical)
    if isinstance(ref, Ref) and ref.num is None and ref.name is not None:
        return f"Object with name={ref.name} does not exist."
    if isinstance(ref, Ref) and ref.num is not None:
        return f'Invalid pk "{ref.num}" - object does not exist.'
    return "Invalid pk - object does not exist."
