"""One member cannot stall a group: a burst of commands is paused, captures keep being written."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from handlers.throttle import LIMIT
from models.capture import CaptureItem
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]


async def test_a_burst_of_commands_gets_one_private_notice_and_captures_go_on(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, fake.chats[sari["id"]].chat, "/start"))
    answered = 0
    notices = []
    for _ in range(LIMIT + 5):
        calls = await kopi.process(fake.message(sari, joined, "/bantuan"))
        answered += any(c.params.get("chat_id") == joined["id"] for c in calls)
        notices += [c for c in calls if c.params.get("chat_id") == sari["id"]]
    assert answered == LIMIT
    assert len(notices) == 1
    assert notices[0].text.startswith("Maaf, Sari, perintahnya banyak sekali")
    assert not [c for c in fake.sent(joined) if "banyak sekali" in (c.text or "")]

    # A colleague's capture is written (and acknowledged) meanwhile.
    await kopi.process(fake.message(budi, joined, "Murid sulit fokus #keresahan"))
    async with db() as session:
        assert len(list(await session.scalars(select(CaptureItem)))) == 1
    # Budi's own commands are not limited by Sari's.
    calls = await kopi.process(fake.message(budi, joined, "/bantuan"))
    assert any(c.params.get("chat_id") == joined["id"] for c in calls)

    # A minute later Sari is answered again.
    clock.advance(minutes=1)
    calls = await kopi.process(fake.message(sari, joined, "/bantuan"))
    assert any(c.params.get("chat_id") == joined["id"] for c in calls)


async def test_someone_who_never_started_kopi_is_told_once_in_the_group(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON
) -> None:
    for _ in range(LIMIT + 3):
        await kopi.process(fake.message(sari, joined, "/bantuan"))
    told = [c for c in fake.sent(joined) if "banyak sekali" in (c.text or "")]
    assert len(told) == 1
