"""One producer over HTTP: the batch protocol (DESIGN §3) with splitting, a timeout and a breaker.

`ProducerClient.batch` never raises: every failure becomes a `Failed` outcome for
the keys it touched, and one bad row fails only its own key.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import orjson

from producers.breaker import CircuitBreaker
from producers.catalog import ProducerSpec, TableSpec
from producers.errors import (
    CircuitOpen,
    DeadlineExceeded,
    ProducerBadResponse,
    ProducerError,
    ProducerHTTPError,
    ProducerTimeout,
    ProducerUnavailable,
)
from producers.outcomes import Failed, Found, Missing, Outcome

__all__ = ["MAX_BATCH_KEYS", "ProducerClient"]

MAX_BATCH_KEYS = 500
# (the field that must be there, its type, how the error names the expected body)
_Shape = tuple[str, type, str]
_BATCH_SHAPE: _Shape = ("rows", dict, '{"table", "as_of", "rows"}')
_SEARCH_SHAPE: _Shape = ("results", list, '{"q", "as_of", "results"}')
_HEADERS = {"content-type": "application/json", "accept": "application/json"}


class ProducerClient:
    def __init__(
        self,
        spec: ProducerSpec,
        http: httpx.AsyncClient,
        *,
        timeout_seconds: float,
        breaker: CircuitBreaker,
        observe: Callable[[str, str, float], None] | None = None,
    ) -> None:
        self.spec = spec
        self.breaker = breaker
        self._http = http
        self._timeout = timeout_seconds
        self._observe = observe or (lambda _producer, _outcome, _seconds: None)

    async def batch(self, table: TableSpec, keys: Sequence[str], deadline: float) -> dict[str, Outcome]:
        """Rows for `keys` (deduplicated), split into protocol-sized calls that run concurrently."""
        unique = list(dict.fromkeys(keys))
        chunks = [unique[i : i + MAX_BATCH_KEYS] for i in range(0, len(unique), MAX_BATCH_KEYS)]
        results: dict[str, Outcome] = {}
        for part in await asyncio.gather(*(self._call(table, chunk, deadline) for chunk in chunks)):
            results.update(part)
        return results

    async def search(self, q: str, grains: list[str], limit: int, deadline: float) -> Outcome:
        """The search-index's ranked documents for a query: Found({"results": [...]}) or Failed."""
        try:
            body = await self._post("search", {"q": q, "grains": grains, "limit": limit}, deadline, _SEARCH_SHAPE)
        except ProducerError as exc:
            return Failed(exc.code, f"{self.spec.name}: {exc}".rstrip(": "))
        return Found({"results": body["results"]}, body["as_of"])

    async def _call(self, table: TableSpec, keys: list[str], deadline: float) -> dict[str, Outcome]:
        try:
            body = await self._post(f"tables/{table.name}/batch", {"keys": keys}, deadline, _BATCH_SHAPE)
            return self._outcomes(table, keys, body)
        except ProducerError as exc:
            failed = Failed(exc.code, f"{self.spec.name}: {exc}".rstrip(": "))
            return dict.fromkeys(keys, failed)

    async def _post(self, path: str, payload: dict[str, Any], deadline: float, shape: _Shape) -> Any:
        """POST JSON to the producer and return the parsed body if it has `shape`, or raise. Every
        outcome is settled with the breaker here, exactly once, and observed once."""
        started = time.perf_counter()
        try:
            body = await self._exchange(path, payload, deadline, shape)
        except ProducerError as exc:
            self._observe(self.spec.name, exc.code, time.perf_counter() - started)
            raise
        self._observe(self.spec.name, "ok", time.perf_counter() - started)
        return body

    async def healthy(self, timeout: float) -> bool:
        """Whether the producer answers its health check (for /readyz; never touches the breaker)."""
        try:
            async with asyncio.timeout(timeout):
                return (await self._http.get("healthz")).status_code == 200
        except (TimeoutError, httpx.HTTPError):
            return False

    async def _exchange(self, path: str, payload: dict[str, Any], deadline: float, shape: _Shape) -> Any:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded("the request deadline passed before the call")
        if not self.breaker.allow():
            raise CircuitOpen("breaker open; not called")
        # Whichever ends first: our patience with this producer, or the request's deadline.
        by_deadline = remaining < self._timeout
        try:
            async with asyncio.timeout(min(self._timeout, remaining)):
                response = await self._http.post(path, content=orjson.dumps(payload), headers=_HEADERS)
            if response.status_code != 200:
                raise ProducerHTTPError(response.status_code)
            body = orjson.loads(response.content)
        except TimeoutError as exc:
            error: ProducerError = (
                DeadlineExceeded("the request deadline passed during the call")
                if by_deadline
                else ProducerTimeout(f"no answer within {self._timeout:.3g}s")
            )
            self._settle(error)
            raise error from exc
        except httpx.TimeoutException as exc:
            self._settle(error := ProducerTimeout(str(exc) or type(exc).__name__))
            raise error from exc
        except httpx.HTTPError as exc:
            self._settle(error := ProducerUnavailable(str(exc) or type(exc).__name__))
            raise error from exc
        except orjson.JSONDecodeError as exc:
            self._settle(error := ProducerBadResponse("body is not JSON"))
            raise error from exc
        except ProducerError as exc:
            self._settle(exc)
            raise
        field, kind, text = shape
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("as_of"), str)
            or not isinstance(body.get(field), kind)
        ):
            self._settle(error := ProducerBadResponse(f"body is not {text}"))
            raise error
        self.breaker.record_success()
        return body

    def _settle(self, error: ProducerError) -> None:
        if error.counts_against_producer:
            self.breaker.record_failure()
        else:
            self.breaker.release()

    def _outcomes(self, table: TableSpec, keys: list[str], body: dict[str, Any]) -> dict[str, Outcome]:
        rows, as_of = body["rows"], body["as_of"]
        results: dict[str, Outcome] = {}
        for key in keys:
            row = rows.get(key)
            if row is None:
                results[key] = Missing(as_of)
            elif isinstance(row, table.shape):
                results[key] = Found(row, as_of)
            else:
                results[key] = Failed(
                    "bad_row", f"{self.spec.name}: row for {table.name} is not a {table.shape.__name__}"
                )
        return results
