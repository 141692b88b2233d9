"""Keyed texts in Bahasa Indonesia (default) and English, and date formatting.

Every feature keeps its texts in a module here with two dicts, ``ID`` and ``EN``, holding the same
keys and the same placeholders. Texts are HTML (Telegram's HTML parse mode): :func:`t` escapes every
value it fills in unless it is wrapped in :class:`Markup`.
"""

from __future__ import annotations

import html
from datetime import datetime
from types import ModuleType
from zoneinfo import ZoneInfo

from handlers.texts import agreements as agreements_texts
from handlers.texts import capture as capture_texts
from handlers.texts import core
from handlers.texts import meetings as meetings_texts
from handlers.texts import personal_data as personal_data_texts
from handlers.texts import privacy as privacy_texts
from handlers.texts import private as private_texts
from handlers.texts import reflections as reflections_texts
from handlers.texts import reports as reports_texts

LANGUAGES = ("id", "en")
MODULES: tuple[ModuleType, ...] = (
    core,
    capture_texts,
    meetings_texts,
    reflections_texts,
    agreements_texts,
    privacy_texts,
    personal_data_texts,
    reports_texts,
    private_texts,
)


class Markup(str):
    """A text fragment that is already HTML and must not be escaped again."""

    __slots__ = ()


def _merge() -> dict[str, dict[str, str]]:
    catalogs: dict[str, dict[str, str]] = {"id": {}, "en": {}}
    for module in MODULES:
        for lang, texts in (("id", module.ID), ("en", module.EN)):
            clash = catalogs[lang].keys() & texts.keys()
            if clash:
                raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
            catalogs[lang].update(texts)
    return catalogs


CATALOGS = _merge()


def t(lang: str, key: str, /, **values: object) -> str:
    """Return the text for key in lang, with values filled in (escaped unless Markup)."""
    catalog = CATALOGS.get(lang) or CATALOGS["id"]
    template = catalog.get(key)
    if template is None:
        template = CATALOGS["id"][key]
    safe = {
        name: value
        if isinstance(value, Markup) or not isinstance(value, str)
        else html.escape(value, quote=False)
        for name, value in values.items()
    }
    return template.format(**safe)


def pick_language(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """Return the language to speak to a person: their choice, else their Telegram app's."""
    if chosen in LANGUAGES:
        return chosen
    code = (telegram_code or "").lower()
    if code.startswith("en"):
        return "en"
    if code.startswith(("id", "in", "jv", "su", "ms")):
        return "id"
    return default


_DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def format_date(lang: str, moment: datetime, timezone: str | None = None) -> str:
    """Return a date such as 'Kamis, 5 Desember 2026' in the given zone."""
    local = moment.astimezone(ZoneInfo(timezone)) if timezone else moment
    lang = lang if lang in _DAYS else "id"
    return (
        f"{_DAYS[lang][local.weekday()]}, {local.day} {_MONTHS[lang][local.month - 1]} {local.year}"
    )


def format_datetime(lang: str, moment: datetime, timezone: str) -> str:
    """Return a date and time such as 'Kamis, 5 Desember 2026 pukul 14.00 WITA'."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = _ZONES.get(timezone, timezone)
    if lang == "en":
        return f"{format_date(lang, local)} at {local:%H:%M} {zone}"
    return f"{format_date(lang, local)} pukul {local:%H.%M} {zone}"
