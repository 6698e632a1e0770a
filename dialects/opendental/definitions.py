"""Open Dental Definitions (reference/opendental/apidefinitions.md): GET many
(``Category``, ``includeHidden``) and POST. Definitions are the canonical
definitions the other Open Dental resources point at (commlog types, task and
treatment priorities, diagnoses, billing types, provider specialties).

Decisions where the page is silent:

- GET lists in Open Dental's definition order: by category number, then the
  definition's order within its category, then ``DefNum`` (the example lists
  "Sales Tax" 293 before "Professional Discount" 8 in AdjTypes).
  ``includeHidden`` is "true" or "false" (400 otherwise); ``Category`` a
  category number, 0 to 52 (400 otherwise).
- POST: ``category`` is a category name (:mod:`.definition_categories`), in
  any case; ``Category`` is dropped unread ("silently ignored"). ``ItemName``
  cannot be blank. A new definition goes last in its category. ``ItemValue``
  is checked as Open Dental's definition window checks it, for the categories
  that window checks (:data:`VALUE_RULES`); any text elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from canonical import Definition, Invalid, Query, Record
from canonical import DefinitionCategory as C
from dialects.base import Call, Reply
from dialects.codec import Codec, Field
from dialects.opendental.definition_categories import NAMES, CategoryNumber, number_of
from dialects.opendental.formats import Bool, Int, Text
from dialects.opendental.paging import OffsetPaging
from dialects.opendental.params import Params
from dialects.opendental.resource import OpenDentalResource
from dialects.paging import Show
from dialects.params import Params as BaseParams

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "VALUE_RULES"]

CODEC = Codec(
    "opendental",
    Definition,
    [
        Field("DefNum", "num", Int(), read_only=True),
        Field("ItemName", "name", Text(), accepts="POST", required="POST"),
        Field("ItemValue", "value", Text(), accepts="POST"),
        Field("Category", "category", CategoryNumber(), read_only=True),
        Field("category", "category", NAMES, accepts="POST", required="POST"),
        Field("isHidden", "is_hidden", Bool(), accepts="POST"),
    ],
)


def _one_of(*allowed: str, fold: bool = False) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        ok = value.lower() in {a.lower() for a in allowed} if fold else value in allowed
        shown = ", ".join(a or "blank" for a in allowed)
        return None if ok else f"must be one of: {shown}"

    return check


def _whole(low: int, high: int | None, *, blank: bool) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if blank and value == "":
            return None
        ok = value.isdigit() and int(value) >= low and (high is None or int(value) <= high)
        upper = f" to {high}" if high is not None else " or more"
        return None if ok else f"must be a whole number, {low}{upper}"

    return check


def _at_most(length: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if len(value) <= length else f"must be at most {length} characters"

    return check


VALUE_RULES: dict[C, Callable[[str], str | None]] = {
    C.adjustment_type: _one_of("+", "-", "dp"),
    C.billing_type: _one_of("", "E", "C", "CE", fold=True),
    C.claim_custom_tracking: _whole(0, None, blank=False),
    C.discount_type: _whole(0, 100, blank=True),
    C.insurance_payment_type: _one_of("", "N"),
    C.operatory_old: _at_most(5),
    C.paysplit_unearned_type: _one_of("", "X", fold=True),
    C.recall_unscheduled_status: _at_most(7),
}
"""What ``ItemValue`` may be, per category; each returns the problem, or ``None``."""


async def _filters(call: Call, params: Params, query: Query) -> None:
    category = params.parsed("Category", lambda raw: CategoryNumber().from_wire(raw, call.ctx))
    if category is not None:
        query.add("category", "eq", category)
    if not params.switch("includeHidden"):
        query.add("is_hidden", "eq", False)


def _drop(body: dict[str, Any], method: str) -> dict[str, Any]:
    """ "Attempts to set the Category (definition.Category) will be silently ignored"."""
    return {k: v for k, v in body.items() if k != "Category"}


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if not str(patch.get("name", "")).strip():
        raise Invalid.field("ItemName", "ItemName cannot be blank.")
    category: C = patch["category"]
    rule = VALUE_RULES.get(category)
    problem = rule(patch.get("value", "")) if rule else None
    if problem:
        name = NAMES.reverse[category]
        raise Invalid.field("ItemValue", f"ItemValue for {name} {problem}.")
    siblings = await call.backend.find(Definition, Query(order=[]).add("category", "eq", category))
    patch["order"] = max((getattr(d, "order", 0) for d in siblings.items), default=-1) + 1
    return patch


class DefinitionOrder(OffsetPaging):
    """Offset paging over the definitions in Open Dental's order (category number,
    then order): the category's number is not a stored column, so the window is
    cut after sorting. A practice has hundreds of definitions, not millions."""

    async def reply(
        self, call: Call, model: type[Record], query: Query, params: BaseParams, show: Show
    ) -> Reply:
        offset, limit = self.window(params)
        found = (await call.backend.find(model, query)).items
        found.sort(key=_position)
        return Reply(200, await show(found[offset : offset + limit]))


def _position(record: Record) -> tuple[int, int, int]:
    assert isinstance(record, Definition)
    return number_of(record.category), record.order, record.num or 0


class DefinitionResource(OpenDentalResource):
    paging = DefinitionOrder()


RESOURCE = DefinitionResource(
    "/definitions",
    CODEC,
    operations=("list", "create"),
    item="DefNum",
    takes=("Category", "includeHidden"),
    required_first=True,
    filters=_filters,
    drop=_drop,
    prepare=_prepare,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"definition": CODEC}
