"""Issue 11, points 1 and 2, through the real Application: times and dates as teachers write
them, ambiguity asked with buttons, and a schedule set over another shown old → new first."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.meetings import MeetingSchedule
from models.reports import ReportRequest
from tests.conftest import Clock
from tests.test_meetings_schedule import DB, meetings_of, press, prompts, schedule_of, sent_texts


async def reports_of(db: DB) -> list[tuple[date, date]]:
    async with db() as session:
        rows = await session.scalars(select(ReportRequest))
        return [(r.first_day, r.last_day) for r in rows]


async def minute_and_place(db: DB) -> tuple[int, str | None]:
    schedule = await schedule_of(db)
    assert schedule is not None
    return schedule.minute_of_day, schedule.place


async def test_kamis_jam_3_sore_sets_15_00_and_keeps_the_place(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14.00 Ruang Guru lt. 2"))
    assert await minute_and_place(db) == (840, "Ruang Guru lt. 2")

    # Before: 03.00, and "sore" became the place.
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis jam 3 sore"))
    question = fake.last(joined)
    assert question.text.startswith("📅 Budi, ubah jadwal pertemuan rutin?")
    assert "Sekarang: setiap Kamis pukul 14.00 WIB" in question.text
    assert "Menjadi: setiap Kamis pukul 15.00 WIB" in question.text
    assert "📍" not in question.text  # the place does not change
    assert (
        "Tetap seperti sebelumnya: setiap minggu, zona WIB, tempat Ruang Guru lt. 2, pengingat "
        "malam sebelumnya pukul 19.00, 1 jam sebelumnya."
    ) in question.text
    assert [b["text"] for b in question.buttons] == ["✅ Ya, ubah", "✖️ Tidak jadi"]
    assert await minute_and_place(db) == (840, "Ruang Guru lt. 2")  # nothing yet

    await press(kopi, fake, budi, question, "Ya, ubah")
    saved = fake.last(joined)
    assert saved.method == "editMessageText"
    assert "setiap Kamis pukul 15.00 WIB" in saved.text
    assert "📍 Ruang Guru lt. 2" in saved.text
    assert "Tetap seperti sebelumnya:" in saved.text
    assert await minute_and_place(db) == (900, "Ruang Guru lt. 2")
    meetings = await meetings_of(db)
    assert meetings[0].starts_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # today 15.00 WIB
    assert await prompts(db) == []

    assert saved.buttons == []


async def test_the_first_schedule_in_natural_words_is_saved_without_asking(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Rabu setengah 4 sore di Aula"))
    assert "setiap Rabu pukul 15.30 WIB" in fake.last(joined).text
    assert await minute_and_place(db) == (930, "Aula")
    await kopi.process(fake.message(budi, joined, "/aturjadwal Rabu jam 3 lewat 15"))
    await press(kopi, fake, budi, fake.last(joined), "Ya, ubah")
    assert await minute_and_place(db) == (915, "Aula")
    await kopi.process(fake.message(budi, joined, "/aturjadwal Rabu jam 4 kurang seperempat"))
    await press(kopi, fake, budi, fake.last(joined), "Ya, ubah")
    assert await minute_and_place(db) == (945, "Aula")


async def test_jam_7_is_asked_with_buttons_and_the_place_waits(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis jam 7 di Aula"))
    question = fake.last(joined)
    assert "Budi, pertemuan Kamis pukul berapa: 07.00 atau 19.00?" in question.text
    assert [b["text"] for b in question.buttons] == ["07.00", "19.00"]
    assert await schedule_of(db) is None  # never guessed

    await press(kopi, fake, budi, question, "19.00")
    assert "setiap Kamis pukul 19.00 WIB" in fake.last(joined).text
    assert await minute_and_place(db) == (19 * 60, "Aula")


async def test_a_typed_part_of_the_day_answers_the_time_question(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Rabu pukul 8 WITA"))
    assert [b["text"] for b in fake.last(joined).buttons] == ["08.00", "20.00"]
    # Sari's "malam" is hers; Budi's chatter is no answer either, and the question stays.
    assert await kopi.process(fake.message(sari, joined, "malam")) == []
    assert sent_texts(await kopi.process(fake.message(budi, joined, "sebentar ya"))) == []
    assert len(await prompts(db)) == 1
    await kopi.process(fake.message(budi, joined, "malam"))
    assert "setiap Rabu pukul 20.00 WITA" in fake.last(joined).text
    schedule = await schedule_of(db)
    assert schedule is not None
    assert (schedule.weekday, schedule.minute_of_day, schedule.timezone) == (
        2,
        20 * 60,
        "Asia/Makassar",
    )


async def test_a_part_of_the_day_alone_offers_its_hours(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis sore"))
    question = fake.last(joined)
    assert "15.00, 16.00 atau 17.00" in question.text
    assert [b["text"] for b in question.buttons] == ["15.00", "16.00", "17.00"]
    reply = fake.message(budi, joined, "jam 4", reply_to=fake.message_of(question))
    await kopi.process(reply)
    assert await minute_and_place(db) == (16 * 60, None)  # "sore" is no place


async def test_a_day_without_a_time_asks_the_usual_hours(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Jumat di Perpustakaan"))
    question = fake.last(joined)
    assert "pertemuan Jumat pukul berapa?" in question.text
    assert "13.00" in [b["text"] for b in question.buttons]
    # A reply kopi cannot read is asked again, with the buttons.
    await kopi.process(fake.message(budi, joined, "nanti", reply_to=fake.message_of(question)))
    again = fake.last(joined)
    assert again.text.startswith("Maaf, jamnya belum saya tangkap.")
    await kopi.process(fake.message(budi, joined, "14.30", reply_to=fake.message_of(again)))
    assert await minute_and_place(db) == (870, "Perpustakaan")


async def test_what_the_line_does_not_name_keeps_its_value(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(
        fake.message(budi, joined, "/aturjadwal Kamis 14.00 WITA dua minggu sekali Lab IPA")
    )
    await kopi.process(fake.message(budi, joined, "/pengingat 1440 60"))
    await kopi.process(fake.message(budi, joined, "/aturjadwal Jumat jam 1 siang di Aula"))
    question = fake.last(joined)
    assert "Sekarang: dua minggu sekali, Kamis pukul 14.00 WITA" in question.text
    assert "Menjadi: dua minggu sekali, Jumat pukul 13.00 WITA" in question.text
    assert "📍 Lab IPA → Aula" in question.text
    assert (
        "Tetap seperti sebelumnya: dua minggu sekali, zona WITA, pengingat 1 hari sebelumnya, "
        "1 jam sebelumnya."
    ) in question.text
    await kopi.process(fake.message(budi, joined, "ya"))
    schedule = await schedule_of(db)
    assert schedule is not None
    assert (
        schedule.weekday,
        schedule.minute_of_day,
        schedule.timezone,
        schedule.interval_weeks,
        schedule.place,
        schedule.reminders,
    ) == (4, 780, "Asia/Makassar", 2, "Aula", "1440,60")


async def test_a_change_can_be_declined_and_a_member_cannot_confirm_it(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14.00"))
    await kopi.process(fake.message(budi, joined, "/aturjadwal Selasa 10.00"))
    question = fake.last(joined)
    calls = await kopi.process(fake.press(sari, fake.message_of(question), "mt:sy"))
    [refusal] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "fasilitator" in str(refusal.params.get("text"))
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.weekday == 0

    await press(kopi, fake, budi, question, "Tidak jadi")
    assert fake.last(joined).text == "Baik, jadwal tidak diubah: setiap Senin pukul 14.00 WIB."
    schedule = await schedule_of(db)
    assert schedule is not None and (schedule.weekday, schedule.minute_of_day) == (0, 840)
    assert await prompts(db) == []
    assert fake.last(joined).buttons == []  # the question, answered, keeps no buttons


async def test_the_wizard_over_a_schedule_asks_first(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14.00 Ruang Guru"))
    await kopi.process(fake.message(budi, joined, "/aturjadwal"))
    await press(kopi, fake, budi, fake.last(joined), "Rabu")
    await press(kopi, fake, budi, fake.last(joined), "13.00")
    await press(kopi, fake, budi, fake.last(joined), "WIB")
    await press(kopi, fake, budi, fake.last(joined), "Dua minggu sekali")
    chosen, question = fake.sent(joined)[-2:]
    assert chosen.method == "editMessageText"  # the wizard keeps the choice, without buttons
    assert chosen.text == "📅 dua minggu sekali, Rabu pukul 13.00 WIB" and chosen.buttons == []
    assert "Tetap seperti sebelumnya: tempat Ruang Guru" in question.text
    await press(kopi, fake, budi, question, "Ya, ubah")
    schedule = await schedule_of(db)
    assert schedule is not None
    assert (schedule.weekday, schedule.interval_weeks, schedule.place) == (2, 2, "Ruang Guru")


async def test_pindahkan_reads_besok_jam_3_sore_and_asks_about_jam_7(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # Sunday 10.00 WIB
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14.00"))
    await kopi.process(fake.message(budi, joined, "/pindahkan besok jam 3 sore"))
    assert (
        "<b>dipindah</b> ke Senin, 30 November 2026 pukul 15.00 WIB"
        in (fake.last(joined).params["text"])
    )
    first = (await meetings_of(db))[0]
    assert first.starts_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

    await kopi.process(fake.message(budi, joined, "/pindahkan Selasa jam 7"))
    question = fake.last(joined)
    assert [b["text"] for b in question.buttons] == ["07.00", "19.00"]
    await press(kopi, fake, budi, question, "19.00")
    first = (await meetings_of(db))[0]
    assert first.starts_at == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Tuesday 19.00 WIB

    # A time typed in another zone is the same moment in the schedule's.
    await kopi.process(fake.message(budi, joined, "/pindahkan Rabu 16.00 WITA"))
    first = (await meetings_of(db))[0]
    assert first.starts_at == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert "Rabu, 2 Desember 2026 pukul 15.00 WIB" in fake.last(joined).text


async def test_kamis_depan_on_a_monday_is_asked(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14.00"))
    clock.now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 09.00 WIB
    await kopi.process(fake.message(budi, joined, "/liburkan Kamis depan"))
    question = fake.last(joined)
    assert question.text == "🚫 Pertemuan tanggal berapa yang diliburkan?"
    assert [b["text"] for b in question.buttons] == ["Kam 3/12", "Kam 10/12"]
    await press(kopi, fake, budi, question, "Kam 10/12")
    assert "Kamis, 10 Desember 2026 pukul 14.00 WIB diliburkan" in fake.last(joined).text
    statuses = {m.slot_date: m.status for m in await meetings_of(db)}
    assert statuses[date(2026, 12, 3)] == "scheduled"
    assert statuses[date(2026, 12, 10)] == "cancelled"

    await kopi.process(fake.message(budi, joined, "/pindahkan Kamis depan"))
    assert [b["text"] for b in fake.last(joined).buttons] == ["Kam 3/12", "Kam 10/12"]
    await kopi.process(fake.message(budi, joined, "/pindahkan Kamis minggu depan jam 3 sore"))
    assert "ke Kamis, 10 Desember 2026 pukul 15.00 WIB" in fake.last(joined).text


async def test_laporan_reads_natural_periods(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/laporan 1 Agustus sampai hari ini"))
    await kopi.process(fake.message(budi, joined, "/laporan bulan Oktober"))
    assert await reports_of(db) == [
        (date(2026, 8, 1), date(2026, 11, 26)),
        (date(2026, 10, 1), date(2026, 10, 31)),
    ]
    await kopi.process(fake.message(budi, joined, "/laporan besok"))
    assert fake.last(joined).text.startswith("Maaf, tanggalnya belum saya pahami.")


async def test_an_english_group_reads_english_times(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.bot_added(group, sari))  # Sari's app is English
    fake.set_status(group, sari, "administrator")
    await kopi.process(fake.message(sari, group, "/aturjadwal every Thursday at 3pm"))
    assert "every Thursday at 15:00 WIB" in fake.last(group).text
    await kopi.process(fake.message(sari, group, "/aturjadwal Thursday half past 7"))
    question = fake.last(group)
    assert "07:30 or 19:30" in question.text
    await kopi.process(fake.message(sari, group, "in the evening"))
    confirm = fake.last(group)
    assert "Now: every Thursday at 15:00 WIB" in confirm.text
    assert "New: every Thursday at 19:30 WIB" in confirm.text
    assert "Kept as before: every week, time zone WIB" in confirm.text
    await press(kopi, fake, sari, confirm, "Yes, change it")
    schedule = await schedule_of(db)
    assert isinstance(schedule, MeetingSchedule) and schedule.minute_of_day == 19 * 60 + 30


async def test_the_move_buttons_typed_fallback_names_the_meeting_it_moves(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14.00 Aula"))
    await kopi.process(fake.message(budi, joined, "/pindahkan"))
    await press(kopi, fake, budi, fake.last(joined), "Sen 7/12")
    await press(kopi, fake, budi, fake.last(joined), "Rab 9/12")
    hint = fake.last(joined).params["text"]
    assert "<code>/pindahkan 7/12 ke 9/12 jam 3 sore</code>" in hint
    # Typed as the hint says, it moves the meeting of 7/12, not the next one (30/11).
    await kopi.process(fake.message(budi, joined, "/pindahkan 7/12 ke 9/12 jam 3 sore"))
    assert (
        "Senin, 7 Desember 2026 pukul 14.00 WIB <b>dipindah</b> ke Rabu, 9 Desember"
        in (fake.last(joined).params["text"])
    )
    moved = {m.slot_date: m.starts_at for m in await meetings_of(db)}
    assert moved[date(2026, 12, 7)] == datetime(2026, 12, 9, 8, 0, tzinfo=UTC)
    assert moved[date(2026, 11, 30)] == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    await kopi.process(
        fake.message(budi, joined, "/pindahkan pertemuan Senin ke Selasa jam 4 sore")
    )
    moved = {m.slot_date: m.starts_at for m in await meetings_of(db)}
    assert moved[date(2026, 11, 30)] == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
