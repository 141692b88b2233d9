"""A flood of captures never waits on Telegram: every capture is persisted at once, the
acknowledgements follow when Telegram lets them, in each group's order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.capture import CaptureItem
from tests.conftest import Clock

Db = async_sessionmaker[AsyncSession]


class HeldTelegram(FakeTelegram):
    """The offline API, except that reactions in some chats wait until Telegram lets them go
    (as they do when a group has used its 20 messages a minute)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.held: set[int] = set()
        self.release = asyncio.Event()

    async def call(self, method: str, params: JSON, files: dict[str, Any] | None = None) -> JSON:
        if method == "setMessageReaction" and int(str(params.get("chat_id"))) in self.held:
            await self.release.wait()
        return await super().call(method, params, files)


@pytest.fixture
def fake(clock: Clock) -> FakeTelegram:
    return HeldTelegram(clock=clock.timestamp)


async def deliver(kopi: OfflineBot, update: JSON) -> None:
    """Hand one update to kopi the way Telegram does, without waiting for its outbox."""
    parsed = Update.de_json(update, kopi.app.bot)
    await kopi.app.update_processor.process_update(parsed, kopi.app.process_update(parsed))


async def count(db: Db) -> int:
    async with db() as session:
        return int(await session.scalar(select(func.count()).select_from(CaptureItem)) or 0)


async def test_captures_are_saved_while_acknowledgements_wait_and_go_out_in_order(
    kopi: OfflineBot, fake: HeldTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    other = fake.add_group("KKG IPA", members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    fake.clear()
    fake.held.add(joined["id"])

    try:
        async with asyncio.timeout(20):  # a failure must not hang the suite
            flood = [
                fake.message(sari if n % 2 else budi, joined, f"#keresahan Masalah ke-{n}")
                for n in range(30)
            ]
            for update in flood:
                await deliver(kopi, update)
            # Every capture is in the database although not one acknowledgement went out.
            assert await count(db) == 30
            assert fake.reactions == {}
            assert kopi.services.outbox.pending > 0

            # The chat's next update is answered at once: its reply goes out in the chat's replies'
            # lane, not behind the reactions.
            await deliver(kopi, fake.message(budi, joined, "/keresahan"))
            await fake.wait_for(
                lambda: any("Peta masalah" in (c.text or "") for c in fake.sent(joined))
            )
            # Another group is not held up either.
            update = fake.message(sari, other, "#praktikbaik Praktikum sederhana")
            await deliver(kopi, update)
            await fake.wait_for(
                lambda: (other["id"], update["message"]["message_id"]) in fake.reactions
            )

            fake.release.set()
            await kopi.settle()

    finally:
        fake.release.set()  # a failure must not leave kopi's outbox waiting at teardown

    reacted = [
        int(c.params["message_id"])
        for c in fake.calls
        if c.method == "setMessageReaction" and str(c.params["chat_id"]) == str(joined["id"])
    ]
    assert reacted == [u["message"]["message_id"] for u in flood]
    assert await count(db) == 31
