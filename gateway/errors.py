"""The error envelope every 4xx/5xx answer uses (DESIGN §5):

{"error": {"code", "message", "details": [{path, message, code}], "request_id"}, ...route extras}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["ApiError", "error_response", "http_exception_handler", "request_id_of"]

_CODES = {
    400: "invalid_request",
    401: "invalid_api_key",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "rate_limited",
    500: "internal_error",
}
_MESSAGES = {
    404: "No route matches this path. GET /api/v2 lists what there is.",
    405: "This route does not accept that method.",
    500: "Something went wrong on our side. Quote the request_id if you report it.",
}


class ApiError(Exception):
    """A client-facing error; raise it anywhere below the middleware."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Sequence[Mapping[str, Any]] = (),
        extras: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details)
        self.extras = dict(extras or {})
        self.headers = dict(headers or {})


def request_id_of(scope: Mapping[str, Any]) -> str:
    return str(scope.get("state", {}).get("request_id", ""))


def error_response(
    request_id: str,
    status: int,
    code: str,
    message: str,
    *,
    details: Sequence[Mapping[str, Any]] | Mapping[str, Any] = (),
    extras: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    error_extras: Mapping[str, Any] | None = None,
) -> Response:
    """`details` is the usual array of {path, message, code}, or (beacons) Zod's flattened object;
    `extras` go beside `error` (route extras), `error_extras` inside it (retry_after_seconds)."""
    shown = dict(details) if isinstance(details, Mapping) else list(details)
    error = {"code": code, "message": message, "details": shown, "request_id": request_id, **(error_extras or {})}
    body: dict[str, Any] = {"error": error}
    body.update(extras or {})
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={**(headers or {}), "X-Request-Id": request_id},
    )


def api_error_response(request_id: str, exc: ApiError) -> Response:
    return error_response(
        request_id, exc.status, exc.code, exc.message, details=exc.details, extras=exc.extras, headers=exc.headers
    )


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (and any HTTPException) in our envelope."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    message = _MESSAGES.get(status) or str(exc.detail)
    return error_response(
        request_id_of(request.scope),
        status,
        _CODES.get(status, "invalid_request"),
        message,
        headers=dict(exc.headers or {}),
    )


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return api_error_response(request_id_of(request.scope), exc)


def internal_error(request_id: str) -> Response:
    return error_response(request_id, 500, "internal_error", _MESSAGES[500])
