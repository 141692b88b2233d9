"""Fan-out benchmark: thousands of communities whose reminders fall due in the same minute.

N communities each have a routine meeting one hour after a moment T (a whole minute, far enough
ahead for kopi to start) with one reminder an hour before: at T, N reminders fall due at once.
kopi runs in a child process (so that its memory is its own) with the real Application, its
JobQueue, its production rate limiter at --rate messages/s and the offline Bot API in-process
(optionally adding --latency to every call and answering a share of sends with 429 RetryAfter).

Reported: start-up time and memory with every community's job scheduled, the time from T until
the last reminder reached Telegram against N / rate, duplicates and misses (per chat), how many
429s were answered and waited out, the delivery ledger, and the peak memory of the whole run.

    python -m bench.fanout                                    # 10,000 communities at 30/s (~7 min)
    python -m bench.fanout --communities 1000 --rate 200      # quick look
    python -m bench.fanout --communities 2000 --rate 100 --profile /tmp/fanout.pstats
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from bench.common import Databases, git_revision, machine, table

GROUP_BASE = 4_000_001  # FakeTelegram numbers plain groups -GROUP_BASE, -(GROUP_BASE + 1), ...
TIMEZONE = "Asia/Jakarta"


@dataclass
class Outcome:
    """What the child process measured."""

    communities: int
    rate: float
    latency_ms: float
    due_at: float  # T, epoch seconds
    startup_s: float = 0.0
    jobs: int = 0
    scheduled: int = 0  # communities with a wake-up set
    rss_scheduled_mb: float = 0.0
    hwm_scheduled_mb: float = 0.0
    hwm_run_mb: float = 0.0
    first_s: float | None = None  # T -> first reminder accepted by Telegram
    last_s: float | None = None  # T -> last reminder accepted by Telegram
    sent: int = 0
    duplicates: int = 0
    misses: int = 0
    retry_after: int = 0
    paused_s: float = 0.0
    late_start: bool = False
    sweep_s: float = 0.0
    cpu_s: float = 0.0  # CPU time kopi used from the due minute to the last reminder
    sweep_wait_ms: float = 0.0
    sweep_plan_s: float = 0.0
    sweep_plan_wait_ms: float = 0.0
    rss_by_phase: dict[str, float] = field(default_factory=dict)
    ledger: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def cpu_seconds() -> float:
    """Return the CPU time this process has used (user + system, all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def memory_mb() -> tuple[float, float]:
    """Return this process's resident memory now and at its peak (VmRSS, VmHWM), in MiB."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


# ------------------------------------------------------------------------------ the parent


async def seed(url: str, count: int, starts_at: datetime, now: datetime) -> None:
    """Register count communities, each meeting weekly at starts_at with a reminder 60 min ahead."""
    from models.community import Community
    from models.db import create_engine
    from models.meetings import MeetingSchedule
    from scheduler.recurrence import local_date, local_time

    local = local_time(starts_at, TIMEZONE)
    day = local_date(starts_at, TIMEZONE)
    engine = create_engine(url)
    async with engine.begin() as connection:
        for start in range(0, count, 1000):
            batch = range(start, min(start + 1000, count))
            await connection.execute(
                insert(Community.__table__),
                [
                    {
                        "chat_id": -(GROUP_BASE + i),
                        "title": f"Kombel {i}",
                        "chat_type": "group",
                        "is_forum": False,
                        "timezone": TIMEZONE,
                        "language": "id",
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )
        ids = {
            chat_id: cid
            for chat_id, cid in await connection.execute(select(Community.chat_id, Community.id))
        }
        for start in range(0, count, 1000):
            batch = range(start, min(start + 1000, count))
            await connection.execute(
                insert(MeetingSchedule.__table__),
                [
                    {
                        "community_id": ids[-(GROUP_BASE + i)],
                        "weekday": day.weekday(),
                        "minute_of_day": local.hour * 60 + local.minute,
                        "timezone": TIMEZONE,
                        "interval_weeks": 1,
                        "anchor_date": day,
                        "place": "Ruang Guru",
                        "reminders": "60",
                        "skip_holidays": False,
                        "digest_enabled": True,
                        "duration_minutes": 90,
                        "changed_at": now,
                        "created_at": now,
                    }
                    for i in batch
                ],
            )
    await engine.dispose()


def due_moment(lead: float) -> datetime:
    """Return the first whole minute at least lead seconds from now."""
    earliest = datetime.now(UTC) + timedelta(seconds=lead)
    return earliest.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def prepare(args: argparse.Namespace, databases: Databases) -> tuple[str, datetime]:
    """Return a fresh database with the communities registered, and the minute they fall due."""
    await databases.prepare()
    url = databases.fresh()
    lead = args.lead if args.lead is not None else 20 + args.communities * 0.004
    due = due_moment(lead)
    now = datetime.now(UTC) - timedelta(hours=1)
    await seed(url, args.communities, due + timedelta(hours=1), now)
    return url, due


def parent(args: argparse.Namespace) -> None:
    databases = Databases()
    try:
        url, due = asyncio.run(prepare(args, databases))
        child_args = {
            "url": url,
            "communities": args.communities,
            "rate": args.rate,
            "latency": args.latency,
            "retry_after_share": args.retry_after_share,
            "retry_after": args.retry_after,
            "due": due.timestamp(),
            "profile": args.profile,
            "seed": args.seed,
        }
        result = subprocess.run(
            [sys.executable, "-m", "bench.fanout", "--child", json.dumps(child_args)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        databases.close()
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        raise SystemExit(f"the kopi process failed ({result.returncode})")
    outcome = Outcome(**json.loads(result.stdout.strip().splitlines()[-1]))
    report(args, outcome)


def report(args: argparse.Namespace, o: Outcome) -> None:
    minimum = o.communities / o.rate
    rows = [
        [
            f"{o.communities:,}",
            f"{o.rate:g}",
            f"{o.latency_ms:g}",
            f"{o.startup_s:.1f}",
            f"{o.scheduled:,} / {o.jobs:,}",
            f"{o.rss_scheduled_mb:.0f} / {o.hwm_scheduled_mb:.0f}",
            f"{minimum:.1f}",
            f"{o.last_s:.1f}" if o.last_s is not None else "-",
            f"{o.last_s / minimum:.3f}x" if o.last_s is not None else "-",
            f"{o.sent:,}",
            o.duplicates,
            o.misses,
            o.retry_after,
            f"{o.paused_s:.1f}",
            f"{o.hwm_run_mb:.0f}",
        ]
    ]
    print(
        f"Fan-out: {o.communities:,} reminders due at the same minute, limiter {o.rate:g}/s, "
        f"latency {o.latency_ms:g} ms, {args.retry_after_share:.1%} of sends answered 429 "
        f"(retry after {args.retry_after:g} s)"
    )
    print(f"machine: {machine()}; commit {git_revision()}")
    print()
    print(
        table(
            [
                "communities",
                "rate/s",
                "latency ms",
                "start-up s",
                "scheduled / jobs",
                "RSS scheduled MB (now / peak)",
                "N/rate s",
                "due -> last s",
                "vs N/rate",
                "sent",
                "duplicates",
                "misses",
                "429s",
                "paused s",
                "peak RSS run MB",
            ],
            rows,
        )
    )
    print()
    print(f"- first reminder {o.first_s:.2f} s after the due minute" if o.first_s else "- none")
    if o.last_s:
        print(
            f"- CPU used by kopi during the fan-out: {o.cpu_s:.0f} s in {o.last_s:.0f} s "
            f"({o.cpu_s / o.last_s:.0%} of one core; {o.cpu_s / max(o.sent, 1) * 1000:.1f} ms "
            "per reminder, the offline API included)"
        )
    print(f"- ledger: {', '.join(f'{k} {v:,}' for k, v in sorted(o.ledger.items()))}")
    print(
        f"- paused for RetryAfter: {o.paused_s:.1f} s in all (a pause also lets the limiter's "
        "bucket refill, so it costs less than its length)"
    )
    print(
        "- highest resident memory seen, by phase (MB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in o.rss_by_phase.items())
    )
    print(
        f"- a sweep over all communities (every 10 min) took {o.sweep_plan_s:.1f} s, "
        f"{o.sweep_s:.1f} s when it also records meetings (hourly); meanwhile a capture waited "
        f"at most {max(o.sweep_wait_ms, o.sweep_plan_wait_ms):.0f} ms for the database"
    )
    for note in o.notes:
        print(f"- {note}")
    print()
    print(f"reproduce: {reproduce()}")


def reproduce() -> str:
    """Return the command that reproduces this run."""
    return " ".join(["python", "-m", "bench.fanout", *sys.argv[1:]])


# ------------------------------------------------------------------------------- the child


async def child(params: dict[str, Any]) -> Outcome:
    from bot.app import build_application
    from bot.config import Settings
    from bot.offline.fake import JSON, ApiError, FakeTelegram
    from bot.offline.request import OfflineRequest
    from models.db import create_engine, session_factory
    from models.meetings import MeetingDelivery

    count = int(params["communities"])
    due = float(params["due"])
    outcome = Outcome(count, float(params["rate"]), float(params["latency"]) * 1000, due)
    fake = FakeTelegram(seed=int(params["seed"]))
    for i in range(count):
        chat = fake.add_group(f"Kombel {i}", bot_status="member")
        assert chat["id"] == -(GROUP_BASE + i)
    retry_after = float(params["retry_after"])
    if params["retry_after_share"]:
        fake.fail(
            lambda: ApiError(
                429,
                f"Too Many Requests: retry after {retry_after:g}",
                {"retry_after": retry_after},
            ),
            method="sendMessage",
            times=None,
            probability=float(params["retry_after_share"]),
        )
    accepted: list[float] = []
    per_chat: Counter[int] = Counter()
    all_sent = asyncio.Event()
    original = fake.call

    async def timed_call(method: str, params: JSON, files: Any = None) -> JSON:
        body = await original(method, params, files)
        if method == "sendMessage":
            if body.get("ok"):
                accepted.append(time.time())
                chat_id = int(params["chat_id"])
                per_chat[chat_id] += 1
                # Keep the offline API's memory out of kopi's: forget what it recorded.
                fake.messages.pop((chat_id, body["result"]["message_id"]), None)
                if len(accepted) >= count:
                    all_sent.set()
            elif body.get("error_code") == 429:
                outcome.retry_after += 1
        fake.calls.clear()
        return body

    fake.call = timed_call  # type: ignore[method-assign]
    phase = ["start-up"]
    peaks: dict[str, float] = {}

    async def sample() -> None:
        while True:
            peaks[phase[0]] = max(peaks.get(phase[0], 0.0), memory_mb()[0])
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    settings = Settings(
        token="123456:BENCH",
        database_url=str(params["url"]),
        rate_overall_per_second=float(params["rate"]),
    )
    app = build_application(settings, request=OfflineRequest(fake), migrate=False)
    started = time.perf_counter()
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    outcome.startup_s = time.perf_counter() - started
    outcome.jobs = len(app.job_queue.jobs()) if app.job_queue else 0
    outcome.scheduled = sum(1 for _ in app.bot_data["meetings.jobs"].wake)
    outcome.rss_scheduled_mb, outcome.hwm_scheduled_mb = memory_mb()
    if time.time() > due:
        outcome.late_start = True
        outcome.notes.append("kopi started after the due minute: raise --lead")
    fake.latency = float(params["latency"])
    phase[0] = "waiting"
    await asyncio.sleep(max(due - time.time(), 0))
    phase[0] = "fan-out"
    cpu_before = cpu_seconds()
    deadline = due + 3 * count / outcome.rate + 120
    try:
        await asyncio.wait_for(all_sent.wait(), max(deadline - time.time(), 1))
    except TimeoutError:
        outcome.notes.append(f"gave up waiting after {deadline - due:.0f} s")
    outcome.cpu_s = cpu_seconds() - cpu_before
    # Let the last outcomes reach the ledger before stopping.
    await asyncio.sleep(2)
    phase[0] = "sweep"
    outcome.sweep_s, outcome.sweep_wait_ms = await sweep(app, fresh=True)
    outcome.sweep_plan_s, outcome.sweep_plan_wait_ms = await sweep(app, fresh=False)
    phase[0] = "stop"
    await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    if accepted:
        outcome.first_s = min(accepted) - due
        outcome.last_s = max(accepted) - due
    outcome.sent = len(accepted)
    chats = [-(GROUP_BASE + i) for i in range(count)]
    outcome.duplicates = sum(1 for c in chats if per_chat[c] > 1)
    outcome.misses = sum(1 for c in chats if per_chat[c] == 0)
    limiter = app.bot.rate_limiter
    outcome.paused_s = float(getattr(limiter, "paused_seconds", 0.0))
    engine = create_engine(str(params["url"]))
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(MeetingDelivery.kind, MeetingDelivery.state, func.count()).group_by(
                MeetingDelivery.kind, MeetingDelivery.state
            )
        )
        outcome.ledger = {f"{kind} {state}": n for kind, state, n in rows}
    await engine.dispose()
    outcome.hwm_run_mb = memory_mb()[1]
    sampler.cancel()
    outcome.rss_by_phase = {k: round(v, 1) for k, v in peaks.items()}
    return outcome


async def sweep(app: Any, *, fresh: bool) -> tuple[float, float]:
    """Time the every-10-minutes sweep over all communities, and the longest any other database
    user (a capture, say) waited for the connection meanwhile. fresh: the hourly sweep, which
    also records the meetings up to the horizon."""
    from sqlalchemy import text

    from handlers.context import SERVICES_KEY
    from handlers.meetings_delivery import run_due

    db = app.bot_data[SERVICES_KEY].db
    worst = 0.0
    done = asyncio.Event()

    async def probe() -> None:
        nonlocal worst
        while not done.is_set():
            started = time.perf_counter()
            async with db() as session:
                await session.execute(text("SELECT 1"))
            worst = max(worst, time.perf_counter() - started)
            await asyncio.sleep(0.02)

    prober = asyncio.create_task(probe())
    started = time.perf_counter()
    await run_due(app, datetime.now(UTC), None, fresh=fresh)
    elapsed = time.perf_counter() - started
    done.set()
    await prober
    return elapsed, worst * 1000


def run_child(raw: str) -> None:
    params = json.loads(raw)
    profile = params.get("profile")
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        outcome = profiler.runcall(asyncio.run, child(params))
        profiler.dump_stats(profile)
    else:
        outcome = asyncio.run(child(params))
    sys.stdout.write(json.dumps(asdict(outcome)) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="messages per second overall")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per Bot API call")
    parser.add_argument("--retry-after-share", type=float, default=0.01)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--lead", type=float, default=None, help="seconds to start kopi in")
    parser.add_argument("--profile", default=None, help="write the kopi process's cProfile here")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        run_child(args.child)
        return
    if args.communities < 1 or args.rate <= 0 or not math.isfinite(args.rate):
        parser.error("--communities and --rate must be positive")
    parent(args)


if __name__ == "__main__":
    main()
