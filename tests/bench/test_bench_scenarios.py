"""Every scenario is well formed, and its gateway requests succeed on the demo tenant."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.types import ASGIApp

from bench.scenarios import (
    ORG_AUTH,
    ORG_PREFIX,
    SCENARIOS,
    Scenario,
    Target,
    scenario_named,
    walk_cursor,
)
from bench.seeds import many_patients
from gateway import Settings, create_app
from gateway.backends.store import Store


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_is_well_formed(name: str) -> None:
    s = SCENARIOS[name]
    labels = [t.label for t in s.targets]
    assert len(set(labels)) == len(labels)
    assert set(s.ratio) <= set(labels)
    if any(t.server == "bare" for t in s.targets):
        gateway_paths = {t.path for t in s.targets if t.server == "gateway"}
        assert {t.path for t in s.targets if t.server == "bare"} <= gateway_paths


@pytest.mark.parametrize("name", sorted(n for n, s in SCENARIOS.items() if s.seed is None))
async def test_scenario_requests_succeed_on_the_demo_tenant(
    name: str, client: httpx.AsyncClient
) -> None:
    for t in SCENARIOS[name].targets:
        r = await client.request(t.method, t.path, headers=dict(t.headers))
        assert r.status_code == t.status, r.text


def test_single_record_scenario_compares_the_same_request() -> None:
    s = scenario_named("od-commlog-get")
    assert s.ratio == ("gateway", "bare")
    assert s.goal == 0.70
    bare, gateway = s.target("bare"), s.target("gateway")
    assert bare.path == gateway.path == "/opendental/api/v1/commlogs/2"
    assert bare.headers == gateway.headers


def test_a_misspelt_scenario_names_the_closest() -> None:
    with pytest.raises(KeyError, match="did you mean 'od-commlog-get'"):
        scenario_named("od-comlog-get")


def test_a_located_target_gets_its_path_from_the_running_gateway() -> None:
    def deep_page(client: httpx.Client) -> str:
        cursor = client.get("/list").json()["next"]
        return f"/list?after={cursor}"

    scenario = Scenario(
        "deep",
        "first page vs a deep page",
        (Target("first", "gateway", "/list"), Target("deep", "gateway", "deep", locate=deep_page)),
        ratio=("deep", "first"),
    )
    gateway = httpx.MockTransport(lambda request: httpx.Response(200, json={"next": "abc"}))
    with httpx.Client(transport=gateway, base_url="http://t") as client:
        located = scenario.located(client)
    assert located.target("deep").path == "/list?after=abc"
    assert located.target("deep").locate is None
    assert located.target("first") == scenario.target("first")


def test_depth_scenarios_compare_a_deep_cursor_page_with_page_one() -> None:
    for name in ("org-cursor-first-name", "org-cursor-last-name", "org-cursor-date-of-birth-desc"):
        s = scenario_named(name)
        assert s.ratio == ("deep", "first")
        assert s.goal == pytest.approx(1 / 1.5, abs=0.01)
        assert s.seed is not None
        assert s.target("first").locate is None
        assert s.target("deep").locate is not None
        assert s.target("first").headers == s.target("deep").headers


class SyncASGI(httpx.BaseTransport):
    """A synchronous transport into an ASGI app (a locate takes a sync client)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport) as client:
                r = await client.request(request.method, str(request.url), headers=request.headers)
                return httpx.Response(r.status_code, headers=r.headers, content=r.content)

        return asyncio.run(send())


def test_walk_cursor_locates_the_page_after_the_given_row(store: Store) -> None:
    """Walking the real gateway's cursor list: the located page starts exactly at
    row ``rows + 1`` of the full listing, for the default sort and another."""
    asyncio.run(many_patients(store, 450))
    app = create_app(Settings(database_url=store.url, demo=False), store=store)
    auth = dict(ORG_AUTH)
    with httpx.Client(transport=SyncASGI(app), base_url="http://t") as client:
        for sort in ("sort_by=first_name&sort_dir=asc", "sort_by=date_of_birth&sort_dir=desc"):
            path = f"{ORG_PREFIX}/patients/cursor?{sort}"
            every: list[str] = []
            cursor = ""
            while True:
                body = client.get(f"{path}&first=200{cursor}", headers=auth).json()
                every += [p["id"] for p in body["data"]]
                if not body["page_info"]["has_next_page"]:
                    break
                cursor = f"&after={body['page_info']['end_cursor']}"
            deep = walk_cursor(path, ORG_AUTH, 401)(client)
            assert deep.startswith(path) and "&first=200&after=" in deep
            page = client.get(deep, headers=auth).json()["data"]
            assert [p["id"] for p in page] == every[401:601]
            with pytest.raises(ValueError, match="fewer than"):
                walk_cursor(path, ORG_AUTH, len(every))(client)


async def test_drchrono_page_scenario_answers_a_full_page(store: Store) -> None:
    s = scenario_named("drc-patients-250")
    assert s.seed is not None
    await s.seed(store)
    app = create_app(Settings(database_url=store.url, demo=False), store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        t = s.target("gateway")
        r = await client.get(t.path, headers=dict(t.headers))
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]) == 250
    assert r.json()["next"]
