"""Lengths as Telegram counts them: in UTF-16 code units (an emoji is often two)."""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Return the length of a text as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2
