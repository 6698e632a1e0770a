"""Open Dental's query parameters (apiimplementation.md): unknown names refused
with a 400 naming them, values read in Open Dental's formats and refused in its
words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import Invalid, TaskStatus
from dialects.codec import CodecContext
from dialects.opendental.params import Params
from dialects.opendental.tasks import STATUSES


def test_unknown_parameters_are_refused_naming_each_once() -> None:
    with pytest.raises(Invalid) as caught:
        Params([("PatNum", "1"), ("Bogus", "1"), ("Other", "2"), ("Bogus", "3")], takes=["PatNum"])
    assert caught.value.message == "Invalid query parameter: Bogus, Other."
    assert caught.value.fields == {
        "Bogus": "Bogus is not a valid parameter.",
        "Other": "Other is not a valid parameter.",
    }


def test_every_endpoint_takes_the_window_and_the_date_formats() -> None:
    names = ["Offset", "Limit", "DateFormatString", "DateTimeFormatString"]
    params = Params([(n, "1") for n in names])
    assert all(n in params for n in names)


def test_the_last_occurrence_counts_and_an_empty_value_is_absent() -> None:
    params = Params([("PatNum", "1"), ("PatNum", "2"), ("KeyNum", "")], takes=["PatNum", "KeyNum"])
    assert params.int_("PatNum") == 2
    assert params.int_("KeyNum") is None


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("PatNum", "x", "PatNum must be an integer."),
        ("PatNum", "1.5", "PatNum must be an integer."),
        ("showArchived", "yes", 'showArchived must be "true" or "false".'),
        (
            "Birthdate",
            "05/24/1976",
            'Birthdate "05/24/1976" is not a valid date in "yyyy-MM-dd" format.',
        ),
    ],
)
def test_bad_values_are_refused_in_open_dentals_words(name: str, raw: str, message: str) -> None:
    params = Params([(name, raw)], takes=[name])
    read = {"PatNum": params.int_, "showArchived": params.switch, "Birthdate": params.date_}[name]
    with pytest.raises(Invalid) as caught:
        read(name)
    assert caught.value.fields == {name: message}


def test_formats_are_the_field_maps() -> None:
    office = CodecContext(tz=ZoneInfo("America/Los_Angeles"))
    params = Params(
        [
            ("DateTStamp", "2021-02-07 03:20:00"),
            ("Birthdate", "1976-05-24"),
            ("Since", "0001-01-01 00:00:00"),
        ],
        office,
        takes=["DateTStamp", "Birthdate", "Since"],
    )
    assert params.timestamp("DateTStamp") == datetime(2021, 2, 7, 11, 20, tzinfo=UTC)
    assert params.date_("Birthdate") == date(1976, 5, 24)
    assert params.timestamp("Since") is None  # Open Dental's empty date-time: no bound


def test_code_tables_and_switches() -> None:
    params = Params(
        [("TaskStatus", "Done"), ("hideInactive", "TRUE")], takes=["TaskStatus", "hideInactive"]
    )
    assert params.enum("TaskStatus", STATUSES) is TaskStatus.done
    assert params.switch("hideInactive") is True
    assert params.switch("showArchived") is False
    with pytest.raises(Invalid, match="TaskStatus must be one of"):
        Params([("TaskStatus", "done")], takes=["TaskStatus"]).enum("TaskStatus", STATUSES)


async def test_an_endpoint_refuses_a_parameter_it_does_not_take(od: httpx.AsyncClient) -> None:
    for path in ("/commlogs/2", "/commlogs", "/tasks", "/procedurelogs/179", "/patients/Simple"):
        r = await od.get(path, params={"Bogus": "1"})
        assert (r.status_code, r.json()) == (400, "Invalid query parameter: Bogus."), path
