"""/datasaya and /hapusdata: a teacher sees everything kopi holds about them, and erases it.

Wulan takes part in everything (captures, votes, reflections of every kind, an RSVP, minutes, a
norm, a project, a pending question, a private invitation) through kopi's real flows; the tests
then open the JSON she gets, erase her data both ways, and search every table and every column
of the schema for anything that still identifies her.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, Call, FakeTelegram
from handlers.meetings_delivery import run_due
from models import Base
from models.agreements import Norm, NormAgreement, NormVersion, ProjectUpdate, Source, add_norm
from models.capture import CaptureItem, CaptureVote
from models.community import Community, Membership, Person
from models.meetings import Meeting, minutes_text
from models.reflections import Reflection, shared_reflections
from tests.conftest import PG_URL, Clock

DB = async_sessionmaker[AsyncSession]

WULAN_ID = 5_123_456_789  # beyond 32 bits, as Telegram ids now are
EVE = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wed 19.00 WIB, the evening reminder
ENDS = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # the meeting (Thu 14.00 WIB) is over


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def wulan(fake: FakeTelegram) -> JSON:
    return fake.add_user(
        "Wulandari",
        "Prasetyaningsih",
        username="wulan_guru_sd",
        language_code="id",
        user_id=WULAN_ID,
    )


def pm(fake: FakeTelegram, user: JSON) -> JSON:
    return fake.chats[user["id"]].chat


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
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    return str(answer.params.get("text") or "")


async def say(kopi: OfflineBot, fake: FakeTelegram, user: JSON, words: str) -> Call:
    """The user writes to kopi in private; return kopi's last message there."""
    await kopi.process(fake.message(user, pm(fake, user), words))
    return fake.last(pm(fake, user))


async def reflect(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, user: JSON, answers: list[str], code: str
) -> None:
    """Write a guided reflection and save it privately (p), with the name (n) or anonymously."""
    await say(kopi, fake, user, "/refleksi")
    for answer in answers:
        clock.advance(minutes=1)
        summary = await say(kopi, fake, user, answer)
    choice = next(b for b in summary.buttons if b.get("callback_data", "").endswith(f":{code}"))
    await kopi.process(fake.press(user, fake.message_of(summary), choice["callback_data"]))


@dataclass
class World:
    """What the story left behind that the tests look at."""

    reminder: Call  # the group reminder with its live RSVP tally
    post_ids: list[int]  # kopi's group post of Wulan's reflection shared with her name
    sari_concern: int
    wulan_concern: int


