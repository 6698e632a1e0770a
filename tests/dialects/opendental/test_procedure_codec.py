"""The procedurelog field map (seed 002): both directions from one table, value
shapes, and the identity round trip of every demo record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from canonical import Invalid, ProcedureStatus, Ref
from dialects import translate
from dialects.codec import CodecContext
from dialects.opendental.procedure_codec import CODEC, STATUSES, WRITE_RESPONSE_FIELDS, DxNum
from tests.support import load

DEMO: list[dict[str, Any]] = load("demo/opendental/procedure.json")
CTX = CodecContext(tz=ZoneInfo("America/Los_Angeles"))


@pytest.mark.parametrize("wire", DEMO, ids=[str(p["ProcNum"]) for p in DEMO])
def test_demo_records_round_trip(wire: dict[str, Any]) -> None:
    record = translate(wire, "procedure", read="opendental", time_zone="America/Los_Angeles")
    assert record.num == wire["ProcNum"]
    assert record.code.num == wire["CodeNum"]
    back = CODEC.encode(record, CTX)
    assert list(back) == list(wire)
    for key in wire:
        if key not in ("provAbbr", "priority", "dxName", "procCode", "descript", "serverDateTime"):
            assert back[key] == wire[key], key


def test_statuses_both_ways() -> None:
    assert set(STATUSES.reverse) == set(ProcedureStatus)
    for text in ("TP", "C", "EC", "EO", "R", "D", "Cn", "TPi"):
        assert STATUSES.reverse[STATUSES.from_wire(text, CTX)] == text


@pytest.mark.parametrize(
    ("raw", "num"), [("", None), (0, None), ("0", None), (126, 126), ("139", 139)]
)
def test_dx_accepts_numbers_and_numeric_strings(raw: Any, num: int | None) -> None:
    ref = DxNum().from_wire(raw, CTX)
    assert (ref.num if ref else None) == num


def test_dx_renders_an_integer() -> None:
    assert DxNum().to_wire(Ref(num=126), CTX) == 126
    assert DxNum().to_wire(None, CTX) == 0


@pytest.mark.parametrize("raw", ["x", -1, 1.5, True, None])
def test_dx_rejects(raw: Any) -> None:
    with pytest.raises(ValueError):
        DxNum().from_wire(raw, CTX)


def test_decode_reports_every_bad_field() -> None:
    with pytest.raises(Invalid) as err:
        CODEC.decode({"PatNum": "x", "ProcFee": "lots", "ProcStatus": "Done"}, CTX)
    assert set(err.value.fields) == {"PatNum", "ProcFee", "ProcStatus"}


def test_read_only_fields_are_ignored_on_input() -> None:
    patch = CODEC.decode({"ProcNum": 5, "CodeNum": 2, "provAbbr": "DOC1", "UnitQty": 3}, CTX)
    assert patch == {}


def test_write_responses_drop_the_prosthesis_fields() -> None:
    assert "Prosthesis" not in WRITE_RESPONSE_FIELDS
    assert "DateOriginalProsth" not in WRITE_RESPONSE_FIELDS
    assert "IsDateProsthEst" not in WRITE_RESPONSE_FIELDS
    assert len(WRITE_RESPONSE_FIELDS) == len(CODEC.fields) - 3


def test_dates_and_stamps_in_office_time() -> None:
    record = translate(DEMO[0], "procedure", read="opendental", time_zone="America/Los_Angeles")
    assert record.updated_at == datetime(2021, 11, 3, 12, 30, 6, tzinfo=UTC)
    assert CODEC.encode(record, CTX)["DateTStamp"] == "2021-11-03 05:30:06"
