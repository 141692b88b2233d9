"""/refleksisaya: a teacher's own reflections — list, read, edit, sharing, delete — and privacy."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.meetings import Meeting
from models.reflections import (
    PARTS,
    Reflection,
    Visibility,
    count_reflections_for_meeting,
    finish,
    new_draft,
    shared_reflections,
)
from tests.conftest import Clock
from tests.test_reflections import choose, community_id, offered, pm, press, say, sent, write_all

DB = async_sessionmaker[AsyncSession]


async def seed(
    db: DB,
    clock: Clock,
    author: JSON,
    cid: int,
    facts: str,
    visibility: Visibility | None = Visibility.PRIVATE,
    meeting_id: int | None = None,
) -> int:
    """Store a finished reflection (or a draft when visibility is None); return its id."""
    clock.advance(minutes=1)
    async with db.begin() as session:
        draft = await new_draft(
            session, author_id=author["id"], community_id=cid, meeting_id=meeting_id, now=clock.now
        )
        draft.facts = facts
        if visibility is not None:
            await finish(session, draft, visibility, clock.now)
        return draft.id


def buttons(call: Call) -> list[str]:
    return [b["text"] for b in call.buttons]


async def test_the_list_is_mine_only_newest_first_and_paged(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo"))
    cid = await community_id(db, joined)
    await seed(db, clock, sari, cid, "Rahasia Sari")
    for n in range(6):
        await seed(db, clock, budi, cid, f"Refleksi Budi {n}", Visibility.ANONYMOUS)
    await seed(db, clock, budi, cid, "Draf Budi", None)

    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    assert page.text.startswith("📚 Refleksi saya — halaman 1/2")
    assert "1. Kamis, 26 November 2026 · Guru Penggerak SMPN 1 · ✏️ draf" in page.text
    assert "Draf Budi" in page.text and "Refleksi Budi 5" in page.text
    assert "🙈 dibagikan tanpa nama" in page.text
    assert "Rahasia Sari" not in page.text
    assert buttons(page) == ["1", "2", "3", "4", "5", "Berikutnya ▶️", "✍️ Tulis refleksi"]

    calls = await kopi.process(fake.press(budi, fake.message_of(page), "rf:l:1"))
    edited = [c for c in calls if c.method == "editMessageText"]
    assert len(edited) == 1  # turned in place
    assert edited[0].text.startswith("📚 Refleksi saya — halaman 2/2")
    assert "Refleksi Budi 1" in edited[0].text and "Refleksi Budi 0" in edited[0].text
    assert buttons(edited[0]) == ["6", "7", "◀️ Sebelumnya", "✍️ Tulis refleksi"]

    mine = (await say(kopi, fake, sari, "/refleksisaya"))[-1]
    assert "Rahasia Sari" in mine.text and "Budi" not in mine.text


async def test_an_empty_list_offers_to_write(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON
) -> None:
    calls = await say(kopi, fake, budi, "/refleksisaya")
    assert calls[-1].text.startswith("Belum ada refleksi")
    assert buttons(calls[-1]) == ["✍️ Tulis refleksi"]


async def test_in_the_group_the_list_is_a_link_to_the_private_chat(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await seed(db, clock, budi, await community_id(db, joined), "Refleksi Budi")
    await kopi.process(fake.message(budi, joined, "/refleksisaya"))
    answer = fake.last(joined)
    assert "Refleksi Budi" not in answer.text
    assert answer.buttons[0]["url"] == "https://t.me/kopi_komunitas_bot?start=r-saya"
    calls = await say(kopi, fake, budi, "/start r-saya")
    assert calls[-1].text.startswith("📚 Refleksi saya") and "Refleksi Budi" in calls[-1].text


async def test_view_edit_and_the_group_post_follows(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    summary = await write_all(kopi, fake, clock, budi, ["Fakta lama", "Senang", "Temuan", "Lagi"])
    await choose(kopi, fake, budi, summary, "n")
    post = fake.last(joined)
    assert "Fakta lama" in post.text

    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = (await press(kopi, fake, budi, page, "rf:o:"))[-1]
    assert view.text.startswith("📝 Refleksi — Guru Penggerak SMPN 1\nKamis, 26 November 2026")
    assert "👥 dibagikan" in view.text and "Fakta lama" in view.text
    assert buttons(view) == ["✏️ Ubah", "🗑 Hapus", "🔁 Atur berbagi", "📚 Daftar refleksi"]

    parts = (await press(kopi, fake, budi, view, "rf:e:"))[-1]
    assert buttons(parts) == ["Fakta", "Perasaan", "Temuan", "Masa depan", "✖️ Batal"]
    prompt = (await press(kopi, fake, budi, parts, "rf:ep:"))[-1]
    assert "Kirim teks atau pesan suara baru untuk Fakta" in prompt.text
    assert "Jawaban saat ini: Fakta lama" in prompt.text
    clock.advance(minutes=1)
    fake.clear()
    new = "Fakta baru. " + "Kami mencoba lagi. " * 190  # long: the app split it in two
    calls = await say(kopi, fake, budi, new)
    assert calls[-1].text == "✅ Fakta sudah diperbarui."
    clock.advance(seconds=1)
    assert await say(kopi, fake, budi, "dan sambungannya") == []  # the rest of a split message
    async with db() as session:
        reflection = await session.scalar(select(Reflection))
    assert reflection is not None and reflection.facts == f"{new}\ndan sambungannya"
    edits = fake.sent(joined, method="editMessageText")
    assert edits and "lagi. \ndan sambungannya\n\nPerasaan" in edits[-1].text
    assert edits[-1].params["message_id"] == post.result["message_id"]  # edited in place
    assert "Fakta lama" not in fake.message_of(post)["text"]
    clock.advance(minutes=1)
    assert offered(await say(kopi, fake, budi, "pesan biasa"))  # the edit took one answer


async def test_an_edit_can_be_cancelled(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await seed(db, clock, budi, await community_id(db, joined), "Tetap")
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = (await press(kopi, fake, budi, page, "rf:o:"))[-1]
    parts = (await press(kopi, fake, budi, view, "rf:e:"))[-1]
    prompt = (await press(kopi, fake, budi, parts, "rf:ep:"))[-1]
    calls = await press(kopi, fake, budi, prompt, "rf:ec:")
    assert calls[-1].text == "Baik, tidak ada yang diubah."
    assert offered(await say(kopi, fake, budi, "bukan jawaban"))
    async with db() as session:
        assert await session.scalar(select(Reflection.facts)) == "Tetap"


async def test_sharing_can_change_and_private_takes_the_post_down(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await seed(db, clock, budi, await community_id(db, joined), "Mula-mula pribadi")
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = (await press(kopi, fake, budi, page, "rf:o:"))[-1]
    options = (await press(kopi, fake, budi, view, "rf:h:"))[-1]
    assert options.text == "Refleksi ini sekarang: 🔒 pribadi. Ubah menjadi:"
    assert buttons(options) == [
        "👥 Bagikan ke grup dengan nama saya",
        "🙈 Bagikan ke grup tanpa nama",
        "✖️ Batal",
    ]
    calls = await choose(kopi, fake, budi, options, "a")
    assert "tanpa nama" in calls[-1].text
    post = fake.last(joined)
    assert post.text.startswith("📝 Refleksi seorang anggota (anonim)")
    assert "Budi" not in str(post.params)

    # Anonymous -> with the name: the same post now says who wrote it.
    options = (await press(kopi, fake, budi, view, "rf:h:"))[-1]
    await choose(kopi, fake, budi, options, "n")
    assert fake.message_of(post)["text"].startswith("📝 Refleksi Budi Santoso")

    options = (await press(kopi, fake, budi, view, "rf:h:"))[-1]
    calls = await choose(kopi, fake, budi, options, "p")
    assert calls[-1].text.startswith("🔒 Refleksi ini kini pribadi; kirimannya di grup")
    assert (joined["id"], post.result["message_id"]) not in fake.messages
    async with db() as session:
        reflection = await session.scalar(select(Reflection))
        assert reflection is not None
        assert (reflection.visibility, reflection.shared_at, reflection.post) == (
            "private",
            None,
            None,
        )
        assert await shared_reflections(session, reflection.community_id) == []


async def test_a_post_too_old_to_delete_is_said_honestly(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    from bot.offline.fake import ApiError

    summary = await write_all(kopi, fake, clock, budi, ["A", "B", "C", "D"])
    await choose(kopi, fake, budi, summary, "n")
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = (await press(kopi, fake, budi, page, "rf:o:"))[-1]
    options = (await press(kopi, fake, budi, view, "rf:h:"))[-1]
    fake.fail(
        lambda: ApiError(400, "Bad Request: message can't be deleted"), method="deleteMessage"
    )
    calls = await choose(kopi, fake, budi, options, "p")
    assert "tidak bisa saya hapus" in calls[-1].text
    async with db() as session:
        assert await session.scalar(select(Reflection.visibility)) == "private"


async def test_deleting_asks_first_and_takes_the_post_down(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    summary = await write_all(kopi, fake, clock, budi, ["Akan dihapus", "B", "C", "D"])
    await choose(kopi, fake, budi, summary, "n")
    post = fake.last(joined)
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = (await press(kopi, fake, budi, page, "rf:o:"))[-1]
    confirm = (await press(kopi, fake, budi, view, "rf:d:"))[-1]
    assert confirm.text == "Hapus refleksi ini? Tindakan ini tidak bisa dibatalkan."
    calls = await press(kopi, fake, budi, confirm, "rf:o:")  # No: back to the reflection
    assert "Akan dihapus" in calls[-1].text
    calls = await press(kopi, fake, budi, confirm, "rf:dd:")
    assert calls[-1].text == "Refleksi sudah dihapus."
    assert (joined["id"], post.result["message_id"]) not in fake.messages
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Reflection)) == 0


async def test_forged_buttons_never_reach_someone_elses_reflection(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    cid = await community_id(db, joined)
    secret = await seed(db, clock, budi, cid, "Rahasia Budi")
    own = (await say(kopi, fake, sari, "/refleksisaya"))[-1]  # a message in Sari's own chat
    for data in (f"rf:o:{secret}", f"rf:dd:{secret}", f"rf:v:{secret}:n", f"rf:ep:{secret}:facts"):
        update = {
            "update_id": 90_000 + len(data),
            "callback_query": {
                "id": data,
                "from": sari,
                "chat_instance": "1",
                "data": data,
                "message": fake.message_of(own),
            },
        }
        calls = sent(await kopi.process(update))
        assert calls and all("Rahasia Budi" not in c.text for c in calls)
        assert all(c.params["chat_id"] == sari["id"] for c in calls)
    assert fake.sent(joined) == []
    async with db() as session:
        reflection = await session.get(Reflection, secret)
        assert reflection is not None and reflection.visibility == "private"
    assert offered(await say(kopi, fake, sari, "Coba tulis ke refleksi Budi"))


async def test_a_facilitator_sees_counts_not_private_content(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo"))
    cid = await community_id(db, joined)
    async with db.begin() as session:  # a meeting held yesterday
        meeting = Meeting(
            community_id=cid,
            slot_date=(clock.now - timedelta(days=1)).date(),
            starts_at=clock.now - timedelta(days=1),
        )
        session.add(meeting)
    await seed(db, clock, sari, cid, "Rahasia Sari", meeting_id=meeting.id)
    await seed(db, clock, sari, cid, "Dibagikan Sari", Visibility.NAMED, meeting_id=meeting.id)
    await seed(db, clock, sari, cid, "Draf Sari", None, meeting_id=meeting.id)
    async with db() as session:
        assert await count_reflections_for_meeting(session, meeting.id) == 2
        shared = await shared_reflections(session, cid, since=clock.now - timedelta(hours=1))
    assert [(s.author_name, s.facts) for s in shared] == [("Sari", "Dibagikan Sari")]
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]  # Budi is the facilitator
    assert "Sari" not in page.text


async def test_voice_notes_play_back_to_their_author(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    calls = sent(await kopi.process(fake.message(budi, pm(fake, budi), voice=True)))
    for _ in PARTS[1:]:
        calls = await press(kopi, fake, budi, calls[-1], "rf:s:")
    await choose(kopi, fake, budi, calls[-1], "p")
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    assert "🎤 1 pesan suara" in page.text
    view = (await press(kopi, fake, budi, page, "rf:o:"))[-1]
    assert "🎤 Putar pesan suara" in buttons(view)
    calls = await press(kopi, fake, budi, view, "rf:pv:")
    assert [(c.method, c.params["caption"]) for c in calls] == [("sendVoice", "🎤 Fakta")]
    assert calls[0].params["chat_id"] == budi["id"]


async def test_a_group_reflection_can_be_edited_but_not_reshared(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "#refleksi Catatan dari grup"))
    page = (await say(kopi, fake, sari, "/refleksisaya"))[-1]
    view = (await press(kopi, fake, sari, page, "rf:o:"))[-1]
    assert "Reflection\nCatatan dari grup" in view.text
    assert buttons(view) == ["✏️ Edit", "🗑 Delete", "📚 List of reflections"]
    parts = (await press(kopi, fake, sari, view, "rf:e:"))[-1]
    assert buttons(parts) == ["Reflection", "✖️ Cancel"]
    await press(kopi, fake, sari, parts, "rf:ep:")
    clock.advance(minutes=1)
    calls = await say(kopi, fake, sari, "Catatan yang diperbaiki")
    assert calls[-1].text == "✅ Reflection is updated."
    async with db() as session:
        assert await session.scalar(select(Reflection.body)) == "Catatan yang diperbaiki"
    assert fake.sent(joined) == []
