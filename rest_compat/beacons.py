"""`POST /api/v2/search-events/observed` and `/refined`: client telemetry about one search.

Authenticated by the search's beacon JWT (not X-API-Key), bodies capped at 512 bytes before
parsing (BodyLimitMiddleware), strict bodies whose 400s carry Zod's flattened error shape,
202 when stored (durably, before answering) and 204 for a beacon already stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.beacons import BeaconLedger, TokenRejected, verify_token
from gateway.errors import error_response, request_id_of

__all__ = [
    "BEACON_KINDS",
    "BEACON_MAX_BYTES",
    "BEACON_PATHS",
    "ObservedBeacon",
    "RefinedBeacon",
    "beacon_routes",
    "zod_flatten",
]

BEACON_MAX_BYTES = 512
SearchEventId = Annotated[str, Field(pattern=r"^sev_[A-Za-z0-9_-]{10,64}$")]


def _integral(value: Any) -> Any:
    """JSON has one number type: 12.0 is the integer 12 (as JSON Schema says); 12.5 stays a float
    and is refused by the strict int that follows."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Count = Annotated[int, Field(ge=0), BeforeValidator(_integral)]


class ObservedBeacon(BaseModel):
    """A result was served from the client's cache."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    search_event_id: SearchEventId
    result_count: Count | None = None
    cache_age_seconds: Annotated[float, Field(ge=0)] | None = None


class RefinedBeacon(BaseModel):
    """The user changed the query, grains or facets of a search."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    search_event_id: SearchEventId
    q: Annotated[str, Field(min_length=1, max_length=512)] | None = None
    grains: list[Literal["artist", "label", "festival", "master"]] | None = None
    facets: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = None


BEACON_KINDS: dict[str, type[BaseModel]] = {"observed": ObservedBeacon, "refined": RefinedBeacon}
BEACON_PATHS = frozenset(f"/api/v2/search-events/{kind}" for kind in BEACON_KINDS)


def zod_flatten(error: ValidationError) -> dict[str, Any]:
    """Pydantic's error list in the shape Zod's `error.flatten()` gives: form errors and errors by field."""
    form: list[str] = []
    fields: dict[str, list[str]] = {}
    unknown = [str(e["loc"][0]) for e in error.errors() if e["type"] == "extra_forbidden"]
    if unknown:
        form.append("Unrecognized key(s) in object: " + ", ".join(f"'{key}'" for key in unknown))
    for item in error.errors():
        if item["type"] == "extra_forbidden":
            continue
        if not item["loc"]:
            form.append("Expected object" if item["type"] == "model_type" else item["msg"])
            continue
        message = "Required" if item["type"] == "missing" else item["msg"]
        fields.setdefault(str(item["loc"][0]), []).append(message)
    return {"formErrors": form, "fieldErrors": fields}


def _bad_body(request: Request, details: dict[str, Any]) -> Response:
    return error_response(
        request_id_of(request.scope),
        400,
        "invalid_request",
        "The beacon body is not valid.",
        details=details,
    )


def _unauthorised(request: Request, code: str, message: str) -> Response:
    headers = {"WWW-Authenticate": 'Bearer realm="crate:beacon"'}
    return error_response(request_id_of(request.scope), 401, code, message, headers=headers)


def beacon_routes(ledger: Callable[[], BeaconLedger], secret: Callable[[], bytes]) -> list[Route]:
    def endpoint(kind: str) -> Callable[[Request], Any]:
        model = BEACON_KINDS[kind]

        async def receive(request: Request) -> Response:
            scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return _unauthorised(
                    request, "missing_beacon_token", "Send the search's beacon token as Authorization: Bearer <token>."
                )
            try:
                sev = verify_token(token.strip(), secret())
            except TokenRejected as exc:
                return _unauthorised(request, "invalid_beacon_token", str(exc))
            raw = await request.body()
            try:
                payload = orjson.loads(raw)
            except orjson.JSONDecodeError:
                return _bad_body(request, {"formErrors": ["Invalid JSON"], "fieldErrors": {}})
            try:
                beacon = model.model_validate(payload)
            except ValidationError as exc:
                return _bad_body(request, zod_flatten(exc))
            if beacon.search_event_id != sev:  # type: ignore[attr-defined]
                return error_response(
                    request_id_of(request.scope),
                    403,
                    "beacon_event_mismatch",
                    "This token belongs to another search_event_id.",
                )
            if await ledger().record(kind, sev, beacon.model_dump(exclude_none=True)):
                return Response(
                    orjson.dumps({"stored": True, "search_event_id": sev}),
                    status_code=202,
                    media_type="application/json",
                )
            return Response(status_code=204)

        receive.__name__ = f"search_event_{kind}"
        return receive

    return [Route(path, endpoint(path.rsplit("/", 1)[1]), methods=["POST"]) for path in sorted(BEACON_PATHS)]
