"""Capturing concerns and good practices from the group: hashtags, commands, files, /simpan, edits,
redelivery, senders that are not people, and the acknowledgement."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, FakeTelegram
from models.capture import CaptureItem
from models.community import Membership, Person

Db = async_sessionmaker[AsyncSession]


async def items(db: Db) -> list[CaptureItem]:
    async with db() as session:
        rows = await session.scalars(
            select(CaptureItem).options(selectinload(CaptureItem.tag_rows)).order_by(CaptureItem.id)
        )
        return list(rows)


async def test_hashtag_message_is_saved_and_acknowledged_with_a_reaction(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    update = fake.message(
        sari, joined, "Siswa kelas 8 sulit fokus setelah istirahat #keresahan #Literasi"
    )
    calls = await kopi.process(update)

    [item] = await items(db)
    assert (item.kind, item.status, item.author_kind, item.author_id) == (
        "concern",
        "new",
        "person",
        sari["id"],
    )
    assert item.text == "Siswa kelas 8 sulit fokus setelah istirahat #Literasi"
    assert item.tags == ["literasi"]
    assert (item.chat_id, item.message_id) == (joined["id"], update["message"]["message_id"])
    # A reaction, not a wall of text in the group.
    assert [c.method for c in calls] == ["setMessageReaction"]
    key = (joined["id"], update["message"]["message_id"])
    assert fake.reactions[key] == [{"type": "emoji", "emoji": "✍"}]
    assert fake.sent(joined) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Orang tua jarang hadir rapat #KERESAHAN", "concern"),
        ("#Kekhawatiran nilai numerasi turun", "concern"),
        ("Ada #masalah dengan jadwal piket", "concern"),
        ("Too much paperwork #Concern", "concern"),
        ("Pojok baca di kelas #PraktikBaik #literasi", "practice"),
        ("Kuis 5 menit di awal #praktik", "practice"),
        ("Peer tutoring works #GoodPractice", "practice"),
    ],
)
async def test_every_hashtag_anywhere_in_any_case(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db, text: str, kind: str
) -> None:
    await kopi.process(fake.message(sari, joined, text))
    [item] = await items(db)
    assert item.kind == kind
    assert "#" + {"concern": "kere", "practice": "prak"}[kind] not in item.text.lower()
    assert item.text  # the hashtag is gone, the words stay


async def test_good_practice_is_applauded_and_keeps_its_tags(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    update = fake.message(
        budi,
        joined,
        "#praktikbaik Membaca 15 menit sebelum pelajaran #literasi #Numerasi #literasi",
    )
    await kopi.process(update)
    [item] = await items(db)
    assert item.kind == "practice"
    assert sorted(item.tags) == ["literasi", "numerasi"]
    key = (joined["id"], update["message"]["message_id"])
    assert fake.reactions[key] == [{"type": "emoji", "emoji": "👏"}]


async def test_photo_and_document_with_the_hashtag_in_the_caption_keep_their_file(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, budi: JSON, db: Db
) -> None:
    photo = fake.message(sari, joined, caption="Pojok baca kelas 7 #praktikbaik", photo=True)
    document = fake.message(budi, joined, caption="#praktik", document="modul-ajar.pdf")
    await kopi.process(photo)
    await kopi.process(document)
    first, second = await items(db)
    assert (first.file_kind, first.file_id) == ("photo", photo["message"]["photo"][-1]["file_id"])
    assert first.text == "Pojok baca kelas 7"
    # A file alone is worth keeping, even with no words.
    assert (second.file_kind, second.file_name, second.text) == ("document", "modul-ajar.pdf", "")
    assert second.file_id == document["message"]["document"]["file_id"]
    assert len(fake.reactions) == 2


async def test_ordinary_chatter_and_other_hashtags_are_left_alone(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    for text in ("Selamat pagi semua", "Materi #literasi besok", "harga#keresahan", "#123"):
        calls = await kopi.process(fake.message(sari, joined, text))
        assert calls == []
    assert await items(db) == []


@pytest.mark.parametrize("text", ["#keresahan", "  #KERESAHAN  #literasi ", "#praktikbaik"])
async def test_an_empty_capture_gets_a_friendly_hint_not_a_row(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db, text: str
) -> None:
    update = fake.message(sari, joined, text)
    await kopi.process(update)
    assert await items(db) == []
    [hint] = fake.sent(joined)
    assert "tuliskan juga" in hint.text
    assert hint.result["reply_to_message"]["message_id"] == update["message"]["message_id"]


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("/keresahan", "concern"),
        ("/concern", "concern"),
        ("/keresahan@kopi_komunitas_bot", "concern"),
        ("/praktik", "practice"),
        ("/practice", "practice"),
    ],
)
async def test_commands_with_text_capture(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db, command: str, kind: str
) -> None:
    update = fake.message(sari, joined, f"{command} Jam pelajaran terpotong\nupacara #jadwal")
    await kopi.process(update)
    [item] = await items(db)
    assert (item.kind, item.text, item.tags) == (
        kind,
        "Jam pelajaran terpotong\nupacara #jadwal",
        ["jadwal"],
    )
    assert (joined["id"], update["message"]["message_id"]) in fake.reactions


async def test_where_reactions_are_refused_a_short_reply_acknowledges(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    fake.fail(lambda: ApiError(400, "Bad Request: REACTION_INVALID"), method="setMessageReaction")
    update = fake.message(sari, joined, "#keresahan Laptop lab sering rusak")
    await kopi.process(update)
    assert len(await items(db)) == 1
    [ack] = fake.sent(joined)
    assert ack.text == "✍ Keresahan tercatat."
    assert ack.result["reply_to_message"]["message_id"] == update["message"]["message_id"]


async def test_the_group_language_is_used(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, sari: JSON
) -> None:
    await kopi.process(fake.bot_added(group, sari))  # Sari's app is in English
    fake.clear()
    fake.fail(lambda: ApiError(400, "Bad Request: REACTION_INVALID"), method="setMessageReaction")
    await kopi.process(fake.message(sari, group, "#praktikbaik Exit tickets"))
    assert fake.last(group).text == "👏 Good practice noted."


async def test_a_redelivered_message_is_saved_once_and_acknowledged_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    update = fake.message(sari, joined, "#keresahan Kurikulum sering berganti")
    await kopi.process(update)
    # Telegram delivers the same message again, in a new update.
    again: dict[str, Any] = {**update, "update_id": update["update_id"] + 1000}
    calls = await kopi.process(again)
    # And the very same update once more (the processor remembers it).
    calls += await kopi.process(update)
    assert len(await items(db)) == 1
    assert calls == []


async def test_editing_the_message_updates_the_item(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    update = fake.message(sari, joined, "#keresahan Siswa kurang tidur #literasi")
    await kopi.process(update)
    calls = await kopi.process(fake.edit(update, "#keresahan Banyak siswa kurang tidur #kesehatan"))
    [item] = await items(db)
    assert item.text == "Banyak siswa kurang tidur #kesehatan"
    assert item.tags == ["kesehatan"]
    assert calls == []  # an edit is followed silently
    # A second edit that changes the hashtag changes the kind too.
    await kopi.process(fake.edit(update, "#praktikbaik Tidur cukup, belajar segar"))
    [item] = await items(db)
    assert (item.kind, item.text, item.tags) == ("practice", "Tidur cukup, belajar segar", [])


async def test_an_edit_without_the_hashtag_still_updates_and_an_empty_one_loses_nothing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    update = fake.message(sari, joined, "#keresahan Proyektor rusak")
    await kopi.process(update)
    await kopi.process(fake.edit(update, "Proyektor di kelas 9B rusak"))
    [item] = await items(db)
    assert (item.kind, item.text) == ("concern", "Proyektor di kelas 9B rusak")
    await kopi.process(fake.edit(update, "#keresahan"))
    [item] = await items(db)
    assert item.text == "Proyektor di kelas 9B rusak"


async def test_an_edit_that_adds_the_hashtag_captures(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    update = fake.message(sari, joined, "Guru honorer belum dibayar")
    await kopi.process(update)
    assert await items(db) == []
    await kopi.process(fake.edit(update, "Guru honorer belum dibayar #keresahan"))
    [item] = await items(db)
    assert item.text == "Guru honorer belum dibayar"
    assert (joined["id"], update["message"]["message_id"]) in fake.reactions


async def test_an_edited_command_updates_its_item_without_listing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    update = fake.message(sari, joined, "/keresahan Kelas terlalu padat")
    await kopi.process(update)
    calls = await kopi.process(fake.edit(update, "/keresahan Kelas terlalu padat, 40 siswa"))
    [item] = await items(db)
    assert item.text == "Kelas terlalu padat, 40 siswa"
    assert calls == []


async def test_a_supergroup_counts_messages_anew_and_nothing_collides(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, budi: JSON, db: Db
) -> None:
    for _ in range(3):
        await kopi.process(fake.message(sari, joined, "#keresahan Sebelum pindah"))
    new_chat, updates = fake.migrate(joined, budi)
    for update in updates:
        await kopi.process(update)
    # The supergroup's message ids start again at 1: same ids as the old group's captures.
    for _ in range(3):
        await kopi.process(fake.message(sari, new_chat, "#keresahan Sesudah pindah"))
    rows = await items(db)
    assert [r.text for r in rows] == ["Sebelum pindah"] * 3 + ["Sesudah pindah"] * 3
    assert len({r.community_id for r in rows}) == 1


async def test_senders_that_are_not_people_are_handled(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, db: Db
) -> None:
    anonymous_bot = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }
    channel = {"id": -1_001_234_567_890, "type": "channel", "title": "Kanal Dinas Pendidikan"}
    as_group = {"id": joined["id"], "type": "group", "title": joined["title"]}
    await kopi.process(
        fake.message(anonymous_bot, joined, "#keresahan Dari admin", sender_chat=as_group)
    )
    await kopi.process(
        fake.message(None, joined, "#praktikbaik Dari kanal dinas", sender_chat=channel)
    )
    await kopi.process(fake.message(None, joined, "#keresahan Tanpa pengirim"))
    rows = await items(db)
    assert [(r.author_kind, r.author_label, r.author_id) for r in rows] == [
        ("group_admin", None, None),
        ("channel", "Kanal Dinas Pendidikan", None),
        ("unknown", None, None),
    ]
    async with db() as session:
        assert await session.get(Person, anonymous_bot["id"]) is None
    # They show up sensibly in the problem map.
    await kopi.process(fake.message(None, joined, "/keresahan", sender_chat=as_group))
    text = fake.last(joined).text
    assert "Admin grup" in text and "Tidak diketahui" in text


async def test_a_capture_in_a_forum_topic_is_answered_in_that_topic(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, sari: JSON, db: Db
) -> None:
    forum = fake.add_group("Forum Guru", forum=True, members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(forum, budi, status="administrator"))
    fake.clear()
    fake.fail(lambda: ApiError(400, "Bad Request: REACTION_INVALID"), method="setMessageReaction")
    await kopi.process(fake.message(sari, forum, "#keresahan Di topik", thread_id=77))
    [ack] = fake.sent(forum)
    assert ack.params["message_thread_id"] == 77
    assert len(await items(db)) == 1


# ---------------------------------------------------------------------------- /simpan


async def test_simpan_saves_a_colleagues_message_crediting_its_author(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    dewi = fake.add_user("Dewi", "Lestari", language_code="id")
    fake.set_status(joined, dewi, "member")
    original = fake.message(dewi, joined, caption="Rubrik asesmen projek #P5", photo=True)
    await kopi.process(original)  # Dewi's first words in the group: no hashtag, nothing saved
    assert await items(db) == []

    await kopi.process(fake.message(budi, joined, "/simpan", reply_to=original["message"]))
    question = fake.last(joined)
    assert question.text == "Simpan pesan ini sebagai apa?"
    assert question.result["reply_to_message"]["message_id"] == original["message"]["message_id"]
    data = [b["callback_data"] for b in question.buttons]
    assert data == [f"cp:sv:c:{budi['id']}", f"cp:sv:p:{budi['id']}", f"cp:sx:{budi['id']}"]

    stale = copy.deepcopy(fake.message_of(question))
    calls = await kopi.process(fake.press(budi, fake.message_of(question), data[1]))
    [item] = await items(db)
    assert (item.kind, item.author_id, item.text, item.tags) == (
        "practice",
        dewi["id"],
        "Rubrik asesmen projek #P5",
        ["p5"],
    )
    assert (item.file_kind, item.message_id) == ("photo", original["message"]["message_id"])
    answer = next(c for c in calls if c.method == "answerCallbackQuery")
    assert answer.params["text"] == "👏 Praktik baik tercatat."
    # The question becomes the item's detail.
    shown = fake.message_of(question)["text"]
    assert "Praktik baik No. 1" in shown and "👤 Dewi Lestari" in shown

    # Pressing again (a stale copy of the question) saves nothing more.
    calls = await kopi.process(fake.press(budi, stale, data[0]))
    assert len(await items(db)) == 1
    answer = next(c for c in calls if c.method == "answerCallbackQuery")
    assert answer.params["text"] == "Pesan itu sudah tersimpan sebelumnya."


async def test_simpan_registers_an_author_kopi_never_heard(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    quiet = fake.add_user("Wayan", language_code="id")
    fake.set_status(joined, quiet, "member")
    # Written while kopi was not reading the group: kopi only sees it as the replied-to message.
    original = fake.message(quiet, joined, "Anak-anak suka belajar di luar kelas")
    await kopi.process(fake.message(budi, joined, "/simpan", reply_to=original["message"]))
    await kopi.process(
        fake.press(budi, fake.message_of(fake.last(joined)), f"cp:sv:p:{budi['id']}")
    )
    [item] = await items(db)
    assert item.author_id == quiet["id"]
    async with db() as session:
        member = await session.scalar(select(Membership).where(Membership.person_id == quiet["id"]))
        assert member is not None


async def test_only_the_requester_or_a_facilitator_answers_the_simpan_question(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    original = fake.message(budi, joined, "Jadwal supervisi minggu depan padat")
    await kopi.process(fake.message(sari, joined, "/simpan", reply_to=original["message"]))
    question = fake.message_of(fake.last(joined))
    andi = fake.add_user("Andi", language_code="id")
    fake.set_status(joined, andi, "member")
    calls = await kopi.process(fake.press(andi, question, f"cp:sv:c:{sari['id']}"))
    answer = next(c for c in calls if c.method == "answerCallbackQuery")
    assert answer.params["show_alert"] is True
    assert await items(db) == []
    # Budi is a facilitator: he may answer for Sari.
    await kopi.process(fake.press(budi, question, f"cp:sv:c:{sari['id']}"))
    [item] = await items(db)
    assert (item.kind, item.author_id) == ("concern", budi["id"])


async def test_simpan_cancel_removes_the_question(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    original = fake.message(sari, joined, "Catatan rapat")
    await kopi.process(fake.message(sari, joined, "/simpan", reply_to=original["message"]))
    question = fake.last(joined)
    await kopi.process(fake.press(sari, fake.message_of(question), f"cp:sx:{sari['id']}"))
    assert (joined["id"], question.result["message_id"]) not in fake.messages
    assert await items(db) == []


async def test_simpan_without_a_reply_or_on_kopi_explains(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db
) -> None:
    await kopi.process(fake.message(sari, joined, "/simpan"))
    assert "Balas (reply) pesan yang ingin disimpan" in fake.last(joined).text
    await kopi.process(fake.message(sari, joined, "/keresahan"))
    mine = fake.message_of(fake.last(joined))
    await kopi.process(fake.message(sari, joined, "/simpan", reply_to=mine))
    assert fake.last(joined).text == "Pesan dari saya tidak perlu disimpan, Bapak/Ibu."
    private = fake.chats[sari["id"]].chat
    await kopi.process(fake.message(sari, private, "/simpan"))
    assert fake.last(sari["id"]).text == "This command is used in the community's group."
    assert await items(db) == []


async def test_editing_a_message_saved_with_simpan_updates_it(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    original = fake.message(sari, joined, "Metode jigsaw berhasil")
    await kopi.process(original)
    await kopi.process(fake.message(budi, joined, "/simpan", reply_to=original["message"]))
    question = fake.message_of(fake.last(joined))
    await kopi.process(fake.press(budi, question, f"cp:sv:p:{budi['id']}"))
    await kopi.process(fake.edit(original, "Metode jigsaw berhasil di kelas 8 #kolaborasi"))
    [item] = await items(db)
    assert (item.text, item.tags) == (
        "Metode jigsaw berhasil di kelas 8 #kolaborasi",
        ["kolaborasi"],
    )


async def test_captures_made_under_the_supergroup_id_first_are_merged_into_the_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    await kopi.process(fake.message(sari, joined, "#keresahan Di grup lama"))
    new_chat, (to_update, from_update) = fake.migrate(joined, budi)
    # The supergroup's messages arrive before the migration notice: kopi meets a stranger.
    await kopi.process(fake.message(sari, new_chat, "#praktikbaik Di supergrup"))
    await kopi.process(from_update)
    await kopi.process(to_update)
    rows = await items(db)
    assert [r.text for r in rows] == ["Di grup lama", "Di supergrup"]
    assert len({r.community_id for r in rows}) == 1
    await kopi.process(fake.message(sari, new_chat, "/praktik"))
    assert "Di supergrup" in fake.last(new_chat).text
