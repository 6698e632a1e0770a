"""Verification: a migrated record read back from the target, compared with the source.

After each write the record is read again from the target through its own
dialect (a GET of that record, or its patient's list where the dialect has
no GET of one) and compared with the source record as sent, in the target's
id space.

Decisions:

- **Which fields.** Those both dialects hold: canonical fields the source's
  codec reads and the target's codec accepts on a create (every field, for
  a store at either end). A field one side cannot hold is a lost field,
  reported as such, not a mismatch.
- **How.** Both records are encoded through the target's codec and compared
  key by key, so a value the target shows only to the second or in its own
  code table compares as the target would show the source's value: the
  comparison is what a user of the target would see.
- A field the source holds no value for (null, empty) is not compared: the
  target's own default for it (Open Dental's guarantor of oneself, its
  default billing type) is what the target shows, not a difference.
- A mismatch names the field (the canonical name), never the values.
"""

from __future__ import annotations

from canonical import Record
from dialects.codec import Codec, CodecContext
from gateway.backends.upstream.remap import ref_fields

__all__ = ["compared_fields", "mismatches"]

_BOOKKEEPING = set(Record.model_fields)
_UNSET: tuple[object, ...] = (None, "", [], {}, 0)


def compared_fields(
    source: Codec | None, target: Codec | None, model: type[Record]
) -> frozenset[str]:
    """Canonical fields held by both ends (``None``: a store, which holds them all)."""
    names = set(model.model_fields) - _BOOKKEEPING
    if source is not None:
        names &= {f.canonical for f in source.fields if f.canonical}
    if target is not None:
        names &= {f.canonical for f in target.fields if f.canonical and not f.read_only}
    return frozenset(names)


def mismatches(
    expected: Record,
    found: Record,
    fields: frozenset[str],
    target: Codec | None,
    ctx: CodecContext,
) -> list[str]:
    """The fields of ``fields`` whose value ``found`` shows differently."""
    if target is None:
        return [
            n
            for n in sorted(fields)
            if _plain(expected, n) not in _UNSET and _plain(expected, n) != _plain(found, n)
        ]
    wires = [f.wire for f in target.fields if f.canonical in fields and not f.read_only]
    want = target.encode(expected, ctx, only=wires, request=True)
    got = target.encode(found, ctx, only=wires, request=True)
    out: list[str] = []
    for f in target.fields:
        if want.get(f.wire) in _UNSET:
            continue  # the source holds nothing here: the target's own default stands
        if want.get(f.wire) != got.get(f.wire):
            name = f.canonical or f.wire
            if name not in out:
                out.append(name)
    return out


def _plain(record: Record, name: str) -> object:
    value = getattr(record, name)
    refs = {n for n, _, _ in ref_fields(type(record))}
    if name in refs:  # a reference compares by the record it names, not its display name
        if isinstance(value, list):
            return [getattr(r, "num", None) for r in value]
        return getattr(value, "num", None)
    return value
