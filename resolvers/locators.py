"""What a `/resolve` query is: a name, a pasted link, a foreign locator or a cluster id.

Pure parsing, no I/O. Links are reduced to the locator the identity graph's
`foreign_ids` table is keyed by (`discogs:<id>`, `mbid:<uuid>`, `bandcamp:<sub>`);
links crate recognises but does not cross-reference, and links it does not know,
come back with a `note` and no locator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

__all__ = ["ParsedQuery", "QueryKind", "is_cluster_hex", "is_foreign_locator", "parse_query"]

_HEX64 = re.compile(r"[0-9a-f]{64}")
_LOCATOR_PREFIX = re.compile(r"^[a-z][a-z0-9-]*:")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_BARE_HOST_PATH = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DISCOGS_ID = re.compile(r"[0-9]{1,12}")
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# /artist/<id>[-Name], optionally behind a locale segment such as /de/ or /pt_BR/
_DISCOGS_PATH = re.compile(r"^/(?:[a-z]{2}(?:[_-][A-Za-z]{2})?/)?(artist|release|master|label|user)/([^/]+)/?$")
_MB_PATH = re.compile(r"^/([a-z-]+)/([^/]+)(?:/.*)?$")
_MB_ENTITIES = {"release", "release-group", "recording", "work", "label", "place", "event", "area", "series", "url"}
_TWITTER_HOSTS = {"twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"}
_BANDCAMP_NON_ARTISTS = {"www", "daily", "blog", "bandcamp", "m", "f4"}
_LOCATOR_SCHEMES = ("discogs", "mbid", "bandcamp")


class QueryKind(StrEnum):
    NAME = "name"
    URL = "url"
    LOCATOR = "locator"


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    kind: QueryKind
    #: the foreign_ids key to look up, when the query names one
    locator: str | None = None
    #: the 64-hex cluster id, when the query is one
    cluster_id: str | None = None
    #: what surface matched (before any lookup): discogs_artist_id, mbid, bandcamp_subdomain, twitter
    matched_on: str | None = None
    note: str | None = None


def is_cluster_hex(text: str) -> bool:
    return _HEX64.fullmatch(text) is not None


def is_foreign_locator(text: str) -> bool:
    """`scheme:…` keys, which are not canonical addresses (DESIGN §2)."""
    return _LOCATOR_PREFIX.match(text) is not None


def _locator(scheme: str, value: str) -> ParsedQuery:
    if scheme == "discogs":
        if _DISCOGS_ID.fullmatch(value):
            return ParsedQuery(QueryKind.LOCATOR, locator=f"discogs:{int(value)}", matched_on="discogs_artist_id")
        return ParsedQuery(
            QueryKind.LOCATOR, note="A discogs: locator takes a numeric Discogs artist id, e.g. discogs:45."
        )
    if scheme == "mbid":
        if _UUID.fullmatch(value.lower()):
            return ParsedQuery(QueryKind.LOCATOR, locator=f"mbid:{value.lower()}", matched_on="mbid")
        return ParsedQuery(QueryKind.LOCATOR, note="An mbid: locator takes a MusicBrainz artist UUID.")
    if _SUBDOMAIN.fullmatch(value.lower()):
        return ParsedQuery(QueryKind.LOCATOR, locator=f"bandcamp:{value.lower()}", matched_on="bandcamp_subdomain")
    return ParsedQuery(QueryKind.LOCATOR, note="A bandcamp: locator takes a Bandcamp subdomain, e.g. bandcamp:burial.")


def _discogs(path: str) -> ParsedQuery:
    match = _DISCOGS_PATH.match(path)
    if match is None:
        return ParsedQuery(QueryKind.URL, note="A Discogs link, but not to an artist page.")
    entity, tail = match.groups()
    if entity != "artist":
        return ParsedQuery(QueryKind.URL, note=f"A Discogs {entity} link; crate resolves Discogs artist links.")
    digits = re.match(r"^([0-9]{1,12})(?:-.*)?$", tail)
    if digits is None:
        return ParsedQuery(QueryKind.URL, note="A Discogs artist link without a numeric artist id.")
    return ParsedQuery(QueryKind.URL, locator=f"discogs:{int(digits.group(1))}", matched_on="discogs_artist_id")


def _musicbrainz(path: str) -> ParsedQuery:
    match = _MB_PATH.match(path)
    if match is None:
        return ParsedQuery(QueryKind.URL, note="A MusicBrainz link, but not to an artist page.")
    entity, ident = match.groups()
    if entity != "artist":
        kind = entity if entity in _MB_ENTITIES else "non-artist"
        return ParsedQuery(QueryKind.URL, note=f"A MusicBrainz {kind} link; crate resolves MusicBrainz artist links.")
    if not _UUID.fullmatch(ident.lower()):
        return ParsedQuery(QueryKind.URL, note="A MusicBrainz artist link whose id is not a valid UUID.")
    return ParsedQuery(QueryKind.URL, locator=f"mbid:{ident.lower()}", matched_on="mbid")


def _link(text: str) -> ParsedQuery:
    try:
        parts = urlsplit(text if _URL_SCHEME.match(text) else f"https://{text}")
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ParsedQuery(QueryKind.URL, note="This looks like a link but cannot be parsed as one.")
    if parts.scheme.lower() not in ("http", "https"):
        return ParsedQuery(QueryKind.URL, note=f"crate follows http(s) links only, not {parts.scheme.lower()}: links.")
    if not host:
        return ParsedQuery(QueryKind.URL, note="This link has no host.")
    bare = host[4:] if host.startswith("www.") else host
    if bare == "discogs.com":
        return _discogs(parts.path)
    if bare == "musicbrainz.org" or bare.endswith(".musicbrainz.org"):
        return _musicbrainz(parts.path)
    if host.endswith(".bandcamp.com"):
        sub = host[: -len(".bandcamp.com")]
        if sub in _BANDCAMP_NON_ARTISTS or not _SUBDOMAIN.fullmatch(sub):
            return ParsedQuery(QueryKind.URL, note="A Bandcamp link, but not to an artist's page.")
        return ParsedQuery(QueryKind.URL, locator=f"bandcamp:{sub}", matched_on="bandcamp_subdomain")
    if host in _TWITTER_HOSTS or host in {f"www.{h}" for h in _TWITTER_HOSTS}:
        return ParsedQuery(
            QueryKind.URL,
            matched_on="twitter",
            note="A Twitter/X link: crate recognises it but does not cross-reference Twitter accounts yet.",
        )
    return ParsedQuery(QueryKind.URL, note=f"crate does not cross-reference links from {host}.")


def parse_query(q: str) -> ParsedQuery:
    """Classify a query that has already passed the length checks."""
    text = q.strip()
    if is_cluster_hex(text):
        return ParsedQuery(QueryKind.LOCATOR, cluster_id=text)
    if _URL_SCHEME.match(text) or _BARE_HOST_PATH.match(text):
        return _link(text)
    scheme, sep, value = text.partition(":")
    if sep and scheme.lower() in _LOCATOR_SCHEMES and value and " " not in value:
        return _locator(scheme.lower(), value.strip())
    if sep and _LOCATOR_PREFIX.match(text) and value and not value.startswith(" "):
        # `javascript:…`, `isrc:…`, `spotify:artist:…`: shaped like a locator, of no kind crate knows.
        return ParsedQuery(
            QueryKind.LOCATOR,
            note=f"crate does not know {scheme}: locators; it understands discogs:, mbid: and bandcamp:.",
        )
    return ParsedQuery(QueryKind.NAME)
