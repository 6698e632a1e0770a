"""The gateway's implementation of :class:`dialects.auth.AuthService`: credential
issuance and revocation over the store, and hourly per-key rate limits.

One instance per dialect; revocation goes through the :class:`Authenticator`
so a cached credential stops working on the very next request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from canonical import Tenant, utcnow
from gateway.auth import Authenticator
from gateway.backends.store import CredentialRow, Store, hash_secret


class HourlyLimiter:
    """Fixed windows that reset at the top of each hour (DrChrono's rate limit)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._hour: datetime | None = None
        self._counts: dict[str, int] = {}

    def hit(self, key: str, now: datetime | None = None) -> int | None:
        now = now or utcnow()
        hour = now.replace(minute=0, second=0, microsecond=0)
        if hour != self._hour:  # a new hour: every count starts again
            self._hour, self._counts = hour, {}
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        if count <= self.limit:
            return None
        return max(1, int((hour + timedelta(hours=1) - now).total_seconds() + 0.999))


class DialectAuthService:
    def __init__(
        self, dialect: str, store: Store, auth: Authenticator, limiter: HourlyLimiter | None
    ) -> None:
        self.dialect = dialect
        self.store = store
        self.auth = auth
        self.limiter = limiter

    def digest(self, secret: str) -> str:
        return hash_secret(secret)

    def find(self, secret: str) -> CredentialRow | None:
        return self.store.find_credential(self.dialect, secret)

    async def issue(
        self,
        tenant: Tenant,
        secret: str,
        *,
        kind: str,
        scopes: Iterable[str],
        expires_at: datetime | None,
        meta: Mapping[str, Any],
    ) -> None:
        row = self.store.get_tenant(tenant.id)
        if row is None:
            raise LookupError("unknown tenant")
        await self.store.add_credential(
            row,
            self.dialect,
            secret,
            kind=kind,
            label="oauth",
            scopes=scopes,
            expires_at=expires_at,
            meta=meta,
        )

    async def revoke(self, digest: str) -> bool:
        return await self.auth.revoke_digest(self.dialect, digest)

    def hit(self, key: str) -> int | None:
        return None if self.limiter is None else self.limiter.hit(key)
