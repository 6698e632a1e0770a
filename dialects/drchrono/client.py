"""The client of a real DrChrono v4 server (drchrono.com, or the gateway serving DrChrono).

It is given an ``httpx.AsyncClient`` whose ``base_url`` is the server's root
(``https://drchrono.com``; the gateway's ``.../drchrono``) and the
``upstream_auth`` setting, and installs a
:class:`~dialects.drchrono.oauth_client.DrChronoAuth` on that client (one
``httpx.AsyncClient`` per upstream). Records carry DrChrono's ids.

Decisions:

- **Auth.** OAuth2 bearer tokens, refreshed before they expire and once on a
  401, every rotated refresh token handed to ``on_tokens``
  (:mod:`dialects.drchrono.oauth_client`). A 401 that reaches the client
  (after the refresh, or to a token that cannot be refreshed) and a 403 (a
  scope the application was not granted, named from the resource's
  declaration) are the gateway's configuration, not the caller's fault:
  :class:`~canonical.BadUpstream` (502) naming ``upstream_auth``.
- **Paging.** ``page_size`` as large as the server allows (1000, this
  gateway's cap; drchrono.com documents 250 as its default that "can be
  lowered", and a server that caps lower simply pages by its own size; 50
  where the resource has verbose keys, which this client asks for so
  records come whole: ``verbose=False`` trades them for fewer calls against
  the hourly limit), then ``next`` to the end. A ``next`` link is absolute; it is
  followed only on the configured host (with the configured scheme and port:
  a proxy may spell its own), so the bearer token never goes elsewhere, and
  a link seen twice is a :class:`~canonical.BadUpstream`, never a loop.
  Its query is kept whole (no parameters are added: they would replace it).
- **Sync.** ``since``, inclusive on the server (records updated at or after
  it), where the list takes it. The next watermark is the latest
  ``updated_at`` among the answered records, exactly as the server wrote
  it (zone-less practice time, to the second, so a fraction of a second is
  truncated toward the past and the boundary record is read again rather
  than missed); an empty answer keeps the watermark. The answer's ``Date``
  header was not chosen: it is stamped after the query ran, so a write
  committed in between would fall before the next watermark and be missed.
  (Either way the feed trusts the server to stamp ``updated_at`` in commit
  order, as a single database's clock does.)
  The sync asks for the whole list (``show_inactive`` patients,
  ``show_archived`` appointments, tasks and task setup, offices), so a
  record leaving the default listing is seen changing. DrChrono lists no
  deleted patients: a mirror learns of those only from a full read or a 404.
  A list without ``since`` (doctors, offices, users, user groups, procedures,
  flag types, clinical lists) has no incremental feed: its sync reads it
  whole (watermark ``None``). :meth:`list` itself is the server's default
  listing plus the caller's parameters, as the API shows it.
- **Appointments.** A list must name ``since``, ``date`` or ``date_range``;
  without one the client asks ``since`` :data:`EARLIEST`. A create always
  sends ``patient`` (null for a break), which DrChrono requires present.
- **Writes.** PATCH with only the changed keys; PUT and PATCH answer 204, so
  the record is read again (``procedures``, ``doctors``, ``users`` and
  ``user_groups`` are read-only on DrChrono; only patients and appointments
  have DELETE). A create is not retried after it may have reached the
  server: DrChrono has no idempotency key.
- **Refusals.** 400 ``{key: [messages]}`` -> :class:`~canonical.Invalid`, each
  key named as the canonical field it maps to (the DrChrono key otherwise),
  with the upstream's own messages; 404 -> :class:`~canonical.NotFound`; 409
  (an appointment overlapping another) -> :class:`~canonical.Conflict`; 405
  -> :class:`~canonical.Unsupported`; 413 -> :class:`~canonical.TooLarge`;
  any other 4xx -> :class:`~canonical.BadUpstream`. 429 and 5xx are the
  transport's (``Retry-After`` honoured).
- **Rate.** DrChrono limits each application per clock hour (500 by
  default), answering 429 with ``Retry-After``; a per-second limiter cannot
  say that, so the default is a polite 5 requests per second and the
  hourly limit is met by the 429s (a wait past ``Policy.max_wait`` fails at
  once as 503 with ``Retry-After``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar

import httpx

from canonical import BadUpstream, CanonicalError, Record
from dialects.client import Changes, DialectClient, Remote
from dialects.drchrono import (
    allergies,
    appointments,
    comm_logs,
    doctors,
    medications,
    patient_flag_types,
    patients,
    problems,
    procedures,
    task_setup,
    tasks,
    user_groups,
    users,
)
from dialects.drchrono import offices as offices_
from dialects.drchrono.client_errors import refusal
from dialects.drchrono.oauth_client import TOKEN_PATH, DrChronoAuth, OnTokens
from dialects.drchrono.paging import MAX_PAGE_SIZE, VERBOSE_PAGE_SIZE
from dialects.resource import Operation
from dialects.transport import Policy

__all__ = ["EARLIEST", "DrChronoClient"]

R = TypeVar("R", bound=Record)

EARLIEST = "1900-01-01T00:00:00"
"""``since`` of an appointment list that names no period: every appointment."""

_SETUP = {r.model.resource: r for r in task_setup.RESOURCES}


def _since(declaration: Any) -> Remote:
    return Remote(declaration, since="since")


RESOURCES: dict[str, Remote] = {
    "patient": _since(patients.PATIENTS),
    "commlog": _since(comm_logs.RESOURCE),
    "procedure": Remote(procedures.RESOURCE),
    "task": _since(tasks.RESOURCE),
    **{name: _since(r) for name, r in _SETUP.items()},
    "appointment": _since(appointments.RESOURCE),
    "provider": Remote(doctors.RESOURCE),
    "clinic": Remote(offices_.RESOURCE),
    "user": Remote(users.RESOURCE),
    "user_group": Remote(user_groups.RESOURCE),
    "alert_definition": Remote(patient_flag_types.RESOURCE),
    "allergy": Remote(allergies.RESOURCE),
    "medication": Remote(medications.RESOURCE),
    "problem": Remote(problems.RESOURCE),
}

WHOLE: dict[str, dict[str, str]] = {
    "patient": {"show_inactive": "true"},
    "appointment": {"show_archived": "true"},
    "task": {"show_archived": "true"},
    "task_list": {"show_archived": "true"},
    "task_status": {"show_archived": "true"},
    "task_template": {"show_archived": "true"},
    "clinic": {"show_archived": "true"},
}
"""What a sync adds to a list so that it leaves nothing out."""

PERIOD = ("since", "date", "date_range")
"""An appointment list names one of these (seed 004)."""

ALWAYS_SENT: dict[str, tuple[str, ...]] = {"appointment": ("patient",)}
"""Keys a create sends even when null (a break's ``patient``)."""


class DrChronoClient(DialectClient):
    dialect = "drchrono"
    upstream = "The DrChrono server"
    default_policy = Policy(rate=5.0)
    resources = RESOURCES

    def whole_listing(self, model: type[Record]) -> Mapping[str, str]:
        return WHOLE.get(model.resource, {})

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: DrChronoAuth | str,
        *,
        on_tokens: OnTokens | None = None,
        policy: Policy | None = None,
        tz: tzinfo = UTC,
        page_size: int = MAX_PAGE_SIZE,
        verbose: bool = True,
    ) -> None:
        super().__init__(http, policy=policy, tz=tz)
        if isinstance(auth, str):
            auth = DrChronoAuth.from_setting(auth, on_tokens=on_tokens)
        if auth.token_url is None and http.base_url.host:  # the token endpoint of this server
            auth.token_url = http.base_url.join(TOKEN_PATH)
        self.auth = auth
        http.auth = auth
        self.page_size = page_size
        self.verbose = verbose
        """Ask for the verbose keys, so records come whole (at most 50 a page)."""

    # -- refusals ------------------------------------------------------------------------

    def refusal(self, response: httpx.Response) -> CanonicalError:
        return refusal(self, response)

    def remote_at(self, url: httpx.URL) -> Remote | None:
        """The resource a request URL is of (for the scope and key names of a refusal)."""
        root = self.http.base_url.path.rstrip("/")
        path = url.path[len(root) :] if url.path.startswith(root) else url.path
        path = path.rstrip("/")
        for res in self.resources.values():
            if path == res.path or path.startswith(res.path + "/"):
                return res
        return None

    # -- paging and sync -----------------------------------------------------------------

    def _wants_verbose(self, resource: Remote) -> bool:
        return self.verbose and bool(resource.declaration.verbose)

    async def pages(
        self, resource: Remote, params: Mapping[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        query = dict(params)
        if resource.model.resource == "appointment" and not any(k in query for k in PERIOD):
            query["since"] = EARLIEST
        size = self.page_size
        if self._wants_verbose(resource):
            query.setdefault("verbose", "true")
            size = min(size, VERBOSE_PAGE_SIZE)
        query.setdefault("page_size", size)
        url = resource.lister.path
        sent: dict[str, Any] | None = query
        seen: set[str] = set()
        while True:
            response = await self.call("GET", url, params=sent)
            page = self.payload(response)
            results = page.get("results") if isinstance(page, dict) else None
            if not isinstance(results, list):
                raise BadUpstream(f"{self.upstream} answered a list request with no results.")
            yield results
            following = page.get("next")
            if not following:
                return
            url = str(self._followed(following))
            if url in seen:
                raise BadUpstream(f"{self.upstream} answered a next link already followed.")
            seen.add(url)
            sent = None  # the link carries the whole query

    def _followed(self, link: Any) -> httpx.URL:
        """The ``next`` link on the configured host, scheme and port."""
        if not isinstance(link, str):
            raise BadUpstream(f"{self.upstream} answered a next link that is not a URL.")
        try:
            url = httpx.URL(link)
        except httpx.InvalidURL:
            raise BadUpstream(f"{self.upstream} answered a next link that is not a URL.") from None
        base = self.http.base_url
        if url.is_relative_url:
            return base.copy_with(raw_path=url.raw_path)
        if url.host != base.host:
            raise BadUpstream(f"{self.upstream} answered a next link to another host.")
        return base.copy_with(raw_path=url.raw_path)

    async def changed_since(self, model: type[R], watermark: Any) -> Changes[R]:
        res = self._require(model, "list")
        params: dict[str, Any] = dict(WHOLE.get(model.resource, {}))
        if res.since and watermark:
            params[res.since] = str(watermark)
        records: list[R] = []
        latest: tuple[datetime, str] | None = None
        async for page in self.pages(res, params):
            for item in page:
                record = self._as(model, self.decode(res, item, res.lister.codec))
                records.append(record)
                shown = item.get("updated_at")
                stamp = record.updated_at
                if stamp and isinstance(shown, str) and (latest is None or stamp > latest[0]):
                    latest = (stamp, shown)
        if not res.since:
            return Changes(records, None)
        return Changes(records, latest[1] if latest else watermark)

    # -- writes --------------------------------------------------------------------------

    def body(
        self,
        resource: Remote,
        record: Record,
        operation: Operation,
        *,
        current: Record | None = None,
    ) -> dict[str, Any]:
        out = super().body(resource, record, operation, current=current)
        if operation == "create":
            keys = [k for k in ALWAYS_SENT.get(resource.model.resource, ()) if k not in out]
            if keys:
                out |= resource.codec.encode(record, self.ctx(), only=keys, request=True)
        return out
