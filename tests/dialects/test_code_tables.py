"""Code tables across dialects: a value written through one dialect reads back
in every other as the documented tables say, row by row, over HTTP.

Each shared canonical enum is one table of rows: the canonical member and the
wire value each dialect shows for it. ``Near`` marks the dialect's nearest
text for a member it has no exact text for, ``Shown`` a value the dialect
shows but cannot write (read-only fields; the org API's "archived" needs the
archive endpoint), ``WriteOnly`` a second wire value meaning the member (a
DrChrono named status of the same category). Each row is written through every
dialect that can write it exactly, and through the store (the canonical
member itself), and read through every other dialect.

The last tests walk the whole ``dialects`` package: every ``EnumMap`` of every
dialect (a new dialect included) has an explicit table in the per-dialect
``test_code_tables.py`` files.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from itertools import count
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

import dialects
from canonical import (
    CommDirection,
    Commlog,
    CommMode,
    CommSource,
    Gender,
    MaritalStatus,
    Medication,
    MedicationStatus,
    Patient,
    PatientStatus,
    Problem,
    ProblemStatus,
    Procedure,
    ProcedureStatus,
    Record,
    Task,
    TaskStatus,
)
from canonical.patient import ContactMethod, TriState
from dialects.codec import EnumMap
from gateway import Settings, create_app
from gateway.backends.store import Store
from gateway.demo import demo_uuid
from tests.dialects.code_tables import codecs, discover
from tests.dialects.drchrono.test_code_tables import TABLES as DRC_TABLES
from tests.dialects.opendental.test_code_tables import TABLES as OD_TABLES
from tests.dialects.orgapi.test_code_tables import TABLES as ORG_TABLES
from tests.dialects.orgapi.test_code_tables import WRAPPERS as ORG_WRAPPERS
from tests.support import demo_backend, load

OD, DRC, ORG, STORE = "opendental", "drchrono", "orgapi", "store"
P15 = str(demo_uuid("patient", 15))
LISINOPRIL = str(demo_uuid("medication_definition", 2))
HYPERTENSION = str(demo_uuid("disease_definition", 1))
WHEN = "2025-03-04T10:15:00Z"


@dataclass(frozen=True)
class Near:
    """The dialect's nearest text for a member it has no exact text for."""

    wire: Any


@dataclass(frozen=True)
class Shown:
    """Exact text the dialect shows but cannot write."""

    wire: Any


@dataclass(frozen=True)
class WriteOnly:
    """Another wire value meaning the member; written, never shown for it."""

    wire: Any


ABSENT = object()
"""The dialect does not show the record (DrChrono lists no deleted procedure)."""

Cell = Any  # a wire value (None is JSON null), Near, Shown, WriteOnly or ABSENT


def shown(cell: Cell) -> Any:
    return cell.wire if isinstance(cell, Near | Shown | WriteOnly) else cell


def writable(cell: Cell) -> bool:
    return not isinstance(cell, Near | Shown) and cell is not ABSENT


def readable(cell: Cell) -> bool:
    return not isinstance(cell, WriteOnly) and cell is not ABSENT


@dataclass(frozen=True)
class Shared:
    name: str
    resource: str
    fields: dict[str, str]
    """dialect -> the wire field holding the value."""
    canonical: str
    """The canonical field, for values written straight to the store."""
    rows: list[tuple[Enum, dict[str, Cell]]]


