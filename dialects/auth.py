"""The auth-service interface: what the gateway offers a dialect that issues
and checks its own credentials (DrChrono's OAuth2), without the dialect
knowing the store or the web framework.

The gateway hands one :class:`AuthService`, bound to the dialect, to every
:class:`~dialects.base.Call` as ``call.services``. Secrets never cross it in
stored form: the service hashes what it is given, and what it returns
(:class:`Grant`) carries no secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from canonical import Tenant

__all__ = ["AuthService", "Grant"]


class Grant(Protocol):
    """A stored credential of this dialect: token, code or client registration."""

    @property
    def tenant(self) -> Tenant: ...
    @property
    def kind(self) -> str: ...
    @property
    def scopes(self) -> frozenset[str]: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...
    @property
    def meta(self) -> dict[str, Any]: ...


class AuthService(Protocol):
    def digest(self, secret: str) -> str:
        """The stored form of ``secret`` (to refer to a token without keeping it)."""
        ...

    def find(self, secret: str) -> Grant | None:
        """The credential ``secret`` names, revoked or expired ones included."""
        ...

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
        """Store a new credential (only its digest is kept)."""
        ...

    async def revoke(self, digest: str) -> bool:
        """Revoke the credential with this digest, effective on the very next request."""
        ...

    def hit(self, key: str) -> int | None:
        """Count one request against ``key``'s hourly limit (reset at the top of
        each hour); the seconds until the reset when the limit is exceeded."""
        ...
