"""The field map itself: per-method input flags, loss-safe decoding (a value
shown as its nearest survives a round trip) and loss reporting."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import dialects
from canonical import Commlog, Gender, Invalid, Patient, PatientStatus
from dialects.codec import Codec, CodecContext, EnumMap, Field, Loss, LossError, round_trips
from dialects.drchrono import formats as drc
from dialects.opendental import formats as od
from dialects.opendental.formats import Int, RefNum, Text
from dialects.orgapi import formats as org
from tests.dialects.code_tables import codecs


def test_accepted_and_required_follow_the_flags_in_table_order() -> None:
    codec = Codec(
        "opendental",
        Commlog,
        [
            Field("CommlogNum", "num", Int(), read_only=True),
            Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
            Field("Note", "note", Text(), required="POST PUT"),
            Field("ProgramNum", "program_num", Int(), accepts="PUT"),
        ],
    )
    assert codec.accepted("POST") == ("PatNum", "Note")
    assert codec.accepted("PUT") == ("Note", "ProgramNum")
    assert codec.accepted("PATCH") == ("Note",)
    assert codec.required("POST") == ("PatNum", "Note")
    assert codec.required("PUT") == ("Note",)
    assert codec.required("PATCH") == ()


# -- loss safety: a value shown as its nearest survives a round trip ------------------

GENDERS = EnumMap(
    {"Male": Gender.male, "Female": Gender.female, "Other": Gender.other},
    nearest={Gender.non_binary: "Other", Gender.unknown: "", Gender.prefer_not_to_say: ""},
    case_insensitive=True,
)
PATIENTS = Codec(
    "drchrono",
    Patient,
    [
        Field("id", "num", drc.Int(), read_only=True),
        Field("first_name", "first_name", drc.Text()),
        Field("last_name", "last_name", drc.Text()),
        Field("gender", "gender", GENDERS),
        Field("status", "status", drc.Enum_(EnumMap({"A": PatientStatus.active}))),
        Field("balance", "balance_total", drc.Dec()),
        Field("deceased", "date_time_deceased", drc.Timestamp()),
        Field("updated_at", "updated_at", drc.Timestamp(), read_only=True),
        Field("referring_doctor", None, drc.Text(), extension=True),
    ],
)
CTX = CodecContext(tz=ZoneInfo("America/New_York"))


def patient(**fields: Any) -> Patient:
    return Patient(num=7, first_name="Ann", last_name="Lee", **fields)


def test_decode_keeps_the_current_value_sent_back_as_its_nearest() -> None:
    current = patient(gender=Gender.non_binary)
    assert PATIENTS.encode(current, CTX)["gender"] == "Other"
    assert PATIENTS.decode({"gender": "Other"}, CTX, current=current) == {
        "gender": Gender.non_binary
    }
    # Read the same (another case): still what it was shown as.
    assert PATIENTS.decode({"gender": "other"}, CTX, current=current) == {
        "gender": Gender.non_binary
    }
    # A genuinely different value changes it.
    assert PATIENTS.decode({"gender": "Male"}, CTX, current=current) == {"gender": Gender.male}
    # Without the current record (a create), the table's member.
    assert PATIENTS.decode({"gender": "Other"}, CTX) == {"gender": Gender.other}
    # A record whose value has text of its own is changed by that text as ever.
    assert PATIENTS.decode({"gender": "Other"}, CTX, current=patient(gender=Gender.male)) == {
        "gender": Gender.other
    }


def test_decode_accepts_a_nearest_text_sent_back_even_where_the_table_reads_none() -> None:
    current = patient(gender=Gender.prefer_not_to_say)
    assert PATIENTS.encode(current, CTX)["gender"] == ""
    assert PATIENTS.decode({"gender": ""}, CTX, current=current) == {
        "gender": Gender.prefer_not_to_say
    }
    with pytest.raises(Invalid) as err:  # only that record was shown ""
        PATIENTS.decode({"gender": ""}, CTX, current=patient(gender=Gender.male))
    assert list(err.value.fields) == ["gender"]


def test_decode_keeps_precision_the_dialect_does_not_show() -> None:
    current = patient(
        balance_total=Decimal("12.345"),
        date_time_deceased=datetime(2024, 3, 1, 15, 4, 5, 250000, tzinfo=UTC),
    )
    shown = PATIENTS.encode(current, CTX)
    assert (shown["balance"], shown["deceased"]) == ("12.34", "2024-03-01T10:04:05")
    assert PATIENTS.decode(
        {"balance": "12.34", "deceased": "2024-03-01T10:04:05"}, CTX, current=current
    ) == {"balance_total": Decimal("12.345"), "date_time_deceased": current.date_time_deceased}
    # The same value as a JSON number is what it was shown as too.
    assert PATIENTS.decode({"balance": 12.34}, CTX, current=current) == {
        "balance_total": Decimal("12.345")
    }
    changed = PATIENTS.decode(
        {"balance": "12.35", "deceased": "2024-03-01T10:04:06"}, CTX, current=current
    )
    assert changed == {
        "balance_total": Decimal("12.35"),
        "date_time_deceased": datetime(2024, 3, 1, 15, 4, 6, tzinfo=UTC),
    }


def test_keep_shown_is_decode_with_current_for_a_patch_decoded_before_the_lookup() -> None:
    current = patient(gender=Gender.non_binary, balance_total=Decimal("1.005"))
    body = {"gender": "Other", "balance": "1.00", "first_name": "Bo"}
    patch = PATIENTS.decode(body, CTX)
    assert PATIENTS.keep_shown(patch, body, current, CTX) == {
        "gender": Gender.non_binary,
        "balance_total": Decimal("1.005"),
        "first_name": "Bo",
    }
    assert patch["gender"] is Gender.other  # the patch given is left as it was
    assert PATIENTS.keep_shown({"gender": Gender.male}, {"gender": "Male"}, current, CTX) == {
        "gender": Gender.male
    }


def test_every_lossy_converter_says_exact_as_its_round_trip_does() -> None:
    """``exact`` is what makes decode keep a value: it must be true of exactly
    the values the converter reads back unchanged."""
    assert GENDERS.exact(Gender.male, CTX) and not GENDERS.exact(Gender.non_binary, CTX)
    assert drc.Enum_(GENDERS).exact(None, CTX)
    assert not drc.Enum_(GENDERS).exact(Gender.non_binary, CTX)
    for conv, exact, inexact in [
        (drc.Dec(), Decimal("2.5"), Decimal("2.555")),
        (drc.Timestamp(), datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, 0, 0, 0, 1, UTC)),
        (od.DateTime(), datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, 0, 0, 0, 1, UTC)),
        (
            od.DateOfDateTime(),
            datetime(2024, 1, 1, 5, tzinfo=UTC),
            datetime(2024, 1, 1, tzinfo=UTC),
        ),
        (od.MoneyText(), Decimal("2.50"), Decimal("2.505")),
        (od.MoneyNumber(), Decimal("2.50"), Decimal("2.505")),
        (org.Money(), Decimal("2.50"), Decimal("2.505")),
    ]:
        assert conv.exact(None, CTX) and conv.exact(exact, CTX), conv
        assert not conv.exact(inexact, CTX), conv
        assert round_trips(conv, exact, CTX) and not round_trips(conv, inexact, CTX)


def test_every_converter_with_nearest_rows_is_lossy() -> None:
    """A converter with ``nearest`` texts of its own (or a code table inside)
    says which values it shows exactly, so decode can keep the others."""
    rows = [
        (c.dialect, c.model.__name__, f.wire, f.conv)
        for c in codecs(dialects).values()
        for f in c.fields
        if f.canonical
        and not f.extension
        and (
            getattr(f.conv, "nearest", None)
            or getattr(getattr(f.conv, "table", None), "nearest", None)
        )
    ]
    assert rows
    missing = [(d, m, w) for d, m, w, conv in rows if not hasattr(conv, "exact")]
    assert not missing


# -- loss reporting --------------------------------------------------------------------


def test_encode_reports_values_shown_as_their_nearest_and_values_left_out() -> None:
    record = patient(
        gender=Gender.non_binary,
        balance_total=Decimal("1.005"),
        address_line2="Apt 4",
        extensions={
            "drchrono": {"referring_doctor": "Dr Who", "vitals": {}},
            "opendental": {"X": 1},
        },
    )
    losses: list[Loss] = []
    out = PATIENTS.encode(record, CTX, losses=losses)
    assert out == PATIENTS.encode(record, CTX)  # the same body, checked or not
    assert losses == [
        Loss("gender", "gender", "nearest"),
        Loss("balance", "balance_total", "nearest"),
        Loss(None, "address_line2", "omitted"),
        Loss(None, "extensions.drchrono.vitals", "omitted"),
        Loss(None, "extensions.opendental.X", "omitted"),
    ]
    # Only what is shown counts: the balance is not in this body.
    assert Loss("balance", "balance_total", "nearest") not in PATIENTS.losses(
        record, CTX, only=["gender"]
    )


def test_a_record_the_dialect_shows_exactly_has_no_losses() -> None:
    record = patient(
        gender=Gender.female,
        balance_total=Decimal("3.10"),
        updated_at=datetime(2024, 1, 1, 0, 0, 0, 5, UTC),  # read-only: not in a request
        extensions={"drchrono": {"referring_doctor": "Dr Who"}},
    )
    losses: list[Loss] = []
    PATIENTS.encode(record, CTX, request=True, on_loss="raise", losses=losses)
    assert losses == []
    assert PATIENTS.losses(record, CTX) == [Loss("updated_at", "updated_at", "nearest")]


def test_on_loss_raise_names_the_fields_and_no_values() -> None:
    record = patient(gender=Gender.non_binary, address_line2="Apt 4")
    with pytest.raises(LossError) as err:
        PATIENTS.encode(record, CTX, on_loss="raise")
    assert err.value.losses == (
        Loss("gender", "gender", "nearest"),
        Loss(None, "address_line2", "omitted"),
    )
    message = str(err.value)
    assert "drchrono" in message and "patient" in message
    assert "gender" in message and "address_line2" in message
    assert "non_binary" not in message and "Apt 4" not in message


def test_on_loss_warn_logs_the_fields_and_no_values(caplog: pytest.LogCaptureFixture) -> None:
    record = patient(gender=Gender.non_binary, address_line2="Apt 4")
    with caplog.at_level(logging.WARNING, logger="dialects.codec"):
        out = PATIENTS.encode(record, CTX, on_loss="warn")
    assert out["gender"] == "Other"
    [entry] = caplog.records
    assert entry.levelno == logging.WARNING
    text = entry.getMessage()
    assert "gender" in text and "address_line2" in text
    assert "non_binary" not in text and "Apt 4" not in text and "Other" not in text


def test_on_loss_ignore_checks_nothing_and_a_bad_level_is_refused() -> None:
    record = patient(gender=Gender.non_binary)
    assert PATIENTS.encode(record, CTX, on_loss="ignore")["gender"] == "Other"
    with pytest.raises(ValueError, match="on_loss"):
        PATIENTS.encode(record, CTX, on_loss="loud")  # type: ignore[arg-type]


def test_drchrono_converters_that_show_less_than_they_hold_say_so() -> None:
    from datetime import time

    from dialects.drchrono.doctors import ZoneName
    from dialects.drchrono.offices import Hour
    from dialects.drchrono.tasks import DueDate

    ctx = CodecContext(tz=ZoneInfo("America/Los_Angeles"))
    assert not ZoneName().exact("", ctx)  # shown as the tenant's zone
    assert ZoneName().exact("America/New_York", ctx)
    assert not Hour("00:00:00").exact(time(8, 30), ctx)
    assert Hour("00:00:00").exact(time(8), ctx)
    assert not DueDate().exact(datetime(2040, 1, 1, 9, 0, 0, 500, tzinfo=UTC), ctx)
    assert DueDate().exact(datetime(2040, 1, 1, 9, 0, 0, tzinfo=UTC), ctx)
