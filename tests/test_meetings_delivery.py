"""What the meetings' scheduler sends: reminders with a live RSVP tally, nudges, holiday notices,
invitations to reflect and the weekly digest — driven by an injected clock, never by sleeping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from handlers.meetings_delivery import Report, run_due
from models.community import Community
from models.meetings import Meeting, MeetingDelivery, MeetingRsvp, minutes_text
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]

EVE = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wed 19.00 WIB
HOUR_BEFORE = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # Thu 13.00 WIB
STARTS = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # Thu 14.00 WIB
ENDS = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)


async def run_at(kopi: OfflineBot, clock: Clock, when: datetime) -> Report:
    clock.now = when
    report = await run_due(kopi.app, when)
    await kopi.settle()
    return report


def button_data(call: Call, label: str) -> str:
    for b in call.buttons:
        if label in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def press(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, call: Call, label: str
) -> list[Call]:
    return await kopi.process(fake.press(user, fake.message_of(call), button_data(call, label)))


def private(fake: FakeTelegram, user: JSON) -> JSON:
    return fake.chats[user["id"]].chat


async def start_bot(kopi: OfflineBot, fake: FakeTelegram, user: JSON) -> None:
    await kopi.process(fake.message(user, private(fake, user), "/start"))


@pytest.fixture
async def scheduled(kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON) -> JSON:
    """The group with a routine meeting every Thursday 14.00 WIB in the teachers' room."""
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00 Ruang Guru"))
    fake.clear()
    return joined


async def meeting_rows(db: DB) -> list[Meeting]:
    async with db() as session:
        return list(await session.scalars(select(Meeting).order_by(Meeting.starts_at)))


async def minutes_of(db: DB, meeting: Meeting) -> str | None:
    async with db() as session:
        return await minutes_text(session, meeting.id)


async def ledger(db: DB) -> list[MeetingDelivery]:
    async with db() as session:
        return list(await session.scalars(select(MeetingDelivery).order_by(MeetingDelivery.id)))


async def test_the_evening_reminder_says_when_where_and_proposes_the_agenda(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, clock: Clock
) -> None:
    await kopi.process(fake.message(sari, joined, "#keresahan Siswa sulit fokus setelah istirahat"))
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00 Ruang Guru"))
    fake.clear()

    await run_at(kopi, clock, EVE.replace(minute=0, hour=11))
    assert fake.sent(joined) == []

    await run_at(kopi, clock, EVE)
    [reminder] = fake.sent(joined)
    text = reminder.text
    assert "Pengingat pertemuan rutin Guru Penggerak SMPN 1" in text
    assert "Kamis, 3 Desember 2026 pukul 14.00 WIB (19 jam lagi)" in text
    assert "📍 Ruang Guru" in text
    assert "Usulan agenda" in text and "Siswa sulit fokus setelah istirahat" in text
    assert "✅ Hadir: 0 · 🙏 Izin: 0 · 🤔 Belum pasti: 0" in text
    assert [b["text"] for b in reminder.buttons] == ["✅ Hadir", "🙏 Izin", "🤔 Belum pasti"]

    await run_at(kopi, clock, EVE)  # the same moment again: nothing twice
    assert len(fake.sent(joined)) == 1


async def test_without_concerns_the_agenda_invites_some(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, clock: Clock
) -> None:
    await run_at(kopi, clock, EVE)
    assert "Belum ada keresahan terbuka" in fake.last(scheduled).text


async def test_rsvp_tally_is_edited_live_into_the_reminder(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    budi: JSON,
    sari: JSON,
    clock: Clock,
    db: DB,
) -> None:
    await run_at(kopi, clock, EVE)
    reminder = fake.last(scheduled)

    calls = await press(kopi, fake, sari, reminder, "Hadir")
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"] == "Tercatat: ✅ Hadir. Terima kasih!"
    edited = fake.last(scheduled)
    assert edited.method == "editMessageText"
    assert edited.params["message_id"] == reminder.result["message_id"]
    assert "✅ Hadir: 1 · 🙏 Izin: 0 · 🤔 Belum pasti: 0" in edited.text
    assert "Hadir: Sari" in edited.text
    assert "Ruang Guru" in edited.text  # the rest of the reminder is kept

    await press(kopi, fake, budi, reminder, "Izin")
    assert "✅ Hadir: 1 · 🙏 Izin: 1" in fake.last(scheduled).text
    await press(kopi, fake, sari, reminder, "Belum pasti")
    text = fake.last(scheduled).text
    assert "✅ Hadir: 0 · 🙏 Izin: 1 · 🤔 Belum pasti: 1" in text
    assert "Hadir: Sari" not in text
    await press(kopi, fake, sari, reminder, "Belum pasti")  # the same answer again is harmless

    async with db() as session:
        rows = (await session.scalars(select(MeetingRsvp).order_by(MeetingRsvp.person_id))).all()
    assert [(r.person_id, r.response) for r in rows] == [
        (budi["id"], "excused"),
        (sari["id"], "maybe"),
    ]


