"""The error envelope on every error, request ids, and body limits."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.errors import ApiError, api_error_handler, http_exception_handler
from gateway.middleware import BodyLimitMiddleware, RequestContextMiddleware


def tiny_app(max_bytes: int = 512) -> Starlette:
    async def boom(request: Request) -> Response:
        raise RuntimeError("secret internals: /etc/passwd line 3")

    async def teapot(request: Request) -> Response:
        raise ApiError(
            400,
            "invalid_request",
            "q is required",
            details=[{"path": "q", "message": "required", "code": "missing"}],
            extras={"next": "/api/v2/resolve?q=x"},
        )

    async def echo(request: Request) -> Response:
        return JSONResponse({"bytes": len(await request.body())})

    return Starlette(
        routes=[Route("/boom", boom), Route("/teapot", teapot), Route("/echo", echo, methods=["POST"])],
        middleware=[Middleware(RequestContextMiddleware), Middleware(BodyLimitMiddleware, max_bytes=max_bytes)],
        exception_handlers={HTTPException: http_exception_handler, ApiError: api_error_handler},
    )


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t")


async def test_an_unhandled_error_is_a_500_envelope_without_internals() -> None:
    async with client(tiny_app()) as c:
        response = await c.get("/boom", headers={"X-Request-Id": "trace-42"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "trace-42"
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on our side. Quote the request_id if you report it.",
            "details": [],
            "request_id": "trace-42",
        }
    }
    assert "passwd" not in response.text and "Traceback" not in response.text


async def test_api_errors_carry_details_and_route_extras() -> None:
    async with client(tiny_app()) as c:
        response = await c.get("/teapot")
    assert response.status_code == 400
    rid = response.headers["x-request-id"]
    assert rid.startswith("req_") and len(rid) == 36
    assert response.json() == {
        "error": {
            "code": "invalid_request",
            "message": "q is required",
            "details": [{"path": "q", "message": "required", "code": "missing"}],
            "request_id": rid,
        },
        "next": "/api/v2/resolve?q=x",
    }


@pytest.mark.parametrize("offered", ["", "x" * 129, "bad id with spaces", "é"])
async def test_unusable_client_request_ids_are_replaced(offered: str) -> None:
    async with client(tiny_app()) as c:
        response = await c.get("/teapot", headers={"X-Request-Id": offered.encode("utf-8")})
    assert response.headers["x-request-id"].startswith("req_")


async def test_404_and_405_use_the_envelope(gateway: tuple[Starlette, httpx.AsyncClient]) -> None:
    _app, c = gateway
    missing = await c.get("/nowhere")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "code": "not_found",
            "message": "No route matches this path. GET /api/v2 lists what there is.",
            "details": [],
            "request_id": missing.headers["x-request-id"],
        }
    }
    wrong = await c.delete("/api/v2")
    assert wrong.status_code == 405
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert wrong.json()["error"]["code"] == "method_not_allowed"


async def test_413_on_declared_length_before_reading() -> None:
    async with client(tiny_app(max_bytes=512)) as c:
        fits = await c.post("/echo", content=b"x" * 512)
        too_big = await c.post("/echo", content=b"x" * 513)
    assert fits.json() == {"bytes": 512}
    assert too_big.status_code == 413
    assert too_big.json()["error"] == {
        "code": "payload_too_large",
        "message": "The request body is larger than 512 bytes.",
        "details": [],
        "request_id": too_big.headers["x-request-id"],
    }


async def test_413_on_chunked_bodies_without_length() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(3):
            yield b"x" * 200

    async with client(tiny_app(max_bytes=512)) as c:
        response = await c.post("/echo", content=chunks())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_every_answer_carries_a_request_id(gateway: tuple[Starlette, httpx.AsyncClient]) -> None:
    _app, c = gateway
    ok = await c.get("/api/v2", headers={"X-Request-Id": "abc-123"})
    assert ok.status_code == 200 and ok.headers["x-request-id"] == "abc-123"
