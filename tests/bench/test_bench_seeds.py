"""Bulk-seeded patients are real records: every dialect reads them, and the store's
counters continue after them."""

from __future__ import annotations

import httpx

from bench.seeds import many_patients
from canonical import Patient, Query
from gateway.backends.store import Store
from gateway.backends.store.store import TenantStore
from gateway.demo import DEMO_TENANT_ID


def _backend(store: Store) -> TenantStore:
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    return store.for_tenant(tenant)


async def test_seeded_patients_are_read_through_every_dialect(
    store: Store, od: httpx.AsyncClient, org: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    backend = _backend(store)
    before = await backend.count(Patient, Query())
    first = await many_patients(store, 30)
    assert await backend.count(Patient, Query()) == before + 30
    last = await backend.get(Patient, num=first + 29)
    assert last.first_name and last.last_name and last.version == 1

    od_patient = await od.get(f"/patients/{last.num}")
    assert od_patient.status_code == 200, od_patient.text
    assert od_patient.json()["LName"] == last.last_name
    org_patient = await org.get(f"/patients/{last.uuid}")
    assert org_patient.status_code == 200, org_patient.text
    assert org_patient.json()["first_name"] == last.first_name
    drc_patient = await drc.get(f"/api/patients/{last.num}")
    assert drc_patient.status_code == 200, drc_patient.text
    assert drc_patient.json()["last_name"] == last.last_name


async def test_numbers_and_sequence_continue_after_the_seeded_rows(store: Store) -> None:
    backend = _backend(store)
    first = await many_patients(store, 10)
    seeded = await backend.get(Patient, num=first + 9)
    created = await backend.create(Patient(first_name="New", last_name="Row"))
    assert created.num == first + 10
    assert created.seq > seeded.seq
    again = await many_patients(store, 5)
    assert again == first + 11
