"""Never twice, never lost: restarts, a crash in the middle of a fan-out, two instances, and
Telegram saying no (RetryAfter, Forbidden, ChatMigrated, timeouts, failures)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import TimedOut

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, FakeTelegram
from handlers.meetings_delivery import Report, run_due
from models.community import Community
from models.meetings import MeetingDelivery
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]

EVE = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wed 19.00 WIB
HOUR_BEFORE = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # Thu 13.00 WIB
STARTS = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # Thu 14.00 WIB
ENDS = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)


class Crash(BaseException):
    """The process dies (nothing in kopi may catch this)."""


class CrashingTelegram(FakeTelegram):
    """The offline Bot API, where kopi can be made to die right before one send."""

    crash_before: int | None = None

    async def call(self, method: str, params: JSON, files: dict[str, Any] | None = None) -> JSON:
        if (
            method == "sendMessage"
            and self.crash_before is not None
            and str(params.get("chat_id")) == str(self.crash_before)
        ):
            self.crash_before = None
            raise Crash("killed in the middle of a fan-out")
        return await super().call(method, params, files)


@pytest.fixture
def fake(clock: Clock) -> FakeTelegram:
    return CrashingTelegram(clock=clock.timestamp)


@pytest.fixture
async def scheduled(kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON) -> JSON:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    fake.clear()
    return joined


@pytest.fixture
async def restart(settings: Settings, fake: FakeTelegram, clock: Clock) -> AsyncIterator[Any]:
    """Start another kopi on the same database and Telegram (a restart, or a second instance)."""
    started: list[OfflineBot] = []

    async def start() -> OfflineBot:
        bot = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        await bot.stop()


async def run_at(kopi: OfflineBot, clock: Clock, when: datetime) -> Report:
    clock.now = when
    report = await run_due(kopi.app, when)
    await kopi.settle()
    return report


async def ledger(db: DB) -> list[tuple[str, int, str]]:
    async with db() as session:
        rows = await session.scalars(select(MeetingDelivery).order_by(MeetingDelivery.id))
        return [(d.kind, d.target, d.state) for d in rows]


async def started_members(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, *names: str
) -> list[JSON]:
    users = []
    for name in names:
        user = fake.add_user(name)
        await kopi.process(fake.message(user, fake.chats[user["id"]].chat, "/start"))
        await kopi.process(fake.message(user, group, "Hadir nanti insyaallah"))
        users.append(user)
    fake.clear()
    return users


def sends_to(fake: FakeTelegram, chat: JSON | int) -> list[str]:
    """Return what reached a chat (a call that raised an injected exception has no result)."""
    return [c.text for c in fake.sent(chat, method="sendMessage") if c.result is not None]


async def test_a_restart_after_a_missed_reminder_sends_it_at_start_up(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, restart: Any, db: DB
) -> None:
    # kopi was down from before 19.00 until 22.00 WIB: the evening reminder is still useful.
    clock.now = EVE + timedelta(hours=3)
    await restart()
    [reminder] = sends_to(fake, scheduled)
    assert "Kamis, 3 Desember 2026 pukul 14.00 WIB (16 jam lagi)" in reminder
    await restart()  # and again: nothing twice
    assert len(sends_to(fake, scheduled)) == 1
    assert await ledger(db) == [("rem:eve", 0, "sent")]


async def test_a_restart_after_the_meeting_started_skips_and_logs(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    clock: Clock,
    restart: Any,
    db: DB,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.now = STARTS + timedelta(minutes=10)
    with caplog.at_level(logging.INFO, logger="handlers.meetings_delivery"):
        await restart()
    assert sends_to(fake, scheduled) == []
    assert await ledger(db) == [
        ("rem:eve", 0, "skipped"),
        ("rem:60", 0, "skipped"),
        ("nudge", 0, "skipped"),
    ]
    assert "skipped rem:eve" in caplog.text and "missed" in caplog.text
    # The invitation to reflect, after the meeting, still goes.
    await run_at(kopi, clock, ENDS)
    assert ("invite", 0, "sent") in await ledger(db)


async def test_a_catch_up_sends_only_the_latest_reminder(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, restart: Any, db: DB
) -> None:
    clock.now = HOUR_BEFORE + timedelta(minutes=20)
    await restart()
    [reminder] = sends_to(fake, scheduled)
    assert "(40 menit lagi)" in reminder
    assert await ledger(db) == [
        ("rem:eve", 0, "skipped"),
        ("rem:60", 0, "sent"),
        ("nudge", 0, "done"),
    ]


async def test_a_crash_in_the_middle_of_a_fan_out_resends_nothing_claimed(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    assert isinstance(fake, CrashingTelegram)
    people = await started_members(kopi, fake, scheduled, "Dewi", "Eko", "Fajar", "Gita")
    await run_at(kopi, clock, EVE)
    fake.crash_before = people[2]["id"]
    with pytest.raises(Crash):
        await run_at(kopi, clock, HOUR_BEFORE)
    assert [len(sends_to(fake, p)) for p in people] == [1, 1, 0, 0]

    # The process comes back and runs again: the rest are nudged, the claimed ones are not.
    await run_at(kopi, clock, HOUR_BEFORE + timedelta(minutes=1))
    assert [len(sends_to(fake, p)) for p in people] == [1, 1, 0, 1]
    assert len(sends_to(fake, scheduled)) == 2  # the evening and the 1-hour reminder, once each
    nudges = [(target, state) for kind, target, state in await ledger(db) if kind == "nudge"]
    assert nudges == [
        (people[0]["id"], "sent"),
        (people[1]["id"], "sent"),
        # Claimed when the process died: it may or may not have gone out, so it is not resent.
        (people[2]["id"], "sending"),
        (people[3]["id"], "sent"),
        (0, "done"),
    ]
    await run_at(kopi, clock, HOUR_BEFORE + timedelta(minutes=30))
    assert [len(sends_to(fake, p)) for p in people] == [1, 1, 0, 1]


async def test_a_failed_send_is_retried_while_useful_and_sent_once(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    fake.fail(lambda: RuntimeError("connection reset by peer"), method="sendMessage")
    await run_at(kopi, clock, EVE)
    assert sends_to(fake, scheduled) == []
    assert await ledger(db) == [("rem:eve", 0, "failed")]
    await run_at(kopi, clock, EVE + timedelta(seconds=30))  # too soon: no hammering
    assert sends_to(fake, scheduled) == []
    await run_at(kopi, clock, EVE + timedelta(minutes=1))
    assert len(sends_to(fake, scheduled)) == 1
    await run_at(kopi, clock, EVE + timedelta(minutes=5))
    assert len(sends_to(fake, scheduled)) == 1
    async with db() as session:
        row = await session.scalar(select(MeetingDelivery))
        assert row is not None and (row.state, row.attempts) == ("sent", 2)


async def test_a_send_that_keeps_failing_stops_after_three_attempts(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    fake.fail(lambda: RuntimeError("connection reset by peer"), method="sendMessage", times=None)
    for minutes in range(6):
        await run_at(kopi, clock, EVE + timedelta(minutes=minutes))
    attempts = [c for c in fake.calls if c.method == "sendMessage"]
    assert len(attempts) == 3
    assert await ledger(db) == [("rem:eve", 0, "failed")]


async def test_two_instances_send_each_delivery_once(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, restart: Any, db: DB
) -> None:
    people = await started_members(kopi, fake, scheduled, "Dewi", "Eko", "Fajar")
    second = await restart()
    for moment in (EVE, HOUR_BEFORE, ENDS):
        clock.now = moment
        await asyncio.gather(run_due(kopi.app, moment), run_due(second.app, moment))
    assert len(sends_to(fake, scheduled)) == 3  # evening, 1 hour before, and the reflection link
    assert [len(sends_to(fake, p)) for p in people] == [1, 1, 1]  # one nudge each
    rows = await ledger(db)
    assert len(rows) == len(set((kind, target) for kind, target, _ in rows))


async def test_retry_after_is_waited_out_and_sent_once(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    fake.fail(
        lambda: ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1}),
        method="sendMessage",
    )
    await run_at(kopi, clock, EVE)
    attempts = [c for c in fake.calls if c.method == "sendMessage"]
    assert [c.error.code if c.error else 200 for c in attempts] == [429, 200]
    assert len(sends_to(fake, scheduled)) == 1
    assert await ledger(db) == [("rem:eve", 0, "sent")]


async def test_a_removed_bot_marks_the_community_inactive_and_stops(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    fake.chats[scheduled["id"]].bot_status = "kicked"  # kopi was not told
    await run_at(kopi, clock, EVE)
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.active is False
    assert await ledger(db) == [("rem:eve", 0, "unreachable")]
    fake.clear()
    await run_at(kopi, clock, HOUR_BEFORE)
    assert fake.calls == []


async def test_a_group_that_became_a_supergroup_is_followed(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    budi: JSON,
    sari: JSON,
    clock: Clock,
    db: DB,
) -> None:
    new_chat, _ = fake.migrate(scheduled, budi)  # kopi missed the service messages
    fake.clear()
    await run_at(kopi, clock, EVE)
    assert sends_to(fake, scheduled) == []
    [reminder] = fake.sent(new_chat, method="sendMessage")
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.chat_id == new_chat["id"]
        row = await session.scalar(select(MeetingDelivery))
        assert row is not None and (row.state, row.chat_id) == ("sent", new_chat["id"])
    await kopi.process(
        fake.press(sari, fake.message_of(reminder), reminder.buttons[0]["callback_data"])
    )
    assert "✅ Hadir: 1" in fake.last(new_chat).text
    await run_at(kopi, clock, HOUR_BEFORE)
    assert len(fake.sent(new_chat, method="sendMessage")) == 2


async def test_a_timeout_may_have_arrived_so_it_is_never_resent(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    fake.fail(lambda: TimedOut("read timed out"), method="sendMessage")
    await run_at(kopi, clock, EVE)
    for minutes in (1, 5, 60):
        await run_at(kopi, clock, EVE + timedelta(minutes=minutes))
    assert len([c for c in fake.calls if c.method == "sendMessage"]) == 1
    assert await ledger(db) == [("rem:eve", 0, "uncertain")]


async def test_a_deleted_forum_topic_falls_back_to_the_general_topic(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, clock: Clock, db: DB
) -> None:
    forum = fake.add_group("Kombel IPA", forum=True, admins=[budi])
    await kopi.process(fake.bot_added(forum, budi))
    await kopi.process(fake.message(budi, forum, "/aturjadwal Kamis 14:00", thread_id=9))
    fake.clear()
    fake.fail(lambda: ApiError(400, "Bad Request: message thread not found"), method="sendMessage")
    await run_at(kopi, clock, EVE)
    [reminder] = fake.sent(forum, method="sendMessage")
    assert reminder.params.get("message_thread_id") is None
    assert await ledger(db) == [("rem:eve", 0, "sent")]


async def test_a_message_telegram_refuses_is_not_retried(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    fake.fail(lambda: ApiError(400, "Bad Request: can't parse entities"), method="sendMessage")
    for minutes in (0, 1, 2):
        await run_at(kopi, clock, EVE + timedelta(minutes=minutes))
    assert len([c for c in fake.calls if c.method == "sendMessage"]) == 1
    assert await ledger(db) == [("rem:eve", 0, "rejected")]


async def test_a_member_who_blocked_kopi_is_not_written_to_again(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    [dewi] = await started_members(kopi, fake, scheduled, "Dewi")
    fake.started.discard(dewi["id"])  # Dewi blocked kopi
    await run_at(kopi, clock, HOUR_BEFORE)
    assert ("nudge", dewi["id"], "unreachable") in await ledger(db)
    from models.community import Person

    async with db() as session:
        person = await session.get(Person, dewi["id"])
        assert person is not None and person.started is False


async def test_a_member_who_comes_back_to_kopi_is_nudged_again(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock, db: DB
) -> None:
    [dewi] = await started_members(kopi, fake, scheduled, "Dewi")
    fake.started.discard(dewi["id"])  # Dewi blocked kopi...
    await run_at(kopi, clock, HOUR_BEFORE)
    clock.now = HOUR_BEFORE + timedelta(days=1)
    await kopi.process(fake.message(dewi, fake.chats[dewi["id"]].chat, "/start"))  # ...and is back
    fake.clear()
    await run_at(kopi, clock, datetime(2026, 12, 10, 6, 0, tzinfo=UTC))
    assert len(sends_to(fake, dewi)) == 1
