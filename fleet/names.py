"""Deterministic name material for the demo world: artists, labels, festivals, titles.

Everything takes a `random.Random` so a seed fixes the whole world.
"""

from __future__ import annotations

import random
import unicodedata

__all__ = [
    "NameSource",
    "festival_fragment_names",
    "source_spellings",
    "strip_accents",
]

_ONSETS = [
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "sk",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
    "x",
    "y",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "oo", "ea", "y"]
_CODAS = ["", "", "", "n", "r", "l", "s", "x", "m", "th", "nd", "rk", "st", "ck", "ll", "sh"]
_ADJECTIVES = [
    "velvet",
    "quiet",
    "broken",
    "golden",
    "hollow",
    "electric",
    "silver",
    "distant",
    "paper",
    "crystal",
    "neon",
    "wild",
    "slow",
    "burning",
    "frozen",
    "lunar",
    "solar",
    "violet",
    "amber",
    "northern",
    "southern",
    "secret",
    "lost",
    "hidden",
    "cosmic",
    "static",
    "blue",
    "red",
    "black",
    "white",
    "green",
    "acid",
    "deep",
    "dark",
    "bright",
    "soft",
    "heavy",
    "tender",
]
_NOUNS = [
    "rooms",
    "foxes",
    "tides",
    "engines",
    "gardens",
    "mirrors",
    "rivers",
    "machines",
    "ghosts",
    "lanterns",
    "wolves",
    "waves",
    "circles",
    "signals",
    "echoes",
    "harbours",
    "orchards",
    "satellites",
    "cathedrals",
    "horses",
    "sisters",
    "brothers",
    "choir",
    "collective",
    "ensemble",
    "orchestra",
    "system",
    "society",
    "club",
    "union",
    "assembly",
]
_FIRST = [
    "mara",
    "jonas",
    "ines",
    "leo",
    "nadia",
    "tomas",
    "freya",
    "oskar",
    "lina",
    "ravi",
    "suki",
    "omar",
    "elsa",
    "ivan",
    "noor",
    "felix",
    "alma",
    "yusuf",
    "greta",
    "hugo",
    "iris",
    "kofi",
    "lena",
    "milo",
    "nina",
    "otto",
    "pia",
    "quinn",
    "rosa",
    "sami",
    "tove",
]
_ACCENTS = {"a": "áàâä", "e": "éèê", "i": "í", "o": "öóø", "u": "üú", "n": "ñ", "c": "ç", "s": "š"}
_KATAKANA = [
    "カ",
    "キ",
    "ク",
    "ケ",
    "コ",
    "サ",
    "シ",
    "ス",
    "セ",
    "ソ",
    "タ",
    "チ",
    "ツ",
    "テ",
    "ト",
    "ナ",
    "ニ",
    "ヌ",
    "ネ",
    "ノ",
    "マ",
    "ミ",
    "ム",
    "メ",
    "モ",
    "ラ",
    "リ",
    "ル",
    "レ",
    "ロ",
]
_CYRILLIC = ["ка", "ло", "ми", "ра", "со", "ве", "ни", "до", "тра", "бе", "зо", "гу"]
_GREEK = ["κα", "λο", "μι", "ρα", "σο", "βε", "νι", "δο"]
_LABEL_SUFFIXES = ("Records", "Recordings", "Music", "Audio", "Tapes", "Sounds", "Editions")
_FESTIVAL_SUFFIXES = ("Festival", "Open Air", "Weekender", "Fest")
CITIES = [
    "Amsterdam",
    "Berlin",
    "London",
    "Lisbon",
    "Barcelona",
    "Tbilisi",
    "Kyiv",
    "Warsaw",
    "Glasgow",
    "Dublin",
    "Oslo",
    "Paris",
    "Rotterdam",
    "Detroit",
    "Chicago",
    "Montreal",
    "Tokyo",
    "Seoul",
    "Melbourne",
    "Mexico-City",
    "Bogota",
    "Lagos",
    "Nairobi",
]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


