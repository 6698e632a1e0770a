"""Authentication, tenant isolation, limits and error hygiene across the gateway."""

from __future__ import annotations

import logging

import httpx
import pytest

from canonical import Patient
from gateway.backends.store import Store, hash_secret
from gateway.backends.store.schema import credentials
from tests.conftest import OD_AUTH


@pytest.mark.parametrize(
    "header",
    [
        None,
        "ODFHIR demo-developer/wrong",
        "ODFHIR demo-developer",
        "Bearer demo-developer/demo-customer",
        "ODFHIR /",
    ],
)
async def test_bad_credentials_are_401(client: httpx.AsyncClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = await client.get("/opendental/api/v1/commlogs/2", headers=headers)
    assert r.status_code == 401
    assert "Invalid credentials" in r.json()


async def test_secrets_are_stored_hashed(store: Store) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(credentials.select()).mappings().all()
    assert rows
    stored = {r["secret_hash"] for r in rows}
    assert hash_secret("demo-developer/demo-customer") in stored
    for r in rows:
        assert "demo-customer" not in str(dict(r))


async def test_other_tenant_sees_nothing(client: httpx.AsyncClient, store: Store) -> None:
    other = await store.create_tenant("Other Practice", time_zone="UTC")
    await store.add_credential(other, "opendental", "dev2/cust2")
    theirs = await store.for_tenant(other).create(Patient(last_name="Other", first_name="Only"))
    headers = {"Authorization": "ODFHIR dev2/cust2"}
    # The demo tenant's commlog 2 is invisible to the other tenant...
    r = await client.get("/opendental/api/v1/commlogs/2", headers=headers)
    assert r.status_code == 404
    assert (await client.get("/opendental/api/v1/commlogs", headers=headers)).json() == []
    # ...and its patients cannot be written to through the other tenant.
    r = await client.post(
        "/opendental/api/v1/commlogs", headers=headers, json={"PatNum": 15, "Note": "x"}
    )
    assert r.status_code == 404
    # The other tenant's own patient is usable by it, and by nobody else.
    r = await client.post(
        "/opendental/api/v1/commlogs",
        headers=headers,
        json={"PatNum": theirs.num, "Note": "mine"},
    )
    assert r.status_code == 201
    mine = r.json()["CommlogNum"]
    r = await client.get(f"/opendental/api/v1/commlogs/{mine}", headers=OD_AUTH)
    assert r.status_code == 404 or r.json()["Note"] != "mine"


async def test_body_cap(app, store: Store) -> None:  # type: ignore[no-untyped-def]
    app.state.runtime.max_body = 64
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.post(
            "/opendental/api/v1/commlogs",
            headers=OD_AUTH,
            json={"PatNum": 15, "Note": "x" * 200},
        )
    assert r.status_code == 400
    assert "exceeds" in r.json()


async def test_request_id_is_returned_and_echoed(client: httpx.AsyncClient) -> None:
    r = await client.get("/opendental/api/v1/commlogs/2", headers=OD_AUTH)
    assert len(r.headers["x-request-id"]) == 32
    r = await client.get(
        "/opendental/api/v1/commlogs/2", headers={**OD_AUTH, "X-Request-Id": "abcdef123456"}
    )
    assert r.headers["x-request-id"] == "abcdef123456"


async def test_unexpected_failure_is_a_clean_500(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from gateway.backends.store import TenantStore

    async def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret patient detail John Smith")

    monkeypatch.setattr(TenantStore, "get", boom)
    with caplog.at_level(logging.INFO):
        r = await client.get("/opendental/api/v1/commlogs/2", headers=OD_AUTH)
    assert r.status_code == 500
    assert "Traceback" not in r.text and "John" not in r.text
    assert r.headers["x-request-id"] in r.json()
    assert "John Smith" not in caplog.text
    assert "RuntimeError" in caplog.text


async def test_logs_carry_no_patient_data(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await client.get("/opendental/api/v1/commlogs", params={"PatNum": 15}, headers=OD_AUTH)
        await client.post(
            "/opendental/api/v1/commlogs",
            headers=OD_AUTH,
            json={"PatNum": 15, "Note": "Patient Zebediah reports pain"},
        )
    # Only the server's own log lines count (the test client logs its own URLs).
    server = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith(("gateway", "uvicorn"))
    )
    assert "/opendental/api/v1/commlogs" in server, "the access log should record requests"
    assert "Zebediah" not in server
    assert "PatNum" not in server


async def test_unknown_path_and_method_answer_in_dialect_shape(client: httpx.AsyncClient) -> None:
    r = await client.get("/opendental/api/v1/nope", headers=OD_AUTH)
    assert r.status_code == 404 and isinstance(r.json(), str)
    r = await client.delete("/opendental/api/v1/commlogs/2", headers=OD_AUTH)
    assert r.status_code == 400 and "not supported" in r.json()
