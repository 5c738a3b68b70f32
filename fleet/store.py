"""The fleet's SQLite file: one key → JSON-row table per producer table, plus meta and samples.

Rows are stored as the JSON bytes the batch protocol serves, so answering a batch
is a keyed lookup and a byte join, with no parse and no re-encode.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from producers.catalog import PRODUCERS
from resolvers.identity_norm import pe_norm_v1

__all__ = ["INDEX_VIEWS", "TABLES", "FleetStore", "StoreWriter", "content_digest"]

# Producer tables that are views of the search index's documents rather than stored tables of
# their own (table -> the document grain): a master's row is its search document, by master id.
INDEX_VIEWS: dict[str, str] = {"masters": "master"}
TABLES: tuple[str, ...] = tuple(t.name for p in PRODUCERS for t in p.tables if t.name not in INDEX_VIEWS)
_FLUSH_EVERY = 20_000
# SQLite binds at most 32,766 variables per statement; batches are ≤ 500 keys anyway.
_MAX_VARS = 900
_PER_TOKEN = 500


class StoreWriter:
    """Writes a fresh fleet file. Not for concurrent use; the generator owns it."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -262144;
            PRAGMA page_size = 8192;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE search_docs (grain TEXT NOT NULL, ref TEXT NOT NULL, popularity REAL NOT NULL,
                                      doc BLOB NOT NULL, PRIMARY KEY (grain, ref)) WITHOUT ROWID;
            CREATE TABLE search_terms (term TEXT NOT NULL, grain TEXT NOT NULL, ref TEXT NOT NULL,
                                       popularity REAL NOT NULL, PRIMARY KEY (term, grain, ref)) WITHOUT ROWID;
            CREATE TABLE samples (grain TEXT NOT NULL, ord INTEGER NOT NULL, body BLOB NOT NULL,
                                  PRIMARY KEY (grain, ord));
            """
        )
        for name in TABLES:
            self._db.execute(f'CREATE TABLE "{name}" (key TEXT PRIMARY KEY, row BLOB NOT NULL) WITHOUT ROWID')
        self._pending: dict[str, list[tuple[str, bytes]]] = {name: [] for name in TABLES}
        self._docs: list[tuple[str, str, float, bytes]] = []
        self._terms: list[tuple[str, str, str, float]] = []
        self._counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def put(self, table: str, key: str, row: Any) -> None:
        pending = self._pending[table]
        pending.append((key, orjson.dumps(row)))
        if len(pending) >= _FLUSH_EVERY:
            self._flush(table)

    def _flush(self, table: str) -> None:
        pending = self._pending[table]
        if pending:
            self._db.executemany(f'INSERT INTO "{table}" (key, row) VALUES (?, ?)', pending)
            self._counts[table] += len(pending)
            pending.clear()

    def searchable(self, grain: str, ref: str, popularity: float, terms: Iterable[str], doc: dict[str, Any]) -> None:
        """File a document in the search index under each of its terms."""
        self._docs.append((grain, ref, popularity, orjson.dumps(doc)))
        self._terms.extend((term, grain, ref, popularity) for term in set(terms))
        if len(self._terms) >= _FLUSH_EVERY:
            self._flush_search()

    def _flush_search(self) -> None:
        self._db.executemany("INSERT OR IGNORE INTO search_docs VALUES (?, ?, ?, ?)", self._docs)
        self._db.executemany("INSERT OR IGNORE INTO search_terms VALUES (?, ?, ?, ?)", self._terms)
        self._docs.clear()
        self._terms.clear()

    def sample(self, grain: str, ord_: int, body: dict[str, Any]) -> None:
        self._db.execute("INSERT INTO samples VALUES (?, ?, ?)", (grain, ord_, orjson.dumps(body)))

    def meta(self, name: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, orjson.dumps(value).decode()))

    def close(self) -> dict[str, int]:
        for table in TABLES:
            self._flush(table)
        self._flush_search()
        self._db.execute("CREATE INDEX search_by_popularity ON search_terms (term, grain, popularity)")
        self.meta("row_counts", self._counts)
        self._db.commit()
        self._db.close()
        return dict(self._counts)


class FleetStore:
    """Read-only access to a generated fleet file, shared by every producer service."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise FileNotFoundError(f"no fleet data at {path}; run `crate fleet generate`")
        self.path = path
        # Read-only and immutable: no locks, safe to share across the event loop's tasks.
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self.meta: dict[str, Any] = {
            name: orjson.loads(value) for name, value in self._db.execute("SELECT name, value FROM meta")
        }

    def close(self) -> None:
        self._db.close()

    def rows(self, table: str, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored JSON of each key that has a row; keys without one are absent."""
        if table in INDEX_VIEWS:
            sql, head = "SELECT ref, doc FROM search_docs WHERE grain = ? AND ref IN ({marks})", [INDEX_VIEWS[table]]
        elif table in TABLES:
            sql, head = f'SELECT key, row FROM "{table}" WHERE key IN ({{marks}})', []
        else:
            raise KeyError(table)
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), _MAX_VARS):
            chunk = keys[start : start + _MAX_VARS]
            found.update(self._db.execute(sql.format(marks=",".join("?" * len(chunk))), [*head, *chunk]).fetchall())
        return found

    def search(self, tokens: list[str], grains: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """Documents matching every token: the last as a prefix (typeahead, 3+ letters), the others
        whole. Ranked by how many tokens match whole, then popularity.

        Each token reads at most _PER_TOKEN rows in index order (no sort). The smallest token set
        that was read complete drives; the other tokens are checked against each candidate's own
        words, so a common word ("the", "dj") never hides a match behind its cap."""
        tokens = [token for token in tokens if token]
        if not tokens or not grains:
            return []
        marks = ",".join("?" * len(grains))
        sets: list[tuple[str, bool, bool, dict[tuple[str, str], tuple[int, float]]]] = []
        for n, token in enumerate(tokens):
            prefix = n == len(tokens) - 1 and len(token) >= 3
            if prefix:
                sql = (
                    f"SELECT grain, ref, term, popularity FROM search_terms WHERE term >= ? AND term < ? "
                    f"AND grain IN ({marks}) LIMIT {_PER_TOKEN + 1}"
                )
                args: tuple[Any, ...] = (token, token + "\U0010ffff", *grains)
            else:
                sql = (
                    f"SELECT grain, ref, term, popularity FROM search_terms WHERE term = ? AND grain IN ({marks}) "
                    f"ORDER BY popularity DESC LIMIT {_PER_TOKEN + 1}"
                )
                args = (token, *grains)
            found: dict[tuple[str, str], tuple[int, float]] = {}
            for grain, ref, term, popularity in self._db.execute(sql, args):
                whole = int(term == token)
                if found.get((grain, ref), (-1, 0.0))[0] < whole:
                    found[(grain, ref)] = (whole, popularity)
            sets.append((token, prefix, len(found) <= _PER_TOKEN, found))
        _token, _prefix, _complete, driver = min(sets, key=lambda entry: (not entry[2], len(entry[3])))
        docs: dict[tuple[str, str], dict[str, Any]] = {}
        scored = []
        for hit, (_whole, popularity) in driver.items():
            score, ok = 0, True
            for token, prefix, complete, found in sets:
                if hit in found:
                    score += found[hit][0]
                    continue
                if complete:
                    ok = False
                    break
                if self._has_term(token, hit):  # a whole-word match, by primary key
                    score += 1
                elif not (prefix and any(word.startswith(token) for word in self._words(hit, docs))):
                    ok = False
                    break
            if ok:
                scored.append((-score, -popularity, hit))
        scored.sort()
        ranked = [hit for _score, _popularity, hit in scored[:limit]]
        return [self._doc(hit, docs) for hit in ranked]

    def _has_term(self, term: str, hit: tuple[str, str]) -> bool:
        sql = "SELECT 1 FROM search_terms WHERE term = ? AND grain = ? AND ref = ?"
        return self._db.execute(sql, (term, *hit)).fetchone() is not None

    def _doc(self, hit: tuple[str, str], docs: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
        if hit not in docs:
            row = self._db.execute("SELECT doc FROM search_docs WHERE grain = ? AND ref = ?", hit).fetchone()
            docs[hit] = orjson.loads(row[0])
        return docs[hit]

    def _words(self, hit: tuple[str, str], docs: dict[tuple[str, str], dict[str, Any]]) -> set[str]:
        doc = self._doc(hit, docs)
        norm = pe_norm_v1(doc.get("name") or doc.get("title") or "") or ""
        return set(norm.split(" "))

    def row(self, table: str, key: str) -> Any | None:
        raw = self.rows(table, [key]).get(key)
        return None if raw is None else orjson.loads(raw)

    def scan(self, table: str) -> Iterator[tuple[str, Any]]:
        """Every row of a table in key order (for tests, snapshots and sampling, not for requests)."""
        sql, args = (
            ("SELECT ref, doc FROM search_docs WHERE grain = ? ORDER BY ref", [INDEX_VIEWS[table]])
            if table in INDEX_VIEWS
            else (f'SELECT key, row FROM "{table}" ORDER BY key', [])
        )
        for key, raw in self._db.execute(sql, args):
            yield key, orjson.loads(raw)

    def range_from(self, table: str, start: str, limit: int = 1) -> list[tuple[str, Any]]:
        """The first rows at or after a key (for benchmarks that want rows spread over the key space)."""
        cursor = self._db.execute(f'SELECT key, row FROM "{table}" WHERE key >= ? ORDER BY key LIMIT ?', (start, limit))
        return [(key, orjson.loads(raw)) for key, raw in cursor]

    def count(self, table: str) -> int:
        return int(self._db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def samples(self, grain: str, limit: int) -> list[dict[str, Any]]:
        cursor = self._db.execute("SELECT body FROM samples WHERE grain = ? ORDER BY ord LIMIT ?", (grain, limit))
        return [orjson.loads(body) for (body,) in cursor]


def generator_version(path: Path) -> int | None:
    """The generator version a fleet file was written by (None: not a fleet file)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE name = 'generator_version'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return None if row is None else int(orjson.loads(row[0]))


def content_digest(path: Path) -> str:
    """A digest of everything a fleet file holds, independent of SQLite's page layout."""
    digest = hashlib.sha256()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names: Iterable[str] = ("meta", "samples", "search_docs", "search_terms", *TABLES)
        for name in names:
            digest.update(name.encode())
            for row in db.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2'):
                digest.update(orjson.dumps([v.decode() if isinstance(v, bytes) else v for v in row]))
    finally:
        db.close()
    return digest.hexdigest()
