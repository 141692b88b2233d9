"""Norms: proposing (in one line and step by step), agreeing, revising with history, retiring."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.agreements import (
    Norm,
    NormAgreement,
    NormVersion,
    add_norm,
    agree,
    revise_norm,
)
from models.community import Community, upsert_person
from models.prompts import Prompt
from tests.conftest import Clock

DB = async_sessionmaker[AsyncSession]


# ---------------------------------------------------------------------------- helpers


def data_of(call: Call, label: str) -> str:
    """Return the callback data of the button whose label contains label."""
    for b in call.buttons:
        if label in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {[b['text'] for b in call.buttons]}")


async def press(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, call: Call, label: str
) -> list[Call]:
    """The user presses the button labelled label on the message of call; return kopi's calls."""
    return await kopi.process(fake.press(user, fake.message_of(call), data_of(call, label)))


def toast(calls: list[Call]) -> str:
    """Return what kopi answered to a button press."""
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, answers
    return str(answers[0].params.get("text") or "")


def param(call: Call, name: str) -> dict[str, object]:
    """Return a JSON parameter of a call as a dict."""
    value = call.params.get(name)
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def prompt_of(calls: list[Call]) -> Call:
    """Return kopi's question (a message with a selective ForceReply)."""
    asked = [
        c
        for c in calls
        if c.method == "sendMessage"
        and c.error is None
        and param(c, "reply_markup").get("force_reply")
    ]
    assert len(asked) == 1, [c.text for c in calls]
    return asked[0]


async def answer(
    kopi: OfflineBot, fake: FakeTelegram, user: JSON, chat: JSON, prompt: Call, text: str
) -> list[Call]:
    """The user replies to kopi's question."""
    return await kopi.process(fake.message(user, chat, text, reply_to=fake.message_of(prompt)))


async def norms(db: DB) -> list[Norm]:
    async with db() as session:
        return list(await session.scalars(select(Norm).order_by(Norm.id)))


async def versions(db: DB) -> list[tuple[int, int, str]]:
    async with db() as session:
        rows = await session.scalars(select(NormVersion).order_by(NormVersion.id))
        return [(v.norm_id, v.version, v.text) for v in rows]


async def agreements(db: DB) -> list[tuple[int, int, datetime]]:
    """Return (version, person, when) of every agreement."""
    async with db() as session:
        rows = await session.execute(
            select(NormVersion.version, NormAgreement.person_id, NormAgreement.agreed_at)
            .join(NormVersion, NormVersion.id == NormAgreement.version_id)
            .order_by(NormAgreement.id)
        )
        return [(v, p, at) for v, p, at in rows]


async def pending(db: DB) -> list[Prompt]:
    async with db() as session:
        return list(await session.scalars(select(Prompt)))


async def propose(kopi: OfflineBot, fake: FakeTelegram, budi: JSON, chat: JSON, text: str) -> Call:
    """Budi proposes a norm in one line; return kopi's card."""
    await kopi.process(fake.message(budi, chat, f"/norma tambah {text}"))
    return fake.last(chat)


# ---------------------------------------------------------------------------- proposing


