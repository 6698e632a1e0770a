"""Building blocks of the org API's field maps (seed 003): lightweight
references and the system fields every record shows."""

from __future__ import annotations

from canonical import RefTo
from dialects.codec import Field
from dialects.orgapi.clinical_formats import UserNum
from dialects.orgapi.formats import DateTime, Int, LightRef, RefUuid, Uuid

__all__ = ["PATIENT", "ref", "shown", "stamps"]

PATIENT = RefTo("patient")


def ref(
    wire: str,
    canonical: str,
    target: RefTo,
    *,
    accepts: str | None = None,
    required: str = "",
) -> list[Field]:
    """A reference: ``<wire>`` shown as ``{id, name}``, set through ``<wire>_uuid``
    (which the methods in ``accepts`` take, and those in ``required`` need)."""
    return [
        Field(wire, canonical, LightRef(target), read_only=True, ref=target),
        Field(
            f"{wire}_uuid",
            canonical,
            RefUuid(),
            write_only=True,
            accepts=accepts,
            required=required,
        ),
    ]


def shown(wire: str, canonical: str, target: RefTo) -> Field:
    """A reference the client sees but never sets (``patient``, ``created_by``)."""
    return Field(wire, canonical, LightRef(target), read_only=True, ref=target)


def stamps() -> dict[str, Field]:
    """The system fields, by wire name, for placing in document order."""
    return {
        "created_at": Field("created_at", "created_at", DateTime(), read_only=True),
        "created_by": Field("created_by", "user", UserNum(), read_only=True),
        "deleted_at": Field("deleted_at", "deleted_at", DateTime(), read_only=True),
        "id": Field("id", "uuid", Uuid(), read_only=True),
        "updated_at": Field("updated_at", "updated_at", DateTime(), read_only=True),
        "version": Field("version", "version", Int(), read_only=True),
    }
