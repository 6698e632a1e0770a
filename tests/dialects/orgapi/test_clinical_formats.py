"""The org API clinical value formats, and the commlog codec used as a library
(``translate`` between the org API and Open Dental)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from canonical import CommMode
from dialects import translate
from dialects.codec import CodecContext
from dialects.orgapi.clinical_formats import Measure, NullEnum, StrList, TimeOfDay
from dialects.orgapi.communication_logs import MODE_TABLE, MODES

CTX = CodecContext()


@pytest.mark.parametrize(
    ("raw", "value", "shown"),
    [(22.5, Decimal("22.5"), "22.5"), (70, Decimal("70"), "70"), ("98.6", Decimal("98.6"), "98.6")],
)
def test_measure(raw: Any, value: Decimal, shown: str) -> None:
    assert Measure().from_wire(raw, CTX) == value
    assert Measure().to_wire(value, CTX) == shown
    assert Measure().from_wire(None, CTX) is None


@pytest.mark.parametrize("raw", [True, "tall", "NaN", [], -1])
def test_measure_refuses(raw: Any) -> None:
    with pytest.raises(ValueError):
        Measure(minimum=Decimal(0)).from_wire(raw, CTX)


def test_time_of_day() -> None:
    assert TimeOfDay().from_wire("09:30", CTX) == time(9, 30)
    assert TimeOfDay().to_wire(time(9, 30), CTX) == "09:30:00"
    for bad in ("9:30", "25:00", 930):
        with pytest.raises(ValueError):
            TimeOfDay().from_wire(bad, CTX)


def test_str_list() -> None:
    assert StrList().from_wire(["a"], CTX) == ["a"]
    with pytest.raises(ValueError):
        StrList().from_wire(["a", 1], CTX)


def test_mode_table_round_trip_and_nearest() -> None:
    assert isinstance(MODES, NullEnum)
    for wire, member in MODE_TABLE.table.items():
        assert MODES.to_wire(member, CTX) == wire
        assert MODES.from_wire(wire, CTX) is member
    assert MODES.to_wire(CommMode.email_and_text, CTX) == "email"
    assert MODES.to_wire(CommMode.phone_and_text, CTX) == "phone"
    assert MODES.to_wire(CommMode.none, CTX) is None
    assert MODES.from_wire(None, CTX) is CommMode.none


def test_translate_open_dental_commlog_to_org() -> None:
    od = {
        "CommlogNum": 2,
        "PatNum": 15,
        "CommDateTime": "2021-02-07 03:25:29",
        "Note": "Left msg on answering machine",
        "Mode_": "Phone and Text",
        "SentOrReceived": "Sent",
        "DateTEntry": "2021-02-07 03:26:16",
    }
    org = translate(
        od, "commlog", read="opendental", write="orgapi", time_zone="America/Los_Angeles"
    )
    assert (org["mode"], org["direction"], org["note"]) == ("phone", "sent", od["Note"])
    assert org["communication_datetime"] == "2021-02-07T11:25:29Z"
