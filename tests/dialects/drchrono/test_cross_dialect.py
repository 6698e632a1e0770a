"""One record, two dialects: written through Open Dental, read and changed
through DrChrono, read back through Open Dental exactly (every OD field
DrChrono did not change is as it was; the changed ones carry the change)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import load

STAMPS = {"DateTStamp", "SecDateTEdit", "DateTimeDeceased"}


def same_except(before: dict[str, Any], after: dict[str, Any], changed: dict[str, Any]) -> None:
    assert list(after) == list(before)
    for key, value in before.items():
        if key in STAMPS:
            continue
        expected = changed.get(key, value)
        assert after[key] == expected, (key, after[key], expected)


async def test_patient(od: httpx.AsyncClient, drc: httpx.AsyncClient) -> None:
    body = {
        **load("opendental/patients/post.json")["request"]["body"],
        "FName": "Janet",
        "Email": "janet@example.com",
    }
    r = await od.post("/patients", json=body)
    assert r.status_code == 201, r.text
    pat_num = r.json()["PatNum"]
    before = (await od.get(f"/patients/{pat_num}")).json()

    mine = (await drc.get(f"/api/patients/{pat_num}")).json()
    assert (mine["id"], mine["first_name"], mine["last_name"]) == (pat_num, "Janet", "Smith")
    assert (mine["gender"], mine["date_of_birth"], mine["preferred_language"]) == (
        "Female",
        "1976-05-24",
        "spa",
    )
    assert (mine["zip_code"], mine["email"], mine["patient_status"]) == (
        "97301",
        "janet@example.com",
        "A",
    )
    r = await drc.patch(
        f"/api/patients/{pat_num}", json={"nick_name": "Janie", "cell_phone": "(503)555-0111"}
    )
    assert r.status_code == 204

    after = (await od.get(f"/patients/{pat_num}")).json()
    same_except(before, after, {"Preferred": "Janie", "WirelessPhone": "(503)555-0111"})


async def test_commlog(od: httpx.AsyncClient, drc: httpx.AsyncClient) -> None:
    r = await od.post("/commlogs", json=load("opendental/commlogs/post.json")["request"]["body"])
    assert r.status_code == 201, r.text
    num = r.json()["CommlogNum"]
    before = (await od.get(f"/commlogs/{num}")).json()

    mine = (await drc.get(f"/api/comm_logs/{num}")).json()
    assert (mine["patient"], mine["message"]) == (before["PatNum"], before["Note"])
    assert mine["scheduled_time"] == before["CommDateTime"].replace(" ", "T")
    assert mine["type"] == before["commType"]
    assert (
        await drc.patch(f"/api/comm_logs/{num}", data={"message": "Rescheduled"})
    ).status_code == 204

    after = (await od.get(f"/commlogs/{num}")).json()
    same_except(before, after, {"Note": "Rescheduled"})


async def test_task(od: httpx.AsyncClient, drc: httpx.AsyncClient) -> None:
    r = await od.post("/tasks", json=load("opendental/tasks/post.json")["request"]["body"])
    assert r.status_code == 201, r.text
    num = r.json()["TaskNum"]
    before = (await od.get(f"/tasks/{num}")).json()

    mine = (await drc.get(f"/api/tasks/{num}")).json()
    assert (mine["title"], mine["category"], mine["priority"]) == (before["Descript"], 3842, 30)
    assert mine["associated_items"] == [{"type": "Patient", "value": 73, "task": num}]
    assert mine["status"] == 1  # New: the practice's open status
    r = await drc.patch(f"/api/tasks/{num}", json={"title": "Card attached", "status": 2})
    assert r.status_code == 204

    after = (await od.get(f"/tasks/{num}")).json()
    same_except(before, after, {"Descript": "Card attached", "TaskStatus": "Viewed"})


async def test_procedure(od: httpx.AsyncClient, drc: httpx.AsyncClient) -> None:
    r = await od.post(
        "/procedurelogs", json=load("opendental/procedurelogs/post.json")["request"]["body"]
    )
    assert r.status_code == 201, r.text
    num = r.json()["ProcNum"]
    before = (await od.get(f"/procedurelogs/{num}")).json()

    mine = (await drc.get(f"/api/procedures/{num}")).json()
    assert (mine["patient"], mine["doctor"], mine["code"], mine["date"]) == (
        29,
        1,
        "D2331",
        "2021-04-25",
    )
    assert (mine["status"], mine["procedure_type"]) == ("Treatment Planned", "H")
    # DrChrono cannot change a procedure; Open Dental's answer is unchanged.
    assert (await drc.patch(f"/api/procedures/{num}", json={"code": "D0120"})).status_code == 405
    assert (await od.get(f"/procedurelogs/{num}")).json() == before


async def test_drchrono_records_read_through_open_dental(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    p = (
        await drc.post(
            "/api/patients",
            json={"doctor": 2, "gender": "Male", "first_name": "Ray", "last_name": "Ng"},
        )
    ).json()
    od_pat = (await od.get(f"/patients/{p['id']}")).json()
    assert (od_pat["FName"], od_pat["LName"], od_pat["Gender"], od_pat["PriProv"]) == (
        "Ray",
        "Ng",
        "Male",
        2,
    )
    c = (
        await drc.post("/api/comm_logs", json={"doctor": 2, "patient": p["id"], "message": "Hello"})
    ).json()
    od_log = (await od.get(f"/commlogs/{c['id']}")).json()
    assert (od_log["PatNum"], od_log["Note"], od_log["Mode_"]) == (p["id"], "Hello", "Phone")
    # The patient and log read back through DrChrono exactly as written.
    # (a POST answers every key, verbose ones included)
    assert (await drc.get(f"/api/patients/{p['id']}", params={"verbose": "true"})).json() == p
    assert (await drc.get(f"/api/comm_logs/{c['id']}")).json() == c


async def test_provider(od: httpx.AsyncClient, drc: httpx.AsyncClient) -> None:
    """A provider changed through Open Dental reads back through DrChrono with the
    change and nothing else changed; what Open Dental cannot show (email,
    phones, job title) survives an Open Dental write."""
    doctor = (await drc.get("/api/doctors/13")).json()
    example = load("opendental/providers/put.json")["request"]["body"]
    r = await od.put("/providers/13", json=example)
    assert r.status_code == 200, r.text
    changed = {
        "first_name": "Philip",
        "last_name": "Sherman",
        "suffix": "",
        "npi_number": "1245319599",
        "specialty": "Dental Hygiene",  # Specialty 264's name
    }
    assert (await drc.get("/api/doctors/13")).json() == {**doctor, **changed}

    before_od = (await od.get("/providers/1")).json()
    before_drc = (await drc.get("/api/doctors/1")).json()
    assert before_drc["email"] and before_drc["job_title"]  # nothing Open Dental shows
    r = await od.put("/providers/1", json={"PreferredName": "Al", "MI": before_od["MI"]})
    assert r.status_code == 200, r.text
    assert (await drc.get("/api/doctors/1")).json() == before_drc
    after = {**(await od.get("/providers/1")).json(), "serverDateTime": ""}
    same_except({**before_od, "serverDateTime": ""}, after, {"PreferredName": "Al"})


async def test_clinic(od: httpx.AsyncClient, drc: httpx.AsyncClient) -> None:
    """An office changed through DrChrono reads back through Open Dental
    unchanged (Open Dental has no online scheduling); the clinic written back
    through Open Dental as shown keeps everything DrChrono shows (its phone's
    punctuation, hours, rooms); a change through Open Dental reads back in
    DrChrono."""
    before = (await od.get("/clinics/1")).json()
    slots = [{"day": 4, "hour": 8, "minute": 15}]
    r = await drc.patch(
        "/api/offices/1", json={"online_scheduling": False, "online_timeslots": slots}
    )
    assert r.status_code == 204
    assert (await od.get("/clinics/1")).json() == before
    office = (await drc.get("/api/offices/1", params={"verbose": "true"})).json()

    writable = {k: v for k, v in before.items() if k not in ("ClinicNum", "Address", "Address2")}
    writable = {k: v for k, v in writable.items() if k not in ("City", "State", "Zip")}
    r = await od.put("/clinics/1", json=writable)
    assert r.status_code == 200, r.text
    assert r.json() == before
    assert (await drc.get("/api/offices/1", params={"verbose": "true"})).json() == office

    r = await od.put("/clinics/1", json={"Description": "Southside Dental", "Phone": "5035550111"})
    assert r.status_code == 200, r.text
    changed = {"name": "Southside Dental", "phone_number": "5035550111"}
    assert (await drc.get("/api/offices/1", params={"verbose": "true"})).json() == {
        **office,
        **changed,
    }
