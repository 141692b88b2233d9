"""Fixtures: a fresh database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL) and kopi
running against the offline Bot API."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models import Base
from models.db import create_engine, session_factory, upgrade

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def timestamp(self) -> float:
        return self.now.timestamp()


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


async def _make_sqlite(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a migrated database: a template SQLite file, or the reset PostgreSQL database."""
    if PG_URL:
        asyncio.run(_reset_postgres(PG_URL))
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "kopi.db"
    asyncio.run(_make_sqlite(f"sqlite+aiosqlite:///{path}"))
    return str(path)


@pytest.fixture
async def database_url(migrated: str, tmp_path: Path) -> str:
    """Return the URL of an empty, migrated database for this test."""
    if PG_URL:
        engine = create_engine(PG_URL)
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await engine.dispose()
        return PG_URL
    path = tmp_path / "kopi.db"
    shutil.copy(migrated, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))  # a Thursday, 14:00 WIB


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        token="123456:TEST-TOKEN",
        database_url=database_url,
        rate_overall_per_second=10_000,
        rate_group_per_minute=100_000,
    )


@pytest.fixture
def fake(clock: Clock) -> FakeTelegram:
    return FakeTelegram(clock=clock.timestamp)


@pytest.fixture
async def kopi(settings: Settings, fake: FakeTelegram, clock: Clock) -> AsyncIterator[OfflineBot]:
    bot = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    fake.clear()
    yield bot
    await bot.stop()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on the test database, for asserting on rows."""
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def budi(fake: FakeTelegram) -> JSON:
    return fake.add_user("Budi", "Santoso", username="budi_guru", language_code="id")


@pytest.fixture
def sari(fake: FakeTelegram) -> JSON:
    return fake.add_user("Sari", language_code="en")


@pytest.fixture
def group(fake: FakeTelegram, budi: JSON, sari: JSON) -> JSON:
    """A group with Budi (admin) and Sari (member); kopi not in it yet."""
    return fake.add_group("Guru Penggerak SMPN 1", members=[sari], admins=[budi])


@pytest.fixture
async def joined(kopi: OfflineBot, fake: FakeTelegram, group: JSON, budi: JSON) -> JSON:
    """The group, with kopi added by Budi (the greeting already sent and cleared)."""
    await kopi.process(fake.bot_added(group, budi))
    fake.clear()
    return group
