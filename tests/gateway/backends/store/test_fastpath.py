"""The store's fast read path answers exactly what SQLAlchemy's plain path answers.

Two stores open the same demo database: one with its fast reader, one with it
closed (every read then runs on SQLAlchemy's pooled connections). Each answers
the same requests through the whole app, byte for byte, before and after a
write made through the other store (which the fast reader only sees through
SQLite's data version).
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from gateway import Settings, create_app, dispatch
from gateway.backends.store import Store
from gateway.backends.store import store as store_module
from tests.conftest import DRC_AUTH, OD_AUTH, ORG_AUTH, ORG_ID

READS = [
    ("/opendental/api/v1/commlogs/2", OD_AUTH),
    ("/opendental/api/v1/commlogs?PatNum=15", OD_AUTH),
    ("/opendental/api/v1/patients/15", OD_AUTH),
    ("/opendental/api/v1/procedurelogs?PatNum=15", OD_AUTH),
    ("/opendental/api/v1/tasks/1", OD_AUTH),
    ("/opendental/api/v1/commlogs/999999", OD_AUTH),
    ("/drchrono/api/patients?page_size=5", DRC_AUTH),
    ("/drchrono/api/patients/1", DRC_AUTH),
    ("/drchrono/api/appointments?since=2000-01-01", DRC_AUTH),
    (f"/orgapi/api/v1/{ORG_ID}/patients?limit=5", ORG_AUTH),
]

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


async def _answers(app: Starlette) -> list[tuple[int, list[tuple[bytes, bytes]], bytes]]:
    out = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for path, auth in READS:
            r = await client.get(path, headers={**auth, "X-Request-Id": "0123456789abcdef"})
            out.append((r.status_code, r.headers.raw, r.content))
    return out


async def test_fast_and_plain_reads_answer_byte_for_byte(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "utcnow", lambda: NOW)
    monkeypatch.setattr(store_module, "utcnow", lambda: NOW)
    plain_store = Store(store.url)
    plain_store.fast.close()
    assert store.fast.available and not plain_store.fast.available
    fast = create_app(Settings(database_url=store.url, demo=False), store=store)
    plain = create_app(Settings(database_url=store.url, demo=False), store=plain_store)

    before = await _answers(fast)
    assert before == await _answers(plain)
    assert {a[0] for a in before} == {200, 404}

    # A write through the other store: the fast reader's kept references and
    # prepared reads must see it as the plain path does.
    transport = httpx.ASGITransport(app=plain)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.put(
            "/opendental/api/v1/commlogs/2", json={"Note": "Changed elsewhere."}, headers=OD_AUTH
        )
        assert r.status_code == 200
    after = await _answers(fast)
    assert after == await _answers(plain)
    assert after != before
    plain_store.close()
