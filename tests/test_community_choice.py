"""Group commands in private for a person in two communities: kopi asks which, with a button
per community, and runs the command for the one she chooses, never mixing their data."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram

DB = async_sessionmaker[AsyncSession]
WHICH = "Untuk komunitas yang mana, Bapak/Ibu?"


def data_of(call: Call, label: str) -> str:
    """Return the callback data of the button whose label contains label."""
    for b in call.buttons:
        if label in b["text"]:
            return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {[b['text'] for b in call.buttons]}")


async def press(kopi: OfflineBot, fake: FakeTelegram, user: JSON, call: Call, label: str) -> None:
    await kopi.process(fake.press(user, fake.message_of(call), data_of(call, label)))


async def count(db: DB, sql: str) -> int:
    async with db() as session:
        return int((await session.execute(text(sql))).scalar_one())


async def two_communities(kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON) -> JSON:
    """Budi facilitates a second group, MGMP Matematika; return it."""
    other = fake.add_group("MGMP Matematika", members=[], admins=[budi])
    await kopi.process(fake.bot_added(other, budi))
    fake.clear()
    return other


async def ask_which(kopi: OfflineBot, fake: FakeTelegram, user: JSON, command: str) -> Call:
    """The user sends command in private; return kopi's question, after checking it."""
    private = fake.chats[user["id"]].chat
    await kopi.process(fake.message(user, private, command))
    question = fake.last(private)
    assert question.text == WHICH
    assert [b["text"] for b in question.buttons] == ["Guru Penggerak SMPN 1", "MGMP Matematika"]
    return question


async def test_norma_in_private_shows_the_chosen_communitys_norms(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    other = await two_communities(kopi, fake, joined, budi)
    await kopi.process(fake.message(budi, joined, "/norma tambah Datang tepat waktu."))
    await kopi.process(fake.message(budi, other, "/norma tambah Kamera menyala saat daring."))
    fake.clear()
    private = fake.chats[budi["id"]].chat

    await press(kopi, fake, budi, await ask_which(kopi, fake, budi, "/norma"), "MGMP Matematika")
    listing = fake.last(private)
    assert "Kamera menyala saat daring." in listing.text
    assert "Datang tepat waktu." not in listing.text
    # Agreeing from that list counts for that community's norm only.
    await press(kopi, fake, budi, listing, "1")
    agreed = await count(
        db,
        "select count(*) from norm_agreements a join norm_versions v on v.id = a.version_id"
        " join norms n on n.id = v.norm_id"
        " join communities c on c.id = n.community_id where c.title = 'MGMP Matematika'",
    )
    assert agreed == 1
    assert await count(db, "select count(*) from norm_agreements") == 1

    await press(kopi, fake, budi, await ask_which(kopi, fake, budi, "/norma"), "SMPN 1")
    listing = fake.last(private)
    assert "Datang tepat waktu." in listing.text and "Kamera" not in listing.text
    assert fake.sent(joined) == [] and fake.sent(other) == []  # nothing went to a group


async def test_proyek_in_private_lists_the_chosen_communitys_projects(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    other = await two_communities(kopi, fake, joined, budi)
    for chat, title, aim in (
        (joined, "Kebun sekolah", "Siswa menanam sayur"),
        (other, "Olimpiade kelas", "Siswa berlatih soal"),
    ):
        await kopi.process(fake.message(budi, chat, f"/proyek baru {title}"))
        await kopi.process(fake.message(budi, chat, aim))  # the next message answers
    assert await count(db, "select count(*) from projects") == 2
    fake.clear()
    private = fake.chats[budi["id"]].chat

    await press(kopi, fake, budi, await ask_which(kopi, fake, budi, "/proyek"), "MGMP Matematika")
    listing = fake.last(private)
    assert "Olimpiade kelas" in listing.text and "Kebun sekolah" not in listing.text

    await press(kopi, fake, budi, await ask_which(kopi, fake, budi, "/proyek"), "SMPN 1")
    listing = fake.last(private)
    assert "Kebun sekolah" in listing.text and "Olimpiade kelas" not in listing.text
    assert fake.sent(joined) == [] and fake.sent(other) == []


async def test_laporan_in_private_reports_the_chosen_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db: DB
) -> None:
    other = await two_communities(kopi, fake, joined, budi)
    await kopi.process(fake.message(budi, other, "#keresahan Siswa sulit pecahan"))
    fake.clear()
    private = fake.chats[budi["id"]].chat

    question = await ask_which(kopi, fake, budi, "/laporan bulan")
    calls = await kopi.process(
        fake.press(budi, fake.message_of(question), data_of(question, "MGMP Matematika"))
    )
    files = [c for c in calls if c.method == "sendDocument"]
    assert len(files) == 2 and {c.params["chat_id"] for c in files} == {budi["id"]}
    assert all("MGMP" in str(c.params.get("caption", "")) for c in files), files
    assert fake.sent(joined) == [] and fake.sent(other) == []
    rows = await count(
        db,
        "select count(*) from report_requests r join communities c on c.id = r.community_id"
        " where c.title = 'MGMP Matematika'",
    )
    assert rows == 1
    assert await count(db, "select count(*) from report_requests") == 1
    assert fake.last(private).buttons  # the offer to send them to that group
