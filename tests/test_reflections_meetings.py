"""Reflections about meetings: which meeting a reflection is about (asked only when meetings were
held, the latest by default), deep links from the meeting, forged ids, restarts, the foreign key,
the facilitator's counts and the shared post that names the meeting."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, Call, FakeTelegram
from models.db import create_engine, upgrade
from models.meetings import Meeting
from models.reflections import Reflection, count_reflections_for_meeting
from tests.conftest import Clock
from tests.test_reflections import choose, community_id, only_draft, press, say, sent

DB = async_sessionmaker[AsyncSession]

SET_AT = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # the conftest clock: Thu 14.00 WIB
AFTER_THREE = datetime(2026, 12, 18, 3, 0, tzinfo=UTC)  # Fri: held 3, 10 and 17 Dec
NEXT_YEAR = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)  # held 3, 10, 17, 24 and 31 Dec
D3, D10, D17 = "Kamis, 3 Desember 2026", "Kamis, 10 Desember 2026", "Kamis, 17 Desember 2026"
QUESTION = "Refleksi ini tentang pertemuan yang mana?"


# ---------------------------------------------------------------------------- helpers


async def schedule(kopi: OfflineBot, fake: FakeTelegram, chat: JSON, facilitator: JSON) -> None:
    """A facilitator sets a routine meeting every Thursday 14.00 WIB (meetings are recorded)."""
    await kopi.process(fake.message(facilitator, chat, "/aturjadwal Kamis 14:00 Ruang Guru"))


async def meetings_of(db: DB, chat: JSON) -> dict[str, int]:
    """Return a community's meetings by their start date (YYYY-MM-DD)."""
    cid = await community_id(db, chat)
    async with db() as session:
        rows = await session.scalars(select(Meeting).where(Meeting.community_id == cid))
        return {f"{m.starts_at:%Y-%m-%d}": m.id for m in rows}


def labels(call: Call) -> list[str]:
    return [b["text"] for b in call.buttons]


