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

from dataclasses import dataclass
from typing import Any

from canonical import CanonicalError, Cond, Conflict, NotFound, Patient, Query
from dialects.base import Call, Endpoint, Reply
from dialects.orgapi import common
from dialects.orgapi.dialect import ValidationFailed, error_detail
from dialects.orgapi.patient_codec import CODEC, CREATE_FIELDS, REQUIRED
from dialects.orgapi.patients import build, decode_create, ensure_chart_number_free

MAX_ROWS = 1000
ON_EXISTING = ("skip", "update", "fail")
COUNTS = ("created", "failed", "skipped", "updated", "validated")


@dataclass(frozen=True, slots=True)
class Meta:
    dry_run: bool = False
    on_existing: str = "skip"
    atomic: bool = False


class _RollBack(Exception):
    """Raised inside an atomic import to undo every row."""


def parse_meta(raw: Any) -> Meta:
    if raw is None:
        return Meta()
    if not isinstance(raw, dict):
        raise ValidationFailed.one(
            ["body", "meta"], "Input should be a valid dictionary", "dict_type"
        )
    common.fields_in(raw, ("dry_run", "on_existing", "atomic"), prefix=("body", "meta"))
    errors = []
    for name in ("dry_run", "atomic"):
        if name in raw and not isinstance(raw[name], bool):
            errors.append(
                {
                    "loc": ["body", "meta", name],
                    "msg": "Input should be a valid boolean",
                    "type": "bool_type",
                }
            )
    if "on_existing" in raw and raw["on_existing"] not in ON_EXISTING:
        errors.append(
            {
                "loc": ["body", "meta", "on_existing"],
                "msg": "Input should be 'skip', 'update' or 'fail'",
                "type": "enum",
            }
        )
    if errors:
        raise ValidationFailed(errors)
    return Meta(
        dry_run=raw.get("dry_run", False),
        on_existing=raw.get("on_existing", "skip"),
        atomic=raw.get("atomic", False),
    )


async def _existing(call: Call, row: dict[str, Any], prefix: tuple[Any, ...]) -> Patient | None:
    if "id" in row:
        return await common.get_by_uuid(call, Patient, str(row["id"]), "Patient not found.")
    chart = row.get("chart_number")
    if isinstance(chart, str) and chart.strip():
        query = Query(where=[Cond("chart_number", "eq", chart)], limit=1)
        found = (await call.backend.find(Patient, query)).items
        return found[0] if found else None
    return None


async def _update_row(
    call: Call, record: Patient, row: dict[str, Any], prefix: tuple[Any, ...], meta: Meta
) -> str:
    fields = {k: v for k, v in row.items() if k not in ("id", "status", "billing_account")}
    patch = common.decode(CODEC, fields, call, prefix=prefix)
    patch = CODEC.keep_shown(patch, fields, record, call.ctx)
    patch = await common.resolve(call, Patient, patch, CODEC.ref_labels)
    changed = build(record, patch)
    if meta.dry_run:
        return "validated"
    async with call.backend.atomic():
        await ensure_chart_number_free(call, changed.chart_number, record.num)
        await call.backend.update(changed)
    return "updated"


async def import_row(call: Call, index: int, row: Any, meta: Meta) -> tuple[str, Patient | None]:
    """One row: (status, the patient it created, updated or matched)."""
    prefix = ("body", "rows", index)
    if not isinstance(row, dict):
        raise ValidationFailed.one(list(prefix), "Input should be a valid dictionary", "dict_type")
    common.fields_in(row, CREATE_FIELDS | {"id"}, () if "id" in row else REQUIRED, prefix=prefix)
    existing = await _existing(call, row, prefix)
    if existing is not None:
        if meta.on_existing == "skip":
            return "skipped", existing
        if meta.on_existing == "fail":
            raise Conflict("Patient already exists (same id or chart number).")
        return await _update_row(call, existing, row, prefix, meta), existing
    new = await decode_create(call, row, prefix)
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
    body = common.json_body(call)
    common.fields_in(body, ("meta", "rows"), ("rows",))
    meta = parse_meta(body.get("meta"))
    rows = body["rows"]
    if not isinstance(rows, list):
        raise ValidationFailed.one(["body", "rows"], "Input should be a valid list", "list_type")
    if len(rows) > MAX_ROWS:
        raise ValidationFailed.one(
            ["body", "rows"], f"List should have at most {MAX_ROWS} items", "too_long"
        )

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

    return await common.idempotent(call, run)


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
