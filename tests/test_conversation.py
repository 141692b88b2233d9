"""The conversation core: one way to ask, answers by reply or as the next message, cancel,
restarts, edits that never run a command again, the migration of waiting questions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Group, all_answers
from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.agreements import Norm
from models.db import create_engine, upgrade
from models.prompts import Prompt
from tests.conftest import Clock
from tests.test_reports import data_of, documents, has_force_reply, seed

DB = async_sessionmaker[AsyncSession]


async def prompts(db: DB) -> list[Prompt]:
    async with db() as session:
        return list(await session.scalars(select(Prompt)))


async def ask_report_dates(kopi: OfflineBot, fake: FakeTelegram, budi: JSON, joined: JSON) -> JSON:
    choice = (await kopi.process(fake.message(budi, joined, "/laporan")))[-1]
    calls = await kopi.process(
        fake.press(budi, fake.message_of(choice), data_of(choice, "Periode lain"))
    )
    assert has_force_reply(calls[-1])
    return fake.message_of(calls[-1])


async def test_a_plain_next_message_answers_within_ten_minutes_only_from_the_person_asked(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    await ask_report_dates(kopi, fake, budi, joined)
    [waiting] = await prompts(db)
    assert (waiting.chat_id, waiting.speaker_id, waiting.kind) == (
        joined["id"],
        budi["id"],
        "report.dates",
    )
    # Sari's plain message is hers, not Budi's answer.
    calls = await kopi.process(fake.message(sari, joined, "1/9/2026 30/9/2026"))
    assert not documents(calls)
    assert len(await prompts(db)) == 1
    # Budi's next plain message (no reply) is the answer (the old dates prompt took replies only).
    clock.advance(minutes=9)
    calls = await kopi.process(fake.message(budi, joined, "1/9/2026 30/9/2026"))
    assert set(documents(calls)) == {"xlsx", "pdf"}
    assert await prompts(db) == []


async def test_a_plain_message_after_ten_minutes_is_chatter_but_a_reply_still_answers(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    prompt = await ask_report_dates(kopi, fake, budi, joined)
    clock.advance(minutes=11)
    calls = await kopi.process(fake.message(budi, joined, "1/9/2026 30/9/2026"))
    assert not documents(calls)
    calls = await kopi.process(fake.message(budi, joined, "1/9/2026 30/9/2026", reply_to=prompt))
    assert set(documents(calls)) == {"xlsx", "pdf"}


async def test_cancel_cancels_any_question_as_a_plain_message(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/norma tambah"))
    assert len(await prompts(db)) == 1
    calls = await kopi.process(fake.message(budi, joined, "batal"))
    assert [c.text for c in calls] == ["Baik, dibatalkan. Tidak ada yang berubah."]
    assert await prompts(db) == []
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Norm)) == 0


async def test_a_restart_loses_no_question_and_plain_answers_still_count(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    settings: Settings,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    await ask_report_dates(kopi, fake, budi, joined)
    await kopi.stop()
    clock.advance(minutes=2)
    again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        calls = await again.process(fake.message(budi, joined, "1/9/2026 30/9/2026"))
        assert set(documents(calls)) == {"xlsx", "pdf"}
    finally:
        await again.stop()


async def test_a_redelivered_answer_saves_nothing_twice(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/norma tambah"))
    answer = fake.message(budi, joined, "Datang tepat waktu.")
    await kopi.process(answer)
    await kopi.process(answer)  # the same update again (the journal skips it) ...
    answer_copy = dict(answer)
    answer_copy["update_id"] = answer["update_id"] + 10_000  # ... and as a new delivery
    await kopi.process(answer_copy)
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Norm)) == 1


async def test_editing_a_command_never_runs_it_again(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    command = fake.message(budi, joined, "/norma tambah Saling menghormati.")
    await kopi.process(command)
    for n in range(3):
        calls = await kopi.process(fake.edit(command, f"/norma tambah Saling menghormati {n}."))
        assert calls == []
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Norm)) == 1

    await seed(db, joined["id"], budi["id"], sari["id"])
    report = fake.message(budi, joined, "/laporan bulan")
    assert documents(await kopi.process(report))
    for _ in range(3):
        assert await kopi.process(fake.edit(report, "/laporan bulan")) == []


async def test_an_edited_capture_is_still_followed(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    from models.capture import CaptureItem as Item

    message = fake.message(budi, joined, "Siswa sulit fokus #keresahan")
    await kopi.process(message)
    await kopi.process(fake.edit(message, "Siswa kelas 8 sulit fokus #keresahan"))
    async with db() as session:
        [item] = list(await session.scalars(select(Item)))
    assert item.text.startswith("Siswa kelas 8 sulit fokus")


def test_handler_groups_are_listed_once_in_run_order() -> None:
    assert list(Group) == sorted(Group)
    kinds = all_answers()
    assert {"norm.new", "aims.aims", "project.title", "report.dates"} <= set(kinds)


async def test_the_migration_moves_waiting_questions(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    try:
        await upgrade(engine, "0007")
        with sqlite3.connect(tmp_path / "old.db") as raw:
            raw.execute(
                "INSERT INTO communities (id, chat_id, title, chat_type, is_forum, timezone,"
                " language, active, created_at, updated_at) VALUES (1, -100, 'Guru',"
                " 'supergroup', 0, 'Asia/Jakarta', 'id', 1, '2026-11-30 08:00:00',"
                " '2026-11-30 08:00:00')"
            )
            raw.execute(
                "INSERT INTO agreement_inputs (community_id, speaker_id, kind, payload,"
                " prompt_message_id, created_at) VALUES (1, 42, 'project.aim', 'Pojok baca', 7,"
                " '2026-11-30 08:00:00')"
            )
        await upgrade(engine)
        async with async_sessionmaker(engine)() as session:
            [moved] = list(await session.scalars(select(Prompt)))
        assert (moved.chat_id, moved.speaker_id, moved.community_id) == (-100, 42, 1)
        assert (moved.kind, moved.payload) == ("project.aim", "Pojok baca")
        assert moved.prompt_message_id == 7
        assert moved.expires_at > moved.created_at
    finally:
        await engine.dispose()


@pytest.mark.parametrize("word", ["batal", "Cancel", "tidak jadi."])
def test_cancel_words(word: str) -> None:
    from handlers.conversation import is_cancel

    assert is_cancel(word)
    assert not is_cancel("batal rapat minggu ini")


# ---------------------------------------------------------------------------- an answer's options


async def notes_question(kopi: OfflineBot, kind: str = "test.notes") -> list[str]:
    """Install a question that collects notes until "selesai" (an Answering with every option)
    and /tanya to ask it in private; return the notes it collects."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import ApplicationHandlerStop, CommandHandler

    from handlers import conversation
    from handlers.common import reply
    from handlers.context import KopiContext
    from models.prompts import take_prompt

    notes: list[str] = []

    async def answer(
        update: Update, context: KopiContext, pending: Prompt, text: str
    ) -> conversation.Taken | None:
        message = update.message
        assert message is not None
        if text == "bukan":
            return conversation.DECLINED  # not a note: the features answer it
        if text == "selesai":
            async with context.db.begin() as session:
                if await take_prompt(session, pending.id):
                    await reply(update, context, f"{len(notes)} catatan")
            return None
        notes.append(text or ("(suara)" if message.voice else "?"))
        return conversation.OPEN  # one more note, or "selesai"

    async def cancelled(update: Update, context: KopiContext, pending: Prompt) -> None:
        await reply(update, context, "Catatan disimpan sampai di sini.")

    options = conversation.Answering(
        answer,
        any_message=True,
        cancelled=cancelled,
        keeps=lambda update: (
            update.callback_query is None
            and update.message is not None
            and (update.message.text or "").startswith("/bantuan")
        ),
    )

    async def tanya(update: Update, context: KopiContext) -> None:
        await conversation.ask(
            update,
            context,
            None,
            lambda who: "Tulis catatan, lalu <b>selesai</b>.",
            kind=kind,
            markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Selesai", callback_data="test:done")]]
            ),
            lead=["Pengantar."],
        )
        raise ApplicationHandlerStop

    app = kopi.app
    [old] = app.handlers[Group.PROMPTS]
    app.remove_handler(old, group=Group.PROMPTS)
    app.add_handler(conversation.dispatcher({**all_answers(), kind: options}), group=Group.PROMPTS)
    app.add_handler(CommandHandler("tanya", tanya), group=Group.FEATURES - 1)
    return notes


