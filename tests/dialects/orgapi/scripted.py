"""A scripted org API server for the client's fault tests: each request gets the
next answer (a response, or an exception the transport raises), and is kept."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import orjson

from dialects.orgapi.client import OrgApiClient
from dialects.transport import Policy

ORG = UUID("5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2f")
PATIENT = UUID("00000000-0000-4000-8000-000000000015")
QUICK = Policy(rate=0, retries=1, backoff=0.001, max_backoff=0.002, timeout=5)


class Scripted:
    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, policy: Policy = QUICK) -> OrgApiClient:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(self), base_url="http://org.test/api/v1"
        )
        return OrgApiClient(http, "tok", ORG, policy=policy)

    def bodies(self) -> list[Any]:
        return [orjson.loads(r.content) if r.content else None for r in self.requests]

    def calls(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests]


def patient(version: int = 1, **fields: Any) -> dict[str, Any]:
    """A patient as the server shows it (the keys this client reads)."""
    return {
        "id": str(PATIENT),
        "version": version,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "status": "active",
        **fields,
    }


def answer(status: int, body: Any = None, **headers: str) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)
