"""The Open Dental client against a real Open Dental server (the gateway serving
Open Dental from its store, in a second process), and against faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import (
    BadUpstream,
    Commlog,
    Invalid,
    NotFound,
    Patient,
    Procedure,
    Ref,
    Task,
    Unavailable,
    Unsupported,
)
from dialects.opendental.client import OpenDentalClient
from dialects.transport import Policy
from gateway.demo import DEMO_TIME_ZONE
from tests.conftest import OD_AUTH
from tests.serving import Served

TZ = ZoneInfo(DEMO_TIME_ZONE)
NOW = datetime(2026, 1, 2, 17, 0, tzinfo=UTC)
QUICK = Policy(rate=0, retries=1, backoff=0.001, max_backoff=0.002, timeout=5)


@pytest.fixture
async def client(real_server: Served) -> AsyncIterator[OpenDentalClient]:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/opendental/api/v1") as http:
        yield OpenDentalClient(http, OD_AUTH["Authorization"], policy=QUICK, tz=TZ)


async def test_reads_the_documented_commlog(client: OpenDentalClient) -> None:
    log = await client.read(Commlog, 2)
    assert log.num == 2 and log.note == "Left msg on answering machine"
    assert log.patient is not None and log.patient.num is not None


async def test_creates_changes_and_reads_back_a_patient(client: OpenDentalClient) -> None:
    made = await client.create(
        Patient(last_name="Client", first_name="Olive", date_of_birth=datetime(1990, 4, 2).date())
    )
    assert made.num and made.last_name == "Client"
    changed = await client.update(made.model_copy(update={"first_name": "Oliver"}), made)
    assert changed.first_name == "Oliver" and changed.num == made.num
    again = await client.read(Patient, made.num)
    assert (again.first_name, again.date_of_birth) == ("Oliver", made.date_of_birth)


async def test_lists_past_one_page(client: OpenDentalClient) -> None:
    patient = await client.create(Patient(last_name="Pager", first_name="Many"))
    for i in range(105):
        await client.create(
            Commlog(patient=Ref(num=patient.num), note=f"note {i}", communicated_at=NOW)
        )
    seen = [c async for c in client.list(Commlog, {"PatNum": patient.num})]
    assert len(seen) == 105
    assert len({c.num for c in seen}) == 105


async def test_changed_since_uses_the_servers_clock(client: OpenDentalClient) -> None:
    first = await client.changed_since(Patient, None)
    assert first.records and first.watermark
    made = await client.create(Patient(last_name="Since", first_name="Sam"))
    later = await client.changed_since(Patient, first.watermark)
    assert made.num in {p.num for p in later.records}
    assert later.watermark >= first.watermark
    # Nothing changed after the last answer: at most the boundary records again.
    quiet = await client.changed_since(Patient, later.watermark)
    assert made.num not in {p.num for p in quiet.records} or len(quiet.records) <= 2


async def test_procedures_and_tasks_round_trip(client: OpenDentalClient) -> None:
    proc = await client.read(Procedure, 1)
    assert proc.num == 1
    task = await client.create(Task(task_list=Ref(num=14), description="Call the lab"))
    assert task.num and task.description == "Call the lab"
    done = await client.update(task.model_copy(update={"description": "Lab called"}), task)
    assert done.description == "Lab called"
    tasks = [t async for t in client.list(Task, {"TaskListNum": 14})]
    assert task.num in {t.num for t in tasks}


async def test_refusals_become_canonical_errors(client: OpenDentalClient) -> None:
    with pytest.raises(NotFound):
        await client.read(Commlog, 987654)
    with pytest.raises(NotFound, match="Patient"):  # a reference to no record: 404
        await client.create(Commlog(patient=Ref(num=987654), note="x", communicated_at=NOW))
    with pytest.raises(Invalid):
        await client.create(Patient(last_name="", first_name="Nameless"))
    with pytest.raises(Unsupported, match="does not allow delete"):
        await client.delete(Patient, 1)


async def test_wrong_credentials_are_the_gateways_fault(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/opendental/api/v1") as http:
        bad = OpenDentalClient(http, "ODFHIR nobody/nothing", policy=QUICK, tz=TZ)
        with pytest.raises(BadUpstream, match="upstream_auth"):
            await bad.read(Commlog, 2)


def _faulty(*answers: object) -> OpenDentalClient:
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, httpx.Response)
        return answer

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://od/api/v1")
    return OpenDentalClient(http, "ODFHIR a/b", policy=QUICK, tz=TZ)


async def test_faults_of_the_server() -> None:
    with pytest.raises(BadUpstream, match="not JSON"):
        await _faulty(httpx.Response(200, content=b"<html>")).read(Commlog, 2)
    with pytest.raises(BadUpstream, match="cannot read"):
        await _faulty(httpx.Response(200, json={"CommlogNum": "x"})).read(Commlog, 2)
    with pytest.raises(BadUpstream, match="no list"):
        await anext(_faulty(httpx.Response(200, json={})).list(Commlog))
    with pytest.raises(Unavailable):
        await _faulty(httpx.Response(503), httpx.Response(503)).read(Commlog, 2)
    with pytest.raises(Unavailable):
        await _faulty(httpx.ConnectError("refused"), httpx.ConnectError("refused")).read(Commlog, 2)


async def test_zone_less_times_are_the_practices() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(
            201,
            json={
                "CommlogNum": 9,
                "PatNum": 15,
                "Note": "n",
                "CommDateTime": "2024-01-02 08:30:00",
            },
        )

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://od/api/v1")
    c = OpenDentalClient(http, "ODFHIR a/b", policy=QUICK, tz=TZ)
    when = datetime(2024, 1, 2, 16, 30, tzinfo=UTC)  # 08:30 in Los Angeles
    made = await c.create(Commlog(patient=Ref(num=15), note="n", communicated_at=when))
    assert b'"CommDateTime":"2024-01-02 08:30:00"' in sent[0].content
    assert sent[0].headers["authorization"] == "ODFHIR a/b"
    assert made.communicated_at == when
    assert made.communicated_at - when == timedelta(0)
