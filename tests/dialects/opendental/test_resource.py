"""Open Dental's resource conventions (apiimplementation.md), set once on
OpenDentalResource: endpoints derived from a declaration, the path record's
400 and 404, 201 with Location, 200 for PUT and DELETE, and the order in which
a request is checked."""

from __future__ import annotations

import httpx
import pytest

from canonical import Commlog, Task
from dialects.base import Reply
from dialects.opendental import commlogs, procedurelogs, tasks
from dialects.opendental.resource import OpenDentalResource
from gateway.backends.store import Store
from tests.support import demo_backend


def test_endpoints_follow_the_declared_operations() -> None:
    assert [(e.method, e.path) for e in commlogs.ENDPOINTS] == [
        ("GET", "/commlogs"),
        ("GET", "/commlogs/{CommlogNum}"),
        ("POST", "/commlogs"),
        ("PUT", "/commlogs/{CommlogNum}"),
    ]
    assert ("DELETE", "/procedurelogs/{ProcNum}") in {
        (e.method, e.path) for e in procedurelogs.ENDPOINTS
    }
    assert {e.resource for e in tasks.ENDPOINTS} == {"task"}


def test_statuses() -> None:
    resource = OpenDentalResource("/commlogs", commlogs.CODEC)
    assert resource.reply(None, "replace", {"Note": "n"}, None) == Reply(200, {"Note": "n"})  # type: ignore[arg-type]
    assert resource.reply(None, "delete", None, None) == Reply(200, None)  # type: ignore[arg-type]


def test_a_declaration_tells_a_client_what_each_method_accepts() -> None:
    codec = commlogs.RESOURCE.codec
    assert codec.required("POST") == ("PatNum", "Note")
    assert codec.accepted("PUT") == ("Note",)
    assert "TaskStatus" not in tasks.RESOURCE.codec.accepted("POST")
    assert "TaskStatus" in tasks.RESOURCE.codec.accepted("PUT")


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/commlogs/abc", 400, "CommlogNum in the URL must be an integer."),
        ("GET", "/commlogs/99999", 404, "Commlog not found."),
        ("PUT", "/tasks/x", 400, "TaskNum in the URL must be an integer."),
        ("PUT", "/tasks/99999", 404, "Task not found."),
        ("DELETE", "/procedurelogs/99999", 404, "Procedure not found."),
    ],
)
async def test_the_record_in_the_path(
    od: httpx.AsyncClient, method: str, path: str, status: int, message: str
) -> None:
    r = await od.request(method, path, json={"Note": "n"} if method == "PUT" else None)
    assert (r.status_code, r.json()) == (status, message)


async def test_post_answers_201_with_a_location(od: httpx.AsyncClient) -> None:
    r = await od.post("/commlogs", json={"PatNum": 15, "Note": "n"})
    assert r.status_code == 201
    num = r.json()["CommlogNum"]
    assert r.headers["location"] == f"http://testserver/opendental/api/v1/commlogs/{num}"
    assert (await od.get(f"/commlogs/{num}")).json() == r.json()


async def test_the_query_is_checked_before_the_body(od: httpx.AsyncClient) -> None:
    for method, path in (("POST", "/commlogs"), ("PUT", "/commlogs/2")):
        r = await od.request(
            method,
            path,
            params={"Bogus": "1"},
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert (r.status_code, r.json()) == (400, "Invalid query parameter: Bogus.")


async def test_the_record_is_found_before_the_body_is_read(od: httpx.AsyncClient) -> None:
    r = await od.put(
        "/commlogs/99999", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert (r.status_code, r.json()) == (404, "Commlog not found.")


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        # Commlogs report missing keys first, tasks the keys the method does not take.
        ("/commlogs", {"Bogus": 1}, "PatNum is required. Note is required."),
        ("/tasks", {"Bogus": 1}, "Bogus cannot be set with this method."),
        # Procedures: unknown keys, then exclusive pairs, then missing keys.
        ("/procedurelogs", {"Priority": 1, "priority": "Low"}, "Only one of Priority or priority"),
        ("/procedurelogs", {"Priority": 1, "priority": "Low", "X": 1}, "X cannot be set"),
    ],
)
async def test_the_order_of_the_body_checks(
    od: httpx.AsyncClient, path: str, body: dict[str, object], message: str
) -> None:
    r = await od.post(path, json=body)
    assert r.status_code == 400 and message in r.json()


async def test_a_put_is_answered_with_the_record(od: httpx.AsyncClient) -> None:
    r = await od.put("/commlogs/2", json={"Note": "changed"})
    assert r.status_code == 200
    assert r.json() == (await od.get("/commlogs/2")).json()


async def test_a_put_of_no_keys_leaves_a_task_unsaved(od: httpx.AsyncClient, store: Store) -> None:
    before = (await od.get("/tasks/9093")).json()
    version = (await demo_backend(store).get(Task, num=9093)).version
    assert (await od.put("/tasks/9093", json={})).json() == before
    assert (await demo_backend(store).get(Task, num=9093)).version == version
    # A commlog PUT of no keys is still a write, as it always was.
    version = (await demo_backend(store).get(Commlog, num=2)).version
    assert (await od.put("/commlogs/2", json={})).status_code == 200
    assert (await demo_backend(store).get(Commlog, num=2)).version == version + 1
