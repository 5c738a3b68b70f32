"""pe-norm-v1's golden vectors (DESIGN §2). The identity issue adds many more and the properties."""

from __future__ import annotations

import hashlib

import pytest

from resolvers.identity_norm import cluster_id, festival_id, label_id, norm_from_slug, pe_norm_v1, slug_for

GOLDEN = [
    ("The Chemical Brothers", "chemical brothers"),
    ("Chemical Brothers, The", "chemical brothers"),
    ("Björk", "bjork"),
    ("Sigur Rós", "sigur ros"),
    ("Simon & Garfunkel", "simon and garfunkel"),
    ("Burial (2)", "burial"),
    ("Röyksopp", "royksopp"),
    ("MØ", "mo"),
    ("Jay-Z", "jay z"),
    ("!!!", "!!!"),
    ("The The", "the"),
    ("   ", None),
]


@pytest.mark.parametrize(("raw", "norm"), GOLDEN)
def test_golden_vectors(raw: str, norm: str | None) -> None:
    assert pe_norm_v1(raw) == norm


def test_ids_are_domain_separated_sha256() -> None:
    assert cluster_id("Björk") == hashlib.sha256(b"pe-norm-v1:bjork").hexdigest()
    assert label_id("Warp") == hashlib.sha256(b"pe-norm-v1:label:warp").hexdigest()
    assert festival_id("Dekmantel") == hashlib.sha256(b"pe-norm-v1:festival:dekmantel").hexdigest()
    assert cluster_id("   ") is None


def test_slugs_round_trip() -> None:
    assert slug_for("chemical brothers") == "chemical-brothers"
    assert norm_from_slug("chemical-brothers") == "chemical brothers"
