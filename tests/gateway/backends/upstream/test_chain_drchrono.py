"""End to end over a DrChrono upstream: gateway A in upstream mode in front of
gateway B serving DrChrono from its store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import OD_AUTH
from tests.gateway.backends.upstream.chain import Chain, chain, upstream_of
from tests.serving import Served


@pytest.fixture(scope="module")
def drc_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    with chain(tmp_path_factory.mktemp("drc-chain"), "drchrono") as c:
        yield c


def test_clients_of_every_dialect_write_through(drc_chain: Chain) -> None:
    a, b = drc_chain.of_a("opendental"), drc_chain.of_b("drchrono")
    body = {"LName": "Chronos", "FName": "Cleo", "Gender": "Female", "PriProv": 1}
    r = a.post("/patients", json=body)
    assert r.status_code == 201, r.text
    num = r.json()["PatNum"]
    assert b.get(f"/api/patients/{num}").json()["first_name"] == "Cleo"
    assert a.put(f"/patients/{num}", json={"FName": "Clio"}).status_code == 200
    assert b.get(f"/api/patients/{num}").json()["first_name"] == "Clio"

    drc = drc_chain.of_a("drchrono")
    r = drc.post("/api/comm_logs", json={"doctor": 1, "patient": num, "message": "Via A"})
    assert r.status_code == 201, r.text
    logs = b.get("/api/comm_logs", params={"patient": num}).json()["results"]
    assert [log["message"] for log in logs] == ["Via A"]
    r = drc.post("/api/tasks", json={"title": "Via A", "status": 1, "category": 14})
    assert r.status_code == 201, r.text
    task = r.json()["id"]
    assert drc.patch(f"/api/tasks/{task}", json={"title": "Via A, again"}).status_code == 204
    assert b.get(f"/api/tasks/{task}").json()["title"] == "Via A, again"

    org = drc_chain.of_a("orgapi")
    (mine,) = org.get("/patients", params={"search": "Chronos"}).json()["items"]
    r = org.patch(
        f"/patients/{mine['id']}", json={"last_name": "Chronias", "base_version": mine["version"]}
    )
    assert r.status_code == 200, r.text
    assert b.get(f"/api/patients/{num}").json()["last_name"] == "Chronias"


def test_procedures_are_read_only_there(drc_chain: Chain) -> None:
    a, b = drc_chain.of_a("opendental"), drc_chain.of_b("drchrono")
    listed = a.get("/procedurelogs", params={"PatNum": 12}).json()
    shown = b.get("/api/procedures", params={"patient": 12}).json()["results"]
    assert len(listed) == len(shown) > 0
    r = a.put(f"/procedurelogs/{listed[0]['ProcNum']}", json={"ProcDate": "2024-01-02"})
    assert r.status_code == 400 and "does not allow" in r.text, r.text


def test_a_refused_write_changes_nothing(drc_chain: Chain) -> None:
    org, b = drc_chain.of_a("orgapi"), drc_chain.of_b("drchrono")
    before = len(b.get("/api/patients", params={"last_name": "Genderless"}).json()["results"])
    r = org.post("/patients", json={"first_name": "No", "last_name": "Genderless"})
    assert r.status_code == 422, r.text  # DrChrono requires a doctor and a gender
    fields = {e["loc"][-1] for e in r.json()["detail"]}
    assert "gender" in fields
    assert (
        len(b.get("/api/patients", params={"last_name": "Genderless"}).json()["results"]) == before
    )
    assert org.get("/patients", params={"search": "Genderless"}).json()["items"] == []


def test_ids_stay_stable_across_a_restart(drc_chain: Chain) -> None:
    org = drc_chain.of_a("orgapi")
    before = {p["id"]: p["last_name"] for p in org.get("/patients").json()["items"]}
    drc_chain.restart_a()
    after = drc_chain.of_a("orgapi").get("/patients").json()["items"]
    assert before == {p["id"]: p["last_name"] for p in after}


def _refresh_token(b: Served) -> str:
    """A refresh token of B's demo application, through its OAuth code flow."""
    redirect, base = f"{b.base}/callback", f"{b.base}/drchrono/o"
    r = httpx.get(
        f"{base}/authorize", params={"client_id": "demo-client", "redirect_uri": redirect}
    )
    assert r.status_code == 302, r.text
    code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
    data = {
        "client_id": "demo-client",
        "client_secret": "demo-client-secret",
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
    }
    r = httpx.post(f"{base}/token/", data=data)
    assert r.status_code == 200, r.text
    return str(r.json()["refresh_token"])


def test_oauth_with_refresh_continues_after_a_restart(drc_chain: Chain, tmp_path: Path) -> None:
    """A refreshes with the setting's token (which DrChrono then rotates), keeps the
    new one, and after a restart goes on with it: the setting's is spent."""
    first = _refresh_token(drc_chain.b)
    setting = f"demo-client:demo-client-secret:{first}"
    db = tmp_path / "oauth.db"
    for start in range(2):
        with upstream_of(drc_chain.b, "drchrono", db, GATEWAY_UPSTREAM_AUTH=setting) as a:
            status = httpx.get(f"{a.base}/upstream/status", headers=OD_AUTH).json()
            by = {r["resource"]: r for r in status["resources"]}
            assert by["patient"]["last_error"] is None and by["patient"]["records"] > 0, by
        if start == 0:  # the setting's refresh token was rotated away: B refuses it now
            spent = {
                "client_id": "demo-client",
                "client_secret": "demo-client-secret",
                "grant_type": "refresh_token",
                "refresh_token": first,
            }
            r = httpx.post(f"{drc_chain.b.base}/drchrono/o/token/", data=spent)
            assert r.status_code == 400, r.text
