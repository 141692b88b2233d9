"""/privasi explains what kopi keeps and who sees it; the new commands are in the menus."""

from __future__ import annotations

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram


async def test_privasi_in_private_says_what_is_kept_and_who_sees_it(
    kopi: OfflineBot, fake: FakeTelegram, budi: JSON
) -> None:
    chat = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, chat, "/privasi"))
    text = fake.last(chat).text
    assert text.startswith("🔒 Privasi di kopi")
    assert "Obrolan biasa di grup tidak saya simpan." in text
    assert "terlihat oleh anggota komunitas itu" in text
    assert "Refleksi bersifat pribadi" in text
    assert "Keresahan anonim disimpan tanpa penulis sama sekali" in text
    assert "Fasilitator hanya melihat angka" in text
    assert "/datasaya" in text and "/hapusdata" in text
    assert len(text) < 2000  # one readable message, not a wall


async def test_privacy_in_english_and_in_a_group(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON
) -> None:
    chat = fake.chats[sari["id"]].chat
    await kopi.process(fake.message(sari, chat, "/privacy"))
    text = fake.last(chat).text
    assert text.startswith("🔒 Privacy in kopi")
    assert "An anonymous concern is kept with no author at all" in text
    assert "Personal Data Protection Law" in text

    await kopi.process(fake.message(sari, joined, "/privasi@kopi_komunitas_bot"))
    assert fake.last(joined).text.startswith("🔒 Privasi di kopi")  # the group's language


async def test_the_commands_are_offered_where_they_work(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON
) -> None:
    await kopi.process(fake.message(budi, joined, "/bantuan"))
    group_help = fake.last(joined).text
    for line in (
        "/norma — Norma kesepakatan komunitas",
        "/tujuan — Tujuan dan program komunitas",
        "/proyek — Proyek komunitas untuk siswa dan sekolah",
        "/privasi — Data apa yang disimpan kopi",
    ):
        assert line in group_help
    chat = fake.chats[budi["id"]].chat
    await kopi.process(fake.message(budi, chat, "/bantuan"))
    private_help = fake.last(chat).text
    # In private the community's norms and projects are there to read (handlers.community_choice).
    for command in ("/tujuan", "/privasi", "/norma", "/proyek"):
        assert command in private_help
    menus = {key: [c["command"] for c in value] for key, value in fake.commands.items()}
    assert {"norma", "tujuan", "proyek", "privasi"} <= set(menus[("all_group_chats", "")])
    assert {"tujuan", "privasi"} <= set(menus[("all_private_chats", "en")])
