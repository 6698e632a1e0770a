"""Org API bulk patient import (seed 003: ``POST /patients/bulk``).

The document gives the shape (``{meta, rows}`` in; ``created``, ``failed``,
``results``, ``skipped``, ``total``, ``updated``, ``validated`` out) but not the
options or the per-row result; the decisions:

- ``rows``: up to 1000 ``CreatePatientIn`` objects (none is an empty report), each optionally carrying the
  ``id`` of an existing patient to update.
- ``meta`` options: ``dry_run`` (default false: validate every row, write
  nothing; good rows count as ``validated``), ``on_existing`` (``skip`` the
  default, ``update``, or ``fail``) for a row whose ``id`` or non-empty
  ``chart_number`` matches an existing patient, and ``atomic`` (default false:
  each row commits on its own; true: all rows or none — if any row fails,
  nothing is written and the good rows report ``validated``).
- ``results``: one ``{row, status, id, errors}`` per row in input order, with
  ``status`` one of created/updated/skipped/failed/validated, the patient's id
  when there is one, and FastAPI-style ``errors`` whose ``loc`` starts with
  ``["body", "rows", <row>]``.
- The response is 200 (a report, not one created record); with an
  ``Idempotency-Key`` a retried import is answered from the first run.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, cast

import pydantic

from canonical import CanonicalError, Cond, Conflict, NotFound, Patient, Query
from dialects.base import Call, Endpoint, Reply
from dialects.codec import merge_patch
from dialects.orgapi.bodies import json_body
from dialects.orgapi.dialect import ValidationFailed, error_detail
from dialects.orgapi.idempotency import idempotent
from dialects.orgapi.inputs import check, closed_model, codec_model, decode, valid
from dialects.orgapi.patient_codec import CODEC
from dialects.orgapi.patients import PATIENTS, ensure_chart_number_free, not_created_archived
from dialects.orgapi.records import get_by_uuid

MAX_ROWS = 1000
COUNTS = ("created", "failed", "skipped", "updated", "validated")


class OnExisting(enum.Enum):
    skip = "skip"
    update = "update"
    fail = "fail"


class Meta(pydantic.BaseModel):
    """The import options (all optional)."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    dry_run: pydantic.StrictBool = False
    on_existing: OnExisting = OnExisting.skip
    atomic: pydantic.StrictBool = False


BULK_IN = closed_model(
    "BulkImportIn",
    {
        "meta": dict[str, Any] | None,
        "rows": Annotated[list[Any], pydantic.Field(max_length=MAX_ROWS)],
    },
    ("rows",),
)
META = pydantic.TypeAdapter(Meta)
ROW = pydantic.TypeAdapter(dict[str, Any])
NEW_ROW = codec_model(CODEC, "POST", also=("id",))
"""A row that creates: ``CreatePatientIn`` (and an ``id``, which makes it an update row)."""
ID_ROW = codec_model(CODEC, "POST", also=("id",), optional=True)
"""A row naming an existing patient by ``id``: nothing is required."""


class _RollBack(Exception):
    """Raised inside an atomic import to undo every row."""


def parse_meta(raw: Any) -> Meta:
    return Meta() if raw is None else valid(META, raw, ("body", "meta"))


def _at(error: ValidationFailed, prefix: tuple[Any, ...]) -> ValidationFailed:
    """A body's 422 located in the row it came from."""
    return ValidationFailed([{**e, "loc": [*prefix, *e["loc"][1:]]} for e in error.errors])


async def _existing(call: Call, row: dict[str, Any]) -> Patient | None:
    if "id" in row:
        return await get_by_uuid(call, Patient, str(row["id"]), "Patient not found.")
    chart = row.get("chart_number")
    if isinstance(chart, str) and chart.strip():
        query = Query(where=[Cond("chart_number", "eq", chart)], limit=1)
        found = (await call.backend.find(Patient, query)).items
        return found[0] if found else None
    return None


