"""pe-norm-v1 (DESIGN §2): golden vectors and properties."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from resolvers.identity_norm import cluster_id, festival_id, label_id, norm_from_slug, pe_norm_v1, slug_for

DESIGN_VECTORS = [
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

OUR_VECTORS = [
    # non-Latin scripts are kept, not transliterated
    ("坂本龍一", "坂本龍一"),
    ("東京事変 (2)", "東京事変"),
    ("Кино", "кино"),
    ("Σωκράτης", "σωκρατησ"),  # tonos dropped, final sigma folded
    ("µ-Ziq", "μ ziq"),  # NFKC turns the micro sign into Greek mu
    # full-width and compatibility forms
    ("ＡＢＢＡ", "abba"),
    ("Ｔｈｅ Ｋｉｌｌｅｒｓ", "killers"),
    ("½ Japanese", "1 2 japanese"),
    ("Ⅻ", "xii"),
    # combining marks, precomposed or not, and the letters NFKD cannot split
    ("Beyoncé", "beyonce"),
    ("Be\u0301yonce\u0301", "beyonce"),
    ("Motörhead", "motorhead"),
    ("Mötley Crüe", "motley crue"),
    ("Łona", "lona"),
    ("Þeyr", "theyr"),
    ("Æther Realm", "aether realm"),
    ("Œuvre", "oeuvre"),
    ("Đorđe Balašević", "dorde balasevic"),
    ("İbrahim", "ibrahim"),
    ("Straße", "strasse"),
    # articles, leading and trailing
    ("Beatles, The", "beatles"),
    ("BEATLES, THE", "beatles"),
    ("Chemical Brothers,The", "chemical brothers"),
    ("Chemical Brothers , the", "chemical brothers"),
    ("Chemical Brothers, The (2)", "chemical brothers"),
    ("the  beatles", "beatles"),
    ("The", "the"),
    ("The ?", "the"),
    ("Thee Oh Sees", "thee oh sees"),
    ("Theo Parrish", "theo parrish"),
    ("The The Band", "the band"),  # step 9 drops one leading "the", once
    # & and +
    ("Earth, Wind & Fire", "earth wind and fire"),
    ("Earth Wind and Fire", "earth wind and fire"),
    ("Mumford + Sons", "mumford and sons"),
    ("A+B", "a and b"),
    ("&", "and"),
    # Discogs (n) suffixes: digits only, at the very end
    ("Burial (12)", "burial"),
    ("Burial(2)", "burial"),
    ("Burial (2) ", "burial"),
    ("Burial (II)", "burial ii"),
    ("(2)", None),
    ("!!! (2)", "!!!"),
    # whitespace of every kind
    ("Aphex\tTwin", "aphex twin"),
    ("Aphex\u00a0Twin", "aphex twin"),
    ("Aphex\u2003Twin", "aphex twin"),
    ("Aphex\u3000Twin", "aphex twin"),
    (" \n Aphex Twin \r\n", "aphex twin"),
    ("x\u200by", "x y"),  # a zero-width space is not a letter: it separates
    # emoji, symbols, punctuation
    ("🎵 Music 🎵", "music"),
    ("🔥🔥", "🔥🔥"),
    ("AC/DC", "ac dc"),
    ("N.E.R.D", "n e r d"),
    ("$uicideboy$", "uicideboy"),
    ("Sunn O)))", "sunn o"),
    ("deadmau5", "deadmau5"),
    ("50 Cent", "50 cent"),
    ("Fred again..", "fred again"),
    ("???", "???"),
    ("\t\n", None),
    ("", None),
]


@pytest.mark.parametrize(("raw", "norm"), DESIGN_VECTORS + OUR_VECTORS)
def test_golden_vectors(raw: str, norm: str | None) -> None:
    assert pe_norm_v1(raw) == norm


def test_there_are_at_least_thirty_vectors_of_our_own() -> None:
    assert len(OUR_VECTORS) >= 30


def test_ids_are_domain_separated_sha256() -> None:
    assert cluster_id("Björk") == hashlib.sha256(b"pe-norm-v1:bjork").hexdigest()
    assert label_id("Warp") == hashlib.sha256(b"pe-norm-v1:label:warp").hexdigest()
    assert festival_id("Dekmantel") == hashlib.sha256(b"pe-norm-v1:festival:dekmantel").hexdigest()
    assert cluster_id("Bjork") == cluster_id("BJÖRK") == cluster_id("Björk (2)")
    assert cluster_id("   ") is None and label_id("") is None and festival_id("(3)") is None


def test_slugs_round_trip() -> None:
    assert slug_for("chemical brothers") == "chemical-brothers"
    assert norm_from_slug("chemical-brothers") == "chemical brothers"


names = st.text(max_size=60) | st.from_regex(
    r"(The |the )?[A-Za-zÀ-ÿ&+ ,.!()0-9-]{0,30}( \(\d{1,3}\))?", fullmatch=True
)


@given(names)
@example("The The Band")
@example("x" * 10_000)
def test_norm_never_raises_and_is_clean(raw: str) -> None:
    norm = pe_norm_v1(raw)
    if norm is None:
        return
    assert norm != ""
    assert norm == norm.strip() and "  " not in norm
    assert not re.search(r"\s", norm.replace(" ", ""))  # the only whitespace is single spaces


@given(names)
@example("The The Band")
def test_norm_is_idempotent(raw: str) -> None:
    norm = pe_norm_v1(raw)
    if norm is None:
        return
    if norm.startswith("the "):
        # The one exception the spec's step 9 implies: it drops a leading "the " once, so a name
        # that began "The The …" keeps one, which a second pass would drop.
        assert raw.casefold().count("the") >= 2
        return
    assert pe_norm_v1(norm) == norm


@given(names)
def test_ids_are_64_lowercase_hex_or_none(raw: str) -> None:
    for make in (cluster_id, label_id, festival_id):
        value = make(raw)
        assert value is None or re.fullmatch(r"[0-9a-f]{64}", value)
        assert (value is None) == (pe_norm_v1(raw) is None)


@given(names)
def test_slug_maps_back_to_its_norm(raw: str) -> None:
    norm = pe_norm_v1(raw)
    if norm is not None and "-" not in norm:
        assert norm_from_slug(slug_for(norm)) == norm
