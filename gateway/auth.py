"""Resolve a presented secret to a tenant, with a short-lived cache.

Only the SHA-256 of a secret is stored or used as a cache key. Revocation
through :meth:`Authenticator.revoke` evicts at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from canonical import Unauthorized, utcnow
from gateway.backends.store import CredentialRow, Store, hash_secret


@dataclass(slots=True)
class _Entry:
    credential: CredentialRow
    until: float


class Authenticator:
    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._cache: dict[tuple[str, str], _Entry] = {}

    def verify(self, dialect: str, secret: str) -> CredentialRow:
        key = (dialect, hash_secret(secret))
        now = time.monotonic()
        entry = self._cache.get(key)
        if entry is None or entry.until < now:
            cred = self.store.find_credential(dialect, secret)
            if cred is None:
                self._cache.pop(key, None)
                raise Unauthorized("Invalid credentials.")
            entry = _Entry(cred, now + self.ttl)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = entry
        cred = entry.credential
        if cred.revoked_at is not None:
            raise Unauthorized("The credential has been revoked.")
        if cred.expires_at is not None and cred.expires_at <= utcnow():
            raise Unauthorized("The credential has expired.")
        return cred

    async def revoke(self, dialect: str, secret: str) -> bool:
        self._cache.pop((dialect, hash_secret(secret)), None)
        return await self.store.revoke_credential(secret)

    async def revoke_digest(self, dialect: str, digest: str) -> bool:
        """Revoke a credential known by its digest; evicted from the cache at once."""
        self._cache.pop((dialect, digest), None)
        return await self.store.revoke_credential_digest(digest)

    def forget(self, dialect: str, secret: str) -> None:
        self._cache.pop((dialect, hash_secret(secret)), None)
