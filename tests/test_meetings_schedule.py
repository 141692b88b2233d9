"""Setting the routine meeting: by one line and by buttons, reminders, holidays, cancel and move."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.community import Community
from models.meetings import Meeting, MeetingSchedule
from models.prompts import Prompt
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]


async def schedule_of(db: DB) -> MeetingSchedule | None:
    async with db() as session:
        return await session.scalar(select(MeetingSchedule))


def sent_texts(calls: list[Call]) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


async def prompts(db: DB) -> list[Prompt]:
    async with db() as session:
        return list(await session.scalars(select(Prompt)))


async def meetings_of(db: DB) -> list[Meeting]:
    async with db() as session:
        return list(await session.scalars(select(Meeting).order_by(Meeting.starts_at)))


def press_data(call: Call, text: str) -> str:
    """Return the callback data of the button whose label contains text."""
    exact = [b for b in call.buttons if b["text"] == text]
    for b in exact or call.buttons:
        if text in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no button {text!r} in {[b['text'] for b in call.buttons]}")


async def press(kopi: OfflineBot, fake: FakeTelegram, user: JSON, call: Call, label: str) -> None:
    await kopi.process(fake.press(user, fake.message_of(call), press_data(call, label)))


async def test_a_facilitator_sets_the_schedule_in_one_line(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00 WITA Ruang Guru lt. 2"))

    text = fake.last(joined).text
    assert "setiap Kamis pukul 14.00 WITA" in text
    assert "Kamis, 3 Desember 2026 pukul 14.00 WITA" in text  # today's 14.00 WITA has passed
    assert "📍 Ruang Guru lt. 2" in text
    assert "malam sebelumnya pukul 19.00, 1 jam sebelumnya" in text
    schedule = await schedule_of(db)
    assert schedule is not None
    assert (schedule.weekday, schedule.minute_of_day, schedule.timezone) == (
        3,
        840,
        "Asia/Makassar",
    )
    assert (schedule.interval_weeks, schedule.place, schedule.thread_id) == (
        1,
        "Ruang Guru lt. 2",
        None,
    )
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.timezone == "Asia/Makassar"
    meetings = await meetings_of(db)
    assert meetings[0].starts_at == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # stored in UTC
    assert {m.status for m in meetings} == {"scheduled"}


async def test_the_zone_defaults_to_the_community_and_english_day_names_work(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal friday 9.30"))
    schedule = await schedule_of(db)
    assert schedule is not None
    assert (schedule.weekday, schedule.minute_of_day, schedule.timezone) == (4, 570, "Asia/Jakarta")
    assert "setiap Jumat pukul 09.30 WIB" in fake.last(joined).text


async def test_a_facilitator_sets_the_schedule_with_buttons_then_replies_with_the_place(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal"))
    wizard = fake.last(joined)
    assert "hari apa" in wizard.text
    await press(kopi, fake, budi, wizard, "Rabu")
    assert "Pukul berapa" in fake.last(joined).text
    await press(kopi, fake, budi, fake.last(joined), "13.00")
    await press(kopi, fake, budi, fake.last(joined), "WIT")
    await press(kopi, fake, budi, fake.last(joined), "Dua minggu sekali")

    # The wizard's message shows what was saved; the place is asked in a message of its own.
    confirmation, question = fake.sent(joined)[-2:]
    assert confirmation.method == "editMessageText"
    assert "dua minggu sekali, Rabu pukul 13.00 WIT" in confirmation.text
    assert question.method == "sendMessage"
    assert "Budi, di mana pertemuannya?" in question.text
    assert question.params["reply_markup"]["force_reply"] is True
    schedule = await schedule_of(db)
    assert schedule is not None
    assert (schedule.weekday, schedule.minute_of_day, schedule.timezone) == (
        2,
        780,
        "Asia/Jayapura",
    )
    assert schedule.interval_weeks == 2 and schedule.place is None

    prompt = fake.message_of(question)
    await kopi.process(fake.message(budi, joined, "https://meet.example/kombel", reply_to=prompt))
    assert fake.last(joined).text == "📍 Tempat pertemuan: https://meet.example/kombel"
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.place == "https://meet.example/kombel"
    meetings = await meetings_of(db)
    # Every two weeks from the first Wednesday (2 Dec), 13.00 WIT = 04.00 UTC.
    assert [m.starts_at for m in meetings[:3]] == [
        datetime(2026, 12, 2, 4, 0, tzinfo=UTC),
        datetime(2026, 12, 16, 4, 0, tzinfo=UTC),
        datetime(2026, 12, 30, 4, 0, tzinfo=UTC),
    ]


async def test_a_member_is_refused_politely_and_nothing_changes(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "/aturjadwal Kamis 14:00"))
    assert "hanya untuk fasilitator" in fake.last(joined).text
    assert await schedule_of(db) is None

    await kopi.process(fake.message(budi, joined, "/aturjadwal"))
    wizard = fake.last(joined)
    calls = await kopi.process(
        fake.press(sari, fake.message_of(wizard), press_data(wizard, "Kamis"))
    )
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("show_alert") is True
    assert "fasilitator" in str(answer.params.get("text"))
    assert not [c for c in calls if c.method == "editMessageText"]
    assert await schedule_of(db) is None

    # Nor may a member answer the place question: it was Budi's, so her reply is not an answer
    # (kopi says nothing), and her plain message neither.
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    prompt = fake.message_of(fake.last(joined))
    assert await kopi.process(fake.message(sari, joined, "Kantin", reply_to=prompt)) == []
    assert await kopi.process(fake.message(sari, joined, "Kantin")) == []
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.place is None
    assert len(await prompts(db)) == 1  # Budi's question still waits


async def test_the_place_is_asked_in_the_saved_schedule_and_taken_from_the_next_message(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    # One message: the saved schedule, with the question under it (a reply opens for Budi only).
    question = fake.last(joined)
    assert question.text.startswith("✅ Jadwal pertemuan rutin: setiap Kamis pukul 14.00 WIB.")
    assert "Budi, di mana pertemuannya?" in question.text
    assert question.params["reply_markup"] == {"force_reply": True, "selective": True}
    [waiting] = await prompts(db)
    assert (waiting.speaker_id, waiting.kind, waiting.prompt_message_id) == (
        budi["id"],
        "meet.place",
        question.result["message_id"],
    )
    # Sari's chatter is hers; Budi's next plain message (no reply) is the answer.
    assert await kopi.process(fake.message(sari, joined, "Siap, Pak!")) == []
    clock.advance(minutes=9)
    calls = await kopi.process(fake.message(budi, joined, "Ruang Guru lt. 2"))
    assert sent_texts(calls) == ["📍 Tempat pertemuan: Ruang Guru lt. 2"]
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.place == "Ruang Guru lt. 2"
    assert await prompts(db) == []
    # His next message is chatter again.
    assert await kopi.process(fake.message(budi, joined, "Terima kasih semua")) == []
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.place == "Ruang Guru lt. 2"
    await kopi.process(fake.message(budi, joined, "/jadwal"))
    assert "📍 Ruang Guru lt. 2" in fake.last(joined).text


async def test_the_place_question_is_cancelled_and_a_late_message_is_chatter(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    calls = await kopi.process(fake.message(budi, joined, "batal"))
    assert sent_texts(calls) == ["Baik, dibatalkan. Tidak ada yang berubah."]
    assert await prompts(db) == []
    assert sent_texts(await kopi.process(fake.message(budi, joined, "Kantin"))) == []
    # Asked again: a plain message eleven minutes later is chatter, a reply still answers.
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    question = fake.message_of(fake.last(joined))
    clock.advance(minutes=11)
    assert sent_texts(await kopi.process(fake.message(budi, joined, "Kantin"))) == []
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.place is None
    answer = fake.message(budi, joined, "Perpustakaan", reply_to=question)
    calls = await kopi.process(answer)
    assert sent_texts(calls) == ["📍 Tempat pertemuan: Perpustakaan"]
    # The same answer delivered again (a new update id) changes nothing and says nothing.
    assert sent_texts(await kopi.process({**answer, "update_id": answer["update_id"] + 1000})) == []
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.place == "Perpustakaan"


async def test_an_unreadable_line_gets_an_example_and_the_buttons(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal nanti sore ya"))
    last = fake.last(joined)
    assert "/aturjadwal Kamis 14.00 WITA" in last.text
    assert [b["text"] for b in last.buttons][:2] == ["Senin", "Selasa"]
    assert await schedule_of(db) is None


async def test_the_schedule_command_belongs_in_a_group(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    private = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, private, "/aturjadwal Kamis 14:00"))
    assert "di grup komunitas" in fake.last(private).text


async def test_jadwal_lists_the_next_meetings_with_holidays_skipped(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, clock: Clock
) -> None:
    await kopi.process(fake.message(sari, joined, "/jadwal"))
    assert "Belum ada jadwal" in fake.last(joined).text

    await kopi.process(fake.message(budi, joined, "/aturjadwal Jumat 14:00"))
    clock.now = datetime(2026, 12, 10, 0, 0, tzinfo=UTC)
    await kopi.process(fake.message(sari, joined, "/jadwal"))
    text = fake.last(joined).text
    assert "setiap Jumat pukul 14.00 WIB" in text
    lines = [line for line in text.splitlines() if line.startswith("•")]
    assert lines == [
        "• Jumat, 11 Desember 2026 pukul 14.00 WIB",
        "• Jumat, 18 Desember 2026 pukul 14.00 WIB",
        "• Jumat, 25 Desember 2026 pukul 14.00 WIB — libur nasional (Hari Raya Natal)",
        "• Jumat, 1 Januari 2027 pukul 14.00 WIB — libur nasional (Tahun Baru Masehi)",
    ]


async def test_holidays_can_be_kept_for_the_whole_schedule(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, clock: Clock, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Jumat 14:00"))
    await kopi.process(fake.message(budi, joined, "/jadwal"))
    menu = fake.last(joined)
    await press(kopi, fake, budi, menu, "Tetap bertemu saat libur")
    assert "tetap diadakan pada hari libur" in fake.last(joined).text
    christmas = [m for m in await meetings_of(db) if m.slot_date == date(2026, 12, 25)]
    assert [m.status for m in christmas] == ["scheduled"]


async def test_liburkan_cancels_the_next_meeting_and_can_be_undone(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14:00"))
    await kopi.process(fake.message(budi, joined, "/liburkan"))
    reply = fake.last(joined)
    assert "Senin, 30 November 2026 pukul 14.00 WIB diliburkan" in reply.text
    assert "Pertemuan berikutnya: Senin, 7 Desember 2026" in reply.text
    first = (await meetings_of(db))[0]
    assert (first.slot_date, first.status, first.manual) == (date(2026, 11, 30), "cancelled", True)

    await press(kopi, fake, budi, reply, "Urungkan")
    assert "tetap diadakan" in fake.last(joined).text
    first = (await meetings_of(db))[0]
    assert first.status == "scheduled"


async def test_liburkan_a_given_date(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14:00"))
    await kopi.process(fake.message(budi, joined, "/liburkan 7/12"))
    assert "7 Desember 2026 pukul 14.00 WIB diliburkan" in fake.last(joined).text
    statuses = {m.slot_date: m.status for m in await meetings_of(db)}
    assert statuses[date(2026, 11, 30)] == "scheduled"
    assert statuses[date(2026, 12, 7)] == "cancelled"

    await kopi.process(fake.message(budi, joined, "/liburkan 8/12"))
    assert "Tidak ada pertemuan" in fake.last(joined).text
    await kopi.process(fake.message(budi, joined, "/liburkan 7/12"))  # already cancelled
    assert "Tidak ada pertemuan" in fake.last(joined).text
    await kopi.process(fake.message(budi, joined, "/liburkan kapan-kapan"))
    assert "tanggalnya belum saya pahami" in fake.last(joined).text


async def test_pindahkan_in_one_line_moves_the_next_meeting(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14:00"))
    await kopi.process(fake.message(budi, joined, "/pindahkan Selasa 15.30"))
    assert (
        "Senin, 30 November 2026 pukul 14.00 WIB <b>dipindah</b> ke "
        "Selasa, 1 Desember 2026 pukul 15.30 WIB"
    ) in fake.sent(joined)[-1].params["text"]
    first = (await meetings_of(db))[0]
    assert first.starts_at == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert (first.slot_date, first.manual) == (date(2026, 11, 30), True)

    await kopi.process(fake.message(sari, joined, "/jadwal"))
    assert "• Selasa, 1 Desember 2026 pukul 15.30 WIB (dipindah)" in fake.last(joined).text


async def test_pindahkan_refuses_the_past_and_nonsense(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14:00"))
    await kopi.process(fake.message(budi, joined, "/pindahkan 1/1/2020 10:00"))
    assert "sudah lewat" in fake.last(joined).text
    await kopi.process(fake.message(budi, joined, "/pindahkan kapan-kapan"))
    assert "Contoh: <code>/pindahkan" in fake.last(joined).params["text"]
    await kopi.process(fake.message(budi, joined, "/pindahkan Selasa jam 3 karena rapat"))
    assert "Contoh: <code>/pindahkan" in fake.last(joined).params["text"]
    first = (await meetings_of(db))[0]
    assert first.manual is False


async def test_pindahkan_with_buttons(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14:00"))
    await kopi.process(fake.message(budi, joined, "/pindahkan"))
    which = fake.last(joined)
    assert "Pertemuan mana" in which.text
    assert [b["text"] for b in which.buttons] == [
        "Sen 30/11 14.00",
        "Sen 7/12 14.00",
        "Sen 14/12 14.00",
    ]
    await press(kopi, fake, budi, which, "Sen 7/12")
    day = fake.last(joined)
    assert "ke hari apa" in day.text
    await press(kopi, fake, budi, day, "Rab 9/12")
    await press(kopi, fake, budi, fake.last(joined), "Jam yang sama (14.00)")
    assert "Rabu, 9 Desember 2026 pukul 14.00 WIB" in fake.last(joined).text
    moved = [m for m in await meetings_of(db) if m.slot_date == date(2026, 12, 7)]
    assert [m.starts_at for m in moved] == [datetime(2026, 12, 9, 7, 0, tzinfo=UTC)]


async def test_pengingat_in_one_line_with_buttons_and_bad_input(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/pengingat 60"))
    assert "Belum ada jadwal" in fake.last(joined).text

    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(budi, joined, "/pengingat 1440 60"))
    assert "1 hari sebelumnya, 1 jam sebelumnya" in fake.last(joined).text
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.reminders == "1440,60"

    await kopi.process(fake.message(budi, joined, "/pengingat besok saja"))
    assert "/pengingat 1440 60" in fake.last(joined).params["text"]

    await kopi.process(fake.message(budi, joined, "/pengingat"))
    picker = fake.last(joined)
    assert [b["text"].startswith("✅") for b in picker.buttons[:5]] == [
        False,
        True,
        False,
        True,
        False,
    ]
    await press(kopi, fake, budi, picker, "1 hari sebelumnya")  # off
    await press(kopi, fake, budi, fake.last(joined), "30 menit sebelumnya")  # on
    await press(kopi, fake, budi, fake.last(joined), "Simpan")
    assert "pengingat: 1 jam sebelumnya, 30 menit sebelumnya" in fake.last(joined).text
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.reminders == "60,30"


async def test_a_schedule_change_keeps_what_a_facilitator_changed_by_hand(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 14:00"))
    await kopi.process(fake.message(budi, joined, "/liburkan"))
    await kopi.process(fake.message(budi, joined, "/aturjadwal Senin 15:00"))
    await press(kopi, fake, budi, fake.last(joined), "Ya, ubah")
    meetings = await meetings_of(db)
    assert (meetings[0].slot_date, meetings[0].status) == (date(2026, 11, 30), "cancelled")
    assert meetings[1].starts_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    await kopi.process(fake.message(budi, joined, "/aturjadwal Rabu 15:00"))
    await press(kopi, fake, budi, fake.last(joined), "Ya, ubah")
    days = [(m.slot_date, m.status) for m in await meetings_of(db)][:3]
    assert days == [
        (date(2026, 11, 30), "cancelled"),
        (date(2026, 12, 2), "scheduled"),
        (date(2026, 12, 9), "scheduled"),
    ]


async def test_jadwal_in_private_shows_my_community_read_only(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(sari, joined, "Selamat siang"))  # kopi meets Sari
    private = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, private, "/jadwal"))
    shown = fake.last(private)
    assert shown.text.startswith("🏫 Guru Penggerak SMPN 1\n📅 Pertemuan rutin: setiap Kamis")
    assert "Kamis, 3 Desember 2026 pukul 14.00 WIB" in shown.text
    # Changes are announced in the group, so a facilitator is pointed there; no buttons here.
    assert "Jadwal diubah di grup" in shown.text and shown.buttons == []
    # A member reads the same, in her language, without the facilitator's hint.
    mine = fake.chats[sari["id"]].chat
    await kopi.process(fake.message(sari, mine, "/schedule"))
    shown = fake.last(mine)
    assert "Thursday, 3 December 2026" in shown.text and "every Thursday" in shown.text
    assert "changed in the group" not in shown.text and shown.buttons == []


async def test_jadwal_in_private_with_two_communities_asks_which(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    other = fake.add_group("MGMP Matematika", members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    private = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, private, "/jadwal"))
    question = fake.last(private)
    assert question.text == "Untuk komunitas yang mana, Bapak/Ibu?"
    assert [b["text"] for b in question.buttons] == ["Guru Penggerak SMPN 1", "MGMP Matematika"]

    fake.clear()
    await press(kopi, fake, budi, question, "MGMP Matematika")
    shown = fake.last(private)
    assert shown.text.startswith("🏫 MGMP Matematika\nBelum ada jadwal pertemuan rutin.")
    assert shown.buttons == []  # no "set the schedule" button in private

    await kopi.process(fake.message(budi, private, "/jadwal"))
    await press(kopi, fake, budi, fake.last(private), "Guru Penggerak SMPN 1")
    shown = fake.last(private)
    assert shown.text.startswith("🏫 Guru Penggerak SMPN 1\n📅 Pertemuan rutin: setiap Kamis")
    assert fake.sent(joined) == [] and fake.sent(other) == []  # nothing went to a group


async def test_jadwal_in_private_without_a_community_says_how_to_start(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    private = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, private, "/jadwal"))
    assert fake.last(private).text.startswith("Bapak/Ibu belum tergabung di komunitas")


async def test_an_english_group_reads_english(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, sari: JSON, budi: JSON
) -> None:
    await kopi.process(fake.bot_added(group, sari))  # Sari's app is English
    fake.set_status(group, sari, "administrator")
    await kopi.process(fake.message(sari, group, "/aturjadwal Thursday 14:00 WIT weekly"))
    text = fake.last(group).text
    assert "every Thursday at 14:00 WIT" in text
    assert "Thursday, 3 December 2026 at 14:00 WIT" in text
    assert "the evening before at 19:00, 1 hour before" in text


async def test_ringkasan_turns_the_digest_off_and_on(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00"))
    await kopi.process(fake.message(budi, joined, "/ringkasan off"))
    assert "dimatikan" in fake.last(joined).text
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.digest_enabled is False
    await kopi.process(fake.message(budi, joined, "/ringkasan"))
    await press(kopi, fake, budi, fake.last(joined), "Nyalakan ringkasan")
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.digest_enabled is True


async def test_a_forum_schedule_remembers_its_topic(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, db: DB
) -> None:
    forum = fake.add_group("Kombel Matematika", forum=True, admins=[budi])
    await kopi.process(fake.bot_added(forum, budi))
    await kopi.process(fake.message(budi, forum, "/aturjadwal Kamis 14:00", thread_id=77))
    assert fake.last(forum).params.get("message_thread_id") == 77
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.thread_id == 77
    assert time(14, 0).hour * 60 == schedule.minute_of_day


async def test_the_zone_named_once_becomes_the_communitys_default(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/aturjadwal Kamis 14:00 WITA"))
    await kopi.process(fake.message(budi, joined, "/aturjadwal Jumat 10:00"))
    assert "setiap Jumat pukul 10.00 WITA" in fake.last(joined).text
    schedule = await schedule_of(db)
    assert schedule is not None and schedule.timezone == "Asia/Makassar"
