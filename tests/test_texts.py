"""The text catalogs: both languages complete, placeholders matching, Indonesian dates."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from bot.offline.entities import parse_html
from handlers.texts import CATALOGS, Markup, format_date, format_datetime, pick_language, t


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_catalogs_have_the_same_keys() -> None:
    assert set(CATALOGS["id"]) == set(CATALOGS["en"])


@pytest.mark.parametrize("key", sorted(CATALOGS["id"]))
def test_placeholders_match_and_markup_is_valid(key: str) -> None:
    indonesian, english = CATALOGS["id"][key], CATALOGS["en"][key]
    assert placeholders(indonesian) == placeholders(english)
    for template in (indonesian, english):
        values = {name: "x" for name in placeholders(template)}
        parse_html(template.format(**values))  # Telegram would refuse broken HTML


def test_values_are_escaped_unless_markup() -> None:
    assert t("id", "start.welcome", name="<i>A&B</i>").startswith(
        "Halo, &lt;i&gt;A&amp;B&lt;/i&gt;!"
    )
    assert t("en", "help.private", commands=Markup("<b>x</b>")).endswith("<b>x</b>")


def test_language_choice() -> None:
    assert pick_language(None, "en-GB", "id") == "en"
    assert pick_language(None, "id", "en") == "id"
    assert pick_language(None, None, "id") == "id"
    assert pick_language("en", "id", "id") == "en"
    assert pick_language(None, "de", "id") == "id"


def test_dates_in_indonesian() -> None:
    moment = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert format_date("id", moment, "Asia/Jakarta") == "Kamis, 3 Desember 2026"
    assert format_date("en", moment, "Asia/Jakarta") == "Thursday, 3 December 2026"
    assert (
        format_datetime("id", moment, "Asia/Makassar") == "Kamis, 3 Desember 2026 pukul 15.00 WITA"
    )
    assert format_datetime("id", moment, "Asia/Jayapura").endswith("pukul 16.00 WIT")
    assert format_datetime("en", moment, "Asia/Jakarta").endswith("at 14:00 WIB")


def test_split_text_counts_like_telegram_and_keeps_markup_whole() -> None:
    from handlers.common import split_text, utf16_len

    emoji = "🙏" * 3000  # 6000 UTF-16 units in 3000 characters
    parts = split_text(emoji)
    assert "".join(parts) == emoji
    assert all(utf16_len(p) <= 4096 for p in parts) and len(parts) == 2

    line = "<b>Catatan</b> &amp; rencana " * 10 + "\n"
    text = line * 40
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    for part in parts:
        parse_html(part)  # every part is valid HTML on its own
    assert "".join(p if p.endswith("\n") else p + "\n" for p in parts).count("Catatan") == 400

    glued = "x" * 4090 + "<b>tebal</b>"
    first, second = split_text(glued)
    assert first == "x" * 4090 and second == "<b>tebal</b>"
