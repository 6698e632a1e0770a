"""The DrChrono client against a real DrChrono server (the gateway serving
DrChrono from its store, in a second process), and against faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import (
    Allergy,
    Appointment,
    BadUpstream,
    Clinic,
    Commlog,
    Conflict,
    Gender,
    Invalid,
    Medication,
    NotFound,
    Patient,
    Problem,
    Procedure,
    Provider,
    Record,
    Ref,
    Task,
    TaskList,
    TaskNote,
    TaskStatusDefinition,
    TaskTemplate,
    Unavailable,
    Unsupported,
    UpstreamTimeout,
)
from canonical.alert import AlertDefinition
from dialects.drchrono.client import RESOURCES, DrChronoClient
from dialects.transport import Policy
from gateway.demo import DEMO_TIME_ZONE
from tests.conftest import DRC_AUTH
from tests.serving import Served

TZ = ZoneInfo(DEMO_TIME_ZONE)
QUICK = Policy(rate=0, retries=1, backoff=0.001, max_backoff=0.002, timeout=5)
TOKEN = DRC_AUTH["Authorization"]  # "Bearer demo-drchrono-token": the setting may carry it
SOON = datetime(2031, 3, 3, 17, 0, tzinfo=UTC)


@pytest.fixture
async def client(real_server: Served) -> AsyncIterator[DrChronoClient]:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as http:
        yield DrChronoClient(http, TOKEN, policy=QUICK, tz=TZ)


@pytest.mark.parametrize("name", sorted(RESOURCES))
async def test_every_resource_lists_and_reads(client: DrChronoClient, name: str) -> None:
    model = RESOURCES[name].model
    listed = [r async for r in client.list(model)]
    if not listed:  # the demo has none: nothing to read back
        return
    one = await client.read(model, listed[0].num or 0)
    assert one.num == listed[0].num and type(one) is model


async def test_patients_are_created_changed_and_deleted(client: DrChronoClient) -> None:
    made = await client.create(
        Patient(
            last_name="Client",
            first_name="Olive",
            gender=Gender.female,
            date_of_birth=date(1990, 4, 2),
            primary_provider=Ref(num=1),
        )
    )
    assert made.num and made.last_name == "Client" and made.updated_at
    changed = await client.update(made.model_copy(update={"first_name": "Oliver"}), made)
    assert (changed.num, changed.first_name, changed.date_of_birth) == (
        made.num,
        "Oliver",
        date(1990, 4, 2),
    )
    await client.delete(Patient, made.num)
    with pytest.raises(NotFound):
        await client.read(Patient, made.num)


def _writes(patient: int, task: int) -> list[tuple[Record, dict[str, Any]]]:
    """One new record of each writable resource, and a change to make to it."""
    doctor = Ref(num=1)
    return [
        (
            Commlog(
                patient=Ref(num=patient),
                provider=doctor,
                note="Called",
                subject="Call",
                communicated_at=SOON,
            ),
            {"note": "Called back"},
        ),
        (
            Task(description="Call the lab", status_definition=Ref(num=1), task_list=Ref(num=14)),
            {"description": "Done"},
        ),
        (TaskList(description="Lab work"), {"description": "Lab"}),
        (TaskStatusDefinition(name="Waiting"), {"name": "Waiting on lab"}),
        (TaskNote(task=Ref(num=task), text="Faxed"), {"text": "Faxed twice"}),
        (TaskTemplate(name="Recall", title="Recall call"), {"title": "Recall"}),
        (AlertDefinition(provider=doctor, name="VIP"), {"name": "Very important"}),
        (Allergy(patient=Ref(num=patient), provider=doctor, description="Latex"), {"notes": "x"}),
        (Medication(patient=Ref(num=patient), provider=doctor, name="Ibuprofen"), {"notes": "y"}),
        (Problem(patient=Ref(num=patient), provider=doctor, name="Asthma"), {"notes": "z"}),
    ]


async def test_every_writable_resource_is_created_and_changed(client: DrChronoClient) -> None:
    task = await client.create(
        Task(description="Parent", status_definition=Ref(num=1), task_list=Ref(num=14))
    )
    assert task.num
    for new, change in _writes(1, task.num):
        made = await client.create(new)
        assert made.num, type(new).__name__
        for key in change:
            assert getattr(made, key) == getattr(new, key), (type(new).__name__, key)
        changed = await client.update(made.model_copy(update=change), made)
        assert changed.num == made.num
        for key, value in change.items():
            assert getattr(changed, key) == value, (type(new).__name__, key)


async def test_appointments_overlap_as_a_conflict_and_breaks_send_no_patient(
    client: DrChronoClient,
) -> None:
    office = await client.read(Clinic, 1)
    room = office.exam_rooms[0].index if office.exam_rooms else 1
    first = Appointment(
        patient=Ref(num=1),
        provider=Ref(num=1),
        clinic=Ref(num=1),
        exam_room=room,
        starts_at=SOON,
        duration_minutes=30,
        reason="Checkup",
    )
    made = await client.create(first)
    assert made.num and made.starts_at == SOON and made.patient == Ref(num=1)
    with pytest.raises(Conflict, match="overlaps"):
        await client.create(first.model_copy(update={"starts_at": SOON + timedelta(minutes=15)}))
    lunch = await client.create(
        first.model_copy(update={"patient": None, "starts_at": SOON + timedelta(hours=2)})
    )
    assert lunch.is_break and lunch.patient is None
    moved = await client.update(made.model_copy(update={"reason": "Cleaning"}), made)
    assert moved.reason == "Cleaning"
    await client.delete(Appointment, made.num or 0)
    gone = await client.read(Appointment, made.num or 0)  # archived, still readable by id
    assert gone.deleted_at is not None


async def test_offices_take_updates_and_read_only_resources_refuse_writes(
    client: DrChronoClient,
) -> None:
    office = await client.read(Clinic, 1)
    flipped = await client.update(
        office.model_copy(update={"online_scheduling": not office.online_scheduling}), office
    )
    assert flipped.online_scheduling is not office.online_scheduling
    with pytest.raises(Unsupported, match="does not allow create"):
        await client.create(await client.read(Procedure, 1))
    with pytest.raises(Unsupported, match="does not allow"):
        await client.update(Provider(num=1, last_name="X"), Provider(num=1))
    with pytest.raises(Unsupported, match="does not allow delete"):
        await client.delete(Commlog, 2)


async def test_lists_follow_next_past_one_page(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as http:
        small = DrChronoClient(http, TOKEN, policy=QUICK, tz=TZ, page_size=4)
        paged = [p.num async for p in small.list(Patient)]
        tasks = [t.num async for t in small.list(Task)]
        whole = DrChronoClient(http, TOKEN, policy=QUICK, tz=TZ)
        assert len(paged) > 8  # more than two pages
        assert paged == [p.num async for p in whole.list(Patient)]
        assert tasks == [t.num async for t in whole.list(Task)]


async def test_since_is_inclusive_and_its_watermark_the_servers(client: DrChronoClient) -> None:
    first = await client.changed_since(Commlog, None)
    assert first.records and isinstance(first.watermark, str)
    # The boundary: records stamped at the watermark come again (the filter is >=).
    again = await client.changed_since(Commlog, first.watermark)
    latest = max(first.records, key=lambda r: r.updated_at or datetime.min.replace(tzinfo=UTC))
    assert latest.num in {r.num for r in again.records}
    assert latest.updated_at and all(
        r.updated_at and r.updated_at >= latest.updated_at for r in again.records
    )
    assert len(again.records) < len(first.records)  # older ones are not read again
    assert again.watermark == first.watermark
    made = await client.create(
        Commlog(
            patient=Ref(num=1),
            provider=Ref(num=1),
            note="Since",
            subject="Sync",
            communicated_at=SOON,
        )
    )
    later = await client.changed_since(Commlog, again.watermark)
    assert made.num in {r.num for r in later.records}
    assert later.watermark >= again.watermark
    # A resource without since is read whole every time, with no watermark.
    doctors = await client.changed_since(Provider, "2020-01-01T00:00:00")
    assert doctors.records and doctors.watermark is None


async def test_since_sees_what_leaves_the_default_list(client: DrChronoClient) -> None:
    made = await client.create(TaskList(description="Soon archived"))
    archived = await client.update(made.model_copy(update={"is_archived": True}), made)
    assert archived.is_archived
    listed = {t.num async for t in client.list(TaskList)}
    assert made.num not in listed
    feed = await client.changed_since(TaskList, None)
    assert made.num in {t.num for t in feed.records}


async def test_refusals_become_canonical_errors(client: DrChronoClient) -> None:
    with pytest.raises(NotFound):
        await client.read(Commlog, 987654)
    with pytest.raises(Invalid) as bad_ref:
        await client.create(
            Commlog(patient=Ref(num=987654), provider=Ref(num=1), note="x", communicated_at=SOON)
        )
    assert set(bad_ref.value.fields) == {"patient"}  # DrChrono's key as the canonical field
    with pytest.raises(Invalid) as missing:
        await client.create(Allergy(patient=Ref(num=1), description="No doctor"))
    assert missing.value.fields == {"provider": "This field is required."}


async def test_a_refused_token_names_the_setting(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as http:
        bad = DrChronoClient(http, "not-a-token", policy=QUICK, tz=TZ)
        with pytest.raises(BadUpstream, match="upstream_auth"):
            await bad.read(Commlog, 2)


# -- faults ---------------------------------------------------------------------------


def faulty(*answers: object, seen: list[httpx.Request] | None = None) -> DrChronoClient:
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, httpx.Response)
        return answer

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://drc")
    return DrChronoClient(http, "token", policy=QUICK, tz=TZ)


class Broken(httpx.AsyncByteStream):
    """A body that stops midway: the connection dropped."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"id": 2, "mess'
        raise httpx.ReadError("connection reset")


