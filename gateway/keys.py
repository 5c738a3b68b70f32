"""API keys: minted here, shown once, stored only as SHA-256 digests.

A key is `ck_<mode>_<32 base62>` (about 190 bits of entropy), so a fast digest is
enough: there is nothing to brute-force that a slow KDF would protect. Lookups go
by digest and the final comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import string
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KEY_PATTERN", "ApiKey", "KeyStore", "is_well_formed", "mint_secret"]

KEY_PATTERN = re.compile(r"^ck_(live|test)_[0-9A-Za-z]{32}$")
_ALPHABET = string.digits + string.ascii_letters
_MODES = ("test", "live")


def mint_secret(mode: str) -> str:
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {', '.join(_MODES)}")
    return f"ck_{mode}_" + "".join(secrets.choice(_ALPHABET) for _ in range(32))


def is_well_formed(secret: str) -> bool:
    return KEY_PATTERN.fullmatch(secret) is not None


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("ascii")).digest()


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    mode: str
    hint: str  # the first characters, enough to tell keys apart in a listing
    created_at: int
    revoked_at: int | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class KeyStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS api_keys (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, mode TEXT NOT NULL, hint TEXT NOT NULL,
                digest BLOB NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked_at INTEGER
            );
            """
        )

    def close(self) -> None:
        self._db.close()

    def create(self, mode: str, name: str = "") -> tuple[ApiKey, str]:
        """Mint a key; the secret is returned here and never again."""
        secret = mint_secret(mode)
        key = ApiKey(f"key_{secrets.token_hex(8)}", name, mode, secret[:12], int(time.time()), None)
        self._db.execute(
            "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (key.id, key.name, key.mode, key.hint, _digest(secret), key.created_at),
        )
        return key, secret

    def list(self) -> list[ApiKey]:
        rows = self._db.execute("SELECT id, name, mode, hint, created_at, revoked_at FROM api_keys ORDER BY rowid")
        return [ApiKey(*row) for row in rows]

    def revoke(self, key_id: str) -> bool:
        cursor = self._db.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (int(time.time()), key_id)
        )
        return cursor.rowcount == 1

    def active_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL").fetchone()[0])

    def verify(self, secret: str) -> ApiKey | None:
        """The active key with this secret, or None (malformed, unknown or revoked)."""
        if not is_well_formed(secret):
            return None
        digest = _digest(secret)
        row = self._db.execute(
            "SELECT id, name, mode, hint, created_at, revoked_at, digest FROM api_keys WHERE digest = ?", (digest,)
        ).fetchone()
        if row is None or not hmac.compare_digest(row[6], digest) or row[5] is not None:
            return None
        return ApiKey(*row[:6])