async def test_an_answer_after_the_meeting_changes_nothing(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, sari: JSON, clock: Clock, db: DB
) -> None:
    await run_at(kopi, clock, EVE)
    reminder = fake.last(scheduled)
    clock.now = ENDS
    calls = await press(kopi, fake, sari, reminder, "Hadir")
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "sudah selesai" in answer.params["text"]
    async with db() as session:
        assert (await session.scalars(select(MeetingRsvp))).all() == []


async def test_nudges_go_privately_to_members_who_have_not_answered(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    budi: JSON,
    sari: JSON,
    clock: Clock,
    db: DB,
) -> None:
    dewi = fake.add_user("Dewi")
    eko = fake.add_user("Eko")
    for user in (sari, dewi):
        await start_bot(kopi, fake, user)
    for user in (dewi, eko):
        await kopi.process(fake.message(user, scheduled, "Siap, Bapak/Ibu"))
    await run_at(kopi, clock, EVE)
    await press(kopi, fake, sari, fake.last(scheduled), "Hadir")
    fake.clear()

    await run_at(kopi, clock, HOUR_BEFORE)
    [group_reminder] = fake.sent(scheduled)
    assert "(1 jam lagi)" in group_reminder.text
    assert "Hadir: Sari" in group_reminder.text
    [nudge] = fake.sent(dewi["id"])
    assert nudge.text.startswith("Halo, Dewi!")
    assert "Kamis, 3 Desember 2026 pukul 14.00 WIB" in nudge.text
    assert "Dewi" not in group_reminder.text  # nobody is tagged in the group
    assert fake.sent(sari["id"]) == []  # Sari answered already
    assert fake.sent(eko["id"]) == []  # never started kopi: Telegram would refuse
    assert fake.sent(budi["id"]) == []  # neither did Budi

    await press(kopi, fake, dewi, nudge, "Hadir")
    private_edit = fake.last(dewi["id"])
    assert private_edit.method == "editMessageText"
    assert "Jawaban Bapak/Ibu: ✅ Hadir" in private_edit.text
    group_edit = fake.last(scheduled)
    assert group_edit.method == "editMessageText"
    assert group_edit.params["message_id"] == group_reminder.result["message_id"]
    assert "✅ Hadir: 2" in group_edit.text and "Hadir: Sari, Dewi" in group_edit.text

    fake.clear()
    await run_at(kopi, clock, HOUR_BEFORE)
    assert fake.calls == []


async def test_attendees_are_invited_to_reflect_and_the_group_gets_a_link_for_the_rest(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    sari: JSON,
    clock: Clock,
    db: DB,
) -> None:
    eko = fake.add_user("Eko")
    await start_bot(kopi, fake, sari)
    await run_at(kopi, clock, EVE)
    reminder = fake.last(scheduled)
    await press(kopi, fake, sari, reminder, "Hadir")
    await press(kopi, fake, eko, reminder, "Hadir")
    fake.clear()

    await run_at(kopi, clock, ENDS)
    async with db() as session:
        community = await session.scalar(select(Community))
    meeting = (await meeting_rows(db))[0]
    assert community is not None
    link = f"https://t.me/kopi_komunitas_bot?start=r-{community.id}-{meeting.id}"
    [invite] = fake.sent(sari["id"])
    assert invite.text.startswith("Thank you for attending")  # Sari's app speaks English
    assert invite.buttons == [{"text": "📝 Write a reflection", "url": link}]
    [group_invite] = fake.sent(scheduled)
    assert "tulis refleksi" in group_invite.text
    assert group_invite.buttons == [{"text": "📝 Tulis refleksi", "url": link}]
    assert "Eko" not in group_invite.text

    fake.clear()
    await run_at(kopi, clock, ENDS.replace(hour=12))
    assert fake.calls == []


async def test_when_every_attendee_can_be_reached_the_group_is_not_bothered(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, sari: JSON, clock: Clock, db: DB
) -> None:
    await start_bot(kopi, fake, sari)
    await run_at(kopi, clock, EVE)
    await press(kopi, fake, sari, fake.last(scheduled), "Hadir")
    fake.clear()
    await run_at(kopi, clock, ENDS)
    assert len(fake.sent(sari["id"])) == 1
    assert fake.sent(scheduled) == []
    assert [(d.kind, d.target, d.state) for d in await ledger(db) if d.kind == "invite"] == [
        ("invite", sari["id"], "sent"),
        ("invite", 0, "done"),
    ]


