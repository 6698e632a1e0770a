"""Open Dental Appointments (dialects/opendental/appointments.py): the documented
examples sent to the running app, then GET, POST and PUT rule by rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import Appointment, Procedure
from tests.dialects.opendental.examples import check_example
from tests.support import examples, stored

EXAMPLES = examples("opendental/appointments")
ZONE = ZoneInfo("America/Los_Angeles")


def freeze(monkeypatch: pytest.MonkeyPatch, local: str) -> None:
    """The gateway's clock at office-local ``local`` ("yyyy-MM-dd HH:mm:ss")."""
    at = datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZONE)
    monkeypatch.setattr("gateway.dispatch.utcnow", lambda: at)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, name: str, example: dict[str, Any]
) -> None:
    if "now" in example:
        freeze(monkeypatch, example["now"])
    r = await check_example(od, example)
    if example["response"]["status"] == 201 and "AptNum" in r.json():
        assert r.headers["location"].endswith(f"/appointments/{r.json()['AptNum']}")


async def apt(od: httpx.AsyncClient, num: int) -> dict[str, Any]:
    r = await od.get(f"/appointments/{num}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_post_then_get_round_trip(od: httpx.AsyncClient) -> None:
    body = {
        "PatNum": 15,
        "Op": 18,
        "AptDateTime": "2030-05-06 10:00:00",
        "AptStatus": "Scheduled",
        "Pattern": "/XXXX/",
        "PatternSecondary": "/////X",
        "Confirmed": 21,
        "Note": "Crown prep",
        "ProvNum": 2,
        "ProvHyg": 4,
        "ClinicNum": 0,
        "IsHygiene": "true",
        "IsNewPatient": "false",
        "Priority": "ASAP",
        "AppointmentTypeNum": 8,  # its pattern and colour yield to the ones sent
        "colorOverride": "10,20,30",
        "DateTimeArrived": "09:55:00",
    }
    r = await od.post("/appointments", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    again = await apt(od, created["AptNum"])
    assert {k: v for k, v in again.items() if k != "serverDateTime"} == created
    for key, value in body.items():
        if key != "DateTimeArrived":
            assert again[key] == value, key
    assert again["DateTimeArrived"] == "2030-05-06 09:55:00"
    assert again["ProcDescript"] == "PerEx, 2BW, Pano"  # type 8's procedures
    assert again["confirmed"] == "Appointment Confirmed"
    assert again["provAbbr"] == "DOC2"


async def test_post_defaults(od: httpx.AsyncClient) -> None:
    r = await od.post(
        "/appointments", json={"PatNum": 23, "Op": 4, "AptDateTime": "2030-05-06 10:00:00"}
    )
    got = r.json()
    assert (got["AptStatus"], got["Pattern"], got["PatternSecondary"]) == (
        "Scheduled",
        "/XX/",
        "////",
    )
    assert (got["Confirmed"], got["confirmed"], got["Priority"]) == (19, "Not Called", "Normal")
    # Patient 23's primary provider is 2; operatory 4 is Northside's (clinic 2).
    assert (got["ProvNum"], got["ClinicNum"], got["Op"]) == (2, 2, 4)


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({"Op": 1, "AptDateTime": "2030-05-06 10:00:00"}, 400, "PatNum"),
        ({"PatNum": 15, "AptDateTime": "2030-05-06 10:00:00"}, 400, "Op"),
        ({"PatNum": 15, "Op": 1}, 400, "AptDateTime"),
        ({"PatNum": 9999, "Op": 1, "AptDateTime": "2030-05-06 10:00:00"}, 404, "Patient"),
        ({"PatNum": 15, "Op": 999, "AptDateTime": "2030-05-06 10:00:00"}, 404, "Op"),
        ({"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06"}, 400, "AptDateTime"),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "AptStatus": "Broken"},
            400,
            "AptStatus",
        ),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "Pattern": "/x/"},
            400,
            "Pattern",
        ),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "Pattern": ""},
            400,
            "Pattern",
        ),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "PatternSecondary": "/"},
            400,
            "PatternSecondary",
        ),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "Confirmed": 92},
            404,
            "Confirmed",
        ),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "colorOverride": "1,2"},
            400,
            "colorOverride",
        ),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "UnschedStatus": 92},
            400,
            "UnschedStatus",
        ),
        ({"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "Bogus": 1}, 400, "Bogus"),
        (
            {"PatNum": 15, "Op": 1, "AptDateTime": "2030-05-06 10:00:00", "AppointmentTypeNum": 7},
            404,
            "AppointmentType not found.",
        ),
        # Appointment 18 holds operatory 3 from 08:30 to 09:10.
        ({"PatNum": 15, "Op": 3, "AptDateTime": "2020-07-31 08:45:00"}, 400, "overlaps"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int, name: str
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.post("/appointments", json=body)
    assert r.status_code == status, r.text
    assert name in r.json()
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before


async def test_other_operatories_may_be_double_booked(od: httpx.AsyncClient) -> None:
    r = await od.post(
        "/appointments", json={"PatNum": 15, "Op": 2, "AptDateTime": "2020-07-31 08:30:00"}
    )
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"AptStatus": "Nope"}, 400),
        ({"PatNum": 15}, 400),
        ({"Op": 999}, 404),
        ({"ProvNum": 999}, 404),
        ({"SecUserNumEntry": 1}, 400),
        ({"AptDateTime": "2020-07-31 09:00:00", "Op": 2}, 400),  # onto appointment 4
        ({"AppointmentTypeNum": 7}, 404),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.put("/appointments/18", json=body)
    assert r.status_code == status, r.text
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before


async def test_put_unknown_or_malformed_number(od: httpx.AsyncClient) -> None:
    assert (await od.put("/appointments/9999", json={"Note": "x"})).status_code == 404
    assert (await od.put("/appointments/abc", json={"Note": "x"})).status_code == 400
    r = await od.get("/appointments/9999")
    assert (r.status_code, r.json()) == (404, "Appointment not found.")


async def test_put_sent_back_as_shown_changes_nothing(od: httpx.AsyncClient, store: Any) -> None:
    shown = await apt(od, 18)
    writable = [
        "AptStatus", "Pattern", "Confirmed", "Op", "Note", "ProvNum", "ProvHyg", "AptDateTime",
        "IsNewPatient", "ClinicNum", "IsHygiene", "colorOverride", "AppointmentTypeNum",
        "Priority", "PatternSecondary",
    ]  # fmt: skip
    before = next(r for r in await stored(store, Appointment) if r.num == 18)
    r = await od.put("/appointments/18", json={k: shown[k] for k in writable})
    assert r.status_code == 200, r.text
    after = next(r for r in await stored(store, Appointment) if r.num == 18)
    keep = {"version", "seq", "updated_at"}
    assert after.model_dump(exclude=keep) == before.model_dump(exclude=keep)


async def test_pattern_sets_the_length(od: httpx.AsyncClient) -> None:
    r = await od.put("/appointments/18", json={"Pattern": "/XXXXXX/"})
    assert (r.json()["Pattern"], r.json()["PatternSecondary"]) == ("/XXXXXX/", "////////")
    long = "X" * 130
    r = await od.put("/appointments/18", json={"Pattern": long})
    assert r.json()["Pattern"] == "X" * 108  # trimmed to nine hours


async def test_get_many_filters(od: httpx.AsyncClient) -> None:
    async def nums(**params: Any) -> list[int]:
        r = await od.get("/appointments", params=params)
        assert r.status_code == 200, r.text
        return [a["AptNum"] for a in r.json()]

    assert await nums(PatNum=21) == [3, 34]
    assert await nums(AptStatus="Complete") == [3, 202]  # 202: DrChrono's Complete
    assert await nums(AptStatus="Planned") == [413]
    assert await nums(Op=18) == [40, 41]
    assert await nums(Op=7) == [202]  # DrChrono's office 1, exam room 1
    assert await nums(date="2022-03-30") == [41, 42, 43]
    assert await nums(dateStart="2022-03-29", dateEnd="2022-03-30") == [40, 41, 42, 43]
    assert await nums(ClinicNum=2) == [35, 1023]
    assert 18 in await nums(ClinicNum=0) and 35 not in await nums(ClinicNum=0)
    assert await nums(AppointmentTypeNum=1) == [3, 35]
    since = await nums(DateTStamp="2022-05-01 00:00:00")
    assert 413 in since and 5 not in since and 18 not in since


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"PatNum": 9999}, 404),
        ({"Op": 999}, 404),
        ({"PatNum": "x"}, 400),
        ({"AptStatus": "Nope"}, 400),
        ({"date": "2022-13-01"}, 400),
        ({"date": "2022-03-30", "dateStart": "2022-03-01"}, 400),
        ({"dateStart": "2022-03-30", "dateEnd": "2022-03-01"}, 400),
        ({"DateTStamp": "yesterday"}, 400),
        ({"Bogus": 1}, 400),
        ({"Offset": -1}, 400),
    ],
)
async def test_bad_get_many(od: httpx.AsyncClient, params: dict[str, Any], status: int) -> None:
    r = await od.get("/appointments", params=params)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str)