LOG = {"id": 2, "patient": 1, "doctor": 1, "message": "m", "scheduled_time": "2024-01-02T08:30:00"}


async def test_faults_of_the_server() -> None:
    with pytest.raises(BadUpstream, match="not JSON"):
        await faulty(httpx.Response(200, content=b"<html>")).read(Commlog, 2)
    with pytest.raises(BadUpstream, match="not JSON"):  # complete HTTP, cut JSON
        await faulty(httpx.Response(200, content=b'{"id": 2, "mess')).read(Commlog, 2)
    with pytest.raises(Unavailable):  # the connection broke mid-body, twice
        await faulty(
            httpx.Response(200, stream=Broken()), httpx.Response(200, stream=Broken())
        ).read(Commlog, 2)
    with pytest.raises(BadUpstream, match="cannot read"):
        await faulty(httpx.Response(200, json={**LOG, "id": "x"})).read(Commlog, 2)
    with pytest.raises(BadUpstream, match="no results"):
        await anext(faulty(httpx.Response(200, json=[])).list(Commlog))
    with pytest.raises(Unavailable, match="503"):
        await faulty(httpx.Response(503), httpx.Response(503)).read(Commlog, 2)
    with pytest.raises(Unavailable, match="could not be reached"):
        await faulty(httpx.ConnectError("refused"), httpx.ConnectError("refused")).read(Commlog, 2)
    with pytest.raises(UpstreamTimeout):
        await faulty(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow")).read(Commlog, 2)


async def test_a_503_then_an_answer_is_retried_for_reads_only() -> None:
    log = await faulty(httpx.Response(502), httpx.Response(200, json=LOG)).read(Commlog, 2)
    assert log.num == 2
    seen: list[httpx.Request] = []
    with pytest.raises(UpstreamTimeout, match="unknown"):  # no idempotency key: sent once
        await faulty(httpx.ReadTimeout("slow"), seen=seen).create(
            Commlog(patient=Ref(num=1), provider=Ref(num=1), note="n", communicated_at=SOON)
        )
    assert len(seen) == 1


async def test_429_waits_its_retry_after() -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "0"}, json={"detail": "Throttled."})
    log = await faulty(throttled, httpx.Response(200, json=LOG)).read(Commlog, 2)
    assert log.num == 2
    hour = httpx.Response(429, headers={"Retry-After": "3000"}, json={"detail": "Throttled."})
    with pytest.raises(Unavailable) as failed:  # longer than max_wait: at once, with the wait
        await faulty(hour).read(Commlog, 2)
    assert failed.value.retry_after == 3000


