"""Routine meetings in time: recurrence, reminders, holidays and zones.

Pure functions: no telegram, no database. Times are aware datetimes; everything kopi stores is UTC
and every rule is local (a meeting is "Thursday 14.00 WITA" whatever UTC says).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
ZONE_ABBREVIATIONS = {tz: abbreviation for abbreviation, tz in ZONES.items()}

EVE: Literal["eve"] = "eve"
EVE_AT = time(19, 0)
Reminder = int | Literal["eve"]  # minutes before the meeting, or 19.00 the evening before
DEFAULT_REMINDERS: tuple[Reminder, ...] = (EVE, 60)
MAX_REMINDERS = 4
MIN_REMINDER_MINUTES = 5
MAX_REMINDER_MINUTES = 7 * 24 * 60

DEFAULT_DURATION = timedelta(minutes=90)
INVITE_USEFUL_FOR = timedelta(hours=24)
# The weekly digest: Friday 16.00 local, the end of the school week.
DIGEST_WEEKDAY = 4
DIGEST_AT = time(16, 0)
DIGEST_USEFUL_FOR = timedelta(hours=24)
DIGEST_PERIOD = timedelta(days=7)

Status = Literal["scheduled", "cancelled", "holiday"]


@dataclass(frozen=True)
class Rule:
    """A routine meeting: a weekday and local time, every interval_weeks weeks from anchor."""

    weekday: int  # 0 = Monday
    at: time
    timezone: str
    interval_weeks: int = 1
    anchor: date | None = None  # a date of one occurrence: fixes the fortnight's parity


@dataclass(frozen=True)
class Planned:
    """One delivery a meeting (or the digest) calls for: what, when, and until when it helps."""

    kind: str  # "rem:eve", "rem:60", "holiday", "nudge", "invite", "digest"
    due_at: datetime
    useful_until: datetime


def zone(name: str) -> ZoneInfo:
    """Return the time zone called name."""
    return _zone(name)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def at_local(day: date, at: time, timezone: str) -> datetime:
    """Return the UTC moment of a local date and time."""
    return datetime.combine(day, at, tzinfo=zone(timezone)).astimezone(UTC)


def local_date(moment: datetime, timezone: str) -> date:
    """Return the local date of a moment."""
    return moment.astimezone(zone(timezone)).date()


def local_time(moment: datetime, timezone: str) -> time:
    """Return the local wall-clock time of a moment."""
    return moment.astimezone(zone(timezone)).time().replace(tzinfo=None)


def first_date(rule: Rule, after: datetime) -> date:
    """Return the first date of the rule's weekday whose meeting starts at or after a moment."""
    day = local_date(after, rule.timezone)
    day += timedelta(days=(rule.weekday - day.weekday()) % 7)
    if at_local(day, rule.at, rule.timezone) < after:
        day += timedelta(days=7)
    return day


