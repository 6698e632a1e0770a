"""Org API referral attributions (seed 003): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import ReferralAttribution
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/referrals")
P15 = demo("patient", 15)
BASE = f"patients/{P15}/referral-attributions"
GOOGLE = demo("referral_source", 1)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def attribute(org: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await org.post(BASE, json=body)


@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        ("referral_source", GOOGLE, "Google search"),
        ("provider", demo("provider", 1), None),
        ("referring_patient", demo("patient", 16), "Jane Smith"),
    ],
)
async def test_each_kind_of_source(
    org: httpx.AsyncClient, source: str, value: str, shown: str | None
) -> None:
    r = await attribute(org, **{f"{source}_uuid": value}, source_note="met at fair")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body[source]["id"] == value
    if shown:
        assert body[source]["name"] == shown
    others = {"referral_source", "provider", "referring_patient", "referral_partner"} - {source}
    assert all(body[o] is None for o in others)
    assert body["attributed_at"].endswith("Z") and body["attribution_role"] is None


async def test_one_primary_per_patient(org: httpx.AsyncClient, store: Store) -> None:
    first = await attribute(org, attribution_role="primary", referral_source_uuid=GOOGLE)
    assert first.status_code == 201
    before = await snapshot(store, ReferralAttribution)
    again = await attribute(org, attribution_role="primary", provider_uuid=demo("provider", 1))
    assert again.status_code == 409
    assert again.json() == {"detail": "Patient already has a primary attribution."}
    other = (await attribute(org, attribution_role="assist", referral_source_uuid=GOOGLE)).json()
    promote = await org.patch(
        f"{BASE}/{other['id']}", json={"base_version": 1, "attribution_role": "primary"}
    )
    assert promote.status_code == 409
    assert len(await snapshot(store, ReferralAttribution)) == len(before) + 1
    # archiving the primary frees the role
    await org.post(f"{BASE}/{first.json()['id']}/archive", params={"base_version": 1})
    promote = await org.patch(
        f"{BASE}/{other['id']}", json={"base_version": 1, "attribution_role": "primary"}
    )
    assert promote.status_code == 200


async def test_sources_are_immutable(org: httpx.AsyncClient, store: Store) -> None:
    made = (await attribute(org, referral_source_uuid=GOOGLE)).json()
    before = await snapshot(store, ReferralAttribution)
    r = await org.patch(
        f"{BASE}/{made['id']}", json={"base_version": 1, "provider_uuid": demo("provider", 1)}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "provider_uuid"]
    assert await snapshot(store, ReferralAttribution) == before


async def test_unknown_source_is_404_and_changes_nothing(
    org: httpx.AsyncClient, store: Store
) -> None:
    before = await snapshot(store, ReferralAttribution)
    r = await attribute(org, referral_partner_uuid=demo("referral", 999))
    assert r.status_code == 404 and r.json() == {"detail": "Referral partner not found."}
    assert await snapshot(store, ReferralAttribution) == before


async def test_archive_needs_base_version_and_ownership(org: httpx.AsyncClient) -> None:
    made = (await attribute(org, referral_source_uuid=GOOGLE)).json()
    url = f"{BASE}/{made['id']}/archive"
    assert (await org.post(url)).status_code == 422
    other = f"patients/{demo('patient', 16)}/referral-attributions/{made['id']}/archive"
    assert (await org.post(other, params={"base_version": 1})).status_code == 404
    assert (await org.post(url, params={"base_version": 1})).status_code == 204
    assert (await org.get(BASE)).json()["total"] == 0
