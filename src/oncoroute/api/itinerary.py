"""POST /api/itinerary: an accepted plan in, its trips, dates and costs out (PLANNER.md §3).

The body is read by the itinerary core itself rather than by django-ninja, so the API refuses
exactly what the command line refuses, each problem named by the same JSON path
(`items[2].sessions`); the request schema shown in the docs is the core's own model.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router

from oncoroute.api.auth import coordinator_auth
from oncoroute.itinerary import PlanRequest, parse_request, plan_trips

router = Router(tags=["itinerary"])


def _inlined(schema: Any, definitions: dict[str, Any]) -> Any:
    """The model's JSON schema with its `$defs` written in place (none of them is recursive)."""
    if isinstance(schema, dict):
        reference = schema.get("$ref", "")
        if reference.startswith("#/$defs/"):
            return _inlined(definitions[reference.removeprefix("#/$defs/")], definitions)
        return {key: _inlined(value, definitions) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inlined(value, definitions) for value in schema]
    return schema


def _request_schema() -> dict[str, Any]:
    schema = PlanRequest.model_json_schema()
    definitions = schema.pop("$defs", {})
    return {
        "required": True,
        "content": {"application/json": {"schema": _inlined(schema, definitions)}},
    }


def _refuse_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _refused(problems: list[tuple[str, str]]) -> JsonResponse:
    detail = [{"field": field, "message": message} for field, message in problems]
    return JsonResponse({"detail": detail}, status=422)


@router.post(
    "/itinerary",
    auth=coordinator_auth,
    response=dict[str, Any],
    summary="Plan the trips of an accepted treatment plan",
    description=(
        "Takes the plan of PLANNER.md §1 (the clinic's open days, fares, the items of the "
        "plan, the patient's travel status) and returns the §3 object: each session's day, the "
        "hospital stays, the trips with the earliest safe day home (SPEC §8.1), and the costs "
        "beside a single long stay. Bad input gets a 422 whose `detail` names every problem by "
        "its JSON path (`$` is the whole input). Coordinators only; nothing is stored."
    ),
    openapi_extra={"requestBody": _request_schema()},
)
def itinerary_plan(request: HttpRequest) -> Any:
    try:
        data = json.loads(request.body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        return _refused([("$", f"not a JSON document: {error}")])
    plan = parse_request(data)
    if isinstance(plan, list):
        return _refused([(problem.field, problem.message) for problem in plan])
    return plan_trips(plan).to_dict()
