"""The ``upstream`` setting: dialect, base URL, org id; nothing else accepted."""

from __future__ import annotations

from uuid import UUID

import pytest

from gateway.backends.upstream.target import parse_target

ORG = "5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2f"


def test_each_dialects_url() -> None:
    od = parse_target("opendental+https://api.opendental.com/api/v1/")
    assert (od.dialect, od.base_url) == ("opendental", "https://api.opendental.com/api/v1")
    drc = parse_target("drchrono+https://app.drchrono.com")
    assert (drc.dialect, drc.base_url) == ("drchrono", "https://app.drchrono.com")
    org = parse_target(f"orgapi+https://org.example/api/v1/{ORG}")
    assert (org.base_url, org.org_id) == ("https://org.example/api/v1", UUID(ORG))
    assert org.shown == f"orgapi+https://org.example/api/v1/{ORG}"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("https://host/api/v1", "opendental\\+URL"),
        ("fhir+https://host", "opendental\\+URL"),
        ("opendental+ftp://host", "http"),
        ("drchrono+https://user:secret@host", "upstream_auth"),
        ("orgapi+https://host/api/v1", "org id"),
    ],
)
def test_refused_settings_say_why(value: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_target(value)
