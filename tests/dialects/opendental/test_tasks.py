"""Open Dental Tasks (seed 001, apitasks.md): the documented examples, then every rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import Definition, Task
from gateway import dispatch
from gateway.backends.store import Store
from gateway.demo import DEMO_TENANT_ID
from tests.dialects.opendental.examples import check_example
from tests.support import examples

EXAMPLES = examples("opendental/tasks")
OFFICE = ZoneInfo("America/Los_Angeles")
DEMO_NUMS = [1408, 6857, 9004, 9027, 9093]
ALL = {"DateTimeOriginal": "0001-01-01 00:00:00"}
"""Lifts the default 14-day window, so the demo tasks (2022-2024) are listed."""


def freeze(monkeypatch: pytest.MonkeyPatch, local: str) -> datetime:
    """Run requests with the gateway's clock at ``local`` office time."""
    now = datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=OFFICE).astimezone(UTC)
    monkeypatch.setattr(dispatch, "utcnow", lambda: now)
    return now


def office(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=OFFICE)


async def nums(od: httpx.AsyncClient, **params: Any) -> list[int]:
    r = await od.get("/tasks", params=params)
    assert r.status_code == 200, r.text
    return [t["TaskNum"] for t in r.json()]


async def snapshot(od: httpx.AsyncClient) -> list[dict[str, Any]]:
    r = await od.get("/tasks", params={**ALL, "Limit": 100})
    assert r.status_code == 200
    return list(r.json())


# -- documented examples -------------------------------------------------------------


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, name: str, example: dict[str, Any]
) -> None:
    if "now" in example:
        freeze(monkeypatch, example["now"])
    await check_example(od, example, "TaskNum")


async def test_post_example_keeps_the_given_user(od: httpx.AsyncClient) -> None:
    (example,) = [e for n, e in EXAMPLES if n == "post"]
    got = (await od.post("/tasks", json=example["request"]["body"])).json()
    assert got["UserNum"] == 12
    assert got["TaskNum"] not in DEMO_NUMS


# -- round trips ------------------------------------------------------------------------


async def test_post_then_get_round_trip(od: httpx.AsyncClient) -> None:
    body = {
        "TaskListNum": 74,
        "Descript": "Verify insurance",
        "UserNum": 12,
        "KeyNum": 755,
        "ObjectType": "Appointment",
        "DateTimeEntry": "2024-03-01 08:30:00",
        "PriorityDefNum": 358,
        "DescriptOverride": "Insurance",
    }
    r = await od.post("/tasks", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    again = (await od.get(f"/tasks/{created['TaskNum']}")).json()
    assert again == created
    for key, value in body.items():
        assert again[key] == value
    assert (again["TaskStatus"], again["DateTimeFinished"]) == ("New", "0001-01-01 00:00:00")
    assert again["DateTimeOriginal"] == again["SecDateTEdit"]


async def test_put_then_get_changes_only_given_fields(od: httpx.AsyncClient) -> None:
    before = (await od.get("/tasks/9093")).json()
    body = {"Descript": "New text", "DescriptOverride": "Short", "PriorityDefNum": 90}
    r = await od.put("/tasks/9093", json=body)
    assert r.status_code == 200, r.text
    after = (await od.get("/tasks/9093")).json()
    assert after == r.json()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"Descript", "DescriptOverride", "PriorityDefNum", "SecDateTEdit"}
    assert after["DateTimeOriginal"] == before["DateTimeOriginal"]


async def test_put_moves_task_from_appointment_to_patient(
    od: httpx.AsyncClient, store: Store
) -> None:
    r = await od.put("/tasks/9027", json={"ObjectType": "Patient", "KeyNum": 73})
    assert (r.json()["ObjectType"], r.json()["KeyNum"]) == ("Patient", 73)
    task = await store.for_tenant(store.get_tenant(DEMO_TENANT_ID)).get(Task, num=9027)  # type: ignore[arg-type]
    assert task.patient is not None and task.patient.num == 73
    assert task.appointment is None


