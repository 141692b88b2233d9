"""SQLite locked by another process: kopi waits, retries, and loses nothing."""

from __future__ import annotations

import asyncio
import logging
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


def hold_write_lock(path: str, locked: threading.Event, release: threading.Event) -> None:
    """Another process's writer: take SQLite's write lock and keep it until told."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("CREATE TABLE IF NOT EXISTS other_process (x)")
    locked.set()
    release.wait(30)
    connection.execute("COMMIT")
    connection.close()


class ReleaseOnRetry(logging.Handler):
    """Let the other writer go as soon as kopi has met its lock and decided to retry."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.let_go = release

    def emit(self, record: logging.LogRecord) -> None:
        if "database busy" in record.getMessage():
            self.let_go.set()


async def test_a_write_lock_held_past_the_busy_timeout_is_retried(
    settings: Settings, fake: FakeTelegram, clock, group: JSON, budi: JSON, sari: JSON, db, caplog
) -> None:
    path = settings.database_url.removeprefix("sqlite+aiosqlite:///")
    # A short busy timeout makes the lock outlast it, so kopi's retry has to do the work.
    engine = create_engine(settings.database_url, busy_timeout_ms=100)
    kopi = await OfflineBot.start(settings, fake, clock=clock, migrate=False, engine=engine)
    try:
        await kopi.process(fake.bot_added(group, budi))
        locked, release = threading.Event(), threading.Event()
        watcher = ReleaseOnRetry(release)
        logging.getLogger("kopi.errors").addHandler(watcher)
        holder = threading.Thread(target=hold_write_lock, args=(path, locked, release))
        holder.start()
        await asyncio.to_thread(locked.wait)
        # Sari speaks for the first time: kopi must write her person and membership rows,
        # meets the other writer's lock past its busy timeout, and processes the update again.
        await kopi.process(fake.message(sari, group, "/bantuan"))
        release.set()
        await asyncio.to_thread(holder.join)
        logging.getLogger("kopi.errors").removeHandler(watcher)
    finally:
        await kopi.stop()
    assert "database busy, processing it again" in caplog.text
    assert "failed" not in caplog.text
    assert fake.last(group).text.startswith("Perintah kopi di grup")
    async with db() as session:
        assert await session.get(Person, sari["id"]) is not None
        members = (await session.scalars(select(Membership.person_id))).all()
        assert sorted(members) == sorted([budi["id"], sari["id"]])
