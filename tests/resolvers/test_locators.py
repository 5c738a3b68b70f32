"""Parsing what users paste into /resolve: links, locators, cluster ids, names, and hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolvers.locators import ParsedQuery, QueryKind, is_foreign_locator, parse_query

URL, LOCATOR, NAME = QueryKind.URL, QueryKind.LOCATOR, QueryKind.NAME
UUID = "f22942a1-6f70-4f48-866e-238cb2308fbd"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.discogs.com/artist/45-Aphex-Twin",
        "http://www.discogs.com/artist/45-Aphex-Twin",
        "https://discogs.com/artist/45",
        "https://www.discogs.com/de/artist/45-Aphex-Twin",
        "https://www.discogs.com/pt_BR/artist/45",
        "https://www.discogs.com/artist/45/",
        "https://www.discogs.com/artist/45-Aphex-Twin?type=Releases&page=2",
        "https://www.discogs.com/artist/45-Aphex-Twin#images",
        "www.discogs.com/artist/45-Aphex-Twin",
        "discogs.com/artist/045",
        "  https://www.discogs.com/artist/45  ",
        "HTTPS://WWW.DISCOGS.COM/artist/45",
    ],
)
def test_discogs_artist_links(link: str) -> None:
    assert parse_query(link) == ParsedQuery(URL, locator="discogs:45", matched_on="discogs_artist_id")


@pytest.mark.parametrize(
    ("link", "note"),
    [
        ("https://www.discogs.com/release/123-Foo", "A Discogs release link; crate resolves Discogs artist links."),
        ("https://www.discogs.com/master/9-Foo", "A Discogs master link; crate resolves Discogs artist links."),
        ("https://www.discogs.com/label/1-Warp", "A Discogs label link; crate resolves Discogs artist links."),
        ("https://www.discogs.com/artist/Aphex-Twin", "A Discogs artist link without a numeric artist id."),
        ("https://www.discogs.com/search?q=x", "A Discogs link, but not to an artist page."),
    ],
)
def test_other_discogs_links_are_recognised_with_a_note(link: str, note: str) -> None:
    assert parse_query(link) == ParsedQuery(URL, note=note)


@pytest.mark.parametrize(
    "link",
    [
        f"https://musicbrainz.org/artist/{UUID}",
        f"http://musicbrainz.org/artist/{UUID.upper()}",
        f"https://beta.musicbrainz.org/artist/{UUID}/releases",
        f"musicbrainz.org/artist/{UUID}?x=1",
    ],
)
def test_musicbrainz_artist_links(link: str) -> None:
    assert parse_query(link) == ParsedQuery(URL, locator=f"mbid:{UUID}", matched_on="mbid")


@pytest.mark.parametrize(
    ("link", "note"),
    [
        (
            f"https://musicbrainz.org/release/{UUID}",
            "A MusicBrainz release link; crate resolves MusicBrainz artist links.",
        ),
        (
            f"https://musicbrainz.org/release-group/{UUID}",
            "A MusicBrainz release-group link; crate resolves MusicBrainz artist links.",
        ),
        (
            f"https://musicbrainz.org/recording/{UUID}",
            "A MusicBrainz recording link; crate resolves MusicBrainz artist links.",
        ),
        ("https://musicbrainz.org/artist/not-a-uuid", "A MusicBrainz artist link whose id is not a valid UUID."),
        (
            "https://musicbrainz.org/artist/f22942a1-6f70-4f48-866e-238cb2308fb",
            "A MusicBrainz artist link whose id is not a valid UUID.",
        ),
        ("https://musicbrainz.org/", "A MusicBrainz link, but not to an artist page."),
    ],
)
def test_other_musicbrainz_links(link: str, note: str) -> None:
    assert parse_query(link) == ParsedQuery(URL, note=note)


@pytest.mark.parametrize(
    ("link", "sub"),
    [
        ("https://burial.bandcamp.com", "burial"),
        ("https://burial.bandcamp.com/", "burial"),
        ("https://burial.bandcamp.com/album/untrue", "burial"),
        ("http://Some-Artist.bandcamp.com/track/x?from=y", "some-artist"),
        ("burial.bandcamp.com/music", "burial"),
    ],
)
def test_bandcamp_links(link: str, sub: str) -> None:
    assert parse_query(link) == ParsedQuery(URL, locator=f"bandcamp:{sub}", matched_on="bandcamp_subdomain")


@pytest.mark.parametrize("link", ["https://bandcamp.com/burial", "https://daily.bandcamp.com/features/x"])
def test_bandcamp_links_that_are_not_artists(link: str) -> None:
    assert parse_query(link).locator is None and parse_query(link).note


@pytest.mark.parametrize(
    "link", ["https://twitter.com/burial", "https://x.com/burial", "http://mobile.twitter.com/a", "https://www.x.com/a"]
)
def test_twitter_links_are_recognised_but_not_cross_referenced(link: str) -> None:
    assert parse_query(link) == ParsedQuery(
        URL,
        matched_on="twitter",
        note="A Twitter/X link: crate recognises it but does not cross-reference Twitter accounts yet.",
    )


@pytest.mark.parametrize(
    ("link", "note"),
    [
        ("https://open.spotify.com/artist/123", "crate does not cross-reference links from open.spotify.com."),
        ("https://bücher.example/artist", "crate does not cross-reference links from bücher.example."),
        ("https://xn--bcher-kva.example/a", "crate does not cross-reference links from xn--bcher-kva.example."),
        ("ftp://discogs.com/artist/45", "crate follows http(s) links only, not ftp: links."),
        ("http://[::1", "This looks like a link but cannot be parsed as one."),
        ("https://", "This link has no host."),
    ],
)
def test_any_other_link_gets_a_note_naming_the_host(link: str, note: str) -> None:
    assert parse_query(link) == ParsedQuery(URL, note=note)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("discogs:45", ParsedQuery(LOCATOR, locator="discogs:45", matched_on="discogs_artist_id")),
        ("DISCOGS:0045", ParsedQuery(LOCATOR, locator="discogs:45", matched_on="discogs_artist_id")),
        (f"mbid:{UUID.upper()}", ParsedQuery(LOCATOR, locator=f"mbid:{UUID}", matched_on="mbid")),
        ("bandcamp:Burial", ParsedQuery(LOCATOR, locator="bandcamp:burial", matched_on="bandcamp_subdomain")),
        (
            "discogs:abc",
            ParsedQuery(LOCATOR, note="A discogs: locator takes a numeric Discogs artist id, e.g. discogs:45."),
        ),
        (
            "discogs:1234567890123",
            ParsedQuery(LOCATOR, note="A discogs: locator takes a numeric Discogs artist id, e.g. discogs:45."),
        ),
        ("mbid:1234", ParsedQuery(LOCATOR, note="An mbid: locator takes a MusicBrainz artist UUID.")),
        (
            "bandcamp:-bad-",
            ParsedQuery(LOCATOR, note="A bandcamp: locator takes a Bandcamp subdomain, e.g. bandcamp:burial."),
        ),
        (
            "javascript:alert(1)",
            ParsedQuery(
                LOCATOR, note="crate does not know javascript: locators; it understands discogs:, mbid: and bandcamp:."
            ),
        ),
        (
            "spotify:artist:1",
            ParsedQuery(
                LOCATOR, note="crate does not know spotify: locators; it understands discogs:, mbid: and bandcamp:."
            ),
        ),
        ("a" * 64, ParsedQuery(LOCATOR, cluster_id="a" * 64)),
        ("Björk", ParsedQuery(NAME)),
        ("Nas: Illmatic", ParsedQuery(NAME)),
        ("A" * 64, ParsedQuery(NAME)),  # ids are lowercase hex; this is a (strange) name
        ("chemical-brothers", ParsedQuery(NAME)),
    ],
)
def test_locators_ids_and_names(q: str, expected: ParsedQuery) -> None:
    assert parse_query(q) == expected


def test_foreign_locator_shape() -> None:
    assert is_foreign_locator("discogs:45") and is_foreign_locator("mbid:x") and is_foreign_locator("isrc:1")
    assert not is_foreign_locator("Discogs:45") and not is_foreign_locator("chemical-brothers")


@given(st.text(max_size=600))
def test_parsing_never_raises_and_always_classifies(q: str) -> None:
    parsed = parse_query(q)
    assert parsed.kind in (URL, LOCATOR, NAME)
    if parsed.locator:
        assert parsed.locator.split(":", 1)[0] in ("discogs", "mbid", "bandcamp")
        assert parsed.matched_on in ("discogs_artist_id", "mbid", "bandcamp_subdomain")


@given(st.from_regex(r"https?://[a-z0-9.-]{1,30}(:[0-9]{1,5})?(/[\x00-\x7f]{0,40})?", fullmatch=True))
def test_arbitrary_links_are_links(q: str) -> None:
    assert parse_query(q).kind is URL
