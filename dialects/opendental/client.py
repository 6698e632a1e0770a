"""The client of a real Open Dental API server (cloud, API Service or Local API).

Decisions:

- **Auth.** Every request carries ``Authorization: ODFHIR {dev}/{customer}``,
  given whole (the ``upstream_auth`` setting is that header's value).
- **Paging.** A list is read with ``Offset`` in steps of 100 until a page
  shorter than 100.
- **Sync.** ``DateTStamp`` where a list has it. The next watermark is the
  answer's own ``serverDateTime`` when it shows one, else the latest
  ``DateTStamp`` among the records (both are the server's clock, never this
  machine's); an empty answer keeps the watermark. A record stamped exactly
  at the watermark is read again next time (the filter is inclusive here),
  which a mirror applies as a no-op. A resource with no ``DateTStamp`` filter
  has no incremental feed: its sync reads it whole.
- **Times.** Zone-less times are read and written in the practice's zone
  (``tz``).
- **Patients.** Lists and sync read ``/patients/Simple`` (every field);
  ``/patients`` is the Patient Select window, a subset. Open Dental has no
  patient DELETE.
- **Errors.** Open Dental answers an explanation string: 400 becomes
  :class:`~canonical.Invalid` with it, 404 and 410 :class:`~canonical.NotFound`.
  A 401 is this gateway's own credentials being refused, not the client's:
  :class:`~canonical.BadUpstream` (502), saying so.
- **Rate.** Open Dental's cloud throttles hard: by default 2 requests per second.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, tzinfo
from typing import Any, TypeVar

import httpx

from canonical import BadUpstream, CanonicalError, Invalid, NotFound, Record
from dialects.client import Changes, DialectClient, Remote
from dialects.opendental import (
    allergies,
    appointments,
    clinics,
    commlogs,
    definitions,
    diseases,
    medicationpats,
    patients,
    procedurelogs,
    providers,
    tasks,
)
from dialects.opendental.paging import PAGE_LIMIT
from dialects.opendental.patient_search import SIMPLE
from dialects.transport import Policy

__all__ = ["OpenDentalClient"]

R = TypeVar("R", bound=Record)


def _remote(declaration: Any, **kw: Any) -> Remote:
    since = "DateTStamp" if "DateTStamp" in getattr(declaration, "takes", ()) else None
    return Remote(declaration, since=kw.pop("since", since), **kw)


class OpenDentalClient(DialectClient):
    dialect = "opendental"
    upstream = "The Open Dental server"
    default_policy = Policy(rate=2.0)
    resources = {
        "patient": Remote(
            patients.PATIENTS,
            allows=("read", "list", "create", "replace"),
            since="DateTStamp",
            listing=SIMPLE,
        ),
        "commlog": _remote(commlogs.RESOURCE),
        "task": _remote(tasks.RESOURCE),
        "procedure": _remote(procedurelogs.RESOURCE),
        "allergy": _remote(allergies.RESOURCE),
        "medication": _remote(medicationpats.RESOURCE),
        "problem": _remote(diseases.RESOURCE),
        "appointment": _remote(appointments.RESOURCE),
        "provider": _remote(providers.RESOURCE),
        "clinic": _remote(clinics.RESOURCE),
        "definition": _remote(definitions.RESOURCE),
    }

    def __init__(
        self,
        http: httpx.AsyncClient,
        authorization: str,
        *,
        policy: Policy | None = None,
        tz: tzinfo = UTC,
    ) -> None:
        super().__init__(http, policy=policy, tz=tz)
        self.authorization = authorization

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": self.authorization}

    def refusal(self, response: httpx.Response) -> CanonicalError:
        message = _message(response)
        status = response.status_code
        if status in (404, 410):
            return NotFound(message or "Not found.")
        if status in (401, 403):
            return BadUpstream(
                f"{self.upstream} refused this gateway's credentials ({status}): "
                "check the upstream_auth setting."
            )
        if status == 400:
            return Invalid(message or "The Open Dental server refused the request.")
        return BadUpstream(f"{self.upstream} answered {status}.")

    async def pages(
        self, resource: Remote, params: Mapping[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        offset = 0
        url = resource.lister.path
        while True:
            response = await self.call("GET", url, params={**params, "Offset": offset})
            page = self.payload(response)
            if not isinstance(page, list):
                raise BadUpstream(f"{self.upstream} answered a list request with no list.")
            yield page
            if len(page) < PAGE_LIMIT:
                return
            offset += len(page)

    async def changed_since(self, model: type[R], watermark: Any) -> Changes[R]:
        res = self._require(model, "list")
        params: dict[str, Any] = {}
        if watermark and res.since:
            params[res.since] = watermark
        records: list[R] = []
        latest = watermark
        async for page in self.pages(res, params):
            for item in page:
                records.append(self._as(model, self.decode(res, item, res.lister.codec)))
                latest = _later(latest, _watermark_of(item))
        return Changes(records, latest if res.since else None)


def _watermark_of(item: Mapping[str, Any]) -> str | None:
    """The server's clock an item shows: its ``serverDateTime``, else its ``DateTStamp``."""
    for key in ("serverDateTime", "DateTStamp"):
        value = item.get(key)
        if isinstance(value, str) and value and not value.startswith("0001-01-01"):
            return value
    return None


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two ``yyyy-MM-dd HH:mm:ss`` stamps (they sort as text)."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _message(response: httpx.Response) -> str:
    """Open Dental's explanation: a JSON string, or the plain body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:500]
    return body if isinstance(body, str) else str(body)[:500]
