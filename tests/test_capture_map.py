"""The problem map and the good practices: lists, pages, "🙋 Saya juga", status and solution plan,
links, hiding, files, long items and the separation of communities."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from models.capture import CaptureItem, CaptureVote, count_items_since, top_open_concerns
from models.community import Community
from tests.conftest import Clock

Db = async_sessionmaker[AsyncSession]


def answer_of(calls: list[Call]) -> dict[str, Any]:
    return next(c for c in calls if c.method == "answerCallbackQuery").params


def data_of(message: JSON) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def item(db: Db, item_id: int) -> CaptureItem:
    async with db() as session:
        found = await session.get(CaptureItem, item_id)
        assert found is not None
        return found


async def show_map(kopi: OfflineBot, fake: FakeTelegram, user: JSON, group: JSON) -> JSON:
    await kopi.process(fake.message(user, group, "/keresahan"))
    return fake.message_of(fake.last(group))


def member(fake: FakeTelegram, group: JSON, name: str) -> JSON:
    user = fake.add_user(name, language_code="id")
    fake.set_status(group, user, "member")
    return user


async def test_the_map_lists_open_concerns_most_me_too_first_and_votes_toggle(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    andi = member(fake, joined, "Andi")
    for text in ("Siswa sering terlambat", "Orang tua sulit dihubungi", "Nilai numerasi rendah"):
        await kopi.process(fake.message(budi, joined, f"#keresahan {text}"))
    shown = await show_map(kopi, fake, sari, joined)
    assert shown["text"].splitlines()[0] == "🗺 Peta masalah — Guru Penggerak SMPN 1"
    assert data_of(shown)[:3] == ["cp:v:1:o0", "cp:v:2:o0", "cp:v:3:o0"]

    # Sari and Andi feel the third one too; Andi the second.
    calls = await kopi.process(fake.press(sari, fake.message_of(fake.last(joined)), "cp:v:3:o0"))
    assert answer_of(calls)["text"] == "🙋 Tercatat: Bapak/Ibu juga merasakannya (1 orang)."
    await kopi.process(fake.press(andi, shown, "cp:v:3:o0"))
    await kopi.process(fake.press(andi, shown, "cp:v:2:o0"))
    lines = shown["text"].splitlines()  # the list was redrawn in place
    assert lines[3].endswith("Nilai numerasi rendah") and "🙋 2" in lines[4]
    assert lines[5].endswith("Orang tua sulit dihubungi") and "🙋 1" in lines[6]
    assert lines[7].endswith("Siswa sering terlambat") and "🙋 0" in lines[8]
    assert (await item(db, 3)).votes == 2

    # A second press withdraws the vote: one vote per member.
    calls = await kopi.process(fake.press(andi, shown, "cp:v:3:o0"))
    assert answer_of(calls)["text"].startswith("Suara Bapak/Ibu dibatalkan (1 orang)")
    assert (await item(db, 3)).votes == 1

    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        top = await top_open_concerns(session, community.id, 2)
        assert [(c.id, c.text, c.votes) for c in top] == [
            (2, "Orang tua sulit dihubungi", 1),
            (3, "Nilai numerasi rendah", 1),
        ]


async def test_a_replayed_vote_press_changes_nothing(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    await kopi.process(fake.message(budi, joined, "#keresahan Toilet siswa rusak"))
    shown = await show_map(kopi, fake, sari, joined)
    press = fake.press(sari, copy.deepcopy(shown), "cp:v:1:o0")
    await kopi.process(press)
    # The same press delivered again in a new update (same callback query id)...
    await kopi.process({**press, "update_id": press["update_id"] + 5000})
    # ... and the very same update again.
    await kopi.process(press)
    assert (await item(db, 1)).votes == 1
    async with db() as session:
        votes = (await session.scalars(select(CaptureVote))).all()
        assert [(v.person_id, v.active) for v in votes] == [(sari["id"], True)]
    # A new press is a new toggle.
    await kopi.process(fake.press(sari, shown, "cp:v:1:o0"))
    assert (await item(db, 1)).votes == 0


async def test_many_concerns_are_paginated(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    for number in range(1, 13):
        await kopi.process(fake.message(budi, joined, f"#keresahan Masalah nomor {number}"))
    shown = await show_map(kopi, fake, sari, joined)
    assert "Halaman 1/3" in shown["text"]
    assert "cp:l:o1" in data_of(shown) and "cp:l:o0" not in data_of(shown)
    await kopi.process(fake.press(sari, shown, "cp:l:o1"))
    assert "Halaman 2/3" in shown["text"] and "Masalah nomor 6" in shown["text"]
    await kopi.process(fake.press(sari, shown, "cp:l:o2"))
    assert "Halaman 3/3" in shown["text"] and "Masalah nomor 12" in shown["text"]
    assert "cp:l:o3" not in data_of(shown)
    for data in data_of(shown):
        assert len(data.encode()) <= 64


async def test_the_plan_button_asks_and_the_authors_next_message_is_the_plan_once(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    andi = member(fake, joined, "Andi")
    await kopi.process(fake.message(sari, joined, "#keresahan Rapor digital sering error"))
    shown = await show_map(kopi, fake, sari, joined)
    await kopi.process(fake.press(sari, shown, "cp:d:1:o0"))
    assert "cp:n:1" in data_of(shown)
    # Andi may not write it: a private pop-up, no question in the group.
    calls = await kopi.process(fake.press(andi, shown, "cp:n:1"))
    assert answer_of(calls)["show_alert"] is True
    assert "sendMessage" not in [c.method for c in calls]

    await kopi.process(fake.press(sari, shown, "cp:n:1"))
    question = fake.last(joined)
    assert "tulis rencana solusi untuk Keresahan No. 1" in question.text
    # Andi's chatter in between is not her plan; her next plain message is.
    await kopi.process(fake.message(andi, joined, "Saya juga mengalami"))
    plan = fake.message(sari, joined, "Lapor ke operator tiap Jumat")
    await kopi.process(plan)
    assert (await item(db, 1)).note == "Lapor ke operator tiap Jumat"
    assert "📝 Rencana solusi\nLapor ke operator tiap Jumat" in shown["text"]  # the card redrawn
    # Delivered again (after a crash before the journal was written): nothing changes, no reply.
    await kopi.process(fake.message(budi, joined, "/keresahan"))
    fake.clear()
    assert await kopi.process({**plan, "update_id": plan["update_id"] + 1000}) == []
    assert (await item(db, 1)).note == "Lapor ke operator tiap Jumat"


async def test_status_moves_by_author_or_facilitator_with_a_solution_plan(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    andi = member(fake, joined, "Andi")
    await kopi.process(fake.message(sari, joined, "#keresahan Rapor digital sering error"))
    shown = await show_map(kopi, fake, andi, joined)
    await kopi.process(fake.press(andi, shown, "cp:d:1:o0"))
    assert "Keresahan No. 1" in shown["text"] and "Status: 🆕 baru" in shown["text"]
    assert data_of(shown)[1:3] == ["cp:s:1:d:o0", "cp:s:1:s:o0"]

    # Andi is neither the author nor a facilitator.
    calls = await kopi.process(fake.press(andi, shown, "cp:s:1:d:o0"))
    assert answer_of(calls)["show_alert"] is True
    assert (await item(db, 1)).status == "new"
    # Sari wrote it.
    calls = await kopi.process(fake.press(sari, shown, "cp:s:1:d:o0"))
    assert answer_of(calls)["text"] == "Status kini: dibahas."
    assert "Status: 💬 dibahas" in shown["text"]

    # Budi (admin) writes the agreed solution by replying to the detail.
    note = fake.message(budi, joined, "Lapor ke operator tiap Jumat", reply_to=shown)
    await kopi.process(note)
    assert (await item(db, 1)).note == "Lapor ke operator tiap Jumat"
    assert "📝 Rencana solusi\nLapor ke operator tiap Jumat" in shown["text"]
    assert "tersimpan" in fake.sent(joined, method="sendMessage")[-1].text
    # Andi's reply is not a plan.
    await kopi.process(fake.message(andi, joined, "Setuju!", reply_to=shown))
    assert (await item(db, 1)).note == "Lapor ke operator tiap Jumat"
    assert "penulisnya atau fasilitator" in fake.last(joined).text

    # Resolved: it leaves the map for the list of resolved concerns.
    await kopi.process(fake.press(budi, shown, "cp:s:1:s:o0"))
    assert (await item(db, 1)).status == "resolved"
    await kopi.process(fake.press(budi, shown, "cp:l:o0"))
    assert "Belum ada keresahan yang terbuka" in shown["text"]
    await kopi.process(fake.press(budi, shown, "cp:l:r0"))
    assert "Rapor digital sering error" in shown["text"]
    # Pressing "Selesai" again (a replay) keeps it resolved: the button says what it wants.
    await kopi.process(fake.press(budi, shown, "cp:d:1:r0"))
    await kopi.process(fake.press(budi, shown, "cp:s:1:d:r0"))
    await kopi.process(fake.press(budi, shown, "cp:s:1:s:r0"))
    calls = await kopi.process(
        fake.press(budi, {**shown, "reply_markup": _markup("cp:s:1:s:r0")}, "cp:s:1:s:r0")
    )
    assert answer_of(calls)["text"] == "Status kini: selesai."
    assert (await item(db, 1)).status == "resolved"


def _markup(*data: str) -> JSON:
    return {"inline_keyboard": [[{"text": d, "callback_data": d} for d in data]]}


async def test_good_practices_are_linked_to_a_concern(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    await kopi.process(fake.message(sari, joined, "#keresahan Minat baca siswa rendah"))
    await kopi.process(fake.message(budi, joined, "#praktikbaik Pojok baca tiap kelas"))
    await kopi.process(fake.message(budi, joined, "#praktikbaik Jurnal membaca harian"))
    shown = await show_map(kopi, fake, sari, joined)
    await kopi.process(fake.press(sari, shown, "cp:d:1:o0"))
    await kopi.process(fake.press(sari, shown, "cp:k:1:0"))
    assert "Praktik baik untuk Keresahan No. 1" in shown["text"]
    assert data_of(shown)[:2] == ["cp:kl:1:3:1:0", "cp:kl:1:2:1:0"]
    await kopi.process(fake.press(sari, shown, "cp:kl:1:2:1:0"))
    assert data_of(shown)[:2] == ["cp:kl:1:3:1:0", "cp:kl:1:2:0:0"]
    await kopi.process(fake.press(sari, shown, "cp:d:1:x"))
    assert "🔗 Praktik baik terkait\n• Praktik baik No. 2: Pojok baca tiap kelas" in shown["text"]

    # The practice shows which concern it answers.
    await kopi.process(fake.message(sari, joined, "/praktik"))
    practices = fake.message_of(fake.last(joined))
    await kopi.process(fake.press(sari, practices, "cp:d:2:p0"))
    assert "Menjawab keresahan\n• Keresahan No. 1: Minat baca siswa rendah" in practices["text"]

    # Andi may not link; a practice of another community cannot be linked.
    andi = member(fake, joined, "Andi")
    calls = await kopi.process(fake.press(andi, shown, "cp:k:1:0"))
    assert answer_of(calls)["show_alert"] is True


async def test_a_facilitator_hides_an_off_topic_item(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    await kopi.process(fake.message(sari, joined, "#keresahan Jual pulsa murah hubungi saya"))
    await kopi.process(fake.message(sari, joined, "#keresahan Kelas panas, kipas rusak"))
    shown = await show_map(kopi, fake, budi, joined)
    await kopi.process(fake.press(budi, shown, "cp:d:1:o0"))
    calls = await kopi.process(fake.press(sari, shown, "cp:h:1:1:o0"))
    assert answer_of(calls)["text"] == "Maaf, fitur ini hanya untuk fasilitator (admin grup)."
    await kopi.process(fake.press(budi, shown, "cp:h:1:1:o0"))
    assert (await item(db, 1)).hidden is True
    assert "disembunyikan" in shown["text"]
    await kopi.process(fake.press(budi, shown, "cp:l:o0"))
    assert "Jual pulsa" not in shown["text"] and "Kelas panas" in shown["text"]
    await kopi.process(fake.message(sari, joined, "/cari pulsa"))
    assert "Tidak ada" in fake.last(joined).text
    # A hidden item's old buttons lead nowhere.
    calls = await kopi.process(
        fake.press(sari, {**shown, "reply_markup": _markup("cp:v:1:o0")}, "cp:v:1:o0")
    )
    assert answer_of(calls)["text"] == "Tombol ini sudah tidak berlaku."
    # And it can be shown again.
    await kopi.process(
        fake.press(budi, {**shown, "reply_markup": _markup("cp:h:1:0:o0")}, "cp:h:1:0:o0")
    )
    assert (await item(db, 1)).hidden is False


async def test_practices_list_with_author_date_tags_file_and_tag_filter(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, clock: Clock
) -> None:
    await kopi.process(
        fake.message(sari, joined, caption="#praktikbaik Kartu kata #literasi", photo=True)
    )
    clock.advance(days=1)
    await kopi.process(fake.message(budi, joined, "#praktikbaik Kuis pecahan #numerasi"))
    await kopi.process(fake.message(budi, joined, "/praktik"))
    listing = fake.message_of(fake.last(joined))
    lines = listing["text"].splitlines()
    assert lines[0] == "🌱 Praktik baik — Guru Penggerak SMPN 1"
    assert lines[3:7] == [
        "1. Kuis pecahan #numerasi",
        "    Budi Santoso · 27/11/26 · #numerasi",
        "2. 📎 Kartu kata #literasi",
        "    Sari · 26/11/26 · #literasi",
    ]
    await kopi.process(fake.message(budi, joined, "/praktik #Literasi"))
    filtered = fake.last(joined).text
    assert "Kartu kata" in filtered and "Kuis pecahan" not in filtered
    await kopi.process(fake.message(budi, joined, "/praktik #tidakada"))
    assert fake.last(joined).text == "Belum ada praktik baik dengan tagar #tidakada."

    # The file is sent again from the detail view, by its file_id.
    await kopi.process(fake.press(sari, listing, "cp:d:1:p0"))
    assert "🖼 Foto terlampir" in listing["text"]
    calls = await kopi.process(fake.press(sari, listing, "cp:f:1"))
    [photo] = [c for c in calls if c.method == "sendPhoto"]
    assert photo.params["photo"].startswith("user-photo-")
    assert "Kartu kata" in photo.text


async def test_a_long_concern_is_shortened_in_lists_and_whole_in_its_detail(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    long_text = "#keresahan " + "Siswa 🙏 sulit membagi waktu antara tugas & ujian <penting>. " * 70
    while len(long_text.encode("utf-16-le")) // 2 > 4096:  # as long as Telegram allows
        long_text = long_text[:-1]
    long_text = long_text.strip()
    await kopi.process(fake.message(sari, joined, long_text))
    shown = await show_map(kopi, fake, budi, joined)
    assert len(shown["text"]) < 600 and "…" in shown["text"]
    await kopi.process(fake.press(budi, shown, "cp:d:1:o0"))
    parts = fake.sent(joined, method="sendMessage")[-2:]
    whole = "\n\n".join(c.text for c in parts)
    assert long_text.removeprefix("#keresahan ") in whole.replace("\n\n", " ")
    for part in parts:
        assert len(part.text.encode("utf-16-le")) // 2 <= 4096
    assert "cp:v:1:do0" in [b["callback_data"] for b in parts[-1].buttons]


async def test_communities_never_see_each_others_items(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db: Db
) -> None:
    other = fake.add_group("KKG Bahasa", members=[sari], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    await kopi.process(fake.message(sari, joined, "#keresahan Rahasia grup satu #literasi"))
    await kopi.process(fake.message(sari, other, "#praktikbaik Cerita grup dua #literasi"))
    await kopi.process(fake.message(sari, other, "/keresahan"))
    assert "Rahasia" not in fake.last(other).text
    await kopi.process(fake.message(sari, other, "/praktik #literasi"))
    assert "Cerita grup dua" in fake.last(other).text
    await kopi.process(fake.message(sari, joined, "/praktik"))
    assert "Cerita grup dua" not in fake.last(joined).text
    await kopi.process(fake.message(sari, other, "/cari rahasia"))
    assert "Tidak ada" in fake.last(other).text
    # A button carrying another community's item id opens nothing.
    shown = fake.message_of(fake.last(other))
    forged = {**shown, "reply_markup": _markup("cp:d:1:o0", "cp:v:1:o0", "cp:s:1:s:o0")}
    for data in ("cp:d:1:o0", "cp:v:1:o0", "cp:s:1:s:o0"):
        calls = await kopi.process(fake.press(budi, forged, data))
        assert answer_of(calls)["text"] == "Tombol ini sudah tidak berlaku."
    assert (await item(db, 1)).status == "new" and (await item(db, 1)).votes == 0
    async with db() as session:
        first = await session.scalar(select(Community).where(Community.chat_id == joined["id"]))
        assert first is not None
        since = fake_now(kopi) - timedelta(days=1)
        assert await count_items_since(session, first.id, "concern", since) == 1
        assert await count_items_since(session, first.id, "practice", since) == 0


def fake_now(kopi: OfflineBot) -> Any:
    return kopi.services.clock()


async def test_count_items_since_counts_by_kind_and_time(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db: Db, clock: Clock
) -> None:
    await kopi.process(fake.message(sari, joined, "#keresahan Lama"))
    clock.advance(days=8)
    start = clock.now
    await kopi.process(fake.message(sari, joined, "#keresahan Baru"))
    await kopi.process(fake.message(sari, joined, "#praktikbaik Baru juga"))
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        assert await count_items_since(session, community.id, "concern", start) == 1
        assert await count_items_since(session, community.id, "practice", start) == 1
        assert (
            await count_items_since(session, community.id, "concern", start - timedelta(days=9))
            == 2
        )


async def test_presses_with_odd_data_are_answered_and_harmless(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: Db, caplog: Any
) -> None:
    await kopi.process(fake.message(budi, joined, "#keresahan Satu-satunya"))
    shown = await show_map(kopi, fake, budi, joined)
    for data in ("", "cp:v:1", "cp:v:99999999999:o0", "cp:d:1:o0\n", "cp:s:1:z:o0", "cp:l:"):
        calls = await kopi.process(fake.press(budi, {**shown, "reply_markup": _markup(data)}, data))
        # Answered at most (no handler of kopi's claims some of them), never acted on.
        assert {c.method for c in calls} <= {"answerCallbackQuery"}, data
        assert all(c.error is None for c in calls)
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []
    assert (await item(db, 1)).votes == 0
