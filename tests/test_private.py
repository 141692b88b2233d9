"""Private chat is never silent: a message no feature took gets an answer and a choice."""

from __future__ import annotations

import copy

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.capture import CaptureItem
from models.reflections import Reflection

Db = async_sessionmaker[AsyncSession]


def private(fake: FakeTelegram, user: JSON) -> JSON:
    return fake.chats[user["id"]].chat


async def items(db: Db) -> list[CaptureItem]:
    async with db() as session:
        return list(await session.scalars(select(CaptureItem).order_by(CaptureItem.id)))


async def member(kopi: OfflineBot, fake: FakeTelegram, user: JSON, group: JSON) -> None:
    await kopi.process(fake.message(user, group, "Halo"))


def data(call: object) -> list[str]:
    return [b["callback_data"] for b in call.buttons]  # type: ignore[attr-defined]


async def test_plain_text_is_offered_and_a_concern_is_saved_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    fake.clear()
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "Murid sulit fokus setelah istirahat"))
    offer = fake.last(budi["id"])
    assert offer.text == "Terima kasih, Bapak/Ibu. Mau kopi simpan sebagai apa?"
    assert data(offer) == ["pv:c", "pv:p", "rf:start"]
    assert await items(db) == []  # nothing stored before a press

    await kopi.process(fake.press(budi, fake.message_of(offer), "pv:c"))
    question = fake.message_of(offer)
    named = next(
        b["callback_data"]
        for row in question["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].startswith("cp:pa:") and b["callback_data"].split(":")[3] == "n"
    )
    stale = copy.deepcopy(question)
    await kopi.process(fake.press(budi, question, named))
    [item] = await items(db)
    assert (item.kind, item.author_id, item.text) == (
        "concern",
        budi["id"],
        "Murid sulit fokus setelah istirahat",
    )
    assert fake.message_of(offer)["text"].startswith("✅ Terkirim ke Guru Penggerak SMPN 1")

    await kopi.process(fake.press(budi, stale, named))  # a second press
    assert len(await items(db)) == 1


async def test_a_good_practice_is_saved_once_for_one_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "Kuis singkat di awal pelajaran"))
    offer = fake.message_of(fake.last(budi["id"]))
    stale = copy.deepcopy(offer)
    await kopi.process(fake.press(budi, offer, "pv:p"))
    assert fake.message_of(fake.last(budi["id"]))["text"].startswith("👏 Praktik baik tersimpan")
    await kopi.process(fake.press(budi, stale, "pv:p"))
    [item] = await items(db)
    assert (item.kind, item.author_id, item.text) == (
        "practice",
        budi["id"],
        "Kuis singkat di awal pelajaran",
    )
    assert fake.message_of(fake.last(budi["id"]))["text"] == "Pesan ini sudah tersimpan sebelumnya."


async def test_a_photo_gets_the_same_choice_and_keeps_its_file(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    fake.clear()
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "Pojok baca kelas 4", photo=True))
    offer = fake.last(budi["id"])
    assert data(offer) == ["pv:c", "pv:p", "rf:start"]
    await kopi.process(fake.press(budi, fake.message_of(offer), "pv:p"))
    [item] = await items(db)
    assert item.kind == "practice" and item.text == "Pojok baca kelas 4"
    assert item.file_kind == "photo" and item.file_id is not None


async def test_a_hashtag_in_private_captures_for_her_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    fake.clear()
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "#praktikbaik Jurnal syukur tiap pagi"))
    [item] = await items(db)
    assert (item.kind, item.text) == ("practice", "Jurnal syukur tiap pagi")
    await kopi.process(fake.message(budi, chat, "#keresahan Orang tua jarang hadir"))
    assert "tanpa nama" in fake.last(budi["id"]).text  # the private concern flow asks
    assert len(await items(db)) == 1


async def test_an_unknown_command_gets_the_command_list(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    await kopi.process(fake.message(budi, private(fake, budi), "/entahlah"))
    text = fake.last(budi["id"]).text
    assert text.startswith("Maaf, kopi belum mengenal perintah itu.")
    assert "/bantuan" in text and "/refleksi" in text


async def test_an_english_speaker_in_two_communities_chooses_one(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    other = fake.add_group("KKG Matematika", members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    for group in (joined, other):
        await member(kopi, fake, sari, group)
    fake.clear()
    chat = private(fake, sari)
    await kopi.process(fake.message(sari, chat, "Group work with a timer"))
    offer = fake.last(sari["id"])
    assert offer.text == "Thank you. What shall kopi save this as?"
    assert [b["text"] for b in offer.buttons] == ["✍ Concern", "👏 Good practice", "📝 Reflection"]
    await kopi.process(fake.press(sari, fake.message_of(offer), "pv:p"))
    which = fake.message_of(offer)
    assert which["text"] == "For which community?"
    choices = [b["callback_data"] for row in which["reply_markup"]["inline_keyboard"] for b in row]
    assert len([c for c in choices if c.startswith("pv:pc:")]) == 2
    await kopi.process(fake.press(sari, which, choices[1]))
    [item] = await items(db)
    assert item.kind == "practice" and item.text == "Group work with a timer"
    assert "KKG Matematika" in fake.message_of(offer)["text"]


async def test_a_reflection_being_written_still_takes_the_message(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db
) -> None:
    await member(kopi, fake, budi, joined)
    chat = private(fake, budi)
    await kopi.process(fake.message(budi, chat, "/refleksi"))
    fake.clear()
    await kopi.process(fake.message(budi, chat, "Hari ini kami mencoba diskusi kelompok"))
    assert all("Mau kopi simpan" not in c.text for c in fake.sent(budi["id"]))
    async with db() as session:
        [reflection] = list(await session.scalars(select(Reflection)))
    assert reflection.facts == "Hari ini kami mencoba diskusi kelompok"
    assert await items(db) == []
