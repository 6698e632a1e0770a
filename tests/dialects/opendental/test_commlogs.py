"""Open Dental Commlogs (seed 000): the documented examples, then every rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.dialects.opendental.examples import check_example
from tests.support import examples

EXAMPLES = examples("opendental/commlogs")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "CommlogNum")


async def test_post_then_get_round_trip(od: httpx.AsyncClient) -> None:
    body = {
        "PatNum": 15,
        "commType": "Insurance",
        "CommDateTime": "2024-03-01 08:30:00",
        "Mode_": "Email and Text",
        "SentOrReceived": "Neither",
        "Note": "Sent EOB",
    }
    created = (await od.post("/commlogs", json=body)).json()
    again = (await od.get(f"/commlogs/{created['CommlogNum']}")).json()
    assert again == created
    for key, value in body.items():
        assert again[key] == value
    assert again["CommType"] == "236"


async def test_defaults(od: httpx.AsyncClient) -> None:
    r = await od.post("/commlogs", json={"PatNum": 15, "Note": "n"})
    got = r.json()
    assert (got["Mode_"], got["SentOrReceived"], got["commType"]) == ("Phone", "Sent", "Misc")
    # "CommDateTime ... Default now": the moment of the request, within a second of entry.
    fmt = "%Y-%m-%d %H:%M:%S"
    when = datetime.strptime(got["CommDateTime"], fmt)
    entered = datetime.strptime(got["DateTEntry"], fmt)
    assert abs((entered - when).total_seconds()) <= 1


async def test_commtype_name_wins_over_number(od: httpx.AsyncClient) -> None:
    r = await od.post(
        "/commlogs", json={"PatNum": 15, "Note": "n", "CommType": 239, "commType": "Recall"}
    )
    assert r.status_code == 201
    assert (r.json()["CommType"], r.json()["commType"]) == ("238", "Recall")


async def test_commtype_by_number(od: httpx.AsyncClient) -> None:
    r = await od.post("/commlogs", json={"PatNum": 15, "Note": "n", "CommType": 236})
    assert r.json()["commType"] == "Insurance"


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ({"Note": "n"}, 400, "PatNum"),
        ({"PatNum": 15}, 400, "Note"),
        ({"PatNum": "abc", "Note": "n"}, 400, "PatNum"),
        ({"PatNum": 15, "Note": 5}, 400, "Note"),
        ({"PatNum": 15, "Note": "n", "Mode_": "Fax"}, 400, "Mode_"),
        ({"PatNum": 15, "Note": "n", "SentOrReceived": "Both"}, 400, "SentOrReceived"),
        ({"PatNum": 15, "Note": "n", "CommDateTime": "2021-02-30 10:00:00"}, 400, "CommDateTime"),
        ({"PatNum": 15, "Note": "n", "CommDateTime": "2021-02-07"}, 400, "CommDateTime"),
        ({"PatNum": 15, "Note": "n", "Bogus": 1}, 400, "Bogus"),
        ({"PatNum": 9999, "Note": "n"}, 404, "Patient"),
        ({"PatNum": 15, "Note": "n", "CommType": 9999}, 404, "CommType"),
        ({"PatNum": 15, "Note": "n", "commType": "Nope"}, 404, "CommType"),
        ({"PatNum": 15, "Note": "n", "CommType": 148}, 404, "CommType"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, body: dict[str, Any], status: int, names: str
) -> None:
    before = (await od.get("/commlogs?PatNum=15")).json()
    r = await od.post("/commlogs", json=body)
    assert r.status_code == status, r.text
    assert names in r.json()
    assert (await od.get("/commlogs?PatNum=15")).json() == before


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b"", b'"text"'], ids=["malformed", "list", "empty", "string"]
)
async def test_malformed_bodies(od: httpx.AsyncClient, content: bytes) -> None:
    r = await od.post("/commlogs", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert isinstance(r.json(), str)


async def test_content_type_required(od: httpx.AsyncClient) -> None:
    r = await od.post("/commlogs", content=b'{"PatNum":15,"Note":"n"}')
    assert r.status_code == 400


async def test_put_changes_only_note_and_clears_signature(od: httpx.AsyncClient, store) -> None:  # type: ignore[no-untyped-def]
    before = (await od.get("/commlogs/2")).json()
    r = await od.put("/commlogs/2", json={"Note": "updated"})
    assert r.status_code == 200
    after = r.json()
    assert after["Note"] == "updated"
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"Note", "DateTStamp"}


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/commlogs/9999", {"Note": "x"}, 404),
        ("/commlogs/abc", {"Note": "x"}, 400),
        ("/commlogs/2", {"Note": 1}, 400),
        ("/commlogs/2", {"Mode_": "Text"}, 400),
        ("/commlogs/2", {"CommlogNum": 3}, 400),
    ],
)
async def test_bad_put(od: httpx.AsyncClient, path: str, body: dict[str, Any], status: int) -> None:
    before = (await od.get("/commlogs/2")).json()
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert (await od.get("/commlogs/2")).json() == before


async def test_get_many_filters(od: httpx.AsyncClient) -> None:
    everything = (await od.get("/commlogs")).json()
    assert [c["CommlogNum"] for c in everything] == [2, 11, 14]
    since = (await od.get("/commlogs", params={"DateTStamp": "2021-02-07 03:20:00"})).json()
    assert [c["CommlogNum"] for c in since] == [2, 14]
    assert (await od.get("/commlogs", params={"PatNum": 30})).json()[0]["CommlogNum"] == 14


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"PatNum": 9999}, 404),
        ({"PatNum": "x"}, 400),
        ({"DateTStamp": "yesterday"}, 400),
        ({"Unknown": "1"}, 400),
        ({"Offset": "-1"}, 400),
    ],
)
async def test_get_many_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int
) -> None:
    r = await od.get("/commlogs", params=params)
    assert r.status_code == status
    assert isinstance(r.json(), str)


async def test_date_format_strings(od: httpx.AsyncClient) -> None:
    r = await od.get("/commlogs/2", params={"DateTimeFormatString": "dd/MM/yyyy HH:mm:ss zzz"})
    assert r.json()["CommDateTime"] == "07/02/2021 03:25:29 -08:00"


async def test_paging_past_one_hundred(od: httpx.AsyncClient) -> None:
    for i in range(120):
        assert (await od.post("/commlogs", json={"PatNum": 48, "Note": f"n{i}"})).status_code == 201
    first = (await od.get("/commlogs", params={"PatNum": 48})).json()
    second = (await od.get("/commlogs", params={"PatNum": 48, "Offset": 100})).json()
    assert len(first) == 100 and len(second) == 20
    nums = [c["CommlogNum"] for c in first + second]
    assert nums == sorted(set(nums))
    limited = (await od.get("/commlogs", params={"PatNum": 48, "Limit": 500})).json()
    assert len(limited) == 100
