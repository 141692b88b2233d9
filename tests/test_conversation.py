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
    calls = await kopi.process(
        fake.message(budi, joined, "1/9/2026 30/9/2026", reply_to=prompt)
    )
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
