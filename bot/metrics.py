"""kopi's Prometheus metrics, one registry per application (so tests never share counters).

What is counted where it happens: every Bot API request by method and outcome (a wrapper around
the bot's request object, so every retry of a 429 is seen), errors (an extra error handler) and
job lag (APScheduler's submission events). What is read when /metrics is scraped: the update
processor's counts, the outbox, the meetings' wake-ups, the backups' age, and (at most every
CAPTURES_EVERY seconds, from the database) the captures stored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, EVENT_JOB_SUBMITTED, JobEvent
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from models.capture import CaptureItem, Kind
from scheduler import backups

log = logging.getLogger(__name__)

CAPTURES_EVERY = 30.0  # seconds between two counts of the captures table
REQUEST_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LAG_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


def outcome_of(status: int) -> str:
    """Name the outcome of a Bot API answer by its HTTP status."""
    if 200 <= status < 300:
        return "ok"
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        429: "rate_limited",
    }.get(status, "server_error" if status >= 500 else "other")


class Metrics:
    """Every metric of one kopi application, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "kopi_telegram_requests",
            "Bot API requests by method and outcome (ok, rate_limited = HTTP 429, bad_request, "
            "forbidden, not_found, conflict, unauthorized, server_error, timeout, network, "
            "other); each retry counts once",
            ["method", "outcome"],
            registry=r,
        )
        self.request_seconds = Histogram(
            "kopi_telegram_request_seconds",
            "Time from sending a Bot API request to its answer",
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "kopi_errors",
            "Unexpected errors that reached kopi's error handler, by source (update, job)",
            ["source"],
            registry=r,
        )
        self.job_lag = Histogram(
            "kopi_job_lag_seconds",
            "How late the JobQueue started a job after its scheduled time (the oldest missed "
            "run when several are coalesced)",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self.jobs_missed = Counter(
            "kopi_jobs_missed", "Job runs the scheduler dropped as too late", registry=r
        )
        self.captures = Gauge(
            "kopi_captures",
            f"Concerns and good practices stored, by kind (counted at most every "
            f"{CAPTURES_EVERY:.0f} s)",
            ["kind"],
            registry=r,
        )
        self._captures_at: float | None = None
        self.monotonic: Callable[[], float] = time.monotonic  # paces the captures' count
        self.app: Any = None
        self.backup_dir: Path | None = None
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        r.register(_Live(self))

    def watch(self, app: Any, *, clock: Callable[[], datetime], backup_dir: Path | None) -> None:
        """Start observing a built application: its errors, jobs, processor and outbox."""
        self.app = app
        self.clock = clock
        self.backup_dir = backup_dir
        app.add_error_handler(self.count_error)
        if app.job_queue is not None:
            app.job_queue.scheduler.add_listener(
                self._on_job, EVENT_JOB_SUBMITTED | EVENT_JOB_MISSED
            )

    async def count_error(self, update: object, context: Any) -> None:
        """Count an error that reached the error handlers (kopi's own one logs it)."""
        self.errors.labels("update" if update is not None else "job").inc()

    def _on_job(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            self.jobs_missed.inc()
            return
        times = getattr(event, "scheduled_run_times", None) or []
        if times:
            self.job_lag.observe(max(0.0, (datetime.now(UTC) - min(times)).total_seconds()))

    def metered(self, request: BaseRequest) -> BaseRequest:
        """Return request, counting every call it makes."""
        return MeteredRequest(request, self)

    async def refresh(self, db: async_sessionmaker[AsyncSession]) -> None:
        """Read what only the database knows, at most every CAPTURES_EVERY seconds."""
        now = self.monotonic()
        if self._captures_at is not None and now - self._captures_at < CAPTURES_EVERY:
            return
        try:
            async with db() as session:
                rows = (
                    await session.execute(
                        select(CaptureItem.kind, func.count()).group_by(CaptureItem.kind)
                    )
                ).all()
        except Exception as error:  # /healthz says so; the metrics keep their last values
            log.warning("could not count captures for /metrics: %r", error)
            return
        self._captures_at = now
        counts = {kind.value: 0 for kind in Kind} | {kind: count for kind, count in rows}
        for kind, count in counts.items():
            self.captures.labels(kind).set(count)

    def text(self) -> bytes:
        """Return every metric in Prometheus' text format."""
        return generate_latest(self.registry)


class _Live(Collector):
    """The values read from the running application when /metrics is scraped."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        app = self.metrics.app
        if app is None:
            return
        yield from self._updates(app.update_processor)
        yield from self._outbox(app)
        yield from self._jobs(app)
        age = backups.newest_age(self.metrics.backup_dir, self.metrics.clock())
        if age is not None:
            yield GaugeMetricFamily(
                "kopi_backup_age_seconds", "Age of the newest backup in BACKUP_DIR", age
            )

    def _updates(self, processor: Any) -> Iterator[Any]:
        if not hasattr(processor, "processed"):
            return  # another processor (benchmarks): nothing to read
        updates = CounterMetricFamily(
            "kopi_updates",
            "Updates finished since start (skipped: delivered again)",
            None,
            labels=["outcome"],
        )
        updates.add_metric(["processed"], processor.processed)
        updates.add_metric(["skipped"], processor.skipped)
        yield updates
        yield GaugeMetricFamily(
            "kopi_updates_unfinished",
            "Updates received and not finished yet (running or waiting for their chat's turn)",
            processor.waiting,
        )
        oldest = processor.oldest_unfinished()
        yield GaugeMetricFamily(
            "kopi_update_oldest_unfinished_seconds",
            "How long the oldest unfinished update has been in (0: none)",
            oldest or 0.0,
        )
        if processor.last_processed_at is not None:
            yield GaugeMetricFamily(
                "kopi_last_update_age_seconds",
                "Seconds since the last update finished",
                processor.clock() - processor.last_processed_at,
            )

    def _outbox(self, app: Any) -> Iterator[Any]:
        from handlers.context import SERVICES_KEY

        services = app.bot_data.get(SERVICES_KEY)
        if services is None:
            return
        yield GaugeMetricFamily(
            "kopi_outbox_pending",
            "Replies queued in the outbox, not sent yet",
            services.outbox.pending,
        )
        yield CounterMetricFamily(
            "kopi_outbox_failures",
            "Replies from the outbox that failed to send",
            services.outbox.failures,
        )

    def _jobs(self, app: Any) -> Iterator[Any]:
        from scheduler import jobs as meeting_jobs

        queue = app.job_queue
        if queue is not None:
            yield GaugeMetricFamily(
                "kopi_jobqueue_running",
                "1 when the JobQueue's scheduler runs",
                1.0 if queue.scheduler.running else 0.0,
            )
            yield GaugeMetricFamily(
                "kopi_jobqueue_jobs",
                "Jobs scheduled in the JobQueue",
                len(queue.scheduler.get_jobs()),
            )
        meetings = app.bot_data.get(meeting_jobs.KEY)
        if isinstance(meetings, meeting_jobs.MeetingJobs):
            yield GaugeMetricFamily(
                "kopi_meetings_waiting",
                "Communities whose meeting moment came, waiting for a delivery worker",
                len(meetings.waiting),
            )
            now = meetings.clock()
            earliest = min(meetings.wake.values(), default=None)
            overdue = 0.0 if earliest is None else max(0.0, (now - earliest).total_seconds())
            yield GaugeMetricFamily(
                "kopi_meetings_overdue_seconds",
                "How far behind the earliest meeting wake-up is (0: none is overdue): the "
                "delivery lag of reminders not started yet",
                overdue,
            )


class MeteredRequest(BaseRequest):
    """A bot's request object that counts each Bot API call by method and outcome."""

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        started = time.monotonic()
        outcome = "other"
        try:
            status, body = await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
            outcome = outcome_of(status)
            return status, body
        except TimedOut:
            outcome = "timeout"
            raise
        except NetworkError:
            outcome = "network"
            raise
        finally:
            self.metrics.request_seconds.observe(time.monotonic() - started)
            self.metrics.requests.labels(api_method, outcome).inc()
