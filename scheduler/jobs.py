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

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, JobQueue

from models.meetings import schedules
from scheduler.planner import materialize, plan

log = logging.getLogger(__name__)

RunDue = Callable[[Any, datetime, int | None], Awaitable[object]]
KEY = "meetings.jobs"
PREFIX = "meetings:"
SWEEP = "meetings:sweep"
SWEEP_EVERY = timedelta(minutes=10)
# Run however late (never drop a reminder), once (a backlog of wake-ups is one run).
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class MeetingJobs:
    """What the jobs need: the database, the clock and the function that sends what is due."""

    db: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    run_due: RunDue


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
        await jobs.run_due(app, jobs.clock(), None)
    except Exception:
        log.exception("catching up meetings at start-up failed; the sweep will try again")
    await rebuild(app)
    queue = app.job_queue
    if queue is not None and not queue.get_jobs_by_name(SWEEP):
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
    queue = app.job_queue
    if queue is None:
        return next_at
    if community_id is None:
        for job in queue.jobs(f"^{PREFIX}\\d+$"):
            if job.data not in next_at:
                job.schedule_removal()
    elif community_id not in next_at:
        _set(queue, community_id, None)
    for cid, when in next_at.items():
        _set(queue, cid, when)
    return next_at


async def reschedule(app: AnyApp, community_id: int) -> None:
    """Follow a change of one community's schedule."""
    try:
        await rebuild(app, community_id)
    except Exception:
        log.exception("rescheduling community %s failed; the sweep will try again", community_id)


def _set(queue: JobQueue[Any], community_id: int, when: datetime | None) -> None:
    name = job_name(community_id)
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
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
    try:
        await jobs.run_due(app, jobs.clock(), job.data)
    finally:
        await reschedule(app, job.data)


async def _sweep(context: CallbackContext[Any, Any, Any, Any]) -> None:
    app = context.application
    jobs = _jobs(app)
    if jobs is None:
        return
    try:
        await jobs.run_due(app, jobs.clock(), None)
    finally:
        await rebuild(app)