async def test_put_object_type_none_detaches(od: httpx.AsyncClient) -> None:
    r = await od.put("/tasks/9093", json={"ObjectType": "None"})
    assert (r.json()["ObjectType"], r.json()["KeyNum"]) == ("None", 0)


async def test_empty_put_changes_nothing(od: httpx.AsyncClient) -> None:
    before = (await od.get("/tasks/9093")).json()
    r = await od.put("/tasks/9093", json={})
    assert r.status_code == 200 and r.json() == before
    assert (await od.get("/tasks/9093")).json() == before


# -- defaults -----------------------------------------------------------------------------


async def test_post_defaults(od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, "2025-05-05 10:00:00")
    r = await od.post("/tasks", json={"TaskListNum": 14, "Descript": "d", "UserNum": 1})
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["DateTimeEntry"] == "2025-05-05 10:00:00"
    assert (got["ObjectType"], got["KeyNum"], got["TaskStatus"]) == ("None", 0, "New")
    assert (got["DescriptOverride"], got["IsReadOnly"], got["ReminderType"]) == (
        "",
        "false",
        "NoReminder",
    )
    # No definition is marked default: the first task priority in order.
    assert got["PriorityDefNum"] == 90


async def test_default_priority_is_the_one_marked_default(
    od: httpx.AsyncClient, store: Store
) -> None:
    backend = store.for_tenant(store.get_tenant(DEMO_TENANT_ID))  # type: ignore[arg-type]
    normal = await backend.get(Definition, num=260)
    await backend.update(normal.model_copy(update={"value": "D"}))
    r = await od.post("/tasks", json={"TaskListNum": 14, "Descript": "d", "UserNum": 1})
    assert r.json()["PriorityDefNum"] == 260


# -- status rules --------------------------------------------------------------------------


async def test_done_sets_and_leaving_done_clears_finished(
    od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, "2025-02-03 09:15:00")
    done = (await od.put("/tasks/9004", json={"TaskStatus": "Done"})).json()
    assert (done["TaskStatus"], done["DateTimeFinished"]) == ("Done", "2025-02-03 09:15:00")
    freeze(monkeypatch, "2025-02-04 09:15:00")
    again = (await od.put("/tasks/9004", json={"TaskStatus": "Done"})).json()
    assert again["DateTimeFinished"] == "2025-02-03 09:15:00"
    viewed = (await od.put("/tasks/9004", json={"TaskStatus": "Viewed"})).json()
    assert (viewed["TaskStatus"], viewed["DateTimeFinished"]) == ("Viewed", "0001-01-01 00:00:00")
    assert (await od.get("/tasks/9004")).json() == viewed


async def test_new_description_reopens_done_task_as_viewed(od: httpx.AsyncClient) -> None:
    r = await od.put("/tasks/6857", json={"Descript": "Changed"})
    got = r.json()
    assert (got["TaskStatus"], got["DateTimeFinished"]) == ("Viewed", "0001-01-01 00:00:00")


async def test_explicit_status_wins_over_description_rule(od: httpx.AsyncClient) -> None:
    got = (await od.put("/tasks/6857", json={"Descript": "Changed", "TaskStatus": "Done"})).json()
    assert (got["TaskStatus"], got["DateTimeFinished"]) == ("Done", "2023-01-15 08:00:00")


async def test_description_of_open_task_keeps_status(od: httpx.AsyncClient) -> None:
    got = (await od.put("/tasks/9004", json={"Descript": "Changed"})).json()
    assert got["TaskStatus"] == "New"


# -- GET many: filters -------------------------------------------------------------------------


