"""Minutes: asked through the conversation core, one entry per message (a redelivery adds
nothing), authors told apart by their id (not their name), nothing evicted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.meetings import Meeting, MinutesEntry, minutes_text
from models.personal_data import Choice, erase_person, export_person
from models.prompts import Prompt
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]

ENDS = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # Thursday's meeting (14.00 WIB) is over
SAVED = "📝 Notulen pertemuan Kamis, 3 Desember 2026 tersimpan. Terima kasih!"
ALREADY = "ℹ️ Pesan ini sudah tercatat di notulen sebelumnya, jadi tidak ditambahkan lagi."


@pytest.fixture
async def held(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, clock: Clock
) -> JSON:
    """The group, its routine meeting on Thursday 3 December held and over."""
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00 Ruang Guru"))
    clock.now = ENDS
    fake.clear()
    return joined


def texts(calls: list[Call]) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


def again(update: JSON) -> JSON:
    """The same Telegram message as a new delivery (another update id), as after a kill -9
    before the update journal was written."""
    return {**update, "update_id": update["update_id"] + 1000}


async def entries(db: DB) -> list[MinutesEntry]:
    async with db() as session:
        return list(await session.scalars(select(MinutesEntry).order_by(MinutesEntry.id)))


async def minutes(db: DB) -> str | None:
    async with db() as session:
        meeting_id = await session.scalar(select(Meeting.id).order_by(Meeting.starts_at))
        assert meeting_id is not None
        return await minutes_text(session, meeting_id)


async def prompts(db: DB) -> list[Prompt]:
    async with db() as session:
        return list(await session.scalars(select(Prompt)))


async def test_notulen_alone_shows_the_minutes_and_takes_the_next_plain_message(
    kopi: OfflineBot, fake: FakeTelegram, held: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    await kopi.process(fake.message(sari, held, "/notulen Dibahas: <b>jadwal</b> piket."))
    await kopi.process(fake.message(budi, held, "/notulen"))
    shown, question = fake.sent(held)[-2:]
    # The minutes, each author's name in bold and their words escaped, with the buttons ...
    assert "<b>— Sari:</b>\nDibahas: &lt;b&gt;jadwal&lt;/b&gt; piket." in shown.params["text"]
    assert [b["text"] for b in shown.buttons] == ["✏️ Koreksi kehadiran", "📊 Jumlah refleksi"]
    # ... then kopi asks Budi (a reply opens in his app only).
    assert question.text.startswith(
        "Budi, apa yang ingin ditambahkan ke notulen pertemuan Kamis, 3 Desember 2026?"
    )
    assert question.params["reply_markup"] == {"force_reply": True, "selective": True}
    [waiting] = await prompts(db)
    assert (waiting.speaker_id, waiting.kind) == (budi["id"], "meet.minutes")

    # Sari's chatter is not Budi's answer; his next plain message (no reply) is.
    assert texts(await kopi.process(fake.message(sari, held, "Siap, terima kasih."))) == []
    clock.advance(minutes=5)
    calls = await kopi.process(fake.message(budi, held, "Tindak lanjut: rapat orang tua."))
    [saved] = texts(calls)
    assert saved.startswith(SAVED)
    assert await prompts(db) == []
    # Answered: his next message is chatter again.
    assert texts(await kopi.process(fake.message(budi, held, "Sampai jumpa!"))) == []
    assert await minutes(db) == (
        "— Sari:\nDibahas: <b>jadwal</b> piket.\n\n— Budi Santoso:\nTindak lanjut: rapat orang tua."
    )
    assert [(e.author_id, e.author_name) for e in await entries(db)] == [
        (sari["id"], "Sari"),
        (budi["id"], "Budi Santoso"),
    ]


async def test_batal_cancels_and_a_reply_to_the_question_still_answers(
    kopi: OfflineBot, fake: FakeTelegram, held: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    await kopi.process(fake.message(budi, held, "/notulen"))
    assert texts(await kopi.process(fake.message(budi, held, "batal"))) == [
        "Baik, dibatalkan. Tidak ada yang berubah."
    ]
    assert await prompts(db) == []
    assert texts(await kopi.process(fake.message(budi, held, "Bukan notulen"))) == []
    assert await entries(db) == []

    # Asked again: eleven minutes later a plain message is chatter, a reply to the question is
    # still the answer.
    await kopi.process(fake.message(budi, held, "/notulen"))
    question = fake.message_of(fake.last(held))
    clock.advance(minutes=11)
    assert texts(await kopi.process(fake.message(budi, held, "Obrolan lain"))) == []
    calls = await kopi.process(
        fake.message(budi, held, "Sepakat: lomba literasi.", reply_to=question)
    )
    assert texts(calls)[0].startswith(SAVED)
    assert await minutes(db) == "— Budi Santoso:\nSepakat: lomba literasi."


async def test_a_redelivered_minutes_message_is_added_once(
    kopi: OfflineBot, fake: FakeTelegram, held: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    command = fake.message(sari, held, "/notulen Sepakat membaca 15 menit.")
    assert texts(await kopi.process(command))[0].startswith(SAVED)
    # Telegram delivers the same message again in a new update: nothing is added, kopi says so.
    assert texts(await kopi.process(again(command))) == [ALREADY]
    # The very same update: the journal skips it.
    assert await kopi.process(command) == []

    # The question and its answer, both delivered again after a crash: kopi asks again, and the
    # answer (the same message) is recognised.
    question = fake.message(budi, held, "/notulen")
    await kopi.process(question)
    answer = fake.message(budi, held, "Orang tua diundang.")
    assert texts(await kopi.process(answer))[0].startswith(SAVED)
    await kopi.process(again(question))
    assert texts(await kopi.process(again(answer))) == [ALREADY]
    assert await prompts(db) == []  # the question asked again is answered
    # The answer alone again: no question waits, so it is chatter.
    assert texts(await kopi.process({**answer, "update_id": answer["update_id"] + 2000})) == []

    assert await minutes(db) == (
        "— Sari:\nSepakat membaca 15 menit.\n\n— Budi Santoso:\nOrang tua diundang."
    )
    first, second = await entries(db)
    assert (first.source_chat_id, first.source_message_id) == (
        held["id"],
        command["message"]["message_id"],
    )
    assert second.source_message_id == answer["message"]["message_id"]
    # Another message with the same words is another entry: the key is the message.
    await kopi.process(fake.message(sari, held, "/notulen Sepakat membaca 15 menit."))
    assert len(await entries(db)) == 3


async def test_two_authors_with_one_name_are_kept_apart(
    kopi: OfflineBot, fake: FakeTelegram, held: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    # Another Sari (or someone who renamed herself so) in the same group.
    other = fake.add_user("Sari", language_code="id")
    await kopi.process(fake.message(sari, held, "/notulen Catatan Sari yang asli."))
    await kopi.process(fake.message(other, held, "/notulen — Sari:\nCatatan yang lain."))
    assert await minutes(db) == (
        "— Sari:\nCatatan Sari yang asli.\n\n— Sari:\n— Sari:\nCatatan yang lain."
    )
    async with db() as session:
        mine = await export_person(session, sari["id"], clock.now)
        theirs = await export_person(session, other["id"], clock.now)
    assert mine is not None and theirs is not None
    assert [e["text"] for e in mine.document["minutes_entries"]] == ["Catatan Sari yang asli."]
    assert [e["text"] for e in theirs.document["minutes_entries"]] == [
        "— Sari:\nCatatan yang lain."
    ]
    assert mine.holdings.counts["minutes_entries"] == 1

    # The other Sari erases her data: only her entry goes.
    async with db.begin() as session:
        erasure = await erase_person(
            session, other["id"], Choice.DELETE, anonymous_label={"id": "Anggota"}, now=clock.now
        )
    assert erasure is not None and erasure.deleted["minutes_entries"] == 1
    assert await minutes(db) == "— Sari:\nCatatan Sari yang asli."
    [kept] = await entries(db)
    assert kept.author_id == sari["id"]


async def test_an_anonymous_admin_writes_as_the_group_and_nothing_is_evicted(
    kopi: OfflineBot, fake: FakeTelegram, held: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    as_group = {"id": held["id"], "type": "group", "title": held["title"]}
    await kopi.process(fake.message(anonymous, held, "/notulen Dari admin.", sender_chat=as_group))
    [entry] = await entries(db)
    assert (entry.author_id, entry.author_name) == (None, "Guru Penggerak SMPN 1")
    # Six long entries: every one is kept (the text used to keep its last 20,000 characters).
    for n in range(6):
        clock.advance(minutes=1)
        await kopi.process(fake.message(budi, held, f"/notulen {n}" + "x" * 3900))
    text = await minutes(db)
    assert text is not None and text.startswith("— Guru Penggerak SMPN 1:\nDari admin.")
    assert len(await entries(db)) == 7 and len(text) > 23_000
    # /notulen shows them all, split into messages Telegram accepts.
    fake.clear()
    await kopi.process(fake.message(budi, held, "/notulen"))
    shown = [c for c in fake.sent(held) if c.error is None]
    assert len(shown) >= 7 and all(len(c.text) <= 4096 for c in shown)