async def test_a_facilitator_corrects_attendance_from_the_minutes(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    budi: JSON,
    sari: JSON,
    clock: Clock,
    db: DB,
) -> None:
    await run_at(kopi, clock, EVE)
    await press(kopi, fake, sari, fake.last(scheduled), "Hadir")
    clock.now = ENDS
    await kopi.process(fake.message(sari, scheduled, "/notulen Dibahas: jadwal remedial kelas 9."))
    saved = fake.last(scheduled)
    assert "Notulen pertemuan Kamis, 3 Desember 2026 tersimpan" in saved.text
    assert "Hadir (1): Sari" in saved.text

    calls = await press(kopi, fake, sari, saved, "Koreksi kehadiran")
    assert any(c.params.get("show_alert") for c in calls if c.method == "answerCallbackQuery")
    await press(kopi, fake, budi, saved, "Koreksi kehadiran")
    editor = fake.last(scheduled)
    assert "(1 hadir)" in editor.text
    await press(kopi, fake, budi, editor, "Budi Santoso")
    assert "(2 hadir)" in fake.last(scheduled).text

    # A plain message (nobody was asked for minutes) is not minutes.
    await kopi.process(fake.message(budi, scheduled, "Tindak lanjut: rapat orang tua"))

    await kopi.process(fake.message(budi, scheduled, "/notulen"))
    shown, question = fake.sent(scheduled)[-2:]  # the minutes, then kopi's question to Budi
    assert "jadwal remedial kelas 9" in shown.text and "Hadir (2): Budi Santoso, Sari" in shown.text
    await kopi.process(
        fake.message(
            budi, scheduled, "Tindak lanjut: rapat orang tua", reply_to=fake.message_of(question)
        )
    )
    assert "tersimpan" in fake.last(scheduled).text
    minutes = await minutes_of(db, (await meeting_rows(db))[0])
    assert minutes is not None
    assert minutes.startswith("— Sari:\nDibahas: jadwal remedial kelas 9.")
    assert minutes.endswith("— Budi Santoso:\nTindak lanjut: rapat orang tua")
    assert minutes.count("Tindak lanjut") == 1


async def test_notulen_as_a_reply_and_before_any_meeting(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, sari: JSON, clock: Clock, db: DB
) -> None:
    await kopi.process(fake.message(sari, scheduled, "/notulen catatan"))
    assert "Belum ada pertemuan" in fake.last(scheduled).text
    clock.now = ENDS
    notes = fake.message(sari, scheduled, "1. Jadwal piket\n2. Lomba literasi")
    await kopi.process(notes)
    command = fake.message(sari, scheduled, "/notulen", reply_to=notes["message"])
    await kopi.process(command)
    assert "tersimpan" in fake.last(scheduled).text
    await kopi.process(fake.edit(command, "/notulen "))  # an edit is not a second command
    minutes = await minutes_of(db, (await meeting_rows(db))[0])
    assert minutes == "— Sari:\n1. Jadwal piket\n2. Lomba literasi"


