"""`/graphql`: Strawberry's ASGI view with our per-request context and a GraphiQL page whose
assets the gateway serves itself (installed from the npm registry by `make assets`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import strawberry
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http.ides import get_graphql_ide_html

from gateway.context import Context
from gateway.errors import request_id_of
from gateway.services import Services

__all__ = ["ASSET_FILES", "GatewayGraphQL", "wants_playground"]

ASSETS_URL = "/static/graphiql/"
# What Strawberry's page loads from the CDN, as paths below ASSETS_URL (DESIGN §6).
ASSET_FILES = (
    "graphiql@3.8.3/graphiql.min.js",
    "graphiql@3.8.3/graphiql.min.css",
    "react@18.2.0/umd/react.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js",
    "js-cookie@3.0.5/dist/js.cookie.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css",
)


def wants_playground(method: str, query_string: bytes, accept: str) -> bool:
    """The browser GET that asks for the page (Strawberry's own rule), which needs no API key."""
    has_query = any(part.split(b"=", 1)[0] == b"query" for part in query_string.split(b"&"))
    return method == "GET" and not has_query and ("text/html" in accept or "*/*" in accept)


def playground_html() -> str:
    # The integrity attributes stay: the local files are byte-identical to the CDN's.
    html = get_graphql_ide_html("graphiql").replace("https://unpkg.com/", ASSETS_URL)
    return html.replace("<title>Strawberry GraphiQL</title>", "<title>crate · GraphiQL</title>")


class GatewayGraphQL(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, services: Services, assets: Path) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.services = services
        self.assets = assets
        self._html = playground_html()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        caller = request.scope.get("state", {}).get("caller")
        return self.services.context(request_id_of(request.scope), caller)

    async def render_graphql_ide(self, request: Request) -> Response:
        missing = [name for name in ASSET_FILES if not (self.assets / name).is_file()]
        if missing:
            return HTMLResponse(
                "<h1>GraphiQL is not installed</h1><p>Its assets come from the npm registry: run "
                "<code>make assets</code> (make run does it), then reload.</p>",
                status_code=503,
            )
        return HTMLResponse(self._html)

    def encode_json(self, data: Any) -> bytes:
        return orjson.dumps(data)
