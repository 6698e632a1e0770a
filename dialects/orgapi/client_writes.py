"""The org API client's versioned writes: PATCH, archive, restore, status transitions.

Decisions:

- **base_version.** Every PATCH and every transition that takes one
  (transition-status, alert disable, the archive of a referral attribution or
  a definition) is based on the version the upstream showed: the ``version``
  of the record the caller read (``current``). A PATCH sends only the fields
  whose shown value changed; when none did, nothing is sent and ``current``
  is the answer.
- **The merge rule on 409.** The client re-reads the record once. When it
  shows the version the write was based on, the 409 was not about the
  version (a duplicate chart number, a second primary attribution): the
  server's refusal stands. When every field the write sets already holds the
  value being written, the write is done (a retried PATCH that had reached
  the server, or another writer making the same change): the re-read is the
  answer. When every field it sets still holds the value the write was based
  on, another writer changed other fields only, and sending the same change
  on the new version is the merge the caller would make anyway: it is sent
  once more. Otherwise :class:`~canonical.Conflict` carries the current
  version and names the fields (never their values). A transition is a write
  of one field (``status``; for archive, whether the record is archived), so
  the same rule applies: archiving a record someone else edited meanwhile
  still archives it; a status someone else already moved is a conflict.
- **Retries.** Because the version guards them, these writes are safe to send
  twice: a repeat of one that applied is a 409 the merge rule reads as done.
  The transport may therefore retry them. Restore takes no version and a
  repeat is a 422 ("not archived"), so it is sent again only when it never
  reached the server.
- **Answers.** A write answers the record; referral attributions' archive
  answers 204 with no body, and :meth:`VersionedWrites.archive` then answers
  ``None`` (the record is no longer readable there).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from canonical import (
    AlertStatus,
    BadUpstream,
    Conflict,
    NotFound,
    Patient,
    PatientAlert,
    PatientStatus,
    Record,
)
from dialects.client import DialectClient, Key, Remote
from dialects.orgapi.patient_codec import wire_status
from dialects.orgapi.resource import OrgApiResource

__all__ = ["VersionedWrites", "declared"]

R = TypeVar("R", bound=Record)
Send = Callable[[int], Awaitable[Record | None]]
Check = Callable[[Record], bool]


def declared(resource: Remote) -> OrgApiResource:
    """The org API declaration behind a client resource."""
    declaration = resource.declaration
    assert isinstance(declaration, OrgApiResource)
    return declaration


def is_archived(resource: Remote, record: Record) -> bool:
    archived = declared(resource).archived
    if archived is None:
        return record.deleted_at is not None
    return all(getattr(record, k) == v for k, v in archived.items())


class VersionedWrites(DialectClient):
    """The writes of an org API client that go by ``base_version``."""

    async def update(self, record: R, current: R) -> R:
        model = type(record)
        res = self._require(model, "update")
        key = self.key_of(current)
        url = self.item_url(res, key, current)
        body = self.body(res, record, "update", current=current)
        if not body:
            return current
        names = list(body)

        async def send(version: int) -> Record:
            json = {**body, "base_version": version}
            response = await self.call("PATCH", url, json=json, retry=True)
            return self.decode(res, self.payload(response))

        def done(fresh: Record) -> bool:
            return self.shown(res, fresh, names) == body

        def based(fresh: Record) -> bool:
            return self.shown(res, fresh, names) == self.shown(res, current, names)

        return self.one(model, await self.guarded(res, current, send, done, based, names))

    async def archive(self, record: R) -> R | None:
        """Archive (the org API's soft delete); ``None`` where the server answers 204."""
        model = type(record)
        res = self._require(model, "archive")
        url = f"{self.item_url(res, self.key_of(record), record)}/archive"
        where = declared(res).archive_version

        async def send(version: int) -> Record | None:
            params = {"base_version": version} if where == "query" else None
            json = {"base_version": version} if where == "body" else None
            response = await self.call("POST", url, params=params, json=json, retry=True)
            if response.status_code == 204 or not response.content:
                return None
            return self.decode(res, self.payload(response))

        if where == "none":
            found = await send(record.version)
        else:
            found = await self.guarded(
                res,
                record,
                send,
                lambda fresh: is_archived(res, fresh),
                lambda fresh: not is_archived(res, fresh),
                ["archived"],
                gone_is_done=True,
            )
        return None if found is None else self._as(model, found)

    async def restore(self, patient: Patient) -> Patient:
        """Restore an archived patient (the server makes it inactive)."""
        res = self.resource(Patient)
        url = f"{self.item_url(res, self.key_of(patient), patient)}/restore"
        response = await self.call("POST", url)
        return self._as(Patient, self.decode(res, self.payload(response)))

    async def transition_status(self, patient: Patient, status: PatientStatus) -> Patient:
        """Move a patient along the documented lifecycle (``transition-status``)."""
        res = self.resource(Patient)
        url = f"{self.item_url(res, self.key_of(patient), patient)}/transition-status"
        target = wire_status(status)

        async def send(version: int) -> Record:
            json = {"base_version": version, "new_status": target}
            response = await self.call("POST", url, json=json, retry=True)
            return self.decode(res, self.payload(response))

        def status_of(record: Record) -> str:
            assert isinstance(record, Patient)
            return wire_status(record.status)

        found = await self.guarded(
            res,
            patient,
            send,
            lambda fresh: status_of(fresh) == target,
            lambda fresh: status_of(fresh) == status_of(patient),
            ["status"],
        )
        return self.one(Patient, found)

    async def disable_alert(self, alert: PatientAlert) -> PatientAlert:
        """Disable a patient alert (``.../alerts/{alert_uuid}/disable``)."""
        res = self.resource(PatientAlert)
        url = f"{self.item_url(res, self.key_of(alert), alert)}/disable"

        async def send(version: int) -> Record:
            response = await self.call("POST", url, json={"base_version": version}, retry=True)
            return self.decode(res, self.payload(response))

        def status_of(record: Record) -> Any:
            return getattr(record, "status", None)

        found = await self.guarded(
            res,
            alert,
            send,
            lambda fresh: status_of(fresh) == AlertStatus.disabled,
            lambda fresh: status_of(fresh) == status_of(alert),
            ["status"],
        )
        return self.one(PatientAlert, found)

    # -- the merge rule -------------------------------------------------------------------

    def one(self, model: type[R], found: Record | None) -> R:
        if found is None:
            raise BadUpstream(f"{self.upstream} answered a write with no record.")
        return self._as(model, found)

    def shown(self, resource: Remote, record: Record, names: list[str]) -> dict[str, Any]:
        """The request values ``record`` shows for the wire fields ``names``."""
        return resource.codec.encode(record, self.ctx(), only=names, request=True)

    async def guarded(
        self,
        resource: Remote,
        current: Record,
        send: Send,
        done: Check,
        based: Check,
        fields: list[str],
        *,
        gone_is_done: bool = False,
    ) -> Record | None:
        """``send`` on ``current``'s version; on a 409, the merge rule (see the module)."""
        base = current.version
        try:
            return await send(base)
        except Conflict:
            key: Key = self.key_of(current)
            try:
                fresh = await self.read(type(current), key, current)
            except NotFound:
                if gone_is_done:
                    return None
                raise
            if fresh.version == base:
                raise
            if done(fresh):
                return fresh
            if not based(fresh):
                raise Conflict(
                    f"{type(current).__name__} {key} changed on {self.upstream} since "
                    f"version {base} (now {fresh.version}) in {', '.join(sorted(fields))}.",
                    current_version=fresh.version,
                ) from None
        return await send(fresh.version)
