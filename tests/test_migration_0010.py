"""Migration 0010: a database made by 0009 holding minutes texts gets minutes entries.

A note is attributed only to the one member of the meeting's community with its name; every
other note (a name of nobody there, of two members, of a person in another community only, an
anonymised note, text before the first name) keeps its words, header included, without an
author. Downgrading writes the texts back as they were.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from models.db import alembic_config, create_engine, upgrade
from models.meetings import MinutesEntry, minutes_text, minutes_texts

AT = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()

OLD = (
    "rapat sebelumnya (awal yang terpotong)"
    "\n\n— Budi Santoso:\nMembahas literasi."
    "\n\n— Dewi:\nDua anggota bernama Dewi."
    "\n\n— Sari:\nSari hanya anggota komunitas lain."
    "\n\n— Anggota (anonim):\nSepakat membaca 15 menit."
    "\n\n— Budi Santoso:\nTindak lanjut: rapat orang tua.\n\nDengan baris kosong di dalamnya."
)

communities = sa.table(
    "communities",
    *(sa.column(n) for n in ("id", "chat_id", "title", "chat_type", "is_forum", "timezone")),
    *(sa.column(n) for n in ("language", "active")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
people = sa.table(
    "people",
    *(sa.column(n) for n in ("id", "first_name", "last_name", "started")),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
memberships = sa.table(
    "memberships",
    *(sa.column(n) for n in ("community_id", "person_id", "role")),
    sa.column("joined_at", sa.DateTime(timezone=True)),
)
meetings = sa.table(
    "meetings",
    *(sa.column(n) for n in ("id", "community_id", "status", "manual", "minutes")),
    sa.column("slot_date", sa.Date()),
    sa.column("minutes_prompt_id"),
    sa.column("starts_at", sa.DateTime(timezone=True)),
    sa.column("timing_set_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


async def _fresh_postgres() -> AsyncIterator[str]:
    """Yield the URL of a new, empty PostgreSQL database beside the test database."""
    base = make_url(PG_URL)
    name = f"{base.database}_m0010"
    admin = create_engine(base.set(database="postgres").render_as_string(hide_password=False))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no right to create databases: test SQLite only
        await admin.dispose()
        pytest.skip(f"cannot create a PostgreSQL database: {error}")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Return the URL of an empty database, for SQLite and (with TEST_DATABASE_URL) PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    async for url in _fresh_postgres():
        yield url


async def _seed(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(communities),
            [
                {
                    "id": cid,
                    "chat_id": -100 - cid,
                    "title": title,
                    "chat_type": "supergroup",
                    "is_forum": False,
                    "timezone": "Asia/Jakarta",
                    "language": "id",
                    "active": True,
                    "created_at": AT,
                    "updated_at": AT,
                }
                for cid, title in ((1, "Kombel Literasi"), (2, "Kombel IPA"))
            ],
        )
        await connection.execute(
            sa.insert(people),
            [
                {
                    "id": pid,
                    "first_name": first,
                    "last_name": last,
                    "started": False,
                    "created_at": AT,
                }
                for pid, first, last in (
                    (100, "Budi", "Santoso"),
                    (101, "Dewi", None),
                    (102, "Dewi", None),
                    (200, "Sari", None),
                )
            ],
        )
        await connection.execute(
            sa.insert(memberships),
            [
                {"community_id": cid, "person_id": pid, "role": "member", "joined_at": AT}
                for cid, pid in ((1, 100), (1, 101), (1, 102), (2, 200))
            ],
        )
        await connection.execute(
            sa.insert(meetings),
            [
                {
                    "id": mid,
                    "community_id": 1,
                    "slot_date": date(2026, 12, day),
                    "starts_at": AT.replace(day=day),
                    "status": "scheduled",
                    "manual": False,
                    "timing_set_at": AT,
                    "minutes": minutes,
                    "minutes_prompt_id": 77 if minutes else None,
                    "created_at": AT,
                }
                for mid, day, minutes in ((1, 3, OLD), (2, 10, None), (3, 17, "Catatan singkat."))
            ],
        )


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()


async def test_minutes_texts_become_entries_attributed_only_where_one_member_has_the_name(
    old_database: str,
) -> None:
    engine = create_engine(old_database)
    try:
        await upgrade(engine, "0009")
        await _seed(engine)
        await upgrade(engine)

        db = async_sessionmaker(engine, expire_on_commit=False)
        async with db() as session:
            rows = list(await session.scalars(sa.select(MinutesEntry).order_by(MinutesEntry.id)))
            first = await minutes_text(session, 1)
            texts = await minutes_texts(session, [1, 2, 3])
        assert [(e.meeting_id, e.author_id, e.author_name, e.text) for e in rows] == [
            (1, None, None, "rapat sebelumnya (awal yang terpotong)"),
            (1, 100, "Budi Santoso", "Membahas literasi."),
            (1, None, None, "— Dewi:\nDua anggota bernama Dewi."),
            (1, None, None, "— Sari:\nSari hanya anggota komunitas lain."),
            (1, None, None, "— Anggota (anonim):\nSepakat membaca 15 menit."),
            (
                1,
                100,
                "Budi Santoso",
                "Tindak lanjut: rapat orang tua.\n\nDengan baris kosong di dalamnya.",
            ),
            (3, None, None, "Catatan singkat."),
        ]
        assert {e.created_at for e in rows if e.meeting_id == 1} == {AT}
        assert all(e.source_chat_id is None and e.source_message_id is None for e in rows)
        # Read back, the minutes say what they said.
        assert first == OLD
        assert texts == {1: OLD, 3: "Catatan singkat."}
        async with engine.connect() as connection:
            columns = await connection.run_sync(
                lambda sync: {
                    table: {c["name"] for c in sa.inspect(sync).get_columns(table)}
                    for table in ("meetings", "meeting_schedules")
                }
            )
        assert not {"minutes", "minutes_prompt_id"} & columns["meetings"]
        assert "place_prompt_id" not in columns["meeting_schedules"]

        # Down again: the texts are back in the meetings.
        await _downgrade(engine, "0009")
        async with engine.connect() as connection:
            back = (
                await connection.execute(
                    sa.select(meetings.c.id, meetings.c.minutes).order_by(meetings.c.id)
                )
            ).all()
        assert [tuple(r) for r in back] == [(1, OLD), (2, None), (3, "Catatan singkat.")]
    finally:
        await engine.dispose()
