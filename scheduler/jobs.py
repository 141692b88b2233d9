"""The meetings' alarm clocks in PTB's JobQueue: each community wakes at its next due time.

The database is the source of truth; the clocks only say when to look. Every community has one
wake-up time (never two); the communities that wake at the same moment share one named job, so
10,000 reminders due in the same minute are one job in the JobQueue, not 10,000 (a job costs
memory while it waits, and a burst of thousands firing at once costs more). When a moment comes,
its communities queue up and a few workers serve them (run_due, then the community's next time).

At start-up kopi first catches up what was missed while it was down, then sets every community's
wake-up from the database; a schedule change resets that community's. A sweep every few minutes
runs everything due and resets all of them, so an instance also follows changes another instance
made. Jobs run however late they fire (APScheduler's default misfire grace of one second would
silently drop a reminder when the event loop is busy); what they send is claimed in the
database, so a late or doubled wake-up never sends twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, Job

from models.journal import prune_journal
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
PREFIX = "meetings@"
SWEEP = "meetings:sweep"
SWEEP_EVERY = timedelta(minutes=10)
# How often the sweep also records the schedules' meetings up to the horizon (35 days ahead):
# that is half a sweep's work, and the horizon only needs to move now and then.
RECORD_EVERY = timedelta(hours=1)
# Run however late (never drop a reminder), once (a backlog of wake-ups is one run).
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}
# Communities served at once when their moment comes. Each needs a few database round trips
# before its delivery waits for its place under Telegram's rate; on SQLite all of them share one
# connection, so a few at a time keep the pipeline full without thousands of tasks waiting for
# that connection (timing out there, and holding memory meanwhile).
CONCURRENT_JOBS = 16

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class MeetingJobs:
    """What the jobs need (the database, the clock, what sends) and when each community wakes."""

    db: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    run_due: RunDue
    wake: dict[int, datetime] = field(default_factory=dict)  # community -> its next wake-up
    moments: dict[datetime, set[int]] = field(default_factory=dict)  # wake-up -> communities
    # Communities whose moment came, waiting for a worker (each once).
    waiting: deque[int] = field(default_factory=deque)
    queued: set[int] = field(default_factory=set)
    workers: set[asyncio.Task[None]] = field(default_factory=set)
    recorded_at: datetime | None = None  # when a run last recorded every schedule's meetings


def install(
    app: AnyApp,
    *,
    db: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    run_due: RunDue,
) -> None:
    """Give the application its meeting jobs (bot/app.py hands over run_due)."""
    app.bot_data[KEY] = MeetingJobs(db=db, clock=clock, run_due=run_due)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            prune_processed, interval=timedelta(days=1), first=timedelta(hours=1),
            name=PRUNE_JOB, data=db,
        )


# The journal only has to outlive Telegram's redelivery of an update (about a day, see
# bot/processor.py); a week keeps a wide margin for a kopi that was down for days.
JOURNAL_KEEP = timedelta(days=7)
PRUNE_JOB = "journal.prune"


async def prune_processed(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Forget processed updates older than JOURNAL_KEEP (one transaction, daily)."""
    db = context.job.data if context.job is not None else None
    if not isinstance(db, async_sessionmaker):
        return
    async with db.begin() as session:
        await prune_journal(session, older_than=JOURNAL_KEEP)


def job_name(moment: datetime) -> str:
    """Return the name of the job that wakes the communities due at a moment."""
    return f"{PREFIX}{moment.astimezone(UTC).isoformat()}"


def _jobs(app: AnyApp) -> MeetingJobs | None:
    jobs = app.bot_data.get(KEY)
    return jobs if isinstance(jobs, MeetingJobs) else None


def wake_up(app: AnyApp, community_id: int) -> datetime | None:
    """Return when a community wakes next (None: nothing planned)."""
    jobs = _jobs(app)
    return None if jobs is None else jobs.wake.get(community_id)


def timer(app: AnyApp, moment: datetime) -> Job[Any] | None:
    """Return the job that rings at a moment, if there is one."""
    queue = app.job_queue
    if queue is None:
        return None
    found = queue.get_jobs_by_name(job_name(moment))
    return found[0] if found else None


async def start(app: AnyApp) -> None:
    """Catch up what was missed while kopi was down, then set every community's wake-up."""
    jobs = _jobs(app)
    if jobs is None:
        return
    now = jobs.clock()
    try:
        ran = await jobs.run_due(app, now, None)
    except Exception:
        log.exception("catching up meetings at start-up failed; the sweep will try again")
        await rebuild(app)
    else:
        jobs.recorded_at = now
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
    """Set each community's wake-up (or one community's) from the database."""
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
    """Set every community's wake-up from a plan of all of them; forget the others."""
    jobs = _jobs(app)
    if jobs is None:
        return
    for community_id in [c for c in jobs.wake if c not in next_at]:
        _set(app, community_id, None)
    for community_id, when in next_at.items():
        _set(app, community_id, when)


