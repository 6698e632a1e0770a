"""DrChrono list pages (seed 004 "Responses", "Verbose Parameter"): next/previous
links a client follows to the end, page sizes."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from dialects.drchrono.paging import MAX_PAGE_SIZE

# -- paging -------------------------------------------------------------------


async def test_client_follows_next_to_the_end(drc: httpx.AsyncClient) -> None:
    """A client loop: GET the first page, then every ``next`` as it is."""
    everything = (await drc.get("/api/patients", params={"page_size": 1000})).json()["results"]
    assert len(everything) > 7
    url: str | None = "/api/patients?page_size=3"
    seen: list[int] = []
    pages = 0
    while url:
        body = (await drc.get(url)).json()
        seen += [p["id"] for p in body["results"]]
        pages += 1
        if body["next"]:
            assert body["next"].startswith("http://testserver/drchrono/api/patients?")
        url = body["next"]
    assert pages > 2
    assert seen == [p["id"] for p in everything]


async def test_links_survive_a_client_repeating_its_parameters(drc: httpx.AsyncClient) -> None:
    """``requests.get(next, params=original)`` appends the original parameters
    (page included) after the link's own: the link's values count."""
    original = {"page_size": "2", "gender": "Male", "page": "1"}
    url: str | None = "/api/patients?" + urlencode(original)
    seen: list[int] = []
    while url:
        body = (await drc.get(url)).json()
        seen += [p["id"] for p in body["results"]]
        if body["next"]:  # links do not grow: every parameter once
            assert sorted(k for k, _ in parse_qsl(urlsplit(body["next"]).query)) == [
                "gender",
                "page",
                "page_size",
            ]
        url = f"{body['next']}&{urlencode(original)}" if body["next"] else None
    males = (await drc.get("/api/patients", params={"gender": "Male"})).json()["results"]
    assert len(males) > 4
    assert seen == [p["id"] for p in males]


async def test_previous_and_next(drc: httpx.AsyncClient) -> None:
    body = (await drc.get("/api/patients", params={"page_size": 2, "page": 2})).json()
    prev = dict(parse_qsl(urlsplit(body["previous"]).query))
    nxt = dict(parse_qsl(urlsplit(body["next"]).query))
    assert (prev["page"], nxt["page"], prev["page_size"]) == ("1", "3", "2")
    first = (await drc.get("/api/patients", params={"page_size": 2})).json()
    assert first["previous"] is None


async def test_page_beyond_the_end_and_bad_page(drc: httpx.AsyncClient) -> None:
    r = await drc.get("/api/patients", params={"page": 999})
    assert r.status_code == 404 and r.json() == {"detail": "Invalid page."}
    r = await drc.get("/api/patients", params={"page": "x"})
    assert r.status_code == 400 and "page" in r.json()


async def test_page_sizes(drc: httpx.AsyncClient, store: Any) -> None:
    from canonical import Patient

    backend = store.for_tenant(store.get_tenant("demo"))
    for i in range(300):
        await backend.create(Patient(first_name=f"P{i}", last_name="Bulk"))
    body = (await drc.get("/api/patients")).json()
    assert len(body["results"]) == 250 and body["next"]
    body = (await drc.get("/api/patients", params={"verbose": "true"})).json()
    assert len(body["results"]) == 50
    body = (await drc.get("/api/patients", params={"verbose": "true", "page_size": 200})).json()
    assert len(body["results"]) == 50
    body = (await drc.get("/api/patients", params={"page_size": MAX_PAGE_SIZE + 50})).json()
    assert len(body["results"]) > 250 and body["next"] is None