async def test_each_filter_alone(od: httpx.AsyncClient) -> None:
    assert await nums(od, **ALL) == DEMO_NUMS
    assert await nums(od, TaskListNum=74, **ALL) == [9004, 9027, 9093]
    assert await nums(od, ObjectType="Patient", **ALL) == [1408, 6857, 9093]
    assert await nums(od, ObjectType="Appointment", **ALL) == [9027]
    assert await nums(od, ObjectType="None", **ALL) == [9004]
    assert await nums(od, ObjectType="Patient", KeyNum=73, **ALL) == [6857, 9093]
    assert await nums(od, ObjectType="Appointment", KeyNum=755, **ALL) == [9027]
    assert await nums(od, TaskStatus="Done", **ALL) == [6857]
    assert await nums(od, TaskStatus="New", **ALL) == [1408, 9004, 9027, 9093]
    assert await nums(od, TaskStatus="Viewed", **ALL) == []
    assert await nums(od, DateTimeOriginal="2023-01-01 00:00:00") == [1408, 6857]
    # Inclusive: a task created at exactly that second is listed.
    assert await nums(od, DateTimeOriginal="2024-12-10 13:08:47") == [1408]
    assert await nums(od, DateTimeOriginal="2024-12-10 13:08:48") == []


async def test_filters_combined(od: httpx.AsyncClient) -> None:
    assert await nums(od, TaskListNum=74, ObjectType="Patient", **ALL) == [9093]
    assert await nums(od, ObjectType="Patient", KeyNum=73, TaskStatus="Done", **ALL) == [6857]
    assert await nums(
        od, ObjectType="Patient", KeyNum=73, DateTimeOriginal="2023-01-01 00:00:00"
    ) == [6857]
    assert await nums(od, TaskListNum=3842, TaskStatus="New", **ALL) == []
    assert await nums(od, ObjectType="Patient", KeyNum=0, TaskListNum=14, **ALL) == [1408]


async def test_key_filter_follows_object_type(od: httpx.AsyncClient) -> None:
    # Patient 75 owns appointment 755, but the task is about the appointment.
    assert await nums(od, ObjectType="Patient", KeyNum=75, **ALL) == []


async def test_default_window_is_previous_fourteen_days(
    od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, "2022-10-21 11:18:00")  # 14 days after 9027 and 9093, not 9004
    assert await nums(od, TaskListNum=74) == [9004]
    freeze(monkeypatch, "2022-10-21 11:17:00")
    assert await nums(od, TaskListNum=74) == [9004, 9093]
    freeze(monkeypatch, "2022-10-21 11:19:00")
    assert await nums(od, TaskListNum=74) == []
    freeze(monkeypatch, "2024-12-20 00:00:00")
    assert await nums(od) == [1408]
    freeze(monkeypatch, "2024-12-25 00:00:00")
    assert await nums(od) == []


async def test_new_tasks_are_in_the_default_window(od: httpx.AsyncClient) -> None:
    r = await od.post("/tasks", json={"TaskListNum": 14, "Descript": "d", "UserNum": 1})
    assert await nums(od) == [r.json()["TaskNum"]]


@pytest.mark.parametrize(
    ("params", "status", "names"),
    [
        ({"KeyNum": 73}, 400, "ObjectType"),
        ({"KeyNum": 0}, 400, "ObjectType"),
        ({"ObjectType": "None", "KeyNum": 73}, 400, "KeyNum"),
        ({"ObjectType": "Patient", "KeyNum": -1}, 400, "KeyNum"),
        ({"ObjectType": "Patient", "KeyNum": "x"}, 400, "KeyNum"),
        ({"ObjectType": "patient"}, 400, "ObjectType"),
        ({"ObjectType": "Procedure"}, 400, "ObjectType"),
        ({"TaskStatus": "Closed"}, 400, "TaskStatus"),
        ({"TaskListNum": "abc"}, 400, "TaskListNum"),
        ({"DateTimeOriginal": "2021-02-30 10:00:00"}, 400, "DateTimeOriginal"),
        ({"DateTimeOriginal": "2022-07-01"}, 400, "DateTimeOriginal"),
        ({"Unknown": "1"}, 400, "Unknown"),
        ({"PatNum": "73"}, 400, "PatNum"),
        ({"Offset": "-1"}, 400, "Offset"),
        ({"Limit": "ten"}, 400, "Limit"),
        ({"TaskListNum": 9999}, 404, "TaskList"),
        ({"ObjectType": "Patient", "KeyNum": 9999}, 404, "Patient"),
        ({"ObjectType": "Appointment", "KeyNum": 9999}, 404, "Appointment"),
        ({"ObjectType": "Appointment", "KeyNum": 73}, 404, "Appointment"),
    ],
)
async def test_get_many_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int, names: str
) -> None:
    r = await od.get("/tasks", params=params)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()


