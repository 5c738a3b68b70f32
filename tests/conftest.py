from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from fleet.generate import generate
from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from tests.contract import check_answer
from tests.servers import CRATE, UNLIMITED, RedisServer, crate_process, redis_process


@pytest.fixture(scope="session")
def fleet_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default-size demo fleet, generated once for the whole run."""
    path = tmp_path_factory.mktemp("fleet") / "fleet.db"
    generate(path)
    return path


@pytest.fixture(scope="session")
def fleet_store(fleet_db: Path) -> Iterator[FleetStore]:
    store = FleetStore(fleet_db)
    yield store
    store.close()


@pytest.fixture
def make_settings(tmp_path: Path, fleet_db: Path) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": tmp_path, "fleet_db": fleet_db, "rate_limit_test": UNLIMITED}
        values.update(overrides)
        return Settings(**values)

    return build


async def _hold_to_contract(response: httpx.Response) -> None:
    """Every /api answer a test sees must keep the OpenAPI document (tests/contract.py)."""
    if response.request.url.path.startswith("/api/"):
        await response.aread()
        check_answer(
            response.request.method,
            response.request.url.path,
            response.status_code,
            response.headers,
            response.content,
        )


@asynccontextmanager
async def running(app: Starlette, contract: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan started, behind an in-process HTTP client that checks every /api
    answer against the OpenAPI document (benchmarks turn that off: it is not the gateway's cost)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        hooks = {"response": [_hold_to_contract]} if contract else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://crate.test", event_hooks=hooks) as client:
            yield client


@pytest.fixture
async def gateway(make_settings: Callable[..., Settings]) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    app = create_app(make_settings())
    async with running(app) as client:
        yield app, client


@pytest.fixture
def api_key(gateway: tuple[Starlette, httpx.AsyncClient]) -> str:
    app, _client = gateway
    _key, secret = app.state.services.keys.create("test", "pytest")
    return str(secret)


@pytest.fixture(scope="session")
def served_fleet(fleet_db: Path) -> Iterator[str]:
    """`crate fleet serve` over real HTTP on a free port, shared by the session."""
    with crate_process(["fleet", "serve", "--db", str(fleet_db)], env={}) as base:
        yield base


@pytest.fixture(scope="session")
def served_gateway(tmp_path_factory: pytest.TempPathFactory, fleet_db: Path) -> Iterator[tuple[str, str]]:
    """`crate serve` (uvicorn) on the embedded demo fleet, and a key for it: (base URL, key)."""
    data = tmp_path_factory.mktemp("gateway")
    env = {"CRATE_DATA_DIR": str(data), "CRATE_FLEET_DB": str(fleet_db)}
    minted = subprocess.run(
        [CRATE, "keys", "create", "--json"], env={**os.environ, **env}, capture_output=True, check=True
    )
    key = orjson.loads(minted.stdout)["key"]
    with crate_process(["serve"], env=env) as base:
        yield base, key


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server for the session; tests keep apart by key names (each mints its own keys)."""
    with redis_process() as server:
        yield server
