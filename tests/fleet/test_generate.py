"""The demo world is deterministic and shaped like the real one (DESIGN §3)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from fleet.generate import WorldSize, generate
from fleet.store import TABLES, FleetStore, content_digest
from resolvers.identity_norm import cluster_id, festival_id, label_id, pe_norm_v1


def test_same_seed_and_size_give_identical_content(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    generate(first, artists=800, seed=11)
    generate(second, artists=800, seed=11)
    generate(other, artists=800, seed=12)
    assert content_digest(first) == content_digest(second)
    assert content_digest(first) != content_digest(other)


def test_generation_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    generate(tmp_path / "fleet.db", artists=100)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fleet.db"]


def test_sizes_scale_with_artists() -> None:
    assert WorldSize.for_artists(5000) == WorldSize(5000, 1500, 150)
    assert WorldSize.for_artists(1_000_000) == WorldSize(1_000_000, 300_000, 3000)
    with pytest.raises(ValueError, match="at least 20"):
        WorldSize.for_artists(5)


def test_default_world_has_every_table_populated(fleet_store: FleetStore) -> None:
    assert fleet_store.meta["size"] == {"artists": 5000, "labels": 1500, "festivals": 150}
    counts = {table: fleet_store.count(table) for table in TABLES}
    assert counts["clusters"] == 5000
    assert counts["labels"] == counts["label_lineage"] == 1500
    assert all(counts[t] > 0 for t in TABLES), counts


def test_half_of_long_tail_booking_artists_have_neither_discogs_nor_mbid(fleet_store: FleetStore) -> None:
    # The long tail: booked artists that neither Discogs nor the press cover much. We read it
    # from the data as a user would: booked, no release groups in the catalog beyond 3.
    booked = {key for key, _ in fleet_store.scan("live_presence")}
    releases = {key: len(rows) for key, rows in fleet_store.scan("release_groups")}
    long_tail = [key for key in booked if releases.get(key, 0) <= 3]
    neither = 0
    for key in long_tail:
        row = fleet_store.row("clusters", key)
        if row["mbid"] is None and fleet_store.row("discogs_bind", key) is None:
            neither += 1
    share = neither / len(long_tail)
    assert len(long_tail) > 2000
    assert 0.40 <= share <= 0.60, share


def test_variant_spellings_fold_to_their_cluster(fleet_store: FleetStore) -> None:
    variants_seen = Counter[str]()
    for key, row in fleet_store.scan("clusters"):
        for alias in row["aliases"]:
            assert cluster_id(alias) == key, (alias, row["name"])
        kinds = {
            "case": any(a != row["name"] and a.lower() == row["name"].lower() for a in row["aliases"]),
            "article": any(a.endswith(", The") for a in row["aliases"]),
            "discogs_suffix": any(a.endswith(" (2)") for a in row["aliases"]),
            "ampersand": "&" in row["name"] and any(" and " in a for a in row["aliases"]),
            "diacritics": not row["name"].isascii() and any(a.isascii() for a in row["aliases"]),
        }
        variants_seen.update(kind for kind, present in kinds.items() if present)
    assert set(variants_seen) == {"case", "article", "discogs_suffix", "ampersand", "diacritics"}
    assert variants_seen["diacritics"] > 50


def test_homonyms_share_one_cluster_and_are_flagged(fleet_store: FleetStore) -> None:
    ambiguous = [row for _, row in fleet_store.scan("discogs_bind") if row["ambiguous"]]
    assert len(ambiguous) >= 20
    for row in ambiguous:
        assert len(row["discogs_ids"]) == 2
        for did in row["discogs_ids"]:
            assert fleet_store.row("foreign_ids", f"discogs:{did}") == {
                "cluster_id": row["cluster_id"],
                "kind": "discogs",
            }
    burial = fleet_store.row("discogs_bind", str(cluster_id("Burial")))
    assert burial["ambiguous"] is True and burial["names"] == ["Burial", "Burial (2)"]


def _chain(fleet_store: FleetStore, start: str) -> tuple[int, bool]:
    seen, current, depth = {start}, start, 0
    while True:
        parent = fleet_store.row("label_lineage", current)["parent_label_id"]
        if parent is None:
            return depth, False
        if parent in seen:
            return depth, True
        seen.add(parent)
        current, depth = parent, depth + 1


def test_label_chains_reach_depth_four_and_the_raw_data_has_one_cycle(fleet_store: FleetStore) -> None:
    depths, cyclic = Counter[int](), []
    for key, _row in fleet_store.scan("label_lineage"):
        depth, cycle = _chain(fleet_store, key)
        if cycle:
            cyclic.append(key)
        else:
            depths[depth] += 1
    assert max(depths) == 4
    assert sorted(cyclic) == sorted(fleet_store.meta["label_cycle"])
    assert len(cyclic) == 3


def test_labels_are_keyed_by_their_label_id(fleet_store: FleetStore) -> None:
    for key, row in fleet_store.scan("labels"):
        assert label_id(row["name"]) == key


def test_festivals_are_fragmented_under_several_raw_names(fleet_store: FleetStore) -> None:
    festivals: dict[str, list[str]] = {}
    for key, alias in fleet_store.scan("festival_aliases"):
        assert festival_id(fleet_store.row("festival_fragments", key)["raw_name"]) == key
        festivals.setdefault(alias["festival_id"], []).append(key)
    assert len(festivals) == 150
    assert sum(1 for frags in festivals.values() if len(frags) >= 3) > 100
    sample = fleet_store.samples("festival", 1)[0]
    assert any(name.isupper() for name in sample["fragments"])
    assert any(name[-4:].isdigit() for name in sample["fragments"])


def test_lineups_name_acts_by_raw_strings_some_of_which_resolve_to_nobody(fleet_store: FleetStore) -> None:
    resolved = unresolved = raw_variant = 0
    for _key, editions in fleet_store.scan("editions"):
        for edition in editions:
            for act in edition["lineup"]:
                cid = cluster_id(act)
                if fleet_store.row("clusters", cid) is None:
                    unresolved += 1
                else:
                    resolved += 1
                    raw_variant += act != fleet_store.row("clusters", cid)["name"]
    assert resolved > 0 and unresolved > 0
    assert 0.05 < unresolved / (resolved + unresolved) < 0.25
    assert raw_variant > resolved * 0.3  # many acts are written as sources spell them, not canonically


def test_release_groups_carry_counts_and_hotlinked_artwork(fleet_store: FleetStore) -> None:
    groups = [g for _, rows in fleet_store.scan("release_groups") for g in rows]
    assert len(groups) > 10_000
    quadrants = Counter(
        None
        if g["owner_count"] is None
        else f"{int(g['owner_count'] >= 50)}{int(g['dj_count'] >= 5)}{int(g['critic_count'] >= 2)}"
        for g in groups
    )
    assert {q for q in quadrants if q} == {f"{a}{b}{c}" for a in "01" for b in "01" for c in "01"}
    assert quadrants[None] > 0  # some release groups have no counts at all: an unclassified cube
    for g in groups[:500]:
        assert g["artwork_url"].startswith(("https://coverartarchive.org/", "https://i.discogs.com/"))
        assert set(g) >= {"discogsMasterId", "title", "year", "formats", "labels", "want_count"}


def test_samples_cover_the_interesting_cases(fleet_store: FleetStore) -> None:
    artists = fleet_store.samples("artist", 100)
    assert 30 <= len(artists) <= 40
    first = artists[0]
    assert first["name"] == "The Chemical Brothers" and first["slug"] == "chemical-brothers"
    assert set(first) == {"name", "variants", "cluster_id", "slug", "discogs_id", "mbid", "bandcamp", "facets"}
    assert any(a["discogs_id"] is None and a["mbid"] is None for a in artists)
    assert any(len(a["facets"]) == 10 for a in artists)
    for artist in artists:
        assert artist["slug"] == str(pe_norm_v1(artist["name"])).replace(" ", "-")
        assert "identity" in artist["facets"]
    labels = fleet_store.samples("label", 100)
    assert any(label["parent"] for label in labels)
    assert set(fleet_store.meta["label_cycle"]) <= {label["label_id"] for label in labels}
    festivals = fleet_store.samples("festival", 100)
    assert len(festivals) == 25 and all(len(f["fragments"]) >= 2 for f in festivals)
