"""The meetings' jobs in PTB's JobQueue: named, never duplicated, rebuilt from the database, run
however late — and what a job runs is the same run_due the tests drive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Job

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.community import Community
from scheduler import jobs
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]

DIGEST = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Fri 16.00 WIB
EVE = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wed 19.00 WIB


async def community_id(db: DB) -> int:
    async with db() as session:
        found = await session.scalar(select(Community.id))
    assert found is not None
    return int(found)


def meeting_jobs(kopi: OfflineBot, name: str) -> tuple[Job[Any], ...]:
    queue = kopi.app.job_queue
    assert queue is not None
    return queue.get_jobs_by_name(name)


def run_date(job: Job[Any]) -> datetime:
    return job.job.trigger.run_date  # type: ignore[no-any-return]


async def test_a_schedule_gets_one_named_job_at_its_next_due_time(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    name = jobs.job_name(await community_id(db))
    [job] = meeting_jobs(kopi, name)
    assert run_date(job) == DIGEST  # the weekly digest comes before the first reminder
    # Run however late it fires: APScheduler's default grace of 1 s would drop a reminder.
    assert job.job.misfire_grace_time is None
    assert job.job.coalesce is True

    # Changing the schedule re-sets the same job, never a second one.
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(budi, joined, "/ringkasan off"))
    [job] = meeting_jobs(kopi, name)
    assert run_date(job) == EVE
    await jobs.rebuild(kopi.app)
    await jobs.rebuild(kopi.app)
    assert len(meeting_jobs(kopi, name)) == 1
    assert len(meeting_jobs(kopi, jobs.SWEEP)) == 1


async def test_the_job_runs_what_is_due_and_sets_itself_to_the_next_time(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, clock: Clock, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(budi, joined, "/ringkasan off"))
    name = jobs.job_name(await community_id(db))
    [job] = meeting_jobs(kopi, name)
    fake.clear()
    clock.now = run_date(job) + (datetime(2026, 12, 2, 12, 5, tzinfo=UTC) - EVE)  # 5 min late
    await job.run(kopi.app)
    await kopi.settle()
    [reminder] = fake.sent(joined)
    assert "(18 jam lagi)" in reminder.text
    [job] = meeting_jobs(kopi, name)
    assert run_date(job) == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # the 1-hour reminder


async def test_start_up_rebuilds_the_jobs_from_the_database(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    settings: Any,
    clock: Clock,
    db: DB,
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    other = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        [job] = meeting_jobs(other, jobs.job_name(await community_id(db)))
        assert run_date(job) == DIGEST
        assert len(meeting_jobs(other, jobs.SWEEP)) == 1
    finally:
        await other.stop()


async def test_a_community_kopi_left_loses_its_job(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    name = jobs.job_name(await community_id(db))
    assert len(meeting_jobs(kopi, name)) == 1
    await kopi.process(fake.bot_removed(joined, budi))
    await jobs.rebuild(kopi.app)
    assert meeting_jobs(kopi, name) == ()