def forged_press(user: JSON, call_message: JSON, data: str, update_id: int) -> JSON:
    """A press with callback data no button of kopi's carried (a modified client)."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"forged-{update_id}",
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": call_message,
        },
    }


def alerts(fake: FakeTelegram) -> list[tuple[str, bool]]:
    """Return the pop-ups (callback answers with text) kopi showed, and whether as an alert."""
    return [
        (str(c.params.get("text")), bool(c.params.get("show_alert")))
        for c in fake.calls
        if c.method == "answerCallbackQuery" and c.params.get("text")
    ]


async def reflect(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, user: JSON, answers: list[str]
) -> Call:
    """Answer the four questions (the first one is on screen); return the summary."""
    calls: list[Call] = []
    for answer in answers:
        clock.advance(minutes=1)
        calls = await say(kopi, fake, user, answer)
    return calls[-1]


@pytest.fixture
async def held(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON
) -> JSON:
    """The group, whose Thursday meetings of 3, 10 and 17 December have been held."""
    await schedule(kopi, fake, joined, budi)
    clock.now = AFTER_THREE
    fake.clear()
    return joined


# ---------------------------------------------------------------------------- the question


async def test_the_recent_held_meetings_are_offered_the_latest_first_as_default(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    ids = await meetings_of(db, held)
    calls = await say(kopi, fake, budi, "/refleksi")
    assert len(calls) == 1
    question = calls[0]
    assert question.text.startswith(f"🗓 {QUESTION} — Guru Penggerak SMPN 1")
    assert f"saya catat tentang pertemuan {D17}" in question.text  # the default, said
    # Held meetings only (24 and 31 December are still to come), the latest first and marked.
    assert labels(question) == [
        f"✅ {D17} (terbaru)",
        D10,
        D3,
        "Bukan tentang pertemuan",
        "⏸ Berhenti dulu",
    ]
    draft = await only_draft(db)
    assert (draft.step, draft.meeting_id) == ("meeting", ids["2026-12-17"])

    calls = await press(kopi, fake, budi, question, f"rf:m:{draft.id}:{ids['2026-12-10']}")
    assert calls[-1].text.startswith(f"1/4 · Fakta — Guru Penggerak SMPN 1 · pertemuan {D10}")
    assert labels(calls[-1]) == ["◀️ Kembali", "⏭ Lewati", "⏸ Berhenti dulu"]
    draft = await only_draft(db)  # the choice is committed before the first question
    assert (draft.step, draft.meeting_id) == ("facts", ids["2026-12-10"])

    summary = await reflect(kopi, fake, clock, budi, ["Diskusi rubrik", "Lega", "Rubrik", "Coba"])
    assert f"🗓 Tentang pertemuan {D10}" in summary.text
    await choose(kopi, fake, budi, summary, "p")
    async with db() as session:
        assert await count_reflections_for_meeting(session, ids["2026-12-10"]) == 1
        assert await count_reflections_for_meeting(session, ids["2026-12-17"]) == 0
    # The teacher's own list shows what it was about.
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = await press(kopi, fake, budi, page, "rf:o:")
    assert f"🗓 Tentang pertemuan {D10}" in view[0].text


async def test_at_most_four_meetings_are_offered(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await schedule(kopi, fake, joined, budi)
    clock.now = NEXT_YEAR
    await kopi.process(fake.message(budi, joined, "/jadwal"))  # as the scheduler's runs do
    calls = await say(kopi, fake, budi, "/refleksi")
    assert labels(calls[-1]) == [
        "✅ Kamis, 31 Desember 2026 (terbaru)",
        "Kamis, 24 Desember 2026",
        D17,
        D10,
        "Bukan tentang pertemuan",
        "⏸ Berhenti dulu",
    ]


async def test_writing_straight_away_keeps_the_latest_meeting(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    ids = await meetings_of(db, held)
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "Kami mencoba diskusi kelompok.")
    assert calls[-1].text.startswith(f"2/4 · Perasaan — Guru Penggerak SMPN 1 · pertemuan {D17}")
    draft = await only_draft(db)
    assert (draft.step, draft.facts, draft.meeting_id) == (
        "feelings",
        "Kami mencoba diskusi kelompok.",
        ids["2026-12-17"],
    )


async def test_not_about_a_meeting_and_back_to_change_it(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    ids = await meetings_of(db, held)
    question = (await say(kopi, fake, budi, "/refleksi"))[-1]
    draft = await only_draft(db)
    first = (await press(kopi, fake, budi, question, f"rf:m:{draft.id}:0"))[-1]
    assert first.text.startswith("1/4 · Fakta — Guru Penggerak SMPN 1\n")  # no meeting named
    assert (await only_draft(db)).meeting_id is None
    # Back from the first question: the meeting choice again, with the current choice ticked.
    again = (await press(kopi, fake, budi, first, "rf:b:"))[-1]
    assert QUESTION in again.text and "saya catat bukan tentang pertemuan" in again.text
    assert labels(again)[:4] == [f"{D17} (terbaru)", D10, D3, "✅ Bukan tentang pertemuan"]
    assert (await only_draft(db)).step == "meeting"
    # Writing now keeps that choice: no meeting.
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Refleksi umum tentang kelas saya.")
    draft = await only_draft(db)
    assert (draft.step, draft.meeting_id, draft.facts) == (
        "feelings",
        None,
        "Refleksi umum tentang kelas saya.",
    )
    # A meeting can still be set while writing; the current question is asked again.
    calls = await press(kopi, fake, budi, again, f"rf:m:{draft.id}:{ids['2026-12-03']}")
    assert calls[-1].text.startswith(f"2/4 · Perasaan — Guru Penggerak SMPN 1 · pertemuan {D3}")
    assert (await only_draft(db)).meeting_id == ids["2026-12-03"]


async def test_a_community_without_held_meetings_skips_the_question(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    # No schedule at all.
    calls = await say(kopi, fake, budi, "/refleksi")
    assert calls[-1].text.startswith("1/4 · Fakta — Guru Penggerak SMPN 1\n")
    assert labels(calls[-1]) == ["⏭ Lewati", "⏸ Berhenti dulu"]  # nothing to go back to
    await press(kopi, fake, budi, calls[-1], "rf:x:")
    async with db.begin() as session:
        await session.execute(delete(Reflection))
    # A schedule whose only past meeting was cancelled: nothing was held yet.
    await schedule(kopi, fake, joined, budi)
    await kopi.process(fake.message(budi, joined, "/liburkan"))
    clock.now = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    calls = await say(kopi, fake, budi, "/refleksi")
    assert len(calls) == 1 and calls[0].text.startswith("1/4 · Fakta — Guru Penggerak SMPN 1\n")
    assert (await only_draft(db)).meeting_id is None


async def test_several_communities_first_the_community_then_its_meetings(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    other = fake.add_group("Kombel Matematika", admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    calls = await say(kopi, fake, budi, "/refleksi")
    assert calls[-1].text == "Refleksi ini untuk komunitas yang mana?"
    # The other community held no meeting: straight to the first question.
    calls = await press(kopi, fake, budi, calls[-1], f"rf:c:{await community_id(db, other)}")
    assert calls[-1].text.startswith("1/4 · Fakta — Kombel Matematika\n")
    calls = await press(kopi, fake, budi, calls[-1], "rf:x:")
    # The group with meetings asks which one (from a new reflection).
    calls = await say(kopi, fake, budi, "/refleksi")
    calls = await press(kopi, fake, budi, calls[-1], "rf:new")
    calls = await press(kopi, fake, budi, calls[-1], f"rf:new:{await community_id(db, held)}")
    assert QUESTION in calls[-1].text and "Guru Penggerak SMPN 1" in calls[-1].text


# ---------------------------------------------------------------------------- links and forgery


async def test_the_link_sent_after_a_meeting_skips_the_question(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    cid, ids = await community_id(db, held), await meetings_of(db, held)
    # The meetings feature invites with r-<community>-<meeting>; Sari's app is in English.
    calls = await say(kopi, fake, sari, f"/start r-{cid}-{ids['2026-12-10']}")
    assert len(calls) == 1
    assert calls[0].text.startswith(
        "1/4 · Facts — Guru Penggerak SMPN 1 · meeting of Thursday, 10 December 2026\n"
    )
    async with db() as session:
        draft = await session.scalar(select(Reflection).where(Reflection.author_id == sari["id"]))
    assert draft is not None and (draft.step, draft.meeting_id) == ("facts", ids["2026-12-10"])
    # The group's /refleksi button links to the community only: the question is asked.
    invite = sent(await kopi.process(fake.message(budi, held, "/refleksi")))[-1]
    assert invite.buttons[0]["url"].endswith(f"?start=r-{cid}")
    calls = await say(kopi, fake, budi, f"/start r-{cid}")
    assert QUESTION in calls[-1].text


async def test_a_link_answers_a_pending_meeting_choice(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    cid, ids = await community_id(db, held), await meetings_of(db, held)
    await say(kopi, fake, budi, "/refleksi")  # the draft waits at the meeting question
    calls = await say(kopi, fake, budi, f"/start r-{cid}-{ids['2026-12-03']}")
    assert calls[-1].text.startswith(f"1/4 · Fakta — Guru Penggerak SMPN 1 · pertemuan {D3}")
    draft = await only_draft(db)
    assert (draft.step, draft.meeting_id) == ("facts", ids["2026-12-03"])


async def test_a_forged_meeting_id_never_attaches_another_communitys_meeting(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    held: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
) -> None:
    # Another community (Sari's only) with meetings of its own, and one not held yet in Budi's.
    other = fake.add_group("Kombel IPA", admins=[sari])
    await kopi.process(fake.bot_added(other, sari))
    clock.now = SET_AT
    await schedule(kopi, fake, other, sari)
    clock.now = AFTER_THREE
    cid, ids = await community_id(db, held), await meetings_of(db, held)
    foreign = (await meetings_of(db, other))["2026-12-17"]
    future = ids["2026-12-24"]
    for wrong in (foreign, future, 999_999):
        calls = await say(kopi, fake, budi, f"/start r-{cid}-{wrong}")
        assert calls[0].text == "Maaf, pertemuan itu tidak saya temukan di komunitas ini."
        assert QUESTION in calls[-1].text  # Budi chooses among his community's meetings
        draft = await only_draft(db)
        assert draft.meeting_id == ids["2026-12-17"]  # the default, never the forged one
    # A forged button: refused, nothing changes, the question is asked again.
    question = (await say(kopi, fake, budi, "/refleksi"))[-1]
    for n, wrong in enumerate((foreign, future)):
        update = forged_press(budi, fake.message_of(question), f"rf:m:{draft.id}:{wrong}", 900 + n)
        calls = sent(await kopi.process(update))
        assert calls[0].text == "Maaf, pertemuan itu tidak saya temukan di komunitas ini."
        assert QUESTION in calls[-1].text
        draft = await only_draft(db)
        assert (draft.step, draft.meeting_id) == ("meeting", ids["2026-12-17"])
    update = forged_press(budi, fake.message_of(question), f"rf:m:{draft.id}:{2**31 + 5}", 910)
    calls = sent(await kopi.process(update))
    assert [c.text for c in calls] == []  # beyond 32 bits: the press is just answered "expired"
    assert alerts(fake)[-1][0] == "Tombol ini sudah tidak berlaku."
    # Nobody steers someone else's draft: Sari's waits at her own community's question.
    sari_question = (await say(kopi, fake, sari, "/refleksi"))[-1]
    async with db() as session:
        sari_draft = await session.scalar(
            select(Reflection).where(Reflection.author_id == sari["id"])
        )
    assert sari_draft is not None
    before = sari_draft.meeting_id
    update = forged_press(
        budi, fake.message_of(question), f"rf:m:{sari_draft.id}:{ids['2026-12-03']}", 920
    )
    calls = sent(await kopi.process(update))
    assert [c.text for c in calls] == ["Tombol ini sudah tidak berlaku."]
    assert all(c.params["chat_id"] == budi["id"] for c in calls)
    async with db() as session:
        again = await session.get(Reflection, sari_draft.id)
    assert again is not None and again.meeting_id == before
    assert "Kombel IPA" in sari_question.text


# ---------------------------------------------------------------------------- restarts


async def test_a_restart_between_choosing_the_meeting_and_the_first_answer(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    settings: Settings,
    held: JSON,
    budi: JSON,
    db: DB,
) -> None:
    ids = await meetings_of(db, held)
    question = (await say(kopi, fake, budi, "/refleksi"))[-1]
    await kopi.stop()  # a restart before choosing: the question comes back
    again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        calls = await say(again, fake, budi, "/refleksi")
        assert "(langkah pilihan pertemuan)" in calls[-1].text  # the draft is offered
        calls = await press(again, fake, budi, calls[-1], "rf:res:")
        assert QUESTION in calls[-1].text
        draft = await only_draft(db)
        await press(again, fake, budi, question, f"rf:m:{draft.id}:{ids['2026-12-10']}")
    finally:
        await again.stop()

    clock.advance(minutes=5)
    third = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        calls = await say(third, fake, budi, "Fakta setelah restart")
        assert calls[-1].text.startswith(
            f"2/4 · Perasaan — Guru Penggerak SMPN 1 · pertemuan {D10}"
        )
        summary = await reflect(third, fake, clock, budi, ["Perasaan", "Temuan", "Masa depan"])
        await choose(third, fake, budi, summary, "p")
    finally:
        await third.stop()
    draft = await only_draft(db)
    assert (draft.status, draft.facts, draft.meeting_id) == (
        "done",
        "Fakta setelah restart",
        ids["2026-12-10"],
    )


async def test_after_a_long_silence_at_the_meeting_question_a_message_is_held_for_facts(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=45)
    calls = await say(kopi, fake, budi, "Pesan setelah lama diam")
    assert "Simpan pesan tadi sebagai jawaban Fakta?" in calls[-1].text
    calls = await press(kopi, fake, budi, calls[-1], "rf:hy:")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    assert (await only_draft(db)).facts == "Pesan setelah lama diam"


# ---------------------------------------------------------------------------- the foreign key


async def test_deleting_a_meeting_leaves_the_reflection_without_one(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    ids = await meetings_of(db, held)
    await say(kopi, fake, budi, "/refleksi")
    summary = await reflect(kopi, fake, clock, budi, ["Fakta", "Perasaan", "Temuan", "Rencana"])
    await choose(kopi, fake, budi, summary, "p")
    async with db.begin() as session:
        await session.execute(delete(Meeting).where(Meeting.id == ids["2026-12-17"]))
    reflection = await only_draft(db)
    assert (reflection.status, reflection.facts, reflection.meeting_id) == ("done", "Fakta", None)
    # Its author still reads it, without a meeting.
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    view = await press(kopi, fake, budi, page, "rf:o:")
    assert "Fakta" in view[0].text and "Tentang pertemuan" not in view[0].text


async def test_the_migration_keeps_voices_and_inputs_and_drops_unknown_meeting_ids(
    tmp_path: Path,
) -> None:
    """SQLite rebuilds the table to add the constraint; nothing hanging from it may be lost."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0005")
        now = "2026-12-01 00:00:00"
        zone = "'Asia/Jakarta', 'id', 1"
        statements = [
            "INSERT INTO communities (id, chat_id, title, chat_type, is_forum, timezone, language,"
            f" active, created_at, updated_at) VALUES (1, -5, 'A', 'group', 0, {zone}, '{now}',"
            f" '{now}'), (2, -6, 'B', 'group', 0, {zone}, '{now}', '{now}')",
            "INSERT INTO people (id, first_name, started, created_at)"
            f" VALUES (9, 'Budi', 1, '{now}')",
            "INSERT INTO meetings (id, community_id, slot_date, starts_at, status, manual,"
            f" timing_set_at, created_at) VALUES (5, 1, '2026-11-26', '{now}', 'scheduled', 0,"
            f" '{now}', '{now}'), (6, 2, '2026-11-26', '{now}', 'scheduled', 0, '{now}', '{now}')",
            "INSERT INTO reflections (id, community_id, author_id, meeting_id, status, step,"
            " visibility, source, facts, created_at, updated_at) VALUES"
            f" (1, 1, 9, 5, 'draft', 'feelings', 'private', 'guided', 'F1', '{now}', '{now}'),"
            f" (2, 1, 9, 42, 'done', NULL, 'private', 'guided', 'F2', '{now}', '{now}'),"
            f" (3, 1, 9, 6, 'done', NULL, 'private', 'guided', 'F3', '{now}', '{now}')",
            "INSERT INTO reflection_voices (id, reflection_id, part, file_id, duration) VALUES"
            " (1, 1, 'facts', 'voice-1', 12)",
            "INSERT INTO reflection_inputs (person_id, reflection_id, awaiting, active_at, paused)"
            f" VALUES (9, 1, 'feelings', '{now}', 0)",
        ]
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
        await upgrade(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(text("SELECT id, meeting_id, facts FROM reflections"))
            ).all()
            assert sorted(tuple(r) for r in rows) == [
                (1, 5, "F1"),
                (2, None, "F2"),
                (3, None, "F3"),
            ]
            voices = (await connection.execute(text("SELECT file_id FROM reflection_voices"))).all()
            inputs = (
                await connection.execute(text("SELECT awaiting FROM reflection_inputs"))
            ).all()
            assert [tuple(v) for v in voices] == [("voice-1",)]
            assert [tuple(i) for i in inputs] == [("feelings",)]
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------- the facilitator


