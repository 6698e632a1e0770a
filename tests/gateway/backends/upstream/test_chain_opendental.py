"""End to end over an Open Dental upstream: gateway A in upstream mode in front of
gateway B serving Open Dental from its store; clients of every dialect write
through A, and B holds exactly what they wrote."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import DRC_AUTH, OD_AUTH, ORG_AUTH
from tests.gateway.backends.upstream.chain import Chain, chain


@pytest.fixture(scope="module")
def od_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    with chain(tmp_path_factory.mktemp("od-chain"), "opendental") as c:
        yield c


def _count(client: httpx.Client, path: str, **params: str) -> int:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return len(r.json())


def test_the_mirror_serves_the_upstreams_records(od_chain: Chain) -> None:
    a, b = od_chain.of_a("opendental"), od_chain.of_b("opendental")
    assert a.get("/patients/15").json()["LName"] == b.get("/patients/15").json()["LName"]
    assert a.get("/commlogs/2").json() == b.get("/commlogs/2").json() | {
        "DateTStamp": a.get("/commlogs/2").json()["DateTStamp"]
    }
    # the org API sees the same patient under a stable UUID, the search of the mirror
    org = od_chain.of_a("orgapi")
    found = org.get("/patients", params={"search": "smith"}).json()
    assert any(p["last_name"] == "Smith" for p in found["items"])


def test_open_dental_client_writes_through(od_chain: Chain) -> None:
    a, b = od_chain.of_a("opendental"), od_chain.of_b("opendental")
    r = a.post("/patients", json={"LName": "Chain", "FName": "Odette", "Birthdate": "1980-02-03"})
    assert r.status_code == 201, r.text
    num = r.json()["PatNum"]
    assert b.get(f"/patients/{num}").json()["FName"] == "Odette"
    r = a.put(f"/patients/{num}", json={"FName": "Odile"})
    assert r.status_code == 200, r.text
    assert a.get(f"/patients/{num}").json()["FName"] == "Odile"  # its own write, at once
    assert b.get(f"/patients/{num}").json()["FName"] == "Odile"

    log = {"PatNum": num, "CommDateTime": "2024-03-04 09:30:00", "Note": "Chained"}
    r = a.post("/commlogs", json=log)
    assert r.status_code == 201, r.text
    lognum = r.json()["CommlogNum"]
    assert b.get(f"/commlogs/{lognum}").json()["Note"] == "Chained"
    assert [c["CommlogNum"] for c in a.get("/commlogs", params={"PatNum": num}).json()] == [lognum]

    r = a.post("/tasks", json={"TaskListNum": 14, "Descript": "Chained task"})
    assert r.status_code == 201, r.text
    tasknum = r.json()["TaskNum"]
    r = a.put(f"/tasks/{tasknum}", json={"Descript": "Chained task, done"})
    assert r.status_code == 200, r.text
    assert b.get(f"/tasks/{tasknum}").json()["Descript"] == "Chained task, done"

    r = a.post(
        "/procedurelogs",
        json={"PatNum": num, "ProcDate": "2024-03-04", "ProcStatus": "TP", "procCode": "D0120"},
    )
    assert r.status_code == 201, r.text
    procnum = r.json()["ProcNum"]
    assert b.get(f"/procedurelogs/{procnum}").json()["PatNum"] == num


def test_org_api_client_writes_through(od_chain: Chain) -> None:
    org, b = od_chain.of_a("orgapi"), od_chain.of_b("opendental")
    r = org.post("/patients", json={"first_name": "Orla", "last_name": "Chained"})
    assert r.status_code == 201, r.text
    patient = r.json()
    (on_b,) = b.get("/patients", params={"LName": "Chained"}).json()
    assert on_b["FName"] == "Orla"
    r = org.patch(
        f"/patients/{patient['id']}",
        json={"first_name": "Orlaith", "base_version": patient["version"]},
    )
    assert r.status_code == 200, r.text
    assert b.get(f"/patients/{on_b['PatNum']}").json()["FName"] == "Orlaith"

    r = org.post(
        f"/patients/{patient['id']}/communication-logs",
        json={"communication_datetime": "2024-05-06T07:08:09Z", "note": "From the org API"},
    )
    assert r.status_code == 201, r.text
    logs = b.get("/commlogs", params={"PatNum": on_b["PatNum"]}).json()
    assert [log["Note"] for log in logs] == ["From the org API"]


def test_drchrono_client_writes_through(od_chain: Chain) -> None:
    drc, b = od_chain.of_a("drchrono"), od_chain.of_b("opendental")
    r = drc.post(
        "/api/patients",
        json={"doctor": 1, "gender": "Female", "first_name": "Dora", "last_name": "Chainy"},
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert b.get(f"/patients/{pid}").json()["LName"] == "Chainy"
    r = drc.patch(f"/api/patients/{pid}", json={"first_name": "Dorothy"})
    assert r.status_code == 204, r.text
    assert b.get(f"/patients/{pid}").json()["FName"] == "Dorothy"
    r = drc.post("/api/comm_logs", json={"doctor": 1, "patient": pid, "message": "DrC log"})
    assert r.status_code == 201, r.text
    assert [c["Note"] for c in b.get("/commlogs", params={"PatNum": pid}).json()] == ["DrC log"]
    listed = drc.get("/api/procedures", params={"patient": 12}).json()["results"]
    assert listed  # the mirror's procedures, read through DrChrono


def test_a_refused_write_changes_nothing(od_chain: Chain) -> None:
    a, b = od_chain.of_a("opendental"), od_chain.of_b("opendental")
    before = (_count(a, "/tasks"), _count(b, "/tasks"))
    r = a.post("/tasks", json={"TaskListNum": 987654, "Descript": "Nowhere"})  # B has no such list
    assert r.status_code in (400, 404), r.text
    assert (_count(a, "/tasks"), _count(b, "/tasks")) == before

    # Open Dental's 400 (its own rule for a US state) reaches an org API client as a 422.
    org = od_chain.of_a("orgapi")
    count = len(b.get("/patients", params={"LName": "Refused"}).json())
    r = org.post("/patients", json={"first_name": "A", "last_name": "Refused", "state": "Calif"})
    assert r.status_code == 422 and "two capital letters" in r.text, r.text
    assert len(b.get("/patients", params={"LName": "Refused"}).json()) == count
    assert org.get("/patients", params={"search": "Refused"}).json()["items"] == []


def test_a_change_made_upstream_since_the_sync_is_not_overwritten(od_chain: Chain) -> None:
    a, b = od_chain.of_a("opendental"), od_chain.of_b("opendental")
    num = a.post("/patients", json={"LName": "Raced", "FName": "First"}).json()["PatNum"]
    assert b.put(f"/patients/{num}", json={"FName": "Upstream"}).status_code == 200
    org = od_chain.of_a("orgapi")
    (mine,) = org.get("/patients", params={"search": "Raced"}).json()["items"]
    r = org.patch(
        f"/patients/{mine['id']}", json={"first_name": "Gateway", "base_version": mine["version"]}
    )
    assert r.status_code == 409, r.text
    assert b.get(f"/patients/{num}").json()["FName"] == "Upstream"


def test_sync_status_endpoint_and_command(od_chain: Chain) -> None:
    url = f"{od_chain.a.base}/upstream/status"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer nobody"}).status_code == 401
    for auth in (DRC_AUTH, ORG_AUTH, OD_AUTH):  # any of the tenant's credentials
        status = httpx.get(url, headers=auth).json()
    assert status["upstream"].startswith("opendental+http://127.0.0.1:")
    assert status["fresh"] is True
    by = {r["resource"]: r for r in status["resources"]}
    assert by["patient"]["records"] >= 28 and by["patient"]["watermark"]
    assert by["provider"]["last_pull_at"] and by["provider"]["last_error"] is None
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "gateway",
            "upstream",
            "status",
            "--database-url",
            f"sqlite:///{od_chain.a_db}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert "patient" in shown.stdout and "never" not in shown.stdout


def test_ids_stay_stable_across_a_restart(od_chain: Chain) -> None:
    org = od_chain.of_a("orgapi")
    before = {p["id"]: p["last_name"] for p in org.get("/patients").json()["items"]}
    od_chain.restart_a()
    after = od_chain.of_a("orgapi").get("/patients").json()["items"]
    assert before == {p["id"]: p["last_name"] for p in after}
    assert od_chain.of_a("opendental").get("/patients/15").json()["LName"] == "Smith"


def test_an_upstream_outage_keeps_reads_and_fails_writes_plainly(od_chain: Chain) -> None:
    """Last in this module: it stops gateway B."""
    a = od_chain.of_a("opendental")
    od_chain.b.proc.terminate()
    od_chain.b.proc.communicate(timeout=10)
    assert a.get("/patients/15").json()["LName"] == "Smith"  # the mirror still answers
    before = a.get("/commlogs", params={"PatNum": 15}).json()
    r = a.post("/commlogs", json={"PatNum": 15, "CommDateTime": "2024-01-01 08:00:00", "Note": "x"})
    assert r.status_code == 503 and "could not be reached" in r.text, r.text
    r = od_chain.of_a("orgapi").get("/patients", params={"search": "smith"})
    assert r.status_code == 200
    assert a.get("/commlogs", params={"PatNum": 15}).json() == before
