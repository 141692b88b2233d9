"""The reflection's steps on the conversation core: each step is a `prompts` row, answered by the
next private message or a reply; "batal" closes it and keeps the draft; redeliveries and
restarts change nothing; an edit is a question too."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from handlers.reflections import notify_idle_drafts
from models.prompts import Prompt
from models.reflections import EDIT_PROMPT, STEP_PROMPT, ReflectionVoice
from tests.conftest import Clock
from tests.test_reflections import DB, choose, only_draft, pm, press, say, sent, write_all
from tests.test_reports import has_force_reply


async def prompts(db: DB) -> list[Prompt]:
    async with db() as session:
        return list(await session.scalars(select(Prompt)))


async def test_each_step_is_a_question_answered_by_the_next_message_or_a_reply(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    first = (await say(kopi, fake, budi, "/refleksi"))[-1]
    draft = await only_draft(db)
    [asked] = await prompts(db)
    assert (asked.chat_id, asked.speaker_id, asked.kind, asked.target_id) == (
        budi["id"],
        budi["id"],
        STEP_PROMPT,
        draft.id,
    )
    assert asked.prompt_message_id == first.result["message_id"]
    assert not has_force_reply(first)  # the step's buttons stay under the question
    assert [b["text"] for b in first.buttons] == ["⏭ Lewati", "⏸ Berhenti dulu"]
    # The next plain message answers it ...
    clock.advance(minutes=1)
    second = (await say(kopi, fake, budi, "Fakta biasa"))[-1]
    assert second.text.startswith("2/4 · Perasaan")
    [asked] = await prompts(db)
    assert asked.prompt_message_id == second.result["message_id"]  # the next question
    # ... and so does a reply to the question.
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "Perasaan lega", reply_to=fake.message_of(second))
    assert calls[-1].text.startswith("3/4 · Temuan")
    # A reply to a question already answered is not taken for the current one.
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "Jawaban lama", reply_to=fake.message_of(first))
    assert not any(c.text.startswith("4/4") for c in calls)
    draft = await only_draft(db)
    assert (draft.facts, draft.feelings, draft.findings, draft.step) == (
        "Fakta biasa",
        "Perasaan lega",
        None,
        "findings",
    )


async def test_cancel_closes_the_question_and_keeps_the_draft_to_resume(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    context = kopi.app.context_types.context(kopi.app)
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Fakta yang tetap")
    clock.advance(minutes=1)
    calls = await say(kopi, fake, budi, "batal")
    assert [c.text for c in calls] == [
        "⏸ Draf tersimpan. Lanjutkan kapan saja dengan /refleksi atau tombol di bawah."
    ]
    assert [b["callback_data"].split(":")[1] for b in calls[0].buttons] == ["res", "d"]
    assert await prompts(db) == []
    draft = await only_draft(db)
    assert (draft.status, draft.step, draft.facts) == ("draft", "feelings", "Fakta yang tetap")
    # Nothing waits now: the next message is not an answer, and no idle notice comes.
    clock.advance(minutes=1)
    assert not any(c.text.startswith("3/4") for c in await say(kopi, fake, budi, "Halo"))
    clock.advance(minutes=40)
    assert await notify_idle_drafts(context) == 0
    assert (await only_draft(db)).feelings is None
    # The button (or /refleksi) continues at the same step.
    calls = await press(kopi, fake, budi, calls[0], "rf:res:")
    assert calls[-1].text.startswith("2/4 · Perasaan")
    await say(kopi, fake, budi, "Senang lagi")
    assert (await only_draft(db)).feelings == "Senang lagi"


async def test_a_redelivered_step_answer_saves_nothing_twice(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    await say(kopi, fake, budi, "/refleksi")
    clock.advance(minutes=1)
    await say(kopi, fake, budi, "Fakta saya")
    clock.advance(minutes=1)
    voice = fake.message(budi, pm(fake, budi), voice=True)
    calls = sent(await kopi.process(voice))
    assert calls[-1].text.startswith("3/4 · Temuan")
    for update_id in (30_000, 30_001):  # delivered again under new update ids
        clock.advance(minutes=1)
        calls = sent(await kopi.process({**voice, "update_id": update_id}))
        assert calls[-1].text.startswith("3/4 · Temuan")  # the current question, asked again
    async with db() as session:
        voices = await session.scalar(select(func.count()).select_from(ReflectionVoice))
    assert voices == 1
    draft = await only_draft(db)
    assert (draft.facts, draft.findings, draft.step) == ("Fakta saya", None, "findings")
    assert len(await prompts(db)) == 1


async def test_a_restart_between_steps_loses_nothing(
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
    question = (await say(kopi, fake, budi, "Fakta sebelum restart"))[-1]
    await kopi.stop()
    clock.advance(minutes=5)
    again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        # A reply to the question asked before the restart, and then plain messages.
        calls = await say(
            again, fake, budi, "Perasaan setelah restart", reply_to=fake.message_of(question)
        )
        assert calls[-1].text.startswith("3/4 · Temuan")
        await again.stop()
        clock.advance(minutes=5)
        again = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
        for answer in ["Temuan", "Masa depan"]:
            clock.advance(minutes=1)
            calls = await say(again, fake, budi, answer)
        assert calls[-1].text.endswith("Bagaimana refleksi ini disimpan?")
        await choose(again, fake, budi, calls[-1], "p")
    finally:
        await again.stop()
    draft = await only_draft(db)
    assert (draft.status, draft.facts, draft.feelings, draft.findings, draft.future) == (
        "done",
        "Fakta sebelum restart",
        "Perasaan setelah restart",
        "Temuan",
        "Masa depan",
    )
    assert await prompts(db) == []


async def test_an_edit_is_a_question_that_cancel_closes(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, joined: JSON, budi: JSON, db: DB
) -> None:
    summary = await write_all(kopi, fake, clock, budi, ["A", "B", "C", "D"])
    await choose(kopi, fake, budi, summary, "p")
    draft = await only_draft(db)
    page = (await say(kopi, fake, budi, "/refleksisaya"))[-1]
    shown = (await press(kopi, fake, budi, page, f"rf:o:{draft.id}"))[-1]
    parts = (await press(kopi, fake, budi, shown, f"rf:e:{draft.id}"))[-1]
    question = (await press(kopi, fake, budi, parts, f"rf:ep:{draft.id}:feelings"))[-1]
    [asked] = await prompts(db)
    assert (asked.kind, asked.target_id, asked.payload) == (EDIT_PROMPT, draft.id, "feelings")
    calls = await say(kopi, fake, budi, "batal")
    assert [c.text for c in calls] == ["Baik, tidak ada yang diubah."]
    assert await prompts(db) == [] and (await only_draft(db)).feelings == "B"
    # Asked again, a reply to the question gives the part its new text, once.
    question = (await press(kopi, fake, budi, parts, f"rf:ep:{draft.id}:feelings"))[-1]
    clock.advance(minutes=1)
    answer = fake.message(budi, pm(fake, budi), "B baru", reply_to=fake.message_of(question))
    calls = sent(await kopi.process(answer))
    assert calls[-1].text.startswith("✅")
    clock.advance(minutes=1)
    await kopi.process({**answer, "update_id": 40_000})
    assert await prompts(db) == [] and (await only_draft(db)).feelings == "B baru"
