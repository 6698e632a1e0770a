"""Connection limits uvicorn does not set: the size of a request head and how
long a client may take to send it or to keep its body flowing.

uvicorn's httptools protocol buffers a header until it ends, however long, and
waits for a stalled head or body for ever; a handful of slow or oversized
connections would hold the server. ``guarded_protocol`` returns the same
protocol with three limits, as nginx sets them:

- the head (request line and headers) may hold at most ``max_head_bytes``;
  past it the answer is 431 and the connection closes, before more is buffered;
- the head must arrive within ``head_timeout`` seconds of its first byte (or of
  the connection opening): a slow-drip head gets 408;
- a body may pause at most ``body_timeout`` seconds between two reads; a stall
  gets 408 and the handler sees the client leave (nothing half-written).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

__all__ = ["ConnectionLimits", "guarded_protocol"]

log = logging.getLogger("gateway.connection")


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    max_head_bytes: int
    head_timeout: float
    body_timeout: float


def _refusal(status: int, detail: str) -> bytes:
    body = orjson.dumps({"detail": detail})
    return b"".join(
        [
            STATUS_LINE[status],
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
            body,
        ]
    )


TOO_LARGE = _refusal(431, "Request header fields too large.")
TIMED_OUT = _refusal(408, "The request was not received in time.")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    limits: ConnectionLimits

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # a new connection waits for its first head
        self._head_seen = False  # a byte of the current head has been parsed
        self._began = False  # a message ended, and the next head began, mid-piece
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None

    # -- connection ---------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # Feed the head in slices no longer than the room left in it, so an
        # oversized head is refused before the parser buffers it.
        view = memoryview(data)
        while view and not self.transport.is_closing():
            if not self._in_head:
                super().data_received(bytes(view))
                return
            room = self.limits.max_head_bytes - self._head_bytes
            if room <= 0:
                self._refuse(TOO_LARGE, "request head over %d bytes", self.limits.max_head_bytes)
                return
            piece, view = view[:room], view[room:]
            if self._head_bytes == 0 and self._head_timer is None:
                self._arm_head_timer()
            self._began = False
            super().data_received(bytes(piece))
            # A head that began inside this piece (pipelining) starts its count
            # at the next piece: the limit holds to within one piece there.
            if self._in_head and not self._began:
                self._head_bytes += len(piece)
            if self.parser is None:  # the parser refused the request and closed
                return
        if self._in_head and self._head_bytes >= self.limits.max_head_bytes:
            self._refuse(TOO_LARGE, "request head over %d bytes", self.limits.max_head_bytes)

    # -- parser callbacks ---------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_seen = True, True
        self._head_bytes = 0
        self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._in_head = self._head_seen = False
        self._head_bytes = 0
        self._cancel(self._head_timer)
        self._head_timer = None
        super().on_headers_complete()
        self._arm_body_timer()

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        self._arm_body_timer()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._cancel(self._body_timer)
        self._body_timer = None
        # What follows on this connection is the next request's head.
        self._in_head, self._began = True, True
        self._head_bytes = 0

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._head_seen:
            # Between requests uvicorn's keep-alive timeout applies, not ours.
            self._cancel(self._head_timer)
            self._head_timer = None

    # -- timers -------------------------------------------------------------

    def _arm_head_timer(self) -> None:
        self._cancel(self._head_timer)
        self._head_timer = self.loop.call_later(self.limits.head_timeout, self._head_timed_out)

    def _arm_body_timer(self) -> None:
        self._cancel(self._body_timer)
        self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self._head_seen:
            self.transport.close()  # not a byte of a request yet: nothing to answer
            return
        self._refuse(TIMED_OUT, "request head not received within %ss", self.limits.head_timeout)

    def _body_timed_out(self) -> None:
        self._body_timer = None
        if self.flow.read_paused:  # the handler is slow to read, not the client
            self._arm_body_timer()
            return
        if self.cycle is None or self.cycle.response_started:
            self.transport.close()
            return
        self._refuse(TIMED_OUT, "request body stalled for %ss", self.limits.body_timeout)

    def _refuse(self, response: bytes, why: str, arg: object) -> None:
        if self.transport.is_closing():
            return
        log.warning("connection from %s closed: " + why, self._peer(), arg)
        self._cancel_timers()
        self.transport.write(response)
        self.transport.close()

    def _peer(self) -> str:
        return f"{self.client[0]}:{self.client[1]}" if self.client else "?"

    def _cancel_timers(self) -> None:
        self._cancel(self._head_timer)
        self._cancel(self._body_timer)
        self._head_timer = self._body_timer = None

    @staticmethod
    def _cancel(timer: asyncio.TimerHandle | None) -> None:
        if timer is not None:
            timer.cancel()


def guarded_protocol(limits: ConnectionLimits) -> type[GuardedHttpToolsProtocol]:
    """uvicorn's ``http=`` takes a protocol class: bind these limits to one."""
    return type("GatewayHttpProtocol", (GuardedHttpToolsProtocol,), {"limits": limits})