class NameSource:
    """Invents names; uniqueness is the caller's business (it knows the norms)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def word(self, syllables: int | None = None) -> str:
        rng = self._rng
        count = syllables or rng.choice((1, 2, 2, 2, 3))
        parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(count)]
        return ("".join(parts) + rng.choice(_CODAS)).capitalize()

    def _accented(self, word: str) -> str:
        rng = self._rng
        letters = list(word)
        spots = [i for i, ch in enumerate(letters) if ch in _ACCENTS]
        if spots:
            i = rng.choice(spots)
            letters[i] = rng.choice(_ACCENTS[letters[i]])
        return "".join(letters)

    def artist(self) -> str:
        rng = self._rng
        roll = rng.random()
        if roll < 0.30:
            name = self.word()
        elif roll < 0.50:
            name = f"{self.word()} {self.word()}"
        elif roll < 0.62:
            name = f"The {rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_NOUNS).capitalize()} {self.word(1)}"
        elif roll < 0.74:
            name = f"{rng.choice(_FIRST).capitalize()} {self.word()}"
        elif roll < 0.80:
            name = f"{self.word()} & {self.word()}"
        elif roll < 0.84:
            name = f"DJ {self.word()}"
        elif roll < 0.87:
            name = f"{self.word()} + {self.word(1)}"
        elif roll < 0.89:
            name = "".join(rng.choice(_KATAKANA) for _ in range(rng.randint(3, 5)))
        elif roll < 0.905:
            name = "".join(rng.choice(_CYRILLIC) for _ in range(3)).capitalize()
        elif roll < 0.915:
            name = "".join(rng.choice(_GREEK) for _ in range(3)).capitalize()
        else:
            name = self.word()
        if rng.random() < 0.12:
            name = self._accented(name)
        return name

    def label(self) -> str:
        rng = self._rng
        stem = self.word() if rng.random() < 0.7 else f"{rng.choice(_ADJECTIVES).capitalize()} {self.word(1)}"
        return f"{stem} {rng.choice(_LABEL_SUFFIXES)}"

    def festival(self) -> str:
        stem = self.word(self._rng.choice((2, 3)))
        return f"{stem} {self._rng.choice(_FESTIVAL_SUFFIXES)}"

    def title(self) -> str:
        rng = self._rng
        roll = rng.random()
        if roll < 0.4:
            return f"{rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_NOUNS).capitalize()}"
        if roll < 0.7:
            return self.word()
        return f"{self.word()} {rng.choice(('EP', 'LP', 'Remixes', 'Vol. 1', 'Vol. 2', 'Dub'))}"

    def city(self) -> str:
        return self._rng.choice(CITIES).replace("-", " ")


def source_spellings(name: str) -> dict[str, str]:
    """How each source writes one artist's name: the variant spellings the gateway must fold."""
    discogs = name
    if name.startswith("The ") and len(name) > 4:
        discogs = f"{name[4:]}, The"
    press = name.replace(" & ", " and ") if " & " in name else name.replace(" and ", " & ")
    return {
        "discogs": discogs,
        "booking": name.upper(),
        "bandcamp": name.lower(),
        "press": press,
        "web": strip_accents(name),
    }


def festival_fragment_names(canonical: str, years: list[int], city: str, rng: random.Random) -> list[str]:
    """The raw names under which sources file one festival."""
    stem = canonical
    for suffix in _FESTIVAL_SUFFIXES:
        if canonical.endswith(f" {suffix}"):
            stem = canonical[: -len(suffix) - 1]
    names = [canonical, stem.upper()]
    for year in rng.sample(years, k=min(len(years), rng.randint(1, 2))):
        names.append(f"{canonical} {year}")
    if rng.random() < 0.5:
        names.append(f"{stem} {city}")
    return names
