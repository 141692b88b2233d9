"""Updates: concurrent across chats, in order within a chat, once only; errors handled kindly."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram


def submit(kopi: OfflineBot, update: JSON) -> asyncio.Task[None]:
    parsed = Update.de_json(update, kopi.app.bot)
    return asyncio.create_task(
        kopi.app.update_processor.process_update(parsed, kopi.app.process_update(parsed))
    )


async def test_chats_run_concurrently_and_each_chat_in_order(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, sari: JSON
) -> None:
    slow_chat = fake.add_group("Lambat", members=[budi])
    fast_chat = fake.add_group("Cepat", members=[sari])
    release = asyncio.Event()
    seen: list[str] = []

    async def record(update: Update, context: object) -> None:
        assert update.message is not None and update.message.text is not None
        if update.message.text == "A1":
            await release.wait()
        seen.append(update.message.text)

    kopi.app.add_handler(MessageHandler(filters.TEXT, record), group=5)
    a1 = submit(kopi, fake.message(budi, slow_chat, "A1"))
    a2 = submit(kopi, fake.message(budi, slow_chat, "A2"))
    b1 = submit(kopi, fake.message(sari, fast_chat, "B1"))
    await asyncio.wait_for(b1, 10)
    assert seen == ["B1"]  # the other chat was not held up by A1
    await asyncio.sleep(0)
    assert not a2.done()  # A2 waits for A1
    release.set()
    await asyncio.wait_for(asyncio.gather(a1, a2), 10)
    assert seen == ["B1", "A1", "A2"]


async def test_a_redelivered_update_is_processed_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, settings, clock
) -> None:
    seen: list[int] = []

    async def record(update: Update, context: object) -> None:
        seen.append(update.update_id)

    kopi.app.add_handler(MessageHandler(filters.TEXT, record), group=5)
    update = fake.message(sari, joined, "sekali saja")
    await kopi.process(update)
    await kopi.process(update)
    assert seen == [update["update_id"]]

    # After a restart, the journal in the database still knows it.
    await kopi.stop()
    again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    later: list[int] = []

    async def record_later(update: Update, context: object) -> None:
        later.append(update.update_id)

    again.app.add_handler(MessageHandler(filters.TEXT, record_later), group=5)
    try:
        await again.process(update)
        fresh = fake.message(sari, joined, "baru")
        await again.process(fresh)
    finally:
        await again.stop()
    assert later == [fresh["update_id"]]


@pytest.fixture
async def kopi_with_bug(kopi: OfflineBot) -> OfflineBot:
    async def boom(update: Update, context: object) -> None:
        raise RuntimeError("a bug")

    kopi.app.add_handler(MessageHandler(filters.Regex("^boom$"), boom), group=5)
    return kopi


async def test_an_unexpected_error_is_logged_and_the_user_told(
    kopi_with_bug: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, caplog
) -> None:
    update = fake.message(sari, joined, "boom")
    with caplog.at_level(logging.ERROR, logger="kopi.errors"):
        await kopi_with_bug.process(update)
    assert f"update {update['update_id']} failed" in caplog.text
    assert "RuntimeError: a bug" in caplog.text
    assert fake.last(joined).text.startswith("Maaf, ada yang tidak beres")
    # The application keeps running.
    await kopi_with_bug.process(fake.message(sari, joined, "/bantuan"))
    assert fake.last(joined).text.startswith("Perintah kopi di grup")


async def test_errors_speak_the_users_language_in_private(
    kopi_with_bug: OfflineBot, fake: FakeTelegram, sari: JSON
) -> None:
    await kopi_with_bug.process(fake.message(sari, fake.chats[sari["id"]].chat, "boom"))
    assert fake.last(sari["id"]).text.startswith("Sorry, something went wrong")


async def test_a_removed_bot_marks_the_community_inactive_when_sending_fails(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db
) -> None:
    from sqlalchemy import select

    from handlers.common import send
    from models.community import Community

    fake.chats[joined["id"]].bot_status = "kicked"  # kopi never got the my_chat_member update
    context = kopi.app.context_types.context(kopi.app)
    assert await send(context, joined["id"], "Halo") is None
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.active is False


async def test_one_new_person_met_in_two_chats_at_once(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, budi: JSON, caplog, db
) -> None:
    from sqlalchemy import func, select

    from models.community import Person

    with caplog.at_level(logging.ERROR):
        await asyncio.gather(
            submit(kopi, fake.bot_added(group, budi)),
            submit(kopi, fake.message(budi, fake.chats[budi["id"]].chat, "/start")),
            submit(kopi, fake.message(budi, group, "/bantuan")),
        )
        await kopi.settle()
    assert "failed" not in caplog.text
    assert len(fake.sent(budi["id"])) == 1
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1


async def test_a_press_without_data_is_answered_and_goes_no_further(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, caplog
) -> None:
    message = fake.message(None, joined, "x")["message"]
    message["from"] = dict(fake.bot)
    update = {
        "update_id": 99_999,
        "callback_query": {
            "id": "77",
            "from": sari,
            "chat_instance": "1",
            "message": message,
            "game_short_name": "kuis",
        },
    }
    calls = await kopi.process(update)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert "failed" not in caplog.text