async def _patient(
    call: Call, record: Patient | None, fields: dict[str, Any], prefix: tuple[Any, ...]
) -> Patient:
    """``record`` (``None``: a new patient) changed as ``fields`` say: decoded,
    references resolved, validated."""
    patch = decode(CODEC, fields, call.ctx, prefix=prefix, current=record)
    try:
        not_created_archived(patch, record)
        patch = await call.backend.resolve(Patient, patch, labels=CODEC.ref_labels)
        return cast(Patient, merge_patch(record, Patient, patch))
    except ValidationFailed as exc:
        raise _at(exc, prefix) from None
    except pydantic.ValidationError as exc:
        raise _at(PATIENTS.invalid_record(exc), prefix) from None


async def _update_row(
    call: Call, record: Patient, row: dict[str, Any], prefix: tuple[Any, ...], meta: Meta
) -> str:
    fields = {k: v for k, v in row.items() if k not in ("id", "status", "billing_account")}
    changed = await _patient(call, record, fields, prefix)
    if meta.dry_run:
        return "validated"
    async with call.backend.atomic():
        await ensure_chart_number_free(call, changed.chart_number, record.num)
        await call.backend.update(changed)
    return "updated"


async def import_row(call: Call, index: int, row: Any, meta: Meta) -> tuple[str, Patient | None]:
    """One row: (status, the patient it created, updated or matched)."""
    prefix = ("body", "rows", index)
    row = valid(ROW, row, prefix)
    check(ID_ROW if "id" in row else NEW_ROW, row, prefix)
    existing = await _existing(call, row)
    if existing is not None:
        if meta.on_existing is OnExisting.skip:
            return "skipped", existing
        if meta.on_existing is OnExisting.fail:
            raise Conflict("Patient already exists (same id or chart number).")
        return await _update_row(call, existing, row, prefix, meta), existing
    new = await _patient(call, None, row, prefix)
    if meta.dry_run:
        async with call.backend.atomic():
            await ensure_chart_number_free(call, new.chart_number, None)
        return "validated", None
    async with call.backend.atomic():
        await ensure_chart_number_free(call, new.chart_number, None)
        record = await call.backend.create(new)
    return "created", record


def _row_errors(exc: CanonicalError, index: int) -> list[dict[str, Any]]:
    if isinstance(exc, ValidationFailed):
        return exc.errors
    if isinstance(exc, NotFound):
        kind = "not_found"
    elif isinstance(exc, Conflict):
        kind = "conflict"
    else:
        return [
            {**e, "loc": ["body", "rows", index, *e["loc"][1:]]}
            for e in error_detail(exc)  # type: ignore[arg-type]
        ]
    return [{"loc": ["body", "rows", index], "msg": exc.message, "type": kind}]


async def _run_rows(call: Call, rows: list[Any], meta: Meta) -> list[dict[str, Any]]:
    results = []
    for index, row in enumerate(rows):
        try:
            status, record = await import_row(call, index, row, meta)
            errors: list[dict[str, Any]] = []
        except CanonicalError as exc:
            status, record, errors = "failed", None, _row_errors(exc, index)
        results.append(
            {
                "row": index,
                "status": status,
                "id": None if record is None else str(record.uuid),
                "errors": errors,
            }
        )
    return results


async def bulk_import(call: Call) -> Reply:
    body = check(BULK_IN, json_body(call))
    meta = parse_meta(body.get("meta"))
    rows = body["rows"]

    async def run() -> Reply:
        if not meta.atomic:
            return Reply(200, report(await _run_rows(call, rows, meta)))
        results: list[dict[str, Any]] = []
        try:
            async with call.backend.atomic():
                results = await _run_rows(call, rows, meta)
                if any(r["status"] == "failed" for r in results):
                    raise _RollBack
        except _RollBack:
            for r in results:
                if r["status"] == "created":  # rolled back: there is no such patient
                    r["id"] = None
                if r["status"] in ("created", "updated"):
                    r["status"] = "validated"
        return Reply(200, report(results))

    return await idempotent(call, run)


def report(results: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {name: sum(1 for r in results if r["status"] == name) for name in COUNTS}
    return {
        "created": counts["created"],
        "failed": counts["failed"],
        "results": results,
        "skipped": counts["skipped"],
        "total": len(results),
        "updated": counts["updated"],
        "validated": counts["validated"],
    }


ENDPOINTS = [Endpoint("POST", "/{org_id}/patients/bulk", bulk_import, "patient")]
