"""Tenants and the credentials that reach them.

A credential is stored as the SHA-256 digest of its secret, never the secret:
secrets are random, high-entropy tokens, so a plain digest cannot be reversed
by guessing, and it lets a request's credential be found by one indexed look-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa

from canonical import utcnow
from gateway.backends.store.schema import credentials, tenants


def hash_secret(secret: str) -> str:
    """The stored form of a credential's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TenantRow:
    id: str
    org_id: UUID
    name: str
    time_zone: str


@dataclass(frozen=True, slots=True)
class CredentialRow:
    tenant: TenantRow
    dialect: str
    kind: str
    label: str
    scopes: frozenset[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    meta: dict[str, Any]


class TenantDirectory:
    """The tenants and credentials of a store (mixed into :class:`Store`, whose
    connections and transactions it uses)."""

    def _read(self) -> contextlib.AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    def transaction(self) -> contextlib.AbstractAsyncContextManager[sa.Connection]:
        raise NotImplementedError

    def is_empty(self) -> bool:
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(tenants)).scalar_one() == 0

    async def create_tenant(
        self,
        name: str,
        *,
        time_zone: str = "UTC",
        tenant_id: str | None = None,
        org_id: UUID | None = None,
    ) -> TenantRow:
        row = TenantRow(
            id=tenant_id or uuidlib.uuid4().hex,
            org_id=org_id or uuidlib.uuid4(),
            name=name,
            time_zone=time_zone,
        )
        async with self.transaction() as conn:
            conn.execute(
                tenants.insert().values(
                    id=row.id,
                    org_id=row.org_id,
                    name=name,
                    time_zone=time_zone,
                    seq=0,
                    settings="{}",
                    created_at=utcnow(),
                )
            )
        return row

    def get_tenant(self, tenant_id: str) -> TenantRow | None:
        with self._read() as conn:
            r = conn.execute(sa.select(tenants).where(tenants.c.id == tenant_id)).first()
        return None if r is None else TenantRow(r.id, r.org_id, r.name, r.time_zone)

    async def add_credential(
        self,
        tenant: TenantRow,
        dialect: str,
        secret: str,
        *,
        kind: str = "key",
        label: str = "",
        scopes: Iterable[str] = (),
        expires_at: datetime | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        async with self.transaction() as conn:
            conn.execute(
                credentials.insert().values(
                    secret_hash=hash_secret(secret),
                    tenant_id=tenant.id,
                    dialect=dialect,
                    kind=kind,
                    label=label,
                    scopes=" ".join(sorted(scopes)),
                    expires_at=expires_at,
                    revoked_at=None,
                    meta=orjson.dumps(dict(meta or {})).decode(),
                    created_at=utcnow(),
                )
            )

    async def revoke_credential(self, secret: str) -> bool:
        async with self.transaction() as conn:
            res = conn.execute(
                credentials.update()
                .where(
                    credentials.c.secret_hash == hash_secret(secret),
                    credentials.c.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow())
            )
        return bool(res.rowcount)

    async def revoke_credential_digest(self, digest: str) -> bool:
        """Revoke by stored digest (a token known only by its hash, e.g. one rotated away)."""
        async with self.transaction() as conn:
            res = conn.execute(
                credentials.update()
                .where(credentials.c.secret_hash == digest, credentials.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
        return bool(res.rowcount)

    def find_credential(self, dialect: str, secret: str) -> CredentialRow | None:
        stmt = (
            sa.select(credentials, tenants)
            .join(tenants, tenants.c.id == credentials.c.tenant_id)
            .where(
                credentials.c.secret_hash == hash_secret(secret), credentials.c.dialect == dialect
            )
        )
        with self._read() as conn:
            r = conn.execute(stmt).mappings().first()
        if r is None:
            return None
        tenant = TenantRow(r["id"], r["org_id"], r["name"], r["time_zone"])
        return CredentialRow(
            tenant=tenant,
            dialect=r["dialect"],
            kind=r["kind"],
            label=r["label"],
            scopes=frozenset(r["scopes"].split()),
            expires_at=r["expires_at"],
            revoked_at=r["revoked_at"],
            meta=orjson.loads(r["meta"]),
        )
