"""Open Dental list paging (apiimplementation.md): ``Offset`` and ``Limit`` (at
most 100) in, a plain JSON list out."""

from __future__ import annotations

import httpx
import pytest

from canonical import Invalid
from dialects.opendental.paging import PAGE_LIMIT, OffsetPaging
from dialects.opendental.params import Params


@pytest.mark.parametrize(
    ("query", "window"),
    [
        ([], (0, 100)),
        ([("Offset", "5")], (5, 100)),
        ([("Limit", "3")], (0, 3)),
        ([("Limit", "500")], (0, 100)),
        ([("Limit", "0")], (0, 100)),
        ([("Offset", ""), ("Limit", "")], (0, 100)),
    ],
)
def test_window(query: list[tuple[str, str]], window: tuple[int, int]) -> None:
    assert OffsetPaging().window(Params(query)) == window
    assert PAGE_LIMIT == 100


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ([("Offset", "-1")], "Offset must not be negative."),
        ([("Limit", "ten")], "Limit must be a whole number."),
        ([("Offset", "1.5")], "Offset must be a whole number."),
    ],
)
def test_bad_window(query: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(Invalid) as caught:
        OffsetPaging().window(Params(query))
    assert list(caught.value.fields.values()) == [message]


async def test_a_client_pages_to_a_short_list(od: httpx.AsyncClient) -> None:
    everything = (await od.get("/procedurelogs")).json()
    assert isinstance(everything, list) and len(everything) > 4
    seen: list[int] = []
    offset = 0
    while True:
        page = (await od.get("/procedurelogs", params={"Offset": offset, "Limit": 4})).json()
        seen += [p["ProcNum"] for p in page]
        if len(page) < 4:
            break
        offset += 4
    assert seen == [p["ProcNum"] for p in everything]


async def test_a_bad_window_is_refused_before_any_filter(od: httpx.AsyncClient) -> None:
    # PatNum 9999 names no patient (404), but the window is checked first.
    r = await od.get("/commlogs", params={"PatNum": 9999, "Offset": "-1"})
    assert (r.status_code, r.json()) == (400, "Offset must not be negative.")
