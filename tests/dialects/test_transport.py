"""The transport every client sends through: what it retries, how it waits,
and which canonical error each fault of an upstream becomes."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from canonical import BadUpstream, Unavailable, UpstreamTimeout
from dialects.transport import Policy, Transport, json_body, retry_after_seconds

FAST = Policy(rate=0, retries=3, backoff=0.001, max_backoff=0.002, timeout=1.0, max_wait=0.5)

Handler = Callable[[httpx.Request], httpx.Response]


def _transport(answers: list[object], policy: Policy = FAST) -> tuple[Transport, list[str]]:
    """A transport whose upstream answers (or raises) each of ``answers`` in turn."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, httpx.Response)
        return answer

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://up")
    return Transport(http, policy, upstream="The test server"), seen


async def test_a_read_is_retried_through_5xx_and_broken_connections() -> None:
    t, seen = _transport(
        [
            httpx.Response(503),
            httpx.RemoteProtocolError("peer closed connection without sending complete body"),
            httpx.ReadError("reset"),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    r = await t.send("GET", "/x")
    assert r.status_code == 200 and seen == ["GET"] * 4


async def test_retries_stop_at_the_policy_and_raise_the_last_fault() -> None:
    t, seen = _transport([httpx.Response(500)] * 4)
    with pytest.raises(Unavailable, match="answered 500"):
        await t.send("PUT", "/x", json={})
    assert len(seen) == 4


async def test_a_create_without_a_key_is_sent_once() -> None:
    t, seen = _transport([httpx.Response(502), httpx.Response(201)])
    with pytest.raises(Unavailable):
        await t.send("POST", "/x", json={})
    assert seen == ["POST"]


async def test_a_create_with_an_idempotency_key_is_retried() -> None:
    t, seen = _transport([httpx.Response(503), httpx.Response(201)])
    r = await t.send("POST", "/x", json={}, headers={"Idempotency-Key": "k"}, retry=True)
    assert r.status_code == 201 and seen == ["POST", "POST"]


async def test_a_create_that_never_connected_is_sent_again() -> None:
    t, seen = _transport([httpx.ConnectError("refused"), httpx.Response(201)])
    assert (await t.send("POST", "/x", json={})).status_code == 201
    assert seen == ["POST", "POST"]


async def test_a_create_that_timed_out_is_not_resent_and_says_its_outcome_is_unknown() -> None:
    t, seen = _transport([httpx.ReadTimeout("slow"), httpx.Response(201)])
    with pytest.raises(UpstreamTimeout, match="unknown"):
        await t.send("POST", "/x", json={})
    assert seen == ["POST"]


async def test_timeouts_become_504_after_the_retries() -> None:
    t, seen = _transport([httpx.ReadTimeout("slow")] * 4)
    with pytest.raises(UpstreamTimeout, match="did not answer within 1 s"):
        await t.send("GET", "/x")
    assert len(seen) == 4


async def test_429_waits_its_retry_after() -> None:
    t, seen = _transport([httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200)])
    assert (await t.send("GET", "/x")).status_code == 200
    assert seen == ["GET", "GET"]


async def test_429_asking_longer_than_max_wait_fails_at_once_with_its_retry_after() -> None:
    t, seen = _transport([httpx.Response(429, headers={"Retry-After": "120"})])
    with pytest.raises(Unavailable) as caught:
        await t.send("GET", "/x")
    assert caught.value.retry_after == 120 and seen == ["GET"]


async def test_other_4xx_answers_are_returned_for_the_dialect_to_map() -> None:
    t, seen = _transport([httpx.Response(400, json="PatNum is required.")])
    r = await t.send("POST", "/x", json={})
    assert r.status_code == 400 and seen == ["POST"]


async def test_the_rate_limit_spaces_requests() -> None:
    t, _ = _transport([httpx.Response(200)] * 25, Policy(rate=20, retries=0))
    started = time.monotonic()
    for _ in range(25):
        await t.send("GET", "/x")
    # A bucket of 20 per second: the 5 past the first 20 wait for it to drain.
    assert time.monotonic() - started >= 0.2


def test_a_body_that_is_not_json_is_a_bad_upstream() -> None:
    with pytest.raises(BadUpstream, match="not JSON"):
        json_body(httpx.Response(200, content=b"<html>oops"), "The test server")
    with pytest.raises(BadUpstream):
        json_body(httpx.Response(200, content=b'{"truncated": '), "The test server")
    assert json_body(httpx.Response(200, content=b'{"a": 1}'), "x") == {"a": 1}


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("30", 30.0), (" 5 ", 5.0), ("", None), ("soon", None), (None, None)],
)
def test_retry_after_seconds(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
