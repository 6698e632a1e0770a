"""Every "changed since" filter at its boundary: a record stamped exactly at the
watermark is listed, one stamped a microsecond before it is not.

Open Dental's ``DateTStamp`` (commlogs, patients/Simple, procedurelogs, providers,
appointments, appointments/WebSched) and
tasks' ``DateTimeOriginal``; DrChrono's ``since`` on every served list that
documents one (and ``due_at_since`` on tasks). The org API has no such filter.

The records are written straight to the store with known stamps, years ahead
of the demo data, so only this test's records can be at or after the
watermark. The watermark is given in the dialect's format: Open Dental to the
second, zone-less, in the tenant's zone (America/Los_Angeles); DrChrono the
same wall time with a ``T``. One watermark falls in daylight saving time, one
outside it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import (
    Appointment,
    Commlog,
    Patient,
    Procedure,
    Provider,
    Record,
    Ref,
    Task,
    TaskList,
    TaskNote,
    TaskStatusDefinition,
    TaskTemplate,
)
from gateway import Settings, create_app
from gateway.backends.store import Store
from tests.support import demo_backend

OD, DRC = "opendental", "drchrono"
ZONE = ZoneInfo("America/Los_Angeles")
WATERMARKS = [
    pytest.param(datetime(2040, 7, 16, 9, 30, tzinfo=ZONE), id="PDT"),
    pytest.param(datetime(2041, 1, 16, 9, 30, tzinfo=ZONE), id="PST"),
]


@dataclass(frozen=True)
class Filter:
    name: str
    dialect: str
    path: str
    param: str
    model: type[Record]
    template: int | None
    """A demo record to copy; None: a new record (``new``)."""
    stamp: str = "updated_at"
    """The canonical field the filter compares."""
    key: str = "id"

    def new(self) -> Record:
        if self.model is TaskNote:
            return TaskNote(task=Ref(num=1408), text="boundary")
        assert self.model is TaskTemplate
        return TaskTemplate(name="boundary")


FILTERS = [
    Filter("od commlogs", OD, "/commlogs", "DateTStamp", Commlog, 2, key="CommlogNum"),
    Filter("od patients/Simple", OD, "/patients/Simple", "DateTStamp", Patient, 15, key="PatNum"),
    Filter("od procedurelogs", OD, "/procedurelogs", "DateTStamp", Procedure, 25, key="ProcNum"),
    Filter("od providers", OD, "/providers", "DateTStamp", Provider, 4, key="ProvNum"),
    Filter("od appointments", OD, "/appointments", "DateTStamp", Appointment, 18, key="AptNum"),
    Filter(
        "od appointments/WebSched",
        OD,
        "/appointments/WebSched",
        "DateTStamp",
        Appointment,
        18,
        key="AptNum",
    ),
    Filter(
        "od tasks",
        OD,
        "/tasks",
        "DateTimeOriginal",
        Task,
        1408,
        stamp="created_at",
        key="TaskNum",
    ),
    Filter("drc patients", DRC, "/api/patients", "since", Patient, 15),
    Filter("drc patients_summary", DRC, "/api/patients_summary", "since", Patient, 15),
    Filter("drc appointments", DRC, "/api/appointments", "since", Appointment, 755),
    Filter("drc comm_logs", DRC, "/api/comm_logs", "since", Commlog, 2),
    Filter("drc tasks", DRC, "/api/tasks", "since", Task, 1408),
    Filter("drc tasks due_at_since", DRC, "/api/tasks", "due_at_since", Task, 1408, "due_at"),
    Filter("drc task_categories", DRC, "/api/task_categories", "since", TaskList, 3842),
    Filter("drc task_statuses", DRC, "/api/task_statuses", "since", TaskStatusDefinition, 1),
    Filter("drc task_notes", DRC, "/api/task_notes", "since", TaskNote, None),
    Filter("drc task_templates", DRC, "/api/task_templates", "since", TaskTemplate, None),
]


@pytest.fixture(scope="module")
def store(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One copy of the demo database for the module: each test lists only the
    records it made."""
    path = tmp_path_factory.mktemp("since") / "gateway.db"
    shutil.copy(demo_db, path)
    s = Store(f"sqlite:///{path}")
    s.migrate()
    return s


@pytest.fixture(scope="module")
def app(store: Store) -> Any:
    return create_app(Settings(database_url=store.url, demo=False), store=store)


async def stamped(store: Store, f: Filter, at: datetime) -> int:
    """A record whose ``f.stamp`` is ``at`` (both stamps, for a change stamp)."""
    backend = demo_backend(store)
    if f.template is None:
        base = f.new()
    else:
        base = (await backend.get(f.model, num=f.template)).model_copy(
            update={"num": None, "uuid": None, "created_at": None, "updated_at": None}
        )
    stamps = {f.stamp: at}
    if f.stamp in ("created_at", "updated_at"):
        stamps = {"created_at": at, "updated_at": at}
    made = await backend.create(base.model_copy(update=stamps))
    assert getattr(made, f.stamp) == at
    assert made.num is not None
    return made.num


def wire(dialect: str, watermark: datetime) -> str:
    local = watermark.astimezone(ZONE).replace(tzinfo=None)
    return local.isoformat(sep=" " if dialect == OD else "T")


@pytest.mark.parametrize("watermark", WATERMARKS)
@pytest.mark.parametrize("f", [pytest.param(f, id=f.name) for f in FILTERS])
async def test_at_the_watermark_is_listed_just_before_is_not(
    od: httpx.AsyncClient, drc: httpx.AsyncClient, store: Store, f: Filter, watermark: datetime
) -> None:
    exact = watermark.astimezone(UTC)
    before = await stamped(store, f, exact - timedelta(microseconds=1))
    at = await stamped(store, f, exact)
    within = await stamped(store, f, exact + timedelta(milliseconds=500))

    client = od if f.dialect == OD else drc
    r = await client.get(f.path, params={f.param: wire(f.dialect, watermark)})
    assert r.status_code == 200, r.text
    body = r.json()
    items = body if f.dialect == OD else body["results"]
    assert f.dialect == OD or body["next"] is None, "the listing must fit one page"
    # int(): DrChrono renders appointment ids as strings.
    listed = {int(item[f.key]) for item in items} & {before, at, within}
    assert at in listed, "a record stamped exactly at the watermark is not listed"
    assert within in listed, "a record stamped within the watermark's second is not listed"
    assert before not in listed, "a record stamped just before the watermark is listed"


@pytest.mark.parametrize("watermark", WATERMARKS)
def test_watermark_wire_text(watermark: datetime) -> None:
    # The tenant's wall time, to the second: 09:30 in Los Angeles both times.
    assert wire(OD, watermark).endswith(" 09:30:00")
    assert wire(DRC, watermark).endswith("T09:30:00")
