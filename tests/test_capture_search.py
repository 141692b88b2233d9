"""/cari: full-text search of a community's concerns and good practices (SQLite FTS5 or
PostgreSQL), prefixes, Indonesian words, and input that must never break it."""

from __future__ import annotations

import pytest

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.capture import search_terms
from tests.conftest import Clock

ITEMS = [
    "#keresahan Minat baca siswa kelas 7 rendah sekali #literasi",
    "#praktikbaik Pojok baca dengan buku cerita rakyat #literasi",
    "#keresahan Siswa takut pada pecahan dan perbandingan #numerasi",
    "#praktikbaik Permainan kartu pecahan untuk numerasi",
    "#keresahan Orang tua jarang membaca grup WhatsApp sekolah",
]


@pytest.fixture
async def filled(kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON) -> JSON:
    for text in ITEMS:
        await kopi.process(fake.message(sari, joined, text))
    fake.clear()
    return joined


async def search(kopi: OfflineBot, fake: FakeTelegram, user: JSON, group: JSON, words: str) -> str:
    calls = await kopi.process(fake.message(user, group, f"/cari {words}"))
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1, [c.method for c in calls]
    assert all(c.error is None for c in calls)
    return sent[0].text


async def test_words_are_found_as_prefixes_in_concerns_and_practices(
    kopi: OfflineBot, fake: FakeTelegram, filled: JSON, budi: JSON
) -> None:
    text = await search(kopi, fake, budi, filled, "pecah")
    assert "Hasil pencarian “pecah”: 2" in text
    assert "Siswa takut pada pecahan" in text and "Permainan kartu pecahan" in text
    assert "keresahan · baru" in text and "praktik baik" in text
    # Hashtags are words too; every word must match when some item has them all...
    text = await search(kopi, fake, budi, filled, "baca literasi")
    assert "Minat baca" in text and "Pojok baca" in text and "Orang tua" not in text
    # ... and any word does when none has them all.
    text = await search(kopi, fake, budi, filled, "WhatsApp kartu")
    assert "Orang tua jarang" in text and "Permainan kartu" in text
    assert "Tidak ada" in await search(kopi, fake, budi, filled, "kurikulum")


async def test_results_open_their_detail(
    kopi: OfflineBot, fake: FakeTelegram, filled: JSON, budi: JSON
) -> None:
    await search(kopi, fake, budi, filled, "rakyat")
    results = fake.message_of(fake.last(filled))
    [detail] = [
        b["callback_data"] for row in results["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert detail == "cp:d:2:x"
    await kopi.process(fake.press(budi, results, detail))
    assert "Praktik baik No. 2" in results["text"]
    assert "Pojok baca dengan buku cerita rakyat" in results["text"]


async def test_the_solution_plan_and_edits_are_searchable(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    update = fake.message(sari, joined, "#keresahan Proyektor rusak")
    await kopi.process(update)
    await kopi.process(fake.message(budi, joined, "/keresahan"))
    shown = fake.message_of(fake.last(joined))
    await kopi.process(fake.press(budi, shown, "cp:d:1:o0"))
    await kopi.process(fake.message(budi, joined, "Ajukan dana BOS semester depan", reply_to=shown))
    assert "Proyektor rusak" in await search(kopi, fake, budi, joined, "dana bos")
    await kopi.process(fake.edit(update, "#keresahan Layar interaktif mati"))
    assert "Tidak ada" in await search(kopi, fake, budi, joined, "proyektor")
    assert "Layar interaktif" in await search(kopi, fake, budi, joined, "interaktif")


HOSTILE = [
    '"',
    '"""',
    "*",
    "**",
    "(",
    ")",
    "()",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(baca pecahan, 2)",
    "baca AND",
    "NOT baca",
    "-baca",
    "baca -",
    "- - -",
    "^baca",
    "baca:*",
    "text:baca",
    "'baca'",
    "&|!<->",
    "baca & | !",
    "{baca}",
    "[baca]",
    "\\",
    "%_%",
    "'; DROP TABLE capture_items; --",
    "🙏🔥",
    "baca 🙏",
    "<b>baca</b>",
    "   ",
    "_",
    "__init__",
    "x" * 300,
    "kata " * 50,
    "ÀÉÎõü",
    "مرحبا",
    "漢字",
]


async def test_any_input_is_safe(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, filled: JSON, budi: JSON
) -> None:
    for words in HOSTILE:
        clock.advance(minutes=1)  # one search a minute: never paused by the command limit
        text = await search(kopi, fake, budi, filled, words)
        assert "Maaf, ada yang tidak beres" not in text, words
        assert text.startswith(("🔎", "Tidak ada", "Tuliskan kata", "Budi, apa yang ingin")), words
    # Operators are ordinary words; when no item has them all, any of them matches.
    assert "Pojok baca" in await search(kopi, fake, budi, filled, '"baca" (NOT) -*')


async def test_search_terms_leave_only_words() -> None:
    assert search_terms('"baca" AND (pecahan*) -NOT 🙏') == ["baca", "and", "pecahan", "not"]
    assert search_terms("") == [] and search_terms("🙏 * ( ) -") == []
    assert search_terms("Baca baca BACA") == ["baca"]
    assert len(search_terms("a b c d e f g h i j k")) == 8


async def test_cari_alone_asks_and_the_answer_searches_as_a_reply_or_the_next_message(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, filled: JSON, budi: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(budi, filled, "/cari"))
    prompt = fake.last(filled)
    assert prompt.text.startswith("Budi, apa yang ingin dicari?")
    assert prompt.params["reply_markup"] == {
        "force_reply": True,
        "selective": True,
        "input_field_placeholder": "literasi, numerasi…",
    }
    await kopi.process(fake.message(budi, filled, "numerasi", reply_to=fake.message_of(prompt)))
    assert "Hasil pencarian “numerasi”: 2" in fake.last(filled).text

    # The same question answered by Budi's next plain message; Sari's chatter is not his answer.
    clock.advance(minutes=1)
    await kopi.process(fake.message(budi, filled, "/cari"))
    fake.clear()
    assert await kopi.process(fake.message(sari, filled, "Selamat pagi")) == []
    await kopi.process(fake.message(budi, filled, "pecahan"))
    assert "Hasil pencarian “pecahan”" in fake.last(filled).text
    # Answered once: his next message is chatter again.
    assert await kopi.process(fake.message(budi, filled, "Terima kasih")) == []

    clock.advance(minutes=1)
    await kopi.process(fake.message(budi, filled, "/cari"))
    await kopi.process(fake.message(budi, filled, "batal"))
    assert fake.last(filled).text == "Baik, dibatalkan. Tidak ada yang berubah."


async def test_search_is_in_the_groups_language(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, sari: JSON
) -> None:
    await kopi.process(fake.bot_added(group, sari))  # an English-speaking group
    await kopi.process(fake.message(sari, group, "#goodpractice Reading buddies"))
    text = await search(kopi, fake, sari, group, "read")
    assert text.startswith("🔎 Search results for “read”: 1")
    assert "good practice" in text


def test_community_terms_fold_case_and_diacritics() -> None:
    from models.capture import community_terms

    assert community_terms(7, "Murid KRÉATIF, membaca_buku!", None) == (
        "k7xmurid k7xkreatif k7xmembaca k7xbuku"
    )
    assert community_terms(7, "") == ""
