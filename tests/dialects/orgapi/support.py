"""Helpers for the org API patient tests: the demo tenant's backend, counting
patients (to prove a bad request changed nothing) and making test patients."""

from __future__ import annotations

from typing import Any

import httpx

from canonical import Definition, DefinitionCategory, Patient, Query
from gateway.backends.store import Store
from gateway.demo import demo_uuid
from tests.support import demo_backend, stored

P15 = str(demo_uuid("patient", 15))
PROVIDER_1 = str(demo_uuid("provider", 1))
PROVIDER_2 = str(demo_uuid("provider", 2))
CLINIC_1 = str(demo_uuid("clinic", 1))
CLINIC_2 = str(demo_uuid("clinic", 2))
EMPLOYER_1 = str(demo_uuid("employer", 1))
FEE_SCHEDULE_1 = str(demo_uuid("fee_schedule", 1))
NOWHERE = "00000000-0000-4000-8000-000000000000"


backend = demo_backend


async def patient_count(store: Store) -> int:
    return await backend(store).count(Patient, Query(include_deleted=True))


async def snapshot(store: Store) -> list[str]:
    """Every patient document: equal before and after means nothing changed."""
    return [p.model_dump_json() for p in await stored(store, Patient)]


async def billing_type(store: Store) -> Definition:
    q = Query().add("category", "eq", DefinitionCategory.billing_type)
    found = (await backend(store).find(Definition, q)).items
    assert found
    return found[0]


async def make(org: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"first_name": "Test", "last_name": "Patient", **fields}
    r = await org.post("patients", json=body)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data
