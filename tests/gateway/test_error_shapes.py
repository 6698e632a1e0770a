"""Every endpoint of every dialect, read from the dialects' own tables:

- without credentials (or with a credential nobody issued) it answers 401 in
  the dialect's error shape, never data and never a 500;
- with another tenant's valid credentials it never shows, changes or deletes
  the demo tenant's records: a demo record's id is "not found", a list is
  empty, and the demo tenant's data is unchanged afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from gateway.backends.store import TenantRow
from gateway.demo import DEMO_CREDENTIALS
from tests.gateway.hostile import (
    DEMO_ORG,
    Harness,
    Target,
    check_error_shape,
    check_no_trace,
    demo_auth,
    endpoint_table,
    fill,
)

TARGETS = endpoint_table()
PROTECTED = [t for t in TARGETS if not t.endpoint.public]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
OTHER_ORG = UUID("11111111-2222-4333-8444-555555555555")


@pytest.fixture(scope="module")
def harness(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    h = Harness(demo_db, tmp_path_factory.mktemp("shapes"))
    yield h
    h.close()


def _path(target: Target, ids: dict[str, str], org: str = DEMO_ORG) -> str:
    values = {p: (org if p == "org_id" else ids.get(p, "1")) for p in target.params}
    return target.dialect.prefix + fill(target.endpoint.path, values)


def _assert_error(target: Target, r: Any, status: int, where: str) -> None:
    assert r.status_code == status, f"{where}: {r.status_code} {r.text[:300]}"
    assert r.headers.get("content-type", "").startswith("application/json"), where
    check_no_trace(r.text, where)
    check_error_shape(target, r.status_code, r.json(), where)


@pytest.mark.parametrize(
    "auth",
    [None, "wrong-scheme", "unknown-secret"],
)
def test_every_endpoint_refuses_missing_credentials(harness: Harness, auth: str | None) -> None:
    before = harness.fingerprint()
    for target in PROTECTED:
        headers: dict[str, str] = {"Content-Type": "application/json"}
        real = demo_auth(target.dialect.name)["Authorization"]
        scheme = real.split(" ", 1)[0]
        if auth == "wrong-scheme":
            headers["Authorization"] = "Basic " + real.split(" ", 1)[-1]
        elif auth == "unknown-secret":
            secret = "nobody/issued-this" if "/" in real else "nobody-issued-this"
            headers["Authorization"] = f"{scheme} {secret}"
        url = _path(target, {})
        body = b"{}" if target.endpoint.method in WRITES else None
        r = harness.request(target.endpoint.method, url, headers, body)
        _assert_error(target, r, 401, f"{target.id} auth={auth}")
    assert harness.fingerprint() == before


# -- another tenant ---------------------------------------------------------------------


async def _other_tenant(h: Harness) -> tuple[TenantRow, dict[str, dict[str, str]]]:
    """A second tenant with one credential of each kind the demo tenant has."""
    tenant = await h.store.create_tenant("Other Practice", time_zone="UTC", org_id=OTHER_ORG)
    auth: dict[str, dict[str, str]] = {}
    for cred in DEMO_CREDENTIALS:
        secret = f"other-{cred.secret}"
        meta = dict(cred.meta)
        if "client_id" in meta:
            meta["client_id"] = f"other-{meta['client_id']}"
        await h.store.add_credential(
            tenant,
            cred.dialect,
            secret,
            kind=cred.kind,
            label="other",
            scopes=cred.scopes,
            meta=meta,
        )
        if cred.how.startswith("Authorization: "):
            scheme = cred.how.removeprefix("Authorization: ").split(" ", 1)[0]
            auth[cred.dialect] = {"Authorization": f"{scheme} {secret}"}
    return tenant, auth


def _listed(body: Any) -> list[Any] | None:
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in ("items", "data", "results"):
            if isinstance(body.get(key), list):
                return body[key]
    return None


def _demo_ids(h: Harness, target: Target) -> list[dict[str, str]]:
    """Path values naming the demo tenant's own records (the first few of the resource)."""
    resource = target.endpoint.resource
    if not resource or not target.params:
        return [{}]
    mine = h.real_ids(resource)
    patients = h.real_ids("patient")
    out = []
    for num, uid in mine:
        values: dict[str, str] = {}
        for p in target.params:
            as_uuid = "uuid" in p.lower() or target.dialect.name == "orgapi"
            if p == target.params[-1]:
                values[p] = uid if as_uuid else str(num)
            elif patients:
                values[p] = patients[0][1] if as_uuid else str(patients[0][0])
        out.append(values)
    return out or [{}]


def test_other_tenant_never_sees_demo_records(harness: Harness) -> None:
    h = harness
    tenant, auth = h.loop.run_until_complete(_other_tenant(h))
    demo_uuids = {
        uid for t in TARGETS if t.endpoint.resource for _, uid in h.real_ids(t.endpoint.resource)
    }
    before = h.fingerprint()
    for target in PROTECTED:
        ep = target.endpoint
        headers = {**auth[target.dialect.name], "Content-Type": "application/json"}
        for ids in _demo_ids(h, target):
            # Through the other tenant's own org (its token's), and through the demo org.
            for org in (str(tenant.org_id), DEMO_ORG):
                if org == DEMO_ORG and "org_id" not in target.params:
                    continue
                url = _path(target, ids, org)
                body = b"{}" if ep.method in WRITES else None
                r = h.request(ep.method, url, headers, body)
                where = f"{target.id} as the other tenant: {ep.method} {url}"
                assert r.status_code < 500 or r.status_code == 501, f"{where}: {r.status_code}"
                # The credential is valid: refused for what it asks, never as unknown.
                assert r.status_code != 401, f"{where}: the other tenant's credential failed"
                text = r.text
                leaked = [u for u in demo_uuids if u in text]
                assert not leaked, f"{where}: shows demo records {leaked[:3]}"
                if r.status_code >= 400:
                    check_error_shape(target, r.status_code, r.json(), where)
                    continue
                assert "org_id" not in target.params or org != DEMO_ORG, (
                    f"{where}: the demo org answered {r.status_code}"
                )
                if ep.method == "GET" and ids and ep.resource:
                    listed = _listed(r.json()) if text else None
                    assert listed == [], f"{where}: a demo record is visible: {text[:300]}"
                elif ep.method == "GET" and text:
                    listed = _listed(r.json())
                    assert listed in (None, []), f"{where}: lists records: {text[:300]}"
    assert h.fingerprint() == before, "the other tenant changed the demo tenant's data"
