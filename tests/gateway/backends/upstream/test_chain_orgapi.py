"""End to end over an org API upstream: gateway A in upstream mode in front of
gateway B serving the org API from its store. The integer dialects' clients of
A see stable numbers over the upstream's UUIDs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gateway.backends.upstream.chain import Chain, chain


@pytest.fixture(scope="module")
def org_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    with chain(tmp_path_factory.mktemp("org-chain"), "orgapi") as c:
        yield c


def _on_b(c: Chain, last_name: str) -> dict[str, object]:
    (found,) = c.of_b("orgapi").get("/patients", params={"search": last_name}).json()["items"]
    return dict(found)


def test_open_dental_client_writes_through(org_chain: Chain) -> None:
    a = org_chain.of_a("opendental")
    r = a.post("/patients", json={"LName": "Uuidson", "FName": "Ursula"})
    assert r.status_code == 201, r.text
    num = r.json()["PatNum"]
    assert _on_b(org_chain, "Uuidson")["first_name"] == "Ursula"
    r = a.put(f"/patients/{num}", json={"FName": "Ulla"})
    assert r.status_code == 200, r.text
    assert a.get(f"/patients/{num}").json()["FName"] == "Ulla"
    patient = _on_b(org_chain, "Uuidson")
    assert patient["first_name"] == "Ulla"

    r = a.post(
        "/commlogs", json={"PatNum": num, "CommDateTime": "2024-03-04 09:30:00", "Note": "Hi"}
    )
    assert r.status_code == 201, r.text
    logs = org_chain.of_b("orgapi").get(f"/patients/{patient['id']}/communication-logs").json()
    assert [log["note"] for log in logs["items"]] == ["Hi"]
    # the org API's logs are append-only, and it has no tasks: said plainly, in Open Dental's way
    r = a.put(f"/commlogs/{r.json()['CommlogNum']}", json={"Note": "Changed"})
    assert r.status_code == 400 and "does not allow" in r.text, r.text
    r = a.post("/tasks", json={"TaskListNum": 1, "Descript": "Nowhere to go"})
    assert r.status_code == 400 and "has no task records" in r.text, r.text


def test_org_api_and_drchrono_clients_write_through(org_chain: Chain) -> None:
    org = org_chain.of_a("orgapi")
    r = org.post("/patients", json={"first_name": "Vera", "last_name": "Versioned"})
    assert r.status_code == 201, r.text
    mine = r.json()
    r = org.patch(
        f"/patients/{mine['id']}", json={"first_name": "Verity", "base_version": mine["version"]}
    )
    assert r.status_code == 200, r.text
    assert _on_b(org_chain, "Versioned")["first_name"] == "Verity"
    # A stale base_version is the client's own conflict: 409, nothing sent
    r = org.patch(f"/patients/{mine['id']}", json={"first_name": "X", "base_version": 1})
    assert r.status_code == 409, r.text

    drc = org_chain.of_a("drchrono")
    r = drc.post(
        "/api/patients",
        json={"doctor": 1, "gender": "Male", "first_name": "Drew", "last_name": "Overuuid"},
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert drc.patch(f"/api/patients/{pid}", json={"first_name": "Andrew"}).status_code == 204
    assert _on_b(org_chain, "Overuuid")["first_name"] == "Andrew"


def test_a_refused_write_changes_nothing(org_chain: Chain) -> None:
    org = org_chain.of_a("orgapi")
    before = org_chain.of_b("orgapi").get("/patients").json()["total"]
    r = org.post("/patients", json={"first_name": "Only"})  # no last name: B refuses
    assert r.status_code == 422, r.text
    assert org_chain.of_b("orgapi").get("/patients").json()["total"] == before
    assert org.get("/patients").json()["total"] == before


def test_lifecycle_calls_go_to_the_upstreams_own(org_chain: Chain) -> None:
    org, b = org_chain.of_a("orgapi"), org_chain.of_b("orgapi")
    p = org.post("/patients", json={"first_name": "Life", "last_name": "Cycled"}).json()
    r = org.post(
        f"/patients/{p['id']}/transition-status",
        json={"base_version": p["version"], "new_status": "inactive"},
    )
    assert r.status_code == 200 and r.json()["status"] == "inactive", r.text
    on_b = _on_b(org_chain, "Cycled")
    assert on_b["status"] == "inactive"
    r = org.post(f"/patients/{p['id']}/archive")
    assert r.status_code == 200 and r.json()["status"] == "archived", r.text
    assert b.get(f"/patients/{on_b['id']}").json()["status"] == "archived"
    r = org.post(f"/patients/{p['id']}/restore")
    assert r.status_code == 200 and r.json()["deleted_at"] is None, r.text
    assert b.get(f"/patients/{on_b['id']}").json()["status"] == "inactive"


def test_two_identical_creates_are_two_records(org_chain: Chain) -> None:
    """Each create through A carries its own Idempotency-Key upstream."""
    a = org_chain.of_a("opendental")
    num = a.post("/patients", json={"LName": "Twice", "FName": "Tom"}).json()["PatNum"]
    log = {"PatNum": num, "CommDateTime": "2024-03-04 09:30:00", "Note": "Same"}
    first, second = a.post("/commlogs", json=log), a.post("/commlogs", json=log)
    assert first.status_code == second.status_code == 201, second.text
    assert first.json()["CommlogNum"] != second.json()["CommlogNum"]
    patient = _on_b(org_chain, "Twice")
    logs = org_chain.of_b("orgapi").get(f"/patients/{patient['id']}/communication-logs").json()
    assert [log["note"] for log in logs["items"]] == ["Same", "Same"]


def test_numbers_stay_stable_across_a_restart(org_chain: Chain) -> None:
    od = org_chain.of_a("opendental")
    before = {p["PatNum"]: p["LName"] for p in od.get("/patients/Simple").json()}
    org_chain.restart_a()
    after = {
        p["PatNum"]: p["LName"] for p in org_chain.of_a("opendental").get("/patients/Simple").json()
    }
    assert before == after
