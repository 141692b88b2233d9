"""Raising a concern in private chat, for one of the teacher's communities, with or without a name.

An anonymous concern must leave nothing that tells who wrote it: not in what the group sees, not
in what a facilitator can open, not in the database.
"""

from __future__ import annotations

import copy

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models import Base
from models.capture import CaptureItem

Db = async_sessionmaker[AsyncSession]


def private(fake: FakeTelegram, user: JSON) -> JSON:
    return fake.chats[user["id"]].chat


async def items(db: Db) -> list[CaptureItem]:
    async with db() as session:
        rows = await session.scalars(
            select(CaptureItem).options(selectinload(CaptureItem.tag_rows)).order_by(CaptureItem.id)
        )
        return list(rows)


def answer_of(calls: list[Call]) -> Call:
    return next(c for c in calls if c.method == "answerCallbackQuery")


async def member(kopi: OfflineBot, fake: FakeTelegram, user: JSON, group: JSON) -> None:
    """Make kopi meet the user in the group (that is how it learns their communities)."""
    await kopi.process(fake.message(user, group, "Halo"))


async def test_an_anonymous_concern_reaches_the_group_without_a_trace_of_its_author(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    rina = fake.add_user("Rina", "Wulandari", username="rina_guru", language_code="id")
    fake.set_status(joined, rina, "member")
    await member(kopi, fake, rina, joined)
    fake.clear()

    chat = private(fake, rina)
    await kopi.process(
        fake.message(rina, chat, "/keresahan Beban administrasi membuat saya lelah mengajar")
    )
    question = fake.last(rina["id"])
    assert "Guru Penggerak SMPN 1" in question.text and "tanpa nama" in question.text
    [anonymous, named, cancel] = [b["callback_data"] for b in question.buttons]
    assert anonymous.startswith("cp:pa:") and anonymous.split(":")[3] == "a"
    assert named.split(":")[3] == "n" and cancel == "cp:px"
    stale = copy.deepcopy(fake.message_of(question))

    await kopi.process(fake.press(rina, fake.message_of(question), anonymous))

    [item] = await items(db)
    assert (item.kind, item.author_kind, item.author_id, item.author_label) == (
        "concern",
        "anonymous",
        None,
        None,
    )
    assert (item.chat_id, item.message_id) == (None, None)
    assert item.text == "Beban administrasi membuat saya lelah mengajar"
    assert fake.message_of(question)["text"].startswith("✅ Terkirim ke Guru Penggerak SMPN 1")

    # The group sees the concern, without a name, with "🙋 Saya juga".
    [post] = fake.sent(joined)
    assert "Beban administrasi membuat saya lelah mengajar" in post.text
    assert "tanpa nama" in post.text
    assert [b["callback_data"] for b in post.buttons] == [f"cp:v:{item.id}:n", f"cp:d:{item.id}:x"]

    # A facilitator opening it learns nothing more.
    await kopi.process(fake.press(budi, fake.message_of(post), f"cp:d:{item.id}:x"))
    detail = fake.message_of(post)["text"]
    assert "👤 Tanpa nama" in detail
    for trace in ("Rina", "Wulandari", "rina_guru", str(rina["id"])):
        assert trace not in detail and trace not in post.text

    # Not even the database knows: no column of any kopi table ties Rina to the concern.
    async with db() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in ("people", "memberships", "processed_updates"):
                continue
            for row in (await session.execute(select(table))).all():
                values = [str(v) for v in row]
                assert str(rina["id"]) not in values, (table.name, row)
                assert not any("Rina" in v for v in values), (table.name, row)
        # The search index holds only the text.
        if session.get_bind().dialect.name == "sqlite":
            indexed = (await session.execute(text("SELECT * FROM capture_items_fts"))).all()
            assert all(str(rina["id"]) not in str(row) for row in indexed)

    # Rina cannot be singled out by the follow-up buttons either: for her, as for any member,
    # changing the status is refused the same way.
    detail_message = fake.message_of(post)
    calls = await kopi.process(fake.press(rina, detail_message, f"cp:s:{item.id}:d:x"))
    params = answer_of(calls).params
    refusal_for_rina = (params["text"], params["show_alert"])
    andi = fake.add_user("Andi", language_code="id")
    fake.set_status(joined, andi, "member")
    calls = await kopi.process(fake.press(andi, detail_message, f"cp:s:{item.id}:d:x"))
    params = answer_of(calls).params
    assert (params["text"], params["show_alert"]) == refusal_for_rina
    assert refusal_for_rina == (
        "Maaf, ini hanya untuk penulisnya atau fasilitator (admin grup).",
        True,
    )

    # Pressing the same button again (a replayed or doubled tap) posts nothing more.
    calls = await kopi.process(fake.press(rina, stale, anonymous))
    assert answer_of(calls).params["text"] == "Keresahan ini sudah terkirim."
    assert len(await items(db)) == 1
    assert len(fake.sent(joined, method="sendMessage")) == 1


async def test_with_several_communities_buttons_pick_one_and_a_named_concern_shows_the_name(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    other = fake.add_group("KKG Matematika", members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    for group in (joined, other):
        await member(kopi, fake, sari, group)
    fake.clear()

    chat = private(fake, sari)
    await kopi.process(fake.message(sari, chat, "/concern Students fear fractions #numerasi"))
    question = fake.last(sari["id"])
    assert question.text == "Which community is this concern for?"
    labels = [b["text"] for b in question.buttons]
    assert labels == ["Guru Penggerak SMPN 1", "KKG Matematika", "✖️ Cancel"]

    await kopi.process(
        fake.press(sari, fake.message_of(question), question.buttons[1]["callback_data"])
    )
    again = fake.message_of(question)
    assert "KKG Matematika" in again["text"]
    named = next(
        b["callback_data"]
        for row in again["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "👤 With my name"
    )
    await kopi.process(fake.press(sari, again, named))

    [item] = await items(db)
    assert (item.author_kind, item.author_id, item.tags) == ("person", sari["id"], ["numerasi"])
    assert fake.sent(joined) == []
    [post] = fake.sent(other)
    assert "dari Sari" in post.text  # the group speaks Indonesian, whoever wrote
    assert "Students fear fractions" in post.text


async def test_keresahan_alone_in_private_shows_the_map_and_a_write_button_that_asks(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    await kopi.process(fake.message(sari, joined, "#keresahan Siswa sering terlambat"))
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/keresahan"))
    shown = fake.last(budi["id"])
    # The problem map of her (only) community, in private, with a button to write a concern.
    assert "Siswa sering terlambat" in shown.text
    write = next(b for b in shown.buttons if b["text"] == "✍ Tulis keresahan")
    await kopi.process(fake.press(budi, fake.message_of(shown), write["callback_data"]))
    prompt = fake.last(budi["id"])
    assert "silakan tulis keresahan Bapak/Ibu." in prompt.text
    assert prompt.params["reply_markup"]["force_reply"] is True

    # Her next message is the answer, a reply or not (the conversation core).
    await kopi.process(fake.message(budi, chat, "Rapat terlalu sering"))
    question = fake.last(budi["id"])
    assert "Guru Penggerak SMPN 1" in question.text
    await kopi.process(
        fake.press(budi, fake.message_of(question), question.buttons[0]["callback_data"])
    )
    texts = [(i.text, i.author_kind) for i in await items(db)]
    assert texts == [("Siswa sering terlambat", "person"), ("Rapat terlalu sering", "anonymous")]


async def test_a_private_concern_question_is_cancelled_and_replies_to_it_work(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/keresahan"))
    write = fake.last(budi["id"])
    await kopi.process(fake.press(budi, fake.message_of(write), "cp:pw"))
    await kopi.process(fake.message(budi, chat, "batal"))
    assert fake.last(budi["id"]).text == "Baik, dibatalkan. Tidak ada yang berubah."
    # "batal" was no concern, and the next message is offered, not taken as the concern.
    await kopi.process(fake.message(budi, chat, "Rapat terlalu sering"))
    assert fake.last(budi["id"]).text == "Terima kasih, Bapak/Ibu. Mau kopi simpan sebagai apa?"
    assert await items(db) == []

    await kopi.process(fake.press(budi, fake.message_of(write), "cp:pw"))
    prompt = fake.message_of(fake.last(budi["id"]))
    await kopi.process(fake.message(budi, chat, "Jam mengajar padat", reply_to=prompt))
    assert "Guru Penggerak SMPN 1" in fake.last(budi["id"]).text


async def test_a_private_message_that_answers_nothing_of_ours_is_offered_not_captured(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/start"))
    welcome = fake.message_of(fake.last(budi["id"]))
    fake.clear()
    calls = await kopi.process(fake.message(budi, chat, "Terima kasih", reply_to=welcome))
    # Never silence in private (handlers/private.py), but nothing is captured unasked.
    sent = [c for c in calls if c.method == "sendMessage"]
    assert [c.text for c in sent] == ["Terima kasih, Bapak/Ibu. Mau kopi simpan sebagai apa?"]
    assert await items(db) == []


async def test_a_teacher_without_a_community_is_told_what_to_do(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, db: Db
) -> None:
    await kopi.process(fake.message(budi, private(fake, budi), "/keresahan Sendirian"))
    assert "Tambahkan saya ke grup" in fake.last(budi["id"]).text
    assert await items(db) == []


async def test_a_forged_community_button_is_refused(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    # Sari is in one community; a button naming another one (here: made up) changes nothing.
    elsewhere = fake.add_group("Grup Lain", admins=[budi])
    await kopi.process(fake.bot_added(elsewhere, budi))
    await member(kopi, fake, sari, joined)
    chat = private(fake, sari)
    await kopi.process(fake.message(sari, chat, "/keresahan Coba-coba"))
    question = fake.message_of(fake.last(sari["id"]))
    token = question["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[4]
    async with db() as session:
        other_id = await session.scalar(
            text("SELECT id FROM communities WHERE chat_id = :c").bindparams(c=elsewhere["id"])
        )
    forged = copy.deepcopy(question)
    forged["reply_markup"]["inline_keyboard"][0][0]["callback_data"] = f"cp:pa:{other_id}:a:{token}"
    calls = await kopi.process(fake.press(sari, forged, f"cp:pa:{other_id}:a:{token}"))
    assert answer_of(calls).params["text"] == "This button is no longer valid."
    assert await items(db) == []
    assert all("Coba-coba" not in c.text for c in fake.sent(elsewhere))


async def test_cancel_in_private(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/keresahan Tidak jadi"))
    question = fake.last(budi["id"])
    await kopi.process(fake.press(budi, fake.message_of(question), "cp:px"))
    assert fake.message_of(question)["text"] == "Baik, tidak jadi."
    assert await items(db) == []


async def test_group_commands_work_in_private_for_her_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    await kopi.process(fake.message(sari, joined, "#praktikbaik Pojok baca di kelas"))
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/cari baca"))
    assert "Hasil pencarian “baca”: 1" in fake.last(budi["id"]).text
    await kopi.process(fake.message(budi, chat, "/praktik"))
    assert "Pojok baca di kelas" in fake.last(budi["id"]).text
    # A good practice sent with the command is saved for her community, once.
    saved = fake.message(budi, chat, "/praktik Membaca 15 menit sebelum pelajaran")
    await kopi.process(saved)
    assert fake.last(budi["id"]).text == (
        "👏 Praktik baik tersimpan untuk Guru Penggerak SMPN 1. Terima kasih!"
    )
    await kopi.process({**saved, "update_id": saved["update_id"] + 1000})
    practices = [i.text for i in await items(db) if i.kind == "practice"]
    assert practices == ["Pojok baca di kelas", "Membaca 15 menit sebelum pelajaran"]
    # /cari alone asks; her next private message is the answer.
    await kopi.process(fake.message(budi, chat, "/cari"))
    assert "apa yang ingin dicari?" in fake.last(budi["id"]).text
    await kopi.process(fake.message(budi, chat, "menit"))
    assert "Hasil pencarian “menit”: 1" in fake.last(budi["id"]).text


async def test_with_several_communities_a_private_command_asks_which_with_buttons(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    other = fake.add_group("MGMP Matematika", members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    await kopi.process(fake.message(sari, other, "#praktikbaik Kartu pecahan"))
    await kopi.process(fake.message(sari, joined, "#praktikbaik Pojok baca"))
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    command = fake.message(budi, chat, "/cari pecahan")
    await kopi.process(command)
    question = fake.last(budi["id"])
    assert question.text == "Untuk komunitas yang mana, Bapak/Ibu?"
    titles = [b["text"] for b in question.buttons]
    assert titles == ["Guru Penggerak SMPN 1", "MGMP Matematika"]
    fake.clear()
    mgmp = question.buttons[1]["callback_data"]
    await kopi.process(fake.press(budi, fake.message_of(question), mgmp))
    texts = [c.text for c in fake.sent(budi["id"]) if c.method == "sendMessage"]
    assert "Hasil pencarian “pecahan”: 1" in texts[-1]
    # The list's buttons in private are for the community chosen: its practices, not the other's.
    await kopi.process(fake.message(budi, chat, "/praktik"))
    await kopi.process(fake.press(budi, fake.message_of(fake.last(budi["id"])), mgmp))
    shown = fake.last(budi["id"])
    assert "Kartu pecahan" in shown.text and "Pojok baca" not in shown.text


async def test_a_teacher_in_no_community_is_told_how_to_start_for_a_group_command(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    chat = private(fake, budi)
    for command in ("/praktik", "/cari literasi"):
        await kopi.process(fake.message(budi, chat, command))
        assert fake.last(budi["id"]).text.startswith("Bapak/Ibu belum tergabung di komunitas")
