"""The org API client's versioned writes against a scripted server: the merge
rule on 409, retries of version-guarded writes, archive's three shapes."""

from __future__ import annotations

from uuid import UUID

import pytest

from canonical import (
    AlertStatus,
    Conflict,
    FieldDefinition,
    Patient,
    PatientAlert,
    PatientStatus,
    ReferralAttribution,
)
from dialects.orgapi.client import OrgApiClient
from tests.dialects.orgapi.scripted import ORG, PATIENT, Scripted, answer, patient

ITEM = f"/api/v1/{ORG}/patients/{PATIENT}"
OTHER = "00000000-0000-4000-8000-0000000000aa"


def _shown(client: OrgApiClient, version: int = 1, **fields: object) -> Patient:
    record = client.decode(client.resource(Patient), patient(version, **fields))
    assert isinstance(record, Patient)
    return record


async def test_a_stale_patch_that_touches_other_fields_is_sent_again() -> None:
    server = Scripted(
        answer(409, {"detail": "Patient has changed (version 2, base_version 1)."}),
        answer(200, patient(2, first_name="Adah")),  # another writer changed the first name
        answer(200, patient(3, first_name="Adah", middle_name="Q")),
    )
    c = server.client()
    current = _shown(c)
    done = await c.update(current.model_copy(update={"middle_name": "Q"}), current)
    assert (done.first_name, done.middle_name, done.version) == ("Adah", "Q", 3)
    assert server.calls() == [f"PATCH {ITEM}", f"GET {ITEM}", f"PATCH {ITEM}"]
    assert server.bodies()[0] == {"middle_name": "Q", "base_version": 1}
    assert server.bodies()[2] == {"middle_name": "Q", "base_version": 2}


async def test_a_stale_patch_of_a_field_someone_else_changed_is_a_conflict() -> None:
    server = Scripted(
        answer(409, {"detail": "Patient has changed (version 2, base_version 1)."}),
        answer(200, patient(2, first_name="Adah")),
    )
    c = server.client()
    current = _shown(c)
    with pytest.raises(Conflict, match="first_name") as refused:
        await c.update(current.model_copy(update={"first_name": "Ava"}), current)
    assert refused.value.current_version == 2
    assert "Adah" not in refused.value.message and "Ava" not in refused.value.message
    assert len(server.requests) == 2


async def test_a_change_already_made_is_done() -> None:
    server = Scripted(
        answer(409, {"detail": "Patient has changed (version 2, base_version 1)."}),
        answer(200, patient(2, first_name="Ava")),
    )
    c = server.client()
    current = _shown(c)
    done = await c.update(current.model_copy(update={"first_name": "Ava"}), current)
    assert (done.first_name, done.version) == ("Ava", 2)
    assert len(server.requests) == 2


async def test_a_409_that_is_not_about_the_version_stands() -> None:
    server = Scripted(
        answer(409, {"detail": "Chart number 'A1' is already in use."}),
        answer(200, patient(1)),
    )
    c = server.client()
    current = _shown(c)
    with pytest.raises(Conflict, match="already in use"):
        await c.update(current.model_copy(update={"chart_number": "A1"}), current)


async def test_a_second_409_is_surfaced() -> None:
    stale = {"detail": "Patient has changed (version 3, base_version 2)."}
    server = Scripted(answer(409, stale), answer(200, patient(2)), answer(409, stale))
    c = server.client()
    current = _shown(c)
    with pytest.raises(Conflict) as refused:
        await c.update(current.model_copy(update={"middle_name": "Q"}), current)
    assert refused.value.current_version == 3


async def test_a_version_guarded_patch_is_retried_through_a_5xx() -> None:
    server = Scripted(answer(503), answer(200, patient(2, middle_name="Q")))
    c = server.client()
    current = _shown(c)
    done = await c.update(current.model_copy(update={"middle_name": "Q"}), current)
    assert done.version == 2
    assert server.bodies() == [{"middle_name": "Q", "base_version": 1}] * 2


async def test_a_transition_on_a_stale_version() -> None:
    server = Scripted(
        answer(409, {"detail": "Patient has changed (version 2, base_version 1)."}),
        answer(200, patient(2, first_name="Adah")),  # status untouched: sent again
        answer(200, patient(3, first_name="Adah", status="inactive")),
    )
    c = server.client()
    moved = await c.transition_status(_shown(c), PatientStatus.inactive)
    assert moved.status is PatientStatus.inactive
    assert server.bodies()[2] == {"base_version": 2, "new_status": "inactive"}
    server = Scripted(
        answer(409, {"detail": "Patient has changed (version 2, base_version 1)."}),
        answer(200, patient(2, status="deceased")),
    )
    c = server.client()
    with pytest.raises(Conflict, match="status"):
        await c.transition_status(_shown(c), PatientStatus.inactive)


async def test_archive_takes_its_version_where_the_resource_says() -> None:
    definition = {"id": OTHER, "version": 4, "name": "Locker", "field_type": "text"}
    server = Scripted(answer(200, {**definition, "deleted_at": "2025-01-01T00:00:00Z"}))
    c = server.client()
    shown = c.decode(c.resource(FieldDefinition), definition)
    assert isinstance(shown, FieldDefinition)
    archived = await c.archive(shown)
    assert archived is not None and archived.deleted_at is not None
    assert server.bodies() == [{"base_version": 4}]

    referral = {
        "id": OTHER,
        "version": 2,
        "patient": {"id": str(PATIENT), "name": "Ada Lovelace"},
        "attributed_at": "2025-01-01T00:00:00Z",
    }
    server = Scripted(answer(204))
    c = server.client()
    attribution = c.decode(c.resource(ReferralAttribution), referral)
    assert isinstance(attribution, ReferralAttribution)
    assert await c.archive(attribution) is None
    assert server.requests[0].url.params["base_version"] == "2"
    assert server.requests[0].url.path == f"{ITEM}/referral-attributions/{OTHER}/archive"


async def test_a_stale_archive_already_done_or_gone() -> None:
    referral = {"id": OTHER, "version": 2, "patient": {"id": str(PATIENT), "name": None}}
    server = Scripted(
        answer(409, {"detail": "ReferralAttribution has changed (version 3, base_version 2)."}),
        answer(404, {"detail": "Attribution not found."}),
    )
    c = server.client()
    attribution = c.decode(c.resource(ReferralAttribution), referral)
    assert isinstance(attribution, ReferralAttribution)
    assert await c.archive(attribution) is None


async def test_disable_an_alert() -> None:
    alert = {
        "id": OTHER,
        "version": 1,
        "patient": {"id": str(PATIENT), "name": None},
        "alert_definition": {"id": str(UUID(int=7)), "name": "Latex"},
        "status": "active",
    }
    server = Scripted(answer(200, {**alert, "version": 2, "status": "disabled"}))
    c = server.client()
    shown = c.decode(c.resource(PatientAlert), alert)
    assert isinstance(shown, PatientAlert)
    disabled = await c.disable_alert(shown)
    assert disabled.status is AlertStatus.disabled
    assert server.calls() == [f"POST {ITEM}/alerts/{OTHER}/disable"]
    assert server.bodies() == [{"base_version": 1}]