SHARED = [
    Shared(
        "patient gender",
        "patient",
        {OD: "Gender", DRC: "gender", ORG: "gender"},
        "gender",
        [
            (Gender.male, {OD: "Male", DRC: "Male", ORG: "male"}),
            (Gender.female, {OD: "Female", DRC: "Female", ORG: "female"}),
            (Gender.unknown, {OD: "Unknown", DRC: Near(""), ORG: "unknown"}),
            (Gender.other, {OD: "Other", DRC: "Other", ORG: "other"}),
            (Gender.non_binary, {OD: Near("Other"), DRC: Near("Other"), ORG: "non_binary"}),
            (
                Gender.prefer_not_to_say,
                {OD: Near("Unknown"), DRC: Near(""), ORG: "prefer_not_to_say"},
            ),
        ],
    ),
    Shared(
        "patient status",
        "patient",
        {OD: "PatStatus", DRC: "patient_status", ORG: "status"},
        "status",
        [
            (PatientStatus.active, {OD: "Patient", DRC: "A", ORG: "active"}),
            (PatientStatus.non_patient, {OD: "NonPatient", DRC: Near("I"), ORG: Near("inactive")}),
            (PatientStatus.inactive, {OD: "Inactive", DRC: "I", ORG: "inactive"}),
            (PatientStatus.archived, {OD: "Archived", DRC: Near("I"), ORG: Shown("archived")}),
            (PatientStatus.deceased, {OD: "Deceased", DRC: "D", ORG: "deceased"}),
            (PatientStatus.prospective, {OD: "Prospective", DRC: Near("A"), ORG: "prospective"}),
        ],
    ),
    Shared(
        "marital status",
        "patient",
        {OD: "Position", ORG: "marital_status"},
        "marital_status",
        [
            (MaritalStatus.single, {OD: "Single", ORG: "single"}),
            (MaritalStatus.married, {OD: "Married", ORG: "married"}),
            (MaritalStatus.child, {OD: "Child", ORG: Near("single")}),
            (MaritalStatus.widowed, {OD: "Widowed", ORG: "widowed"}),
            (MaritalStatus.divorced, {OD: "Divorced", ORG: "divorced"}),
            (MaritalStatus.domestic_partner, {OD: Near("Married"), ORG: "domestic_partner"}),
            (MaritalStatus.separated, {OD: Near("Married"), ORG: "separated"}),
            (MaritalStatus.other, {OD: Near("Single"), ORG: "other"}),
        ],
    ),
    *(
        Shared(
            f"patient {what}",
            "patient",
            {OD: od_field, ORG: org_field},
            canonical,
            [
                (ContactMethod.none, {OD: "None", ORG: "none"}),
                (ContactMethod.do_not_call, {OD: "DoNotCall", ORG: Near("none")}),
                (ContactMethod.home_phone, {OD: "HmPhone", ORG: Near("phone")}),
                (ContactMethod.work_phone, {OD: "WkPhone", ORG: Near("phone")}),
                (ContactMethod.mobile_phone, {OD: "WirelessPh", ORG: Near("phone")}),
                (ContactMethod.phone, {OD: Near("HmPhone"), ORG: "phone"}),
                (ContactMethod.email, {OD: "Email", ORG: "email"}),
                (ContactMethod.see_notes, {OD: "SeeNotes", ORG: Near("none")}),
                (ContactMethod.mail, {OD: "Mail", ORG: "mail"}),
                (ContactMethod.text, {OD: "TextMessage", ORG: "text"}),
            ],
        )
        for what, od_field, org_field, canonical in (
            (
                "contact method",
                "PreferContactMethod",
                "preferred_contact_method",
                "preferred_contact_method",
            ),
            (
                "confirmation method",
                "PreferConfirmMethod",
                "preferred_confirmation_method",
                "preferred_confirmation_method",
            ),
        )
    ),
    Shared(
        "patient text messaging",
        "patient",
        {OD: "TxtMsgOk", ORG: "receives_sms"},
        "text_messaging_ok",
        [
            (TriState.unknown, {OD: "Unknown", ORG: None}),
            (TriState.yes, {OD: "Yes", ORG: True}),
            (TriState.no, {OD: "No", ORG: False}),
        ],
    ),
    Shared(
        "commlog mode",
        "commlog",
        {OD: "Mode_", ORG: "mode"},
        "mode",
        [
            (CommMode.none, {OD: "None", ORG: None}),
            (CommMode.email, {OD: "Email", ORG: "email"}),
            (CommMode.mail, {OD: "Mail", ORG: "mail"}),
            (CommMode.phone, {OD: "Phone", ORG: "phone"}),
            (CommMode.in_person, {OD: "In Person", ORG: "in_person"}),
            (CommMode.text, {OD: "Text", ORG: "text"}),
            (CommMode.email_and_text, {OD: "Email and Text", ORG: Near("email")}),
            (CommMode.phone_and_text, {OD: "Phone and Text", ORG: Near("phone")}),
            (CommMode.fax, {OD: Near("None"), ORG: "fax"}),
        ],
    ),
    Shared(
        "commlog direction",
        "commlog",
        {OD: "SentOrReceived", ORG: "direction"},
        "direction",
        [
            (CommDirection.neither, {OD: "Neither", ORG: "neither"}),
            (CommDirection.sent, {OD: "Sent", ORG: "sent"}),
            (CommDirection.received, {OD: "Received", ORG: "received"}),
        ],
    ),
    Shared(
        "commlog source",
        "commlog",
        {OD: "CommSource", ORG: "communication_source"},
        "source",
        [
            (CommSource.user, {OD: Shown("User"), ORG: Shown("user")}),
            (CommSource.automated, {OD: Near("ProgramLink"), ORG: Shown("automated")}),
            (CommSource.integration, {OD: Shown("ProgramLink"), ORG: Shown("integration")}),
        ],
    ),
    Shared(
        # DrChrono: the practice's named statuses 1 (open), 2 (in progress),
        # 3 (on hold), 4 (complete) in the demo data.
        "task status",
        "task",
        {OD: "TaskStatus", DRC: "status"},
        "status",
        [
            (TaskStatus.new, {OD: "New", DRC: 1}),
            (TaskStatus.viewed, {OD: "Viewed", DRC: 2}),
            (TaskStatus.viewed, {OD: Shown("Viewed"), DRC: WriteOnly(3)}),
            (TaskStatus.done, {OD: "Done", DRC: 4}),
        ],
    ),
    Shared(
        # Open Dental writes TP, C and EO (seed 002); DrChrono's procedures are read-only.
        "procedure status",
        "procedure",
        {OD: "ProcStatus", DRC: "status"},
        "status",
        [
            (ProcedureStatus.treatment_planned, {OD: "TP", DRC: Shown("Treatment Planned")}),
            (ProcedureStatus.complete, {OD: "C", DRC: Shown("Complete")}),
            (ProcedureStatus.existing_current, {OD: Shown("EC"), DRC: Shown("Existing Current")}),
            (ProcedureStatus.existing_other, {OD: "EO", DRC: Shown("Existing Other")}),
            (ProcedureStatus.referred, {OD: Shown("R"), DRC: Shown("Referred")}),
            (ProcedureStatus.deleted, {OD: Shown("D"), DRC: ABSENT}),
            (ProcedureStatus.condition, {OD: Shown("Cn"), DRC: Shown("Condition")}),
            (
                ProcedureStatus.treatment_planned_inactive,
                {OD: Shown("TPi"), DRC: Shown("Treatment Planned Inactive")},
            ),
        ],
    ),
    Shared(
        "medication status",
        "medication",
        {DRC: "status", ORG: "status"},
        "status",
        [
            (MedicationStatus.active, {DRC: "active", ORG: "active"}),
            (MedicationStatus.inactive, {DRC: "inactive", ORG: Near("discontinued")}),
            (MedicationStatus.discontinued, {DRC: Near("inactive"), ORG: "discontinued"}),
            (MedicationStatus.on_hold, {DRC: Near("inactive"), ORG: "on_hold"}),
            (MedicationStatus.completed, {DRC: Near("inactive"), ORG: "completed"}),
        ],
    ),
    Shared(
        "problem status",
        "problem",
        {OD: "ProbStatus", DRC: "status", ORG: "problem_status"},
        "status",
        [
            (ProblemStatus.active, {OD: "Active", DRC: "active", ORG: "active"}),
            (ProblemStatus.resolved, {OD: "Resolved", DRC: "resolved", ORG: "resolved"}),
            (ProblemStatus.inactive, {OD: "Inactive", DRC: "inactive", ORG: "inactive"}),
        ],
    ),
]


