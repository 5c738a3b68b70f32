"""pe-norm-v1: the name normalisation behind every cluster_id, label_id and festival_id.

The ten steps are fixed by DESIGN §2; changing any of them changes every id the
fleet and our users hold, so a change here is a new version (pe-norm-v2), never
an edit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = [
    "VERSION",
    "cluster_id",
    "festival_id",
    "label_id",
    "norm_from_slug",
    "pe_norm_v1",
    "slug_for",
]

VERSION = "pe-norm-v1"

_DISCOGS_SUFFIX = re.compile(r"\s*\(\d+\)\s*$")
_TRAILING_ARTICLE = re.compile(r",\s*the\s*$", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# Letters NFKD cannot decompose into a base letter plus a combining mark.
_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def pe_norm_v1(name: str) -> str | None:
    """Normalise a raw name; None when nothing identifying is left."""
    text = unicodedata.normalize("NFKC", name)
    text = _DISCOGS_SUFFIX.sub("", text)
    if _TRAILING_ARTICLE.search(text):
        text = "The " + _TRAILING_ARTICLE.sub("", text)
    folded = text.casefold()
    text = folded.replace("&", " and ").replace("+", " and ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLDS)
    text = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    text = _collapse(text)
    if text.startswith("the ") and len(text) > 4:
        text = text[4:]
    if text:
        return text
    # A name made only of punctuation ("!!!") is still a name.
    return _collapse(folded) or None


def _digest(prefix: str, norm: str) -> str:
    return hashlib.sha256((prefix + norm).encode("utf-8")).hexdigest()


def cluster_id(name: str) -> str | None:
    """The artist cluster a raw name belongs to."""
    norm = pe_norm_v1(name)
    return None if norm is None else _digest("pe-norm-v1:", norm)


def label_id(name: str) -> str | None:
    norm = pe_norm_v1(name)
    return None if norm is None else _digest("pe-norm-v1:label:", norm)


def festival_id(name: str) -> str | None:
    norm = pe_norm_v1(name)
    return None if norm is None else _digest("pe-norm-v1:festival:", norm)


def slug_for(norm: str) -> str:
    return norm.replace(" ", "-")


def norm_from_slug(slug: str) -> str:
    """The inverse of slug_for; a slug is a norm with hyphens for spaces."""
    return slug.replace("-", " ")


def name_tokens(norm: str) -> set[str]:
    """The keys a norm is filed under in the identity graph's name index: each word, each word's
    first four letters, and the whole name run together (so "chemicalbrothers" still finds it)."""
    words = norm.split(" ")
    tokens = set(words) | {word[:4] for word in words}
    if len(words) > 1:
        tokens.add("".join(words))
    return tokens
