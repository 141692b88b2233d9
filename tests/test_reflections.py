"""Guided 4F reflections in private chat: the flow, restarts, split messages, silence, links."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from handlers.reflections import notify_idle_drafts
from models.community import Community, Membership
from models.meetings import Meeting
from models.reflections import (
    Reflection,
    ReflectionInput,
    ReflectionVoice,
    count_reflections_for_meeting,
    count_shared_reflections_since,
    shared_reflections,
)
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]


# ---------------------------------------------------------------------------- helpers


def pm(fake: FakeTelegram, user: JSON) -> JSON:
    """Return the private chat of a user with kopi."""
    return fake.chats[user["id"]].chat


def offered(calls: list[Call]) -> bool:
    """Return whether kopi's only answer was the private chat's offer (not a reflection step):
    a private message that answers nothing is never met with silence."""
    offers = ("Terima kasih, Bapak/Ibu. Mau kopi", "Thank you. What shall kopi")
    return bool(calls) and all(c.text.startswith(offers) for c in calls)


async def say(kopi: OfflineBot, fake: FakeTelegram, user: JSON, text: str, **kw: Any) -> list[Call]:
    """The user writes to kopi in private; return what kopi sent."""
    return sent(await kopi.process(fake.message(user, pm(fake, user), text, **kw)))


def sent(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "sendVoice") and c.error is None]


def data_of(call: Call, prefix: str) -> str:
    """Return the callback data of the button on call that starts with prefix."""
    found = [
        b["callback_data"] for b in call.buttons if b.get("callback_data", "").startswith(prefix)
    ]
    assert found, f"no button {prefix!r} in {[b.get('callback_data') for b in call.buttons]}"
    return found[0]


async def press(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, call: Call, prefix: str
) -> list[Call]:
    """The user presses the button starting with prefix on the message of call."""
    update = fake.press(user, fake.message_of(call), data_of(call, prefix))
    return sent(await kopi.process(update))


async def choose(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, summary: Call, code: str
) -> list[Call]:
    """Press the sharing choice p (private), n (with the name) or a (anonymous)."""
    data = [
        b["callback_data"]
        for b in summary.buttons
        if b.get("callback_data", "").endswith(f":{code}")
    ]
    assert len(data) == 1, summary.buttons
    return sent(await kopi.process(fake.press(user, fake.message_of(summary), data[0])))


async def only_draft(db: DB) -> Reflection:
    async with db() as session:
        rows = (await session.scalars(select(Reflection))).all()
    assert len(rows) == 1, rows
    return rows[0]


async def community_id(db: DB, chat: JSON) -> int:
    async with db() as session:
        found = await session.scalar(select(Community.id).where(Community.chat_id == chat["id"]))
    assert found is not None
    return found


async def write_all(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, user: JSON, answers: list[str]
) -> Call:
    """Start with /refleksi and answer the four questions; return the summary."""
    calls = await say(kopi, fake, user, "/refleksi")
    assert "1/4" in calls[-1].text
    for answer in answers:
        clock.advance(minutes=1)
        calls = await say(kopi, fake, user, answer)
    return calls[-1]


# ---------------------------------------------------------------------------- the group side


async def test_group_command_answers_with_a_deep_link(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    calls = sent(await kopi.process(fake.message(sari, joined, "/refleksi")))
    cid = await community_id(db, joined)
    assert len(calls) == 1 and calls[0].params["chat_id"] == joined["id"]
    assert "Fakta, Perasaan, Temuan, Masa depan" in calls[0].text
    assert calls[0].buttons == [
        {"text": "✍️ Tulis refleksi", "url": f"https://t.me/kopi_komunitas_bot?start=r-{cid}"}
    ]


async def test_deep_link_opens_the_first_question_for_a_silent_member(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    # Sari never wrote in the group: kopi asks Telegram whether she is a member.
    cid = await community_id(db, joined)
    calls = await say(kopi, fake, sari, f"/start r-{cid}")
    assert len(calls) == 1
    assert calls[0].text.startswith("1/4 · Facts — Guru Penggerak SMPN 1")  # Sari's app is English
    assert [b["text"] for b in calls[0].buttons] == ["⏭ Skip", "⏸ Pause"]
    draft = await only_draft(db)
    assert (draft.community_id, draft.author_id, draft.status, draft.step) == (
        cid,
        sari["id"],
        "draft",
        "facts",
    )
    async with db() as session:
        member = await session.scalar(select(Membership).where(Membership.person_id == sari["id"]))
        assert member is not None and member.community_id == cid


async def test_deep_link_with_a_meeting_keeps_the_meeting(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    cid = await community_id(db, joined)
    async with db.begin() as session:  # a meeting held yesterday
        meeting = Meeting(
            community_id=cid,
            slot_date=(clock.now - timedelta(days=1)).date(),
            starts_at=clock.now - timedelta(days=1),
        )
        session.add(meeting)
    await say(kopi, fake, budi, f"/start r-{cid}-{meeting.id}")
    for answer in ["Kami membahas asesmen.", "Lega.", "Rubrik membantu.", "Coba rubrik."]:
        clock.advance(minutes=1)
        summary = (await say(kopi, fake, budi, answer))[-1]
    async with db() as session:
        assert await count_reflections_for_meeting(session, meeting.id) == 0  # drafts: no
    await choose(kopi, fake, budi, summary, "p")
    async with db() as session:
        assert await count_reflections_for_meeting(session, meeting.id) == 1
        assert await count_reflections_for_meeting(session, meeting.id + 1) == 0
        assert await count_shared_reflections_since(session, cid, clock.now) == 0
    assert (await only_draft(db)).meeting_id == meeting.id


async def test_deep_link_refused_to_someone_outside_the_group(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, db: DB
) -> None:
    tono = fake.add_user("Tono")
    cid = await community_id(db, joined)
    calls = await say(kopi, fake, tono, f"/start r-{cid}")
    assert "hanya untuk anggota grupnya" in calls[-1].text
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Reflection)) == 0


async def test_unknown_and_gone_links_get_a_friendly_answer(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    calls = await say(kopi, fake, budi, "/start r-abc")
    assert "tidak saya kenali" in calls[0].text
    assert "1/4 · Fakta" in calls[-1].text  # and the ordinary start: Budi has one community
    calls = await say(kopi, fake, budi, "/start r-999")
    assert calls[-1].text == "Maaf, komunitas itu tidak saya temukan lagi."


async def test_no_community_yet(kopi: OfflineBot, fake: FakeTelegram, db: DB) -> None:
    tono = fake.add_user("Tono")
    calls = await say(kopi, fake, tono, "/refleksi")
    assert "belum melihat Bapak/Ibu di grup komunitas" in calls[-1].text


async def test_several_communities_are_offered_as_buttons(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    other = fake.add_group("Kombel Matematika", admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    calls = await say(kopi, fake, budi, "/refleksi")
    assert calls[-1].text == "Refleksi ini untuk komunitas yang mana?"
    assert [b["text"] for b in calls[-1].buttons] == ["Guru Penggerak SMPN 1", "Kombel Matematika"]
    other_id = await community_id(db, other)
    calls = await press(kopi, fake, budi, calls[-1], f"rf:c:{other_id}")
    assert calls[-1].text.startswith("1/4 · Fakta — Kombel Matematika")


# ---------------------------------------------------------------------------- the flow


async def test_the_whole_flow_kept_private(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    calls = await say(kopi, fake, budi, "/refleksi")
    assert "Balas dengan teks atau pesan suara" in calls[-1].text
    clock.advance(minutes=2)
    calls = await say(kopi, fake, budi, "Saya mencoba diskusi kelompok <kecil> & aktif.")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    assert [b["text"] for b in calls[-1].buttons] == ["◀️ Kembali", "⏭ Lewati", "⏸ Berhenti dulu"]
    clock.advance(minutes=2)
    calls = sent(await kopi.process(fake.message(budi, pm(fake, budi), voice=True)))
    assert calls[-1].text.startswith("3/4 · Temuan")
    calls = await press(kopi, fake, budi, calls[-1], "rf:s:")  # skip Findings
    assert calls[-1].text.startswith("4/4 · Masa depan")
    clock.advance(minutes=2)
    calls = await say(kopi, fake, budi, "Minggu depan saya ulangi dengan rubrik.")
    summary = calls[-1]
    assert summary.text.startswith("📝 Ringkasan refleksi — Guru Penggerak SMPN 1")
    assert "Saya mencoba diskusi kelompok <kecil> & aktif." in summary.text
    assert "🎤 1 pesan suara" in summary.text
    assert "Temuan" not in summary.text  # skipped
    assert summary.text.endswith("Bagaimana refleksi ini disimpan?")
    assert [b["callback_data"].rsplit(":", 1)[-1] for b in summary.buttons[:3]] == ["p", "n", "a"]

    calls = await choose(kopi, fake, budi, summary, "p")
    assert "hanya Bapak/Ibu yang bisa membacanya" in calls[-1].text
    assert fake.sent(joined) == []  # nothing goes to the group
    reflection = await only_draft(db)
    assert (reflection.status, reflection.visibility, reflection.step) == ("done", "private", None)
    assert reflection.facts == "Saya mencoba diskusi kelompok <kecil> & aktif."
    assert reflection.feelings is None and reflection.findings is None
    assert reflection.future == "Minggu depan saya ulangi dengan rubrik."
    assert reflection.completed_at == clock.now and reflection.shared_at is None
    async with db() as session:
        voices = (await session.scalars(select(ReflectionVoice))).all()
        assert [(v.part, v.file_id.startswith("user-voice-")) for v in voices] == [
            ("feelings", True)
        ]
        assert await session.scalar(select(func.count()).select_from(ReflectionInput)) == 0


async def test_back_shows_the_answer_and_a_new_message_replaces_it(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    question2 = (await say(kopi, fake, budi, "Jawaban pertama"))[-1]
    calls = await press(kopi, fake, budi, question2, "rf:b:")
    assert calls[-1].text.startswith("1/4 · Fakta")
    assert "Jawaban saat ini: Jawaban pertama" in calls[-1].text
    assert [b["text"] for b in calls[-1].buttons] == ["✅ Biarkan", "⏸ Berhenti dulu"]
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "Jawaban yang benar")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    assert (await only_draft(db)).facts == "Jawaban yang benar"
    # "Biarkan" after going back keeps the answer.
    calls = await press(kopi, fake, budi, calls[-1], "rf:b:")
    calls = await press(kopi, fake, budi, calls[-1], "rf:s:")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    assert (await only_draft(db)).facts == "Jawaban yang benar"


async def test_a_button_of_a_step_already_left_changes_nothing(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    first = (await say(kopi, fake, budi, "/refleksi"))[-1]
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Fakta saya")
    calls = await press(kopi, fake, budi, first, "rf:s:")  # Skip on question 1, now answered
    assert calls[-1].text == "Tombol ini sudah tidak berlaku."
    draft = await only_draft(db)
    assert (draft.step, draft.facts) == ("feelings", "Fakta saya")


async def test_restart_in_the_middle_continues_at_the_same_question(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    settings: Settings,
    joined: JSON,
    budi: JSON,
    db: DB,
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Fakta sebelum restart")
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "Perasaan sebelum restart")
    assert calls[-1].text.startswith("3/4 · Temuan")
    await kopi.stop()

    clock.advance(minutes=3)
    again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        calls = await say(again, fake, budi, "Temuan setelah restart")
        assert calls[-1].text.startswith("4/4 · Masa depan")
        # /refleksi offers the draft, and continuing shows the same question.
        calls = await say(again, fake, budi, "/refleksi")
        assert "langkah 4/4 Masa depan" in calls[-1].text
        calls = await press(again, fake, budi, calls[-1], "rf:res:")
        assert calls[-1].text.startswith("4/4 · Masa depan")
        clock.advance(minutes=1)
        calls = await say(again, fake, budi, "Masa depan setelah restart")
        assert "Fakta sebelum restart" in calls[-1].text
        assert "Perasaan sebelum restart" in calls[-1].text
    finally:
        await again.stop()
    draft = await only_draft(db)
    assert (draft.facts, draft.feelings, draft.findings, draft.future, draft.step) == (
        "Fakta sebelum restart",
        "Perasaan sebelum restart",
        "Temuan setelah restart",
        "Masa depan setelah restart",
        "choose",
    )


async def test_a_message_delivered_twice_does_not_answer_the_next_question(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    update = fake.message(budi, pm(fake, budi), "Fakta saya")
    await kopi.process(update)
    clock.advance(minutes=1)
    # Telegram delivers it again under a new update id (kopi died before journaling it).
    calls = sent(await kopi.process({**update, "update_id": 10_000}))
    assert calls[-1].text.startswith("2/4 · Perasaan")  # the question, asked again
    draft = await only_draft(db)
    assert (draft.facts, draft.feelings, draft.step) == ("Fakta saya", None, "feelings")


def long_part(label: str) -> str:
    """Return a part of a message the Telegram app split (close to 4096 characters)."""
    return f"{label}: " + "Murid-murid berdiskusi dalam kelompok kecil. " * 90


async def test_a_split_long_answer_is_kept_whole_as_one_answer(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    first, second = long_part("Pertama"), long_part("Kedua")
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, first)
    assert calls[-1].text.startswith("2/4 · Perasaan")  # asked at once
    clock.advance(seconds=1)
    assert await say(kopi, fake, budi, second) == []  # the same message: no second question
    clock.advance(seconds=1)
    assert await say(kopi, fake, budi, "Penutup cerita.") == []
    clock.advance(seconds=2)  # quick, but the part before was short: a new answer
    calls = await say(kopi, fake, budi, "Saya senang.")
    assert calls[-1].text.startswith("3/4 · Temuan")
    draft = await only_draft(db)
    assert draft.facts == f"{first}\n{second}\nPenutup cerita."
    assert draft.feelings == "Saya senang."


async def test_a_quick_short_answer_is_an_answer_of_its_own(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    await say(kopi, fake, budi, "Diskusi kelompok.")
    clock.advance(seconds=2)
    calls = await say(kopi, fake, budi, "Senang.")
    assert calls[-1].text.startswith("3/4 · Temuan")
    clock.advance(seconds=60)  # long enough to be split, but too late to be the rest of it
    await say(kopi, fake, budi, long_part("Temuan"))
    clock.advance(seconds=6)
    calls = await say(kopi, fake, budi, "Rencana.")
    assert calls[0].text.startswith("📝 Ringkasan refleksi")  # long: over two messages
    draft = await only_draft(db)
    assert (draft.facts, draft.feelings, draft.future) == (
        "Diskusi kelompok.",
        "Senang.",
        "Rencana.",
    )


async def test_a_split_last_answer_refreshes_the_summary(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    start = long_part("Rencana")
    summary = await write_all(kopi, fake, clock, budi, ["A", "B", "C", start])
    assert summary.text.endswith("Bagaimana refleksi ini disimpan?")
    clock.advance(seconds=1)
    calls = await say(kopi, fake, budi, "dan lanjutannya.")
    assert calls[-1].text.endswith("Bagaimana refleksi ini disimpan?")
    assert "kecil. \ndan lanjutannya.\n\nBagaimana" in calls[-1].text
    assert (await only_draft(db)).future == f"{start}\ndan lanjutannya."


async def test_a_message_at_the_sharing_choice_points_to_the_buttons(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await write_all(kopi, fake, clock, budi, ["A", "B", "C", "D"])
    clock.advance(minutes=2)
    calls = await say(kopi, fake, budi, "Sudah selesai?")
    assert calls[-1].text.startswith("Refleksi ini sudah siap. Pilih cara menyimpannya")
    assert [b["callback_data"][-2:] for b in calls[-1].buttons][:3] == [":p", ":n", ":a"]
    await choose(kopi, fake, budi, calls[-1], "p")
    draft = await only_draft(db)
    assert (draft.status, draft.future) == ("done", "D")


async def test_nothing_is_cut_however_long(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    # Three messages as the app splits a long answer; & and < grow when escaped, 😊 counts twice.
    chunks = [f"Bagian {n}: " + "murid & guru <belajar> 😊 " * 140 for n in range(3)]
    await say(kopi, fake, budi, "/refleksi")
    for chunk in chunks:
        assert len(chunk) < 4096
        clock.advance(seconds=1)
        await say(kopi, fake, budi, chunk)
    for _ in range(3):
        clock.advance(minutes=1)
        calls = await say(kopi, fake, budi, "Singkat.")
    summary = [c for c in calls if c.method == "sendMessage"]
    assert len(summary) >= 3  # over several messages, each one Telegram accepts
    whole = squash("\n".join(chunks))
    assert whole in squash("".join(c.text for c in summary))
    assert (await only_draft(db)).facts == "\n".join(chunks)

    await choose(kopi, fake, budi, summary[-1], "n")
    posts = fake.sent(joined)
    assert len(posts) >= 3
    assert whole in squash("".join(c.text for c in posts))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def test_pause_keeps_the_draft_and_leaves_messages_alone(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    question = (await say(kopi, fake, budi, "Fakta saya"))[-1]
    calls = await press(kopi, fake, budi, question, "rf:x:")
    assert calls[-1].text.startswith("⏸ Draf tersimpan")
    clock.advance(minutes=1)
    assert offered(await say(kopi, fake, budi, "halo kopi"))  # not an answer while paused
    assert (await only_draft(db)).feelings is None
    calls = await press(kopi, fake, budi, calls[-1], "rf:res:")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Senang")
    assert (await only_draft(db)).feelings == "Senang"


async def test_deleting_a_draft_asks_first(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    question = (await say(kopi, fake, budi, "Fakta"))[-1]
    stopped = (await press(kopi, fake, budi, question, "rf:x:"))[-1]
    confirm = (await press(kopi, fake, budi, stopped, "rf:d:"))[-1]
    assert confirm.text == "Hapus draf ini? Jawaban yang sudah ditulis akan hilang."
    calls = await press(kopi, fake, budi, confirm, "rf:o:")  # "No": back to writing
    assert calls[-1].text.startswith("2/4 · Perasaan")
    calls = await press(kopi, fake, budi, confirm, "rf:dd:")
    assert calls[-1].text == "Refleksi sudah dihapus."
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Reflection)) == 0
        assert await session.scalar(select(func.count()).select_from(ReflectionInput)) == 0


async def test_another_features_command_pauses_but_help_does_not(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    await say(kopi, fake, budi, "/bantuan")
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "Fakta setelah bantuan")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    await say(kopi, fake, budi, "/perintahlain")
    clock.advance(minutes=1)
    assert offered(await say(kopi, fake, budi, "Ini untuk fitur lain"))
    assert (await only_draft(db)).feelings is None


async def test_a_reply_to_another_features_message_is_left_to_it(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    question = (await say(kopi, fake, budi, "/refleksi"))[-1]
    other = (await say(kopi, fake, budi, "/bantuan"))[-1]  # a kopi message of another feature
    clock.advance(minutes=1)
    assert offered(
        await say(kopi, fake, budi, "Jawaban untuk fitur lain", reply_to=fake.message_of(other))
    )
    assert (await only_draft(db)).facts is None
    # Quoting kopi's question is answering it.
    calls = await say(kopi, fake, budi, "Fakta saya", reply_to=fake.message_of(question))
    assert calls[-1].text.startswith("2/4 · Perasaan")
    assert (await only_draft(db)).facts == "Fakta saya"


async def test_photos_are_not_taken_as_answers(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    calls = sent(await kopi.process(fake.message(budi, pm(fake, budi), photo=True, caption="x")))
    assert calls[-1].text.startswith("Maaf, untuk refleksi saya hanya bisa menyimpan teks")
    draft = await only_draft(db)
    assert (draft.facts, draft.step) == (None, "facts")


async def test_a_button_with_an_impossible_id_is_just_expired(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    own = (await say(kopi, fake, budi, "/refleksi"))[-1]
    update = {
        "update_id": 77_777,
        "callback_query": {
            "id": "forged",
            "from": budi,
            "chat_instance": "1",
            "data": "rf:o:99999999999999999999",
            "message": fake.message_of(own),
        },
    }
    calls = await kopi.process(update)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers[-1].params["text"] == "Tombol ini sudah tidak berlaku."
    assert sent(calls) == []


async def test_a_reflection_button_pressed_in_a_group_is_refused_privately(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    # A forwarded or forged "delete" under a message in the group: a pop-up for the presser,
    # nothing in the group, the draft kept.
    question = (await say(kopi, fake, budi, "/refleksi"))[-1]
    draft = await only_draft(db)
    in_group = sent(await kopi.process(fake.message(budi, joined, "/refleksi")))[-1]
    for data in (f"rf:d:{draft.id}", f"rf:dd:{draft.id}", f"rf:v:{draft.id}:a"):
        update = {
            "update_id": 78_000 + len(data),
            "callback_query": {
                "id": f"group-{data}",
                "from": budi,
                "chat_instance": "2",
                "data": data,
                "message": fake.message_of(in_group),
            },
        }
        calls = await kopi.process(update)
        [popup] = [c for c in calls if c.method == "answerCallbackQuery"]
        assert popup.params["text"] == "Perintah ini dipakai di chat pribadi dengan saya."
        assert popup.params["show_alert"] is True
        assert sent(calls) == []
    kept = await only_draft(db)
    assert (kept.id, kept.status, kept.step) == (draft.id, "draft", "facts")
    # The same press in private still works.
    stopped = (await press(kopi, fake, budi, question, "rf:x:"))[-1]
    assert [b["callback_data"] for b in stopped.buttons] == [
        f"rf:res:{draft.id}",
        f"rf:d:{draft.id}",
    ]


async def test_an_empty_reflection_cannot_be_saved(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    calls = await say(kopi, fake, budi, "/refleksi")
    for _ in range(4):
        calls = await press(kopi, fake, budi, calls[-1], "rf:s:")
    assert "masih kosong" in calls[-1].text
    assert [b["text"] for b in calls[-1].buttons] == ["◀️ Kembali", "🗑 Hapus draf"]


async def test_starting_anew_keeps_the_old_draft(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    await say(kopi, fake, budi, "Draf lama")
    calls = await say(kopi, fake, budi, "/refleksi")
    assert calls[-1].text.startswith("Bapak/Ibu masih punya draf refleksi")
    calls = await press(kopi, fake, budi, calls[-1], "rf:new")
    assert calls[-1].text.startswith("1/4 · Fakta")
    async with db() as session:
        drafts = (await session.scalars(select(Reflection).order_by(Reflection.id))).all()
    assert [(d.facts, d.status) for d in drafts] == [("Draf lama", "draft"), (None, "draft")]


# ---------------------------------------------------------------------------- silence


async def test_thirty_minutes_of_silence_keeps_the_draft_and_says_how_to_resume(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    context = kopi.app.context_types.context(kopi.app)
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Fakta saya")
    clock.advance(minutes=29)
    assert await notify_idle_drafts(context) == 0  # 29 minutes: not yet
    clock.advance(minutes=2)
    fake.clear()
    assert await notify_idle_drafts(context) == 1
    notice = fake.last(pm(fake, budi))
    assert "Sudah 30 menit tidak ada jawaban" in notice.text
    assert "langkah 2/4 Perasaan" in notice.text
    assert await notify_idle_drafts(context) == 0  # told once
    draft = await only_draft(db)
    assert (draft.facts, draft.step) == ("Fakta saya", "feelings")

    # Writing again after the silence: the message is kept until the teacher says where.
    clock.advance(hours=5)
    calls = await say(kopi, fake, budi, "Saya lega sekali")
    assert "Simpan pesan tadi sebagai jawaban Perasaan?" in calls[-1].text
    assert (await only_draft(db)).feelings is None
    calls = await press(kopi, fake, budi, calls[-1], "rf:hy:")
    assert calls[-1].text.startswith("3/4 · Temuan")
    assert (await only_draft(db)).feelings == "Saya lega sekali"


async def test_after_silence_a_message_meant_for_something_else_is_left_out(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(hours=2)
    calls = await say(kopi, fake, budi, "Pak, jadwal rapat kapan?")
    calls = await press(kopi, fake, budi, calls[-1], "rf:hn:")
    assert "tidak saya masukkan ke refleksi" in calls[-1].text
    clock.advance(minutes=1)
    assert offered(await say(kopi, fake, budi, "Terima kasih"))
    assert (await only_draft(db)).facts is None
    # The idle notice continues it: the next message is an answer again.
    notice_calls = await say(kopi, fake, budi, "/refleksi")
    calls = await press(kopi, fake, budi, notice_calls[-1], "rf:res:")
    await say(kopi, fake, budi, "Fakta sebenarnya")
    assert (await only_draft(db)).facts == "Fakta sebenarnya"


# ---------------------------------------------------------------------------- sharing


async def test_shared_with_the_name_is_posted_to_the_group(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    since = clock.now
    summary = await write_all(kopi, fake, clock, budi, ["Pribadi saja", "B", "C", "D"])
    await choose(kopi, fake, budi, summary, "p")
    summary = await write_all(
        kopi, fake, clock, budi, ["Diskusi <b>kelompok</b>", "Senang", "Murid aktif", "Ulangi"]
    )
    calls = await choose(kopi, fake, budi, summary, "n")
    assert "sudah dibagikan ke grup Guru Penggerak SMPN 1 dengan nama" in calls[-1].text
    posts = fake.sent(joined)
    assert len(posts) == 1
    assert posts[0].text.startswith("📝 Refleksi Budi Santoso\n\nFakta\nDiskusi <b>kelompok</b>")
    assert "Pribadi saja" not in posts[0].text
    cid = await community_id(db, joined)
    async with db() as session:
        assert await count_shared_reflections_since(session, cid, since) == 1
        shared = await shared_reflections(session, cid)
    assert [(s.author_name, s.facts) for s in shared] == [
        ("Budi Santoso", "Diskusi <b>kelompok</b>")
    ]


async def test_anonymous_sharing_never_reveals_the_author(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo semua"))
    fake.clear()
    await say(kopi, fake, sari, "/refleksi")
    clock.advance(minutes=1)
    await say(kopi, fake, sari, "We tried peer review")
    clock.advance(minutes=1)
    await kopi.process(fake.message(sari, pm(fake, sari), voice=True))
    clock.advance(minutes=1)
    await say(kopi, fake, sari, "It works")
    clock.advance(minutes=1)
    summary = (await say(kopi, fake, sari, "Again next week"))[-1]
    calls = await choose(kopi, fake, sari, summary, "a")
    assert "without your name" in calls[-1].text
    posts = fake.sent(joined)
    assert len(posts) == 1
    assert posts[0].text.startswith("📝 Refleksi seorang anggota (anonim)")  # the group's language
    assert "We tried peer review" in posts[0].text and "🎤 1 pesan suara" in posts[0].text
    voices = fake.sent(joined, method="sendVoice")
    assert len(voices) == 1 and voices[0].params["caption"] == "🎤 Perasaan"
    for call in [*posts, *voices]:
        everything = str(call.params) + str(call.result)
        assert "Sari" not in everything and str(sari["id"]) not in everything
        assert call.buttons == []
    cid = await community_id(db, joined)
    async with db() as session:
        shared = await shared_reflections(session, cid)
    assert [(s.author_name, s.facts) for s in shared] == [(None, "We tried peer review")]


async def test_a_group_that_became_a_supergroup_gets_the_post(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    new_chat, updates = fake.migrate(joined, budi)
    for update in updates:
        await kopi.process(update)
    calls = await say(kopi, fake, budi, "Fakta setelah pindah")
    for _ in range(3):
        calls = await press(kopi, fake, budi, calls[-1], "rf:s:")
    await choose(kopi, fake, budi, calls[-1], "n")
    assert "Fakta setelah pindah" in fake.last(new_chat).text
    assert (await only_draft(db)).post == {
        "chat": new_chat["id"],
        "text": [fake.last(new_chat).result["message_id"]],
        "voice": [],
    }


async def test_sharing_to_a_group_kopi_left_is_saved_and_said(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    summary = await write_all(kopi, fake, clock, budi, ["A", "B", "C", "D"])
    fake.chats[joined["id"]].bot_status = "kicked"  # removed while kopi was not looking
    calls = await choose(kopi, fake, budi, summary, "n")
    assert "tidak bisa mengirimnya ke grup" in calls[-1].text
    reflection = await only_draft(db)
    assert (reflection.status, reflection.visibility, reflection.post) == ("done", "named", None)


# ---------------------------------------------------------------------------- #refleksi


async def test_hashtag_in_the_group_is_a_shared_reflection_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    update = fake.message(sari, joined, "#refleksi Hari ini murid belajar dari teman sebaya.")
    await kopi.process(update)
    await kopi.process({**update, "update_id": 20_000})  # the same message delivered again
    edited = fake.edit(update, "#Refleksi Hari ini murid belajar dari teman sebaya!")
    await kopi.process(edited)
    async with db() as session:
        rows = (await session.scalars(select(Reflection))).all()
    assert len(rows) == 1
    reflection = rows[0]
    assert (reflection.author_id, reflection.visibility, reflection.source) == (
        sari["id"],
        "named",
        "group",
    )
    assert reflection.body == "Hari ini murid belajar dari teman sebaya!"
    message_id = update["message"]["message_id"]
    assert fake.reactions[(joined["id"], message_id)] == [{"type": "emoji", "emoji": "✍"}]
    assert fake.sent(joined) == []  # a reaction, no wall of text


async def test_a_bare_hashtag_gets_the_link_to_write_privately(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "#refleksi"))
    assert "start=r-" in fake.last(joined).buttons[0]["url"]
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Reflection)) == 0


async def test_a_word_that_only_starts_with_the_hashtag_is_ignored(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "#refleksiku sendiri"))
    assert fake.sent(joined) == []
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Reflection)) == 0
