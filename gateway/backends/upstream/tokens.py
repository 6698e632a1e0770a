"""DrChrono's rotated OAuth tokens, kept in the store across restarts.

DrChrono hands out a new refresh token with every refresh and the old one
stops working, so the ``client_id:client_secret:refresh_token`` setting is
good for one refresh only. Each rotation is written to the ``upstream_tokens``
table (with the access token and its expiry), and a restart continues from it.

Decisions:

- The stored tokens are used only while the setting is the one they were
  rotated from (same client id, same refresh token, compared by digest): an
  operator who sets a new refresh token is obeyed.
- They are stored as they are, beside the patient data they open, in the
  database file only the gateway's user may read (see the store's engine).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import orjson
import sqlalchemy as sa

from canonical import utcnow
from dialects.drchrono.oauth_client import DrChronoAuth, Tokens, parse_setting
from gateway.backends.store import Store
from gateway.backends.store.schema import upstream_tokens

__all__ = ["TokenKeeper"]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class TokenKeeper:
    def __init__(self, store: Store, tenant_id: str, setting: str) -> None:
        self.store = store
        self.tenant_id = tenant_id
        self.access, self.app = parse_setting(setting)

    def _stored(self) -> dict[str, Any] | None:
        with self.store._read() as conn:
            raw = conn.execute(
                sa.select(upstream_tokens.c.data).where(
                    upstream_tokens.c.tenant_id == self.tenant_id
                )
            ).scalar_one_or_none()
        if raw is None or self.app is None:
            return None
        data: dict[str, Any] = orjson.loads(raw)
        client_id, _, refresh = self.app
        if data.get("client_id") != client_id or data.get("from") != _digest(refresh):
            return None
        return data

    def auth(self) -> DrChronoAuth:
        """The client's auth: from the setting, continued from the last rotation."""
        if self.app is None:
            return DrChronoAuth(access_token=self.access)
        client_id, secret, refresh = self.app
        stored = self._stored() or {}
        expires_at = stored.get("expires_at")
        left = None if expires_at is None else expires_at - time.time()
        return DrChronoAuth(
            client_id=client_id,
            client_secret=secret,
            refresh_token=stored.get("refresh_token") or refresh,
            access_token=stored.get("access_token") if left and left > 0 else None,
            expires_in=left if left and left > 0 else None,
            on_tokens=self.save,
        )

    async def save(self, tokens: Tokens) -> None:
        """Keep a rotation (the auth's ``on_tokens``)."""
        assert self.app is not None
        client_id, _, refresh = self.app
        current = self._stored() or {}
        data = {
            "client_id": client_id,
            "from": _digest(refresh),
            "refresh_token": tokens.refresh_token or current.get("refresh_token") or refresh,
            "access_token": tokens.access_token,
            "expires_at": None if tokens.expires_in is None else time.time() + tokens.expires_in,
        }
        values = {"data": orjson.dumps(data).decode(), "updated_at": utcnow()}
        where = upstream_tokens.c.tenant_id == self.tenant_id
        async with self.store.transaction() as conn:
            if conn.execute(upstream_tokens.update().where(where).values(values)).rowcount == 0:
                conn.execute(upstream_tokens.insert().values(tenant_id=self.tenant_id, **values))
