"""Identity, versioning and references shared by every canonical record.

Every record has a stable ``uuid`` (the org API's id) and a stable integer
``num`` (Open Dental's ``*Num``, DrChrono's ``id``). Both are assigned by the
backend on insert and never change. A reference to another record is a
:class:`Ref` that carries both identities, so each dialect can render the one
it speaks without another lookup.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["INT64_MAX", "INT64_MIN", "Record", "Ref", "RefTo", "utcnow"]

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
"""Every stored integer (a ``num``, a reference, a count) fits a signed 64-bit column."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class Ref(BaseModel):
    """A reference to another record: either identity, or a lookup ``name``.

    Decoders fill whichever identity the wire carries (``num`` from integer
    dialects, ``uuid`` from the org API, ``name`` from companion fields such as
    Open Dental's ``commType``); the backend resolves and completes the others
    before the record is stored.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    uuid: UUID | None = None
    num: int | None = None
    name: str | None = None


class RefTo:
    """Annotation metadata naming the resource a :class:`Ref` field points at.

    ``category`` narrows definition references (commlog type, priority, ...).
    """

    __slots__ = ("category", "resource")

    def __init__(self, resource: str, category: str | None = None) -> None:
        self.resource = resource
        self.category = category

    def __repr__(self) -> str:
        return f"RefTo({self.resource!r}, {self.category!r})"


class Record(BaseModel):
    """Base of every stored canonical resource."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    resource: ClassVar[str]
    """Registry name of the resource (``patient``, ``commlog``, ...)."""
    indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Composite indexes (projected column names) the store creates for this resource."""
    name_field: ClassVar[str | None] = None
    """Field a :class:`Ref` ``name`` is looked up by (a definition's name, a code's code)."""

    uuid: UUID | None = None
    num: int | None = None
    version: int = 0
    """Increases by one on every change; the org API's optimistic lock."""
    seq: int = 0
    """Tenant-wide change sequence number of the last write."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    extensions: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-dialect values no canonical field expresses, kept so nothing is lost."""

    def ref(self) -> Ref:
        return Ref(uuid=self.uuid, num=self.num)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
