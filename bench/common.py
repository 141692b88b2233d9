"""Shared helpers for the benchmarks: machine description, percentiles, tables, databases."""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from models.db import create_engine, upgrade


def machine() -> str:
    """Describe the machine a benchmark ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    sqlite = __import__("sqlite3").sqlite_version
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; Python {platform.python_version()}, "
        f"SQLite {sqlite}, {platform.system()} {platform.release()}"
    )


def percentile(values: Sequence[float], share: float) -> float:
    """Return the share-th percentile (0..1) of values, nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    """Return the median, or nan for no values."""
    return statistics.median(values) if values else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Return a Markdown table."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    return "\n".join([line, rule, *body])


def command_line() -> str:
    """Return the command that reproduces this run."""
    return " ".join([".venv/bin/python", *sys.orig_argv[1:]])


def git_revision() -> str:
    """Return the current commit, for the record."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


class Databases:
    """Fresh migrated SQLite databases, copied from one template."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kopi-bench-"))
        self.template = self.root / "template.db"
        self.count = 0

    async def prepare(self) -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{self.template}")
        await upgrade(engine)
        await engine.dispose()

    def fresh(self) -> str:
        self.count += 1
        path = self.root / f"db{self.count}.db"
        shutil.copy(self.template, path)
        return f"sqlite+aiosqlite:///{path}"

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def run(main: object) -> None:
    """Run an async main()."""
    asyncio.run(main)  # type: ignore[arg-type]
