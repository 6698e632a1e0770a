"""DrChrono's resource conventions (seed 004, "Requests", "Responses").

- Paths are served with and without the trailing slash clients often add.
- Bodies: JSON, form-encoded or multipart (:mod:`.bodies`). Unknown keys are
  ignored and read-only keys skipped, so a client may PUT back what it GOT.
- POST 201 with the created object (a list POST: all created, or none, and
  the list back); PUT replaces every writable key (absent ones return to
  their documented default, "" or null), PATCH changes only the keys given;
  PUT, PATCH and DELETE answer 204 with no body.
- Lists page with ``next`` links (:mod:`.paging`); ``verbose=true`` shows the
  resource's verbose keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from canonical import Invalid, NotFound, Record
from dialects.base import Call, Reply
from dialects.drchrono import formats
from dialects.drchrono.bodies import body_object, parse_body
from dialects.drchrono.errors import ListInvalid, field_errors, missing_reference, required_error
from dialects.drchrono.paging import LinkPaging
from dialects.drchrono.params import Params
from dialects.params import Params as BaseParams
from dialects.resource import Operation, Resource

__all__ = ["DrChronoResource", "slashed"]


@dataclass(frozen=True)
class DrChronoResource(Resource):
    """A DrChrono endpoint pair (``path`` and ``path/:id``) over one canonical model."""

    paging = LinkPaging()
    slashed = True
    list_posts = True
    put_replaces = True
    statuses = {"create": 201, "replace": 204, "update": 204, "delete": 204}
    silent = frozenset({"replace", "update", "delete"})

    def params(self, call: Call, operation: Operation) -> BaseParams:
        return Params(call.query, call.ctx)

    def body(self, call: Call, operation: Operation) -> dict[str, Any] | list[Any]:
        return parse_body(call) if operation == "create" else body_object(call)

    def check_input(self, body: Mapping[str, Any], method: str) -> None:
        missing = [k for k in self.codec.required(method) if body.get(k) in (None, "")]
        if missing:
            raise required_error(missing)

    def decode(self, call: Call, body: Mapping[str, Any], current: Record | None) -> dict[str, Any]:
        return self.codec.decode(body, call.ctx, allow_unknown=True, current=current)

    def record_id(self, call: Call) -> dict[str, Any]:
        try:
            return {"num": formats.parse_int(call.path_params[self.item])}
        except ValueError:
            raise self.not_found() from None

    def invalid_reference(self, error: NotFound, patch: Mapping[str, Any]) -> Exception:
        key = error.field or "non_field_errors"
        message = missing_reference(key, patch, self.codec)
        return Invalid(f"{key}: {message}", {key: message})

    def is_verbose(self, params: BaseParams) -> bool:
        return params.flag("verbose")

    async def create_many(self, call: Call, items: list[Any], params: BaseParams) -> Reply:
        errors: list[dict[str, list[str]]] = []
        created: list[Record] = []
        async with call.backend.atomic():
            for item in items:
                try:
                    if not isinstance(item, dict):
                        raise Invalid(
                            "Expected an object.", {"non_field_errors": "Expected an object."}
                        )
                    created.append(await self.create_one(call, item))
                    errors.append({})
                except Invalid as exc:
                    errors.append(field_errors(exc))
            if any(errors):
                raise ListInvalid(errors)  # inside atomic(): nothing is kept
        return Reply(201, await self.present(call, created, params, ()))


def slashed(path: str) -> tuple[str, str]:
    """A path with and without the trailing slash DrChrono clients often add."""
    return (path, path + "/")
