"""Data benchmark: search and the problem map over a million captured items (SQLite).

Builds (once, cached in --db) N captured items across many communities, Indonesian teachers'
vocabulary, one large community holding a tenth of them, then measures, side by side in one run:
search p50/p95 in the large community and in small ones (target p95 ≤ 20 ms), and the problem
map's first page p50/p95 (open concerns, most votes first).

    python -m bench.data                       # 1,000,000 items (first run builds the file)
    python -m bench.data --items 100000 --db /tmp/kopi-100k.db
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from bench.common import command_line, git_revision, machine, median, percentile, table
from models.capture import CaptureItem, community_terms, list_concerns, search
from models.community import Community
from models.db import create_engine, session_factory, upgrade

VOCABULARY = (
    "murid siswa kelas guru literasi numerasi membaca menulis berhitung fokus istirahat "
    "diferensiasi asesmen formatif sumatif rapor kurikulum merdeka projek profil pelajar pancasila "
    "modul ajar rencana pembelajaran refleksi orang tua komunikasi disiplin motivasi bullying "
    "perundungan gawai ponsel media sosial video pendek pojok baca perpustakaan buku cerita "
    "matematika pecahan perkalian bahasa inggris ipa ipas praktikum laboratorium lingkungan "
    "sampah kebersihan kantin sarapan kesehatan olahraga seni musik tari budaya lokal kearifan "
    "administrasi beban tugas laporan platform akun pelatihan komunitas kolaborasi rekan sejawat "
    "supervisi kepala sekolah pengawas dinas zonasi inklusi disabilitas kebutuhan khusus "
    "jam pelajaran jadwal ulangan remedial pengayaan tugas rumah pr nilai motivasi belajar "
    "permainan kuis kelompok diskusi presentasi portofolio jurnal lembar kerja"
)
WORDS = tuple(VOCABULARY.split())


async def build(path: Path, items: int, communities: int, seed: int) -> None:
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    await upgrade(engine)
    db = session_factory(engine)
    rng = random.Random(seed)
    start = time.perf_counter()
    async with db.begin() as session:
        await session.execute(
            Community.__table__.insert(),
            [
                {
                    "chat_id": -1_000_000 - i,
                    "title": f"Komunitas {i}",
                    "chat_type": "supergroup",
                    "is_forum": False,
                    "timezone": "Asia/Jakarta",
                    "language": "id",
                    "active": True,
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                }
                for i in range(communities)
            ],
        )
    ids = list(range(1, communities + 1))
    big = ids[0]
    base = datetime(2025, 1, 1, tzinfo=UTC)
    batch = 20_000
    for first in range(0, items, batch):
        rows = []
        for n in range(first, min(items, first + batch)):
            community = big if n % 10 == 0 else rng.choice(ids[1:])
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24)))
            kind = "concern" if rng.random() < 0.6 else "practice"
            when = base + timedelta(minutes=n)
            rows.append(
                {
                    "community_id": community,
                    "kind": kind,
                    "status": rng.choice(("new", "new", "discussed", "resolved")),
                    "text": words,
                    "search_terms": community_terms(community, words),
                    "author_kind": "unknown",
                    "chat_id": -1,
                    "message_id": n,
                    "votes": int(rng.expovariate(0.5)),
                    "hidden": False,
                    "created_at": when,
                    "updated_at": when,
                }
            )
        async with db.begin() as session:
            await session.execute(CaptureItem.__table__.insert(), rows)
        done = min(items, first + batch)
        rate = done / (time.perf_counter() - start)
        print(f"\r  building: {done:,}/{items:,} items ({rate:,.0f}/s)", end="", flush=True)
    print()
    async with engine.connect() as connection:
        await connection.execute(text("ANALYZE"))
        await connection.execute(
            text("INSERT INTO capture_items_fts(capture_items_fts) VALUES('optimize')")
        )
        await connection.commit()
    await engine.dispose()


async def timed(calls: list[tuple[int, str]], db: object, kind: str) -> list[float]:
    times = []
    for community, words in calls:
        async with db() as session:  # type: ignore[operator]
            start = time.perf_counter()
            if kind == "search":
                await search(session, community, words)
            else:
                await list_concerns(session, community, resolved=False, offset=0, limit=10)
            times.append((time.perf_counter() - start) * 1000)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--communities", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", default=None, help="database file (built if missing)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    path = Path(args.db or f"data/bench-{args.items}.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # noqa: ASYNC240 (set-up, not measured)
        await build(path, args.items, args.communities, args.seed)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    db = session_factory(engine)
    async with db() as session:
        total = await session.scalar(select(func.count()).select_from(CaptureItem))
        big = await session.scalar(
            select(func.count()).select_from(CaptureItem).where(CaptureItem.community_id == 1)
        )
    rng = random.Random(args.seed + 1)

    def queries(community: int | None) -> list[tuple[int, str]]:
        out = []
        for _ in range(args.queries):
            shape = rng.random()
            if shape < 0.4:
                words = rng.choice(WORDS)
            elif shape < 0.7:
                words = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
            elif shape < 0.9:
                words = rng.choice(WORDS)[:4]  # a prefix, as typed on a phone
            else:
                words = f'"{rng.choice(WORDS)}" AND (NOT * 🙏'
            out.append((community or rng.randint(2, args.communities), words))
        return out

    rows = []
    for label, community in (("large community", 1), ("small communities", None)):
        searches = await timed(queries(community), db, "search")
        listings = await timed(
            [(community or rng.randint(2, args.communities), "") for _ in range(args.queries)],
            db,
            "list",
        )
        rows.append(
            [
                label,
                f"{median(searches):.1f}",
                f"{percentile(searches, 0.95):.1f}",
                f"{median(listings):.1f}",
                f"{percentile(listings, 0.95):.1f}",
            ]
        )
    await engine.dispose()
    print(
        f"Data: {total:,} captured items in {args.communities:,} communities "
        f"(the large one holds {big:,}); {args.queries} queries each"
    )
    print(f"machine: {machine()}; commit {git_revision()}")
    print()
    print(
        table(
            ["where", "search p50 ms", "search p95 ms", "problem map p50 ms", "problem map p95 ms"],
            rows,
        )
    )
    print()
    print(f"reproduce: {command_line()}")


if __name__ == "__main__":
    asyncio.run(main())
