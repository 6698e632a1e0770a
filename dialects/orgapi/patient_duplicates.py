"""Org API duplicate check (seed 003: ``POST /patients/check-duplicates``) and the
duplicate signals shared with ``potential_duplicates`` on create.

A patient is a potential duplicate when ANY signal matches: last name and date
of birth (name compared case-insensitively), email (case-insensitively),
mobile phone or SSN (compared on their digits, so ``(503) 555-0100`` matches
``503-555-0100``). Archived patients are not considered. The database narrows
the candidates with broad conditions; the exact comparison is made here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from canonical import AnyOf, Cond, Order, Patient, Query
from dialects.base import Call, Endpoint, Reply
from dialects.orgapi.bodies import json_body
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import Date, Email, Text
from dialects.orgapi.inputs import check, closed_model
from dialects.orgapi.patient_codec import summary

CANDIDATE_LIMIT = 500
"""At most this many candidates are compared (the broad conditions are selective)."""

CHECK_FIELDS = ("date_of_birth", "email", "last_name", "mobile_phone", "social_security_number")
CHECK_IN = closed_model("CheckDuplicatesIn", dict.fromkeys(CHECK_FIELDS, Any), ("last_name",))

_CONVERTERS: dict[str, Any] = {
    "date_of_birth": Date(),
    "email": Email(),
    "last_name": Text(required=True),
    "mobile_phone": Text(),
    "social_security_number": Text(),
}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


@dataclass(frozen=True, slots=True)
class Signals:
    last_name: str = ""
    date_of_birth: date | None = None
    email: str = ""
    mobile_phone: str = ""
    social_security_number: str = ""

    @classmethod
    def of(cls, record: Patient) -> Signals:
        return cls(
            record.last_name,
            record.date_of_birth,
            record.email,
            record.mobile_phone,
            record.social_security_number,
        )

    def broad(self) -> list[Cond | AnyOf]:
        conds: list[Cond | AnyOf] = []
        if self.last_name.strip() and self.date_of_birth is not None:
            conds.append(Cond("date_of_birth", "eq", self.date_of_birth))
        if self.email.strip():
            conds.append(Cond("email", "contains", self.email.strip()))
        phone = digits(self.mobile_phone)
        if len(phone) >= 7:
            conds.append(Cond("mobile_phone", "digits_contains", phone[-7:]))
        ssn = digits(self.social_security_number)
        if len(ssn) >= 4:
            conds.append(Cond("social_security_number", "digits_contains", ssn))
        return conds

    def matches(self, other: Patient) -> bool:
        if (
            self.date_of_birth is not None
            and other.date_of_birth == self.date_of_birth
            and self.last_name.strip().casefold() == other.last_name.strip().casefold()
        ):
            return True
        if self.email.strip() and self.email.strip().casefold() == other.email.strip().casefold():
            return True
        phone = digits(self.mobile_phone)
        if len(phone) >= 7 and phone[-10:] == digits(other.mobile_phone)[-10:]:
            return True
        ssn = digits(self.social_security_number)
        return len(ssn) >= 4 and ssn == digits(other.social_security_number)


async def find_duplicates(
    call: Call, signals: Signals, *, exclude: int | None = None
) -> list[Patient]:
    conds = signals.broad()
    if not conds:
        return []
    query = Query(
        where=[AnyOf(tuple(conds))],
        order=[Order("last_name"), Order("first_name")],
        limit=CANDIDATE_LIMIT,
    )
    found = (await call.backend.find(Patient, query)).items
    return [p for p in found if p.num != exclude and signals.matches(p)]


async def check_duplicates(call: Call) -> Reply:
    body = json_body(call)
    check(CHECK_IN, body)
    errors: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    for name, raw in body.items():
        try:
            values[name] = _CONVERTERS[name].from_wire(raw, call.ctx)
        except ValueError as exc:
            errors.append({"loc": ["body", name], "msg": f"{name} {exc}", "type": "value_error"})
    if errors:
        raise ValidationFailed(errors)
    found = await find_duplicates(call, Signals(**values))
    return Reply(200, {"items": [summary(call, p) for p in found], "total": len(found)})


ENDPOINTS = [
    Endpoint("POST", "/{org_id}/patients/check-duplicates", check_duplicates, "patient"),
]
