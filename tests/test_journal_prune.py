"""The processed-update journal is pruned daily: old rows go, what exactly-once needs stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from models.journal import ProcessedUpdate
from scheduler import jobs

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


async def test_the_daily_job_forgets_old_updates_and_keeps_recent_ones(
    kopi: OfflineBot, db: async_sessionmaker[AsyncSession]
) -> None:
    queue = kopi.app.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name(jobs.PRUNE_JOB)
    assert job.job.trigger.interval == timedelta(days=1)
    ages = {9_001: timedelta(days=30), 9_002: timedelta(days=7, hours=1),
            9_003: timedelta(days=6, hours=23), 9_004: timedelta(hours=1)}
    async with db.begin() as session:
        session.add_all(
            ProcessedUpdate(update_id=u, processed_at=NOW - age) for u, age in ages.items()
        )
    with time_machine.travel(NOW, tick=False):
        await job.run(kopi.app)
    async with db() as session:
        kept = set(await session.scalars(
            select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id > 9_000)
        ))
    assert kept == {9_003, 9_004}
