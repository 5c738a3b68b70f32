"""ASGI middleware, outermost first: request context (id + last-resort 500), body limit, API key."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Collection
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import error_response, internal_error, request_id_of
from gateway.keys import KeyStore

__all__ = ["ApiKeyMiddleware", "BodyLimitMiddleware", "RequestContextMiddleware", "header"]

log = logging.getLogger("crate.gateway")
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
                return None
    return None


class RequestContextMiddleware:
    """Gives every request an id (the client's X-Request-Id when sane), echoes it on every answer, and
    turns an escaped exception into the internal_error envelope — never a stack trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = header(scope, b"x-request-id")
        request_id = offered if offered and _CLIENT_REQUEST_ID.match(offered) else f"req_{uuid.uuid4().hex}"
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if not started:
                await internal_error(request_id)(scope, receive, send)


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 for bodies over the limit, judged on the bytes received (chunked bodies too), before any
    handler parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int, limit_for: Callable[[str], int | None] | None = None) -> None:
        if max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        self.app = app
        self.max_bytes = max_bytes
        self.limit_for = limit_for or (lambda _path: None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"]) or self.max_bytes
        declared = header(scope, b"content-length")
        if declared is not None and (not (declared.isascii() and declared.isdigit()) or int(declared) > limit):
            await self._reject(scope, receive, send, limit)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._reject(scope, receive, send, limit)

    @staticmethod
    async def _reject(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = error_response(
            request_id_of(scope),
            413,
            "payload_too_large",
            f"The request body is larger than {limit} bytes.",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


class ApiKeyMiddleware:
    """Requires a valid X-API-Key on every path under the keyed prefixes, except the public ones.

    Authentication comes before routing, so an unknown path under /api/ answers 401 to a caller
    without a key and 404 to one with a key: the route map is not disclosed anonymously."""

    def __init__(
        self,
        app: ASGIApp,
        keys: Callable[[], KeyStore],
        keyed_prefixes: Collection[str],
        public_paths: Collection[str],
        public_when: Callable[[Scope], bool] | None = None,
    ) -> None:
        self.app = app
        self.keys = keys
        self.keyed_prefixes = tuple(keyed_prefixes)
        self.public_paths = frozenset(p.rstrip("/") for p in public_paths)
        self.public_when = public_when or (lambda _scope: False)

    def is_keyed(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if path.rstrip("/") in self.public_paths or self.public_when(scope):
            return False
        return any(path == p or path.startswith(p + "/") for p in self.keyed_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.is_keyed(scope):
            await self.app(scope, receive, send)
            return
        offered = header(scope, b"x-api-key")
        if not offered:
            await self._reject(scope, receive, send, "missing_api_key", "Send your API key in the X-API-Key header.")
            return
        caller = self.keys().verify(offered.strip())
        if caller is None:
            await self._reject(
                scope,
                receive,
                send,
                "invalid_api_key",
                "This API key is not valid: it is malformed, unknown or revoked.",
            )
            return
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)

    @staticmethod
    async def _reject(scope: Scope, receive: Receive, send: Send, code: str, message: str) -> None:
        headers: dict[str, Any] = {"WWW-Authenticate": 'ApiKey header="X-API-Key"'}
        await error_response(request_id_of(scope), 401, code, message, headers=headers)(scope, receive, send)
