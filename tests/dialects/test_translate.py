"""The library entry point: ``translate(payload, resource, read=..., write=...)``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from canonical import CommDirection, Commlog, CommMode, Invalid, Ref
from dialects import dialect_for, translate
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
