"""The deterministic demo world: artists, labels, festivals and every producer table over them.

Same seed and size give the same file, byte for byte in content (see
`store.content_digest`). The world is shaped like the real one (DESIGN §3):
half of the long-tail booking artists carry neither a Discogs id nor an MBID,
sources spell names differently, homonyms share a cluster, sublabel chains run
four deep with one raw cycle, festivals are filed under several raw names and
lineups name acts by raw strings, some of which resolve to nobody.
"""

from __future__ import annotations

import os
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fleet.names import NameSource, festival_fragment_names, source_spellings, strip_accents
from fleet.store import StoreWriter
from resolvers.identity_norm import cluster_id as artist_cluster_id
from resolvers.identity_norm import festival_id, label_id, name_tokens, pe_norm_v1, slug_for
from schema.registry import ARTIST_FACETS, IDENTITY_SOURCE

__all__ = ["DEFAULT_SEED", "EPOCH", "GENERATOR_VERSION", "WorldSize", "generate"]

GENERATOR_VERSION = 3  # bump whenever tables or row shapes change: older files are regenerated
DEFAULT_SEED = 20261204
EPOCH = date(2026, 11, 1)  # the demo world's "today": dates are relative to it, never to the clock
_MAX_RELEASE_GROUPS = 40
_NAME_INDEX_POSTINGS = 24  # clusters kept per name token, most popular first
_OUTLETS = ("Low End Review", "Signal Weekly", "Crate Digest", "Night Shift", "Wax Journal", "Frequency Notes")
_FORMATS = ("Vinyl", "CD", "Cassette", "File")
_GOLDEN = (
    "The Chemical Brothers",
    "Björk",
    "Sigur Rós",
    "Simon & Garfunkel",
    "Burial",
    "Röyksopp",
    "MØ",
    "Jay-Z",
    "!!!",
    "The The",
)

# Which artist facet each table feeds, from the facet registry; `crate fleet sample` reports these.
FACET_OF_TABLE = {IDENTITY_SOURCE.table: IDENTITY_SOURCE.name, **{spec.table: spec.name for spec in ARTIST_FACETS}}


@dataclass(frozen=True, slots=True)
class WorldSize:
    artists: int
    labels: int
    festivals: int

    @classmethod
    def for_artists(cls, artists: int) -> WorldSize:
        if artists < 20:
            raise ValueError("the demo world needs at least 20 artists")
        return cls(artists, max(12, round(artists * 0.3)), max(5, min(round(artists * 0.03), 3000)))


@dataclass(slots=True)
class _Artist:
    index: int
    name: str
    cluster_id: str
    slug: str
    segment: str  # head | mid | long_tail
    spellings: dict[str, str]
    discogs_ids: list[int] = field(default_factory=list)
    discogs_names: list[str] = field(default_factory=list)
    mbid: str | None = None
    bandcamp: str | None = None
    booked: bool = False
    press: bool = False
    popularity: float = 0.0
    tables: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Label:
    index: int
    name: str
    label_id: str
    slug: str
    parent: int | None
    owners: int = 0
    wants: int = 0
    catalogue: int = 0


def _terms(name: str) -> list[str]:
    """A name's search terms: each word of its norm, and the whole norm."""
    norm = pe_norm_v1(name)
    return [] if norm is None else [*norm.split(" "), norm]


def _iso(day: date) -> str:
    return day.isoformat()


