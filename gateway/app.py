"""The ASGI app factory: `uvicorn gateway.app:create_app --factory`."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from gateway.errors import ApiError, api_error_handler, http_exception_handler
from gateway.graphql import ASSETS_URL, GatewayGraphQL, wants_playground
from gateway.metrics import Metrics, MetricsMiddleware
from gateway.middleware import ApiKeyMiddleware, BodyLimitMiddleware, RequestContextMiddleware, header
from gateway.ratelimit import RateLimitMiddleware, parse_rate
from gateway.services import Services
from gateway.settings import Settings
from rest_compat.beacons import BEACON_MAX_BYTES, BEACON_PATHS, beacon_routes
from rest_compat.cube import cube_route
from rest_compat.openapi import OPENAPI_PATH, openapi_route
from rest_compat.root import root_route
from rest_compat.routes import ROUTES
from rest_compat.table import endpoints
from rest_compat.v1 import DeprecationMiddleware, v1_routes
from schema.root import build_schema

__all__ = ["create_app"]

KEYED_PREFIXES = ("/api", "/graphql")
# Public: no X-API-Key. The beacon routes carry their own credential (the search's bearer JWT).
PUBLIC_PATHS = ("/api/v2", OPENAPI_PATH, *BEACON_PATHS)


def _playground_request(scope: Scope) -> bool:
    return scope["path"] == "/graphql" and wants_playground(
        scope["method"], scope.get("query_string", b""), header(scope, b"accept") or ""
    )


async def healthz(request: Request) -> Response:
    """Alive: the process answers. Readiness (producers, snapshots) is /readyz."""
    return Response(orjson.dumps({"status": "ok"}), media_type="application/json")


def create_app(settings: Settings | None = None) -> Starlette:
    """Build a gateway. With no settings, they are read from the process environment."""
    settings = settings or Settings.from_env(os.environ)
    metrics = Metrics()
    services = Services(settings, metrics)
    schema = build_schema()
    graphql = GatewayGraphQL(schema, services, settings.graphiql_assets)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.start()
        # Move start-up objects (schema, types, clients) out of the collector's generations, so
        # the collections that requests trigger do not rescan them: a p99 tail at no cost.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await services.aclose()
            gc.unfreeze()

    async def readyz(request: Request) -> Response:
        report = await services.readiness()
        status = 200 if report["status"] == "ready" else 503
        return Response(orjson.dumps(report), status_code=status, media_type="application/json")

    async def metrics_page(request: Request) -> Response:
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_page, methods=["GET"]),
            root_route(services.snapshots),
            openapi_route(schema._schema),
            *endpoints(ROUTES, schema, services),
            *beacon_routes(lambda: services.beacon_ledger, lambda: services.beacon_secret),
            cube_route(schema, services),
            *v1_routes(services),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Mount(ASSETS_URL.rstrip("/"), StaticFiles(directory=settings.graphiql_assets, check_dir=False)),
        ],
        middleware=[
            Middleware(RequestContextMiddleware),
            Middleware(MetricsMiddleware, metrics=metrics),
            Middleware(DeprecationMiddleware),
            Middleware(
                BodyLimitMiddleware,
                max_bytes=settings.max_body_bytes,
                limit_for=lambda path: BEACON_MAX_BYTES if path in BEACON_PATHS else None,
            ),
            Middleware(
                ApiKeyMiddleware,
                keys=lambda: services.keys,
                keyed_prefixes=KEYED_PREFIXES,
                public_paths=PUBLIC_PATHS,
                public_when=_playground_request,
            ),
            Middleware(
                RateLimitMiddleware,
                limiter=services.limiter,
                on_reject=lambda mode: metrics.rate_limited.labels(mode).inc(),
                rates={"test": parse_rate(settings.rate_limit_test), "live": parse_rate(settings.rate_limit_live)},
            ),
        ],
        exception_handlers={HTTPException: http_exception_handler, ApiError: api_error_handler},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.schema = schema
    return app