def _params() -> list[Any]:
    """(table, writer, value written, reader, value expected) for every row; the store
    writes the canonical member for a reader no dialect writes the row for."""
    out = []
    for shared in SHARED:
        for i, (member, cells) in enumerate(shared.rows):
            writers = [d for d, c in cells.items() if writable(c)]
            for reader, cell in cells.items():
                if not readable(cell):
                    continue
                for writer in [w for w in writers if w != reader] or [STORE]:
                    written = member if writer == STORE else shown(cells[writer])
                    out.append(
                        pytest.param(
                            shared,
                            writer,
                            written,
                            reader,
                            shown(cell),
                            id=f"{shared.name}:{member.value}#{i}:{writer}->{reader}",
                        )
                    )
    return out


# -- writing and reading one value, per resource and dialect ---------------------------


@pytest.fixture(scope="module")
def store(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One copy of the demo database for the module: every test writes new records
    of its own, so the tests cannot disturb one another, and a few hundred of
    them stay fast."""
    path = tmp_path_factory.mktemp("code_tables") / "gateway.db"
    shutil.copy(demo_db, path)
    s = Store(f"sqlite:///{path}")
    s.migrate()
    return s


@pytest.fixture(scope="module")
def app(store: Store) -> Any:
    return create_app(Settings(database_url=store.url, demo=False), store=store)


_names = count(1)
Clients = dict[str, httpx.AsyncClient]


def _created(r: httpx.Response) -> Any:
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _num_of(store: Store, model: type[Record], uuid: str) -> int:
    record = await demo_backend(store).get(model, uuid=UUID(uuid), include_deleted=True)
    assert record.num is not None
    return record.num


async def _uuid_of(store: Store, model: type[Record], num: int) -> str:
    record = await demo_backend(store).get(model, num=num, include_deleted=True)
    return str(record.uuid)


async def _store_copy(store: Store, model: type[Record], num: int, **values: Any) -> int:
    """A copy of a demo record with ``values``, written straight to the store."""
    backend = demo_backend(store)
    base = await backend.get(model, num=num)
    update = {"num": None, "uuid": None, "created_at": None, "updated_at": None, **values}
    made = await backend.create(base.model_copy(update=update))
    assert made.num is not None
    return made.num


async def write_patient(c: Clients, store: Store, dialect: str, s: Shared, value: Any) -> int:
    name = f"Codes{next(_names)}"
    if dialect == OD:
        body = {"LName": name, "FName": "Table", s.fields[OD]: value}
        return int(_created(await c[OD].post("/patients", json=body))["PatNum"])
    if dialect == DRC:
        body = {"doctor": 1, "gender": "Female", "first_name": "Table", "last_name": name}
        body[s.fields[DRC]] = value
        return int(_created(await c[DRC].post("/api/patients", json=body))["id"])
    if dialect == ORG:
        body = {"first_name": "Table", "last_name": name, s.fields[ORG]: value}
        made = _created(await c[ORG].post("patients", json=body))
        return await _num_of(store, Patient, made["id"])
    return await _store_copy(store, Patient, 15, last_name=name, **{s.canonical: value})


async def read_patient(c: Clients, store: Store, dialect: str, s: Shared, num: int) -> Any:
    if dialect == OD:
        r = await c[OD].get(f"/patients/{num}")
    elif dialect == DRC:
        r = await c[DRC].get(f"/api/patients/{num}")
    else:
        r = await c[ORG].get(f"patients/{await _uuid_of(store, Patient, num)}")
    assert r.status_code == 200, r.text
    return r.json()[s.fields[dialect]]


async def write_commlog(c: Clients, store: Store, dialect: str, s: Shared, value: Any) -> int:
    if dialect == OD:
        body = {"PatNum": 15, "Note": "code table", s.fields[OD]: value}
        return int(_created(await c[OD].post("/commlogs", json=body))["CommlogNum"])
    if dialect == ORG:
        body = {"communication_datetime": WHEN, "note": "code table", s.fields[ORG]: value}
        made = _created(await c[ORG].post(f"patients/{P15}/communication-logs", json=body))
        return await _num_of(store, Commlog, made["id"])
    return await _store_copy(store, Commlog, 2, **{s.canonical: value})


async def read_commlog(c: Clients, store: Store, dialect: str, s: Shared, num: int) -> Any:
    if dialect == OD:
        r = await c[OD].get(f"/commlogs/{num}")
    else:
        uuid = await _uuid_of(store, Commlog, num)
        r = await c[ORG].get(f"patients/{P15}/communication-logs/{uuid}")
    assert r.status_code == 200, r.text
    return r.json()[s.fields[dialect]]


async def write_task(c: Clients, store: Store, dialect: str, s: Shared, value: Any) -> int:
    if dialect == OD:
        made = _created(
            await c[OD].post("/tasks", json=load("opendental/tasks/post.json")["request"]["body"])
        )
        num = int(made["TaskNum"])
        _created(await c[OD].put(f"/tasks/{num}", json={"TaskStatus": value}))
        return num
    if dialect == DRC:
        body = {"title": "code table", "category": 3842, "status": value}
        return int(_created(await c[DRC].post("/api/tasks", json=body))["id"])
    return await _store_copy(store, Task, 1408, status=value)


async def read_task(c: Clients, store: Store, dialect: str, s: Shared, num: int) -> Any:
    path = f"/tasks/{num}" if dialect == OD else f"/api/tasks/{num}"
    r = await c[dialect].get(path)
    assert r.status_code == 200, r.text
    return r.json()[s.fields[dialect]]


async def write_procedure(c: Clients, store: Store, dialect: str, s: Shared, value: Any) -> int:
    if dialect == OD:
        body = {
            **load("opendental/procedurelogs/post.json")["request"]["body"],
            "ProcStatus": value,
        }
        return int(_created(await c[OD].post("/procedurelogs", json=body))["ProcNum"])
    return await _store_copy(store, Procedure, 25, status=value)


async def read_procedure(c: Clients, store: Store, dialect: str, s: Shared, num: int) -> Any:
    path = f"/procedurelogs/{num}" if dialect == OD else f"/api/procedures/{num}"
    r = await c[dialect].get(path)
    assert r.status_code == 200, r.text
    return r.json()[s.fields[dialect]]


async def write_medication(c: Clients, store: Store, dialect: str, s: Shared, value: Any) -> int:
    if dialect == DRC:
        body = {"doctor": 1, "patient": 15, "name": "Lisinopril", "status": value}
        return int(_created(await c[DRC].post("/api/medications", json=body))["id"])
    # The org API creates active medications; the status changes by PATCH.
    body = {"medication_definition_uuid": LISINOPRIL}
    made = _created(await c[ORG].post(f"patients/{P15}/medications", json=body))
    num = await _num_of(store, Medication, made["id"])
    if dialect == ORG:
        r = await c[ORG].patch(
            f"patients/{P15}/medications/{made['id']}",
            json={"base_version": made["version"], "status": value},
        )
        assert r.status_code == 200, r.text
        return num
    backend = demo_backend(store)
    record = await backend.get(Medication, num=num)
    await backend.update(record.model_copy(update={"status": value}))
    return num


async def read_medication(c: Clients, store: Store, dialect: str, s: Shared, num: int) -> Any:
    if dialect == DRC:
        r = await c[DRC].get(f"/api/medications/{num}")
    else:
        uuid = await _uuid_of(store, Medication, num)
        r = await c[ORG].get(f"patients/{P15}/medications/{uuid}")
    assert r.status_code == 200, r.text
    return r.json()[s.fields[dialect]]


async def write_problem(c: Clients, store: Store, dialect: str, s: Shared, value: Any) -> int:
    if dialect == OD:
        body = {"PatNum": 15, "diseaseDefName": "Hypertension", s.fields[OD]: value}
        return int(_created(await c[OD].post("/diseases", json=body))["DiseaseNum"])
    if dialect == DRC:
        body = {"doctor": 1, "patient": 15, "name": "Hypertension", "status": value}
        return int(_created(await c[DRC].post("/api/problems", json=body))["id"])
    body = {"disease_definition_uuid": HYPERTENSION, "problem_status": "active"}
    made = _created(await c[ORG].post(f"patients/{P15}/diseases", json={**body}))
    num = await _num_of(store, Problem, made["id"])
    if dialect == ORG:
        r = await c[ORG].patch(
            f"patients/{P15}/diseases/{made['id']}",
            json={"base_version": made["version"], "problem_status": value},
        )
        assert r.status_code == 200, r.text
        return num
    backend = demo_backend(store)
    record = await backend.get(Problem, num=num)
    await backend.update(record.model_copy(update={"status": value}))
    return num


async def read_problem(c: Clients, store: Store, dialect: str, s: Shared, num: int) -> Any:
    if dialect == OD:
        r = await c[OD].get(f"/diseases/{num}")
    elif dialect == DRC:
        r = await c[DRC].get(f"/api/problems/{num}")
    else:
        uuid = await _uuid_of(store, Problem, num)
        r = await c[ORG].get(f"patients/{P15}/diseases/{uuid}")
    assert r.status_code == 200, r.text
    return r.json()[s.fields[dialect]]


Write = Callable[[Clients, Store, str, Shared, Any], Awaitable[int]]
Read = Callable[[Clients, Store, str, Shared, int], Awaitable[Any]]
ACCESS: dict[str, tuple[Write, Read]] = {
    "patient": (write_patient, read_patient),
    "commlog": (write_commlog, read_commlog),
    "task": (write_task, read_task),
    "procedure": (write_procedure, read_procedure),
    "medication": (write_medication, read_medication),
    "problem": (write_problem, read_problem),
}


@pytest.mark.parametrize(("shared", "writer", "written", "reader", "expected"), _params())
async def test_written_in_one_dialect_reads_back_in_another(
    od: httpx.AsyncClient,
    drc: httpx.AsyncClient,
    org: httpx.AsyncClient,
    store: Store,
    shared: Shared,
    writer: str,
    written: Any,
    reader: str,
    expected: Any,
) -> None:
    clients = {OD: od, DRC: drc, ORG: org}
    write, read = ACCESS[shared.resource]
    num = await write(clients, store, writer, shared, written)
    assert await read(clients, store, reader, shared, num) == expected


def test_every_member_of_a_shared_enum_has_a_row() -> None:
    for shared in SHARED:
        members = {m for m, _ in shared.rows}
        assert members == set(type(next(iter(members)))), shared.name


# -- every code table of every dialect is covered --------------------------------------

ALL_TABLES = [*OD_TABLES, *DRC_TABLES, *ORG_TABLES]


def test_every_code_table_of_every_dialect_has_an_explicit_table() -> None:
    covered = {id(t.codes) for t in ALL_TABLES}
    missing = [where for key, where in discover(dialects).items() if key not in covered]
    assert not missing, f"code tables without an explicit table: {missing}"


def test_every_converter_with_nearest_rows_is_checked() -> None:
    wrapped = {
        (c.dialect, c.model.__name__, f.wire): f.conv
        for c in codecs(dialects).values()
        for f in c.fields
        if not isinstance(f.conv, EnumMap) and hasattr(f.conv, "nearest")
    }
    assert wrapped == {(ORG, *key): conv for key, conv in ORG_WRAPPERS.items()}
