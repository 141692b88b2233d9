"""The meetings' jobs in PTB's JobQueue: one named job per community at its next due time.

The database is the source of truth; jobs are only alarm clocks. At start-up kopi first catches up
what was missed while it was down, then rebuilds every community's job from the database; a
schedule change rebuilds that community's job. A sweep every few minutes runs everything due and
rebuilds all jobs, so an instance also follows changes another instance made. Jobs run however
late they fire (APScheduler's default misfire grace of one second would silently drop a reminder
when the event loop is busy); what they send is claimed in the database, so a late or doubled
wake-up never sends twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext

from models.meetings import schedules
from scheduler.planner import materialize, plan

log = logging.getLogger(__name__)


class Ran(Protocol):
    """What a run of the due deliveries tells the jobs: when each community needs kopi next."""

    next_at: dict[int, datetime | None]


class RunDue(Protocol):
    """Send what is due at a moment, for every community or one (handlers.meetings_delivery)."""

    def __call__(
        self, app: Any, now: datetime, community_id: int | None = None, *, fresh: bool = True
    ) -> Awaitable[Ran]: ...


KEY = "meetings.jobs"
PREFIX = "meetings:"
SWEEP = "meetings:sweep"
SWEEP_EVERY = timedelta(minutes=10)
# Run however late (never drop a reminder), once (a backlog of wake-ups is one run).
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}
# Community jobs that run at once. Thousands fall due in the same minute; each needs a few
# database round trips before its delivery waits for its place under Telegram's rate, and on
# SQLite all of them share one connection: a few at a time keep the pipeline full without
# thousands of tasks queueing for that connection (and timing out there).
CONCURRENT_JOBS = 8

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class MeetingJobs:
    """What the jobs need: the database, the clock and the function that sends what is due."""

    db: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    run_due: RunDue
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENT_JOBS))


def install(
    app: AnyApp,
    *,
    db: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    run_due: RunDue,
) -> None:
    """Give the application its meeting jobs (bot/app.py hands over run_due)."""
    app.bot_data[KEY] = MeetingJobs(db=db, clock=clock, run_due=run_due)


def job_name(community_id: int) -> str:
    """Return the name of a community's job."""
    return f"{PREFIX}{community_id}"


def _jobs(app: AnyApp) -> MeetingJobs | None:
    jobs = app.bot_data.get(KEY)
    return jobs if isinstance(jobs, MeetingJobs) else None


async def start(app: AnyApp) -> None:
    """Catch up what was missed while kopi was down, then schedule every community's job."""
    jobs = _jobs(app)
    if jobs is None:
        return
    try:
        ran = await jobs.run_due(app, jobs.clock(), None)
    except Exception:
        log.exception("catching up meetings at start-up failed; the sweep will try again")
        await rebuild(app)
    else:
        _set_all(app, ran.next_at)
    queue = app.job_queue
    if queue is not None and queue.scheduler.get_job(SWEEP) is None:
        queue.run_repeating(
            _sweep,
            interval=SWEEP_EVERY,
            first=SWEEP_EVERY,
            name=SWEEP,
            job_kwargs={"id": SWEEP, "replace_existing": True, **JOB_KWARGS},
        )


async def rebuild(app: AnyApp, community_id: int | None = None) -> dict[int, datetime | None]:
    """Set each community's job (or one community's) to its next due time, from the database."""
    jobs = _jobs(app)
    if jobs is None:
        return {}
    now = jobs.clock()
    async with jobs.db.begin() as session:
        for schedule, _ in await schedules(session, community_id):
            await materialize(session, schedule, now)
    async with jobs.db() as session:
        next_at = (await plan(session, now, community_id)).next_at
    if community_id is None:
        _set_all(app, next_at)
    else:
        _set(app, community_id, next_at.get(community_id))
    return next_at


def _set_all(app: AnyApp, next_at: dict[int, datetime | None]) -> None:
    """Set every community's job from a plan of all of them; drop the jobs of the others."""
    queue = app.job_queue
    if queue is None:
        return
    existing = set()
    for job in queue.jobs(f"^{PREFIX}\\d+$"):
        if job.data not in next_at:
            job.schedule_removal()
        else:
            existing.add(job.job.id)
    for cid, when in next_at.items():
        _set(app, cid, when, exists=job_name(cid) in existing)


async def reschedule(app: AnyApp, community_id: int) -> None:
    """Follow a change of one community's schedule."""
    try:
        await rebuild(app, community_id)
    except Exception:
        log.exception("rescheduling community %s failed; the sweep will try again", community_id)


def _set(app: AnyApp, community_id: int, when: datetime | None, *, exists: bool = True) -> None:
    """Point a community's job at when (or remove it), found by its id in constant time.

    exists=False: the caller knows there is no such job yet (looking up a job before the
    scheduler runs scans every job: thousands of communities would make start-up quadratic).
    """
    queue = app.job_queue
    if queue is None:
        return
    name = job_name(community_id)
    scheduler = queue.scheduler
    current = scheduler.get_job(name) if exists else None
    if current is not None:
        if scheduler.running and current.next_run_time == when:
            return  # already set: a sweep changes nothing for most communities
        if when is None or not scheduler.running:
            # A running scheduler replaces a job in place; a job added before it runs is only
            # queued, and would be queued twice.
            current.remove()
    if when is None:
        return
    queue.run_once(
        _fire,
        when=when,
        data=community_id,
        name=name,
        job_kwargs={"id": name, "replace_existing": True, **JOB_KWARGS},
    )


async def _fire(context: CallbackContext[Any, Any, Any, Any]) -> None:
    app = context.application
    jobs = _jobs(app)
    job = context.job
    if jobs is None or job is None or not isinstance(job.data, int):
        return
    community_id = job.data
    async with jobs.slots:
        try:
            # The job's time came from recorded meetings: no need to record them again.
            ran = await jobs.run_due(app, jobs.clock(), community_id, fresh=False)
        except Exception:
            log.exception("meetings of community %s failed; rescheduling", community_id)
            await reschedule(app, community_id)
        else:
            _set(app, community_id, ran.next_at.get(community_id))


async def _sweep(context: CallbackContext[Any, Any, Any, Any]) -> None:
    app = context.application
    jobs = _jobs(app)
    if jobs is None:
        return
    try:
        ran = await jobs.run_due(app, jobs.clock(), None)
    except Exception:
        log.exception("the meetings sweep failed; rebuilding the jobs")
        await rebuild(app)
    else:
        _set_all(app, ran.next_at)
