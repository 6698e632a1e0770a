"""Org API patient listings (seed 003): page/page_size list, cursor list,
typeahead search and counts by location: filters, sorting, bounds, errors."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from canonical import Patient, Ref, TagAssignment, TagDefinition
from gateway.backends.store import Store
from gateway.backends.store.schema import table_for
from tests.dialects.orgapi.schemas import assert_schema
from tests.dialects.orgapi.support import (
    CLINIC_1,
    CLINIC_2,
    NOWHERE,
    PROVIDER_1,
    PROVIDER_2,
    backend,
    make,
)

SORTS = ["last_name", "first_name", "date_of_birth", "chart_number", "created_at", "status"]


async def everything(org: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await org.get("patients", params={"page_size": 200, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    items: list[dict[str, Any]] = body["items"]
    return items


async def walk(org: httpx.AsyncClient, first: int, **params: Any) -> list[dict[str, Any]]:
    """Every page of the cursor list, checking page_info along the way."""
    out: list[dict[str, Any]] = []
    after = None
    while True:
        q = {"first": first, **params, **({"after": after} if after else {})}
        r = await org.get("patients/cursor", params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        assert_schema(body, "patient_cursor_page.json")
        info = body["page_info"]
        assert len(body["data"]) <= first
        assert info["has_previous_page"] is (after is not None)
        out += body["data"]
        if not info["has_next_page"]:
            return out
        assert len(body["data"]) == first
        after = info["end_cursor"]


# -- page/page_size list --------------------------------------------------------------------


async def test_list_defaults(org: httpx.AsyncClient, store: Store) -> None:
    r = await org.get("patients")
    body = r.json()
    assert_schema(body, "patient_page.json")
    assert (body["page"], body["page_size"]) == (1, 50)
    assert body["total"] == await backend(store).count(Patient, __import__("canonical").Query())
    names = [(i["last_name"]) for i in body["items"]]
    assert names == sorted(names)


async def test_pages_partition_the_list(org: httpx.AsyncClient) -> None:
    full = [i["id"] for i in await everything(org)]
    pages: list[str] = []
    for page in range(1, len(full) // 7 + 3):
        body = (await org.get("patients", params={"page": page, "page_size": 7})).json()
        assert body["total"] == len(full) and body["page"] == page
        pages += [i["id"] for i in body["items"]]
    assert pages == full


@pytest.mark.parametrize(
    ("params", "loc", "kind"),
    [
        ({"page": 0}, ["query", "page"], "greater_than_equal"),
        ({"page": "x"}, ["query", "page"], "int_parsing"),
        ({"page_size": 0}, ["query", "page_size"], "greater_than_equal"),
        ({"page_size": 201}, ["query", "page_size"], "less_than_equal"),
        ({"page_size": "1.5"}, ["query", "page_size"], "int_parsing"),
        ({"sort_by": "ssn"}, ["query", "sort_by"], "enum"),
        ({"sort_by": "updated_at"}, ["query", "sort_by"], "enum"),
        ({"sort_dir": "up"}, ["query", "sort_dir"], "enum"),
        ({"status": "sleeping"}, ["query", "status"], "enum"),
        ({"dob_from": "2023-02-30"}, ["query", "dob_from"], "date_parsing"),
        ({"dob_to": "yesterday"}, ["query", "dob_to"], "date_parsing"),
    ],
)
async def test_list_bad_parameters_are_422(
    org: httpx.AsyncClient, params: dict[str, Any], loc: list[str], kind: str
) -> None:
    paths = ["patients"]
    if not {"page", "page_size"} & set(params) and params.get("sort_by") != "updated_at":
        paths.append("patients/cursor")  # the cursor list has no page parameters
    for path in paths:
        r = await org.get(path, params=params)
        assert r.status_code == 422, (path, r.text)
        assert_schema(r.json(), "validation_error.json")
        assert [(e["loc"], e["type"]) for e in r.json()["detail"]] == [(loc, kind)]


@pytest.mark.parametrize("field", SORTS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_list_sorting(org: httpx.AsyncClient, field: str, direction: str) -> None:
    await make(org, last_name="Zed", chart_number="Z1", date_of_birth="2001-01-01")
    await make(org, last_name="Abe", chart_number="A1", status="prospective")
    items = await everything(org, sort_by=field, sort_dir=direction)
    keys = [i[field] for i in items if i[field] is not None]
    assert keys == sorted(keys, reverse=direction == "desc")


@pytest.mark.parametrize(
    ("params", "expect"),
    [
        ({"search": "zanzibar"}, {"A"}),
        ({"search": "ZANZ"}, {"A"}),
        ({"search": "quux-42"}, {"B"}),
        ({"search": "zed@zanzibar.example"}, {"A"}),
        ({"search": "5035550142"}, {"B"}),
        ({"search": "555-0142"}, {"B"}),
        ({"search": "1961-07-04"}, {"B"}),
        ({"search": "07/04/1961"}, {"B"}),
        ({"search": "Zanzibar Yolanda"}, {"A"}),
        ({"search": "Zanzibar Nobody"}, set()),
        ({"primary_provider_uuid": PROVIDER_2}, {"B"}),
        ({"location_uuid": CLINIC_2}, {"A"}),
        ({"dob_from": "1961-07-04", "dob_to": "1961-07-04"}, {"B"}),
        ({"dob_from": "1961-07-05", "dob_to": "1999-12-31"}, {"A"}),
        ({"status": "prospective"}, {"B"}),
    ],
)
async def test_list_filters(
    org: httpx.AsyncClient, params: dict[str, Any], expect: set[str]
) -> None:
    a = await make(
        org,
        first_name="Yolanda",
        last_name="Zanzibar",
        email="zed@zanzibar.example",
        location_uuid=CLINIC_2,
        date_of_birth="1975-03-03",
        primary_provider_uuid=PROVIDER_1,
    )
    b = await make(
        org,
        first_name="Quentin",
        last_name="Quux",
        chart_number="QUUX-42",
        mobile_phone="(503) 555-0142",
        date_of_birth="1961-07-04",
        primary_provider_uuid=PROVIDER_2,
        status="prospective",
    )
    mine = {a["id"]: "A", b["id"]: "B"}
    for path in ("patients", "patients/cursor"):
        r = await org.get(
            path, params={**params, "page_size" if path == "patients" else "first": 200}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        rows = body["items"] if path == "patients" else body["data"]
        assert {mine[i["id"]] for i in rows if i["id"] in mine} == expect


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("primary_provider_uuid", "Primary provider not found."),
        ("location_uuid", "Location not found."),
        ("tag_definition_uuid", "Tag definition not found."),
    ],
)
async def test_list_unknown_reference_filter_is_404(
    org: httpx.AsyncClient, param: str, message: str
) -> None:
    for value in (NOWHERE, "not-a-uuid"):
        for path in ("patients", "patients/cursor"):
            r = await org.get(path, params={param: value})
            assert r.status_code == 404
            assert r.json() == {"detail": message}


async def test_tag_filter(org: httpx.AsyncClient, store: Store) -> None:
    b = backend(store)
    tag = await b.create(TagDefinition(name="Orthodontic lead"))
    tagged = await make(org, last_name="Tagged")
    await make(org, last_name="Untagged")
    rec = await b.get(Patient, uuid=__import__("uuid").UUID(tagged["id"]))
    await b.create(TagAssignment(patient=rec.ref(), tag_definition=Ref(uuid=tag.uuid, num=tag.num)))
    ids = [i["id"] for i in await everything(org, tag_definition_uuid=str(tag.uuid))]
    assert ids == [tagged["id"]]
    empty = await b.create(TagDefinition(name="Nobody has it"))
    assert await everything(org, tag_definition_uuid=str(empty.uuid)) == []


# -- cursor list ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "direction"),
    [
        ("last_name", "asc"),
        ("first_name", "desc"),
        ("date_of_birth", "asc"),
        ("date_of_birth", "desc"),
        ("chart_number", "desc"),
        ("created_at", "asc"),
        ("updated_at", "desc"),
        ("status", "asc"),
    ],
)
async def test_cursor_walk_matches_the_full_order(
    org: httpx.AsyncClient, field: str, direction: str
) -> None:
    for _ in range(3):  # ties on every sort field, and some patients without a birth date
        await make(org, first_name="Twin", last_name="Same", chart_number="", status="active")
    walked = await walk(org, 7, sort_by=field, sort_dir=direction)
    ids = [p["id"] for p in walked]
    assert len(ids) == len(set(ids))
    full = await everything(org, sort_by="last_name")
    assert sorted(ids) == sorted(p["id"] for p in full)
    values = [p[field] for p in walked]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=direction == "desc")
    if field == "date_of_birth":  # undated patients come last
        assert all(v is None for v in values[len(present) :])


async def test_cursor_default_sort_is_first_name(org: httpx.AsyncClient) -> None:
    body = (await org.get("patients/cursor", params={"first": 200})).json()
    names = [p["first_name"] for p in body["data"]]
    assert names == sorted(names)
    assert body["page_info"]["has_next_page"] is False


async def test_cursor_page_past_the_end(org: httpx.AsyncClient) -> None:
    r = await org.get("patients/cursor", params={"search": "no-such-patient-anywhere"})
    assert r.json() == {
        "data": [],
        "page_info": {
            "has_next_page": False,
            "has_previous_page": False,
            "start_cursor": None,
            "end_cursor": None,
        },
    }


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_malformed_cursors_are_422(org: httpx.AsyncClient) -> None:
    first = (await org.get("patients/cursor", params={"first": 2})).json()
    good = first["page_info"]["end_cursor"]
    bad = [
        "!!!",
        "not-base64-json",
        _b64(b"{}"),
        _b64(b'["first_name", 0, 0]'),
        _b64(b'["first_name", 0, 0, "A", "x"]'),
        _b64(b'["first_name", 0, 7, "A", 3]'),
        _b64(b'["ssn", 0, 0, "A", 3]'),
        _b64(b'["date_of_birth", 0, 0, "2023-02-30", 3]'),
        _b64(b'["date_of_birth", 0, 0, null, 3]'),
        _b64(b'["first_name", 0, 1, 3]'),
    ]
    for cursor in bad:
        r = await org.get("patients/cursor", params={"after": cursor})
        assert r.status_code == 422, cursor
        assert r.json()["detail"][0]["loc"] == ["query", "after"]
    # A cursor made for another order is refused rather than misread.
    for params in ({"sort_by": "last_name"}, {"sort_dir": "desc"}):
        r = await org.get("patients/cursor", params={"after": good, **params})
        assert r.status_code == 422


@pytest.mark.parametrize(("first", "kind"), [(0, "greater_than_equal"), (201, "less_than_equal")])
async def test_cursor_first_bounds(org: httpx.AsyncClient, first: int, kind: str) -> None:
    r = await org.get("patients/cursor", params={"first": first})
    assert r.status_code == 422
    assert r.json()["detail"][0] == {
        "loc": ["query", "first"],
        "msg": r.json()["detail"][0]["msg"],
        "type": kind,
    }


def test_cursor_queries_use_the_sort_indexes(store: Store) -> None:
    """The keyset seek runs on the (tenant, field, num) index, not a scan and sort."""
    from canonical import Order, Query
    from gateway.backends.store.rows import compile_where, keyset_clause, order_columns

    table = table_for(Patient)
    samples: dict[str, Any] = {
        "last_name": "M",
        "first_name": "M",
        "chart_number": "M",
        "date_of_birth": date(1980, 1, 1),
        "updated_at": datetime(2024, 1, 1, tzinfo=UTC),
    }
    for field, value in samples.items():
        query = Query(order=[Order(field), Order("num")], limit=50)
        cols = order_columns(Patient, query)
        stmt = (
            sa.select(table.c.doc)
            .where(*compile_where(Patient, "demo", query), keyset_clause(cols, (value, 10)))
            .order_by(*(c for c, _ in cols))
            .limit(50)
        )
        sql = str(stmt.compile(store.engine, compile_kwargs={"literal_binds": True}))
        with store.engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert f"ix_rec_patient_{field}_num" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


# -- typeahead search ---------------------------------------------------------------------


async def test_search_matches_names_and_chart_number(org: httpx.AsyncClient) -> None:
    a = await make(org, first_name="Theodora", last_name="Typeahead", preferred_name="Teddy")
    b = await make(org, first_name="Bo", last_name="Other", chart_number="TYPE-9")
    for q, expect in [
        ("typeahead", {a["id"]}),
        ("teddy", {a["id"]}),
        ("theo type", {a["id"]}),
        ("type", {a["id"], b["id"]}),
    ]:
        r = await org.get("patients/search", params={"q": q})
        assert r.status_code == 200
        body = r.json()
        assert_schema(body, "patient_summaries.json")
        assert {i["id"] for i in body["items"]} == expect
        assert body["total"] == len(expect)


async def test_search_limit_and_total(org: httpx.AsyncClient) -> None:
    for _ in range(4):
        await make(org, last_name="Limitless")
    body = (await org.get("patients/search", params={"q": "limitless", "limit": 2})).json()
    assert (len(body["items"]), body["total"]) == (2, 4)


@pytest.mark.parametrize("q", ["", "   "])
async def test_empty_search_returns_nothing(org: httpx.AsyncClient, q: str) -> None:
    assert (await org.get("patients/search", params={"q": q})).json() == {"items": [], "total": 0}
    assert (await org.get("patients/search")).json() == {"items": [], "total": 0}


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
async def test_search_limit_bounds(org: httpx.AsyncClient, limit: str) -> None:
    r = await org.get("patients/search", params={"q": "a", "limit": limit})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "limit"]


# -- counts by location ---------------------------------------------------------------------


async def test_counts_by_location(org: httpx.AsyncClient) -> None:
    before = (await org.get("patients/counts/by-location")).json()
    assert_schema(before, "patient_counts_by_location.json")
    assert before["status_set"] == ["active"] and before["group_by"] == "location"
    await make(org, location_uuid=CLINIC_1, date_first_visit="2024-05-01")
    await make(org, location_uuid=CLINIC_1, date_first_visit="2024-06-01", status="prospective")
    await make(org, date_first_visit="2024-05-02")
    after = (await org.get("patients/counts/by-location")).json()

    def count(body: dict[str, Any], clinic: str) -> int:
        return next(i["count"] for i in body["items"] if i["location"]["id"] == clinic)

    assert count(after, CLINIC_1) == count(before, CLINIC_1) + 1
    assert after["excluded_count"] == before["excluded_count"] + 1
    assert after["total"] == sum(i["count"] for i in after["items"]) + after["excluded_count"]
    windowed = (
        await org.get(
            "patients/counts/by-location",
            params=[
                ("date_from", "2024-05-01"),
                ("date_to", "2024-06-02"),
                ("status_set", "active"),
                ("status_set", "prospective"),
            ],
        )
    ).json()
    assert (windowed["date_from"], windowed["date_to"]) == ("2024-05-01", "2024-06-02")
    assert windowed["status_set"] == ["active", "prospective"]
    assert count(windowed, CLINIC_1) >= 2
    exclusive = (
        await org.get(
            "patients/counts/by-location",
            params={"date_from": "2024-05-01", "date_to": "2024-05-02"},
        )
    ).json()
    assert exclusive["total"] >= 1 and exclusive["excluded_count"] == exclusive["total"] - sum(
        i["count"] for i in exclusive["items"]
    )


@pytest.mark.parametrize(
    "params", [{"status_set": "asleep"}, {"date_from": "2024-02-30"}, {"date_to": "soon"}]
)
async def test_counts_bad_parameters(org: httpx.AsyncClient, params: dict[str, str]) -> None:
    r = await org.get("patients/counts/by-location", params=params)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "query"
