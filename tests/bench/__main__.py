"""`make bench`: every benchmark section, one report.

BENCH_LARGE sets the large fleet's artist count (default 1,000,000; 0 skips the large runs). The large
fleet is kept in .crate/bench between runs (with its generation figures) and rebuilt when the generator
changes or BENCH_REGENERATE=1.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from tests.bench import dossier, identity, limits, search, spine
from tests.bench.report import Report

OUT = Path(".crate/bench")


async def main() -> None:
    large = int(os.environ.get("BENCH_LARGE", "1000000"))
    work = OUT / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    report = Report("crate benchmarks")
    try:
        large_db = await spine.run(report, work, OUT, large)
        fleets = {"5,000": work / "fleet-5000.db"}
        if large_db is not None:
            fleets[f"{large:,}"] = large_db
        identity.resolve_throughput(report, fleets, work)
        await dossier.run(report, work / "fleet-5000.db", work)
        search.search_throughput(report, fleets, work)
        search.beacon_writes(report, work / "fleet-5000.db", work)
        await limits.run(report, work / "fleet-5000.db", work)
    finally:
        report.write(OUT / "report.md")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
