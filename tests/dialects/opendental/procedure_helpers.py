"""Shared helpers of the procedurelog tests: the demo tenant's backend, a
snapshot of every stored procedure, and edits of demo records the OD
procedurelog API cannot make (a patient's clinic, a claim attachment)."""

from __future__ import annotations

from typing import Any

from canonical import Procedure, Record
from gateway.backends.store import Store
from tests.support import demo_backend, stored

backend = demo_backend


async def snapshot(store: Store) -> list[dict[str, Any]]:
    """Every procedure as stored, deleted ones included, with versions and stamps."""
    return [p.model_dump(mode="json") for p in await stored(store, Procedure)]


async def edit(store: Store, model: type[Record], num: int, **changes: Any) -> Record:
    """Change a stored record directly (demo set-up a dialect cannot express)."""
    b = backend(store)
    record = await b.get(model, num=num)
    return await b.update(model.model_validate({**record.model_dump(), **changes}))
