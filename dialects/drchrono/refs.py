"""Converters for references DrChrono shows by a display value of the
referenced record rather than by id (a comm log's ``type`` is its type's
name; a procedure's ``code`` is its procedure code's code)."""

from __future__ import annotations

from typing import Any

from canonical import Ref, RefTo
from dialects.codec import CodecContext

__all__ = ["RefAttr"]


class RefAttr:
    """Shows ``attr`` of the referenced record; reads a name the backend
    resolves by the target's ``name_field`` ("" and null mean none)."""

    def __init__(self, target: RefTo, attr: str) -> None:
        self.target = target
        self.attr = attr

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> Any:
        record = ctx.ref_record(self.target.resource, value)
        return "" if record is None else getattr(record, self.attr)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            raise ValueError("Not a valid string.")
        return Ref(name=raw)
