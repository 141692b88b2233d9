"""Projects: created step by step, joined and left, updates and status, scoped to a community."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.agreements import (
    Project,
    ProjectMember,
    ProjectUpdate,
    add_project,
    add_project_update,
    join_project,
)
from models.community import Community, upsert_person
from models.prompts import Prompt
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]


def data_of(call: Call, label: str) -> str:
    for b in call.buttons:
        if label in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {[b['text'] for b in call.buttons]}")


async def press(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, call: Call, label: str
) -> list[Call]:
    return await kopi.process(fake.press(user, fake.message_of(call), data_of(call, label)))


def toast(calls: list[Call]) -> str:
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, answers
    return str(answers[0].params.get("text") or "")


def prompt_of(calls: list[Call]) -> Call:
    def markup(call: Call) -> dict[str, object]:
        value = call.params.get("reply_markup")
        return json.loads(value) if isinstance(value, str) else dict(value or {})

    asked = [c for c in calls if c.method == "sendMessage" and markup(c).get("force_reply")]
    assert len(asked) == 1, [c.text for c in calls]
    return asked[0]


async def answer(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, chat: JSON, prompt: Call, text: str
) -> list[Call]:
    return await kopi.process(fake.message(user, chat, text, reply_to=fake.message_of(prompt)))


async def projects(db: DB) -> list[Project]:
    async with db() as session:
        return list(await session.scalars(select(Project).order_by(Project.id)))


async def involved(db: DB) -> list[int]:
    async with db() as session:
        rows = await session.scalars(select(ProjectMember).order_by(ProjectMember.id))
        return [m.person_id for m in rows]


async def timeline(db: DB) -> list[tuple[int | None, str, str | None]]:
    async with db() as session:
        rows = await session.scalars(select(ProjectUpdate).order_by(ProjectUpdate.id))
        return [(u.author_id, u.text, u.status) for u in rows]


async def create(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, chat: JSON, title: str, aim: str
) -> Call:
    """The user starts a project with /proyek baru <title>, answers the aim; return the detail."""
    prompt = prompt_of(await kopi.process(fake.message(user, chat, f"/proyek baru {title}")))
    await answer(kopi, fake, user, chat, prompt, aim)
    return fake.last(chat)


# ---------------------------------------------------------------------------- creating


async def test_a_member_creates_a_project_step_by_step_with_buttons(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "/proyek"))
    listing = fake.last(joined)
    assert listing.text.startswith("🧩 Belum ada proyek.")
    title_prompt = prompt_of(await press(kopi, fake, sari, listing, "Proyek baru"))
    assert title_prompt.text.startswith("Sari, apa judul proyeknya?")

    aim_prompt = prompt_of(
        await answer(kopi, fake, sari, joined, title_prompt, "Pojok Baca   Kelas 7")
    )
    assert aim_prompt.text.startswith("Sari, apa tujuan proyek Pojok Baca Kelas 7?")
    assert await projects(db) == []
    async with db() as session:
        [waiting] = list(await session.scalars(select(Prompt)))
        assert (waiting.kind, waiting.payload) == ("project.aim", "Pojok Baca Kelas 7")

    await answer(kopi, fake, sari, joined, aim_prompt, "Minat baca siswa tumbuh.")
    detail = fake.last(joined)
    assert detail.text.startswith("✅ Proyek Pojok Baca Kelas 7 dimulai.")
    assert "🧩 Proyek 1: Pojok Baca Kelas 7\n🎯 Minat baca siswa tumbuh.\n" in detail.text
    assert "📌 Status: 📝 Direncanakan\n👥 Terlibat (1): Sari" in detail.text
    assert "Dimulai oleh Sari, Kamis, 26 November 2026." in detail.text
    assert [b["text"] for b in detail.buttons] == [
        "🙋 Ikut terlibat",
        "🚪 Keluar",
        "📝 Tambah kabar",
        "🔄 Ubah status",
        "🧩 Semua proyek",
    ]
    [project] = await projects(db)
    assert (project.title, project.aim, project.status, project.created_by) == (
        "Pojok Baca Kelas 7",
        "Minat baca siswa tumbuh.",
        "planned",
        sari["id"],
    )
    assert await involved(db) == [sari["id"]]
    async with db() as session:
        assert list(await session.scalars(select(Prompt))) == []

    # Answering the title's question again (it was replaced by the aim's) creates nothing.
    await answer(kopi, fake, sari, joined, title_prompt, "Judul lain")
    assert len(await projects(db)) == 1


async def test_a_title_too_long_is_asked_again(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "/proyek baru " + "J" * 121))
    assert "121 karakter, sedangkan batasnya 120" in fake.last(joined).text
    prompt = prompt_of(await kopi.process(fake.message(sari, joined, "/proyek baru")))
    again = prompt_of(await answer(kopi, fake, sari, joined, prompt, "J" * 130))
    assert "130 karakter" in again.text
    aim = prompt_of(await answer(kopi, fake, sari, joined, again, "Kebun Sekolah"))
    await answer(kopi, fake, sari, joined, aim, "batal")
    assert fake.last(joined).text == "Baik, dibatalkan. Tidak ada yang berubah."
    assert await projects(db) == []


# ---------------------------------------------------------------------------- people


async def test_joining_and_leaving_are_idempotent(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    detail = await create(kopi, fake, sari, joined, "Kebun Sekolah", "Belajar IPA di kebun.")
    calls = await press(kopi, fake, budi, detail, "Ikut terlibat")
    assert toast(calls) == "Terima kasih! Bapak/Ibu kini terlibat di proyek ini."
    assert "👥 Terlibat (2): Sari, Budi Santoso" in fake.last(joined).text
    calls = await press(kopi, fake, budi, detail, "Ikut terlibat")
    assert toast(calls) == "Bapak/Ibu sudah terlibat di proyek ini."
    assert await involved(db) == [sari["id"], budi["id"]]

    calls = await press(kopi, fake, sari, detail, "Keluar")
    assert toast(calls) == "Bapak/Ibu tidak lagi tercatat terlibat di proyek ini."
    assert "👥 Terlibat (1): Budi Santoso" in fake.last(joined).text
    calls = await press(kopi, fake, sari, detail, "Keluar")
    assert toast(calls) == "Bapak/Ibu memang belum tercatat terlibat di proyek ini."
    assert await involved(db) == [budi["id"]]


# ---------------------------------------------------------------------------- updates, status


async def test_the_people_involved_add_updates_and_change_the_status(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
    clock: Clock,
) -> None:
    detail = await create(kopi, fake, budi, joined, "Literasi Pagi", "15 menit membaca.")
    # Sari is not involved (and not a facilitator): she joins first.
    calls = await press(kopi, fake, sari, detail, "Tambah kabar")
    assert toast(calls).startswith("Maaf, kabar dan status proyek diubah oleh yang terlibat")
    assert [c for c in calls if c.method == "sendMessage"] == []
    calls = await press(kopi, fake, sari, detail, "Ubah status")
    assert toast(calls).startswith("Maaf")
    await press(kopi, fake, sari, detail, "Ikut terlibat")

    clock.advance(days=3)
    await press(kopi, fake, sari, detail, "Ubah status")
    menu = fake.last(joined)
    assert menu.text.startswith("🔄 Status proyek Literasi Pagi sekarang 📝 Direncanakan.")
    assert [b["text"] for b in menu.buttons] == [
        "🚀 Berjalan",
        "⏸ Ditunda",
        "✅ Selesai",
        "⬅️ Kembali",
    ]
    calls = await press(kopi, fake, sari, menu, "Berjalan")
    assert toast(calls) == "Status proyek: 🚀 Berjalan"
    shown = fake.last(joined).text
    assert "📌 Status: 🚀 Berjalan" in shown
    assert "• Minggu, 29 November 2026 — Sari: status menjadi 🚀 Berjalan" in shown

    clock.advance(days=1)
    prompt = prompt_of(await press(kopi, fake, sari, fake.last(joined), "Tambah kabar"))
    assert "apa kabar terbaru proyek Literasi Pagi?" in prompt.text
    await answer(kopi, fake, sari, joined, prompt, "Sudah 20 siswa\nmembaca rutin.")
    news = fake.last(joined).text
    assert news.startswith("📝 Kabar baru proyek Literasi Pagi dari Sari.")
    assert (
        "🗒 Kabar terbaru\n• Senin, 30 November 2026 — Sari: Sudah 20 siswa membaca rutin." in news
    )
    assert await timeline(db) == [
        (sari["id"], "", "running"),
        (sari["id"], "Sudah 20 siswa\nmembaca rutin.", None),
    ]
    [project] = await projects(db)
    assert project.status == "running"


async def test_a_facilitator_may_change_the_status_without_being_involved(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    detail = await create(kopi, fake, sari, joined, "Bank Soal", "Soal HOTS bersama.")
    await press(kopi, fake, budi, detail, "Ubah status")
    await press(kopi, fake, budi, fake.last(joined), "Selesai")
    [project] = await projects(db)
    assert project.status == "done"
    assert await timeline(db) == [(budi["id"], "", "done")]


async def test_all_updates_are_sent_on_request_when_the_detail_shows_the_latest(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, clock: Clock
) -> None:
    detail = await create(kopi, fake, sari, joined, "Kelas Inspirasi", "Alumni bercerita.")
    for n in range(5):
        clock.advance(days=1)
        prompt = prompt_of(await press(kopi, fake, sari, fake.last(joined), "Tambah kabar"))
        await answer(kopi, fake, sari, joined, prompt, f"Kabar ke-{n + 1}")
    latest = fake.last(joined)
    assert "Kabar ke-5" in latest.text and "Kabar ke-3" in latest.text
    assert "Kabar ke-2" not in latest.text
    calls = await press(kopi, fake, sari, latest, "Semua kabar (5)")
    [history] = [c for c in calls if c.method == "sendMessage"]
    assert history.text.startswith("🗒 Semua kabar proyek Kelas Inspirasi\n• Jumat, 27 November")
    assert [f"Kabar ke-{n}" in history.text for n in range(1, 6)] == [True] * 5
    assert history.text.index("Kabar ke-1") < history.text.index("Kabar ke-5")
    assert detail.error is None


# ---------------------------------------------------------------------------- listing


async def test_the_listing_puts_running_projects_first_and_pages(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    async with db.begin() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        made = [
            await add_project(session, community.id, f"Proyek {n}", "Tujuan", None, clock.now)
            for n in range(1, 11)
        ]
        made[6].status = "running"
        made[2].status = "done"
    await kopi.process(fake.message(sari, joined, "/proyek"))
    listing = fake.last(joined)
    assert listing.text.startswith("🧩 Proyek komunitas (10)\n\n7. Proyek 7 — 🚀 Berjalan · 👥 0\n")
    assert "1. Proyek 1 — 📝 Direncanakan · 👥 0" in listing.text
    assert "Halaman 1 dari 2" in listing.text
    assert "3. Proyek 3" not in listing.text  # done: last, on the second page
    await press(kopi, fake, sari, listing, "Berikutnya")
    second = fake.last(joined)
    assert "3. Proyek 3 — ✅ Selesai · 👥 0" in second.text
    await press(kopi, fake, sari, second, "3. Proyek 3")
    assert fake.last(joined).text.startswith("🧩 Proyek 3: Proyek 3\n")

    await kopi.process(fake.message(sari, joined, "/proyek 7"))
    assert fake.last(joined).text.startswith("🧩 Proyek 7: Proyek 7\n")
    await kopi.process(fake.message(sari, joined, "/proyek 70"))
    assert fake.last(joined).text.startswith("Proyek nomor 70 tidak ada.")
    await kopi.process(fake.message(sari, joined, "/proyek apa"))
    assert fake.last(joined).text.startswith("Perintah proyek:")


async def test_another_groups_buttons_cannot_reach_a_project(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await create(kopi, fake, budi, joined, "Proyek Grup Satu", "Rahasia.")
    [project] = await projects(db)
    other = fake.add_group("Kombel Lain", admins=[sari])
    await kopi.process(fake.bot_added(other, budi))
    message = fake.message(None, other, "x")["message"]
    message["from"] = dict(fake.bot)
    datas = [f"pj:{k}:{project.id}" for k in "djqush"] + [f"pj:S:{project.id}:d"]
    message["reply_markup"] = {
        "inline_keyboard": [[{"text": d, "callback_data": d}] for d in datas]
    }
    fake.messages[(other["id"], message["message_id"])] = message
    for data in datas:
        calls = await kopi.process(fake.press(sari, message, data))
        assert toast(calls) == "Tombol ini sudah tidak berlaku."
        assert [c for c in calls if c.method in ("sendMessage", "editMessageText")] == []
    [project] = await projects(db)
    assert project.status == "planned"
    assert await involved(db) == [budi["id"]]
    assert await timeline(db) == []


async def test_in_private_proyek_lists_the_communitys_projects_and_new_ones_stay_in_the_group(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "halo"))  # she is a member now
    chat = fake.chats[sari["id"]].chat
    await kopi.process(fake.message(sari, chat, "/projects"))
    assert fake.last(chat).buttons
    await kopi.process(fake.message(sari, chat, "/projects new Garden"))
    assert fake.last(chat).text.startswith("This is done in the community's group")
    assert await projects(db) == []


async def test_the_largest_project_still_fits_one_message(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    async with db.begin() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        project = await add_project(session, community.id, "J" * 120, "T" * 1000, None, clock.now)
        for p in range(12):
            await upsert_person(session, 700_000 + p, first_name="Nama" * 16, last_name="Xy" * 32)
            await join_project(session, project, 700_000 + p, clock.now)
        for _ in range(3):
            await add_project_update(session, project, 700_000, clock.now, text="K" * 2000)
    await kopi.process(fake.message(sari, joined, "/proyek 1"))
    detail = fake.last(joined)
    assert detail.error is None and len(detail.text) <= 4096
    calls = await press(kopi, fake, sari, detail, "Ikut terlibat")
    [edited] = [c for c in calls if c.method == "editMessageText"]
    assert edited.error is None
    assert "👥 Terlibat (13)" in edited.text


async def test_a_project_written_in_emoji_still_fits_telegrams_count(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    async with db.begin() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        project = await add_project(session, community.id, "🌱" * 120, "🙏" * 1000, None, clock.now)
        for p in range(8):
            await upsert_person(session, 500_000 + p, first_name="🌻" * 60)
            await join_project(session, project, 500_000 + p, clock.now)
        for _ in range(3):
            await add_project_update(session, project, 500_000, clock.now, text="📚" * 2000)
    await kopi.process(fake.message(sari, joined, "/proyek 1"))
    detail = fake.last(joined)
    assert detail.error is None
    calls = await press(kopi, fake, sari, detail, "Ikut terlibat")
    [edited] = [c for c in calls if c.method == "editMessageText"]
    assert edited.error is None
    assert "👥 Terlibat (9)" in edited.text


# ---------------------------------------------------------------------------- redelivery

ALREADY = "ℹ️ Pesan ini sudah tersimpan sebelumnya, jadi tidak ada yang ditambahkan lagi."


def again(update: JSON, times: int = 1) -> JSON:
    """Return the same Telegram message or press as a new delivery (another update id), as
    after a kill -9 before the update journal was written."""
    return {**update, "update_id": update["update_id"] + 1000 * times}


def texts(calls: list[Call]) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


async def test_a_replayed_creation_starts_no_second_project(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    command = fake.message(sari, joined, "/proyek baru Pojok Baca")
    prompt_of(await kopi.process(command))
    aim = fake.message(sari, joined, "Minat baca siswa tumbuh.")  # her next plain message
    calls = await kopi.process(aim)
    assert texts(calls)[0].startswith("✅ Proyek Pojok Baca dimulai.")
    # After a crash both are delivered again: kopi asks for the aim again, then knows the answer.
    prompt_of(await kopi.process(again(command)))
    assert texts(await kopi.process(again(aim))) == [ALREADY]
    assert await kopi.process(aim) == []  # the same update: the journal skips it
    [project] = await projects(db)
    assert (project.number, project.source_chat_id, project.source_message_id) == (
        1,
        joined["id"],
        aim["message"]["message_id"],
    )
    assert await involved(db) == [sari["id"]]
    async with db() as session:
        assert list(await session.scalars(select(Prompt))) == []


async def test_redelivered_news_is_added_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    detail = await create(kopi, fake, sari, joined, "Literasi Pagi", "15 menit membaca.")
    news_press = fake.press(sari, fake.message_of(detail), data_of(detail, "Tambah kabar"))
    prompt_of(await kopi.process(news_press))
    news = fake.message(sari, joined, "Sudah 20 siswa membaca rutin.")
    assert texts(await kopi.process(news))[0].startswith("📝 Kabar baru proyek Literasi Pagi")
    # Alone, the answer is plain chatter now; with its press, kopi asks again and knows it.
    assert texts(await kopi.process(again(news))) == []
    prompt_of(await kopi.process(again(news_press)))
    assert texts(await kopi.process(again(news, 2))) == [ALREADY]
    assert await timeline(db) == [(sari["id"], "Sudah 20 siswa membaca rutin.", None)]


async def test_a_redelivered_status_press_does_not_turn_the_status_back(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    detail = await create(kopi, fake, sari, joined, "Kebun Sekolah", "Belajar IPA di kebun.")
    await press(kopi, fake, sari, detail, "Ubah status")
    menu = fake.last(joined)
    running = fake.press(sari, fake.message_of(menu), data_of(menu, "Berjalan"))
    assert toast(await kopi.process(running)) == "Status proyek: 🚀 Berjalan"
    await press(kopi, fake, sari, fake.last(joined), "Ubah status")
    await press(kopi, fake, sari, fake.last(joined), "Ditunda")
    # The first press delivered again: it was taken, so the project stays paused.
    calls = await kopi.process(again(running))
    assert toast(calls) == ALREADY
    assert texts(calls) == []
    [project] = await projects(db)
    assert project.status == "paused"
    assert await timeline(db) == [(sari["id"], "", "running"), (sari["id"], "", "paused")]


async def test_a_redelivered_join_changes_nothing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    detail = await create(kopi, fake, sari, joined, "Bank Soal", "Soal HOTS bersama.")
    join = fake.press(budi, fake.message_of(detail), data_of(detail, "Ikut terlibat"))
    await kopi.process(join)
    calls = await kopi.process(again(join))
    assert toast(calls) == "Bapak/Ibu sudah terlibat di proyek ini."
    assert await involved(db) == [sari["id"], budi["id"]]
