"""Aims and programme: set by a facilitator (in one line or step by step), seen in the group,
in private with /tujuan, and in /start."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.agreements import CommunityAim
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


def prompt_of(calls: list[Call]) -> Call:
    def markup(call: Call) -> dict[str, object]:
        value = call.params.get("reply_markup")
        return json.loads(value) if isinstance(value, str) else dict(value or {})

    asked = [c for c in calls if c.method == "sendMessage" and markup(c).get("force_reply")]
    assert len(asked) == 1, [c.text for c in calls]
    return asked[0]


def private(fake: FakeTelegram, user: JSON) -> JSON:
    return fake.chats[user["id"]].chat


async def aims_rows(db: DB) -> list[tuple[str, str, int | None]]:
    async with db() as session:
        rows = await session.scalars(select(CommunityAim).order_by(CommunityAim.id))
        return [(r.kind, r.text, r.written_by) for r in rows]


AIMS = "Meningkatkan literasi dan numerasi siswa melalui pembelajaran berdiferensiasi."
PROGRAMME = "Januari: asesmen diagnostik\nFebruari: lokakarya P5"


async def test_a_facilitator_sets_aims_in_one_line_and_the_programme_step_by_step(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "/tujuan"))
    empty = fake.last(joined)
    assert empty.text.startswith("🎯 Tujuan Guru Penggerak SMPN 1\nBelum ditulis.")
    assert "Fasilitator dapat menuliskannya dengan tombol di bawah." in empty.text
    assert [b["text"] for b in empty.buttons] == ["✏️ Ubah tujuan", "✏️ Ubah program"]

    await kopi.process(fake.message(budi, joined, f"/tujuan atur {AIMS}"))
    saved = fake.last(joined).text
    assert saved.startswith("✅ Tujuan komunitas disimpan.\n\n🎯 Tujuan Guru Penggerak SMPN 1\n")
    assert f"{AIMS}\n(Budi Santoso, Kamis, 26 November 2026)" in saved

    prompt = prompt_of(await press(kopi, fake, budi, empty, "Ubah program"))
    assert "silakan tulis program komunitas ini" in prompt.text
    await kopi.process(fake.message(budi, joined, PROGRAMME, reply_to=fake.message_of(prompt)))
    assert fake.last(joined).text.startswith("✅ Program komunitas disimpan.")

    await kopi.process(fake.message(sari, joined, "/tujuan"))
    shown = fake.last(joined).text
    assert f"🎯 Tujuan Guru Penggerak SMPN 1\n{AIMS}\n" in shown
    assert f"🗓 Program\n{PROGRAMME}\n(Budi Santoso, Kamis, 26 November 2026)" in shown
    assert "Fasilitator dapat" not in shown
    assert await aims_rows(db) == [("aims", AIMS, budi["id"]), ("programme", PROGRAMME, budi["id"])]


async def test_a_new_text_replaces_the_shown_one_and_the_old_stays_in_history(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    await kopi.process(fake.message(budi, joined, "/tujuan atur Tujuan lama"))
    clock.advance(days=40)
    await kopi.process(fake.message(budi, joined, "/tujuan set Tujuan baru"))
    await kopi.process(fake.message(budi, joined, "/tujuan"))
    shown = fake.last(joined).text
    assert "Tujuan baru\n(Budi Santoso, Selasa, 5 Januari 2027)" in shown
    assert "Tujuan lama" not in shown
    assert [text for _, text, _ in await aims_rows(db)] == ["Tujuan lama", "Tujuan baru"]


async def test_members_see_but_do_not_change(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "/tujuan atur Bebas PR"))
    assert fake.last(joined).text == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    await kopi.process(fake.message(sari, joined, "/tujuan"))
    calls = await press(kopi, fake, sari, fake.last(joined), "Ubah tujuan")
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers[0].params["text"] == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    assert [c for c in calls if c.method == "sendMessage"] == []
    assert await aims_rows(db) == []
    async with db() as session:
        assert list(await session.scalars(select(Prompt))) == []


async def test_a_facilitator_who_lost_the_role_cannot_answer(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB, clock: Clock
) -> None:
    prompt = prompt_of(await kopi.process(fake.message(budi, joined, "/tujuan atur")))
    fake.set_status(joined, budi, "member")
    clock.advance(minutes=6)  # past the admin cache
    await kopi.process(fake.message(budi, joined, "Apa saja", reply_to=fake.message_of(prompt)))
    assert fake.last(joined).text == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    assert await aims_rows(db) == []


async def test_unknown_words_get_the_usage(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/tujuan hapus semuanya"))
    assert fake.last(joined).text.startswith("Perintah tujuan:\n/tujuan — lihat")
    assert await aims_rows(db) == []


async def test_start_and_private_tujuan_show_the_aims_of_my_communities_only(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(budi, joined, f"/tujuan atur {AIMS}"))
    other = fake.add_group("Kombel SD Lain", admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    await kopi.process(fake.message(budi, other, "/tujuan atur Rahasia kombel lain"))
    await kopi.process(fake.message(sari, joined, "Halo"))  # Sari belongs to the first only

    await kopi.process(fake.message(sari, private(fake, sari), "/start"))
    welcome = fake.last(sari["id"]).text
    assert welcome.endswith(f"🎯 Your communities' aims\n• Guru Penggerak SMPN 1: {AIMS}")
    assert "Rahasia" not in welcome

    await kopi.process(fake.message(budi, private(fake, budi), "/start"))
    welcome = fake.last(budi["id"]).text
    assert "🎯 Tujuan komunitas Bapak/Ibu\n" in welcome
    assert "• Kombel SD Lain: Rahasia kombel lain" in welcome

    await kopi.process(fake.message(sari, private(fake, sari), "/aims"))
    overview = fake.last(sari["id"]).text
    assert overview.startswith(f"🎯 Guru Penggerak SMPN 1\n{AIMS}\n")
    assert "🗓 Programme\nNot written yet." in overview
    assert "Rahasia" not in overview


async def test_start_without_aims_adds_nothing_and_private_tujuan_without_communities(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON
) -> None:
    await kopi.process(fake.message(budi, private(fake, budi), "/start"))
    assert "🎯" not in fake.last(budi["id"]).text
    loner = fake.add_user("Wati")
    await kopi.process(fake.message(loner, private(fake, loner), "/tujuan"))
    assert fake.last(loner["id"]).text.startswith("Bapak/Ibu belum tergabung di komunitas")


async def test_too_long_aims_are_refused_kindly(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/tujuan atur " + "a" * 1501))
    assert "1501 karakter, sedangkan batasnya 1500" in fake.last(joined).text
    assert await aims_rows(db) == []


# ---------------------------------------------------------------------------- redelivery

ALREADY = "ℹ️ Pesan ini sudah tersimpan sebelumnya, jadi tidak ada yang ditambahkan lagi."


def again(update: JSON, times: int = 1) -> JSON:
    """Return the same Telegram message as a new delivery (another update id), as after a
    kill -9 before the update journal was written."""
    return {**update, "update_id": update["update_id"] + 1000 * times}


def texts(calls: list[Call]) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


async def test_a_redelivered_message_neither_adds_aims_nor_brings_old_ones_back(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    first = fake.message(budi, joined, "/tujuan atur Tujuan lama")
    await kopi.process(first)
    second = fake.message(budi, joined, "/tujuan atur Tujuan baru")
    await kopi.process(second)
    # Both are delivered again after a crash: the first would otherwise be current once more.
    assert texts(await kopi.process(again(first))) == [ALREADY]
    assert texts(await kopi.process(again(second))) == [ALREADY]
    assert await kopi.process(first) == []  # the same update: the journal skips it
    assert await aims_rows(db) == [
        ("aims", "Tujuan lama", budi["id"]),
        ("aims", "Tujuan baru", budi["id"]),
    ]
    async with db() as session:
        keys = (await session.execute(select(CommunityAim.source_message_id))).scalars().all()
    assert sorted(keys) == [first["message"]["message_id"], second["message"]["message_id"]]
    await kopi.process(fake.message(sari, joined, "/tujuan"))
    assert "Tujuan baru\n(Budi Santoso" in fake.last(joined).text


async def test_a_redelivered_answer_writes_the_programme_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    command = fake.message(budi, joined, "/tujuan program")
    prompt_of(await kopi.process(command))
    answer = fake.message(budi, joined, PROGRAMME)  # his next plain message
    await kopi.process(answer)
    # Delivered again alone: the question was answered, so it is plain chatter.
    assert texts(await kopi.process(again(answer))) == []
    # The command and the answer delivered again: kopi asks again, then knows the answer.
    prompt_of(await kopi.process(again(command)))
    assert texts(await kopi.process(again(answer, 2))) == [ALREADY]
    assert await aims_rows(db) == [("programme", PROGRAMME, budi["id"])]
    async with db() as session:
        assert list(await session.scalars(select(Prompt))) == []
