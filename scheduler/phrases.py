"""Times and dates as teachers write them: 'Kamis jam 3 sore', 'setengah 8 malam', 'besok pukul
14.00', 'Kamis depan', 'dua minggu sekali', 'every Thursday at 3pm'.

Pure functions: no telegram, no database. A reader never guesses: what can be read two ways comes
back with every option ('jam 7': 07.00 or 19.00; 'Kamis depan' on a Monday: this week's or next
week's), for the caller to ask about. A part of the day ('sore') is always read as time, never
left over as a place.

Decisions where usage varies:
- A clock written with minutes ('9.30', '19:00') or a leading zero ('07') is read as the 24-hour
  clock, the way Indonesian times are written ('pukul 09.30') and the way kopi shows them. A bare
  hour ('jam 3', 'setengah 8') is the 12-hour clock of speech: 'jam 3' is 15.00, because 03.00 is
  no time for a meeting; 'jam 7' is 07.00 or 19.00, both plausible, so it is asked.
- 'setiap Kamis' names the day, not the frequency: a fortnightly meeting set 'setiap Kamis' stays
  fortnightly unless the line says 'setiap minggu' (the caller shows what it kept).
- 'minggu' is Sunday unless it is part of a frequency ('setiap minggu' with another day named,
  'dua minggu sekali') or of 'minggu depan' (next week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Literal

from scheduler.recurrence import ZONES

_DAY_WORDS = {
    0: ("senin", "sen", "monday", "mon"),
    1: ("selasa", "sel", "tuesday", "tue", "tues"),
    2: ("rabu", "rab", "wednesday", "wed"),
    3: ("kamis", "kam", "thursday", "thu", "thur", "thurs"),
    4: ("jumat", "jum'at", "jumaat", "jum", "friday", "fri"),
    5: ("sabtu", "sab", "saturday", "sat"),
    6: ("minggu", "min", "ahad", "sunday", "sun"),
}
DAYS = {word: day for day, words in _DAY_WORDS.items() for word in words}

_MONTH_WORDS = {
    1: ("januari", "jan", "january"),
    2: ("februari", "feb", "pebruari", "february"),
    3: ("maret", "mar", "march"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "jun", "june"),
    7: ("juli", "jul", "july"),
    8: ("agustus", "agu", "agt", "ags", "aug", "august"),
    9: ("september", "sep", "sept"),
    10: ("oktober", "okt", "oct", "october"),
    11: ("november", "nov", "nop", "nopember"),
    12: ("desember", "des", "dec", "december"),
}
MONTHS = {word: month for month, words in _MONTH_WORDS.items() for word in words}


@dataclass(frozen=True)
class DayPart:
    """A part of the day: the hours it covers, and those offered when only the part is named."""

    key: str
    hours: frozenset[int]
    offered: tuple[int, ...]


def _part(key: str, hours: range | list[int], offered: tuple[int, ...]) -> DayPart:
    return DayPart(key, frozenset(hours), offered)


_NIGHT = [*range(18, 24), 0, 1, 2]
PARTS: dict[str, DayPart] = {
    "subuh": _part("subuh", range(3, 7), (4, 5, 6)),
    "dini": _part("dini", range(0, 5), (3, 4)),
    "pagi": _part("pagi", range(3, 12), (7, 8, 9, 10)),
    "siang": _part("siang", range(10, 16), (11, 12, 13, 14)),
    "sore": _part("sore", range(14, 19), (15, 16, 17)),
    "petang": _part("petang", range(16, 20), (16, 17, 18)),
    "malam": _part("malam", _NIGHT, (19, 20, 21)),
    "morning": _part("morning", range(3, 12), (7, 8, 9, 10)),
    "afternoon": _part("afternoon", range(12, 18), (13, 14, 15, 16)),
    "evening": _part("evening", range(17, 23), (18, 19, 20)),
    "night": _part("night", [*range(19, 24), 0, 1, 2], (19, 20, 21)),
}
# Several words, one part ("dini hari", "in the morning", "at night", "tonight").
_PART_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("dini", "hari"), "dini"),
    (("in", "the", "morning"), "morning"),
    (("in", "the", "afternoon"), "afternoon"),
    (("in", "the", "evening"), "evening"),
    (("at", "night"), "night"),
    (("tonight",), "night"),
    *(((word,), word) for word in PARTS if word != "dini"),
)
# Words that are a time of their own.
_FIXED: tuple[tuple[tuple[str, ...], time], ...] = (
    (("tengah", "hari"), time(12, 0)),
    (("tengah", "malam"), time(0, 0)),
    (("noon",), time(12, 0)),
    (("midday",), time(12, 0)),
    (("midnight",), time(0, 0)),
)
# The hours a meeting may start at when the part of the day is not said: 06.00 to 21.59.
PLAUSIBLE = frozenset(range(6, 22))

_CLOCK = re.compile(
    r"^(?:jam|pukul|pkl)?(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m|p\.m)?(wib|wita|wit)?$"
)
_NUMBER = re.compile(r"^\d{1,2}$")
_RANGE = re.compile(r"^(.+?)(?:-|–|—)(.+)$")
_MARKERS = frozenset({"jam", "pukul", "pkl", "pk", "at", "around", "about", "sekitar", "±"})
_APPROX = (("kurang", "lebih"), ("kira", "kira"), ("kira-kira",))
_MINUTE_WORDS = frozenset({"menit", "mnt", "minutes", "minute", "min"})
_NUMBER_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "one": 1,
    "two": 2,
    "three": 3,
}
_MERIDIEM = {"am": "am", "a.m": "am", "pm": "pm", "p.m": "pm"}
_UNTIL = frozenset({"-", "–", "—", "s/d", "sd", "s.d", "sampai", "hingga", "until", "till"})


# ------------------------------------------------------------------------------ readings


@dataclass(frozen=True)
class TimeReading:
    """A time of day read from words: one option when clear, several when it could be either
    ('jam 7': 07.00 and 19.00; 'sore' alone: its usual hours), none when no time was said."""

    options: tuple[time, ...] = ()
    part: str | None = None  # the part of the day named ("sore"), if any
    until: time | None = None  # the end, when a range was written ("14.00-15.30")

    @property
    def at(self) -> time | None:
        """Return the time when it is clear."""
        return self.options[0] if len(self.options) == 1 else None

    @property
    def ambiguous(self) -> bool:
        """Return whether the time could be read more than one way (ask which)."""
        return len(self.options) > 1


@dataclass(frozen=True)
class ScheduleReading:
    """What a facilitator wrote about a routine meeting; None where the line names nothing."""

    weekday: int | None = None
    clock: TimeReading = field(default_factory=TimeReading)
    timezone: str | None = None
    interval_weeks: int | None = None
    place: str | None = None
    read: tuple[str, ...] = ()  # the words taken as day, time, zone and frequency, as written

    @property
    def at(self) -> time | None:
        return self.clock.at

    @property
    def complete(self) -> bool:
        """Return whether the day and the time are both read, without doubt."""
        return self.weekday is not None and self.at is not None


@dataclass(frozen=True)
class WhenReading:
    """A day and a time of one meeting ('besok jam 3 sore', 'Kamis depan', '4 Desember 13.30')."""

    days: tuple[date, ...] = ()  # one when clear, two when it could be either
    clock: TimeReading = field(default_factory=TimeReading)
    timezone: str | None = None
    rest: str = ""  # what follows that is neither a day nor a time
    read: tuple[str, ...] = ()

    @property
    def day(self) -> date | None:
        return self.days[0] if len(self.days) == 1 else None


# ------------------------------------------------------------------------------ tokens


@dataclass(frozen=True)
class _Token:
    text: str  # as written
    low: str  # lowered, without the punctuation around it
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in re.finditer(r"\S+", text):
        word = match.group()
        low = word.lower().strip(",;!?()[]\"'")
        if low.endswith(".") and low not in ("s.d.", "a.m.", "p.m."):
            low = low.rstrip(".")
        low = {"s.d.": "s.d", "a.m.": "a.m", "p.m.": "p.m"}.get(low, low)
        if low:
            found.append(_Token(word, low, match.start(), match.end()))
    return found


def _words(tokens: list[_Token], i: int, count: int) -> tuple[str, ...]:
    return tuple(t.low for t in tokens[i : i + count])


def _number(word: str) -> int | None:
    if _NUMBER.match(word):
        return int(word)
    return _NUMBER_WORDS.get(word)


# ------------------------------------------------------------------------------ clocks


@dataclass(frozen=True)
class _Clock:
    """A clock as written, before the part of the day decides between 12- and 24-hour."""

    hour: int
    minute: int = 0
    offset: int = 0  # minutes added ("lewat 15") or taken ("kurang seperempat", "setengah")
    meridiem: str | None = None
    twenty_four: bool = False  # written with minutes, a leading zero, or an hour past 12
    zone: str | None = None


def _clock_word(word: str) -> _Clock | None:
    match = _CLOCK.match(word)
    if match is None:
        return None
    digits, minutes, meridiem, zone = match.groups()
    hour, minute = int(digits), int(minutes or 0)
    if minute > 59 or hour > 23:
        return None
    if meridiem and not 1 <= hour <= 12:
        return None
    return _Clock(
        hour,
        minute,
        meridiem=_MERIDIEM[meridiem] if meridiem else None,
        twenty_four=bool(minutes) or digits.startswith("0") or hour == 0 or hour > 12,
        zone=ZONES[zone.upper()] if zone else None,
    )


def _minutes_after(tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """Read '15 [menit]', 'seperempat', 'setengah' at i: (minutes, tokens used)."""
    words = _words(tokens, i, 2)
    if not words:
        return None
    if words[0] in ("seperempat", "quarter"):
        return 15, 1
    if words[0] == "setengah":
        return 30, 1
    if _NUMBER.match(words[0]) and 1 <= int(words[0]) <= 59:
        used = 2 if len(words) > 1 and words[1] in _MINUTE_WORDS else 1
        return int(words[0]), used
    return None


def _read_clock(tokens: list[_Token], i: int) -> tuple[_Clock, int] | None:
    """Read one clock starting at token i: (clock, tokens used)."""
    words = _words(tokens, i, 3)
    if not words:
        return None
    # "setengah 8" is half past seven; "half past 7", "quarter past 7", "quarter to 8".
    if words[0] == "setengah" and len(words) > 1 and _NUMBER.match(words[1]):
        hour = int(words[1])
        return (_Clock(hour, offset=-30), 2) if 1 <= hour <= 24 else None
    if words[:2] in (("half", "past"), ("quarter", "past"), ("quarter", "to")) and len(words) > 2:
        named = _number(words[2])
        if named is None or not 1 <= named <= 12:
            return None
        offset = {"half": 30, "quarter": 15}[words[0]] * (-1 if words[1] == "to" else 1)
        return _Clock(named, offset=offset), 3
    clock = _clock_word(words[0])
    if clock is None:
        return None
    used = 1
    if clock.meridiem is None and len(words) > 1 and words[1] in _MERIDIEM:
        if not 1 <= clock.hour <= 12:
            return None
        clock, used = replace(clock, meridiem=_MERIDIEM[words[1]]), 2
    elif len(words) > 1 and words[1] in ("o'clock", "oclock"):
        used = 2
    elif not clock.twenty_four or clock.minute == 0:
        follow = _words(tokens, i + 1, 1)
        if follow and follow[0] in ("lewat", "lebih", "kurang", "past") and clock.minute == 0:
            minutes = _minutes_after(tokens, i + 2)
            if minutes is not None:
                sign = -1 if follow[0] == "kurang" else 1
                clock, used = replace(clock, offset=sign * minutes[0]), 2 + minutes[1]
    return clock, used


def _resolve(clock: _Clock, part: DayPart | None) -> tuple[time, ...]:
    """Return the times a clock can mean, given the part of the day (if named)."""
    if clock.meridiem is not None:
        hours = [clock.hour % 12 + (12 if clock.meridiem == "pm" else 0)]
    elif clock.twenty_four and (part is None or clock.hour == 0 or clock.hour > 12):
        hours = [clock.hour]
    elif clock.hour > 12 or clock.hour == 0:
        hours = [clock.hour % 24]
    else:
        hours = [clock.hour % 12, clock.hour % 12 + 12]
    found = list(
        dict.fromkeys(_add_minutes(hour * 60 + clock.minute + clock.offset) for hour in hours)
    )
    if len(found) > 1 and clock.meridiem is None:
        allowed = part.hours if part is not None else PLAUSIBLE
        fit = [moment for moment in found if moment.hour in allowed]
        found = fit or found
    return tuple(sorted(found))


def _add_minutes(total: int) -> time:
    total %= 24 * 60
    return time(total // 60, total % 60)


# ------------------------------------------------------------------------------ elements


@dataclass
class _Found:
    """What a reader took so far."""

    weekday: int | None = None
    weekday_next: Literal["", "depan", "week"] = ""  # "Kamis depan", "Kamis minggu depan"
    dates: list[date] = field(default_factory=list)
    clock: _Clock | None = None
    fixed: time | None = None
    until: _Clock | None = None
    part: DayPart | None = None
    timezone: str | None = None
    interval: int | None = None
    read: list[str] = field(default_factory=list)


def _match_phrase(
    tokens: list[_Token], i: int, phrases: tuple[tuple[tuple[str, ...], object], ...]
) -> tuple[object, int] | None:
    for words, value in phrases:
        if _words(tokens, i, len(words)) == words:
            return value, len(words)
    return None


_BIWEEKLY_PHRASES: tuple[tuple[str, ...], ...] = (
    ("setiap", "dua", "minggu", "sekali"),
    ("setiap", "2", "minggu", "sekali"),
    ("tiap", "dua", "minggu", "sekali"),
    ("tiap", "2", "minggu", "sekali"),
    ("setiap", "dua", "minggu"),
    ("setiap", "2", "minggu"),
    ("tiap", "dua", "minggu"),
    ("tiap", "2", "minggu"),
    ("setiap", "dua", "pekan"),
    ("tiap", "dua", "pekan"),
    ("dua", "minggu", "sekali"),
    ("2", "minggu", "sekali"),
    ("dua", "pekan", "sekali"),
    ("2", "pekan", "sekali"),
    ("selang", "seminggu"),
    ("seling", "seminggu"),
    ("every", "two", "weeks"),
    ("every", "2", "weeks"),
    ("every", "other", "week"),
    ("every", "second", "week"),
    ("dwimingguan",),
    ("dwi-mingguan",),
    ("2-mingguan",),
    ("dua-mingguan",),
    ("biweekly",),
    ("bi-weekly",),
    ("fortnightly",),
)
_WEEKLY_PHRASES: tuple[tuple[str, ...], ...] = (
    ("seminggu", "sekali"),
    ("sepekan", "sekali"),
    ("satu", "minggu", "sekali"),
    ("1", "minggu", "sekali"),
    ("setiap", "pekan"),
    ("tiap", "pekan"),
    ("every", "week"),
    ("each", "week"),
    ("mingguan",),
    ("weekly",),
)
_SCHEDULE_FILLERS = frozenset(
    {"hari", "setiap", "tiap", "every", "each", "on", "pada", ",", "-", "–", "ya", "rutin"}
)


def _interval(tokens: list[_Token], i: int, other_day: bool) -> tuple[int, int] | None:
    """Read 'dua minggu sekali', 'setiap minggu' ... at i: (weeks, tokens used)."""
    for phrase in _BIWEEKLY_PHRASES:
        if _words(tokens, i, len(phrase)) == phrase:
            return 2, len(phrase)
    for phrase in _WEEKLY_PHRASES:
        if _words(tokens, i, len(phrase)) == phrase:
            return 1, len(phrase)
    # "setiap minggu" is weekly when another day is named; else it is "every Sunday".
    words = _words(tokens, i, 2)
    if other_day and words in (("setiap", "minggu"), ("tiap", "minggu")):
        return 1, 2
    return None


def _zone(word: str) -> str | None:
    if word.upper() in ZONES:
        return ZONES[word.upper()]
    for tz in ZONES.values():
        if word == tz.lower():
            return tz
    return None


def _time_element(tokens: list[_Token], i: int, found: _Found) -> int:
    """Take a part of the day, a clock, a range or a fixed time at i; return tokens used."""
    part = _match_phrase(tokens, i, _PART_PHRASES)
    if part is not None and found.part is None:
        found.part = PARTS[str(part[0])]
        return part[1]
    fixed = _match_phrase(tokens, i, _FIXED)
    if fixed is not None and found.clock is None and found.fixed is None:
        assert isinstance(fixed[0], time)
        found.fixed = fixed[0]
        return fixed[1]
    if found.clock is not None or found.fixed is not None:
        return 0
    word = tokens[i].low
    ranged = _RANGE.match(word)
    if ranged and _clock_word(ranged.group(1)) and _clock_word(ranged.group(2)):
        found.clock, found.until = _clock_word(ranged.group(1)), _clock_word(ranged.group(2))
        return 1
    clock = _read_clock(tokens, i)
    if clock is None:
        return 0
    found.clock, used = clock
    # "14.00 - 15.30", "14.00 s/d 15.30", "pukul 14.00 sampai 15.30".
    words = _words(tokens, i + used, 1)
    if words and words[0] in _UNTIL:
        end = _read_clock(tokens, i + used + 1)
        if end is not None:
            found.until = end[0]
            used += 1 + end[1]
    return used


def _apply_zone(found: _Found) -> None:
    for clock in (found.clock, found.until):
        if clock is not None and clock.zone is not None and found.timezone is None:
            found.timezone = clock.zone


def _time_of(found: _Found) -> TimeReading:
    part_key = found.part.key if found.part is not None else None
    if found.fixed is not None:
        return TimeReading((found.fixed,), part_key)
    if found.clock is None:
        if found.part is None:
            return TimeReading()
        return TimeReading(tuple(time(h) for h in found.part.offered), part_key)
    options = _resolve(found.clock, found.part)
    until = None
    if found.until is not None and len(options) == 1:
        # The end is after the start: "1-3 sore", "14.00-15.30", "7-9 malam".
        ends = [e for e in _resolve(found.until, found.part) if e > options[0]]
        if not ends and found.until.twenty_four is False:
            ends = [
                e for e in _resolve(replace(found.until, twenty_four=False), None) if e > options[0]
            ]
        until = ends[0] if ends else None
    return TimeReading(options, part_key, until)


def read_time(text: str) -> TimeReading:
    """Read a time said alone ('19.00', 'jam 7 malam', 'malam', 'setengah 4 sore'); nothing
    when the text says something else too."""
    tokens = _tokens(text)
    found = _Found()
    i = 0
    while i < len(tokens):
        used = _time_element(tokens, i, found)
        if used:
            i += used
        elif tokens[i].low in _MARKERS or tokens[i].low in ("saja", "aja", "ya", "ok"):
            i += 1
        else:
            return TimeReading()
    return _time_of(found)


def choose(options: tuple[time, ...], text: str) -> time | None:
    """Return the time an answer picks among options ('malam' of 07.00 and 19.00; any time
    said in full, '18.30'); None when it picks none or several."""
    reading = read_time(text)
    if reading.at is not None:
        return reading.at
    if reading.part is not None:
        hours = PARTS[reading.part].hours
        fit = [o for o in options if o.hour in hours]
    else:
        fit = [o for o in options if o in reading.options]
    return fit[0] if len(fit) == 1 else None


# ------------------------------------------------------------------------------ schedules


_RELATIVE: tuple[tuple[tuple[str, ...], int], ...] = (
    (("the", "day", "after", "tomorrow"), 2),
    (("day", "after", "tomorrow"), 2),
    (("besok", "lusa"), 2),
    (("hari", "ini"), 0),
    (("besok",), 1),
    (("esok",), 1),
    (("lusa",), 2),
    (("tomorrow",), 1),
    (("today",), 0),
)


def _relative_day(tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """Read 'besok', 'lusa', 'hari ini' ... at i: (days from today, tokens used)."""
    for words, shift in _RELATIVE:
        if _words(tokens, i, len(words)) == words:
            return shift, len(words)
    return None


def _schedule_element(
    tokens: list[_Token], i: int, found: _Found, other_day: bool, today: date | None
) -> int:
    """Take one element of a schedule line at i; return how many tokens it used (0: none)."""
    word = tokens[i].low
    if found.interval is None and (interval := _interval(tokens, i, other_day)) is not None:
        found.interval = interval[0]
        return interval[1]
    if found.weekday is None and word in DAYS:
        if word in ("minggu", "min") and _words(tokens, i + 1, 1) == ("depan",):
            return 0
        found.weekday = DAYS[word]
        # A routine starting this or next week is still that weekday.
        return 2 if _words(tokens, i + 1, 1) in (("ini",), ("depan",)) else 1
    relative = _relative_day(tokens, i)
    if found.weekday is None and relative is not None and today is not None:
        found.weekday = (today + timedelta(days=relative[0])).weekday()
        return relative[1]
    used = _time_element(tokens, i, found)
    if used:
        _apply_zone(found)
        return used
    if found.timezone is None and (tz := _zone(word)) is not None:
        found.timezone = tz
        return 1
    if word in _MARKERS or word in _SCHEDULE_FILLERS:
        return -1
    for phrase in _APPROX:
        if _words(tokens, i, len(phrase)) == phrase:
            return -len(phrase)
    return 0


_STRONG = frozenset({"jam", "pukul", "pkl"})


def _strong(tokens: list[_Token], i: int) -> bool:
    """Return whether a schedule element may start at i inside the place's words (a bare number
    may be a room: 'Ruang 3')."""
    word = tokens[i].low
    if word in _STRONG or word in DAYS or _zone(word) is not None:
        return True
    if _match_phrase(tokens, i, _PART_PHRASES) or _match_phrase(tokens, i, _FIXED):
        return True
    if _interval(tokens, i, True) is not None:
        return True
    clock = _clock_word(word)
    return clock is not None and (clock.twenty_four or clock.meridiem is not None)


def _scan(tokens: list[_Token], start: int, found: _Found, today: date | None) -> int:
    """Take schedule elements from start on; return the index of the first word not taken."""
    other_day = any(t.low in DAYS and t.low not in ("minggu", "min") for t in tokens)
    i = start
    while i < len(tokens):
        used = _schedule_element(tokens, i, found, other_day, today)
        if used == 0:
            return i
        if used > 0:  # a filler (negative) is taken but not worth naming
            found.read.append(" ".join(t.text for t in tokens[i : i + used]).strip(",;"))
        i += abs(used)
    return i


_PLACE_MARKERS = frozenset({"di", "at", "@", "tempat", "tempatnya", "lokasi", "in", "via:"})


def read_schedule(text: str, today: date | None = None) -> ScheduleReading:
    """Read 'Kamis jam 3 sore WITA dua minggu sekali di Ruang Guru' (in any order up to the place).

    Day, time, zone and frequency come first; the first word that is none of them starts the
    place, which runs to the end, unless the line ends with more of them ('Ruang Guru, jam 3
    sore'). today: for 'besok', 'lusa' and 'hari ini' (their weekday).
    """
    tokens = _tokens(text)
    found = _Found()
    stop = _scan(tokens, 0, found, today)
    place_end = len(tokens)
    # The first strong element after which every word is taken ends the place.
    for j in range(stop + 1, len(tokens)):
        if not _strong(tokens, j):
            continue
        trial = replace(found, read=list(found.read))
        if _scan(tokens, j, trial, today) == len(tokens):
            found, place_end = trial, j
            break
    place: str | None = None
    if stop < place_end:
        first = stop
        if tokens[first].low in _PLACE_MARKERS and first + 1 < place_end:
            first += 1
        begin = tokens[first].start
        if text[begin] == "@":
            begin += 1
        place = text[begin : tokens[place_end - 1].end].strip(" ,;-") or None
    return ScheduleReading(
        weekday=found.weekday,
        clock=_time_of(found),
        timezone=found.timezone,
        interval_weeks=found.interval,
        place=place,
        read=tuple(found.read),
    )


# ------------------------------------------------------------------------------ one meeting's day


_DMY = re.compile(r"^(\d{1,2})[/\-](\d{1,2})(?:[/\-](\d{2}|\d{4}))?$")
_DMY_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NEXT_WEEK = (("minggu", "depan"), ("pekan", "depan"), ("next", "week"))
_WHEN_FILLERS = frozenset({"hari", "pada", "on", "ke", "jadi", "tanggal", "tgl", ",", "this"})
YearRule = Literal["next", "this"]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dated(today: date, month: int, day: int, rule: YearRule) -> date | None:
    """Return a date without a year: the next one (today included), or this year's."""
    found = _safe_date(today.year, month, day)
    if rule == "next" and (found is None or found < today):
        found = _safe_date(today.year + 1, month, day) if found is not None else None
        if found is None:  # 29 February: the next year that has one
            for year in range(today.year, today.year + 8):
                candidate = _safe_date(year, month, day)
                if candidate is not None and candidate >= today:
                    return candidate
    return found


def _year(word: str) -> int | None:
    return int(word) if re.fullmatch(r"\d{4}", word) else None


def _date_element(
    tokens: list[_Token], i: int, today: date, rule: YearRule
) -> tuple[date | None, int, bool] | None:
    """Read a calendar date at i: (the date, None when it does not exist; tokens used; whether
    a year was written)."""
    word = tokens[i].low
    if iso := _ISO.match(word):
        return _safe_date(*(int(g) for g in iso.groups())), 1, True
    dmy = _DMY.match(word) or _DMY_DOTS.match(word)
    if dmy:
        day, month, year = int(dmy.group(1)), int(dmy.group(2)), dmy.group(3)
        if year is not None:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return _safe_date(full, month, day), 1, True
        return _dated(today, month, day, rule), 1, False
    words = _words(tokens, i, 3)
    if _NUMBER.match(word) and len(words) > 1 and words[1] in MONTHS:  # 4 Desember [2026]
        day, month = int(word), MONTHS[words[1]]
    elif word in MONTHS and len(words) > 1 and _NUMBER.match(words[1]):  # December 4[, 2026]
        day, month = int(words[1]), MONTHS[word]
    else:
        return None
    if len(words) > 2 and (year := _year(words[2])) is not None:
        return _safe_date(year, month, day), 3, True
    return _dated(today, month, day, rule), 2, False


def _weekday_dates(
    tokens: list[_Token], i: int, today: date
) -> tuple[tuple[date, ...], int] | None:
    """Read 'Kamis', 'Kamis depan', 'Kamis minggu depan', 'next Thursday' at i."""
    words = _words(tokens, i, 3)
    nxt = False
    used = 0
    if words[:1] == ("next",) and len(words) > 1 and words[1] in DAYS:
        nxt, used, words = True, 1, words[1:]
    if not words or words[0] not in DAYS:
        return None
    weekday = DAYS[words[0]]
    if words[0] in ("minggu", "min") and words[1:2] == ("depan",):
        return None  # "minggu depan" alone is next week, not a day
    used += 1
    coming = today + timedelta(days=(weekday - today.weekday()) % 7)
    monday_next = today + timedelta(days=7 - today.weekday())
    in_next_week = monday_next + timedelta(days=weekday)
    rest = _words(tokens, i + used, 2)
    if rest in _NEXT_WEEK:
        return (in_next_week,), used + 2
    if rest[:1] == ("depan",) or (rest[:1] == ("next",) and rest[1:2] == ("week",)) or nxt:
        used += 0 if nxt else 1
        # "Kamis depan": the Thursday of next week, or the coming one if it is still this
        # week; when both can be meant, both are given.
        if coming == today or coming >= monday_next:
            return (in_next_week,), used
        return (coming, in_next_week), used
    if rest[:1] == ("ini",):
        return (coming,), used + 1
    return (coming,), used


def read_when(text: str, today: date, *, year: YearRule = "next") -> WhenReading:
    """Read the day and time of one meeting ('besok jam 3 sore', 'Kamis depan 19.00', '4/12').

    Day names mean the next such day, today included; a date without a year the next one
    (year="this": this year's). What follows that is neither day nor time is the rest.
    """
    tokens = _tokens(text)
    found = _Found()
    days: tuple[date, ...] = ()
    weekday_days: tuple[date, ...] = ()
    i = 0
    while i < len(tokens):
        start = i
        relative = _relative_day(tokens, i)
        if relative is not None and not days and not weekday_days:
            days, i = (today + timedelta(days=relative[0]),), i + relative[1]
        elif not days and (dated := _date_element(tokens, i, today, year)) is not None:
            if dated[0] is None:
                return WhenReading(rest=text)  # a date that does not exist (31/2)
            days, i = (dated[0],), i + dated[1]
        elif not weekday_days and (wd := _weekday_dates(tokens, i, today)) is not None:
            weekday_days, i = wd[0], i + wd[1]
        elif (used := _time_element(tokens, i, found)) > 0:
            _apply_zone(found)
            i += used
        elif found.timezone is None and (tz := _zone(tokens[i].low)) is not None:
            found.timezone, i = tz, i + 1
        elif tokens[i].low in _WHEN_FILLERS or tokens[i].low in _MARKERS:
            i += 1
        else:
            break
        if tokens[start].low not in _WHEN_FILLERS | _MARKERS:
            found.read.append(" ".join(t.text for t in tokens[start:i]).strip(",;"))
    if days and weekday_days:
        # "Kamis, 3 Desember 2026": the day name agrees with the date, or both are offered.
        if days[0].weekday() != weekday_days[0].weekday():
            days = (days[0], weekday_days[0])
    elif weekday_days:
        days = weekday_days
    rest = text[tokens[i].start :].strip() if i < len(tokens) else ""
    return WhenReading(days, _time_of(found), found.timezone, rest, tuple(found.read))


# ------------------------------------------------------------------------------ periods

_PERIOD_FILLERS = frozenset({"dari", "from", "tanggal", "tgl", "bulan", "periode", "mulai"})
_NOW = (
    (("hari", "ini"), 0),
    (("sekarang",), 0),
    (("today",), 0),
    (("now",), 0),
    (("kemarin",), -1),
    (("yesterday",), -1),
)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _period_point(tokens: list[_Token], i: int, today: date) -> tuple[date, date, int, bool] | None:
    """Read a day or a month at i: (first day, last day, tokens used, whether a year was said)."""
    for words, shift in _NOW:
        if _words(tokens, i, len(words)) == words:
            day = today + timedelta(days=shift)
            return day, day, len(words), True
    dated = _date_element(tokens, i, today, "this")
    if dated is not None:
        day_, used, said_year = dated
        return (day_, day_, used, said_year) if day_ is not None else None
    pair = _words(tokens, i, 2)
    if pair and pair[0] in MONTHS:  # "Agustus", "Agustus 2026": the whole month
        month = MONTHS[pair[0]]
        if len(pair) > 1 and (year := _year(pair[1])) is not None:
            return date(year, month, 1), _month_end(year, month), 2, True
        return date(today.year, month, 1), _month_end(today.year, month), 1, False
    return None


def read_period(text: str, today: date) -> tuple[date, date] | None:
    """Read the days of a report: two dates ('1/8/2026 - 30/11/2026', '1 Agustus sampai hari
    ini'), or months ('Agustus', 'Agustus - November 2026'). A report looks back: no 'besok' or
    day names. A date without a year is this year's (or the year named on the other end)."""
    tokens = [t for t in _tokens(text) if t.low not in _PERIOD_FILLERS]
    if not tokens:
        return None
    first = _period_point(tokens, 0, today)
    if first is None:
        return None
    i = first[2]
    if i < len(tokens) and tokens[i].low in _UNTIL | {"to", "s/d", "s.d", "sd", "dengan"}:
        i += 1
        if i < len(tokens) and tokens[i].low == "dengan":  # "sampai dengan"
            i += 1
    if i >= len(tokens):
        return (first[0], first[1]) if first[1] != first[0] else None
    last = _period_point(tokens, i, today)
    if last is None or i + last[2] != len(tokens):
        return None
    start, end = first[0], last[1]
    if not first[3] and last[3]:
        # "1 Agustus - 31 Januari 2027": the first end takes the year named on the other.
        for year in (end.year, end.year - 1):
            shifted = _safe_date(year, start.month, start.day)
            if shifted is not None and shifted <= end:
                start = shifted
                break
    return (start, end) if start <= end else (end, start)


def read_report_day(text: str, today: date) -> tuple[date | None, str]:
    """Read one day of a report at the start of text ('1/7/2026', '1 Juli', 'hari ini'; no
    'besok' or day names); return it and what follows."""
    tokens = _tokens(text)
    point = _period_point(tokens, 0, today) if tokens else None
    if point is None or point[0] != point[1]:
        return None, text.strip()
    used = point[2]
    return point[0], text[tokens[used].start :].strip() if used < len(tokens) else ""
