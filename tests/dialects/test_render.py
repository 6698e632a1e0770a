"""The shared renderer: the per-page encoder is the codec's own encode."""

from __future__ import annotations

from typing import Any


async def test_page_encoder_is_the_codec(store: Any) -> None:
    """The per-page encoder gives what ``Codec.encode`` gives, key order included
    (DrChrono patients: the widest table, with verbose keys hidden and shown)."""
    from canonical import Patient, Query
    from dialects import render
    from dialects.codec import CodecContext
    from dialects.drchrono.patients import CODEC, VERBOSE

    backend = store.for_tenant(store.get_tenant("demo"))
    records = (await backend.find(Patient, Query())).items
    assert records
    ctx = CodecContext()
    for hidden in ((), VERBOSE):
        encode = render.encoder(CODEC, hidden)
        only = [f.wire for f in CODEC.fields if f.wire not in hidden]
        for r in records:
            expected = CODEC.encode(r, ctx, only=only)
            got = encode(r, ctx)
            assert got == expected and list(got) == list(expected)
