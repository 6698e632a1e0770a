"""The org API client against a real org API server (the gateway serving the org
API from its store, in a second process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import httpx
import pytest

from canonical import (
    AlertDefinition,
    AlertStatus,
    Allergy,
    AttributionRole,
    BadUpstream,
    Commlog,
    Conflict,
    FieldDefinition,
    FieldType,
    FieldValue,
    Invalid,
    Medication,
    NotFound,
    Patient,
    PatientAlert,
    PatientStatus,
    Problem,
    Ref,
    ReferralAttribution,
    Relationship,
    RelationshipType,
    TagAssignment,
    TagDefinition,
    Unavailable,
    Unsupported,
    UpstreamTimeout,
    VitalSign,
)
from dialects.orgapi import MODULES
from dialects.orgapi.client import OrgApiClient
from dialects.transport import Policy
from gateway.demo import demo_uuid
from tests.conftest import ORG_AUTH, ORG_ID
from tests.dialects.orgapi.scripted import PATIENT, Scripted, answer, patient
from tests.serving import Served

QUICK = Policy(rate=0, retries=1, backoff=0.001, max_backoff=0.002, timeout=5)
TOKEN = ORG_AUTH["Authorization"].removeprefix("Bearer ")
WHEN = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)


@pytest.fixture
async def client(real_server: Served) -> AsyncIterator[OrgApiClient]:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/orgapi/api/v1") as http:
        yield OrgApiClient(http, TOKEN, ORG_ID, policy=QUICK)


@pytest.fixture
async def direct(real_server: Served) -> AsyncIterator[httpx.AsyncClient]:
    """The server itself, as another writer."""
    base = f"{real_server.base}/orgapi/api/v1/{ORG_ID}"
    async with httpx.AsyncClient(base_url=base, headers=ORG_AUTH) as http:
        yield http


async def _patient(client: OrgApiClient, last: str, first: str = "Ola") -> Patient:
    return await client.create(Patient(last_name=last, first_name=first, uuid=uuid4()))


def test_every_served_record_resource_has_a_client_side() -> None:
    served = {name for m in MODULES for name in getattr(m, "CODECS", {})}
    assert served == set(OrgApiClient.resources)


async def test_patients_round_trip(client: OrgApiClient) -> None:
    made = await client.create(
        Patient(last_name="Orgclient", first_name="Ada", date_of_birth=date(1990, 4, 2))
    )
    assert made.uuid and made.version == 1 and made.last_name == "Orgclient"
    changed = await client.update(made.model_copy(update={"first_name": "Adah"}), made)
    assert (changed.first_name, changed.version) == ("Adah", 2)
    again = await client.read(Patient, made.uuid)
    assert (again.first_name, again.date_of_birth) == ("Adah", date(1990, 4, 2))
    assert await client.update(again, again) is again  # nothing changed: nothing sent


async def test_patients_cursor_past_one_page(client: OrgApiClient) -> None:
    name = f"Cursor{uuid4().hex[:8]}"
    made = {(await _patient(client, name, f"P{i}")).uuid for i in range(5)}
    seen = [p.uuid async for p in client.list(Patient, {"search": name, "first": 2})]
    assert len(seen) == 5 and set(seen) == made


async def test_page_paging_past_one_page(client: OrgApiClient) -> None:
    patient = await _patient(client, "Pages")
    for i in range(5):
        await client.create(Commlog(patient=patient.ref(), note=f"n{i}", communicated_at=WHEN))
    seen = [c async for c in client.list(Commlog, {"page_size": 2}, parent=patient)]
    assert sorted(c.note for c in seen) == [f"n{i}" for i in range(5)]
    assert all(c.patient.uuid == patient.uuid for c in seen)
    one = await client.read(Commlog, seen[0].uuid or uuid4(), patient)
    assert one.note == seen[0].note
    with pytest.raises(Unsupported):
        await client.update(one.model_copy(update={"note": "x"}), one)


async def test_patient_lifecycle(client: OrgApiClient) -> None:
    patient = await _patient(client, "Lifecycle")
    moved = await client.transition_status(patient, PatientStatus.inactive)
    assert moved.status is PatientStatus.inactive and moved.version > patient.version
    archived = await client.archive(moved)
    assert archived is not None and archived.deleted_at is not None
    restored = await client.restore(archived)
    assert restored.deleted_at is None and restored.status is PatientStatus.inactive
    with pytest.raises(Invalid, match="not archived"):
        await client.restore(restored)
    with pytest.raises(Unsupported, match="does not allow delete"):
        await client.delete(Patient, restored.uuid or uuid4())


async def test_definitions_alerts_and_tags(client: OrgApiClient) -> None:
    alert_def = await client.create(AlertDefinition(name=f"Latex {uuid4().hex[:6]}"))
    patient = await _patient(client, "Alerted")
    alert = await client.create(
        PatientAlert(patient=patient.ref(), alert_definition=alert_def.ref(), note="Careful")
    )
    assert alert.alert_definition == Ref(uuid=alert_def.uuid)
    noted = await client.update(alert.model_copy(update={"note": "Very careful"}), alert)
    assert noted.note == "Very careful"
    disabled = await client.disable_alert(noted)
    assert disabled.status is AlertStatus.disabled
    archived = await client.archive(disabled)
    assert archived is not None and archived.status is AlertStatus.archived
    assert [a.uuid async for a in client.list(PatientAlert, parent=patient)] == []
    feed = await client.changed_since(PatientAlert, None)  # the archived lane too
    assert [(a.uuid, a.status) for a in feed.records if a.patient.uuid == patient.uuid] == [
        (alert.uuid, AlertStatus.archived)
    ]

    field_def = await client.create(FieldDefinition(name="Locker", field_type=FieldType.text))
    renamed = await client.update(field_def.model_copy(update={"name": "Locker no."}), field_def)
    gone = await client.archive(renamed)  # base_version in the body
    assert gone is not None and gone.deleted_at is not None

    tag_def = await client.create(TagDefinition(name=f"VIP {uuid4().hex[:6]}"))
    tag = await client.create(TagAssignment(patient=patient.ref(), tag_definition=tag_def.ref()))
    assert [t.uuid async for t in client.list(TagAssignment, parent=patient)] == [tag.uuid]
    removed = await client.archive(tag)
    assert removed is not None and removed.deleted_at is not None
    with pytest.raises(Unsupported):
        await client.update(tag, tag)


async def test_clinical_records(client: OrgApiClient) -> None:
    patient = await _patient(client, "Clinical")
    allergy = await client.create(
        Allergy(
            patient=patient.ref(),
            allergy_definition=Ref(uuid=demo_uuid("allergy_definition", 4)),
            reaction="Rash",
        )
    )
    assert allergy.reaction == "Rash"
    milder = await client.update(allergy.model_copy(update={"reaction": "Itch"}), allergy)
    assert milder.reaction == "Itch"
    problem = await client.create(
        Problem(
            patient=patient.ref(), disease_definition=Ref(uuid=demo_uuid("disease_definition", 1))
        )
    )
    medication = await client.create(
        Medication(
            patient=patient.ref(),
            medication_definition=Ref(uuid=demo_uuid("medication_definition", 1)),
        )
    )
    vitals = await client.create(VitalSign(patient=patient.ref(), date_taken=date(2025, 1, 2)))
    for record in (problem, medication, vitals):
        assert record.patient.uuid == patient.uuid
        assert (
            await client.read(type(record), record.uuid or uuid4(), patient)
        ).uuid == record.uuid
    kinds = (Allergy, Problem, Medication, VitalSign)
    for kind in kinds:
        assert len([r async for r in client.list(kind, parent=patient)]) == 1
    for done in (milder, problem, medication, vitals):
        archived = await client.archive(done)
        assert archived is not None and archived.deleted_at is not None
    for kind in kinds:
        assert [r async for r in client.list(kind, parent=patient)] == []


async def test_custom_field_values(client: OrgApiClient) -> None:
    patient = await _patient(client, "Fields")
    flag = await client.create(
        FieldDefinition(name=f"Consent {uuid4().hex[:6]}", field_type=FieldType.boolean)
    )
    note = await client.create(
        FieldDefinition(name=f"Locker {uuid4().hex[:6]}", field_type=FieldType.text)
    )
    set_ = await client.set_field_values(patient, [(flag, "true"), (note, "B12")])
    assert [(v.field_definition.uuid, v.value) for v in set_] == [
        (flag.uuid, "true"),
        (note.uuid, "B12"),
    ]
    listed = {
        v.field_definition.uuid: v.value async for v in client.list(FieldValue, parent=patient)
    }
    assert listed == {flag.uuid: "true", note.uuid: "B12"}
    assert await client.set_field_values(patient, [(note, None)]) == []
    feed = await client.changed_since(FieldValue, None)
    mine = [v for v in feed.records if v.patient.uuid == patient.uuid]
    assert [(v.field_definition.uuid, v.value) for v in mine] == [(flag.uuid, "true")]
    with pytest.raises(Unsupported):
        await client.create(mine[0])


async def test_relationships_and_referrals(client: OrgApiClient) -> None:
    parent, child = await _patient(client, "Parent"), await _patient(client, "Child")
    link = await client.create(
        Relationship(
            patient=parent.ref(),
            to_patient=child.ref(),
            relationship_type=RelationshipType.parent,
        )
    )
    assert link.to_patient.uuid == child.uuid
    guardian = await client.update(link.model_copy(update={"is_guardian": True}), link)
    assert guardian.is_guardian
    assert await client.archive(guardian) is not None
    referral = await client.create(
        ReferralAttribution(patient=child.ref(), referring_patient=parent.ref())
    )
    primary = await client.update(
        referral.model_copy(update={"role": AttributionRole.primary}), referral
    )
    assert primary.role is AttributionRole.primary
    assert await client.archive(primary) is None  # 204, base_version in the query
    with pytest.raises(NotFound):
        await client.read(ReferralAttribution, primary.uuid or uuid4(), child)


async def test_patients_feed_is_the_servers_cursor(client: OrgApiClient) -> None:
    first = await client.changed_since(Patient, None)
    assert first.records and set(first.watermark) == {"live", "archived"}
    made = await _patient(client, "Feed")
    later = await client.changed_since(Patient, first.watermark)
    assert [p.uuid for p in later.records] == [made.uuid]
    quiet = await client.changed_since(Patient, later.watermark)
    assert quiet.records == [] and quiet.watermark == later.watermark
    archived = await client.archive(made)
    assert archived is not None
    gone = await client.changed_since(Patient, quiet.watermark)
    assert [(p.uuid, p.deleted_at is not None) for p in gone.records] == [(made.uuid, True)]


async def test_sub_resource_feed_at_its_boundary(client: OrgApiClient) -> None:
    patient = await _patient(client, "Vitals")
    reading = await client.create(VitalSign(patient=patient.ref(), date_taken=date(2025, 2, 1)))
    since = await client.changed_since(VitalSign, None)
    assert reading.uuid in {v.uuid for v in since.records}
    stamps = [v.updated_at or v.created_at for v in since.records]
    assert since.watermark == max(s for s in stamps if s is not None).isoformat()
    again = await client.changed_since(VitalSign, since.watermark)
    # Inclusive: only the records stamped at the watermark are read again.
    assert {v.uuid for v in again.records} == {
        v.uuid
        for v in since.records
        if (v.updated_at or v.created_at) == datetime.fromisoformat(since.watermark)
    }
    newer = await client.update(reading.model_copy(update={"pulse": 70}), reading)
    after = await client.changed_since(VitalSign, again.watermark)
    assert newer.uuid in {v.uuid for v in after.records}


async def test_stale_base_version(client: OrgApiClient, direct: httpx.AsyncClient) -> None:
    made = await _patient(client, "Stale", "Sam")
    # Another writer changes the first name: the client still holds version 1.
    answer = await direct.patch(
        f"/patients/{made.uuid}", json={"first_name": "Samuel", "base_version": made.version}
    )
    assert answer.status_code == 200
    merged = await client.update(made.model_copy(update={"middle_name": "Q"}), made)
    assert (merged.first_name, merged.middle_name) == ("Samuel", "Q")
    with pytest.raises(Conflict, match="first_name") as refused:
        await client.update(made.model_copy(update={"first_name": "Sammy"}), made)
    assert refused.value.current_version == merged.version
    # A transition on a stale version whose status nobody moved goes through.
    moved = await client.transition_status(made, PatientStatus.inactive)
    assert moved.status is PatientStatus.inactive and moved.first_name == "Samuel"
    with pytest.raises(Conflict, match="status"):
        await client.transition_status(made, PatientStatus.deceased)


async def test_a_uniqueness_conflict_is_not_retried(client: OrgApiClient) -> None:
    chart = f"C{uuid4().hex[:8]}"
    await client.create(Patient(last_name="Chart", first_name="One", chart_number=chart))
    other = await _patient(client, "Chart", "Two")
    with pytest.raises(Conflict, match="already in use") as refused:
        await client.update(other.model_copy(update={"chart_number": chart}), other)
    assert refused.value.current_version is None


async def test_a_replayed_create_makes_one_record(client: OrgApiClient) -> None:
    record = Patient(last_name=f"Once{uuid4().hex[:8]}", first_name="Only", uuid=uuid4())
    first = await client.create(record)
    second = await client.create(record)
    assert first.uuid == second.uuid
    found = [p async for p in client.list(Patient, {"search": record.last_name})]
    assert [p.uuid for p in found] == [first.uuid]
    # The same identity with other content is the server's idempotency conflict.
    with pytest.raises(Conflict):
        await client.create(record.model_copy(update={"first_name": "Other"}))
    # Without an identity, the content is the key.
    patient = await _patient(client, "Logged")
    log = Commlog(patient=patient.ref(), note="Called", communicated_at=WHEN)
    assert (await client.create(log)).uuid == (await client.create(log)).uuid


async def test_refusals_become_canonical_errors(client: OrgApiClient) -> None:
    with pytest.raises(NotFound, match="Patient not found"):
        await client.read(Patient, UUID(int=1))
    with pytest.raises(Invalid) as invalid:
        await client.create(Patient(last_name="Bad", first_name="Mail", email="nope"))
    assert set(invalid.value.fields) == {"email"}
    with pytest.raises(NotFound, match="Patient not found"):
        await client.create(
            Allergy(patient=Ref(uuid=UUID(int=1)), allergy_definition=Ref(uuid=UUID(int=2)))
        )
    with pytest.raises(Invalid, match="patient"):
        await client.create(Allergy(patient=Ref(num=1), allergy_definition=Ref(uuid=UUID(int=2))))


async def test_wrong_credentials_are_the_gateways_fault(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/orgapi/api/v1") as http:
        bad = OrgApiClient(http, "not-a-token", ORG_ID, policy=QUICK)
        with pytest.raises(BadUpstream, match="upstream_auth"):
            await bad.read(Patient, UUID(int=1))
        elsewhere = OrgApiClient(http, TOKEN, uuid4(), policy=QUICK)
        with pytest.raises(NotFound, match="Organization not found"):
            await elsewhere.read(Patient, UUID(int=1))


# -- faults of the server (scripted) ----------------------------------------------------


async def test_5xx_timeouts_and_refused_connections() -> None:
    with pytest.raises(Unavailable, match="502"):  # the last answer
        await Scripted(answer(503), answer(502)).client().read(Patient, PATIENT)
    with pytest.raises(UpstreamTimeout):
        timeout = httpx.ReadTimeout("slow")
        await Scripted(timeout, timeout).client().read(Patient, PATIENT)
    with pytest.raises(Unavailable, match="could not be reached"):
        refused = httpx.ConnectError("refused")
        await Scripted(refused, refused).client().read(Patient, PATIENT)
    read = await Scripted(answer(500), answer(200, patient())).client().read(Patient, PATIENT)
    assert read.uuid == PATIENT


async def test_429_waits_its_retry_after() -> None:
    server = Scripted(answer(429, {"detail": "slow down"}, **{"Retry-After": "0"}))
    server.answers.append(answer(200, patient()))
    assert (await server.client().read(Patient, PATIENT)).uuid == PATIENT
    too_long = Scripted(answer(429, {"detail": "slow down"}, **{"Retry-After": "3600"}))
    with pytest.raises(Unavailable) as throttled:
        await too_long.client().read(Patient, PATIENT)
    assert throttled.value.retry_after == 3600 and len(too_long.requests) == 1


async def test_malformed_and_truncated_bodies() -> None:
    with pytest.raises(BadUpstream, match="not JSON"):
        await Scripted(httpx.Response(200, content=b"<html>")).client().read(Patient, PATIENT)
    with pytest.raises(BadUpstream, match="not JSON"):
        cut = httpx.Response(200, content=b'{"id": "00000000-0000-4000')
        await Scripted(cut).client().read(Patient, PATIENT)
    with pytest.raises(Unavailable, match="RemoteProtocolError"):
        broken = httpx.RemoteProtocolError("peer closed connection mid-body")
        await Scripted(broken, broken).client().read(Patient, PATIENT)
    with pytest.raises(BadUpstream, match="cannot read"):
        await Scripted(answer(200, {**patient(), "version": "two"})).client().read(Patient, PATIENT)
    with pytest.raises(BadUpstream, match="no page"):
        await anext(Scripted(answer(200, {"items": []})).client().list(Patient))
    with pytest.raises(BadUpstream, match="no page"):
        await anext(Scripted(answer(200, [])).client().list(TagDefinition))


async def test_a_retried_create_carries_one_key() -> None:
    server = Scripted(answer(503), answer(201, patient()))
    c = server.client()
    record = Patient(last_name="Lovelace", first_name="Ada")
    made = await c.create(record)
    assert made.uuid == PATIENT
    keys = [r.headers["idempotency-key"] for r in server.requests]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert all(r.headers["authorization"] == "Bearer tok" for r in server.requests)
    # The same record asked again reuses the key; another record has its own.
    again = Scripted(answer(201, patient()), answer(201, patient()))
    await again.client().create(record)
    await again.client().create(record.model_copy(update={"first_name": "Ava"}))
    assert again.requests[0].headers["idempotency-key"] == keys[0]
    assert again.requests[1].headers["idempotency-key"] != keys[0]


async def test_a_replayed_key_answers_the_first_record() -> None:
    first = patient()
    replay = httpx.Response(201, json=first, headers={"Idempotent-Replayed": "true"})
    server = Scripted(answer(201, first), replay)
    c = server.client()
    record = Patient(last_name="Lovelace", first_name="Ada", uuid=uuid4())
    assert (await c.create(record)).uuid == (await c.create(record)).uuid == PATIENT
    conflict = Scripted(answer(409, {"detail": "Idempotency-Key reused with another request."}))
    with pytest.raises(Conflict, match="Idempotency-Key"):
        await conflict.client().create(record)


async def test_a_refused_422_names_each_field() -> None:
    detail = [{"loc": ["body", "email"], "msg": "must be a valid email", "type": "value_error"}]
    server = Scripted(answer(422, {"detail": detail}))
    with pytest.raises(Invalid) as refused:
        await server.client().create(Patient(last_name="L", first_name="F", email="x"))
    assert refused.value.fields == {"email": "must be a valid email"}
    assert len(server.requests) == 1  # a refusal is not retried
