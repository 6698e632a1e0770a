"""Every scenario is well formed, and its gateway requests succeed on the demo tenant."""

from __future__ import annotations

import httpx
import pytest

from bench.scenarios import SCENARIOS, Scenario, Target, scenario_named


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
