"""Finding org API records by their ids (seed 003).

Path and query ids are typed as strings by the document, so a malformed one
is simply "not found" (404), exactly as an id no record has. A per-patient
path names its patient first: that patient is looked up once per request,
archived ones included (an archived patient's chart stays readable and
writable by id, as the patient itself stays readable by id).
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from canonical import NotFound, Patient, Record
from dialects.base import Call

__all__ = ["PATIENT_NOT_FOUND", "get_by_uuid", "patient_of", "ref_filter", "uuid_or_none"]

R = TypeVar("R", bound=Record)

PATIENT_NOT_FOUND = "Patient not found."
_OWNER = "orgapi.patient"
"""Where the patient a path names is kept for the rest of the request."""


def uuid_or_none(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None


async def get_by_uuid(
    call: Call, model: type[R], raw: str, message: str, *, include_deleted: bool = False
) -> R:
    """The record with this id, or 404 ``{"detail": message}``."""
    ident = uuid_or_none(raw)
    if ident is None:
        raise NotFound(message, resource=model.resource)
    try:
        return await call.backend.get(model, uuid=ident, include_deleted=include_deleted)
    except NotFound:
        raise NotFound(message, resource=model.resource) from None


async def patient_of(call: Call) -> Patient:
    """The patient the path's ``{patient_uuid}`` names, or 404 "Patient not found."."""
    found = call.ctx.options.get(_OWNER)
    if isinstance(found, Patient):
        return found
    patient = await get_by_uuid(
        call, Patient, call.path_params["patient_uuid"], PATIENT_NOT_FOUND, include_deleted=True
    )
    call.ctx.options[_OWNER] = patient
    return patient


async def ref_filter(call: Call, model: type[Record], raw: str | None, message: str) -> int | None:
    """A ``*_uuid`` query filter: the referenced record's num; 404 when it does not exist."""
    if raw is None or raw == "":
        return None
    record = await get_by_uuid(call, model, raw, message)
    return record.num
