"""/start, deep links, /bantuan, /bahasa, menus and forum topics."""

from __future__ import annotations

from sqlalchemy import select

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.community import Person


def private(fake: FakeTelegram, user: JSON) -> JSON:
    return fake.chats[user["id"]].chat


async def test_start_welcomes_in_indonesian_with_buttons(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, db
) -> None:
    calls = await kopi.process(fake.message(budi, private(fake, budi), "/start"))
    [welcome] = [c for c in calls if c.method == "sendMessage"]
    assert welcome.text.startswith("Halo, Budi! Saya kopi")
    assert "keresahan" in welcome.text
    labels = [b["text"] for b in welcome.buttons]
    assert labels == ["➕ Tambahkan ke grup", "❓ Bantuan", "🌐 Bahasa", "✍️ Tulis refleksi"]
    assert welcome.buttons[0]["url"] == "https://t.me/kopi_komunitas_bot?startgroup=kopi"
    async with db() as session:
        person = await session.get(Person, budi["id"])
        assert person is not None and person.started is True


async def test_start_in_english_for_an_english_app(
    kopi: OfflineBot, fake: FakeTelegram, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, private(fake, sari), "/start"))
    assert fake.last(sari["id"]).text.startswith("Hello, Sari! I'm kopi")


async def test_start_lists_my_communities(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo"))
    await kopi.process(fake.message(sari, private(fake, sari), "/start"))
    assert "Your communities: Guru Penggerak SMPN 1" in fake.last(sari["id"]).text


async def test_unknown_deep_link_falls_back_to_the_menu(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    await kopi.process(fake.message(budi, private(fake, budi), "/start zz-404"))
    text = fake.last(budi["id"]).text
    assert text.startswith("Tautan itu sudah tidak berlaku")
    assert "Halo, Budi!" in text


async def test_user_text_is_escaped(kopi: OfflineBot, fake: FakeTelegram) -> None:
    odd = fake.add_user("<b>Bu & Pak</b>", language_code="id")
    calls = await kopi.process(fake.message(odd, private(fake, odd), "/start"))
    assert calls[-1].error is None
    assert fake.last(odd["id"]).text.startswith("Halo, <b>Bu & Pak</b>!")


async def test_help_lists_commands_for_the_chat_type(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(budi, private(fake, budi), "/bantuan"))
    private_help = fake.last(budi["id"]).text
    assert "/start — Mulai dan menu utama" in private_help
    assert "/bahasa" in private_help

    await kopi.process(fake.message(sari, joined, "/help"))
    group_help = fake.last(joined).text
    assert group_help.startswith("kopi's commands in the group") is False  # group speaks id
    assert group_help.startswith("Perintah kopi di grup")
    assert "/start" not in group_help
    assert "/bahasa" not in group_help  # a member does not see facilitator commands

    await kopi.process(fake.message(budi, joined, "/bantuan"))
    assert "/bahasa" in fake.last(joined).text  # the admin does


async def test_language_buttons_switch_private_language(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, db
) -> None:
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/bahasa"))
    offer = fake.last(chat)
    assert [b["callback_data"] for b in offer.buttons] == ["lang:id", "lang:en"]
    await kopi.process(fake.press(budi, fake.message_of(offer), "lang:en"))
    assert fake.last(chat).text == "All right, I'll speak English."
    async with db() as session:
        person = await session.get(Person, budi["id"])
        assert person is not None and person.language == "en"
    await kopi.process(fake.message(budi, chat, "/start"))
    assert fake.last(chat).text.startswith("Hello, Budi!")


async def test_group_language_is_for_facilitators_only(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, joined, "/bahasa"))
    assert fake.last(joined).text == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."

    await kopi.process(fake.message(budi, joined, "/bahasa"))
    offer = fake.message_of(fake.last(joined))
    # A member pressing the facilitator's buttons is refused and nothing changes.
    calls = await kopi.process(fake.press(sari, offer, "lang:en"))
    assert [c.params.get("show_alert") for c in calls if c.method == "answerCallbackQuery"] == [
        True
    ]
    await kopi.process(fake.press(budi, offer, "lang:en"))
    assert fake.last(joined).text == "All right, I'll speak English in this group."
    await kopi.process(fake.message(sari, joined, "/bantuan"))
    assert fake.last(joined).text.startswith("kopi's commands in the group")


async def test_menus_are_set_per_scope_and_language(settings, fake: FakeTelegram, clock) -> None:
    bot = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    await bot.stop()
    assert set(fake.commands) == {
        (scope, lang)
        for scope in ("all_private_chats", "all_group_chats", "all_chat_administrators")
        for lang in ("", "en")
    }
    private_id = [c["command"] for c in fake.commands[("all_private_chats", "")]]
    assert private_id[:3] == ["start", "bantuan", "bahasa"]
    group_cmds = [c["command"] for c in fake.commands[("all_group_chats", "")]]
    admin_cmds = [c["command"] for c in fake.commands[("all_chat_administrators", "")]]
    assert "bahasa" not in group_cmds and "bahasa" in admin_cmds
    english = fake.commands[("all_private_chats", "en")]
    assert english[0] == {"command": "start", "description": "Start and main menu"}


async def test_forum_replies_go_to_the_topic(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    forum = fake.add_group("Forum Guru", forum=True, admins=[budi])
    await kopi.process(fake.bot_added(forum, budi))
    await kopi.process(fake.message(budi, forum, "/bantuan", thread_id=42))
    reply = fake.last(forum)
    assert reply.params["message_thread_id"] == 42
    assert fake.message_of(reply)["is_topic_message"] is True


async def test_person_rows_follow_telegram_profile(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, db
) -> None:
    await kopi.process(fake.message(budi, private(fake, budi), "/start"))
    budi["first_name"] = "Budiman"
    await kopi.process(fake.message(budi, private(fake, budi), "/bantuan"))
    async with db() as session:
        names = (await session.scalars(select(Person.first_name))).all()
    assert names == ["Budiman"]


async def test_pressing_a_language_twice_is_fine(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, caplog
) -> None:
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/bahasa"))
    offer = fake.last(chat)
    as_sent = dict(offer.result)  # a double tap: both taps hit the message as first sent
    await kopi.process(fake.press(budi, as_sent, "lang:en"))
    calls = await kopi.process(fake.press(budi, as_sent, "lang:en"))
    assert "failed" not in caplog.text
    assert [c.error.description for c in calls if c.error] == [
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    ]
    assert fake.message_of(offer)["text"] == "All right, I'll speak English."
