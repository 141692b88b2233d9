"""SQLite locked by another process: kopi waits, retries, and loses nothing."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.community import Membership, Person
from models.db import create_engine

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="about SQLite's file lock"
)


def hold_write_lock(path: str, seconds: float, locked: threading.Event) -> None:
    """Another process's writer: take SQLite's write lock and keep it for a while."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("CREATE TABLE IF NOT EXISTS other_process (x)")
    locked.set()
    threading.Event().wait(seconds)
    connection.execute("COMMIT")
    connection.close()


async def test_a_write_lock_held_past_the_busy_timeout_is_retried(
    settings: Settings, fake: FakeTelegram, clock, group: JSON, budi: JSON, sari: JSON, db, caplog
) -> None:
    path = settings.database_url.removeprefix("sqlite+aiosqlite:///")
    # A short busy timeout makes the lock outlast it, so kopi's retry has to do the work.
    engine = create_engine(settings.database_url, busy_timeout_ms=100)
    kopi = await OfflineBot.start(settings, fake, clock=clock, migrate=False, engine=engine)
    try:
        await kopi.process(fake.bot_added(group, budi))
        locked = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(path, 0.4, locked))
        holder.start()
        await asyncio.to_thread(locked.wait)
        # Sari speaks for the first time: kopi must write her person and membership rows.
        await kopi.process(fake.message(sari, group, "/bantuan"))
        await asyncio.to_thread(holder.join)
    finally:
        await kopi.stop()
    assert "database busy, processing it again" in caplog.text
    assert "failed" not in caplog.text
    assert fake.last(group).text.startswith("Perintah kopi di grup")
    async with db() as session:
        assert await session.get(Person, sari["id"]) is not None
        members = (await session.scalars(select(Membership.person_id))).all()
        assert sorted(members) == sorted([budi["id"], sari["id"]])
