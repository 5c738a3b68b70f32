"""Producer rows -> facet data. Pure functions; None means the producer has the entity but nothing
to report (the facet is `empty`)."""

from __future__ import annotations

from typing import Any

from resolvers.cube import cube_quadrant
from schema.facets import (
    AestheticQuality,
    Artwork,
    BandcampEmergence,
    BandcampTastemaker,
    Collector,
    Compositions,
    Discography,
    Edition,
    Editions,
    Editorial,
    Emergence,
    LabelCollector,
    LabelRef,
    Lineage,
    LineageStep,
    LineupEntry,
    Live,
    ReleaseGroup,
    Review,
    TopRelease,
    Web,
    WebLink,
    Work,
)

__all__ = [
    "MAX_RELEASE_GROUPS", "bandcamp_emergence", "bandcamp_tastemaker", "collector", "compositions",
    "discography", "editions", "editorial", "emergence", "label_collector", "lineage", "live", "release_group", "web",
]  # fmt: skip

MAX_RELEASE_GROUPS = 50


def collector(row: dict[str, Any]) -> Collector | None:
    if not row["owners"] and not row["collected_release_groups"]:
        return None
    owners, wants = row["owners"], row["wants"]
    return Collector(
        owners=owners,
        wants=wants,
        want_have_ratio=round(wants / owners, 3) if owners else None,
        collected_release_groups=row["collected_release_groups"],
        top_releases=[
            TopRelease(discogs_master_id=t["discogsMasterId"], title=t["title"], owners=t["owners"])
            for t in row["top_releases"]
        ],
    )


def editorial(row: dict[str, Any]) -> Editorial | None:
    if not row["mention_count"]:
        return None
    return Editorial(
        mention_count=row["mention_count"],
        outlets=list(row["outlets"]),
        reviews=[Review(**review) for review in row["reviews"]],
    )


def emergence(row: dict[str, Any]) -> Emergence | None:
    return Emergence(**row)


def live(row: dict[str, Any]) -> Live | None:
    if not row["upcoming"] and not row["past"]:
        return None
    return Live(**row)


def web(row: dict[str, Any]) -> Web | None:
    links = [WebLink(kind=link["kind"], url=link["url"]) for link in row["links"]]
    return Web(links=links) if links else None


def compositions(row: dict[str, Any]) -> Compositions | None:
    works = [Work(**work) for work in row["works"]]
    return Compositions(works=works) if works else None


def release_group(group: dict[str, Any]) -> ReleaseGroup:
    owners, djs, critics = group["owner_count"], group["dj_count"], group["critic_count"]
    url = group.get("artwork_url")
    return ReleaseGroup(
        discogs_master_id=group["discogsMasterId"],
        title=group["title"],
        year=group.get("year"),
        formats=list(group["formats"]),
        labels=[LabelRef(label_id=label["label_id"], name=label["name"]) for label in group["labels"]],
        artwork=Artwork(url=url, rehost=False) if url else None,
        cube_quadrant=cube_quadrant(owners, djs, critics),
        owner_count=owners,
        dj_count=djs,
        critic_count=critics,
    )


def discography(rows: list[dict[str, Any]]) -> Discography | None:
    if not rows:
        return None
    return Discography(
        release_groups=[release_group(group) for group in rows[:MAX_RELEASE_GROUPS]],
        total=len(rows),
        truncated=len(rows) > MAX_RELEASE_GROUPS,
    )


def bandcamp_emergence(row: dict[str, Any]) -> BandcampEmergence | None:
    return BandcampEmergence(**row)


def bandcamp_tastemaker(row: dict[str, Any]) -> BandcampTastemaker | None:
    return BandcampTastemaker(
        supporter_cohort_size=row["supporter_cohort_size"],
        aesthetic_quality=AestheticQuality(**row["aesthetic_quality"]),
        mean_first_buyer_earliness_days=row["mean_first_buyer_earliness_days"],
    )


def lineage(row: dict[str, Any]) -> Lineage | None:
    chain = [LineageStep(**step) for step in row["chain"]]
    return Lineage(chain=chain, depth=len(chain) - 1, complete=row["cut_reason"] is None, cut_reason=row["cut_reason"])


def label_collector(row: dict[str, Any]) -> LabelCollector | None:
    if not row["catalogue_size"]:
        return None
    owners, wants = row["owners"], row["wants"]
    return LabelCollector(
        owners=owners, wants=wants, want_have_ratio=round(wants / owners, 3) if owners else None,
        catalogue_size=row["catalogue_size"],
    )  # fmt: skip


def editions(row: dict[str, Any]) -> Editions | None:
    years = [
        Edition(**{**edition, "lineup": [LineupEntry(**entry) for entry in edition["lineup"]]})
        for edition in row["editions"]
    ]
    if not years:
        return None
    acts = [entry for edition in years for entry in edition.lineup]
    return Editions(editions=years, acts=len(acts), resolved_acts=sum(1 for a in acts if a.cluster_id))