@pytest.mark.parametrize(
    ("path", "status"), [("/tasks/9999", 404), ("/tasks/abc", 400), ("/tasks/1408?X=1", 400)]
)
async def test_get_one_bad(od: httpx.AsyncClient, path: str, status: int) -> None:
    r = await od.get(path)
    assert r.status_code == status
    assert isinstance(r.json(), str)


# -- POST defaults (seed 001: only TaskListNum is required) ------------------------------------


async def test_post_needs_only_a_task_list(od: httpx.AsyncClient) -> None:
    body = {"TaskListNum": 14, "Descript": "Call back", "KeyNum": 15, "ObjectType": "Patient"}
    r = await od.post("/tasks", json=body)
    assert r.status_code == 201, r.text
    got = r.json()
    # The demo credential names no user: UserNum 0.
    assert (got["Descript"], got["KeyNum"], got["UserNum"]) == ("Call back", 15, 0)
    bare = await od.post("/tasks", json={"TaskListNum": 14})
    assert (bare.status_code, bare.json()["Descript"], bare.json()["UserNum"]) == (201, "", 0)
    explicit = await od.post("/tasks", json={"TaskListNum": 14, "UserNum": 0})
    assert (explicit.status_code, explicit.json()["UserNum"]) == (201, 0)


async def test_post_user_defaults_to_the_credentials_user(
    od: httpx.AsyncClient, store: Store
) -> None:
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    await store.add_credential(tenant, "opendental", "dev-12/cust-12", meta={"user_num": 12})
    headers = {"Authorization": "ODFHIR dev-12/cust-12"}
    r = await od.post("/tasks", json={"TaskListNum": 14, "Descript": "d"}, headers=headers)
    assert (r.status_code, r.json()["UserNum"]) == (201, 12)
    given = await od.post("/tasks", json={"TaskListNum": 14, "UserNum": 1}, headers=headers)
    assert (given.status_code, given.json()["UserNum"]) == (201, 1)


# -- bad input changes nothing --------------------------------------------------------------------

