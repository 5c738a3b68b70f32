"""The one configuration object, read from an environment mapping (never at import time)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from fleet.faults import FleetFaults
from gateway.ratelimit import parse_rate
from producers.catalog import PRODUCERS

__all__ = ["ENVIRONMENT", "Settings", "SettingsError"]


class SettingsError(ValueError):
    """The environment holds a value crate cannot run with; the message names the variable."""


# variable -> (field, description); README's settings table is written from this.
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "CRATE_HOST": ("host", "address the gateway listens on (default 127.0.0.1)"),
    "CRATE_PORT": ("port", "port the gateway listens on (default 8080)"),
    "CRATE_DATA_DIR": ("data_dir", "where the fleet file, key store and snapshots live (default .crate)"),
    "CRATE_FLEET_DB": ("fleet_db", "the demo fleet's SQLite file (default <data dir>/fleet.db)"),
    "CRATE_FLEET_ARTISTS": ("fleet_artists", "artists in a generated demo fleet (default 5000)"),
    "CRATE_FLEET_URL": ("fleet_url", "a served fleet (`crate fleet serve`); unset = the embedded fleet"),
    "CRATE_PRODUCER_TIMEOUT_MS": ("producer_timeout_ms", "patience per producer call (default 800)"),
    "CRATE_REQUEST_DEADLINE_MS": (
        "request_deadline_ms",
        "deadline for all producer work of one request (default 2500)",
    ),
    "CRATE_BREAKER_FAILURES": ("breaker_failures", "consecutive failures that open a producer's breaker (default 5)"),
    "CRATE_BREAKER_COOLDOWN_S": ("breaker_cooldown_s", "seconds an open breaker waits before a probe (default 10)"),
    "CRATE_CACHE_MAX_BYTES": (
        "cache_max_bytes",
        "bound of the shared producer-row cache; 0 turns it off (default 64 MiB)",
    ),
    "CRATE_KEY_DB": ("key_db", "the API key store (default <data dir>/keys.db)"),
    "CRATE_MAX_BODY_BYTES": ("max_body_bytes", "largest request body accepted (default 65536)"),
    "CRATE_LOG_LEVEL": ("log_level", "debug, info, warning or error (default info)"),
    "CRATE_BEACON_SECRET": (
        "beacon_secret",
        "HS256 secret for beacon tokens, ≥ 32 bytes (default: random, kept in <data dir>)",
    ),
    "CRATE_BEACON_DB": ("beacon_db", "the beacon store (default <data dir>/beacons.db)"),
    "CRATE_SNAPSHOT_DIR": (
        "snapshot_dir_setting",
        "where discovery snapshots are published (default <data dir>/snapshots)",
    ),
    "CRATE_RATE_LIMIT_TEST": ("rate_limit_test", "requests/seconds allowed per ck_test_ key (default 600/60)"),
    "CRATE_RATE_LIMIT_LIVE": ("rate_limit_live", "requests/seconds allowed per ck_live_ key (default 6000/60)"),
    "CRATE_REDIS_URL": (
        "redis_url",
        "Redis shared by gateway instances (limits, beacon claims, row cache); unset = memory",
    ),
    "CRATE_REDIS_PREFIX": (
        "redis_prefix",
        "start of every Redis key; instances that should share state share it (default crate:)",
    ),
    "CRATE_GRAPHIQL_ASSETS": (
        "graphiql_assets",
        "where `make assets` put GraphiQL's files (default gateway/static/graphiql)",
    ),
}


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    data_dir: Path = Path(".crate")
    fleet_db: Path | None = None
    fleet_artists: int = Field(5000, ge=20, le=5_000_000)
    fleet_url: str | None = None
    producer_urls: dict[str, str] = Field(default_factory=dict)
    producer_timeout_ms: int = Field(800, ge=1, le=60_000)
    request_deadline_ms: int = Field(2500, ge=1, le=120_000)
    breaker_failures: int = Field(5, ge=1, le=1000)
    breaker_cooldown_s: float = Field(10.0, gt=0, le=3600)
    cache_max_bytes: int = Field(64 * 1024 * 1024, ge=0)
    key_db: Path | None = None
    max_body_bytes: int = Field(65_536, ge=512, le=16 * 1024 * 1024)
    log_level: str = "info"
    graphiql_assets: Path = Path(__file__).resolve().parent / "static" / "graphiql"
    beacon_secret: SecretStr | None = Field(None, min_length=32)
    beacon_db: Path | None = None
    snapshot_dir_setting: Path | None = None
    rate_limit_test: str = "600/60"
    rate_limit_live: str = "6000/60"
    redis_url: str | None = None
    redis_prefix: str = Field("crate:", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9:_.-]+$")
    fleet_faults: FleetFaults = Field(default_factory=FleetFaults)

    @field_validator("producer_urls")
    @classmethod
    def _known_producers(cls, urls: dict[str, str]) -> dict[str, str]:
        known = {spec.name for spec in PRODUCERS}
        unknown = set(urls) - known
        if unknown:
            raise ValueError(f"unknown producer(s): {', '.join(sorted(unknown))}")
        return urls

    @field_validator("rate_limit_test", "rate_limit_live")
    @classmethod
    def _rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return url

    @field_validator("log_level")
    @classmethod
    def _level(cls, level: str) -> str:
        if level.lower() not in {"debug", "info", "warning", "error"}:
            raise ValueError("must be debug, info, warning or error")
        return level.lower()

    @property
    def fleet_path(self) -> Path:
        return self.fleet_db or self.data_dir / "fleet.db"

    @property
    def key_path(self) -> Path:
        return self.key_db or self.data_dir / "keys.db"

    @property
    def snapshot_dir(self) -> Path:
        return self.snapshot_dir_setting or self.data_dir / "snapshots"

    @property
    def beacon_path(self) -> Path:
        return self.beacon_db or self.data_dir / "beacons.db"

    @property
    def embedded_fleet(self) -> bool:
        """Whether any producer is served by the in-process fleet."""
        return self.fleet_url is None and any(spec.name not in self.producer_urls for spec in PRODUCERS)

    def producer_url(self, name: str) -> str | None:
        """Where a producer lives; None means the embedded fleet."""
        if name in self.producer_urls:
            return self.producer_urls[name].rstrip("/") + "/"
        if self.fleet_url:
            return f"{self.fleet_url.rstrip('/')}/{name}/"
        return None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        values: dict[str, Any] = {}
        for variable, (name, _help) in ENVIRONMENT.items():
            if environ.get(variable, "") != "":
                values[name] = environ[variable]
        values["producer_urls"] = {
            spec.name: environ[f"CRATE_PRODUCER_{spec.env_name}_URL"]
            for spec in PRODUCERS
            if environ.get(f"CRATE_PRODUCER_{spec.env_name}_URL")
        }
        try:
            values["fleet_faults"] = FleetFaults.from_env(environ)
            return cls.model_validate(values)
        except ValidationError as exc:
            fields = {name: var for var, (name, _h) in ENVIRONMENT.items()}
            problems = [f"{fields.get(str(err['loc'][0]), err['loc'][0])}: {err['msg']}" for err in exc.errors()]
            raise SettingsError("invalid settings: " + "; ".join(problems)) from None
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
