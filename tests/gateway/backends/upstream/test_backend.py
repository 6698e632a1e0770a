"""The upstream backend over an in-memory Open Dental server: the crosswalk,
references mapped both ways, refusals passed through, outages and conflicts
leaving the mirror as it was."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from canonical import (
    Commlog,
    Conflict,
    Invalid,
    NotFound,
    Patient,
    Query,
    Ref,
    Unavailable,
    Unsupported,
    UpstreamTimeout,
)
from gateway.backends.upstream.backend import UpstreamBackend
from gateway.backends.upstream.remap import outbound
from gateway.backends.upstream.sync import Syncer
from tests.gateway.backends.upstream.fake import STAMP, FakeOpenDental, upstream_backend


@pytest.fixture
def fake() -> FakeOpenDental:
    od = FakeOpenDental()
    od.add("patients", Patient(num=42, last_name="Upstream", first_name="Ada"))
    return od


@pytest.fixture
async def backend(tmp_path: Path, fake: FakeOpenDental) -> AsyncIterator[UpstreamBackend]:
    made, http = await upstream_backend(tmp_path, fake)
    yield made
    await http.aclose()


async def _count(backend: UpstreamBackend, model: type[Commlog] | type[Patient]) -> int:
    return await backend.count(model, Query())


async def test_a_pull_mirrors_under_the_upstreams_integers(backend: UpstreamBackend) -> None:
    syncer = Syncer(backend, 60)
    assert await syncer.pull("patient", full=True) == 1
    mirrored = await backend.get(Patient, num=42)
    assert (mirrored.last_name, mirrored.version) == ("Upstream", 1)
    # a second pull of the same record writes nothing: its version stays
    await syncer.pull("patient")
    assert (await backend.get(Patient, num=42)).version == 1
    (status,) = [s for s in syncer.status() if s.resource == "patient"]
    assert status.records == 1 and status.fresh and status.last_error is None


async def test_references_are_mapped_both_ways(
    backend: UpstreamBackend, fake: FakeOpenDental
) -> None:
    # a local patient already holds 42, so the upstream's 42 gets another number here
    local = await backend.store.create(Patient(num=42, last_name="Local", first_name="Only"))
    await Syncer(backend, 60).pull("patient", full=True)
    async with backend.store.store.transaction() as conn:
        entry = backend.xw.by_key(conn, "patient", 42)
        assert entry is not None and entry.num != 42
        log = Commlog(patient=Ref(num=entry.num, uuid=entry.uuid), communicated_at=STAMP)
        sent = outbound(conn, backend.xw, log, key=None, served=lambda r: True, upstream="it")
        assert sent.patient == Ref(num=42)
        with pytest.raises(Invalid, match="patient"):  # a record only here cannot be named there
            alone = Commlog(patient=local.ref(), communicated_at=STAMP)
            outbound(conn, backend.xw, alone, key=None, served=lambda r: True, upstream="it")
    made = await backend.create(
        Commlog(patient=Ref(num=entry.num, uuid=entry.uuid), communicated_at=STAMP, note="hi")
    )
    assert made.patient is not None and made.patient.num == entry.num
    upstream_log = fake.records["commlogs"][101]
    assert isinstance(upstream_log, Commlog)
    assert upstream_log.patient is not None and upstream_log.patient.num == 42


async def test_a_refusal_passes_through_and_changes_nothing(
    backend: UpstreamBackend, fake: FakeOpenDental
) -> None:
    await Syncer(backend, 60).pull("patient", full=True)
    fake.fault = lambda request: httpx.Response(400, json="Note is too long.")
    with pytest.raises(Invalid, match="Note is too long"):
        await backend.create(Commlog(patient=Ref(num=42), communicated_at=STAMP))
    assert await _count(backend, Commlog) == 0


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")), Unavailable),
        (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")), UpstreamTimeout),
        (lambda r: httpx.Response(503), Unavailable),
    ],
)
async def test_an_outage_fails_the_write_and_keeps_the_mirror(
    backend: UpstreamBackend, fake: FakeOpenDental, fault: object, error: type[Exception]
) -> None:
    await Syncer(backend, 60).pull("patient", full=True)
    before = await backend.get(Patient, num=42)
    fake.fault = fault  # type: ignore[assignment]
    with pytest.raises(error):
        await backend.update(before.model_copy(update={"first_name": "Changed"}))
    with pytest.raises(error):
        await backend.create(Patient(last_name="New", first_name="One"))
    assert await backend.get(Patient, num=42) == before
    assert await _count(backend, Patient) == 1


async def test_a_failing_sync_marks_the_mirror_stale_without_touching_it(
    backend: UpstreamBackend, fake: FakeOpenDental
) -> None:
    syncer = Syncer(backend, 60)
    await syncer.pull("patient", full=True)
    (good,) = [s for s in syncer.status() if s.resource == "patient"]
    fake.fault = lambda request: httpx.Response(502)
    assert await syncer.pull("patient") == -1
    (bad,) = [s for s in syncer.status() if s.resource == "patient"]
    assert bad.last_error and "502" in bad.last_error
    assert bad.last_pull_at == good.last_pull_at and bad.records == 1
    assert (await backend.get(Patient, num=42)).last_name == "Upstream"
    syncer.bound = syncer.bound * 0  # past its freshness bound: stale
    assert not next(s for s in syncer.status() if s.resource == "patient").fresh


async def test_a_change_upstream_since_the_sync_is_a_conflict(
    backend: UpstreamBackend, fake: FakeOpenDental
) -> None:
    await Syncer(backend, 60).pull("patient", full=True)
    mine = await backend.get(Patient, num=42)
    theirs = fake.records["patients"][42]
    fake.add(
        "patients", theirs.model_copy(update={"first_name": "Changed upstream", "updated_at": None})
    )
    fake.records["patients"][42] = fake.records["patients"][42].model_copy(
        update={"updated_at": STAMP.replace(year=2026)}
    )
    fake.seen.clear()
    with pytest.raises(Conflict, match="changed on The Open Dental server"):
        await backend.update(mine.model_copy(update={"first_name": "Mine"}))
    assert fake.seen == ["GET /patients/42"]  # read, compared, never written
    assert (await backend.get(Patient, num=42)).first_name == "Ada"


async def test_what_the_upstream_cannot_do_is_said_before_anything_is_sent(
    backend: UpstreamBackend, fake: FakeOpenDental
) -> None:
    await Syncer(backend, 60).pull("patient", full=True)
    fake.seen.clear()
    with pytest.raises(Unsupported, match="does not allow delete"):
        await backend.delete(Patient, 42)
    assert fake.seen == []
    assert (await backend.get(Patient, num=42)).deleted_at is None
    with pytest.raises(NotFound):
        await backend.get(Patient, num=7)


async def test_an_unexpected_fault_in_one_pull_spares_the_others(
    backend: UpstreamBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    syncer = Syncer(backend, 60)
    pulled: list[str] = []

    async def pull(resource: str, *, full: bool = False) -> int:
        pulled.append(resource)
        if resource == "patient":
            raise KeyError("a bug")
        return 0

    monkeypatch.setattr(syncer, "pull", pull)
    await syncer.pull_all(full=True)
    assert pulled == syncer.resources and "commlog" in pulled
    (status,) = [s for s in syncer.status() if s.resource == "patient"]
    assert status.last_error == "Internal error (KeyError)." and not status.fresh
