"""Search-event beacons: the per-search JWT and the durable, idempotent store (DESIGN §7).

A token is HS256 with the algorithm pinned on verify, `iss: crate`, `aud: crate:beacon`, `sev`
(the search_event_id it is bound to), `iat` and a 15-minute `exp`. A beacon is stored — committed
to disk — before the gateway answers 202; the same beacon again is a 204 and is stored once. With
Redis, "again" spans every gateway instance: the first instance to claim a beacon's digest answers
202, the others 204 — and each still writes what it received to its own disk first, so a claim that
Redis loses never loses a beacon.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jwt
import orjson

__all__ = [
    "BeaconLedger",
    "BeaconStore",
    "TokenRejected",
    "beacon_digest",
    "load_secret",
    "mint_token",
    "new_search_event_id",
    "verify_token",
]

ISSUER = "crate"
AUDIENCE = "crate:beacon"
TOKEN_SECONDS = 15 * 60
MIN_SECRET_BYTES = 32


def new_search_event_id() -> str:
    """Unguessable: 144 random bits."""
    return "sev_" + secrets.token_urlsafe(18)


def load_secret(configured: str | None, data_dir: Path) -> bytes:
    """The signing secret: from settings, else a random one kept in the data dir across restarts."""
    if configured:
        secret = configured.encode()
    else:
        path = data_dir / "beacon.secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        secret = path.read_text().strip().encode()
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the beacon secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret


def mint_token(secret: bytes, search_event_id: str, now: float | None = None) -> tuple[str, int]:
    issued = int(now if now is not None else time.time())
    expires = issued + TOKEN_SECONDS
    claims = {"sev": search_event_id, "iss": ISSUER, "aud": AUDIENCE, "iat": issued, "exp": expires}
    return jwt.encode(claims, secret, algorithm="HS256"), expires


class TokenRejected(Exception):
    """Why a bearer token is not accepted; the message is safe to show the caller."""


def verify_token(token: str, secret: bytes) -> str:
    """The search_event_id the token is bound to, or TokenRejected."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],  # pinned: alg none, RS256 and friends are refused before any key is used
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["sev", "iss", "aud", "iat", "exp"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenRejected("the beacon token has expired") from None
    except jwt.ImmatureSignatureError:
        raise TokenRejected("the beacon token is not valid yet") from None
    except jwt.MissingRequiredClaimError as exc:
        raise TokenRejected(f"the beacon token lacks the {exc.claim!r} claim") from None
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
        raise TokenRejected("the beacon token was not issued for beacons by crate") from None
    except jwt.PyJWTError:
        raise TokenRejected("the beacon token is not valid") from None
    sev = claims["sev"]
    if not isinstance(sev, str) or not sev:
        raise TokenRejected("the beacon token's 'sev' claim is not a search_event_id")
    return sev


def _canonical(body: dict[str, Any]) -> bytes:
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def beacon_digest(kind: str, body: dict[str, Any]) -> bytes:
    """What makes two beacons the same one: their kind and their canonical body."""
    return hashlib.sha256(kind.encode() + b"\0" + _canonical(body)).digest()


@dataclass(frozen=True, slots=True)
class StoredBeacon:
    kind: str
    search_event_id: str
    body: dict[str, Any]
    received_at: float


class BeaconStore:
    """SQLite with synchronous=FULL: when `record` returns, the beacon is on disk."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS beacons (
                kind TEXT NOT NULL, search_event_id TEXT NOT NULL, digest BLOB NOT NULL, body BLOB NOT NULL,
                received_at REAL NOT NULL, PRIMARY KEY (kind, digest)
            );
            """
        )

    def close(self) -> None:
        self._db.close()

    def record(self, kind: str, search_event_id: str, body: dict[str, Any]) -> bool:
        """Store a beacon; False when this exact beacon was stored before (nothing is written)."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO beacons VALUES (?, ?, ?, ?, ?)",
            (kind, search_event_id, beacon_digest(kind, body), _canonical(body), time.time()),
        )
        return cursor.rowcount == 1

    def all(self) -> list[StoredBeacon]:
        rows = self._db.execute("SELECT kind, search_event_id, body, received_at FROM beacons ORDER BY rowid")
        return [StoredBeacon(kind, sev, orjson.loads(body), at) for kind, sev, body, at in rows]


class Claims(Protocol):
    async def claim(self, name: str, ttl_seconds: int) -> bool | object: ...


# A beacon can be sent only while its token lives; its claim outlives the token with room to spare.
CLAIM_SECONDS = 4 * TOKEN_SECONDS


class BeaconLedger:
    """Records a beacon durably here, then asks the shared claims (when there are any) whether it is
    new across instances. Claims unreachable -> this instance's store decides."""

    def __init__(self, store: BeaconStore, claims: Claims | None = None) -> None:
        self.store = store
        self.claims = claims

    async def record(self, kind: str, search_event_id: str, body: dict[str, Any]) -> bool:
        new_here = self.store.record(kind, search_event_id, body)
        if self.claims is None:
            return new_here
        first = await self.claims.claim("beacon:" + beacon_digest(kind, body).hex(), CLAIM_SECONDS)
        return first if isinstance(first, bool) else new_here