async def test_a_facilitator_sees_the_count_in_a_pop_up_a_member_does_not(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    held: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
) -> None:
    cid, ids = await community_id(db, held), await meetings_of(db, held)
    # Sari reflects twice on 17 December (privately, then anonymously; both times writing
    # straight away at the meeting question), and privately on 10 December from its link.
    for link, code, facts in (
        (f"r-{cid}", "p", "Rahasia tentang kelas"),
        (f"r-{cid}", "a", "Catatan anonim tentang kelas"),
        (f"r-{cid}-{ids['2026-12-10']}", "p", "Rahasia lama"),
    ):
        await say(kopi, fake, sari, f"/start {link}")
        summary = await reflect(kopi, fake, clock, sari, [facts, "Perasaan", "Temuan", "Rencana"])
        await choose(kopi, fake, sari, summary, code)
    await say(kopi, fake, budi, "/refleksi")  # Budi's draft (not finished) is not counted
    await say(kopi, fake, budi, "Draf Budi")
    async with db() as session:
        assert await count_reflections_for_meeting(session, ids["2026-12-17"]) == 2
    # Only the anonymous one reached the group, without a name.
    [post] = fake.sent(held)
    assert post.text.startswith(f"📝 Refleksi seorang anggota (anonim)\n🗓 Tentang pertemuan {D17}")
    assert "Catatan anonim tentang kelas" in post.text and "Sari" not in post.text
    assert "Rahasia" not in post.text

    minutes = sent(await kopi.process(fake.message(budi, held, "/notulen")))[-2]  # then a question
    assert D17 in minutes.text and "Belum ada notulen." in minutes.text
    assert "<i>" not in minutes.text  # the empty-minutes note is formatted, not shown as code
    assert labels(minutes) == ["✏️ Koreksi kehadiran", "📊 Jumlah refleksi"]
    fake.clear()
    await kopi.process(fake.press(budi, fake.message_of(minutes), f"mt:rc:{ids['2026-12-17']}"))
    [(shown, alert)] = alerts(fake)
    assert alert
    assert shown.startswith(
        f"📊 Pertemuan {D17}: 2 refleksi ditulis tentang pertemuan ini (0 hadir)"
    )
    assert fake.sent(held) == []  # nothing posted in the group: only Budi saw it

    fake.clear()
    await kopi.process(fake.press(sari, fake.message_of(minutes), f"mt:rc:{ids['2026-12-17']}"))
    [(shown, alert)] = alerts(fake)
    assert shown == "Maaf, fitur ini hanya untuk fasilitator (admin grup)." and alert
    assert fake.sent(held) == []

    # Another community's meeting, forged into the button: just expired.
    other = fake.add_group("Kombel IPA", admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    fake.clear()
    for n, wrong in enumerate(("999999", "99999999999")):
        update = forged_press(budi, fake.message_of(minutes), f"mt:rc:{wrong}", 950 + n)
        await kopi.process(update)
    assert [text for text, _ in alerts(fake)] == ["Tombol ini sudah tidak berlaku."] * 2

    # Nothing private reached the group afterwards either.
    group = " ".join(c.text for c in fake.calls if str(c.params.get("chat_id")) == str(held["id"]))
    assert "Rahasia" not in group and "Draf Budi" not in group and "Sari" not in group


async def test_the_shared_post_names_the_meeting_and_goes_to_the_meetings_topic(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, budi: JSON, sari: JSON, db: DB
) -> None:
    forum = fake.add_group("Kombel Matematika", forum=True, admins=[budi], members=[sari])
    await kopi.process(fake.bot_added(forum, budi))
    await kopi.process(fake.message(budi, forum, "/aturjadwal Kamis 14:00", thread_id=77))
    clock.now = AFTER_THREE
    fake.clear()
    await say(kopi, fake, budi, "/refleksi")
    summary = await reflect(kopi, fake, clock, budi, ["Soal cerita", "Senang", "Peta", "Ulangi"])
    calls = await choose(kopi, fake, budi, summary, "n")
    assert "sudah dibagikan ke grup Kombel Matematika" in calls[-1].text
    [post] = fake.sent(forum)
    assert post.params.get("message_thread_id") == 77
    assert post.text.startswith(
        f"📝 Refleksi Budi Santoso\n🗓 Tentang pertemuan {D17}\n\nFakta\nSoal cerita"
    )
    # The topic was deleted since: the post goes to the general topic rather than nowhere.
    await kopi.process(fake.message(sari, forum, "Halo", thread_id=5))
    await say(kopi, fake, sari, "/refleksi")
    summary = await reflect(kopi, fake, clock, sari, ["Story problems", "Calm", "Maps", "Again"])
    fake.fail(lambda: ApiError(400, "Bad Request: message thread not found"), method="sendMessage")
    calls = await choose(kopi, fake, sari, summary, "a")
    assert "shared with Kombel Matematika without your name" in calls[-1].text
    second = fake.sent(forum)[-1]
    assert second.params.get("message_thread_id") is None
    # The group's language (Indonesian) and no name.
    assert second.text.startswith(
        f"📝 Refleksi seorang anggota (anonim)\n🗓 Tentang pertemuan {D17}\n\nFakta\nStory"
    )
    assert "Sari" not in second.text


async def test_a_post_in_an_ordinary_group_names_the_meeting_too(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, held: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    summary = await reflect(kopi, fake, clock, budi, ["Asesmen", "Lega", "Rubrik", "Coba"])
    await choose(kopi, fake, budi, summary, "n")
    [post] = fake.sent(held)
    assert "message_thread_id" not in post.params or post.params["message_thread_id"] is None
    assert f"🗓 Tentang pertemuan {D17}" in post.text
