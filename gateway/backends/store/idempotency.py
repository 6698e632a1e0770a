"""Idempotency keys: a create retried with the same key returns the first answer.

One row per (tenant, key) holds a fingerprint of the request and the stored
result. :func:`remember` runs the computation and records the key in ONE
transaction, so the record and the key commit together: a failure records
nothing, and of two concurrent requests with one key only one creates (SQLite
writers are serialized by the store's lock; elsewhere the primary key makes the
loser's transaction roll back, after which it returns the winner's result).
Keys are kept for :data:`KEEP`; an older key counts as new.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa

from canonical import Conflict, utcnow
from gateway.backends.store.schema import UTCDateTime, metadata

if TYPE_CHECKING:
    from gateway.backends.store.store import TenantStore

KEEP = timedelta(hours=24)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("result", sa.Text(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)


def _lookup(conn: sa.Connection, tenant_id: str, key: str) -> Any:
    return conn.execute(
        sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.result).where(
            idempotency_keys.c.tenant_id == tenant_id,
            idempotency_keys.c.key == key,
            idempotency_keys.c.created_at > utcnow() - KEEP,
        )
    ).first()


def _replay(row: Any, fingerprint: str) -> tuple[Any, bool]:
    if row.fingerprint != fingerprint:
        raise Conflict("Idempotency-Key was already used with a different request.")
    return orjson.loads(row.result), True


async def remember(
    backend: TenantStore,
    key: str,
    fingerprint: str,
    compute: Callable[[], Awaitable[Any]],
) -> tuple[Any, bool]:
    tenant = backend.tenant.id
    try:
        async with backend.store.transaction() as conn:
            row = _lookup(conn, tenant, key)
            if row is not None:
                return _replay(row, fingerprint)
            result = await compute()
            conn.execute(
                idempotency_keys.delete().where(
                    idempotency_keys.c.tenant_id == tenant, idempotency_keys.c.key == key
                )
            )
            conn.execute(
                idempotency_keys.insert().values(
                    tenant_id=tenant,
                    key=key,
                    fingerprint=fingerprint,
                    result=orjson.dumps(result).decode(),
                    created_at=utcnow(),
                )
            )
            return result, False
    except sa.exc.IntegrityError:
        # A concurrent request with this key committed first; ours rolled back.
        with backend.store.engine.connect() as conn:
            row = _lookup(conn, tenant, key)
        if row is None:
            raise
        return _replay(row, fingerprint)
