"""Bulk data for benchmark scenarios: many real canonical patients in the demo tenant.

Creating 100,000 patients through ``TenantStore.create`` costs four statements
and a validation each; a benchmark needs them in seconds. So the rows are
built with the store's own conversion (``row_values``: the JSON document plus
every projected column, exactly as ``create`` writes them) and inserted in one
transaction, with the tenant's record counter and change sequence advanced
past them as ``create`` would. Every record is a validated ``Patient``, so
every dialect reads it like any other.

The data is synthetic and deterministic (a seeded random generator): names
from short lists, so sort fields repeat and the ``num`` tie-breaker matters,
and about one patient in twenty without a date of birth, so a date-of-birth
sort crosses into its second (null) phase.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from canonical import Clinic, Patient, PatientStatus, Provider, Query, utcnow
from gateway.backends.store import Store
from gateway.backends.store.rows import row_values
from gateway.backends.store.schema import counters, table_for, tenants
from gateway.demo import DEMO_TENANT_ID

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Cara",
    "Dev",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lea",
    "Max",
    "Nia",
    "Oto",
    "Pia",
    "Quin",
    "Rae",
    "Sam",
    "Tia",
    "Uma",
    "Vic",
    "Wes",
    "Xia",
    "Yan",
    "Zoe",
    "Abel",
    "Bria",
    "Cole",
    "Dina",
    "Emre",
    "Faye",
    "Gino",
    "Hugo",
    "Iris",
    "Joel",
    "Kira",
    "Liam",
]
LAST_NAMES = [
    "Abbott",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Flores",
    "Garcia",
    "Hughes",
    "Ibarra",
    "Jones",
    "Kim",
    "Lopez",
    "Moore",
    "Nguyen",
    "Ortiz",
    "Patel",
    "Quinn",
    "Reyes",
    "Smith",
    "Torres",
    "Usman",
    "Vega",
    "Walsh",
    "Xu",
    "Young",
    "Zhang",
]
BATCH = 5_000
"""Rows per INSERT: bounded memory, few round trips."""


def patients(
    count: int,
    first_num: int,
    first_seq: int,
    providers: list[Provider],
    clinics: list[Clinic],
) -> Iterator[Patient]:
    """``count`` validated patients numbered from ``first_num`` (deterministic)."""
    rng = random.Random(first_num)  # deterministic, and new uuids for each batch
    now = utcnow()
    for i in range(count):
        num = first_num + i
        born = None if rng.random() < 0.05 else date(1940, 1, 1) + timedelta(rng.randrange(30_000))
        yield Patient(
            num=num,
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            version=1,
            seq=first_seq + i,
            created_at=now - timedelta(seconds=count - i),
            updated_at=now - timedelta(seconds=count - i),
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=born,
            chart_number=f"B{num:07d}",
            status=PatientStatus.active if rng.random() < 0.9 else PatientStatus.inactive,
            email=f"patient{num}@example.test",
            mobile_phone=f"(555) {num // 10_000 % 1000:03d}-{num % 10_000:04d}",
            primary_provider=rng.choice(providers).ref() if providers else None,
            location=rng.choice(clinics).ref() if clinics else None,
        )


async def many_patients(store: Store, count: int, tenant_id: str = DEMO_TENANT_ID) -> int:
    """Insert ``count`` patients into the tenant in one transaction; the first new num."""
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        raise ValueError(f"no tenant {tenant_id!r} to seed")
    backend = store.for_tenant(tenant)
    providers = list((await backend.find(Provider, Query())).items)
    clinics = list((await backend.find(Clinic, Query())).items)
    table = table_for(Patient)
    async with store.transaction() as conn:
        last_num = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(table.c.num), 0)).where(
                table.c.tenant_id == tenant_id
            )
        ).scalar_one()
        counter = (counters.c.tenant_id == tenant_id) & (counters.c.resource == Patient.resource)
        counted = conn.execute(sa.select(counters.c.last_num).where(counter)).scalar_one_or_none()
        first_num = max(int(last_num), int(counted or 0)) + 1
        seq = conn.execute(sa.select(tenants.c.seq).where(tenants.c.id == tenant_id)).scalar_one()
        rows: list[dict[str, Any]] = []
        for record in patients(count, first_num, int(seq) + 1, providers, clinics):
            rows.append(row_values(tenant_id, record))
            if len(rows) == BATCH:
                conn.execute(table.insert(), rows)
                rows = []
        if rows:
            conn.execute(table.insert(), rows)
        last = first_num + count - 1
        if counted is None:
            conn.execute(
                counters.insert().values(
                    tenant_id=tenant_id, resource=Patient.resource, last_num=last
                )
            )
        else:
            conn.execute(counters.update().where(counter).values(last_num=last))
        conn.execute(tenants.update().where(tenants.c.id == tenant_id).values(seq=int(seq) + count))
    return first_num
