"""The daily backup job: checked copies in BACKUP_DIR, one a day, the newest BACKUP_KEEP kept."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import ConfigError, Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.backup import BackupError
from models.capture import CaptureItem
from scheduler import backups
from tests.conftest import Clock

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="the backup job copies SQLite only"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def settings(settings: Settings, folder: Path) -> Settings:
    return replace(settings, backup_dir=folder, backup_keep=3)


def partials(folder: Path) -> list[Path]:
    return list(folder.glob("*.partial"))


def block(folder: Path, blocked: bool) -> None:
    """Put a file where the backup folder should be (or take it away)."""
    if blocked:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_text("not a folder")
    else:
        folder.unlink()


def captures_in(path: Path) -> int:
    with sqlite3.connect(path) as copy:
        return int(copy.execute("select count(*) from capture_items").fetchone()[0])


async def test_the_job_backs_up_daily_keeps_the_newest_and_leaves_other_files(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, clock: Clock, folder: Path
) -> None:
    queue = kopi.app.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name(backups.BACKUP_JOB)
    assert job.job.trigger.interval == backups.CHECK_EVERY

    await kopi.process(fake.message(sari, joined, "#keresahan murid sulit fokus"))
    start = clock()
    await job.run(kopi.app)  # no backup yet: one now
    first = folder / backups.backup_name(start)
    assert [p for _, p in backups.backups(folder)] == [first]
    assert captures_in(first) == 1
    assert not partials(folder)

    await kopi.process(fake.message(sari, joined, "#praktikbaik kuis lima menit"))
    clock.advance(hours=23)
    await job.run(kopi.app)  # the newest is not a day old: nothing
    assert len(backups.backups(folder)) == 1

    (folder / "kopi-before-upgrade.db").write_bytes(b"the operator's own copy")
    for _ in range(5):  # five more days, checked every hour of them
        for _ in range(24):
            clock.advance(hours=1)
            await job.run(kopi.app)
    kept = backups.backups(folder)
    assert len(kept) == 3  # BACKUP_KEEP
    # one a day, 24 hours after the one before (hours 24, 48, ... 120 of 143), the last three kept
    assert [m for m, _ in kept] == [start + timedelta(hours=h) for h in (72, 96, 120)]
    assert captures_in(kept[-1][1]) == 2
    assert not first.exists()
    assert (folder / "kopi-before-upgrade.db").read_bytes() == b"the operator's own copy"


async def test_a_failed_backup_leaves_no_file_and_is_tried_again(
    kopi: OfflineBot, clock: Clock, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    queue = kopi.app.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name(backups.BACKUP_JOB)
    block(folder, True)  # a file where the folder should be
    await job.run(kopi.app)
    assert "the daily backup failed" in caplog.text
    block(folder, False)
    clock.advance(hours=1)
    await job.run(kopi.app)
    assert len(backups.backups(folder)) == 1


def test_a_backup_is_checked_before_it_counts(tmp_path: Path, clock: Clock) -> None:
    foreign = tmp_path / "foreign.db"  # a sound SQLite file, but not kopi's
    with sqlite3.connect(foreign) as other:
        other.execute("create table notes (body text)")
    plan = backups.BackupPlan(foreign, tmp_path / "backups", 3, clock)
    with pytest.raises(BackupError, match="not a kopi database"):
        backups.back_up(plan, clock())
    assert list((tmp_path / "backups").iterdir()) == []  # nor a .partial left behind


async def test_a_backup_holds_what_was_committed(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    sari: JSON,
    folder: Path,
    db: async_sessionmaker[AsyncSession],
) -> None:
    for n in range(5):
        await kopi.process(fake.message(sari, joined, f"#keresahan nomor {n}"))
    queue = kopi.app.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name(backups.BACKUP_JOB)
    await job.run(kopi.app)
    async with db() as session:
        stored = await session.scalar(select(func.count()).select_from(CaptureItem))
    [(_, path)] = backups.backups(folder)
    assert captures_in(path) == stored == 5


def test_settings_read_and_refuse_backup_dir() -> None:
    settings = Settings.from_env({"BACKUP_DIR": "/srv/kopi/backups", "BACKUP_KEEP": "14"})
    assert settings.backup_dir == Path("/srv/kopi/backups") and settings.backup_keep == 14
    assert Settings.from_env({}).backup_dir is None
    assert Settings.from_env({}).backup_keep == 7
    with pytest.raises(ConfigError, match="BACKUP_DIR: the backup job copies SQLite only"):
        Settings.from_env(
            {"BACKUP_DIR": "/b", "DATABASE_URL": "postgresql+asyncpg://kopi@127.0.0.1/kopi"}
        )
    with pytest.raises(ConfigError, match="BACKUP_KEEP"):
        Settings.from_env({"BACKUP_KEEP": "0"})
    web = Settings.from_env({"WEB_PORT": "9100"})
    assert (web.web_listen, web.web_port) == ("127.0.0.1", 9100)
    assert Settings.from_env({}).web_port is None
    with pytest.raises(ConfigError, match="WEB_PORT"):
        Settings.from_env({"WEB_PORT": "http"})