VALID = {"TaskListNum": 14, "Descript": "d", "UserNum": 1}


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ({"Descript": "d", "UserNum": 1}, 400, "TaskListNum"),
        ({**VALID, "TaskListNum": 0}, 400, "TaskListNum"),
        ({**VALID, "TaskListNum": None}, 400, "TaskListNum"),
        ({**VALID, "TaskListNum": "abc"}, 400, "TaskListNum"),
        ({**VALID, "TaskListNum": 1.5}, 400, "TaskListNum"),
        ({**VALID, "TaskListNum": True}, 400, "TaskListNum"),
        ({**VALID, "Descript": 5}, 400, "Descript"),
        ({**VALID, "UserNum": -3}, 400, "UserNum"),
        ({**VALID, "DescriptOverride": "x" * 257}, 400, "DescriptOverride"),
        ({**VALID, "DescriptOverride": ["x"]}, 400, "DescriptOverride"),
        ({**VALID, "KeyNum": 73}, 400, "ObjectType"),
        ({**VALID, "ObjectType": "None", "KeyNum": 73}, 400, "KeyNum"),
        ({**VALID, "ObjectType": "Patient"}, 400, "KeyNum"),
        ({**VALID, "ObjectType": "Patient", "KeyNum": 0}, 400, "KeyNum"),
        ({**VALID, "ObjectType": "Task", "KeyNum": 73}, 400, "ObjectType"),
        ({**VALID, "ObjectType": "patient", "KeyNum": 73}, 400, "ObjectType"),
        ({**VALID, "DateTimeEntry": "2021-02-30 10:00:00"}, 400, "DateTimeEntry"),
        ({**VALID, "DateTimeEntry": "2021-02-07"}, 400, "DateTimeEntry"),
        ({**VALID, "DateTimeEntry": 20210207}, 400, "DateTimeEntry"),
        ({**VALID, "PriorityDefNum": "high"}, 400, "PriorityDefNum"),
        ({**VALID, "TaskStatus": "Done"}, 400, "TaskStatus"),
        ({**VALID, "TaskNum": 5}, 400, "TaskNum"),
        ({**VALID, "DateTimeOriginal": "2022-01-01 00:00:00"}, 400, "DateTimeOriginal"),
        ({**VALID, "Bogus": 1}, 400, "Bogus"),
        ({**VALID, "TaskListNum": 9999}, 404, "TaskList"),
        ({**VALID, "UserNum": 9999}, 404, "User"),
        ({**VALID, "PriorityDefNum": 9999}, 404, "PriorityDefNum"),
        ({**VALID, "PriorityDefNum": 236}, 404, "PriorityDefNum"),  # a commlog type
        ({**VALID, "ObjectType": "Patient", "KeyNum": 9999}, 404, "Patient"),
        ({**VALID, "ObjectType": "Appointment", "KeyNum": 9999}, 404, "Appointment"),
        ({**VALID, "ObjectType": "Appointment", "KeyNum": 73}, 404, "Appointment"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, body: dict[str, Any], status: int, names: str
) -> None:
    before = await snapshot(od)
    r = await od.post("/tasks", json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await snapshot(od) == before


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b"", b'"text"'], ids=["malformed", "list", "empty", "string"]
)
async def test_malformed_bodies(od: httpx.AsyncClient, content: bytes) -> None:
    before = await snapshot(od)
    for method, path in (("POST", "/tasks"), ("PUT", "/tasks/9004")):
        r = await od.request(
            method, path, content=content, headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 400
        assert isinstance(r.json(), str)
    assert await snapshot(od) == before


@pytest.mark.parametrize(
    ("path", "body", "status", "names"),
    [
        ("/tasks/9999", {"Descript": "x"}, 404, "Task"),
        ("/tasks/abc", {"Descript": "x"}, 400, "TaskNum"),
        ("/tasks/9004", {"Descript": 1}, 400, "Descript"),
        ("/tasks/9004", {"Descript": ""}, 400, "Descript"),
        ("/tasks/9004", {"TaskStatus": "Closed"}, 400, "TaskStatus"),
        ("/tasks/9004", {"TaskStatus": "done"}, 400, "TaskStatus"),
        ("/tasks/9004", {"TaskStatus": 2}, 400, "TaskStatus"),
        ("/tasks/9004", {"KeyNum": 73}, 400, "ObjectType"),
        ("/tasks/9004", {"ObjectType": "Patient"}, 400, "KeyNum"),
        ("/tasks/9027", {"ObjectType": "Patient"}, 400, "KeyNum"),
        ("/tasks/9093", {"ObjectType": "Patient", "KeyNum": 0}, 400, "KeyNum"),
        ("/tasks/9004", {"ObjectType": "None", "KeyNum": 73}, 400, "KeyNum"),
        ("/tasks/9004", {"DateTimeEntry": "2021-02-30 10:00:00"}, 400, "DateTimeEntry"),
        ("/tasks/9004", {"DateTimeEntry": "0001-01-01 00:00:00"}, 400, "DateTimeEntry"),
        ("/tasks/9004", {"DescriptOverride": "x" * 257}, 400, "DescriptOverride"),
        ("/tasks/9004", {"PriorityDefNum": "x"}, 400, "PriorityDefNum"),
        ("/tasks/9004", {"TaskListNum": 14}, 400, "TaskListNum"),
        ("/tasks/9004", {"UserNum": 12}, 400, "UserNum"),
        ("/tasks/9004", {"TaskNum": 3}, 400, "TaskNum"),
        ("/tasks/9004", {"DateTimeFinished": "2023-01-01 00:00:00"}, 400, "DateTimeFinished"),
        ("/tasks/9004", {"Bogus": 1}, 400, "Bogus"),
        ("/tasks/9004?Bogus=1", {"Descript": "x"}, 400, "Bogus"),
        ("/tasks/9004", {"PriorityDefNum": 9999}, 404, "PriorityDefNum"),
        ("/tasks/9004", {"ObjectType": "Patient", "KeyNum": 9999}, 404, "Patient"),
        ("/tasks/9004", {"ObjectType": "Appointment", "KeyNum": 9999}, 404, "Appointment"),
        # A valid change beside a bad one is not applied either.
        ("/tasks/9004", {"Descript": "ok", "PriorityDefNum": 9999}, 404, "PriorityDefNum"),
        ("/tasks/9004", {"TaskStatus": "Done", "DateTimeEntry": "x"}, 400, "DateTimeEntry"),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, path: str, body: dict[str, Any], status: int, names: str
) -> None:
    before = await snapshot(od)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await snapshot(od) == before


async def test_content_type_required(od: httpx.AsyncClient) -> None:
    r = await od.post("/tasks", content=b'{"TaskListNum":14,"Descript":"d","UserNum":1}')
    assert r.status_code == 400


# -- paging --------------------------------------------------------------------------------------


async def test_paging_past_one_hundred(od: httpx.AsyncClient) -> None:
    for i in range(120):
        r = await od.post("/tasks", json={"TaskListNum": 14, "Descript": f"t{i}", "UserNum": 1})
        assert r.status_code == 201
    first = (await od.get("/tasks", params={"TaskListNum": 14})).json()
    second = (await od.get("/tasks", params={"TaskListNum": 14, "Offset": 100})).json()
    assert len(first) == 100 and len(second) == 20
    got = [t["TaskNum"] for t in first + second]
    assert got == sorted(set(got))
    assert [t["Descript"] for t in first + second] == [f"t{i}" for i in range(120)]
    assert len((await od.get("/tasks", params={"TaskListNum": 14, "Limit": 500})).json()) == 100
    window = (await od.get("/tasks", params={"TaskListNum": 14, "Offset": 5, "Limit": 3})).json()
    assert [t["TaskNum"] for t in window] == got[5:8]


# -- codec ---------------------------------------------------------------------------------------


def test_codec_reads_key_by_object_type() -> None:
    from dialects import translate

    (example,) = [e for n, e in EXAMPLES if n == "get_many_appointment"]
    wire = example["response"]["body"][0]
    task = translate(wire, "task", read="opendental", time_zone="America/Los_Angeles")
    assert task.appointment.num == 755 and task.patient is None
    assert task.created_at == office("2022-10-07 11:16:40")
    back = translate(wire, "task", read="opendental", write="opendental", time_zone=str(OFFICE))
    assert back == wire
    assert task.updated_at - task.created_at == timedelta(seconds=59)


def test_codec_needs_object_type_for_key() -> None:
    from canonical import Invalid
    from dialects import translate

    with pytest.raises(Invalid, match="ObjectType"):
        translate({"TaskListNum": 14, "KeyNum": 73}, "task", read="opendental")
    task = translate(
        {"TaskListNum": 14, "KeyNum": 0, "ObjectType": "None"}, "task", read="opendental"
    )
    assert (task.patient, task.appointment, task.subject) == (None, None, None)
