"""/laporan in the group: choosing the period, the progress message, both documents, refusals.

The community is seeded through the models (captures, votes, meetings and attendance,
reflections of every visibility, norms, aims, projects) and a second community is seeded next to
it; the report is then asked for with real updates, and the documents kopi sent are opened with
openpyxl and pypdf.
"""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, Call, FakeTelegram
from models.agreements import (
    AimKind,
    ProjectStatus,
    add_norm,
    add_project,
    add_project_update,
    agree,
    join_project,
    retire_norm,
    revise_norm,
    set_aims,
)
from models.capture import (
    Author,
    AuthorKind,
    Kind,
    Status,
    capture,
    get_item,
    set_hidden,
    set_link,
    set_note,
    set_status,
    toggle_vote,
)
from models.community import (
    activate_community,
    ensure_membership,
    get_community,
    upsert_person,
)
from models.meetings import (
    Response,
    Slot,
    add_meetings,
    append_minutes,
    meetings_between,
    record_response,
    toggle_attendance,
)
from models.reflections import Reflection
from models.reports import ReportRequest

DB = async_sessionmaker[AsyncSession]

ANI, DEWI = 555_001, 555_002
OTHER_CHAT = -4_999_999


def at(day: str, hour: int = 7) -> datetime:
    """Return a moment in UTC: at('2026-09-03') is 14:00 WIB that day."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class Seeded:
    """Ids of what was seeded."""

    community_id: int
    other_id: int
    concerns: dict[str, int]
    practice: int


async def seed(db: DB, chat_id: int, budi: int, sari: int) -> Seeded:
    """Seed a realistic semester for the community of chat_id, and a second community."""
    async with db.begin() as session:
        community = await get_community(session, chat_id)
        assert community is not None
        cid = community.id
        for person, first, last in (
            (sari, "Sari", None),
            (ANI, "Ani", "Wulandari"),
            (DEWI, "Dewi", "Kartika"),
        ):
            await upsert_person(session, person, first_name=first, last_name=last)
            await ensure_membership(session, community, person)

        async def item(
            kind: Kind, text: str, author: Author, when: datetime, tags: list[str]
        ) -> int:
            found = await capture(
                session, cid, kind=kind, text=text, tags=tags, author=author, now=when
            )
            assert found is not None
            return found

        def person(pid: int) -> Author:
            return Author(AuthorKind.PERSON, pid)

        fractions = await item(
            Kind.CONCERN,
            "Siswa kelas 7 sulit memahami pecahan",
            person(sari),
            at("2026-09-03", 3),
            ["numerasi"],
        )
        paperwork = await item(
            Kind.CONCERN,
            "Beban administrasi membuat persiapan mengajar kurang",
            Author(AuthorKind.ANONYMOUS),
            at("2026-10-10"),
            [],
        )
        # 1 November, 01:00 WIB: November in Jakarta, still October in UTC.
        reading = await item(
            Kind.CONCERN, "Minat membaca siswa rendah", person(budi), at("2026-10-31", 18), []
        )
        old = await item(
            Kind.CONCERN, "SEMESTER-LALU ruang kelas panas", person(sari), at("2026-06-20"), []
        )
        practice = await item(
            Kind.PRACTICE,
            "Membaca 15 menit sebelum pelajaran pertama",
            person(ANI),
            at("2026-10-01"),
            ["literasi"],
        )
        hidden = await item(
            Kind.PRACTICE, "TERSEMBUNYI iklan jualan", person(sari), at("2026-10-02"), []
        )
        for key, voter in (
            (fractions, budi),
            (fractions, ANI),
            (fractions, DEWI),
            (paperwork, sari),
        ):
            concern = await get_item(session, cid, key)
            assert concern is not None
            await toggle_vote(session, concern, voter, f"press-{key}-{voter}")
        concern = await get_item(session, cid, fractions)
        assert concern is not None
        await set_status(session, concern, Status.DISCUSSED, at("2026-09-10"))
        await set_note(session, concern, "Pakai blok pecahan dan permainan kartu", at("2026-09-10"))
        concern = await get_item(session, cid, reading)
        assert concern is not None
        await set_status(session, concern, Status.RESOLVED, at("2026-11-05"))
        assert await set_link(session, concern, practice, True)
        hidden_item = await get_item(session, cid, hidden)
        assert hidden_item is not None
        await set_hidden(session, hidden_item, True, at("2026-10-03"))

        await add_meetings(
            session,
            cid,
            [
                Slot(date(2026, 9, 3), at("2026-09-03"), "scheduled"),
                Slot(date(2026, 10, 1), at("2026-10-01"), "scheduled"),
                Slot(date(2026, 10, 15), at("2026-10-15"), "cancelled"),
                Slot(date(2026, 12, 3), at("2026-12-03"), "scheduled"),
            ],
            at("2026-08-01"),
        )
        first, second, _, _ = await meetings_between(
            session, cid, at("2026-07-01"), at("2027-01-01")
        )
        await record_response(session, first.id, budi, Response.YES, at("2026-09-01"))
        await record_response(session, first.id, sari, Response.YES, at("2026-09-01"))
        await record_response(session, first.id, ANI, Response.EXCUSED, at("2026-09-01"))
        await append_minutes(session, first, "Budi", "Membahas pecahan dengan benda konkret")
        await record_response(session, second.id, budi, Response.YES, at("2026-09-30"))
        await record_response(session, second.id, sari, Response.MAYBE, at("2026-09-30"))
        await toggle_attendance(session, second.id, sari, at("2026-10-01", 9))  # she came

        def reflection(author: int, visibility: str, when: datetime, **parts: str) -> Reflection:
            return Reflection(
                community_id=cid,
                author_id=author,
                meeting_id=None,
                status="done",
                visibility=visibility,
                source="guided",
                created_at=when,
                updated_at=when,
                completed_at=when,
                shared_at=when if visibility != "private" else None,
                **parts,
            )

        session.add_all(
            [
                reflection(
                    sari,
                    "named",
                    at("2026-09-04"),
                    facts="Kami memakai blok pecahan",
                    findings="Siswa lebih paham dengan benda konkret",
                    future="Mencoba kartu pecahan",
                ),
                reflection(
                    DEWI,
                    "anonymous",
                    at("2026-10-02"),
                    findings="Saya kewalahan dengan administrasi",
                    future="Berbagi tugas piket",
                ),
                reflection(DEWI, "private", at("2026-10-05"), facts="RAHASIA-PRIBADI saya lelah"),
                reflection(sari, "private", at("2026-05-05"), facts="RAHASIA-LAMA"),
            ]
        )
        session.add(
            Reflection(
                community_id=cid,
                author_id=sari,
                status="draft",
                step="facts",
                visibility="private",
                source="guided",
                facts="DRAF-BELUM-SELESAI",
                created_at=at("2026-10-06"),
                updated_at=at("2026-10-06"),
            )
        )

        on_time = await add_norm(session, cid, "Datang tepat waktu", budi, at("2026-08-01"))
        await agree(session, on_time, sari, at("2026-08-02"))
        await agree(session, on_time, ANI, at("2026-08-03"))
        respect = await add_norm(session, cid, "Saling menghargai", budi, at("2026-08-01"))
        await agree(session, respect, sari, at("2026-08-02"))
        await revise_norm(
            session, respect, "Saling menghargai pendapat dan waktu", budi, at("2026-09-10")
        )
        await agree(session, respect, budi, at("2026-09-11"))
        ancient = await add_norm(session, cid, "NORMA-LAMA tidak berlaku", budi, at("2026-05-01"))
        await retire_norm(session, ancient, budi, at("2026-06-01"))

        await set_aims(
            session,
            cid,
            AimKind.AIMS,
            "Meningkatkan numerasi dan literasi siswa",
            budi,
            at("2026-07-01"),
        )
        await set_aims(
            session, cid, AimKind.PROGRAMME, "Pertemuan rutin setiap Kamis", budi, at("2026-07-01")
        )
        corner = await add_project(
            session, cid, "Pojok Baca Kelas 7", "Menumbuhkan minat baca", ANI, at("2026-08-15")
        )
        await join_project(session, corner, budi, at("2026-08-16"))
        await add_project_update(
            session,
            corner,
            ANI,
            at("2026-09-20"),
            text="Rak buku terpasang",
            status=ProjectStatus.RUNNING,
        )

        other, _ = await activate_community(
            session,
            OTHER_CHAT,
            title="SMP Lain",
            chat_type="group",
            is_forum=False,
            timezone="Asia/Jakarta",
            language="id",
        )
        await capture(
            session,
            other.id,
            kind=Kind.CONCERN,
            text="KOMUNITAS-LAIN keresahan",
            tags=[],
            author=person(sari),
            now=at("2026-09-10"),
        )
        await add_norm(session, other.id, "NORMA-LAIN", sari, at("2026-09-10"))
        return Seeded(
            cid,
            other.id,
            {"fractions": fractions, "paperwork": paperwork, "reading": reading, "old": old},
            practice,
        )


# ---------------------------------------------------------------------------- helpers


def data_of(call: Call, label: str) -> str:
    """Return the callback data of the button whose label contains label."""
    for b in call.buttons:
        if label in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {[b['text'] for b in call.buttons]}")


def documents(calls: list[Call]) -> dict[str, bytes]:
    """Return the files kopi sent, by extension."""
    found: dict[str, bytes] = {}
    for call in calls:
        if call.method == "sendDocument" and call.error is None:
            name, content, _ = call.files["document"]
            found[name.rsplit(".", 1)[1]] = content
    return found


def sheet_rows(content: bytes, sheet: str) -> list[list[object]]:
    """Return a sheet's rows (the header first) as plain values."""
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def pdf_text(content: bytes) -> str:
    """Return the PDF's text, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def edited(calls: list[Call]) -> list[str]:
    """Return the texts kopi edited its messages to, in order (as sent, before later edits)."""
    return [
        str(c.params["text"]) for c in calls if c.method == "editMessageText" and c.error is None
    ]


def has_force_reply(call: Call) -> bool:
    markup = call.params.get("reply_markup")
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return bool(markup and markup.get("force_reply"))


# ---------------------------------------------------------------------------- tests


async def test_a_facilitator_gets_the_semester_report_as_two_documents(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    calls = await kopi.process(fake.message(budi, joined, "/laporan"))
    choice = calls[-1]
    assert "Laporan komunitas" in choice.text
    labels = [b["text"] for b in choice.buttons]
    assert labels == [
        "🗓 Bulan ini (November 2026)",
        "📚 Semester ini (Juli–Desember 2026)",
        "✏️ Periode lain",
    ]

    calls = await kopi.process(
        fake.press(budi, fake.message_of(choice), data_of(choice, "Semester"))
    )
    edits = edited(calls)
    assert edits[0].startswith("⏳ Menyiapkan laporan 1 Juli – 31 Desember 2026… 1/3")
    assert any("2/3" in e for e in edits) and any("3/3" in e for e in edits)
    assert edits[-1] == (
        "✅ Laporan 1 Juli – 31 Desember 2026 sudah siap: 3 keresahan, 1 praktik baik, "
        "2 pertemuan, 2 refleksi yang dibagikan."
    )
    sent = [c for c in calls if c.method == "sendDocument"]
    assert [c.files["document"][0] for c in sent] == [
        "laporan-guru-penggerak-smpn-1-2026-07-01-2026-12-31.xlsx",
        "laporan-guru-penggerak-smpn-1-2026-07-01-2026-12-31.pdf",
    ]
    assert sent[1].text == (
        "📄 Laporan Komunitas Praktisi Guru Penggerak SMPN 1, 1 Juli – 31 Desember 2026"
    )
    # The progress message is the former choice: its buttons are gone.
    assert fake.message_of(choice).get("reply_markup") is None

    files = documents(calls)
    concerns = sheet_rows(files["xlsx"], "Keresahan")
    assert concerns[0][:7] == [
        "No.",
        "Tanggal",
        "Keresahan",
        "Tagar",
        "Oleh",
        "Saya juga",
        "Status",
    ]
    by_text = {row[2]: row for row in concerns[1:]}
    assert set(by_text) == {
        "Siswa kelas 7 sulit memahami pecahan",
        "Beban administrasi membuat persiapan mengajar kurang",
        "Minat membaca siswa rendah",
    }
    fractions = by_text["Siswa kelas 7 sulit memahami pecahan"]
    assert fractions[3:8] == [
        "numerasi",
        "Sari",
        3,
        "Dibahas",
        "Pakai blok pecahan dan permainan kartu",
    ]
    assert fractions[1] == datetime(2026, 9, 3, 10, 0)  # 03:00 UTC is 10:00 WIB
    assert by_text["Beban administrasi membuat persiapan mengajar kurang"][4] == "Tanpa nama"

    text = pdf_text(files["pdf"])
    assert "Laporan Komunitas Praktisi" in text
    assert "Guru Penggerak SMPN 1" in text
    for section in ("Pertemuan dan kehadiran", "Pemetaan masalah", "Sorotan refleksi", "Proyek"):
        assert section in text
    for absent in ("RAHASIA", "KOMUNITAS-LAIN", "SEMESTER-LALU", "Dewi", "DRAF"):
        assert absent not in text


async def test_a_member_is_refused_politely(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    calls = await kopi.process(fake.message(sari, joined, "/laporan"))
    assert [c.text for c in calls if c.method == "sendMessage"] == [
        "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    ]
    # A member pressing the facilitator's buttons gets the same answer, and nothing is made.
    choice = (await kopi.process(fake.message(budi, joined, "/laporan")))[-1]
    calls = await kopi.process(
        fake.press(sari, fake.message_of(choice), data_of(choice, "Bulan ini"))
    )
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers[0].params["text"] == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    assert [c.method for c in calls] == ["answerCallbackQuery"]  # nothing made, nothing edited


async def test_in_private_the_files_come_privately_and_go_to_the_group_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    private = fake.chats[budi["id"]].chat
    calls = await kopi.process(fake.message(budi, private, "/laporan bulan"))
    sent = [c for c in calls if c.method == "sendDocument"]
    assert len(sent) == 2 and {c.params["chat_id"] for c in sent} == {budi["id"]}
    done = [c for c in calls if c.method == "editMessageText"][-1]
    offer = data_of(done, "Kirim ke grup")
    message = dict(fake.message_of(done))  # as it was: the press edits it
    calls = await kopi.process(fake.press(budi, message, offer))
    sent = [c for c in calls if c.method == "sendDocument"]
    assert len(sent) == 2 and {c.params["chat_id"] for c in sent} == {joined["id"]}
    # A second press of the same button sends nothing more.
    calls = await kopi.process(fake.press(budi, message, offer))
    assert not [c for c in calls if c.method == "sendDocument"]
    # A member is refused in private too.
    await kopi.process(fake.message(sari, joined, "halo"))
    chat = fake.chats[sari["id"]].chat
    calls = await kopi.process(fake.message(sari, chat, "/laporan bulan"))
    assert not [c for c in calls if c.method == "sendDocument"]
    assert "fasilitator" in fake.last(chat).text or "facilitator" in fake.last(chat).text


async def test_another_period_is_asked_for_and_bad_dates_lose_nothing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    choice = (await kopi.process(fake.message(budi, joined, "/laporan")))[-1]
    calls = await kopi.process(
        fake.press(budi, fake.message_of(choice), data_of(choice, "Periode lain"))
    )
    prompt = calls[-1]
    assert has_force_reply(prompt)
    assert prompt.text.startswith("📅 Periode laporan\nBudi, tulis tanggal awal dan akhir")

    # Not two dates: kopi explains with an example and asks again.
    calls = await kopi.process(
        fake.message(budi, joined, "bulan Agustus saja", reply_to=fake.message_of(prompt))
    )
    again = calls[-1]
    assert has_force_reply(again)
    assert again.text.startswith("Maaf, tanggalnya belum saya pahami.")
    assert "1/8/2026 30/11/2026" in again.text
    assert not documents(calls)

    # Another chat member replying is refused and nothing is made.
    calls = await kopi.process(
        fake.message(sari, joined, "1/9/2026 30/9/2026", reply_to=fake.message_of(again))
    )
    assert not documents(calls)

    calls = await kopi.process(
        fake.message(budi, joined, "1/9/2026 - 30/9/2026", reply_to=fake.message_of(again))
    )
    files = documents(calls)
    assert set(files) == {"xlsx", "pdf"}
    concerns = sheet_rows(files["xlsx"], "Keresahan")
    assert [row[2] for row in concerns[1:]] == ["Siswa kelas 7 sulit memahami pecahan"]
    summary = dict((row[0], row[1]) for row in sheet_rows(files["xlsx"], "Ringkasan"))
    assert summary["Periode"] == "1 – 30 September 2026"

    # "batal" (cancel) to a prompt: nothing is made.
    calls = await kopi.process(fake.message(budi, joined, "/laporan"))
    calls = await kopi.process(
        fake.press(budi, fake.message_of(calls[-1]), data_of(calls[-1], "Periode lain"))
    )
    calls = await kopi.process(
        fake.message(budi, joined, "Batal", reply_to=fake.message_of(calls[-1]))
    )
    assert [c.text for c in calls] == ["Baik, dibatalkan. Tidak ada yang berubah."]


async def test_dates_can_follow_the_command(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    calls = await kopi.process(fake.message(budi, joined, "/laporan 1/11/2026 30/11/2026"))
    files = documents(calls)
    concerns = sheet_rows(files["xlsx"], "Keresahan")
    # Captured on 31 October at 18:00 UTC: 1 November in Jakarta.
    assert [row[2] for row in concerns[1:]] == ["Minat membaca siswa rendah"]

    calls = await kopi.process(fake.message(budi, joined, "/laporan 31/2/2026 1/3/2026"))
    assert calls[-1].text.startswith("Maaf, tanggalnya belum saya pahami.")
    assert len(calls[-1].buttons) == 3  # the periods, as buttons
    assert not documents(calls)

    calls = await kopi.process(fake.message(budi, joined, "/laporan bulan ini"))
    assert documents(calls)["xlsx"]
    assert "1 – 30 November 2026" in calls[-1].text


async def test_one_report_at_a_time_per_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON
) -> None:
    held = fake.hold("sendDocument", processed=False)
    first = asyncio.create_task(kopi.process(fake.message(budi, joined, "/laporan semester")))
    await fake.wait_for(lambda: bool(held.calls))
    # A second request while the first is being sent: kopi asks for patience.
    update = Update.de_json(fake.message(budi, joined, "/laporan semester"), kopi.app.bot)
    before = len(fake.calls)
    try:
        await kopi.app.update_processor.process_update(update, kopi.app.process_update(update))

        def said() -> list[str]:
            return [c.text for c in fake.calls[before:] if c.method == "sendMessage"]

        # The notice goes out through the group's outbox, not behind the report's files.
        await fake.wait_for(lambda: bool(said()))
        assert said() == ["⏳ Laporan komunitas ini sedang disiapkan. Mohon tunggu sebentar, ya."]
    finally:
        held.release()
    calls = await first
    assert len(documents(calls)) == 2
    # Once it is done, the next one is made.
    calls = await kopi.process(fake.message(budi, joined, "/laporan semester"))
    assert len(documents(calls)) == 2


async def test_a_failed_report_is_said_and_the_next_one_works(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail(lambda: ApiError(400, "Bad Request: file must be non-empty"), method="sendDocument")
    calls = await kopi.process(fake.message(budi, joined, "/laporan bulan"))
    edits = edited(calls)
    assert edits[-1] == "Maaf, laporannya gagal dibuat. Silakan coba lagi sebentar lagi."
    assert "report of community" in caplog.text
    calls = await kopi.process(fake.message(budi, joined, "/laporan bulan"))
    assert len(documents(calls)) == 2


async def test_documents_go_to_the_forum_topic_they_were_asked_in(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    forum = fake.add_group("Forum Guru", forum=True, admins=[budi])
    await kopi.process(fake.bot_added(forum, budi))
    calls = await kopi.process(fake.message(budi, forum, "/laporan semester", thread_id=77))
    sent = [c for c in calls if c.method in ("sendMessage", "sendDocument")]
    assert sent and all(c.params.get("message_thread_id") == 77 for c in sent)
    assert len(documents(calls)) == 2


async def test_english_groups_get_english_files(
    kopi: OfflineBot, fake: FakeTelegram, sari: JSON, budi: JSON
) -> None:
    group = fake.add_group("Teachers", admins=[sari], members=[budi])
    await kopi.process(fake.bot_added(group, sari))  # Sari's app speaks English
    calls = await kopi.process(fake.message(sari, group, "/report semester"))
    files = documents(calls)
    assert "Community of Practice Report" in pdf_text(files["pdf"])
    assert load_workbook(io.BytesIO(files["xlsx"])).sheetnames[:3] == [
        "Summary",
        "Concerns",
        "Good practices",
    ]
    assert calls[-1].text.startswith("✅ The report for 1 July – 31 December 2026 is ready")


async def test_a_deleted_progress_message_does_not_stop_the_report(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON
) -> None:
    fake.fail(
        lambda: ApiError(400, "Bad Request: message to edit not found"),
        method="editMessageText",
        times=None,
    )
    calls = await kopi.process(fake.message(budi, joined, "/laporan semester"))
    assert len(documents(calls)) == 2
    said = [c.text for c in calls if c.method == "sendMessage" and c.error is None]
    assert said[0].startswith("⏳ Menyiapkan laporan")
    assert said[-1].startswith("✅ Laporan 1 Juli – 31 Desember 2026 sudah siap")


# ---------------------------------------------------------------------------- redelivery

ALREADY = "ℹ️ Laporan untuk permintaan ini sudah dibuat sebelumnya. Perlu lagi? Ketik /laporan."


def again(update: JSON, times: int = 1) -> JSON:
    """Return the same Telegram message or press as a new delivery (another update id), as
    after a kill -9 before the update journal was written."""
    return {**update, "update_id": update["update_id"] + 1000 * times}


async def requests(db: DB) -> list[tuple[date, date, int | None, int | None, str | None]]:
    async with db() as session:
        rows = await session.scalars(select(ReportRequest).order_by(ReportRequest.id))
        return [
            (r.first_day, r.last_day, r.source_chat_id, r.source_message_id, r.source_query)
            for r in rows
        ]


async def test_a_redelivered_request_makes_and_sends_the_files_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    update = fake.message(budi, joined, "/laporan bulan")
    assert len(documents(await kopi.process(update))) == 2
    calls = await kopi.process(again(update))
    assert not documents(calls)
    assert [c.text for c in calls] == [ALREADY]  # no progress message, no edits, no files
    assert await kopi.process(update) == []  # the same update: the journal skips it
    november = (date(2026, 11, 1), date(2026, 11, 30))
    assert await requests(db) == [(*november, joined["id"], update["message"]["message_id"], None)]
    # The same words in a new message are a new request.
    assert len(documents(await kopi.process(fake.message(budi, joined, "/laporan bulan")))) == 2
    assert len(await requests(db)) == 2


async def test_a_redelivered_period_press_makes_the_report_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    choice = (await kopi.process(fake.message(budi, joined, "/laporan")))[-1]
    chosen = fake.press(budi, fake.message_of(choice), data_of(choice, "Bulan ini"))
    assert len(documents(await kopi.process(chosen))) == 2
    calls = await kopi.process(again(chosen))
    assert not documents(calls)
    assert [(c.method, c.params.get("text")) for c in calls] == [("answerCallbackQuery", ALREADY)]
    [(_, _, chat, message, query)] = await requests(db)
    assert (chat, message, query) == (None, None, chosen["callback_query"]["id"])


async def test_redelivered_dates_make_the_report_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    choice = (await kopi.process(fake.message(budi, joined, "/laporan")))[-1]
    other = fake.press(budi, fake.message_of(choice), data_of(choice, "Periode lain"))
    await kopi.process(other)
    dates = fake.message(budi, joined, "1/9/2026 30/9/2026")  # his next plain message
    assert len(documents(await kopi.process(dates))) == 2
    # Alone, the dates are plain chatter now; with the press, kopi asks again and knows them.
    assert await kopi.process(again(dates)) == []
    asked = await kopi.process(again(other))
    assert has_force_reply(asked[-1])
    calls = await kopi.process(again(dates, 2))
    assert not documents(calls)
    assert [c.text for c in calls] == [ALREADY]
    assert [(first, last) for first, last, *_ in await requests(db)] == [
        (date(2026, 9, 1), date(2026, 9, 30))
    ]
