"""DrChrono's rotated OAuth tokens, kept in the store across restarts.

DrChrono hands out a new refresh token with every refresh and the old one
stops working, so the ``client_id:client_secret:refresh_token`` setting is
good for one refresh only. Each rotation is written to the ``upstream_tokens``
table (with the access token and its expiry), and a restart continues from it.

Decisions:

- The stored tokens are used only while the setting is the one they were
  rotated from (same client id, same refresh token, compared by digest): an
  operator who sets a new refresh token is obeyed.
- Only the refresh token is kept (the access token is refreshed once at each
  start). It is stored as it is, beside the patient data they open, in the
  database file only the gateway's user may read (see the store's engine).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import orjson
import sqlalchemy as sa

from canonical import utcnow
from gateway.backends.store import Store
from gateway.backends.store.schema import upstream_tokens

__all__ = ["TokenKeeper"]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _app(setting: str) -> tuple[str, str, str] | None:
    """``(client_id, client_secret, refresh_token)`` of an OAuth setting, else ``None``
    (an access token: nothing rotates). The client itself checks the setting whole."""
    parts = [p.strip() for p in setting.strip().split(":")]
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    return None


class TokenKeeper:
    """The ``upstream_auth`` of a DrChrono upstream, continued from its last rotation.

    The gateway reaches the dialect's client by its constructor only: it hands
    it :meth:`setting` and :meth:`save` as its ``on_tokens`` (called with each
    token answer: ``access_token``, ``refresh_token``, ``expires_in``)."""

    def __init__(self, store: Store, tenant_id: str, setting: str) -> None:
        self.store = store
        self.tenant_id = tenant_id
        self.given = setting
        self.app = _app(setting)

    def _stored(self) -> dict[str, Any] | None:
        if self.app is None:
            return None
        with self.store._read() as conn:
            raw = conn.execute(
                sa.select(upstream_tokens.c.data).where(
                    upstream_tokens.c.tenant_id == self.tenant_id
                )
            ).scalar_one_or_none()
        if raw is None:
            return None
        data: dict[str, Any] = orjson.loads(raw)
        client_id, _, refresh = self.app
        if data.get("client_id") != client_id or data.get("from") != _digest(refresh):
            return None
        return data

    def setting(self) -> str:
        """The setting to start from: the given one, with the latest refresh token."""
        stored = self._stored()
        if self.app is None or not stored or not stored.get("refresh_token"):
            return self.given
        client_id, secret, _ = self.app
        return f"{client_id}:{secret}:{stored['refresh_token']}"

    async def save(self, tokens: Any) -> None:
        """Keep a rotation (the client's ``on_tokens``)."""
        if self.app is None:
            return
        client_id, _, refresh = self.app
        current = self._stored() or {}
        expires_in = getattr(tokens, "expires_in", None)
        data = {
            "client_id": client_id,
            "from": _digest(refresh),
            "refresh_token": getattr(tokens, "refresh_token", None)
            or current.get("refresh_token")
            or refresh,
            "expires_at": None if expires_in is None else time.time() + float(expires_in),
        }
        values = {"data": orjson.dumps(data).decode(), "updated_at": utcnow()}
        where = upstream_tokens.c.tenant_id == self.tenant_id
        async with self.store.transaction() as conn:
            if conn.execute(upstream_tokens.update().where(where).values(values)).rowcount == 0:
                conn.execute(upstream_tokens.insert().values(tenant_id=self.tenant_id, **values))