async def test_a_facilitator_proposes_in_one_line_and_members_agree(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    card = await propose(kopi, fake, budi, joined, "Datang tepat waktu,\nsaling menghargai.")

    assert card.text.startswith("📜 Usulan norma 1 dari Budi Santoso. Bapak/Ibu setuju?")
    assert "Datang tepat waktu,\nsaling menghargai." in card.text
    assert "Belum ada yang menyatakan setuju." in card.text
    assert [b["text"] for b in card.buttons] == ["✅ Setuju", "🔎 Rincian"]
    [norm] = await norms(db)
    assert (norm.number, norm.version, norm.status, norm.created_by) == (
        1,
        1,
        "active",
        budi["id"],
    )
    assert await versions(db) == [(norm.id, 1, "Datang tepat waktu,\nsaling menghargai.")]

    calls = await press(kopi, fake, sari, card, "Setuju")
    # The group speaks Indonesian, whatever Sari's own app language.
    assert toast(calls) == "Terima kasih! Persetujuan Bapak/Ibu untuk norma 1 tercatat."
    edited = fake.last(joined)
    assert edited.method == "editMessageText"
    assert "✅ 1 setuju: Sari" in edited.text
    assert edited.text.startswith("📜 Norma 1\n")

    clock.advance(days=1)
    await press(kopi, fake, budi, edited, "Setuju")
    assert "✅ 2 setuju: Sari, Budi Santoso" in fake.last(joined).text
    assert await agreements(db) == [
        (1, sari["id"], datetime(2026, 11, 26, 7, 0, tzinfo=UTC)),
        (1, budi["id"], datetime(2026, 11, 27, 7, 0, tzinfo=UTC)),
    ]


async def test_agreeing_twice_changes_nothing_and_says_since_when(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    card = await propose(kopi, fake, budi, joined, "Kamera menyala saat rapat daring.")
    await press(kopi, fake, sari, card, "Setuju")
    clock.advance(days=2)
    calls = await press(kopi, fake, sari, card, "Setuju")
    assert toast(calls) == "Bapak/Ibu sudah menyetujui norma 1 pada Kamis, 26 November 2026."
    assert len(await agreements(db)) == 1


async def test_only_facilitators_propose(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(sari, joined, "/norma tambah Semua wajib piket"))
    assert fake.last(joined).text == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."

    await kopi.process(fake.message(sari, joined, "/norma"))
    listing = fake.last(joined)
    calls = await press(kopi, fake, sari, listing, "Usulkan norma")
    assert toast(calls) == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    assert [c for c in calls if c.method == "sendMessage"] == []
    assert await norms(db) == []
    assert await pending(db) == []


async def test_step_by_step_the_answer_is_a_reply_to_kopis_question(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    command = fake.message(budi, joined, "/norma tambah")
    prompt = prompt_of(await kopi.process(command))

    assert prompt.text.startswith("Budi, silakan tulis norma yang Bapak/Ibu usulkan.")
    assert "ketik batal" in prompt.text
    assert param(prompt, "reply_markup") == {"force_reply": True, "selective": True}
    # Replying to Budi's command makes the selective ForceReply reach him (and only him).
    assert param(prompt, "reply_parameters")["message_id"] == (command["message"]["message_id"])
    [waiting] = await pending(db)
    assert (waiting.speaker_id, waiting.kind, waiting.prompt_message_id) == (
        budi["id"],
        "norm.new",
        prompt.result["message_id"],
    )

    reply = fake.message(
        budi, joined, "HP disenyapkan saat diskusi.", reply_to=fake.message_of(prompt)
    )
    await kopi.process(reply)
    assert fake.last(joined).text.startswith("📜 Usulan norma 1 dari Budi Santoso.")
    assert [v[2] for v in await versions(db)] == ["HP disenyapkan saat diskusi."]
    assert await pending(db) == []

    # The same answer delivered again saves nothing twice.
    await kopi.process(reply)
    again = fake.message(
        budi, joined, "HP disenyapkan saat diskusi.", reply_to=fake.message_of(prompt)
    )
    await kopi.process(again)
    assert len(await norms(db)) == 1


async def test_a_question_from_a_button_survives_a_restart(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    db: DB,
    settings: Settings,
    clock: Clock,
) -> None:
    await kopi.process(fake.message(budi, joined, "/norma"))
    listing = fake.last(joined)
    assert listing.text.startswith("📜 Belum ada norma.")
    calls = await press(kopi, fake, budi, listing, "Usulkan norma")
    prompt = prompt_of(calls)
    # A button press has no message of Budi's to reply to: he is named, so ForceReply finds him.
    assert prompt.text.startswith("Budi, silakan tulis norma")
    assert f"tg://user?id={budi['id']}" in prompt.params["text"]
    assert "reply_parameters" not in prompt.params

    await kopi.stop()
    restarted = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        await answer(restarted, fake, budi, joined, prompt, "Saling mendengarkan.")
    finally:
        await restarted.stop()
    assert fake.last(joined).text.startswith("📜 Usulan norma 1 dari Budi Santoso.")
    assert [v[2] for v in await versions(db)] == ["Saling mendengarkan."]


async def test_batal_cancels_and_loses_nothing_else(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    prompt = prompt_of(await kopi.process(fake.message(budi, joined, "/norma tambah")))
    await answer(kopi, fake, budi, joined, prompt, "Batal")
    assert fake.last(joined).text == "Baik, dibatalkan. Tidak ada yang berubah."
    assert await pending(db) == []
    assert await norms(db) == []
    # After cancelling, a reply to the old question is just a message.
    await answer(kopi, fake, budi, joined, prompt, "Datang tepat waktu")
    assert await norms(db) == []


async def test_a_plain_next_message_counts_only_soon_and_only_from_the_asker(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
    clock: Clock,
) -> None:
    # With kopi as admin it reads every message; a teacher may answer without replying.
    await kopi.process(fake.message(budi, joined, "/norma tambah"))
    await kopi.process(fake.message(sari, joined, "Setuju, Pak!"))
    await kopi.process(fake.message(budi, joined, "#keresahan jam pelajaran terlalu padat"))
    assert await norms(db) == []
    await kopi.process(fake.message(budi, joined, "Menghormati waktu rekan."))
    assert [v[2] for v in await versions(db)] == ["Menghormati waktu rekan."]

    await kopi.process(fake.message(budi, joined, "/norma tambah"))
    clock.advance(minutes=11)
    await kopi.process(fake.message(budi, joined, "Ngomong-ngomong, rapat besok jam berapa?"))
    assert len(await norms(db)) == 1
    assert len(await pending(db)) == 1  # still waiting for a reply to the question


async def test_someone_elses_reply_to_the_question_is_not_taken(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    prompt = prompt_of(await kopi.process(fake.message(budi, joined, "/norma tambah")))
    await answer(kopi, fake, sari, joined, prompt, "Boleh terlambat")
    assert await norms(db) == []
    assert len(await pending(db)) == 1


async def test_a_text_too_long_is_asked_again_and_nothing_is_lost(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    prompt = prompt_of(await kopi.process(fake.message(budi, joined, "/norma tambah")))
    again = prompt_of(await answer(kopi, fake, budi, joined, prompt, "x" * 1001))
    assert "1001 karakter, sedangkan batasnya 1000" in again.text
    assert await norms(db) == []
    [waiting] = await pending(db)
    assert waiting.prompt_message_id == again.result["message_id"]

    await answer(kopi, fake, budi, joined, again, "Ringkas dan jelas.")
    assert [v[2] for v in await versions(db)] == ["Ringkas dan jelas."]

    await kopi.process(fake.message(budi, joined, "/norma tambah " + "y" * 1200))
    assert "1200 karakter" in fake.last(joined).text
    assert len(await norms(db)) == 1


async def test_an_anonymous_admin_proposes_as_the_group(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, db: DB
) -> None:
    await kopi.process(fake.message(None, joined, "/norma tambah Jujur", sender_chat=joined))
    assert fake.last(joined).text.startswith("📜 Usulan norma 1 dari fasilitator.")
    prompt = prompt_of(
        await kopi.process(fake.message(None, joined, "/norma tambah", sender_chat=joined))
    )
    assert prompt.text.startswith("Bapak/Ibu, silakan tulis norma")
    await kopi.process(
        fake.message(None, joined, "Peduli", sender_chat=joined, reply_to=fake.message_of(prompt))
    )
    assert [v[2] for v in await versions(db)] == ["Jujur", "Peduli"]
    assert [n.created_by for n in await norms(db)] == [None, None]


async def test_user_text_is_shown_as_written(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON
) -> None:
    card = await propose(kopi, fake, budi, joined, "<b>Tegas</b> & <i>ramah</i>")
    assert card.error is None
    assert "<b>Tegas</b> & <i>ramah</i>" in card.text


# ---------------------------------------------------------------------------- showing


async def test_the_listing_is_short_and_the_detail_lists_everyone_with_dates(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, clock: Clock
) -> None:
    card = await propose(kopi, fake, budi, joined, "Berbagi bahan ajar.")
    teachers = [fake.add_user(name) for name in ("Ani", "Dedi", "Eka", "Fajar", "Gita", "Hana")]
    for teacher in teachers:
        await press(kopi, fake, teacher, card, "Setuju")
        clock.advance(days=1)
    await propose(kopi, fake, budi, joined, "Tidak menghakimi.")

    await kopi.process(fake.message(budi, joined, "/norma"))
    listing = fake.last(joined)
    assert listing.text.startswith("📜 Norma komunitas (2)")
    assert "1. Berbagi bahan ajar.\n✅ 6 setuju: Ani, Dedi, Eka dan 3 lainnya" in listing.text
    assert "2. Tidak menghakimi.\nBelum ada yang menyatakan setuju." in listing.text
    labels = [b["text"] for b in listing.buttons]
    assert labels == ["✅ Setuju 1", "🔎 Norma 1", "✅ Setuju 2", "🔎 Norma 2", "➕ Usulkan norma"]

    await press(kopi, fake, budi, listing, "Setuju 2")
    assert "2. Tidak menghakimi.\n✅ 1 setuju: Budi Santoso" in fake.last(joined).text

    await press(kopi, fake, budi, fake.last(joined), "Norma 1")
    detail = fake.last(joined).text
    assert detail.startswith("📜 Norma 1\n\nBerbagi bahan ajar.")
    assert "Diusulkan oleh Budi Santoso, Kamis, 26 November 2026." in detail
    assert "✅ Setuju (6)\n• Ani — Kamis, 26 November 2026\n• Dedi — Jumat, 27 November 2026" in (
        detail
    )
    assert "• Hana — Selasa, 1 Desember 2026" in detail

    # /norma <number> shows the same detail as a new message.
    await kopi.process(fake.message(budi, joined, "/norma 1"))
    assert fake.last(joined).text == detail
    await kopi.process(fake.message(budi, joined, "/norma 9"))
    assert fake.last(joined).text.startswith("Norma nomor 9 tidak ada.")


async def test_a_very_long_agreement_list_is_cut_and_sent_in_full_on_request(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    card = await propose(kopi, fake, budi, joined, "Saling membantu.")
    async with db.begin() as session:
        norm = await session.scalar(select(Norm))
        assert norm is not None
        for n in range(400):
            await upsert_person(session, 900_000 + n, first_name=f"Guru Nomor {n:03d}")
            await agree(session, norm, 900_000 + n, datetime(2026, 11, 26, 8, tzinfo=UTC))
    calls = await press(kopi, fake, budi, card, "Rincian")
    detail = fake.last(joined)
    assert detail.error is None and len(detail.text) <= 4096
    assert "Setuju (400)" in detail.text
    assert "lainnya" in detail.text

    calls = await press(kopi, fake, budi, detail, "Semua yang setuju")
    parts = [c for c in calls if c.method == "sendMessage"]
    assert len(parts) >= 2 and all(c.error is None for c in parts)
    everything = "\n".join(c.text for c in parts)
    assert all(f"Guru Nomor {n:03d} —" in everything for n in range(400))


# ---------------------------------------------------------------------------- revising


async def test_revising_keeps_the_earlier_version_and_asks_for_agreement_again(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    card = await propose(kopi, fake, budi, joined, "Datang tepat waktu.")
    await press(kopi, fake, sari, card, "Setuju")
    clock.advance(days=7)

    await kopi.process(fake.message(budi, joined, "/norma 1"))
    detail = fake.last(joined)
    assert [b["text"] for b in detail.buttons] == [
        "✅ Setuju",
        "↩️ Tarik persetujuan",
        "✏️ Ubah",
        "🗄 Cabut",
        "📜 Semua norma",
    ]
    calls = await press(kopi, fake, sari, detail, "Ubah")
    assert toast(calls) == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    prompt = prompt_of(await press(kopi, fake, budi, detail, "Ubah"))
    assert "kata-kata baru untuk norma 1" in prompt.text
    assert "Sekarang: Datang tepat waktu." in prompt.text

    await answer(kopi, fake, budi, joined, prompt, "Datang 5 menit sebelum mulai.")
    revised = fake.last(joined)
    assert revised.text.startswith("✏️ Norma 1 diperbarui (versi 2) oleh Budi Santoso.")
    assert "persetujuan dimulai lagi" in revised.text
    assert "Belum ada yang menyatakan setuju." in revised.text
    [norm] = await norms(db)
    assert norm.version == 2
    assert [(v, t) for _, v, t in await versions(db)] == [
        (1, "Datang tepat waktu."),
        (2, "Datang 5 menit sebelum mulai."),
    ]
    assert [(v, p) for v, p, _ in await agreements(db)] == [(1, sari["id"])]

    # Sari taps the old card: she is shown the new words instead of agreeing to them unseen.
    calls = await press(kopi, fake, sari, card, "Setuju")
    assert toast(calls).startswith("Norma 1 sudah diubah sejak pesan ini dikirim.")
    assert [(v, p) for v, p, _ in await agreements(db)] == [(1, sari["id"])]
    refreshed = fake.last(joined)
    assert "Datang 5 menit sebelum mulai." in refreshed.text
    assert "versi 2" in refreshed.text
    await press(kopi, fake, sari, refreshed, "Setuju")
    assert [(v, p) for v, p, _ in await agreements(db)] == [(1, sari["id"]), (2, sari["id"])]

    await kopi.process(fake.message(budi, joined, "/norma 1"))
    detail_text = fake.last(joined).text
    assert "Versi ini ditulis oleh Budi Santoso, Kamis, 3 Desember 2026." in detail_text
    assert "Versi sebelumnya\nv1 (Kamis, 26 November 2026): Datang tepat waktu. — 1 setuju" in (
        detail_text
    )


async def test_the_same_words_change_nothing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    card = await propose(kopi, fake, budi, joined, "Jujur.")
    await press(kopi, fake, budi, card, "Rincian")
    prompt = prompt_of(await press(kopi, fake, budi, fake.last(joined), "Ubah"))
    await answer(kopi, fake, budi, joined, prompt, "Jujur.")
    assert fake.last(joined).text == "Kata-katanya sama dengan sebelumnya; norma tidak diubah."
    assert len(await versions(db)) == 1


async def test_withdrawing_an_agreement(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    card = await propose(kopi, fake, budi, joined, "Saling menyapa.")
    await press(kopi, fake, sari, card, "Setuju")
    await press(kopi, fake, sari, card, "Rincian")
    detail = fake.last(joined)
    calls = await press(kopi, fake, sari, detail, "Tarik persetujuan")
    assert toast(calls) == "Persetujuan Bapak/Ibu untuk norma 1 sudah ditarik."
    assert await agreements(db) == []
    assert "Belum ada yang menyatakan setuju." in fake.last(joined).text
    calls = await press(kopi, fake, sari, detail, "Tarik persetujuan")
    assert toast(calls) == "Bapak/Ibu belum menyetujui versi norma 1 ini."


# ---------------------------------------------------------------------------- retiring


async def test_retiring_keeps_the_norm_out_of_the_listing_with_its_history(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    card = await propose(kopi, fake, budi, joined, "Rapat tiap Senin.")
    await press(kopi, fake, sari, card, "Setuju")
    await propose(kopi, fake, budi, joined, "Berbagi praktik baik.")
    await kopi.process(fake.message(budi, joined, "/norma 1"))
    detail = fake.last(joined)

    calls = await press(kopi, fake, sari, detail, "Cabut")
    assert toast(calls) == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    await press(kopi, fake, budi, detail, "Cabut")
    confirm = fake.last(joined)
    assert confirm.text.startswith("🗄 Cabut norma 1?")
    assert [b["text"] for b in confirm.buttons] == ["🗄 Ya, cabut", "⬅️ Kembali"]
    clock.advance(days=30)
    calls = await press(kopi, fake, budi, confirm, "Ya, cabut")
    assert toast(calls) == "Norma 1 dicabut."
    retired = fake.last(joined)
    assert "Dicabut oleh Budi Santoso, Sabtu, 26 Desember 2026." in retired.text
    assert "✅ Setuju (1)\n• Sari" in retired.text
    assert [b["text"] for b in retired.buttons] == ["📜 Semua norma"]
    [norm, _] = await norms(db)
    assert (norm.status, norm.retired_by) == ("retired", budi["id"])
    assert norm.retired_at == datetime(2026, 12, 26, 7, 0, tzinfo=UTC)
    assert len(await agreements(db)) == 1  # kept

    calls = await press(kopi, fake, sari, card, "Setuju")
    assert toast(calls) == "Norma ini sudah dicabut."
    assert len(await agreements(db)) == 1

    await kopi.process(fake.message(budi, joined, "/norma"))
    listing = fake.last(joined)
    assert listing.text.startswith("📜 Norma komunitas (1)")
    assert "Rapat tiap Senin." not in listing.text
    assert "🗄 1 norma sudah dicabut." in listing.text
    await press(kopi, fake, sari, listing, "Norma yang dicabut")
    assert "1. Rapat tiap Senin. — dicabut Sabtu, 26 Desember 2026" in fake.last(joined).text

    # A second proposal gets the next number; numbers are never reused.
    await propose(kopi, fake, budi, joined, "Menjaga kerahasiaan data siswa.")
    assert fake.last(joined).text.startswith("📜 Usulan norma 3 ")


# ---------------------------------------------------------------------------- boundaries


async def test_another_groups_buttons_cannot_reach_a_norm(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await propose(kopi, fake, budi, joined, "Norma grup pertama.")
    [norm] = await norms(db)
    other = fake.add_group("Kombel SD 2", admins=[sari])
    await kopi.process(fake.bot_added(other, sari))
    # A message in the other group carrying buttons with this group's norm id.
    message = fake.message(None, other, "x")["message"]
    message["from"] = dict(fake.bot)
    datas = [f"nm:a:{norm.id}:1:c", f"nm:e:{norm.id}", f"nm:R:{norm.id}", f"nm:d:{norm.id}"]
    message["reply_markup"] = {
        "inline_keyboard": [[{"text": d, "callback_data": d}] for d in datas]
    }
    fake.messages[(other["id"], message["message_id"])] = message
    for data in datas:
        calls = await kopi.process(fake.press(sari, message, data))
        assert toast(calls) == "This button is no longer valid."  # Sari's group is English
        assert [c for c in calls if c.method in ("sendMessage", "editMessageText")] == []
    [norm] = await norms(db)
    assert (norm.status, norm.version) == ("active", 1)
    assert await agreements(db) == []
    assert await pending(db) == []

    await kopi.process(fake.message(sari, other, "/norma"))
    assert fake.last(other).text.startswith("📜 No norms yet.")


async def test_in_private_norma_shows_the_communitys_norms_to_read_and_agree(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    await kopi.process(fake.message(budi, joined, "/norma tambah Datang tepat waktu."))
    await kopi.process(fake.message(sari, joined, "halo"))  # she is a member now
    private = fake.chats[sari["id"]].chat
    await kopi.process(fake.message(sari, private, "/norma"))
    listing = fake.last(private)
    assert "Datang tepat waktu." in listing.text
    calls = await press(kopi, fake, sari, listing, "Agree 1")  # her app is English
    assert "1" in toast(calls)
    assert len(await agreements(db)) == 1
    # Proposing stays in the group, where everyone sees it.
    await kopi.process(fake.message(budi, fake.chats[budi["id"]].chat, "/norma tambah Lain."))
    assert fake.last(fake.chats[budi["id"]].chat).text.startswith("Ini dilakukan di grup")
    assert len(await norms(db)) == 1


async def test_in_private_norma_without_a_community_explains(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    private = fake.chats[budi["id"]].chat
    calls = await kopi.process(fake.message(budi, private, "/norma"))
    assert [c for c in calls if c.method == "sendMessage"]
    assert "Datang" not in fake.last(private).text


async def test_an_english_group_gets_english(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, sari: JSON, db: DB
) -> None:
    fake.set_status(group, sari, "administrator")
    await kopi.process(fake.bot_added(group, sari))  # Sari's app is English: an English group
    await kopi.process(fake.message(sari, group, "/norms add Be kind."))
    card = fake.last(group)
    assert card.text.startswith("📜 Norm 1 proposed by Sari. Do you agree? Tap ✅ Agree.")
    calls = await press(kopi, fake, sari, card, "Agree")
    assert toast(calls) == "Thank you! Your agreement to norm 1 is recorded."
    await kopi.process(fake.message(sari, group, "/norms what"))
    assert fake.last(group).text.startswith("Norm commands:")
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(NormAgreement)) == 1


async def test_norms_are_numbered_per_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, db: DB
) -> None:
    async with db.begin() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        first = await add_norm(session, community.id, "A", None, datetime(2026, 1, 1, tzinfo=UTC))
        second = await add_norm(session, community.id, "B", None, datetime(2026, 1, 2, tzinfo=UTC))
        assert (first.number, second.number) == (1, 2)


async def test_a_long_norm_is_agreed_to_from_its_detail_not_from_the_shortened_listing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    long_text = "Setiap anggota menyiapkan bahan diskusi. " * 8
    await propose(kopi, fake, budi, joined, long_text.strip())
    await kopi.process(fake.message(sari, joined, "/norma"))
    listing = fake.last(joined)
    assert "…" in listing.text
    assert [b["text"] for b in listing.buttons] == ["🔎 Norma 1", "➕ Usulkan norma"]
    await press(kopi, fake, sari, listing, "Norma 1")
    detail = fake.last(joined)
    assert long_text.strip() in detail.text
    await press(kopi, fake, sari, detail, "Setuju")
    assert len(await agreements(db)) == 1


async def test_buttons_with_impossible_ids_are_expired(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: DB
) -> None:
    message = fake.message(None, joined, "x")["message"]
    message["from"] = dict(fake.bot)
    datas = [
        "nm:d:99999999999999999999",
        "nm:a:-1:1:c",
        "nm:a:x:1:c",
        "nm:l:zz",
        "pj:l:zz",
        "pj:d:4294967296",
    ]
    message["reply_markup"] = {
        "inline_keyboard": [[{"text": d, "callback_data": d}] for d in datas]
    }
    fake.messages[(joined["id"], message["message_id"])] = message
    for data in datas:
        calls = await kopi.process(fake.press(sari, message, data))
        assert toast(calls) == "Tombol ini sudah tidak berlaku."


async def test_in_a_forum_topic_the_question_and_the_norm_stay_in_the_topic(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON, sari: JSON, db: DB
) -> None:
    forum = fake.add_group("Kombel Forum", forum=True, admins=[budi], members=[sari])
    await kopi.process(fake.bot_added(forum, budi))
    calls = await kopi.process(fake.message(budi, forum, "/norma tambah", thread_id=7))
    prompt = prompt_of(calls)
    assert prompt.params["message_thread_id"] == 7
    reply = fake.message(
        budi, forum, "Diskusi di topik yang sesuai.", thread_id=7, reply_to=fake.message_of(prompt)
    )
    await kopi.process(reply)
    card = fake.last(forum)
    assert card.text.startswith("📜 Usulan norma 1")
    assert card.params["message_thread_id"] == 7
    calls = await press(kopi, fake, sari, card, "Setuju")
    assert toast(calls).startswith("Terima kasih!")


async def test_a_full_page_of_long_norms_with_long_names_fits_one_message(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    async with db.begin() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        when = datetime(2026, 11, 26, 8, tzinfo=UTC)
        for n in range(9):
            norm = await add_norm(
                session, community.id, f"Norma {n} " + "panjang " * 150, None, when
            )
            for p in range(4):
                person = 800_000 + p
                await upsert_person(session, person, first_name="Nama" * 16, last_name="Xy" * 32)
                await agree(session, norm, person, when)
    await kopi.process(fake.message(budi, joined, "/norma"))
    listing = fake.last(joined)
    calls = await press(kopi, fake, budi, listing, "Berikutnya")
    assert [c.error for c in calls if c.method == "editMessageText"] == [None]
    await press(kopi, fake, budi, fake.last(joined), "Sebelumnya")
    page = fake.last(joined)
    assert page.error is None and page.method == "editMessageText"
    assert "Halaman 1 dari 2" in page.text


async def test_plain_chatter_never_reads_the_questions_table(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    from sqlalchemy import event

    engine = kopi.services.db.kw["bind"]
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "prompts" in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        await kopi.process(fake.message(sari, joined, "Selamat pagi"))  # loads the hint once
        seen.clear()
        for n in range(20):
            await kopi.process(fake.message(sari, joined, f"Obrolan biasa {n}"))
        assert seen == []
        # Asking Budi writes the question; only Budi's plain messages look it up then.
        await kopi.process(fake.message(budi, joined, "/norma tambah"))
        seen.clear()
        await kopi.process(fake.message(sari, joined, "Obrolan lagi"))
        assert seen == []
        await kopi.process(fake.message(budi, joined, "Saling menghormati."))
        assert seen != []
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


async def test_a_plain_answer_right_after_a_restart_is_still_taken(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    db: DB,
    settings: Settings,
    clock: Clock,
) -> None:
    await kopi.process(fake.message(budi, joined, "/norma tambah"))
    await kopi.stop()
    clock.advance(minutes=2)
    restarted = await OfflineBot.start(settings, fake, clock=clock, migrate=False)
    try:
        await restarted.process(fake.message(budi, joined, "Rapat dimulai tepat waktu."))
    finally:
        await restarted.stop()
    assert [v[2] for v in await versions(db)] == ["Rapat dimulai tepat waktu."]


async def test_a_detail_full_of_emoji_names_fits_telegrams_utf16_count(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    card = await propose(kopi, fake, budi, joined, "Saling menyemangati 🙏")
    async with db.begin() as session:
        norm = await session.scalar(select(Norm))
        assert norm is not None
        for n in range(120):
            await upsert_person(session, 600_000 + n, first_name="🙏" * 30 + f" {n}")
            await agree(session, norm, 600_000 + n, datetime(2026, 11, 26, 8, tzinfo=UTC))
    calls = await press(kopi, fake, budi, card, "Rincian")
    [edited] = [c for c in calls if c.method == "editMessageText"]
    assert edited.error is None
    assert "Semua yang setuju" in [b["text"] for b in edited.buttons][-2]


async def test_a_page_of_norms_in_emoji_fits_and_only_whole_ones_are_agreed_from_it(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    async with db.begin() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        when = datetime(2026, 11, 26, 8, tzinfo=UTC)
        await add_norm(session, community.id, "Singkat.", None, when)
        for p in range(3):
            await upsert_person(session, 500_000 + p, first_name="🌻" * 60)
        for _ in range(7):
            norm = await add_norm(session, community.id, "🙏" * 220, None, when)
            for text in ("🤝" * 1000, "👏" * 999, "🙌" * 998, "🎉" * 997, "🌟" * 996, "💡" * 995):
                await revise_norm(session, norm, text, None, when)
            for p in range(3):
                await agree(session, norm, 500_000 + p, when)
    await kopi.process(fake.message(budi, joined, "/norma"))
    assert all(c.error is None for c in fake.sent(joined))
    await press(kopi, fake, budi, fake.last(joined), "Norma 1")
    listing_again = await press(kopi, fake, budi, fake.last(joined), "Semua norma")
    [edited] = [c for c in listing_again if c.method == "editMessageText"]
    assert edited.error is None
    assert "✅ 3 setuju" in edited.text
    labels = [b["text"] for b in edited.buttons]
    assert labels[:2] == ["✅ Setuju 1", "🔎 Norma 1"]
    assert "✅ Setuju 2" not in labels  # shortened on the page: agreed to from its detail
    await press(kopi, fake, budi, edited, "Norma 2")
    detail = fake.last(joined)
    assert detail.error is None and detail.method == "editMessageText"
    assert "Versi sebelumnya" in detail.text


# ---------------------------------------------------------------------------- redelivery

ALREADY = "ℹ️ Pesan ini sudah tersimpan sebelumnya, jadi tidak ada yang ditambahkan lagi."


def again(update: JSON, times: int = 1) -> JSON:
    """Return the same Telegram message or press as a new delivery (another update id), as
    after a kill -9 before the update journal was written."""
    return {**update, "update_id": update["update_id"] + 1000 * times}


def texts(calls: list[Call]) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


async def test_a_redelivered_proposal_adds_no_second_norm(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    update = fake.message(budi, joined, "/norma tambah Saling menghormati.")
    calls = await kopi.process(update)
    assert texts(calls)[0].startswith("📜 Usulan norma 1 dari Budi Santoso.")
    # Telegram delivers the same message again, in a new update: nothing is added, and kopi
    # says so instead of announcing a second norm.
    calls = await kopi.process(again(update))
    assert texts(calls) == [ALREADY]
    # The very same update once more: the processor's journal skips it.
    assert await kopi.process(update) == []
    [norm] = await norms(db)
    assert (norm.number, norm.source_chat_id, norm.source_message_id) == (
        1,
        joined["id"],
        update["message"]["message_id"],
    )
    assert [v[2] for v in await versions(db)] == ["Saling menghormati."]
    # Another message with the same words is another proposal: the key is the message.
    await propose(kopi, fake, budi, joined, "Saling menghormati.")
    assert [n.number for n in await norms(db)] == [1, 2]


async def test_a_replayed_question_and_answer_add_no_second_norm(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    # After a crash Telegram delivers the command and the answer again: kopi asks again, and the
    # answer (the same message, Budi's next plain one) is then recognised and saves nothing. (A
    # reply to the first question is not taken by the second: it answers another question.)
    command = fake.message(budi, joined, "/norma tambah")
    prompt_of(await kopi.process(command))
    reply = fake.message(budi, joined, "HP disenyapkan.")
    await kopi.process(reply)
    assert len(await norms(db)) == 1

    prompt_of(await kopi.process(again(command)))
    calls = await kopi.process(again(reply))
    assert texts(calls) == [ALREADY]
    assert len(await norms(db)) == 1
    assert len(await versions(db)) == 1
    assert await pending(db) == []  # the question asked again is answered


async def test_a_redelivered_revision_adds_no_third_version(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    card = await propose(kopi, fake, budi, joined, "Datang tepat waktu.")
    await press(kopi, fake, budi, card, "Rincian")
    detail = fake.last(joined)
    edit_press = fake.press(budi, fake.message_of(detail), data_of(detail, "Ubah"))
    prompt_of(await kopi.process(edit_press))
    reply = fake.message(budi, joined, "Datang 5 menit lebih awal.")  # the next plain message
    await kopi.process(reply)
    assert fake.last(joined).text.startswith("✏️ Norma 1 diperbarui (versi 2)")
    # A second revision follows; then the press and the first answer are delivered again.
    prompt = prompt_of(await press(kopi, fake, budi, detail, "Ubah"))
    await answer(kopi, fake, budi, joined, prompt, "Datang 10 menit lebih awal.")
    # The answer alone: its question was answered, so it is plain chatter and changes nothing.
    assert texts(await kopi.process(again(reply))) == []
    # The press and the answer: kopi asks again, and the answer is recognised.
    prompt_of(await kopi.process(again(edit_press)))
    assert texts(await kopi.process(again(reply, 2))) == [ALREADY]
    [norm] = await norms(db)
    assert norm.version == 3
    assert [(v, t) for _, v, t in await versions(db)] == [
        (1, "Datang tepat waktu."),
        (2, "Datang 5 menit lebih awal."),
        (3, "Datang 10 menit lebih awal."),
    ]


async def test_a_redelivered_agreement_changes_nothing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: DB, clock: Clock
) -> None:
    card = await propose(kopi, fake, budi, joined, "Kamera menyala saat rapat daring.")
    agree_press = fake.press(sari, fake.message_of(card), data_of(card, "Setuju"))
    assert toast(await kopi.process(agree_press)).startswith("Terima kasih!")
    first = await agreements(db)
    clock.advance(hours=1)
    calls = await kopi.process(again(agree_press))
    assert toast(calls) == "Bapak/Ibu sudah menyetujui norma 1 pada Kamis, 26 November 2026."
    assert texts(calls) == []
    assert await agreements(db) == first  # one agreement, its time unchanged