async def reschedule(app: AnyApp, community_id: int) -> None:
    """Follow a change of one community's schedule."""
    try:
        await rebuild(app, community_id)
    except Exception:
        log.exception("rescheduling community %s failed; the sweep will try again", community_id)


def _set(app: AnyApp, community_id: int, when: datetime | None) -> None:
    """Point a community's wake-up at when (None: no wake-up); one job per moment."""
    jobs = _jobs(app)
    queue = app.job_queue
    if jobs is None or queue is None:
        return
    before = jobs.wake.get(community_id)
    if before == when:
        return
    if before is not None:
        leaving = jobs.moments.get(before, set())
        leaving.discard(community_id)
        if not leaving:
            jobs.moments.pop(before, None)
            current = queue.scheduler.get_job(job_name(before))
            if current is not None:
                current.remove()
    if when is None:
        jobs.wake.pop(community_id, None)
        return
    jobs.wake[community_id] = when
    sharing = jobs.moments.get(when)
    if sharing is None:
        sharing = jobs.moments[when] = set()
        name = job_name(when)
        queue.run_once(
            _ring,
            when=when,
            data=when,
            name=name,
            job_kwargs={"id": name, "replace_existing": True, **JOB_KWARGS},
        )
    sharing.add(community_id)


async def _ring(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """A moment came: queue the communities that wake now and let the workers serve them."""
    app = context.application
    jobs = _jobs(app)
    job = context.job
    if jobs is None or job is None or not isinstance(job.data, datetime):
        return
    due = jobs.moments.pop(job.data, set())
    # A job that ran by hand (not fired by the scheduler, which drops it) is done too.
    ran = None if app.job_queue is None else app.job_queue.scheduler.get_job(job.job.id)
    if ran is not None:
        ran.remove()
    for community_id in sorted(due):
        if jobs.wake.get(community_id) == job.data:
            del jobs.wake[community_id]
        if community_id not in jobs.queued:
            jobs.queued.add(community_id)
            jobs.waiting.append(community_id)
    while len(jobs.workers) < min(CONCURRENT_JOBS, len(jobs.waiting)):
        # A running application waits for its tasks when it stops (no delivery cut in half).
        worker = (
            app.create_task(_serve(app, jobs, stopping=lambda: not app.running), name=PREFIX)
            if app.running
            else asyncio.create_task(_serve(app, jobs, stopping=lambda: False))
        )
        jobs.workers.add(worker)
        worker.add_done_callback(jobs.workers.discard)


async def _serve(app: AnyApp, jobs: MeetingJobs, stopping: Callable[[], bool]) -> None:
    """Serve the communities whose moment came, one after another, until none waits.

    When kopi stops, the community being served is finished and the others are left: their
    deliveries are still unclaimed, and the start-up catch-up sends them.
    """
    while jobs.waiting and not stopping():
        community_id = jobs.waiting.popleft()
        jobs.queued.discard(community_id)
        try:
            # The moment came from recorded meetings: no need to record them again.
            ran = await jobs.run_due(app, jobs.clock(), community_id, fresh=False)
        except Exception:
            log.exception("meetings of community %s failed; rescheduling", community_id)
            await reschedule(app, community_id)
        else:
            _set(app, community_id, ran.next_at.get(community_id))


async def settle(app: AnyApp) -> None:
    """Wait until every community whose moment came has been served."""
    jobs = _jobs(app)
    while jobs is not None and jobs.workers:
        await asyncio.gather(*jobs.workers)


async def _sweep(context: CallbackContext[Any, Any, Any, Any]) -> None:
    app = context.application
    jobs = _jobs(app)
    if jobs is None:
        return
    now = jobs.clock()
    # This process records meetings itself when a schedule changes here; another instance's
    # changes were recorded by that instance. Only the horizon moves, so hourly is plenty.
    fresh = jobs.recorded_at is None or now - jobs.recorded_at >= RECORD_EVERY
    try:
        ran = await jobs.run_due(app, now, None, fresh=fresh)
    except Exception:
        log.exception("the meetings sweep failed; rebuilding the jobs")
        await rebuild(app)
    else:
        if fresh:
            jobs.recorded_at = now
        _set_all(app, ran.next_at)