async def test_refusal_bodies() -> None:
    nested = {"primary_insurance": {"insurance_company": ["Required."]}, "gender": ["Bad."]}
    with pytest.raises(Invalid) as bad:
        await faulty(httpx.Response(400, json=nested)).create(
            Patient(last_name="A", first_name="B", gender=Gender.male, primary_provider=Ref(num=1))
        )
    assert bad.value.fields == {
        "primary_insurance.insurance_company": "Required.",
        "gender": "Bad.",
    }
    with pytest.raises(Invalid, match="Either the since"):
        await anext(faulty(httpx.Response(400, json={"detail": "Either the since..."})).list(Task))
    with pytest.raises(Conflict, match="overlaps"):
        await faulty(httpx.Response(409, json={"detail": "Scheduled time overlaps."})).create(
            Appointment(provider=Ref(num=1), clinic=Ref(num=1), exam_room=1, starts_at=SOON)
        )
    forbidden = httpx.Response(403, json={"detail": "You do not have permission."})
    with pytest.raises(BadUpstream, match=r"'calendar clinical'.*upstream_auth"):
        await faulty(forbidden).read(Appointment, 5)
    with pytest.raises(NotFound, match="Not found"):
        await faulty(httpx.Response(404)).read(Appointment, 5)


def page(results: list[dict[str, Any]], next_: str | None) -> httpx.Response:
    return httpx.Response(200, json={"next": next_, "previous": None, "results": results})


