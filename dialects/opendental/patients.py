"""Open Dental Patients (reference/opendental/apipatients.md): GET one, GET Simple,
GET many (Patient Select), POST, PUT. Patients cannot be deleted through the API,
and a deleted patient cannot be modified.

The field map is :mod:`.patient_codec`, the searches :mod:`.patient_search`, the
rules (formats, defaults, duplicates, families) :mod:`.patient_rules`. GET one is
declared on the resource engine; POST and PUT are named functions on the same
declaration's steps, since a family change writes other patients too.

Decisions where the document is silent:

- POST defaults PriProv to the practice's first visible primary provider and
  BillingType to its first billing type (the POST example gets both without
  sending them); ImageFolder is LName+FName+PatNum, letters and digits only.
- BillingType names a billing type definition; an unknown or empty name is a
  400 (it is a value constraint, "must be a definition.ItemName"). PriProv,
  SecProv, ClinicNum, EmployerNum, FeeSched, Guarantor and SuperFamily naming no
  record are 404s.
- PUT of a deleted patient is a 400 ("not allowed to be modified"); GET of one
  is a 404. A PUT that changes nothing leaves DateTStamp alone.
- A value written back as it was shown (a canonical value Open Dental has no
  text for, e.g. a non-binary gender shown as "Other") keeps the original
  canonical value, so a read-modify-write loses nothing (``Codec.decode``'s
  ``current``, as for every resource of every dialect).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import Invalid, NotFound, Patient, Record
from dialects.base import Call, Endpoint, Reply
from dialects.codec import merge_patch
from dialects.opendental import patient_rules as rules
from dialects.opendental.patient_codec import CODEC, computed, image_folder
from dialects.opendental.patient_search import SIMPLE, select
from dialects.opendental.resource import OpenDentalResource
from dialects.params import Params as BaseParams

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "PATIENTS"]

_MISSING: Any = object()

PATIENTS = OpenDentalResource(
    "/patients",
    CODEC,
    operations=("read",),
    item="PatNum",
    required_first=True,
    computed=computed,
)
"""GET one; its steps (query, body, keys, decode, answer) also serve POST and PUT."""


def _check(body: Mapping[str, Any], method: str) -> None:
    PATIENTS.check_input(body, method)
    rules.check_names(body)
    rules.check_exclusive(body)


async def _shown(call: Call, record: Record, params: BaseParams) -> dict[str, Any]:
    return (await PATIENTS.present(call, [record], params, ()))[0]


async def post(call: Call) -> Reply:
    params = PATIENTS.params(call, "create")
    body = PATIENTS.body(call, "create")
    _check(body, "POST")
    patch = PATIENTS.decode(call, body, None)
    patch = await _resolve(call, patch)
    if patch.get("primary_provider") is None:
        patch["primary_provider"] = await rules.default_provider(call)
    if patch.get("billing_type") is None:
        patch["billing_type"] = await rules.default_billing_type(call)
    async with call.backend.atomic():
        others: list[Patient] = []
        if "guarantor" in patch:
            patch.update(await rules.join_family(call, patch.pop("guarantor")))
        candidate = merge_patch(None, Patient, patch)
        assert isinstance(candidate, Patient)
        if "super_family" in patch and "SuperFamily" in body:
            fields, others = await rules.change_super_family(
                call, candidate, patch.pop("super_family")
            )
            candidate = candidate.model_copy(update=fields)
        rules.check_address(candidate, patch)
        rules.check_family_note(candidate, patch)
        if await rules.find_duplicate(call, candidate) is not None:
            raise Invalid(
                "A patient with the same LName, FName, Birthdate and Email or phone number "
                "already exists.",
                {"LName": "duplicate", "FName": "duplicate", "Birthdate": "duplicate"},
            )
        record = await call.backend.create(candidate)
        assert isinstance(record, Patient)
        record = await call.backend.update(
            record.model_copy(update={"image_folder": image_folder(record)})
        )
        for other in others:
            await call.backend.update(other)
    return PATIENTS.reply(call, "create", await _shown(call, record, params), record)


async def put(call: Call) -> Reply:
    params = PATIENTS.params(call, "replace")
    record = await _existing(call)
    body = PATIENTS.body(call, "replace")
    _check(body, "PUT")
    patch = PATIENTS.decode(call, body, record)
    guarantor = patch.get("guarantor")
    if guarantor is not None and guarantor.num == record.num:
        patch["guarantor"] = None  # one's own PatNum: heads their own family
    patch = await _resolve(call, patch)
    async with call.backend.atomic():
        others: list[Patient] = []
        if "guarantor" in patch:
            fields, others = await rules.change_guarantor(call, record, patch.pop("guarantor"))
            patch.update(fields)
        if "super_family" in patch and "SuperFamily" in body:
            fields, others = await rules.change_super_family(
                call, record, patch.pop("super_family")
            )
            patch.update(fields)
        updated = merge_patch(record, Patient, patch)
        assert isinstance(updated, Patient)
        rules.check_address(updated, patch)
        rules.check_family_note(updated, patch)
        if updated != record or others:
            # base_version: a change made since this request read the patient is not lost.
            updated = await call.backend.update(updated, base_version=record.version)
            for other in others:
                await call.backend.update(other)
    return PATIENTS.reply(call, "replace", await _shown(call, updated, params), updated)


async def _existing(call: Call) -> Patient:
    """The patient a PUT names, deleted ones included: those cannot be modified (400)."""
    try:
        record = await call.backend.get(Patient, **PATIENTS.record_id(call), include_deleted=True)
    except NotFound:
        raise PATIENTS.not_found() from None
    if record.is_deleted:
        raise Invalid.field("PatNum", "PatNum: a deleted patient cannot be modified.")
    return record


async def _resolve(call: Call, patch: dict[str, Any]) -> dict[str, Any]:
    """Complete every reference; BillingType names a billing type definition."""
    billing = patch.pop("billing_type", _MISSING)
    if billing is not _MISSING:
        message = "BillingType must be the name of a billing type definition."
        if billing is None:
            raise Invalid.field("BillingType", message)
        try:
            resolved = await call.backend.resolve(Patient, {"billing_type": billing})
        except NotFound:
            raise Invalid.field("BillingType", message) from None
        patch["billing_type"] = resolved["billing_type"]
    return await call.backend.resolve(Patient, patch, labels=CODEC.ref_labels)


ENDPOINTS = [
    *SIMPLE.endpoints(),
    *PATIENTS.endpoints(),
    Endpoint("GET", "/patients", select, "patient"),
    Endpoint("POST", "/patients", post, "patient"),
    Endpoint("PUT", "/patients/{PatNum}", put, "patient"),
]
CODECS = {"patient": CODEC}