async def test_an_answer_may_keep_its_question_open_over_several_messages(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    notes = await notes_question(kopi)
    private = fake.chats[budi["id"]].chat
    calls = await kopi.process(fake.message(budi, private, "/tanya"))
    lead, question = calls[-2:]
    assert lead.text == "Pengantar." and lead.buttons == []
    assert [b["text"] for b in question.buttons] == ["Selesai"] and not has_force_reply(question)
    [waiting] = await prompts(db)
    assert waiting.prompt_message_id == question.result["message_id"]
    for update in (
        fake.message(budi, private, "satu"),
        fake.message(budi, private, "dua", reply_to=fake.message_of(question)),
        fake.message(budi, private, voice=True),  # any message: no text needed
        fake.message(budi, private, "/bantuan"),  # a command it keeps
        fake.message(budi, private, "tiga"),
    ):
        clock.advance(minutes=1)
        await kopi.process(update)
    # "bukan" is declined: it goes on to the features (private chat's offer), the question stays.
    calls = await kopi.process(fake.message(budi, private, "bukan"))
    assert calls and calls[-1].text.startswith("Terima kasih, Bapak/Ibu. Mau kopi")
    await kopi.process(fake.message(budi, private, "empat"))
    calls = await kopi.process(fake.message(budi, private, "selesai"))
    assert [c.text for c in calls] == ["5 catatan"]
    assert notes == ["satu", "dua", "(suara)", "tiga", "empat"]
    assert await prompts(db) == []


async def test_another_command_closes_a_question_that_keeps_only_some_and_cancel_says_its_own(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, settings: Settings, budi: JSON, db: DB
) -> None:
    notes = await notes_question(kopi)
    private = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, private, "/tanya"))
    await kopi.process(fake.message(budi, private, "satu"))
    await kopi.process(fake.message(budi, private, "/perintahlain"))  # turned to something else
    assert await prompts(db) == []
    calls = await kopi.process(fake.message(budi, private, "bukan catatan"))
    assert calls[-1].text.startswith("Terima kasih, Bapak/Ibu. Mau kopi")
    assert notes == ["satu"]
    # Open over a restart (the row is the question), and "batal" says what it kept.
    await kopi.process(fake.message(budi, private, "/tanya"))
    await kopi.stop()
    again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        notes = await notes_question(again)
        await again.process(fake.message(budi, private, "dua"))
        calls = await again.process(fake.message(budi, private, "batal"))
    finally:
        await again.stop()
    assert [c.text for c in calls] == ["Catatan disimpan sampai di sini."]
    assert notes == ["dua"] and await prompts(db) == []
