"""Org API medical summary (seed 003, ``GET /patients/{patient_uuid}/medical-summary``):
one answer combining the patient's clinical records for a chart header.

Fields in the document's order: ``active_problems`` (live problems with
``problem_status`` active), ``alerts`` (active alerts: the patient's own and
the family-scoped alerts of family members), ``allergies`` (every live
allergy), ``allergy_review_status``, ``current_medications`` (status
``active``), ``latest_vitals`` (the most recent reading by date, time and
entry; null when there is none), ``medical_urgent_note``,
``past_medications`` (stopped: ``discontinued``, ``completed``, and
DrChrono's ``inactive``; ``on_hold`` is neither current nor past),
``patient``, ``premedication_required``, ``social_history``.

Each entry has the shape its own endpoint answers. Social history has no
record in the gateway (no dialect served here writes one), so it is always
an empty list.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from canonical import (
    AlertScope,
    AlertStatus,
    Allergy,
    AnyOf,
    Cond,
    Medication,
    MedicationStatus,
    Order,
    PatientAlert,
    Problem,
    ProblemStatus,
    Query,
    VitalSign,
)
from dialects.base import Call, Endpoint, Reply
from dialects.orgapi import alerts, allergies, diseases, medications, vitals
from dialects.orgapi.family import family_of
from dialects.orgapi.field_maps import PATIENT
from dialects.orgapi.formats import LightRef
from dialects.orgapi.records import patient_of
from dialects.orgapi.resource import PER_PATIENT
from dialects.render import render

PAST = (MedicationStatus.discontinued, MedicationStatus.completed, MedicationStatus.inactive)


async def _find(call: Call, model: Any, *where: Any, order: list[Order] | None = None) -> list[Any]:
    query = Query(where=list(where), order=order or [Order("num")])
    return list((await call.backend.find(model, query)).items)


async def summary(call: Call) -> Reply:
    owner = await patient_of(call)
    mine = Cond("patient", "eq", owner.num)
    others = [m.num for m in await family_of(call, owner) if m.num != owner.num]
    shared = (
        [
            p.num
            for p in await _find(
                call,
                PatientAlert,
                Cond("patient", "in", others),
                Cond("scope", "eq", AlertScope.family),
                Cond("status", "eq", AlertStatus.active),
            )
        ]
        if others
        else []
    )
    alert_scope: Any = AnyOf((mine, Cond("num", "in", shared))) if shared else mine
    active_alerts = await _find(
        call, PatientAlert, alert_scope, Cond("status", "eq", AlertStatus.active)
    )
    problems = await _find(call, Problem, mine, Cond("status", "eq", ProblemStatus.active))
    all_allergies = await _find(call, Allergy, mine)
    current = await _find(call, Medication, mine, Cond("status", "eq", MedicationStatus.active))
    past = await _find(call, Medication, mine, Cond("status", "in", list(PAST)))
    newest = await _find(
        call, VitalSign, mine, order=[Order("date_taken", True), Order("num", True)]
    )
    latest_vitals = None
    if newest:
        day = newest[0].date_taken
        same_day = [v for v in newest if v.date_taken == day]
        reading = max(same_day, key=lambda v: (v.time_taken or time.min, v.num or 0))
        latest_vitals = await vitals.RESOURCE.show(call, reading)
    body = {
        "active_problems": await render(call, diseases.CODEC, problems),
        "alerts": await render(call, alerts.CODEC, active_alerts),
        "allergies": await render(call, allergies.CODEC, all_allergies),
        # The org values are the canonical ones (see the patient codec).
        "allergy_review_status": owner.allergy_review_status.value,
        "current_medications": await render(call, medications.CODEC, current),
        "latest_vitals": latest_vitals,
        "medical_urgent_note": owner.medical_urgent_note or None,
        "past_medications": await render(call, medications.CODEC, past),
        "patient": None,
        "premedication_required": owner.premedication_required,
        "social_history": [],
    }
    call.ctx.refs[("patient", owner.num or 0)] = owner
    body["patient"] = LightRef(PATIENT).to_wire(owner.ref(), call.ctx)
    return Reply(200, body)


ENDPOINTS = [
    Endpoint("GET", f"{PER_PATIENT}/medical-summary", summary, "patient"),
]
