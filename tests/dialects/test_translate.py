"""The library entry point: ``translate(payload, resource, read=..., write=...)``."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from canonical import CommDirection, Commlog, CommMode, Invalid, Ref
from dialects import Loss, LossError, dialect_for, translate
from tests.support import load

DOCUMENTED = load("opendental/commlogs/get_one.json")["response"]["body"]


def test_read_into_canonical() -> None:
    record = translate(DOCUMENTED, "commlog", read="opendental", time_zone="America/Los_Angeles")
    assert isinstance(record, Commlog)
    assert record.num == 2
    assert record.patient == Ref(num=15)
    assert record.commlog_type == Ref(num=239, name="Misc")
    assert record.mode is CommMode.phone and record.direction is CommDirection.sent
    # 03:25:29 in Los Angeles in February is 11:25:29 UTC.
    assert record.communicated_at == datetime(2021, 2, 7, 11, 25, 29, tzinfo=UTC)


def test_round_trip_through_the_same_dialect_is_exact() -> None:
    out = translate(
        DOCUMENTED,
        "commlog",
        read="opendental",
        write="opendental",
        time_zone="America/Los_Angeles",
    )
    assert out == DOCUMENTED
    assert list(out) == list(DOCUMENTED)


def test_bad_payloads_name_the_field() -> None:
    with pytest.raises(Invalid) as err:
        translate({**DOCUMENTED, "Mode_": "Carrier pigeon"}, "commlog", read="opendental")
    assert "Mode_" in err.value.fields
    with pytest.raises(Invalid):
        translate({"Note": "no patient"}, "commlog", read="opendental")


def test_unknown_names_suggest_the_closest() -> None:
    with pytest.raises(KeyError, match="opendental"):
        dialect_for("opendentl")
    with pytest.raises(KeyError, match="commlog"):
        translate(DOCUMENTED, "comlog", read="opendental")


def test_request_bodies_carry_only_writable_fields() -> None:
    body = translate(
        DOCUMENTED,
        "commlog",
        read="opendental",
        write="opendental",
        time_zone="America/Los_Angeles",
        request=True,
    )
    assert "CommlogNum" not in body and "DateTStamp" not in body and "UserNum" not in body
    assert body["PatNum"] == 15 and body["CommDateTime"] == "2021-02-07 03:25:29"
    # What a server decodes from that request is the record it came from.
    again = translate(body, "commlog", read="opendental", time_zone="America/Los_Angeles")
    original = translate(DOCUMENTED, "commlog", read="opendental", time_zone="America/Los_Angeles")
    for field in ("patient", "communicated_at", "note", "mode", "direction"):
        assert getattr(again, field) == getattr(original, field)


# -- loss reporting ------------------------------------------------------------------

ORG_PATIENT = {
    "id": "5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e20",
    "first_name": "Sam",
    "last_name": "Roe",
    "gender": "non_binary",
    "address_line2": "Apt 4",
}


def test_losses_name_what_the_target_dialect_shows_as_nearest_or_not_at_all() -> None:
    losses: list[Loss] = []
    body = translate(ORG_PATIENT, "patient", read="orgapi", write="drchrono", losses=losses)
    assert body["gender"] == "Other"
    assert losses == [
        Loss("gender", "gender", "nearest"),
        Loss(None, "address_line2", "omitted"),  # DrChrono has one address line
    ]
    # A migration's request body: the same report.
    again: list[Loss] = []
    translate(ORG_PATIENT, "patient", read="orgapi", write="drchrono", request=True, losses=again)
    assert again == losses
    # Open Dental has the second line, and its own nearest for the gender.
    to_od: list[Loss] = []
    body = translate(ORG_PATIENT, "patient", read="orgapi", write="opendental", losses=to_od)
    assert (body["Gender"], body["Address2"]) == ("Other", "Apt 4")
    assert to_od == [Loss("Gender", "gender", "nearest")]


def test_a_value_the_target_has_no_field_for_is_omitted() -> None:
    losses: list[Loss] = []
    emailed = {**DOCUMENTED, "Mode_": "Email"}
    translate(emailed, "commlog", read="opendental", write="drchrono", losses=losses)
    assert losses == [Loss(None, "mode", "omitted")]


def test_a_round_trip_through_the_same_dialect_loses_nothing() -> None:
    losses: list[Loss] = []
    translate(
        DOCUMENTED,
        "commlog",
        read="opendental",
        write="opendental",
        time_zone="America/Los_Angeles",
        on_loss="raise",
        losses=losses,
    )
    assert losses == []


def test_on_loss_raise_and_warn(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(LossError) as err:
        translate(ORG_PATIENT, "patient", read="orgapi", write="drchrono", on_loss="raise")
    assert [loss.canonical for loss in err.value.losses] == ["gender", "address_line2"]
    assert "non_binary" not in str(err.value) and "Apt 4" not in str(err.value)
    with caplog.at_level(logging.WARNING, logger="dialects.codec"):
        body = translate(ORG_PATIENT, "patient", read="orgapi", write="drchrono", on_loss="warn")
    assert body["gender"] == "Other"
    [entry] = caplog.records
    assert "gender" in entry.getMessage() and "Apt 4" not in entry.getMessage()
    # The canonical record keeps everything: nothing to report.
    losses: list[Loss] = []
    record = translate(ORG_PATIENT, "patient", read="orgapi", on_loss="raise", losses=losses)
    assert record.gender.value == "non_binary" and losses == []
