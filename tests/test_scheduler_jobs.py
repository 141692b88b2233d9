"""The meetings' jobs in PTB's JobQueue: one wake-up per community, one named job per moment
(communities due together share it), rebuilt from the database, run however late — and what a
job runs is the same run_due the tests drive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Job

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.community import Community
from models.meetings import Meeting
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


def moment_jobs(kopi: OfflineBot) -> list[Job[Any]]:
    """Return the meetings' moment jobs (the sweep aside)."""
    queue = kopi.app.job_queue
    assert queue is not None
    return [job for job in queue.jobs() if job.name and job.name.startswith(jobs.PREFIX)]


def job_of(kopi: OfflineBot, cid: int) -> Job[Any]:
    """Return the one job that wakes a community."""
    when = jobs.wake_up(kopi.app, cid)
    assert when is not None
    [job] = meeting_jobs(kopi, jobs.job_name(when))
    return job


def run_date(job: Job[Any]) -> datetime:
    return job.job.trigger.run_date  # type: ignore[no-any-return]


async def test_a_schedule_gets_one_named_job_at_its_next_due_time(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    cid = await community_id(db)
    job = job_of(kopi, cid)
    assert run_date(job) == DIGEST  # the weekly digest comes before the first reminder
    # Run however late it fires: APScheduler's default grace of 1 s would drop a reminder.
    assert job.job.misfire_grace_time is None
    assert job.job.coalesce is True

    # Changing the schedule re-sets the wake-up, never a second one.
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(budi, joined, "/ringkasan off"))
    assert run_date(job_of(kopi, cid)) == EVE
    await jobs.rebuild(kopi.app)
    await jobs.rebuild(kopi.app)
    assert [run_date(j) for j in moment_jobs(kopi)] == [EVE]
    assert len(meeting_jobs(kopi, jobs.SWEEP)) == 1


async def test_communities_due_at_the_same_moment_share_one_job(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, clock: Clock, db: DB
) -> None:
    groups = [fake.add_group(f"Kombel {i}", admins=[budi]) for i in range(3)]
    for group in groups:
        await kopi.process(fake.bot_added(group, budi))
        await kopi.process(fake.message(budi, group, "/aturjadwal Kamis 14:00"))
        await kopi.process(fake.message(budi, group, "/ringkasan off"))
    [job] = moment_jobs(kopi)
    assert run_date(job) == EVE
    # One community moves its meeting: it gets a job of its own; the others keep theirs.
    await kopi.process(fake.message(budi, groups[0], "/aturjadwal Rabu 10:00"))
    confirm = fake.last(groups[0])  # over a schedule, kopi shows old → new and asks first
    await kopi.process(fake.press(budi, fake.message_of(confirm), "mt:sy"))
    assert sorted(run_date(j) for j in moment_jobs(kopi)) == [
        datetime(2026, 12, 1, 12, 0, tzinfo=UTC),  # Tue 19.00 WIB, the eve of Wednesday
        EVE,
    ]
    fake.clear()
    clock.now = EVE
    await job.run(kopi.app)
    await jobs.settle(kopi.app)
    await kopi.settle()
    assert [len(fake.sent(g)) for g in groups] == [0, 1, 1]
    async with db() as session:
        ids = list(await session.scalars(select(Community.id).order_by(Community.id)))
    assert [jobs.wake_up(kopi.app, cid) for cid in ids[1:]] == [
        datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # the 1-hour reminder
    ] * 2


async def test_the_job_runs_what_is_due_and_sets_itself_to_the_next_time(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, clock: Clock, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(budi, joined, "/ringkasan off"))
    cid = await community_id(db)
    job = job_of(kopi, cid)
    fake.clear()
    clock.now = run_date(job) + (datetime(2026, 12, 2, 12, 5, tzinfo=UTC) - EVE)  # 5 min late
    await job.run(kopi.app)
    await jobs.settle(kopi.app)
    await kopi.settle()
    [reminder] = fake.sent(joined)
    assert "(18 jam lagi)" in reminder.text
    job = job_of(kopi, cid)
    assert run_date(job) == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # the 1-hour reminder
    assert len(moment_jobs(kopi)) == 1


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
        assert run_date(job_of(other, await community_id(db))) == DIGEST
        assert len(meeting_jobs(other, jobs.SWEEP)) == 1
    finally:
        await other.stop()


async def test_a_community_kopi_left_loses_its_job(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    cid = await community_id(db)
    assert run_date(job_of(kopi, cid)) == DIGEST
    await kopi.process(fake.bot_removed(joined, budi))
    await jobs.rebuild(kopi.app)
    assert jobs.wake_up(kopi.app, cid) is None
    assert moment_jobs(kopi) == []


async def test_the_sweep_sends_what_is_due_and_moves_the_horizon_hourly(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, clock: Clock, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))  # at 07.00 UTC
    [sweep] = meeting_jobs(kopi, jobs.SWEEP)

    async def last_meeting() -> datetime:
        async with db() as session:
            found = await session.scalar(select(func.max(Meeting.starts_at)))
        assert found is not None
        return found

    # Meetings are recorded 35 days ahead: up to 24 December; 31 December 07.00 enters the
    # horizon at 07.00 — the next sweep only reads, the one an hour after start-up records it.
    assert await last_meeting() == datetime(2026, 12, 24, 7, 0, tzinfo=UTC)
    clock.now = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
    await sweep.run(kopi.app)
    assert await last_meeting() == datetime(2026, 12, 24, 7, 0, tzinfo=UTC)
    clock.now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    await sweep.run(kopi.app)
    assert await last_meeting() == datetime(2026, 12, 31, 7, 0, tzinfo=UTC)

    # And a sweep sends what is due, then sets the community's next wake-up.
    fake.clear()
    clock.now = EVE
    await sweep.run(kopi.app)
    await kopi.settle()
    assert len(fake.sent(joined)) == 1
    hour_before = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert jobs.wake_up(kopi.app, await community_id(db)) == hour_before
