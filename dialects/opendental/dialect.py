"""The Open Dental dialect: auth scheme, error shape and request options.

Implements ../shared/seeds/000 (Commlogs), 001 (Tasks), 002 (ProcedureLogs) and
reference/opendental/apipatients.md, under the conventions of
apiimplementation.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from canonical import (
    BadUpstream,
    CanonicalError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
    Unsupported,
    UpstreamTimeout,
)
from dialects.base import AuthRequest, Dialect, Reply, status_for

SCHEME = "ODFHIR"

# Open Dental answers only 200/201/400/401/404/410 (apiimplementation.md): a
# version clash is a 400, a permission problem a 401.
_STATUS: list[tuple[type[CanonicalError], int]] = [
    (NotFound, 404),
    (Invalid, 400),
    (Conflict, 400),
    (Unsupported, 400),
    (Unauthorized, 401),
    (Forbidden, 401),
    (RateLimited, 429),
    # The server the gateway fronts failed (upstream mode): a gateway's statuses.
    (BadUpstream, 502),
    (Unavailable, 503),
    (UpstreamTimeout, 504),
]


class OpenDentalBase(Dialect):
    name = "opendental"
    prefix = "/opendental/api/v1"
    document = (
        "seeds 000, 001, 002; reference/opendental/apiimplementation.md and the pages of "
        "patients, commlogs, tasks, procedurelogs, allergies, medicationpats, diseases, "
        "appointments, providers, clinics, definitions"
    )

    date_options: ClassVar[tuple[str, ...]] = ("DateFormatString", "DateTimeFormatString")

    def credentials(
        self, headers: Mapping[str, str], path_params: Mapping[str, str]
    ) -> AuthRequest:
        value = headers.get("authorization", "")
        scheme, _, keys = value.partition(" ")
        dev, sep, customer = keys.strip().partition("/")
        if scheme != SCHEME or not sep or not dev or not customer:
            raise Unauthorized(
                'Invalid credentials. Use the header "Authorization: ODFHIR '
                '{DeveloperKey}/{CustomerKey}".'
            )
        return AuthRequest(f"{dev}/{customer}")

    def render_error(self, error: CanonicalError) -> Reply:
        status = status_for(error, _STATUS, 400)
        headers = {}
        if error.retry_after is not None:
            headers["Retry-After"] = str(error.retry_after)
        # Open Dental's errors are an explanation string; JSON-encoded so JSON clients parse it.
        return Reply(status, error.message, headers)

    def context_options(self, query: list[tuple[str, str]]) -> dict[str, Any]:
        return {k: v for k, v in query if k in self.date_options and v}
