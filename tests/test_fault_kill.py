"""Exactly once through kill -9: a real `kopi run` process, SIGKILLed in the middle of a reminder
fan-out, then started again — every reminder reaches its group once.

The process talks HTTP to the offline Bot API (``OfflineServer``) served by this test. A few
hundred communities have a reminder due (missed an hour ago, the meeting still ahead), so kopi
sends them all at start-up. The offline API holds kopi's sendMessage calls after the first
ones, and the test kills kopi while it waits:

- with the answers held (Telegram has the messages, kopi never heard back): those deliveries
  stay "sending" and are not sent again after the restart;
- with nothing in flight (the held calls were answered 429 and kopi gave their claims back
  while it waits out the pause): the restart sends them.

Because kopi reserves a delivery's place under the rate limit before claiming it, the only
deliveries a kill can leave claimed are requests on the wire, at most CONCURRENT_DELIVERIES.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.fake import JSON, ApiError, FakeTelegram
from bot.offline.server import OfflineServer
from handlers.meetings_delivery import CONCURRENT_DELIVERIES
from models.community import Community, activate_community
from models.meetings import MeetingDelivery, MeetingSchedule, save_schedule
from scheduler.recurrence import local_date, local_time

DB = async_sessionmaker[AsyncSession]

COMMUNITIES = 240
BEFORE_THE_KILL = 100  # reminders that get through before the offline API starts holding
TIMEZONE = "Asia/Jakarta"
TOKEN = "424242:KILL-TOKEN"


@dataclass
class Kopi:
    """A `kopi run` process and what it logs."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None
    _seen: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        async for raw in stream:
            self.lines.append(raw.decode(errors="replace").rstrip())
            self._seen.set()

    async def logged(self, predicate: Callable[[list[str]], bool], seconds: float = 30) -> None:
        """Wait until what kopi logged satisfies predicate."""
        async with asyncio.timeout(seconds):
            while not predicate(self.lines):
                if self.process.returncode is not None:
                    raise AssertionError("kopi exited:\n" + "\n".join(self.lines[-30:]))
                self._seen.clear()
                await self._seen.wait()

    async def kill(self) -> None:
        """kill -9."""
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self.reader is not None:
            await self.reader

    async def answers(self, fake: FakeTelegram) -> None:
        """Wait until kopi polls and answers (a teacher says /start in private)."""
        teacher = fake.add_user("Rina", language_code="id")
        fake.enqueue(fake.message(teacher, fake.chats[teacher["id"]].chat, "/start"))
        await fake.wait_for(lambda: bool(fake.sent(teacher["id"])), seconds=30)

    async def stop(self) -> int:
        """Stop as an operator would (SIGINT); return the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(self.process.wait(), 60)
        if self.reader is not None:
            await self.reader
        return code


@pytest.fixture
async def server(fake: FakeTelegram) -> AsyncIterator[OfflineServer]:
    served = OfflineServer(fake)
    served.start()
    yield served
    for held in fake.holds:
        held.release()
    await served.stop()


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram()  # the kopi process runs on the wall clock


@pytest.fixture
async def kopis(
    tmp_path: Path, server: OfflineServer, database_url: str
) -> AsyncIterator[Callable[[], Awaitable[Kopi]]]:
    started: list[Kopi] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            "RATE_OVERALL_PER_SECOND": "500",
        }
    )

    async def start() -> Kopi:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        kopi = Kopi(process)
        kopi.reader = asyncio.create_task(kopi.read())
        started.append(kopi)
        return kopi

    yield start
    for kopi in started:
        if kopi.process.returncode is None:
            await kopi.kill()


@pytest.fixture
async def groups(fake: FakeTelegram, db: DB) -> list[JSON]:
    """COMMUNITIES groups, each with a reminder due an hour ago for a meeting two hours ahead."""
    now = datetime.now(UTC)
    starts_at = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    local = local_time(starts_at, TIMEZONE)
    day = local_date(starts_at, TIMEZONE)
    chats = [fake.add_group(f"Kombel {i}", bot_status="member") for i in range(COMMUNITIES)]
    async with db.begin() as session:
        for chat in chats:
            community, _ = await activate_community(
                session,
                chat["id"],
                title=chat["title"],
                chat_type="group",
                is_forum=False,
                timezone=TIMEZONE,
                language="id",
            )
            await save_schedule(
                session,
                community.id,
                weekday=day.weekday(),
                minute_of_day=local.hour * 60 + local.minute,
                timezone=TIMEZONE,
                interval_weeks=1,
                anchor_date=day,
                thread_id=None,
                place="Ruang Guru",
                now=now - timedelta(days=1),
            )
        # One reminder, 3 hours ahead (so due an hour ago); no holiday notice, no digest.
        await session.execute(
            update(MeetingSchedule).values(
                reminders="180", skip_holidays=False, digest_enabled=False
            )
        )
    return chats


def delivered(fake: FakeTelegram) -> Counter[int]:
    """Return how many reminders reached each chat (a held answer still reached the chat)."""
    return Counter(
        int(c.params["chat_id"])
        for c in fake.calls
        if c.method == "sendMessage" and c.error is None and c.result is not None
    )


async def ledger(db: DB) -> Counter[str]:
    async with db() as session:
        rows = await session.scalars(select(MeetingDelivery.state))
        return Counter(rows)


async def sending_chats(db: DB) -> set[int]:
    async with db() as session:
        rows = await session.scalars(
            select(Community.chat_id)
            .join(MeetingDelivery, MeetingDelivery.community_id == Community.id)
            .where(MeetingDelivery.state == "sending")
        )
        return set(rows)


def up(lines: list[str]) -> bool:
    """kopi finished its start-up (the catch-up of missed reminders included)."""
    return any("kopi is up as @" in line for line in lines)


def clean(lines: list[str]) -> bool:
    return not any(" ERROR " in line or "Traceback" in line for line in lines)


async def test_a_kill_while_telegram_holds_the_answers_sends_nothing_twice(
    fake: FakeTelegram, groups: list[JSON], kopis: Callable[[], Awaitable[Kopi]], db: DB
) -> None:
    held = fake.hold("sendMessage", skip=BEFORE_THE_KILL)
    first = await kopis()
    # Every delivery slot ends up waiting for an answer; nothing else can be claimed then.
    await fake.wait_for(lambda: len(held.calls) >= CONCURRENT_DELIVERIES, seconds=60)
    await first.kill()
    assert len(held.calls) == CONCURRENT_DELIVERIES
    in_flight = {int(c.params["chat_id"]) for c in held.calls}
    assert sum(delivered(fake).values()) == BEFORE_THE_KILL + CONCURRENT_DELIVERIES
    # Telegram has them, kopi never heard back: claimed, not recorded.
    assert await sending_chats(db) == in_flight
    assert (await ledger(db))["sent"] == BEFORE_THE_KILL
    held.release()

    second = await kopis()
    await second.logged(up)
    await second.answers(fake)
    assert await second.stop() == 0, "\n".join(second.lines[-40:])
    counts = delivered(fake)
    assert [counts[chat["id"]] for chat in groups] == [1] * COMMUNITIES
    assert await ledger(db) == {
        "sent": COMMUNITIES - CONCURRENT_DELIVERIES,
        "sending": CONCURRENT_DELIVERIES,
    }
    assert clean(second.lines), "\n".join(second.lines)


async def test_a_kill_with_nothing_in_flight_loses_nothing(
    fake: FakeTelegram, groups: list[JSON], kopis: Callable[[], Awaitable[Kopi]], db: DB
) -> None:
    held = fake.hold("sendMessage", skip=BEFORE_THE_KILL, processed=False)
    first = await kopis()
    await fake.wait_for(lambda: len(held.calls) >= CONCURRENT_DELIVERIES, seconds=60)
    # Telegram answers the waiting calls "429, retry after 60": kopi gives each claim back and
    # waits out the pause, with nothing claimed and nothing on the wire. Then it is killed.
    fake.fail(
        lambda: ApiError(429, "Too Many Requests: retry after 60", {"retry_after": 60}),
        method="sendMessage",
        times=None,
    )
    held.release()
    await first.logged(
        lambda lines: (
            sum("s for Telegram's pause" in line for line in lines) >= CONCURRENT_DELIVERIES
        )
    )
    await first.kill()
    assert sum(delivered(fake).values()) == BEFORE_THE_KILL
    assert await ledger(db) == {"sent": BEFORE_THE_KILL}
    fake.faults.clear()

    second = await kopis()
    await second.logged(up)
    await second.answers(fake)
    assert await second.stop() == 0, "\n".join(second.lines[-40:])
    counts = delivered(fake)
    assert [counts[chat["id"]] for chat in groups] == [1] * COMMUNITIES
    assert await ledger(db) == {"sent": COMMUNITIES}
    assert clean(second.lines), "\n".join(second.lines)
