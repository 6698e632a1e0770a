"""HTTP to a real server of a dialect: rate limit, timeouts, retries, faults.

Every dialect's client sends through one :class:`Transport`, over an
``httpx.AsyncClient`` it is given (so tests hand it a ``MockTransport`` or a
client of a second gateway process, and the upstream backend shares one
connection pool). What it decides, for every dialect alike:

- **Rate.** At most ``Policy.rate`` requests per second to this upstream
  (``aiolimiter``'s leaky bucket: a well-kept limiter made for asyncio).
  Open Dental's cloud throttles hard, so its client defaults low.
- **Retries.** Only a request that may safely run twice is retried: a read,
  a PUT or DELETE (idempotent by HTTP's definition), or a create that carries
  an idempotency key. A create without one is sent again only when it never
  reached the server (no connection); a timeout then leaves its outcome
  unknown, and the error says so. Retries back off
  exponentially with jitter (``tenacity``), and a 429 waits what its
  ``Retry-After`` says when that is within ``Policy.max_wait``.
- **Faults as canonical errors.** A connection that cannot be made or breaks
  mid-answer (a truncated body), a 5xx and a 429 still failing after the
  retries become :class:`~canonical.Unavailable` (503); a timeout
  :class:`~canonical.UpstreamTimeout` (504); a body that is not JSON where
  JSON is due :class:`~canonical.BadUpstream` (502). Other 4xx answers are
  the dialect's own refusals, returned for its client to map. Messages name
  the upstream and the status, never the upstream's body (it may hold
  patient data).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from aiolimiter import AsyncLimiter
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    stop_after_attempt,
    wait_random_exponential,
)

from canonical import BadUpstream, Unavailable, UpstreamError, UpstreamTimeout

__all__ = ["Policy", "Transport", "json_body", "retry_after_seconds"]

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class Policy:
    """How one upstream is called."""

    rate: float = 10.0
    """Requests per second at most (0: no limit)."""
    retries: int = 3
    """Further attempts of a request that may safely run twice."""
    backoff: float = 0.5
    """First retry's wait, in seconds; doubled each time, with jitter."""
    max_backoff: float = 8.0
    timeout: float = 30.0
    """Seconds for connecting, and for each read of the answer."""
    max_wait: float = 60.0
    """The longest ``Retry-After`` honoured; a longer one fails at once (503)."""


class _Retryable(Exception):
    """A failure worth another attempt; ``error`` is what to raise when none are left."""

    def __init__(
        self, error: UpstreamError, wait: float | None = None, *, unsent: bool = False
    ) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait
        self.unsent = unsent
        """The request never reached the server (no connection): safe to send again."""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A ``Retry-After`` header's wait in seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Transport:
    """Sends requests to one upstream under its :class:`Policy`."""

    def __init__(self, http: httpx.AsyncClient, policy: Policy, *, upstream: str) -> None:
        self.http = http
        self.policy = policy
        self.upstream = upstream
        """How messages name the server ("the Open Dental server")."""
        self.limiter = AsyncLimiter(policy.rate, 1) if policy.rate > 0 else None

    async def send(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
    ) -> httpx.Response:
        """The upstream's answer (any status but 5xx and 429), retried as the policy says.

        ``retry`` overrides whether the request may run twice (``True`` for a
        create carrying an idempotency key); by default only idempotent methods are.
        """
        safe = method in IDEMPOTENT if retry is None else retry
        policy = self.policy
        backoff = wait_random_exponential(multiplier=policy.backoff, max=policy.max_backoff)

        def wait(state: RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            if isinstance(failure, _Retryable) and failure.wait is not None:
                return failure.wait
            return float(backoff(state))

        def again(state: RetryCallState) -> bool:
            failure = state.outcome.exception() if state.outcome else None
            return isinstance(failure, _Retryable) and (safe or failure.unsent)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.retries + 1), wait=wait, retry=again, reraise=True
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(
                        method, url, params=params, json=json, content=content, headers=headers
                    )
        except _Retryable as exc:
            if not safe and isinstance(exc.error, UpstreamTimeout):
                raise UpstreamTimeout(
                    f"{exc.error.message} Whether it applied the {method} is unknown; "
                    "read the record before sending it again."
                ) from None
            raise exc.error from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _once(
        self,
        method: str,
        url: str,
        *,
        params: Any,
        json: Any,
        content: bytes | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        if self.limiter is not None:
            await self.limiter.acquire()
        body = orjson.dumps(json) if json is not None else content
        sent = dict(headers or {})
        if json is not None:
            sent.setdefault("Content-Type", "application/json")
        try:
            response = await self.http.request(
                method, url, params=params, content=body, headers=sent, timeout=self.policy.timeout
            )
        except httpx.ConnectError as exc:  # refused, unresolvable: nothing was sent
            raise _Retryable(
                Unavailable(f"{self.upstream} could not be reached ({type(exc).__name__})."),
                unsent=True,
            ) from None
        except httpx.ConnectTimeout:
            raise _Retryable(
                UpstreamTimeout(f"{self.upstream} did not accept a connection in time."),
                unsent=True,
            ) from None
        except httpx.TimeoutException:
            raise _Retryable(
                UpstreamTimeout(f"{self.upstream} did not answer within {self.policy.timeout:g} s.")
            ) from None
        except httpx.TransportError as exc:  # reset, truncated, not HTTP
            raise _Retryable(
                Unavailable(f"{self.upstream} could not be reached ({type(exc).__name__}).")
            ) from None
        status = response.status_code
        if status == 429:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            error = Unavailable(
                f"{self.upstream} is throttling requests (429).",
                retry_after=None if wait is None else max(1, round(wait)),
            )
            if wait is not None and wait > self.policy.max_wait:
                raise error  # not worth waiting for here: the client is told when to retry
            raise _Retryable(error, wait)
        if status >= 500:
            raise _Retryable(Unavailable(f"{self.upstream} answered {status}."))
        return response


def json_body(response: httpx.Response, upstream: str) -> Any:
    """The answer's JSON, or :class:`BadUpstream` when it is not JSON."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise BadUpstream(
            f"{upstream} answered {response.status_code} with a body that is not JSON."
        ) from None
