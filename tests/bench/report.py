"""A small benchmark report: sections of markdown tables, printed and written to .crate/bench/report.md."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Sequence
from pathlib import Path


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(samples, 50) * 1000,
        "p99_ms": percentile(samples, 99) * 1000,
        "mean_ms": statistics.fmean(samples) * 1000,
    }


class Report:
    def __init__(self, title: str) -> None:
        self.title = title
        self.parts: list[str] = []

    def section(self, heading: str, note: str = "") -> None:
        self.parts.append(f"\n## {heading}\n")
        if note:
            self.parts.append(note.strip() + "\n")
        print(f"\n== {heading}", flush=True)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        def cell(value: object) -> str:
            return (
                f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
            )

        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
        text = "\n".join(lines)
        self.parts.append(text + "\n")
        print(text, flush=True)

    def line(self, text: str) -> None:
        self.parts.append(text + "\n")
        print(text, flush=True)

    def write(self, path: Path) -> None:
        head = (
            f"# {self.title}\n\nRun {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} on "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}. "
            "Figures are from one run; compare ratios within it, not across machines.\n"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + "".join(self.parts))
        print(f"\nreport written to {path}")