class _World:
    def __init__(self, size: WorldSize, seed: int, out: StoreWriter, tick: Callable[[int], None]) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.names = NameSource(self.rng)
        self.out = out
        self.tick = tick
        self.artist_norms: set[str] = set()
        self.artists: list[_Artist] = []
        self.labels: list[_Label] = []
        self.subdomains: set[str] = set()
        self.next_discogs_id = 1000
        self.next_master_id = 50_000
        self.artist_festivals: dict[int, set[str]] = {}
        self.name_index: dict[str, list[tuple[float, int]]] = {}
        self.cycle: list[int] = []

    # ---- helpers -------------------------------------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def discogs_id(self) -> int:
        self.next_discogs_id += self.rng.randint(1, 9)
        return self.next_discogs_id

    def day_before(self, max_days: int) -> date:
        return EPOCH - timedelta(days=self.rng.randint(0, max_days))

    def put(self, artist: _Artist | None, table: str, key: str, row: Any) -> None:
        self.out.put(table, key, row)
        if artist is not None:
            artist.tables.add(table)

    # ---- labels --------------------------------------------------------------------------
    def build_labels(self) -> None:
        seen: set[str] = set()
        depth: list[int] = []
        rng = self.rng
        for index in range(self.size.labels):
            while True:
                name = self.names.label()
                norm = pe_norm_v1(name)
                if norm and norm not in seen:
                    seen.add(norm)
                    break
            if 1 <= index <= 4:
                parent: int | None = index - 1  # one guaranteed chain, four deep
            elif index > 4 and rng.random() < 0.35:
                parent = rng.randrange(index)
                parent = parent if depth[parent] < 4 else None
            else:
                parent = None
            depth.append(0 if parent is None else depth[parent] + 1)
            assert norm is not None
            self.labels.append(_Label(index, name, str(label_id(name)), slug_for(norm), parent))
        # The raw data's one bad cycle: three labels that name each other as parents.
        self.cycle = [self.size.labels - 3, self.size.labels - 2, self.size.labels - 1]
        for pos, index in enumerate(self.cycle):
            self.labels[index].parent = self.cycle[(pos + 1) % 3]

    def write_labels(self) -> None:
        for label in self.labels:
            parent = None if label.parent is None else self.labels[label.parent]
            self.out.searchable(
                "label",
                label.label_id,
                float(label.owners),
                _terms(label.name),
                {
                    "grain": "label",
                    "label_id": label.label_id,
                    "name": label.name,
                    "slug": label.slug,
                },
            )
            self.put(
                None,
                "labels",
                label.label_id,
                {
                    "label_id": label.label_id,
                    "name": label.name,
                    "slug": label.slug,
                    "aliases": sorted({label.name, label.name.upper()}),
                    "discogs_label_id": 100 + label.index * 3,
                },
            )
            self.put(
                None,
                "label_lineage",
                label.label_id,
                {
                    "label_id": label.label_id,
                    "name": label.name,
                    "parent_label_id": None if parent is None else parent.label_id,
                },
            )
            if label.catalogue:
                self.put(
                    None,
                    "label_community",
                    label.label_id,
                    {
                        "owners": label.owners,
                        "wants": label.wants,
                        "catalogue_size": label.catalogue,
                    },
                )

    # ---- artists -------------------------------------------------------------------------
    def new_artist(self, index: int, forced_name: str | None) -> _Artist:
        while True:
            name = forced_name or self.names.artist()
            norm = pe_norm_v1(name)
            if norm and norm not in self.artist_norms:
                break
            if forced_name:
                raise ValueError(f"golden name {forced_name!r} clashes")
        self.artist_norms.add(norm)
        cid = str(artist_cluster_id(name))
        spellings = {src: raw for src, raw in source_spellings(name).items() if pe_norm_v1(raw) == norm}
        roll = self.rng.random()
        segment = "head" if forced_name or roll < 0.06 else "mid" if roll < 0.45 else "long_tail"
        scale = {"head": 1000.0, "mid": 100.0, "long_tail": 10.0}[segment]
        artist = _Artist(index, name, cid, slug_for(norm), segment, spellings)
        artist.popularity = round(scale * self.rng.uniform(0.5, 1.5), 2)
        for token in name_tokens(norm):
            self.name_index.setdefault(token, []).append((-artist.popularity, index))
        return artist

    def bind_ids(self, artist: _Artist, force_homonym: bool) -> None:
        rng = self.rng
        odds = {"head": (0.97, 0.9, 0.3), "mid": (0.85, 0.6, 0.45), "long_tail": (0.30, 0.28, 0.5)}
        p_discogs, p_mbid, p_bandcamp = odds[artist.segment]
        if rng.random() < p_discogs or force_homonym:
            artist.discogs_ids.append(self.discogs_id())
            artist.discogs_names.append(artist.spellings.get("discogs", artist.name))
            if force_homonym or rng.random() < 0.015:
                # Another artist of the same name: Discogs disambiguates, the cluster does not.
                artist.discogs_ids.append(self.discogs_id())
                artist.discogs_names.append(f"{artist.name} (2)")
        if rng.random() < p_mbid:
            artist.mbid = self.uuid()
        if rng.random() < p_bandcamp:
            base = re.sub(r"[^a-z0-9]", "", strip_accents(artist.slug).lower())[:40] or f"artist{artist.index}"
            sub, n = base, 1
            while sub in self.subdomains:
                n += 1
                sub = f"{base}{n}"
            self.subdomains.add(sub)
            artist.bandcamp = sub
        artist.booked = artist.segment == "long_tail" or rng.random() < (0.8 if artist.segment == "head" else 0.6)
        artist.press = rng.random() < {"head": 0.9, "mid": 0.5, "long_tail": 0.1}[artist.segment]

    def write_identity(self, artist: _Artist) -> None:
        aliases = sorted({artist.name, *artist.spellings.values(), *artist.discogs_names})
        self.out.searchable(
            "artist",
            artist.cluster_id,
            artist.popularity,
            _terms(artist.name),
            {
                "grain": "artist",
                "cluster_id": artist.cluster_id,
                "name": artist.name,
                "slug": artist.slug,
            },
        )
        self.put(
            artist,
            "clusters",
            artist.cluster_id,
            {
                "cluster_id": artist.cluster_id,
                "name": artist.name,
                "slug": artist.slug,
                "aliases": aliases,
                "mbid": artist.mbid,
                "bandcamp": artist.bandcamp,
                "sources": sorted(
                    s
                    for s, ok in (
                        ("booking", artist.booked),
                        ("discogs", bool(artist.discogs_ids)),
                        ("musicbrainz", bool(artist.mbid)),
                        ("bandcamp", bool(artist.bandcamp)),
                    )
                    if ok
                ),
            },
        )
        if artist.discogs_ids:
            self.put(
                artist,
                "discogs_bind",
                artist.cluster_id,
                {
                    "cluster_id": artist.cluster_id,
                    "discogs_ids": artist.discogs_ids,
                    "names": artist.discogs_names,
                    "ambiguous": len(artist.discogs_ids) > 1,
                },
            )
        for did in artist.discogs_ids:
            self.put(None, "foreign_ids", f"discogs:{did}", {"cluster_id": artist.cluster_id, "kind": "discogs"})
        if artist.mbid:
            self.put(None, "foreign_ids", f"mbid:{artist.mbid}", {"cluster_id": artist.cluster_id, "kind": "mbid"})
        if artist.bandcamp:
            self.put(
                None,
                "foreign_ids",
                f"bandcamp:{artist.bandcamp}",
                {"cluster_id": artist.cluster_id, "kind": "bandcamp"},
            )

    def write_catalog(self, artist: _Artist) -> None:
        if not artist.discogs_ids:
            return
        rng = self.rng
        count = {"head": rng.randint(6, 30), "mid": rng.randint(2, 10), "long_tail": rng.randint(0, 3)}[artist.segment]
        mu_own, mu_dj, mean_critic = {"head": (6.0, 1.8, 3.0), "mid": (3.8, 1.0, 1.0), "long_tail": (2.0, 0.2, 0.3)}[
            artist.segment
        ]
        groups: list[dict[str, Any]] = []
        for _ in range(min(count, _MAX_RELEASE_GROUPS)):
            self.next_master_id += rng.randint(1, 5)
            labels = [self.labels[rng.randrange(len(self.labels))] for _ in range(rng.choice((1, 1, 1, 2)))]
            known = rng.random() >= 0.04
            owners = int(rng.lognormvariate(mu_own, 1.2)) if known else None
            wants = int(owners * rng.uniform(0.2, 2.5)) if owners is not None else None
            master = self.next_master_id
            artwork = (
                f"https://coverartarchive.org/release-group/{self.uuid()}/front-250"
                if rng.random() < 0.5
                else f"https://i.discogs.com/master/{master}/cover-250.jpg"
            )
            groups.append(
                {
                    "discogsMasterId": master,
                    "title": self.names.title(),
                    "year": rng.randint(1968, EPOCH.year),
                    "formats": sorted(set(rng.sample(_FORMATS, k=rng.randint(1, 3)))),
                    "labels": [{"label_id": lab.label_id, "name": lab.name} for lab in labels],
                    "artwork_url": artwork,
                    "owner_count": owners,
                    "want_count": wants,
                    "dj_count": int(rng.lognormvariate(mu_dj, 1.0)) if known else None,
                    "critic_count": int(rng.expovariate(1 / mean_critic)) if known else None,
                }
            )
            for lab in labels:
                lab.catalogue += 1
                lab.owners += owners or 0
                lab.wants += wants or 0
        if not groups:
            return
        groups.sort(key=lambda g: (g["year"], g["discogsMasterId"]))
        self.put(artist, "release_groups", artist.cluster_id, groups)
        for g in groups:
            self.out.searchable(
                "master",
                str(g["discogsMasterId"]),
                float(g["owner_count"] or 0),
                _terms(g["title"]),
                {
                    "grain": "master",
                    "discogsMasterId": g["discogsMasterId"],
                    "title": g["title"],
                    "artist": artist.name,
                    "cluster_id": artist.cluster_id,
                    "owner_count": g["owner_count"],
                    "dj_count": g["dj_count"],
                    "critic_count": g["critic_count"],
                },
            )
        counted = [g for g in groups if g["owner_count"] is not None]
        if counted:
            top = sorted(counted, key=lambda g: (-g["owner_count"], g["discogsMasterId"]))[:5]
            self.put(
                artist,
                "artist_community",
                artist.cluster_id,
                {
                    "owners": sum(g["owner_count"] for g in counted),
                    "wants": sum(g["want_count"] for g in counted),
                    "collected_release_groups": sum(1 for g in counted if g["owner_count"] > 0),
                    "top_releases": [
                        {"discogsMasterId": g["discogsMasterId"], "title": g["title"], "owners": g["owner_count"]}
                        for g in top
                    ],
                },
            )

    def write_signals(self, artist: _Artist) -> None:
        rng = self.rng
        handle = artist.bandcamp or re.sub(r"[^a-z0-9]", "", strip_accents(artist.slug)) or f"artist{artist.index}"
        if artist.press:
            count = rng.randint(1, 60 if artist.segment == "head" else 12)
            outlets = sorted(rng.sample(_OUTLETS, k=rng.randint(1, min(4, count))))
            reviews: list[dict[str, Any]] = []
            for n in range(min(5, count)):
                outlet = rng.choice(outlets)
                reviews.append(
                    {
                        "outlet": outlet,
                        "title": f"{artist.spellings.get('press', artist.name)}: {self.names.title()}",
                        "url": f"https://press.example/{slug_for(outlet.lower())}/{artist.slug}-{n + 1}",
                        "published_at": _iso(self.day_before(900)),
                        "score": round(rng.uniform(4.0, 9.8), 1) if rng.random() < 0.7 else None,
                    }
                )
            reviews.sort(key=lambda r: r["published_at"], reverse=True)
            self.put(
                artist,
                "editorial_coverage",
                artist.cluster_id,
                {"mention_count": count, "outlets": outlets, "reviews": reviews},
            )
        if (artist.booked or artist.press) and rng.random() < 0.7:
            score = round(rng.betavariate(2, 3) * 100, 1)
            self.put(
                artist,
                "momentum",
                artist.cluster_id,
                {
                    "momentum_score": score,
                    "tier": "breakout" if score >= 80 else "rising" if score >= 55 else "steady",
                    "booking_velocity": round(rng.uniform(-0.5, 3.0), 2) if artist.booked else 0.0,
                    "press_corroborated": artist.press and rng.random() < 0.6,
                    "first_seen": _iso(self.day_before(3650)),
                },
            )
        if rng.random() < (0.4 if artist.segment == "long_tail" else 0.75):
            links = [{"kind": "official", "url": f"https://{handle}.example"}]
            for kind, url in (
                ("instagram", f"https://instagram.com/{handle}"),
                ("soundcloud", f"https://soundcloud.com/{handle}"),
                ("twitter", f"https://x.com/{handle}"),
            ):
                if rng.random() < 0.5:
                    links.append({"kind": kind, "url": url})
            if artist.bandcamp:
                links.append({"kind": "bandcamp", "url": f"https://{artist.bandcamp}.bandcamp.com"})
            if artist.discogs_ids:
                links.append({"kind": "discogs", "url": f"https://www.discogs.com/artist/{artist.discogs_ids[0]}"})
            self.put(artist, "web_links", artist.cluster_id, {"links": links})
        if artist.mbid and rng.random() < 0.7:
            works = [
                {
                    "title": self.names.title(),
                    "iswc": f"T-{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}-{rng.randint(0, 9)}",
                    "role": rng.choice(("composer", "lyricist", "writer")),
                    "co_writers": [self.names.artist() for _ in range(rng.randint(0, 2))],
                }
                for _ in range(rng.randint(1, 8))
            ]
            self.put(artist, "compositions", artist.cluster_id, {"works": works})
        if artist.bandcamp:
            self.write_bandcamp(artist, artist.bandcamp)

    def write_bandcamp(self, artist: _Artist, sub: str) -> None:
        rng = self.rng
        releases = []
        for n in range(rng.randint(1, 6)):
            title = self.names.title()
            releases.append(
                {
                    "bandcamp_item_id": rng.randint(10**8, 10**10),
                    "title": title,
                    "track_url": f"https://{sub}.bandcamp.com/track/{slug_for(pe_norm_v1(title) or 'untitled')}-{n + 1}",
                    "release_date": _iso(self.day_before(2500)),
                }
            )
        self.put(artist, "bc_releases", sub, releases)
        if rng.random() < 0.85:
            self.put(
                artist,
                "bc_emergence",
                artist.cluster_id,
                {
                    "emergence_class": rng.choice(("early", "breaking", "established", "dormant")),
                    "demand_lead_days": rng.randint(0, 240),
                    "demand_ratio": round(rng.uniform(0.2, 6.0), 2),
                    "owner_reach": rng.randint(5, 20_000),
                    "wishlist_demand": rng.randint(0, 8000),
                    "distinct_releases": len(releases),
                    "earliest_wished_at": _iso(self.day_before(2500)),
                },
            )
        if rng.random() < 0.6:
            self.put(
                artist,
                "bc_tastemaker",
                artist.cluster_id,
                {
                    "supporter_cohort_size": rng.randint(3, 900),
                    "aesthetic_quality": {
                        axis: round(rng.random(), 3) for axis in ("coherence", "adventurousness", "consistency")
                    },
                    "mean_first_buyer_earliness_days": round(rng.uniform(0, 400), 1),
                },
            )

    # ---- festivals -----------------------------------------------------------------------
    def build_festivals(self) -> list[dict[str, Any]]:
        rng = self.rng
        booked = [a for a in self.artists if a.booked]
        seen: set[str] = set()
        samples = []
        for index in range(self.size.festivals):
            while True:
                canonical = self.names.festival()
                norm = pe_norm_v1(canonical)
                if norm and norm not in seen:
                    break
            city = self.names.city()
            years = sorted(rng.sample(range(2012, EPOCH.year + 1), k=rng.randint(2, 8)))
            raw_names = []
            for raw in festival_fragment_names(canonical, years, city, rng):
                raw_norm = pe_norm_v1(raw)
                if raw_norm and raw_norm not in seen:
                    seen.add(raw_norm)
                    raw_names.append(raw)
            fid = str(festival_id(canonical))
            fslug = slug_for(str(pe_norm_v1(canonical)))
            fragment_ids = [str(festival_id(raw)) for raw in raw_names]
            editions: dict[str, list[dict[str, Any]]] = {fid_: [] for fid_ in fragment_ids}
            for year in years:
                start = date(year, rng.randint(5, 9), rng.randint(1, 24))
                end = start + timedelta(days=rng.randint(1, 3))
                lineup = self.lineup(booked, fslug)
                carriers = rng.sample(fragment_ids, k=min(len(fragment_ids), rng.choice((1, 1, 2))))
                for n, frag in enumerate(carriers):
                    # A second source files the same edition with less detail and part of the bill.
                    editions[frag].append(
                        {
                            "year": year,
                            "start_date": _iso(start),
                            "end_date": _iso(end) if n == 0 else None,
                            "city": city if n == 0 else city.upper(),
                            "country": None,
                            "lineup": lineup if n == 0 else lineup[: max(1, len(lineup) // 2)],
                        }
                    )
            self.out.searchable(
                "festival",
                fid,
                float(len(years)),
                [t for raw in raw_names for t in _terms(raw)],
                {
                    "grain": "festival",
                    "festival_id": fid,
                    "name": canonical,
                    "slug": fslug,
                },
            )
            # Every raw spelling, the canonical one among them, addresses the festival.
            alias = {"festival_id": fid, "name": canonical, "slug": fslug, "fragment_ids": fragment_ids}
            for raw, frag in zip(raw_names, fragment_ids, strict=True):
                self.put(None, "festival_aliases", frag, alias)
                self.put(
                    None,
                    "festival_fragments",
                    frag,
                    {
                        "fragment_id": frag,
                        "raw_name": raw,
                        "source": rng.choice(("booking-agency", "ticketing", "press", "listings")),
                    },
                )
                if editions[frag]:
                    self.put(None, "editions", frag, editions[frag])
            if index < 25:
                samples.append({"name": canonical, "festival_id": fid, "slug": fslug, "fragments": raw_names})
        return samples

    def lineup(self, booked: list[_Artist], fslug: str) -> list[str]:
        rng = self.rng
        acts = []
        for _ in range(rng.randint(12, 60)):
            if rng.random() < 0.88 and booked:
                artist = booked[rng.randrange(len(booked))]
                acts.append(rng.choice((artist.spellings.get("booking", artist.name), artist.name)))
                self.artist_festivals.setdefault(artist.index, set()).add(fslug)
            else:
                while True:  # an act no source links to any artist: an honest gap in the join
                    raw = self.names.artist()
                    if pe_norm_v1(raw) not in self.artist_norms:
                        acts.append(raw)
                        break
        return list(dict.fromkeys(acts))

    def write_name_index(self) -> None:
        for token in sorted(self.name_index):
            top = sorted(self.name_index[token])[:_NAME_INDEX_POSTINGS]
            rows = [[self.artists[i].cluster_id, self.artists[i].name, -neg] for neg, i in top]
            self.put(None, "name_index", token, rows)

    def write_live(self) -> None:
        rng = self.rng
        for artist in self.artists:
            if not artist.booked:
                continue
            festivals = sorted(self.artist_festivals.get(artist.index, ()))
            past = rng.randint(len(festivals), len(festivals) + 40)
            self.put(
                artist,
                "live_presence",
                artist.cluster_id,
                {
                    "upcoming": rng.randint(0, 12),
                    "past": past,
                    "festivals": festivals[:25],
                    "cities": sorted({self.names.city() for _ in range(rng.randint(1, 5))}),
                    "last_played": _iso(self.day_before(400)) if past else None,
                    "demand_index": round(rng.uniform(0, 100), 1),
                },
            )

    # ---- the whole world -----------------------------------------------------------------
    def build(self) -> None:
        self.build_labels()
        for index in range(self.size.artists):
            forced = _GOLDEN[index] if index < len(_GOLDEN) else None
            artist = self.new_artist(index, forced)
            self.bind_ids(artist, force_homonym=forced == "Burial")
            self.write_identity(artist)
            self.write_catalog(artist)
            self.write_signals(artist)
            self.artists.append(artist)
            if index % 1000 == 999:
                self.tick(1000)
        self.tick(self.size.artists % 1000)
        festival_samples = self.build_festivals()
        self.write_live()
        self.write_name_index()
        self.write_labels()
        self.write_samples(festival_samples)

    def write_samples(self, festival_samples: list[dict[str, Any]]) -> None:
        picks: list[_Artist] = list(self.artists[: len(_GOLDEN)])
        wanted: list[Callable[[_Artist], bool]] = [
            lambda a: len(a.discogs_ids) > 1,
            lambda a: a.segment == "long_tail" and not a.discogs_ids and not a.mbid,
            lambda a: a.segment == "long_tail" and bool(a.mbid) and not a.discogs_ids,
            lambda a: a.name.startswith("The ") and bool(a.discogs_ids),
            lambda a: " & " in a.name,
            lambda a: a.name != strip_accents(a.name),
            lambda a: not a.name.isascii() and a.name == strip_accents(a.name),
            lambda a: bool(a.bandcamp) and not a.discogs_ids,
            lambda a: len({FACET_OF_TABLE[t] for t in a.tables if t in FACET_OF_TABLE}) == len(FACET_OF_TABLE),
        ]
        for test in wanted:
            found = next((a for a in self.artists[len(_GOLDEN) :] if test(a) and a not in picks), None)
            if found:
                picks.append(found)
        step = max(1, len(self.artists) // 25)
        for artist in self.artists[len(_GOLDEN) :: step]:
            if len(picks) >= 40:
                break
            if artist not in picks:
                picks.append(artist)
        for n, artist in enumerate(picks):
            self.out.sample(
                "artist",
                n,
                {
                    "name": artist.name,
                    "variants": sorted({artist.name, *artist.spellings.values(), *artist.discogs_names}),
                    "cluster_id": artist.cluster_id,
                    "slug": artist.slug,
                    "discogs_id": artist.discogs_ids[0] if artist.discogs_ids else None,
                    "mbid": artist.mbid,
                    "bandcamp": artist.bandcamp,
                    "facets": sorted({FACET_OF_TABLE[t] for t in artist.tables if t in FACET_OF_TABLE}),
                },
            )
        label_picks = [*range(0, 5), *self.cycle, *range(5, len(self.labels), max(1, len(self.labels) // 15))]
        for n, index in enumerate(dict.fromkeys(label_picks)):
            label = self.labels[index]
            parent = None if label.parent is None else self.labels[label.parent].name
            self.out.sample(
                "label", n, {"name": label.name, "label_id": label.label_id, "slug": label.slug, "parent": parent}
            )
        for n, body in enumerate(festival_samples):
            self.out.sample("festival", n, body)


def generate(
    path: Path,
    *,
    artists: int = 5000,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a fresh fleet file at `path` (atomically) and return its row counts per table."""
    size = WorldSize.for_artists(artists)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    writer = StoreWriter(tmp)
    try:
        world = _World(size, seed, writer, progress or (lambda _n: None))
        writer.meta("generator_version", GENERATOR_VERSION)
        writer.meta("seed", seed)
        writer.meta("size", {"artists": size.artists, "labels": size.labels, "festivals": size.festivals})
        writer.meta("epoch", EPOCH.isoformat())
        world.build()
        writer.meta("label_cycle", [world.labels[i].label_id for i in world.cycle])
        counts = writer.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return counts