async def story(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    db: DB,
    group: JSON,
    budi: JSON,
    sari: JSON,
    wulan: JSON,
    *,
    named_concern: bool = False,
) -> World:
    """Wulan takes part in everything kopi records; Budi and Sari too, around her."""
    await kopi.process(fake.message(wulan, group, "Selamat pagi, Bapak/Ibu"))
    await kopi.process(fake.message(sari, group, "#keresahan Orang tua sulit dihubungi"))
    await kopi.process(fake.message(wulan, group, "#keresahan Siswa kelas 7 belum lancar membaca"))
    await kopi.process(fake.message(wulan, group, "#praktikbaik Membaca berpasangan 10 menit"))
    if named_concern:  # her own words name her: they must leave the search index as well
        await kopi.process(
            fake.message(wulan, group, "#keresahan Wulandari wulan_guru_sd butuh buku bacaan")
        )
    async with db() as session:
        ids = {
            i.text: i.id
            for i in await session.scalars(select(CaptureItem).order_by(CaptureItem.id))
        }
    sari_concern, wulan_concern = (
        ids["Orang tua sulit dihubungi"],
        ids["Siswa kelas 7 belum lancar membaca"],
    )
    await kopi.process(fake.message(wulan, group, "/keresahan"))
    problem_map = fake.message_of(fake.last(group))
    for voter, item in ((wulan, sari_concern), (wulan, wulan_concern), (sari, wulan_concern)):
        await kopi.process(fake.press(voter, copy.deepcopy(problem_map), f"cp:v:{item}:o0"))

    # Reflections: private, shared with her name (kopi posts it), and #refleksi in the group.
    await reflect(kopi, fake, clock, wulan, ["Rahasia kelas saya", "Cemas", "B", "C"], "p")
    await reflect(kopi, fake, clock, wulan, ["Membaca nyaring", "Senang", "Aktif", "Lagi"], "n")
    post = fake.last(group)
    assert post.text.startswith("📝 Refleksi Wulandari Prasetyaningsih")
    await kopi.process(fake.message(wulan, group, "#refleksi Murid saling membantu hari ini."))
    await reflect(kopi, fake, clock, sari, ["Sari's own facts", "Fine", "Good", "More"], "p")

    # A norm she agrees to; a project she joins and writes news for; a question left open.
    await kopi.process(fake.message(budi, group, "/norma tambah Datang tepat waktu."))
    await press(kopi, fake, wulan, fake.last(group), "Setuju")
    prompt = fake.last(group)
    await kopi.process(fake.message(budi, group, "/proyek baru Pojok Baca"))
    prompt = fake.last(group)
    await kopi.process(
        fake.message(budi, group, "Minat baca tumbuh.", reply_to=fake.message_of(prompt))
    )
    detail = fake.last(group)
    await press(kopi, fake, wulan, detail, "Ikut terlibat")
    asked = await press(kopi, fake, wulan, fake.last(group), "Tambah kabar")
    prompt = next(c for c in asked if c.method == "sendMessage")
    await kopi.process(
        fake.message(wulan, group, "Rak buku sudah jadi.", reply_to=fake.message_of(prompt))
    )
    await kopi.process(fake.message(wulan, group, "/proyek baru"))  # asked, never answered

    # The routine meeting: the reminder, her RSVP, minutes, a private invitation to reflect.
    await kopi.process(fake.message(budi, group, "/aturjadwal Kamis 14:00 Ruang Guru"))
    clock.now = EVE
    await run_due(kopi.app, EVE)
    await kopi.settle()
    reminder = next(c for c in fake.sent(group) if "Pengingat pertemuan" in c.text)
    await press(kopi, fake, wulan, reminder, "Hadir")
    await press(kopi, fake, sari, reminder, "Izin")
    assert "Hadir: Wulandari Prasetyaningsih" in fake.message_of(reminder)["text"]
    clock.now = ENDS
    await run_due(kopi.app, ENDS)
    await kopi.settle()
    await kopi.process(fake.message(budi, group, "/notulen Membahas literasi."))
    await kopi.process(fake.message(wulan, group, "/notulen Sepakat membaca 15 menit."))
    await kopi.process(fake.message(sari, group, "/notulen Orang tua diundang."))
    fake.clear()
    return World(reminder, [post.result["message_id"]], sari_concern, wulan_concern)


async def rows_with(db: DB, needles: list[str], number: int) -> list[tuple[str, str, Any]]:
    """Return (table, column, value) of every value in the database that contains one of the
    needles (case-insensitive) or equals number: every table of the schema, and on SQLite every
    other table too (the full-text index and its shadow tables)."""
    lowered = [n.lower() for n in needles]
    found: list[tuple[str, str, Any]] = []

    def check(table: str, column: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            if value == number:
                found.append((table, column, value))
            return
        if isinstance(value, bytes):
            haystack = value.lower()
            if any(n.encode() in haystack for n in lowered):
                found.append((table, column, value))
            return
        rendered = value if isinstance(value, str) else json.dumps(value, default=str)
        if any(n in rendered.lower() for n in lowered):
            found.append((table, column, value))

    async with db() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                for column, value in row.items():
                    check(table.name, str(column), value)
        if session.get_bind().dialect.name == "sqlite":
            names = await session.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
            for name in [n for n in names if n not in Base.metadata.tables]:
                result = await session.execute(text(f'SELECT * FROM "{name}"'))
                for row in result.mappings():
                    for column, value in row.items():
                        check(name, str(column), value)
            # What the search index knows, deleted rows' words applied.
            await session.execute(
                text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kopi_vocab "
                    "USING fts5vocab(main, capture_items_fts, row)"
                )
            )
            for (term,) in await session.execute(text("SELECT term FROM temp.kopi_vocab")):
                check("capture_items_fts (vocabulary)", "term", term)
    return found


