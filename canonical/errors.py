"""Canonical errors: what went wrong, independent of any wire format.

Each dialect renders every one of these in its own shape and status.

    CanonicalError
     ├── NotFound          a record (or a referenced record) does not exist
     ├── Invalid           the input is wrong; ``fields`` maps field -> message
     │    └── TooLarge     the request body exceeds the configured cap
     ├── Conflict          a version, idempotency key or uniqueness clash
     ├── Unsupported       the operation or resource is not served
     ├── Unauthorized      no or bad credentials
     ├── Forbidden         credentials lack the right (scope, tenant)
     ├── RateLimited       too many requests; ``retry_after`` seconds
     └── UpstreamError     the real server behind the gateway failed (upstream mode)
          ├── Unavailable      it could not be reached, or answered 5xx or 429
          ├── UpstreamTimeout  it did not answer in time
          └── BadUpstream      it answered something that is not its API
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "BadUpstream",
    "CanonicalError",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "RateLimited",
    "TooLarge",
    "Unauthorized",
    "Unavailable",
    "Unsupported",
    "UpstreamError",
    "UpstreamTimeout",
]


class CanonicalError(Exception):
    """Base of every error a dialect knows how to render."""

    retry_after: int | None = None
    """Seconds after which a retry may succeed (a ``Retry-After`` header), if known."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CanonicalError):
    def __init__(self, message: str, *, resource: str | None = None, field: str | None = None):
        super().__init__(message)
        self.resource = resource
        self.field = field


class Invalid(CanonicalError):
    """Bad input. ``fields`` maps a field name (as the client spelled it) to a message."""

    def __init__(self, message: str, fields: Mapping[str, str] | None = None):
        super().__init__(message)
        self.fields: dict[str, str] = dict(fields or {})

    @classmethod
    def field(cls, name: str, message: str) -> Invalid:
        return cls(
            f"{name}: {message}" if not message.startswith(name) else message, {name: message}
        )


class TooLarge(Invalid):
    pass


class Conflict(CanonicalError):
    def __init__(self, message: str, *, current_version: int | None = None):
        super().__init__(message)
        self.current_version = current_version


class Unsupported(CanonicalError):
    pass


class Unauthorized(CanonicalError):
    pass


class Forbidden(CanonicalError):
    pass


class RateLimited(CanonicalError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamError(CanonicalError):
    """The server the gateway fronts failed; nothing was changed on the gateway.

    The message explains the fault without repeating the upstream's body
    (which may hold patient data).
    """


class Unavailable(UpstreamError):
    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamTimeout(UpstreamError):
    pass


class BadUpstream(UpstreamError):
    pass