async def test_a_national_holiday_is_skipped_with_a_notice_and_can_be_kept(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, clock: Clock, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Jumat 14:00"))
    fake.clear()
    christmas_eve = datetime(2026, 12, 24, 12, 0, tzinfo=UTC)
    await run_at(kopi, clock, christmas_eve)
    [notice] = fake.sent(joined)
    assert "Jumat, 25 Desember 2026 adalah hari libur nasional (Hari Raya Natal)" in notice.text
    # New Year's Day is a holiday too: the next meeting is on 8 January.
    assert "Pertemuan berikutnya: Jumat, 8 Januari 2027 pukul 14.00 WIB" in notice.text
    assert "Hadir" not in notice.text

    await run_at(kopi, clock, datetime(2026, 12, 25, 6, 0, tzinfo=UTC))
    assert len(fake.sent(joined)) == 1  # no reminder for a meeting that does not take place

    clock.now = christmas_eve
    await press(kopi, fake, budi, notice, "Tetap bertemu")
    assert "tetap diadakan meski hari libur" in fake.last(joined).text
    fake.clear()
    await run_at(kopi, clock, datetime(2026, 12, 25, 6, 0, tzinfo=UTC))
    [reminder] = fake.sent(joined)
    assert "Jumat, 25 Desember 2026 pukul 14.00 WIB (1 jam lagi)" in reminder.text


async def test_a_cancelled_meeting_sends_nothing_and_a_moved_one_reminds_at_its_new_time(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, budi: JSON, clock: Clock
) -> None:
    await kopi.process(fake.message(budi, scheduled, "/liburkan"))
    await kopi.process(fake.message(budi, scheduled, "/pindahkan 10/12 09:00"))  # the next one
    fake.clear()
    for moment in (EVE, HOUR_BEFORE, ENDS):
        await run_at(kopi, clock, moment)
    assert fake.sent(scheduled) == []
    await run_at(kopi, clock, datetime(2026, 12, 9, 12, 0, tzinfo=UTC))
    [reminder] = fake.sent(scheduled)
    assert "Kamis, 10 Desember 2026 pukul 09.00 WIB" in reminder.text


@pytest.mark.parametrize(
    ("zone", "eve_utc", "label"),
    [
        ("WIB", datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "14.00 WIB"),
        ("WITA", datetime(2026, 12, 2, 11, 0, tzinfo=UTC), "14.00 WITA"),
        ("WIT", datetime(2026, 12, 2, 10, 0, tzinfo=UTC), "14.00 WIT"),
    ],
)
async def test_reminders_follow_the_community_zone(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    clock: Clock,
    zone: str,
    eve_utc: datetime,
    label: str,
) -> None:
    await kopi.process(fake.message(budi, joined, f"/aturjadwal Kamis 14:00 {zone}"))
    fake.clear()
    await run_at(kopi, clock, eve_utc.replace(minute=59, hour=eve_utc.hour - 1))
    assert fake.sent(joined) == []
    await run_at(kopi, clock, eve_utc)
    assert f"Kamis, 3 Desember 2026 pukul {label} (19 jam lagi)" in fake.last(joined).text


async def test_the_weekly_digest_counts_the_week(
    kopi: OfflineBot,
    fake: FakeTelegram,
    scheduled: JSON,
    budi: JSON,
    sari: JSON,
    clock: Clock,
    db: DB,
) -> None:
    await kopi.process(fake.message(sari, scheduled, "#keresahan Banyak siswa terlambat"))
    await kopi.process(fake.message(budi, scheduled, "#praktikbaik Apel pagi lima menit"))
    await kopi.process(fake.message(sari, scheduled, "#refleksi Murid belajar dari teman sebaya."))
    fake.clear()
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Fri 16.00 WIB
    await run_at(kopi, clock, friday)
    [digest] = fake.sent(scheduled)
    text = digest.text
    assert "Ringkasan mingguan Guru Penggerak SMPN 1" in text
    assert "(Jumat, 20 November 2026 – Jumat, 27 November 2026)" in text
    assert "Keresahan baru: 1" in text and "Praktik baik baru: 1" in text
    assert "Refleksi yang dibagikan: 1" in text
    assert "Kehadiran: tidak ada pertemuan pekan ini" in text

    await run_at(kopi, clock, EVE)
    await press(kopi, fake, sari, fake.last(scheduled), "Hadir")
    await press(kopi, fake, budi, fake.last(scheduled), "Hadir")
    fake.clear()
    await run_at(kopi, clock, datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    [digest] = [c for c in fake.sent(scheduled) if "Ringkasan" in c.text]
    assert "Keresahan baru: 0" in digest.text
    assert "Kehadiran: Kamis, 3 Desember 2026, 2 orang" in digest.text


async def test_a_digest_turned_off_or_a_quiet_week_sends_nothing(
    kopi: OfflineBot, fake: FakeTelegram, scheduled: JSON, budi: JSON, sari: JSON, clock: Clock
) -> None:
    await run_at(kopi, clock, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    assert fake.sent(scheduled) == []  # nothing happened this week
    await kopi.process(fake.message(budi, scheduled, "/ringkasan off"))
    await kopi.process(fake.message(sari, scheduled, "#keresahan Kelas terlalu panas"))
    fake.clear()
    await run_at(kopi, clock, datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    assert not [c for c in fake.sent(scheduled) if "Ringkasan" in c.text]


async def test_reminders_and_digests_go_to_the_forum_topic_of_the_schedule(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, sari: JSON, clock: Clock
) -> None:
    forum = fake.add_group("Kombel Matematika", forum=True, admins=[budi], members=[sari])
    await kopi.process(fake.bot_added(forum, budi))
    await kopi.process(fake.message(budi, forum, "/aturjadwal Kamis 14:00", thread_id=77))
    await kopi.process(fake.message(sari, forum, "#keresahan Soal cerita sulit", thread_id=5))
    fake.clear()
    await run_at(kopi, clock, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await run_at(kopi, clock, EVE)
    sent = fake.sent(forum)
    assert [c.text.split()[1] for c in sent] == ["Ringkasan", "Pengingat"]
    assert {c.params.get("message_thread_id") for c in sent} == {77}