async def test_next_links_stay_on_the_upstream() -> None:
    seen: list[httpx.Request] = []
    two = faulty(
        page([LOG], "https://drc:8443/api/comm_logs?page=2&page_size=1000"),
        page([{**LOG, "id": 3}], None),
        seen=seen,
    )
    assert [c.num async for c in two.list(Commlog)] == [2, 3]
    assert str(seen[1].url) == "http://drc/api/comm_logs?page=2&page_size=1000"
    with pytest.raises(BadUpstream, match="another host"):
        [c async for c in faulty(page([LOG], "http://evil/api/comm_logs?page=2")).list(Commlog)]
    loop = "http://drc/api/comm_logs?page=2"
    with pytest.raises(BadUpstream, match="already followed"):
        [
            c
            async for c in faulty(page([LOG], loop), page([LOG], loop), page([LOG], loop)).list(
                Commlog
            )
        ]


async def test_list_asks_the_largest_page_and_verbose_where_it_has_keys() -> None:
    seen: list[httpx.Request] = []
    [x async for x in faulty(page([], None), seen=seen).list(Commlog)]
    [x async for x in faulty(page([], None), seen=seen).list(Appointment)]
    assert seen[0].url.params["page_size"] == "1000" and "verbose" not in seen[0].url.params
    assert dict(seen[1].url.params) == {
        "since": "1900-01-01T00:00:00",
        "verbose": "true",
        "page_size": "50",
    }


async def test_zone_less_times_are_the_practices() -> None:
    seen: list[httpx.Request] = []
    made = {**LOG, "id": 9, "scheduled_time": "2031-03-03T09:00:00"}
    client = faulty(httpx.Response(201, json=made), seen=seen)
    log = await client.create(
        Commlog(patient=Ref(num=1), provider=Ref(num=1), note="n", communicated_at=SOON)
    )
    assert b'"scheduled_time":"2031-03-03T09:00:00"' in seen[0].content  # 17:00 UTC in LA
    assert seen[0].headers["authorization"] == "Bearer token"
    assert log.communicated_at == SOON