async def test_paging_past_100(od: httpx.AsyncClient) -> None:
    for i in range(105):
        day = f"2031-01-{1 + i % 28:02d} {8 + i // 28:02d}:00:00"
        r = await od.post("/appointments", json={"PatNum": 15, "Op": 1, "AptDateTime": day})
        assert r.status_code == 201, r.text
    first = (await od.get("/appointments")).json()
    rest = (await od.get("/appointments", params={"Offset": 100})).json()
    assert len(first) == 100
    total = {a["AptNum"] for a in first} | {a["AptNum"] for a in rest}
    assert len(total) == len(first) + len(rest) > 105


async def test_asap_filters(od: httpx.AsyncClient) -> None:
    await od.put("/appointments/35", json={"Priority": "ASAP"})
    await od.put("/appointments/18", json={"Priority": "ASAP"})
    got = [a["AptNum"] for a in (await od.get("/appointments/ASAP")).json()]
    assert got == [18, 35]
    assert [a["AptNum"] for a in (await od.get("/appointments/ASAP?ClinicNum=2")).json()] == [35]
    assert [a["AptNum"] for a in (await od.get("/appointments/ASAP?ProvNum=1")).json()] == [18]
    by_status = (await od.get("/appointments", params={"AptStatus": "ASAP"})).json()
    assert [a["AptNum"] for a in by_status] == [18, 35]
