"""Shared helpers of the procedurelog tests: the demo tenant's backend, a
snapshot of every stored procedure, and edits of demo records the OD
procedurelog API cannot make (a patient's clinic, a claim attachment)."""

from __future__ import annotations

from typing import Any

from canonical import Procedure, Query, Record
from gateway.backends.store import Store, TenantStore
from gateway.demo import DEMO_TENANT_ID


def backend(store: Store) -> TenantStore:
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    return store.for_tenant(tenant)


async def snapshot(store: Store) -> list[dict[str, Any]]:
    """Every procedure as stored, deleted ones included, with versions and stamps."""
    page = await backend(store).find(Procedure, Query(include_deleted=True))
    return [p.model_dump(mode="json") for p in page.items]


async def edit(store: Store, model: type[Record], num: int, **changes: Any) -> Record:
    """Change a stored record directly (demo set-up a dialect cannot express)."""
    b = backend(store)
    record = await b.get(model, num=num)
    return await b.update(model.model_validate({**record.model_dump(), **changes}))
