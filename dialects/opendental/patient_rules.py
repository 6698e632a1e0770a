"""Open Dental patient rules (reference/opendental/apipatients.md): required names,
address formats, defaults, the duplicate check, and family / super family changes.

Canonical families: a patient whose ``guarantor`` is ``None`` heads a family; the
members point at the head. A super family is named by its head, and every member
(the head included) carries ``super_family`` = that head. Super families are
joined and left a whole family at a time, as Open Dental does.

Decisions where the document is silent:

- Guarantor must be a family's head (a patient who is their own guarantor);
  anyone else is a 400. A family's guarantor can only move into another family
  once the rest of the family has been moved (400 otherwise).
- Sending one's own PatNum as Guarantor leaves the family (heads a new one).
- SuperFamily must be a family's head, and either already head a super family
  or head none (then a new super family is created around that head's family).
- "Guarantor and SuperFamily only one in a single request": both keys present
  is a 400, whatever their values.
- Duplicates: same LName and FName (case-insensitive), same Birthdate, and the
  same Email or a phone number with the same digits. A new patient with neither
  email nor phone cannot be matched this way and is not a duplicate.
- "USA" for State and SSN formats: Country empty or the United States, and a
  Zip that is not Canadian.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from canonical import (
    AnyOf,
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    Order,
    Patient,
    Provider,
    Query,
    Record,
    Ref,
)
from dialects.base import Call
from dialects.opendental.patient_codec import CANADIAN_ZIP

US_COUNTRIES = frozenset(
    {"", "us", "usa", "u.s.", "u.s.a.", "united states", "united states of america"}
)
_STATE_US = re.compile(r"^[A-Z]{2}$")
_SSN_US = re.compile(r"^\d{9}$")


def head_of(patient: Patient) -> int | None:
    """The PatNum of the patient's family head."""
    return patient.guarantor.num if patient.guarantor is not None else patient.num


def heads_family(patient: Patient) -> bool:
    return head_of(patient) == patient.num


def ref_to(record: Record) -> Ref:
    return Ref(num=record.num, uuid=record.uuid)


# -- single-record checks -----------------------------------------------------


def check_names(body: Mapping[str, Any]) -> None:
    """LName and FName can never be blank ("except for LName and FName")."""
    blank = [n for n in ("LName", "FName") if isinstance(body.get(n), str) and not body[n].strip()]
    if blank:
        raise Invalid(
            " ".join(f"{n} cannot be blank." for n in blank),
            {n: f"{n} cannot be blank." for n in blank},
        )


def check_exclusive(body: Mapping[str, Any]) -> None:
    if "Guarantor" in body and "SuperFamily" in body:
        raise Invalid(
            "Only one of Guarantor or SuperFamily can be set in a single request.",
            {"Guarantor": "conflicts with SuperFamily", "SuperFamily": "conflicts with Guarantor"},
        )


def in_usa(patient: Patient) -> bool:
    return patient.country.strip().lower() in US_COUNTRIES and not CANADIAN_ZIP.match(
        patient.postal_code
    )


def check_address(patient: Patient, changed: Iterable[str]) -> None:
    """US formats for the fields this request sets: State two capitals, SSN nine digits."""
    fields = set(changed)
    errors: dict[str, str] = {}
    if in_usa(patient):
        if "state" in fields and patient.state and not _STATE_US.match(patient.state):
            errors["State"] = "State must be two capital letters in the USA."
        ssn = patient.social_security_number
        if "social_security_number" in fields and ssn and not _SSN_US.match(ssn):
            errors["SSN"] = "SSN must be 9 digits, no dashes, in the USA."
    if errors:
        raise Invalid(" ".join(errors.values()), errors)


def check_family_note(patient: Patient, changed: Iterable[str]) -> None:
    note = "family_financial_note" in set(changed) and patient.family_financial_note
    if note and not heads_family(patient):
        raise Invalid.field(
            "FamFinUrgNote",
            "FamFinUrgNote can only be set for a patient who is the family's guarantor.",
        )


# -- defaults -------------------------------------------------------------------


async def default_provider(call: Call) -> Ref | None:
    """The practice's default provider: the first visible, primary (non-hygienist) one."""
    query = Query(
        where=[Cond("is_hidden", "eq", False), Cond("is_secondary", "eq", False)], limit=1
    )
    found = (await call.backend.find(Provider, query)).items
    return ref_to(found[0]) if found else None


async def default_billing_type(call: Call) -> Ref | None:
    """The practice's default billing type: the first visible billing type definition."""
    query = Query(
        where=[
            Cond("category", "eq", DefinitionCategory.billing_type),
            Cond("is_hidden", "eq", False),
        ],
        order=[Order("order"), Order("num")],
        limit=1,
    )
    found = (await call.backend.find(Definition, query)).items
    return ref_to(found[0]) if found else None


# -- duplicates -----------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _phones(p: Patient) -> set[str]:
    return {d for d in map(_digits, (p.home_phone, p.work_phone, p.mobile_phone)) if d}


