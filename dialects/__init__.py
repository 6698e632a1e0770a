"""Dialect adapters, and the library entry point :func:`translate`.

    >>> translate({"PatNum": 15, "Note": "hi"}, "commlog", read="opendental")   # doctest: +SKIP
    Commlog(...)

A dialect can be used without the gateway: its codecs turn its payloads into
canonical records and back, for requests and responses alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from canonical import Invalid, Record, model_for
from dialects.base import DIALECTS, Call, Dialect, Endpoint, Reply, dialect_for, register_dialect
from dialects.codec import Codec, CodecContext, Field, Loss, LossError, LossLevel, merge_patch

__all__ = [
    "DIALECTS",
    "Call",
    "Codec",
    "CodecContext",
    "Dialect",
    "Endpoint",
    "Field",
    "Loss",
    "LossError",
    "Reply",
    "dialect_for",
    "register_dialect",
    "translate",
]


def translate(
    payload: Mapping[str, Any],
    resource: str,
    *,
    read: str,
    write: str | None = None,
    time_zone: str = "UTC",
    request: bool = False,
    on_loss: LossLevel = "ignore",
    losses: list[Loss] | None = None,
) -> Any:
    """Translate one payload of ``resource`` from dialect ``read`` to dialect ``write``.

    Read-only fields (ids, stamps) are read too, so a response from a real
    server translates completely. With ``write=None`` the canonical record is
    returned. With ``request=True`` the result is a request body for a server of
    dialect ``write`` (its writable fields only), as an upstream client or a
    migration sends it. Raises :class:`canonical.Invalid` naming each bad field.

    ``on_loss`` says what to do with what dialect ``write`` cannot show exactly
    (a value shown as its nearest, a value it has no field for):
    ``"ignore"``, ``"warn"`` (logged, field names only) or ``"raise"``
    (:class:`LossError`); a ``losses`` list given receives each
    :class:`Loss`, whatever the level (a migration report)::

        losses: list[Loss] = []
        body = translate(payload, "patient", read="orgapi", write="drchrono", losses=losses)
    """
    model = model_for(resource)
    ctx = CodecContext(tz=ZoneInfo(time_zone))
    source = _codec(read, resource)
    patch = source.decode(payload, ctx, include_read_only=True)
    try:
        record: Record = merge_patch(None, model, patch)
    except Exception as exc:  # pydantic.ValidationError: report in canonical terms
        raise Invalid(f"payload is not a complete {resource}: {exc}") from None
    if write is None:
        return record
    return _codec(write, resource).encode(
        record, ctx, request=request, on_loss=on_loss, losses=losses
    )


def _codec(dialect: str, resource: str) -> Codec:
    d = dialect_for(dialect)
    try:
        return d.codecs[resource]
    except KeyError:
        raise KeyError(f"dialect {dialect!r} has no codec for {resource!r}") from None
