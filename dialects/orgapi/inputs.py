"""Input models: what an org API request body may carry, checked by pydantic.

The document's input models (``CreatePatientIn``, ``UpdatePatientIn``, ...)
are closed pydantic models: a missing required key or a key the model does not
define is a 422 in pydantic's words. Each model here is derived from a codec's
field flags (:meth:`~dialects.codec.Codec.accepted` and
:meth:`~dialects.codec.Codec.required` of the method); a record's values are
typed ``Any`` in it and judged by the codec's converters, whose messages name
the field (:func:`decode`), while the keys that are not a record's fields
(``base_version``, bulk options, id lists) are typed for pydantic to judge.

One converter, :func:`failed`, turns a :class:`pydantic.ValidationError` into
the 422 body: pydantic's own ``msg`` and ``type``, the ``loc`` behind a prefix
(``body``, ``query``, ``body.rows.3``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic_core import InitErrorDetails

from canonical import Invalid, Record
from dialects.codec import Codec, CodecContext
from dialects.orgapi.dialect import ValidationFailed

__all__ = [
    "BaseVersion",
    "check",
    "closed_model",
    "codec_model",
    "decode",
    "failed",
    "known",
    "one_of",
    "valid",
]

T = TypeVar("T")

BaseVersion = Annotated[int, pydantic.Field(strict=True, ge=1)]
"""``base_version``: the version a write is based on, a JSON integer >= 1."""

_CLOSED = pydantic.ConfigDict(extra="forbid")


@lru_cache(maxsize=256)
def one_of(options: tuple[str, ...]) -> type[enum.Enum]:
    """A type taking exactly ``options`` (pydantic's ``enum`` error otherwise)."""
    choice: type[enum.Enum] = enum.Enum("Choice", {o: o for o in options}, type=str)  # type: ignore[misc]
    return choice


def failed(error: pydantic.ValidationError, prefix: Sequence[Any] = ("body",)) -> ValidationFailed:
    """The 422 for a pydantic error: each problem with pydantic's message and type,
    located behind ``prefix``."""
    return ValidationFailed(
        [
            {"loc": [*prefix, *e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in error.errors(include_url=False)
        ]
    )


def known(kind: str, loc: Sequence[Any]) -> ValidationFailed:
    """A 422 of one of pydantic's own error types (``missing``) where no model
    stands: worded as pydantic words it."""
    detail = InitErrorDetails(type=kind, loc=tuple(loc), input=None)
    return failed(pydantic.ValidationError.from_exception_data("Input", [detail]), ())


def closed_model(
    name: str, fields: Mapping[str, Any], required: Iterable[str] = ()
) -> type[pydantic.BaseModel]:
    """A model taking exactly ``fields`` (key -> type), ``required`` among them.

    Each key is a field's alias, so any key (``copy``, ``model_config``) is safe."""
    needed = set(required)
    spec: dict[str, Any] = {
        f"f{i}": (kind, pydantic.Field(... if key in needed else None, alias=key))
        for i, (key, kind) in enumerate(fields.items())
    }
    model: type[pydantic.BaseModel] = pydantic.create_model(name, __config__=_CLOSED, **spec)
    return model


@cache
def codec_model(
    codec: Codec,
    method: str,
    *,
    versioned: bool = False,
    also: tuple[str, ...] = (),
    optional: bool = False,
) -> type[pydantic.BaseModel]:
    """The input model of ``codec``'s resource for ``method``: the keys it accepts,
    those it requires (none if ``optional``), ``base_version`` first when the
    write is ``versioned``, and the keys ``also`` given."""
    fields: dict[str, Any] = {"base_version": BaseVersion} if versioned else {}
    fields.update(dict.fromkeys((*codec.accepted(method), *also), Any))
    required = [] if optional else list(codec.required(method))
    if versioned:
        required.append("base_version")
    return closed_model(f"{codec.model.__name__}{method.title()}In", fields, required)


def check(
    model: type[pydantic.BaseModel], data: Any, prefix: Sequence[Any] = ("body",)
) -> dict[str, Any]:
    """The keys ``data`` gives, as ``model`` validates them, or the 422 naming
    every problem."""
    try:
        valid = model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise failed(exc, prefix) from None
    given = valid.model_fields_set
    return {f.alias or n: getattr(valid, n) for n, f in model.model_fields.items() if n in given}


def valid(adapter: pydantic.TypeAdapter[T], data: Any, prefix: Sequence[Any] = ("body",)) -> T:
    """``data`` as ``adapter``'s type, or the 422 naming every problem."""
    try:
        return adapter.validate_python(data)
    except pydantic.ValidationError as exc:
        raise failed(exc, prefix) from None


def decode(
    codec: Codec,
    body: Mapping[str, Any],
    ctx: CodecContext,
    *,
    prefix: Sequence[Any] = ("body",),
    current: Record | None = None,
) -> dict[str, Any]:
    """``codec.decode`` with each bad value reported at its location; ``current``
    is the record a write changes (a value sent back as shown keeps it)."""
    try:
        return codec.decode(body, ctx, current=current)
    except ValidationFailed:
        raise
    except Invalid as exc:
        raise ValidationFailed(
            [{"loc": [*prefix, k], "msg": m, "type": "value_error"} for k, m in exc.fields.items()]
        ) from None