async def find_duplicate(call: Call, new: Patient) -> Patient | None:
    """An existing patient the new one duplicates (see the module's rule), or ``None``."""
    email = new.email.strip().lower()
    phones = _phones(new)
    if not email and not phones:
        return None
    query = Query(
        where=[
            Cond("last_name", "startswith", new.last_name.strip()),
            Cond("first_name", "startswith", new.first_name.strip()),
            Cond("date_of_birth", "eq", new.date_of_birth),
        ]
    )
    for old in (await call.backend.find(Patient, query)).items:
        same_name = (old.last_name.strip().lower(), old.first_name.strip().lower()) == (
            new.last_name.strip().lower(),
            new.first_name.strip().lower(),
        )
        if not same_name:
            continue
        if (email and old.email.strip().lower() == email) or (phones & _phones(old)):
            return old
    return None


# -- families -------------------------------------------------------------------


async def family_members(call: Call, head: int | None) -> list[Patient]:
    """Every patient of the family headed by ``head``, the head included."""
    if head is None:
        return []
    query = Query(where=[AnyOf((Cond("guarantor", "eq", head), Cond("num", "eq", head)))])
    return (await call.backend.find(Patient, query)).items


def _num(ref: Ref | None) -> int | None:
    return None if ref is None else ref.num


async def _patient(call: Call, num: int | None) -> Patient:
    assert num is not None
    return await call.backend.get(Patient, num=num)


async def join_family(call: Call, target: Ref | None) -> dict[str, Any]:
    """A new patient's Guarantor: ``target`` must head a family; the patient also joins
    that family's super family. Returns the fields to set."""
    if target is None:
        return {"guarantor": None}
    head = await _patient(call, target.num)
    if not heads_family(head):
        raise Invalid.field(
            "Guarantor", "Guarantor must be the PatNum of a family's guarantor (head of household)."
        )
    return {"guarantor": ref_to(head), "super_family": head.super_family}


async def change_guarantor(
    call: Call, patient: Patient, target: Ref | None
) -> tuple[dict[str, Any], list[Patient]]:
    """PUT Guarantor. ``target`` ``None`` (or the patient's own PatNum) means "heads
    their own family". Returns the patient's new fields and the other patients changed.

    "Guarantor field cannot be updated to a different family member, unless the
    family's current guarantor is the patient being updated": then that member
    becomes the whole family's guarantor.
    """
    current = head_of(patient)
    wanted = target.num if target is not None else patient.num
    if wanted == current:
        return {}, []
    if wanted == patient.num:
        return {"guarantor": None}, []
    other = await _patient(call, wanted)
    if head_of(other) == current:
        if patient.num != current:
            raise Invalid.field(
                "Guarantor",
                "Guarantor cannot be changed to a different family member unless this patient "
                "is the family's current guarantor.",
            )
        new_head = ref_to(other)
        changed = [
            m.model_copy(update={"guarantor": None if m.num == other.num else new_head})
            for m in await family_members(call, current)
            if m.num != patient.num
        ]
        return {"guarantor": new_head}, changed
    if not heads_family(other):
        raise Invalid.field(
            "Guarantor", "Guarantor must be the PatNum of a family's guarantor (head of household)."
        )
    members = [m for m in await family_members(call, current) if m.num != patient.num]
    if heads_family(patient) and members:
        raise Invalid.field(
            "Guarantor",
            "This patient is the guarantor of other family members; change their Guarantor first.",
        )
    return {"guarantor": ref_to(other), "super_family": other.super_family}, []


async def change_super_family(
    call: Call, patient: Patient, target: Ref | None
) -> tuple[dict[str, Any], list[Patient]]:
    """SuperFamily: join (or create around ``target``) a super family, or with ``None``
    leave it; the patient's whole family moves together. When the patient's family
    heads the super family, leaving disbands it."""
    family = [m for m in await family_members(call, head_of(patient)) if m.num != patient.num]
    changed: dict[int, Patient] = {}
    if target is None:
        current = patient.super_family
        if current is None:
            return {}, []
        if current.num == head_of(patient):
            query = Query(where=[Cond("super_family", "eq", current.num)])
            leaving = (await call.backend.find(Patient, query)).items
        else:
            leaving = [m for m in family if _num(m.super_family) == current.num]
        for m in leaving:
            if m.num != patient.num and m.num is not None:
                changed[m.num] = m.model_copy(update={"super_family": None})
        return {"super_family": None}, list(changed.values())
    head = await _patient(call, target.num)
    if not heads_family(head):
        raise Invalid.field(
            "SuperFamily", "SuperFamily must be the PatNum of a family's guarantor."
        )
    if head.super_family is not None and head.super_family.num != head.num:
        raise Invalid.field(
            "SuperFamily", "SuperFamily must be the PatNum of the head of a super family."
        )
    ref = ref_to(head)
    joining = list(family)
    if head.super_family is None:  # "Creates a new SuperFamily if one does not exist."
        joining += await family_members(call, head.num)
    for m in joining:
        if m.num != patient.num and m.num is not None and _num(m.super_family) != head.num:
            changed[m.num] = m.model_copy(update={"super_family": ref})
    return {"super_family": ref}, list(changed.values())
