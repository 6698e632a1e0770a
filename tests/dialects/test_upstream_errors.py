"""An upstream's faults reach each dialect's clients as 502/503/504 in its own shape."""

from __future__ import annotations

import orjson
import pytest

from canonical import BadUpstream, CanonicalError, Unavailable, UpstreamTimeout
from dialects.drchrono import DrChrono
from dialects.opendental import OpenDental
from dialects.orgapi import OrgApi

CASES = [
    (BadUpstream("The Open Dental server answered a body that is not JSON."), 502, None),
    (Unavailable("The upstream server could not be reached.", retry_after=30), 503, "30"),
    (Unavailable("The upstream server answered 500."), 503, None),
    (UpstreamTimeout("The upstream server did not answer within 30 s."), 504, None),
]


@pytest.mark.parametrize(("error", "status", "retry_after"), CASES)
def test_each_dialect_answers_upstream_faults_in_its_shape(
    error: CanonicalError, status: int, retry_after: str | None
) -> None:
    od = OpenDental().render_error(error)
    assert (od.status, od.body) == (status, error.message)  # Open Dental: the explanation
    drc = DrChrono().render_error(error)
    assert (drc.status, drc.body) == (status, {"detail": error.message})
    org = OrgApi().render_error(error)
    assert (org.status, org.body) == (status, {"detail": error.message})
    for reply in (od, drc, org):
        assert reply.headers.get("Retry-After") == retry_after
        orjson.dumps(reply.body)