def _on_cycle(rule: Rule, day: date) -> bool:
    if rule.interval_weeks <= 1 or rule.anchor is None:
        return True
    return ((day - rule.anchor).days // 7) % rule.interval_weeks == 0


def occurrences(rule: Rule, start: datetime, end: datetime) -> list[tuple[date, datetime]]:
    """Return the (local date, UTC start) of every meeting starting in [start, end)."""
    found: list[tuple[date, datetime]] = []
    day = first_date(rule, start)
    while True:
        moment = at_local(day, rule.at, rule.timezone)
        if moment >= end:
            return found
        if _on_cycle(rule, day):
            found.append((day, moment))
        day += timedelta(days=7)


def next_occurrences(rule: Rule, after: datetime, count: int) -> list[tuple[date, datetime]]:
    """Return the next count meetings starting at or after a moment."""
    weeks = count * max(rule.interval_weeks, 1) + 1
    return occurrences(rule, after, after + timedelta(weeks=weeks))[:count]


# ---------------------------------------------------------------------------------- holidays

HOLIDAY_LANGUAGES = {"id": "id", "en": "en_US"}


@cache
def _holidays(year: int, language: str) -> dict[date, str]:
    calendar = holidays.country_holidays("ID", years=year, language=language)
    return {day: str(name) for day, name in calendar.items()}


def holiday_name(day: date, lang: str = "id") -> str | None:
    """Return the name of the Indonesian national holiday on a date, if it is one."""
    return _holidays(day.year, HOLIDAY_LANGUAGES.get(lang, "id")).get(day)


# --------------------------------------------------------------------------------- reminders


def reminder_due(starts_at: datetime, reminder: Reminder, timezone: str) -> datetime:
    """Return when a reminder for a meeting is due."""
    if reminder == EVE:
        eve = local_date(starts_at, timezone) - timedelta(days=1)
        return at_local(eve, EVE_AT, timezone)
    return starts_at - timedelta(minutes=reminder)


def reminder_kind(reminder: Reminder) -> str:
    """Return the delivery kind of a reminder ("rem:eve", "rem:60")."""
    return f"rem:{reminder}"


def plan_meeting(
    starts_at: datetime,
    *,
    status: Status,
    reminders: tuple[Reminder, ...],
    timezone: str,
    timing_set_at: datetime,
    duration: timedelta = DEFAULT_DURATION,
) -> list[Planned]:
    """Return the deliveries a meeting calls for, earliest first.

    A delivery due before the meeting's time was decided (timing_set_at) was never scheduled, so
    it is left out rather than "missed". Reminders, nudges and a holiday notice help until the
    meeting starts; the invitation to reflect helps for a day after it ends.
    """
    if status == "cancelled":
        return []
    dues = sorted(
        (reminder_due(starts_at, r, timezone), reminder_kind(r)) for r in dict.fromkeys(reminders)
    )
    if status == "holiday":
        first = dues[0][0] if dues else reminder_due(starts_at, EVE, timezone)
        if first < timing_set_at or first >= starts_at:
            return []
        return [Planned("holiday", first, starts_at)]
    dues = [(due, kind) for due, kind in dues if timing_set_at <= due < starts_at]
    planned = [Planned(kind, due, starts_at) for due, kind in dues]
    # Nudges go to those who did not answer: with the last reminder when there were earlier ones,
    # else halfway between the only reminder and the meeting.
    if len(dues) >= 2:
        planned.append(Planned("nudge", dues[-1][0], starts_at))
    elif len(dues) == 1:
        planned.append(Planned("nudge", dues[0][0] + (starts_at - dues[0][0]) / 2, starts_at))
    ends_at = starts_at + duration
    if ends_at >= timing_set_at:
        planned.append(Planned("invite", ends_at, ends_at + INVITE_USEFUL_FOR))
    return sorted(planned, key=lambda p: (p.due_at, _KIND_ORDER.get(p.kind.split(":")[0], 9)))


_KIND_ORDER = {"holiday": 0, "rem": 1, "nudge": 2, "invite": 3, "digest": 4}


# ------------------------------------------------------------------------------------ digest


def digest_at_or_before(now: datetime, timezone: str) -> datetime:
    """Return the latest weekly digest moment at or before now."""
    today = local_date(now, timezone)
    day = today - timedelta(days=(today.weekday() - DIGEST_WEEKDAY) % 7)
    moment = at_local(day, DIGEST_AT, timezone)
    return moment if moment <= now else at_local(day - timedelta(days=7), DIGEST_AT, timezone)


def digest_after(now: datetime, timezone: str) -> datetime:
    """Return the first weekly digest moment after now."""
    return at_local(
        local_date(digest_at_or_before(now, timezone), timezone) + timedelta(days=7),
        DIGEST_AT,
        timezone,
    )


# --------------------------------------------------------------------------------- reminders typed

# Days, times and dates as people write them are read by scheduler.phrases.

_OFF = {"0", "off", "mati", "tidak", "tanpa", "none", "nonaktif"}
_EVE_WORDS = {"eve", "malam", "19", "19.00", "19:00"}


def parse_reminders(text: str) -> tuple[Reminder, ...] | None:
    """Read '1440 60', '30', 'malam 60' or 'off' into reminder offsets; None if unreadable."""
    words = [w.strip(",;").lower() for w in text.replace(",", " ").split() if w.strip(",;")]
    if not words:
        return None
    if len(words) == 1 and words[0] in _OFF:
        return ()
    found: list[Reminder] = []
    for word in words:
        if word in _EVE_WORDS:
            found.append(EVE)
            continue
        if not word.isdigit():
            return None
        minutes = int(word)
        if not MIN_REMINDER_MINUTES <= minutes <= MAX_REMINDER_MINUTES:
            return None
        found.append(minutes)
    unique = tuple(dict.fromkeys(found))
    if len(unique) > MAX_REMINDERS:
        return None
    return normalize_reminders(unique)


def normalize_reminders(reminders: tuple[Reminder, ...] | list[Reminder]) -> tuple[Reminder, ...]:
    """Return reminders without repeats, the earliest (the evening, then the longest) first."""

    def order(r: Reminder) -> int:
        return 10**9 if r == EVE else int(r)

    return tuple(sorted(dict.fromkeys(reminders), key=order, reverse=True))


def reminders_to_text(reminders: tuple[Reminder, ...]) -> str:
    """Return reminders as kopi stores them: 'eve,60'."""
    return ",".join(str(r) for r in reminders)


def reminders_from_text(stored: str) -> tuple[Reminder, ...]:
    """Return the reminders stored as 'eve,60'."""
    found: list[Reminder] = []
    for part in stored.split(","):
        part = part.strip()
        if part == EVE:
            found.append(EVE)
        elif part.isdigit():
            found.append(int(part))
    return normalize_reminders(found)
