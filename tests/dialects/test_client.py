"""The shared client: reading a server's answers back into canonical records."""

from __future__ import annotations

import httpx
import pytest

from canonical import Gender, Patient
from dialects.drchrono.client import DrChronoClient
from tests.support import load


@pytest.mark.parametrize(
    ("shown", "gender"),
    [("Male", Gender.male), ("Other", Gender.other), ("", Gender.unknown)],
)
def test_a_code_shown_only_as_a_nearest_value_reads_back(shown: str, gender: Gender) -> None:
    # DrChrono shows an unknown gender as "", which a request may not send: an
    # answer that shows it still reads, as the first member shown that way.
    client = DrChronoClient(httpx.AsyncClient(base_url="http://drc"), "token")
    body = dict(load("drchrono/patients/get_one.json")["response"]["body"], gender=shown)
    record = client.decode(client.resource(Patient), body)
    assert isinstance(record, Patient) and record.gender == gender