def identifiers(user: JSON) -> list[str]:
    return [str(user["id"]), user["first_name"], user["last_name"], user["username"]]


async def snapshot(db: DB) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table (but the journal of processed updates)."""
    async with db() as session:
        return {
            table.name: sorted(
                (tuple(r) for r in (await session.execute(select(table))).all()), key=repr
            )
            for table in Base.metadata.sorted_tables
            if table.name != "processed_updates"
        }


async def erase(kopi: OfflineBot, fake: FakeTelegram, user: JSON, choice: str) -> tuple[Call, JSON]:
    """/hapusdata, the choice, the last confirmation; return the result and the confirmation
    message as it was before the press (for pressing it again)."""
    intro = await say(kopi, fake, user, "/hapusdata")
    await press(kopi, fake, user, intro, choice)
    confirm = fake.last(pm(fake, user))
    assert confirm.method == "editMessageText"
    before = copy.deepcopy(fake.message_of(confirm))
    await press(kopi, fake, user, confirm, "Ya, hapus permanen")
    return fake.last(pm(fake, user)), before


# ---------------------------------------------------------------------------- /datasaya


async def test_datasaya_sends_all_of_hers_and_nothing_of_anyone_else(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    db: DB,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    wulan: JSON,
) -> None:
    await story(kopi, fake, clock, db, joined, budi, sari, wulan)

    await kopi.process(fake.message(wulan, pm(fake, wulan), "/datasaya"))
    summary, document = fake.sent(pm(fake, wulan))
    lines = summary.text.splitlines()
    assert lines[:2] == [
        "📦 Data Bapak/Ibu di kopi",
        "👤 Wulandari Prasetyaningsih (@wulan_guru_sd)",
    ]
    for line in (
        "• Komunitas: 1",
        "• Keresahan dan praktik baik: 2",
        "• Dukungan “🙋 saya juga”: 2",
        "• Refleksi: 3 (1 pribadi atau draf)",
        "• Jawaban kehadiran: 1",
        "• Persetujuan norma: 1",
        "• Keikutsertaan proyek: 1",
        "• Kabar proyek: 1",
        "• Catatan notulen: 1",
        "• Pesan kopi untuk Bapak/Ibu: 1",
        "• Pertanyaan kopi yang menunggu jawaban: 1",
    ):
        assert line in lines, (line, lines)
    assert summary.text.endswith("/hapusdata")
    assert document.method == "sendDocument"
    name, payload, _ = document.files["document"]
    assert name == "kopi-datasaya-20261203.json"
    raw = payload.decode()
    exported = json.loads(raw)
    tables = exported["tables"]
    assert exported["person_id"] == WULAN_ID
    assert exported["communities"] == {
        str(tables["memberships"][0]["community_id"]): "Guru Penggerak SMPN 1"
    }
    [profile] = tables["people"]
    assert (profile["id"], profile["first_name"], profile["username"]) == (
        WULAN_ID,
        "Wulandari",
        "wulan_guru_sd",
    )
    assert [m["role"] for m in tables["memberships"]] == ["member"]
    assert sorted(i["text"] for i in tables["capture_items"]) == [
        "Membaca berpasangan 10 menit",
        "Siswa kelas 7 belum lancar membaca",
    ]
    assert {v["person_id"] for v in tables["capture_votes"]} == {WULAN_ID}
    assert len(tables["capture_votes"]) == 2
    reflections = {(r["visibility"], r["facts"] or r["body"]) for r in tables["reflections"]}
    assert reflections == {
        ("private", "Rahasia kelas saya"),  # private: she is its author
        ("named", "Membaca nyaring"),
        ("named", "Murid saling membantu hari ini."),
    }
    assert [r["response"] for r in tables["meeting_rsvps"]] == ["yes"]
    assert len(tables["norm_agreements"]) == 1 and len(tables["project_members"]) == 1
    assert [u["text"] for u in tables["project_updates"]] == ["Rak buku sudah jadi."]
    assert [i["speaker_id"] for i in tables["prompts"]] == [WULAN_ID]
    [invitation] = tables["meeting_deliveries"]
    assert (invitation["kind"], invitation["target"]) == ("invite", WULAN_ID)
    assert invitation["body"].startswith("Terima kasih sudah hadir")
    assert [e["text"] for e in exported["minutes_entries"]] == ["Sepakat membaca 15 menit."]
    # Nobody else's data: not their rows, names, ids, nor the words they wrote.
    for other in ("Sari", "Budi", "Santoso", str(sari["id"]), str(budi["id"])):
        assert other not in raw
    for words in ("Orang tua sulit dihubungi", "Sari's own facts", "Membahas literasi"):
        assert words not in raw
    assert fake.sent(joined) == []


async def test_in_a_group_datasaya_opens_the_private_chat_and_shows_nothing_there(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, joined, "Hello"))
    await kopi.process(fake.message(sari, joined, "/datasaya"))
    [answer] = fake.sent(joined)
    assert answer.text.startswith("🔒 Data pribadi hanya saya kirim lewat chat pribadi.")
    assert answer.buttons == [
        {"text": "💬 Buka chat pribadi", "url": "https://t.me/kopi_komunitas_bot?start=d"}
    ]
    fake.clear()
    await kopi.process(fake.message(sari, pm(fake, sari), "/start d"))
    summary, document = fake.sent(pm(fake, sari))
    assert summary.text.startswith("📦 Your data in kopi\n👤 Sari\n")  # her app speaks English
    assert "• Communities: 1" in summary.text
    tables = json.loads(document.files["document"][1])["tables"]
    assert [p["first_name"] for p in tables["people"]] == ["Sari"]
    assert fake.sent(joined) == []


# ---------------------------------------------------------------------------- /hapusdata


async def test_after_deleting_nothing_anywhere_identifies_her(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    db: DB,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    wulan: JSON,
) -> None:
    world = await story(kopi, fake, clock, db, joined, budi, sari, wulan, named_concern=True)
    async with db.begin() as session:
        # A norm she proposed in her private chat with kopi is keyed by that chat: her id.
        community = await session.scalar(select(Community))
        assert community is not None
        await add_norm(
            session, community.id, "Saling mendengar.", WULAN_ID, clock(), Source(WULAN_ID, 42)
        )
    found = {table for table, _, _ in await rows_with(db, identifiers(wulan), WULAN_ID)}
    assert {"people", "memberships", "capture_votes", "meeting_rsvps", "prompts"} <= found
    if not PG_URL:
        assert "capture_items_fts (vocabulary)" in found  # the search index knows her name

    intro = await say(kopi, fake, wulan, "/hapusdata")
    assert intro.text.startswith("🗑 Hapus data pribadi")
    assert "7 kiriman bersama" in intro.text  # 3 captures, 2 shared reflections, news, minutes
    assert [b["text"] for b in intro.buttons] == [
        "🗑 Hapus juga kiriman bersama",
        "🕶 Simpan tanpa nama",
        "✖️ Batal",
    ]
    await press(kopi, fake, wulan, intro, "Hapus juga")
    confirm = fake.last(pm(fake, wulan))
    assert confirm.text.startswith("⚠️ Langkah terakhir. Penghapusan ini tidak bisa dibatalkan.")
    assert "termasuk kiriman bersama" in confirm.text
    assert await rows_with(db, identifiers(wulan), WULAN_ID)  # nothing happened yet
    await press(kopi, fake, wulan, confirm, "Ya, hapus permanen")

    done = fake.last(pm(fake, wulan))
    assert done.text.startswith("✅ Data pribadi Bapak/Ibu sudah dihapus dari kopi.")
    assert done.buttons == []
    for line in ("• Profil: 1", "• Keresahan dan praktik baik: 3", "• Refleksi: 3"):
        assert line in done.text
    assert "Riwayat obrolan grup bukan milik kopi" in done.text
    assert "tercatat sebagai pengguna baru" in done.text

    assert await rows_with(db, identifiers(wulan), WULAN_ID) == []

    # kopi took its post of her named reflection down, and redrew the reminder: her name is
    # gone from the tally, her concern from the proposed agenda.
    deleted = [c.params["message_id"] for c in fake.calls if c.method == "deleteMessage"]
    assert deleted == world.post_ids
    reminder = fake.message_of(world.reminder)["text"]
    assert "Wulandari" not in reminder and "✅ Hadir: 0 · 🙏 Izin: 1" in reminder
    assert "(keresahan ini sudah dihapus oleh penulisnya)" in reminder
    assert "Siswa kelas 7" not in reminder and "Orang tua sulit dihubungi" in reminder
    async with db() as session:
        sari_concern = await session.get(CaptureItem, world.sari_concern)
        assert sari_concern is not None and sari_concern.votes == 0  # her vote is gone
        meeting_id = await session.scalar(select(Meeting.id).order_by(Meeting.starts_at))
        minutes = await minutes_text(session, meeting_id or 0)
        assert minutes == "— Budi Santoso:\nMembahas literasi.\n\n— Sari:\nOrang tua diundang."
        others = await session.scalars(
            select(Reflection.facts).where(Reflection.author_id.is_not(None))
        )
        assert list(others) == ["Sari's own facts"]
        assert await session.get(Person, sari["id"]) is not None


async def test_keeping_shared_items_leaves_them_to_the_community_without_a_trace_of_her(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    db: DB,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    wulan: JSON,
) -> None:
    world = await story(kopi, fake, clock, db, joined, budi, sari, wulan)
    done, _ = await erase(kopi, fake, wulan, "Simpan tanpa nama")
    assert "🕶 Tetap untuk komunitas, tanpa nama" in done.text
    assert "• Keresahan dan praktik baik: 2" in done.text
    assert "✏️ Di grup, saya memperbarui" in done.text

    assert await rows_with(db, identifiers(wulan), WULAN_ID) == []
    async with db() as session:
        items = list(await session.scalars(select(CaptureItem).order_by(CaptureItem.id)))
        kept = [i for i in items if i.id != world.sari_concern]
        assert [(i.text, i.author_id, i.author_kind, i.author_label) for i in kept] == [
            ("Siswa kelas 7 belum lancar membaca", None, "anonymous", None),
            ("Membaca berpasangan 10 menit", None, "anonymous", None),
        ]
        assert all(i.chat_id is None and i.message_id is None for i in kept)
        # Tallies stay true: her votes are gone, Sari's stays.
        assert {i.id: i.votes for i in items} == {
            world.sari_concern: 0,
            world.wulan_concern: 1,
            kept[1].id: 0,
        }
        votes = await session.scalars(select(CaptureVote.person_id))
        assert list(votes) == [sari["id"]]
        community = await session.scalar(select(Community))
        assert community is not None
        shared = await shared_reflections(session, community.id)
        assert [(s.author_name, s.facts or s.body) for s in shared] == [
            (None, "Membaca nyaring"),
            (None, "Murid saling membantu hari ini."),
        ]
        reflections = list(await session.scalars(select(Reflection).order_by(Reflection.id)))
        assert [(r.author_id, r.visibility) for r in reflections] == [
            (None, "anonymous"),
            (None, "anonymous"),
            (sari["id"], "private"),
        ]
        assert reflections[1].source_chat_id is None and reflections[1].source_message_id is None
        assert "Rahasia kelas saya" not in str([r.facts for r in reflections])  # private: gone
        updates = list(await session.scalars(select(ProjectUpdate)))
        assert [(u.author_id, u.text) for u in updates] == [(None, "Rak buku sudah jadi.")]
        meeting_id = await session.scalar(select(Meeting.id).order_by(Meeting.starts_at))
        minutes = await minutes_text(session, meeting_id or 0)
        assert minutes is not None and "— Anggota (anonim):\nSepakat membaca 15 menit." in minutes
    # kopi's post of her reflection now speaks of an anonymous member.
    post = fake.messages[(joined["id"], world.post_ids[0])]
    assert post["text"].startswith("📝 Refleksi seorang anggota (anonim)")
    assert "Membaca nyaring" in post["text"] and "Wulandari" not in post["text"]
    assert [c for c in fake.calls if c.method == "deleteMessage"] == []


async def test_pressing_confirm_again_changes_nothing_and_she_returns_as_someone_new(
    kopi: OfflineBot,
    fake: FakeTelegram,
    clock: Clock,
    db: DB,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    wulan: JSON,
) -> None:
    await story(kopi, fake, clock, db, joined, budi, sari, wulan)
    _, confirm = await erase(kopi, fake, wulan, "Simpan tanpa nama")
    after = await snapshot(db)

    calls = await kopi.process(fake.press(wulan, confirm, data_of_message(confirm, "Ya, hapus")))
    assert toast(calls) == "Data Bapak/Ibu sudah dihapus sebelumnya."
    assert await snapshot(db) == after
    assert [c for c in calls if c.method == "editMessageText"] == []

    # She comes back: registered afresh, with nothing of before attached to her.
    await kopi.process(fake.message(wulan, pm(fake, wulan), "/start"))
    await kopi.process(fake.message(wulan, joined, "Halo lagi"))
    async with db() as session:
        person = await session.get(Person, WULAN_ID)
        assert person is not None and person.first_name == "Wulandari"
        members = await session.scalars(
            select(Membership.role).where(Membership.person_id == WULAN_ID)
        )
        assert list(members) == ["member"]
        assert (
            await session.scalar(select(CaptureItem).where(CaptureItem.author_id == WULAN_ID))
            is None
        )
    await kopi.process(fake.message(wulan, pm(fake, wulan), "/datasaya"))
    assert "Keresahan" not in fake.sent(pm(fake, wulan))[-2].text

    # Now that she is someone new, the old buttons are no longer valid: they change nothing.
    again = await snapshot(db)
    for step in ("pd:k", "pd:y"):
        data = data_of_message(confirm, "Ya, hapus").replace("pd:y", step)
        stale = {
            **confirm,
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
        }
        calls = await kopi.process(fake.press(wulan, stale, data))
        assert toast(calls) == "Tombol ini sudah tidak berlaku."
    assert await snapshot(db) == again


async def test_a_facilitators_norms_stay_and_posts_kopi_cannot_delete_are_covered(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, db: DB, wulan: JSON
) -> None:
    group = fake.add_group("Kombel Literasi", admins=[wulan])
    await kopi.process(fake.bot_added(group, wulan))
    await kopi.process(fake.message(wulan, group, "/norma tambah Saling menghargai."))
    await press(kopi, fake, wulan, fake.last(group), "Setuju")
    await reflect(kopi, fake, clock, wulan, ["Pertama", "A", "B", "C"], "n")
    await reflect(kopi, fake, clock, wulan, ["Kedua", "A", "B", "C"], "n")
    first, second = [c.result["message_id"] for c in fake.sent(group) if "Refleksi" in c.text]
    await kopi.process(fake.message(wulan, pm(fake, wulan), "/datasaya"))
    summary = fake.sent(pm(fake, wulan))[-2].text
    assert "• Komunitas: 1 (fasilitator di 1)" in summary
    assert "• Norma yang Bapak/Ibu usulkan atau cabut: 1" in summary
    assert "• Rumusan norma yang Bapak/Ibu tulis: 1" in summary

    intro = await say(kopi, fake, wulan, "/hapusdata")
    await press(kopi, fake, wulan, intro, "Hapus juga")
    # More than 48 hours later Telegram no longer lets kopi delete its posts; one cannot even
    # be edited any more.
    fake.fail(
        lambda: ApiError(400, "Bad Request: message can't be deleted for everyone"),
        method="deleteMessage",
        times=None,
    )
    fake.fail(
        lambda: ApiError(400, "Bad Request: message to edit not found"), method="editMessageText"
    )
    await press(kopi, fake, wulan, fake.last(pm(fake, wulan)), "Ya, hapus permanen")

    done = fake.last(pm(fake, wulan)).text
    assert "📜 Nama Bapak/Ibu dilepas dari 2 catatan komunitas" in done
    assert "✏️ Di grup, saya memperbarui 1 pesan saya sendiri" in done
    assert "⚠️ 1 pesan saya di grup tidak bisa diubah lagi." in done
    assert fake.messages[(group["id"], first)]["text"].startswith("📝 Refleksi Wulandari")
    assert fake.messages[(group["id"], second)]["text"] == (
        "🗑 Refleksi ini sudah dihapus oleh penulisnya."
    )
    async with db() as session:
        [norm] = await session.scalars(select(Norm))
        [version] = await session.scalars(select(NormVersion))
        assert (norm.created_by, version.written_by, version.text) == (
            None,
            None,
            "Saling menghargai.",
        )
        assert list(await session.scalars(select(NormAgreement))) == []
        assert list(await session.scalars(select(Reflection))) == []
    assert await rows_with(db, identifiers(wulan), WULAN_ID) == []


def data_of_message(message: JSON, label: str) -> str:
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def test_hapusdata_in_a_group_is_refused_with_a_link_and_deletes_nothing(
    kopi: OfflineBot, fake: FakeTelegram, db: DB, joined: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, joined, "#keresahan Kelas terlalu panas"))
    before = await snapshot(db)
    fake.clear()
    for command in ("/hapusdata", "/deletemydata@kopi_komunitas_bot"):
        await kopi.process(fake.message(sari, joined, command))
    first, second = fake.sent(joined)
    assert first.text == second.text
    assert "di sini tidak ada yang dihapus" in first.text  # the group's language
    assert first.buttons == [
        {"text": "💬 Buka chat pribadi", "url": "https://t.me/kopi_komunitas_bot?start=d-hapus"}
    ]
    assert await snapshot(db) == before

    await kopi.process(fake.message(sari, pm(fake, sari), "/start d-hapus"))
    before = await snapshot(db)  # she has now started kopi in private: that is recorded
    intro = fake.last(pm(fake, sari))
    assert intro.text.startswith("🗑 Delete personal data")
    assert "You also have 1 shared items" in intro.text
    await press(kopi, fake, sari, intro, "Cancel")
    assert fake.last(pm(fake, sari)).text == "All right, cancelled. No data was deleted."
    assert await snapshot(db) == before


async def test_a_forged_or_garbled_button_is_expired(
    kopi: OfflineBot, fake: FakeTelegram, db: DB, joined: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, joined, "Hi"))
    intro = await say(kopi, fake, sari, "/deletemydata")
    assert [b["text"] for b in intro.buttons] == ["➡️ Continue", "✖️ Cancel"]
    before = await snapshot(db)
    message = copy.deepcopy(fake.message_of(intro))
    for data in ("pd:y:d:1", "pd:y:z:1", "pd:k:d:", "pd:q", "pd:y:d:123456789012345678901"):
        message["reply_markup"] = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
        calls = await kopi.process(fake.press(sari, message, data))
        assert toast(calls) == "This button is no longer valid."
    assert await snapshot(db) == before


async def test_the_commands_are_in_the_menus(kopi: OfflineBot, fake: FakeTelegram) -> None:
    private = [c["command"] for c in fake.commands[("all_private_chats", "")]]
    group = [c["command"] for c in fake.commands[("all_group_chats", "")]]
    assert {"datasaya", "hapusdata"} <= set(private) and {"datasaya", "hapusdata"} <= set(group)
