"""Times and dates as teachers write them (scheduler.phrases), and the round trip: every line kopi
accepts reads back the same from the way kopi shows it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.meetings_common import rule_words
from handlers.texts import format_datetime
from scheduler.phrases import read_period, read_schedule, read_when
from scheduler.recurrence import ZONES, at_local

TODAY = date(2026, 11, 26)  # a Thursday
MONDAY = date(2026, 11, 30)
JAKARTA, MAKASSAR, JAYAPURA = ZONES["WIB"], ZONES["WITA"], ZONES["WIT"]
URL = "https://meet.example/abc"


def clock(*times: str) -> tuple[time, ...]:
    return tuple(time.fromisoformat(t) for t in times)


@pytest.mark.parametrize(
    ("line", "weekday", "times", "zone", "weeks", "place"),
    [
        # The sentence: 15.00, and "sore" is no place.
        ("Kamis jam 3 sore", 3, clock("15:00"), None, None, None),
        ("Kamis 14:00 WITA", 3, clock("14:00"), MAKASSAR, None, None),
        ("kamis 14.00", 3, clock("14:00"), None, None, None),
        ("Thursday 2pm WIT", 3, clock("14:00"), JAYAPURA, None, None),
        ("14:30 Rabu", 2, clock("14:30"), None, None, None),
        ("Minggu 10:00", 6, clock("10:00"), None, None, None),
        ("Kamis 14:00 setiap minggu", 3, clock("14:00"), None, 1, None),
        (
            "Jumat 15.30 dua minggu sekali Ruang guru lt. 2",
            4,
            clock("15:30"),
            None,
            2,
            "Ruang guru lt. 2",
        ),
        ("Selasa jam 13 di Lab IPA", 1, clock("13:00"), None, None, "Lab IPA"),
        ("Sen 08.00 biweekly https://meet.example/abc", 0, clock("08:00"), None, 2, URL),
        ("Rabu setengah 4 sore", 2, clock("15:30"), None, None, None),
        ("Selasa jam 3 lewat 15", 1, clock("15:15"), None, None, None),
        ("Senin jam 4 kurang seperempat", 0, clock("15:45"), None, None, None),
        ("Jumat jam 1 siang", 4, clock("13:00"), None, None, None),
        ("Sabtu jam 8 pagi @perpustakaan", 5, clock("08:00"), None, None, "perpustakaan"),
        ("Kamis jam 7 malam di Aula", 3, clock("19:00"), None, None, "Aula"),
        ("Rabu jam 6 petang", 2, clock("18:00"), None, None, None),
        ("Ahad jam 5 subuh", 6, clock("05:00"), None, None, None),
        ("Kamis jam 12 malam", 3, clock("00:00"), None, None, None),
        ("Kamis pukul 7.30 malam", 3, clock("19:30"), None, None, None),
        ("setiap Kamis pukul 15.00 dua minggu sekali", 3, clock("15:00"), None, 2, None),
        ("tiap 2 minggu Jumat 13.30 WIB", 4, clock("13:30"), JAKARTA, 2, None),
        ("Kamis 15.00 setiap dua minggu", 3, clock("15:00"), None, 2, None),
        ("every Thursday at 3pm", 3, clock("15:00"), None, None, None),
        ("every other week Friday 4 pm", 4, clock("16:00"), None, 2, None),
        ("Wednesday half past 7 in the evening", 2, clock("19:30"), None, None, None),
        ("Thursday quarter to 4 in the afternoon", 3, clock("15:45"), None, None, None),
        ("Kamis di Aula, jam 3 sore", 3, clock("15:00"), None, None, "Aula"),
        ("Kamis 14.00-15.30 Ruang 3", 3, clock("14:00"), None, None, "Ruang 3"),
        # Ambiguous: both are offered, nothing is taken as the place.
        ("Kamis jam 7", 3, clock("07:00", "19:00"), None, None, None),
        ("Jumat pukul 8 di Aula", 4, clock("08:00", "20:00"), None, None, "Aula"),
        ("Kamis setengah 8", 3, clock("07:30", "19:30"), None, None, None),
        ("Kamis sore", 3, clock("15:00", "16:00", "17:00"), None, None, None),
        # A clock with minutes is the 24-hour clock, as Indonesian times are written.
        ("friday 9.30", 4, clock("09:30"), None, None, None),
        ("Kamis 07.00", 3, clock("07:00"), None, None, None),
        ("Kamis jam 3", 3, clock("15:00"), None, None, None),  # 03.00 is no meeting time
        ("Kamis jam 10", 3, clock("10:00"), None, None, None),
        ("besok sore", 4, clock("15:00", "16:00", "17:00"), None, None, None),  # Friday
        ("nanti saja", None, (), None, None, "nanti saja"),
    ],
)
def test_schedule_lines(
    line: str,
    weekday: int | None,
    times: tuple[time, ...],
    zone: str | None,
    weeks: int | None,
    place: str | None,
) -> None:
    read = read_schedule(line, TODAY)
    assert (read.weekday, read.clock.options, read.timezone, read.interval_weeks, read.place) == (
        weekday,
        times,
        zone,
        weeks,
        place,
    )


def test_a_schedule_reading_says_what_it_read() -> None:
    read = read_schedule("Kamis jam 3 sore di Ruang Guru")
    assert read.read == ("Kamis", "3", "sore")
    assert read.clock.part == "sore" and read.complete
    seven = read_schedule("Kamis jam 7")
    assert not seven.complete and seven.clock.ambiguous
    assert read_schedule("Kamis 14.00-15.30").clock.until == time(15, 30)
    ranged = read_schedule("Kamis jam 1-3 siang").clock
    assert (ranged.at, ranged.until) == (time(13, 0), time(15, 0))


@pytest.mark.parametrize(
    ("text", "today", "days", "times", "rest"),
    [
        ("besok 15:00", TODAY, (date(2026, 11, 27),), clock("15:00"), ""),
        ("besok jam 3 sore", TODAY, (date(2026, 11, 27),), clock("15:00"), ""),
        ("lusa", TODAY, (date(2026, 11, 28),), (), ""),
        ("Jumat", TODAY, (date(2026, 11, 27),), (), ""),
        ("kamis", TODAY, (TODAY,), (), ""),
        ("Kamis depan", TODAY, (date(2026, 12, 3),), (), ""),
        # On a Monday "Kamis depan" is this week's or next week's: both are offered.
        ("Kamis depan", MONDAY, (date(2026, 12, 3), date(2026, 12, 10)), (), ""),
        ("Kamis minggu depan jam 7 malam", MONDAY, (date(2026, 12, 10),), clock("19:00"), ""),
        ("next Thursday 3pm", MONDAY, (date(2026, 12, 3), date(2026, 12, 10)), clock("15:00"), ""),
        ("tomorrow at 9 am", TODAY, (date(2026, 11, 27),), clock("09:00"), ""),
        ("4/12 13.30", TODAY, (date(2026, 12, 4),), clock("13:30"), ""),
        ("4-12-2026", TODAY, (date(2026, 12, 4),), (), ""),
        ("2026-12-04", TODAY, (date(2026, 12, 4),), (), ""),
        ("4 Desember 2026 15:00", TODAY, (date(2026, 12, 4),), clock("15:00"), ""),
        ("tanggal 4 Desember setengah 3", TODAY, (date(2026, 12, 4),), clock("14:30"), ""),
        ("5 jan", TODAY, (date(2027, 1, 5),), (), ""),
        ("20/11", TODAY, (date(2027, 11, 20),), (), ""),
        ("Selasa sore", TODAY, (date(2026, 12, 1),), clock("15:00", "16:00", "17:00"), ""),
        ("Jumat jam 7", TODAY, (date(2026, 11, 27),), clock("07:00", "19:00"), ""),
        ("Kamis karena ujian", TODAY, (TODAY,), (), "karena ujian"),
        ("31/2", TODAY, (), (), "31/2"),
        ("kapan-kapan", TODAY, (), (), "kapan-kapan"),
        # The day name disagrees with the date: both are offered.
        ("Jumat 3/12", TODAY, (date(2026, 12, 3), date(2026, 11, 27)), (), ""),
    ],
)
def test_one_meetings_day_and_time(
    text: str, today: date, days: tuple[date, ...], times: tuple[time, ...], rest: str
) -> None:
    read = read_when(text, today)
    assert (read.days, read.clock.options, read.rest) == (days, times, rest)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("1/8/2026 30/11/2026", (date(2026, 8, 1), date(2026, 11, 30))),
        ("1 Agustus sampai hari ini", (date(2026, 8, 1), TODAY)),
        ("dari 1 Agustus s.d. sekarang", (date(2026, 8, 1), TODAY)),
        ("1 Agustus sampai dengan 30 November", (date(2026, 8, 1), date(2026, 11, 30))),
        ("Agustus", (date(2026, 8, 1), date(2026, 8, 31))),
        ("bulan Agustus 2026", (date(2026, 8, 1), date(2026, 8, 31))),
        ("Agustus - November 2026", (date(2026, 8, 1), date(2026, 11, 30))),
        ("1 Agustus - 31 Januari 2026", (date(2025, 8, 1), date(2026, 1, 31))),
        ("besok", None),
        ("Kamis", None),
        ("1/8/2026", None),
        ("1/8/2026 30/11/2026 lalu", None),
    ],
)
def test_report_periods(text: str, period: tuple[date, date] | None) -> None:
    assert read_period(text, TODAY) == period


# ------------------------------------------------------------------------------ round trips

DAY_FORMS = {
    0: ["Senin", "senin", "Sen", "Monday", "mon"],
    1: ["Selasa", "Sel", "Tuesday"],
    2: ["Rabu", "rabu", "Wednesday", "wed"],
    3: ["Kamis", "KAMIS", "Kam", "Thursday", "thu"],
    4: ["Jumat", "Jum'at", "Friday", "fri"],
    5: ["Sabtu", "Saturday", "sat"],
    6: ["Minggu", "Ahad", "Sunday"],
}
PARTS = ["pagi", "siang", "sore", "petang", "malam", "subuh", "in the morning", "at night", ""]
INTERVALS = [
    "dua minggu sekali",
    "setiap dua minggu",
    "tiap 2 minggu",
    "biweekly",
    "every two weeks",
    "mingguan",
    "seminggu sekali",
    "weekly",
    "",
]
ZONE_WORDS = ["WIB", "WITA", "WIT", "wita", ""]
PLACES = ["", "di Ruang Guru", "Aula lt. 2", "@perpustakaan", "https://meet.example/abc"]


@st.composite
def clocks(draw: st.DrawFn) -> str:
    """A time of day in one of the ways people write it (not all unambiguous)."""
    hour = draw(st.integers(0, 23))
    minute = draw(st.sampled_from([0, 15, 30, 45, draw(st.integers(0, 59))]))
    h12 = hour % 12 or 12
    forms = [
        f"{hour:02d}.{minute:02d}",
        f"{hour}:{minute:02d}",
        f"pukul {hour}.{minute:02d}",
        f"jam {h12}",
        f"jam {hour}",
        f"{h12}{'pm' if hour >= 12 else 'am'}",
        f"{h12} {'PM' if hour >= 12 else 'AM'}",
        f"setengah {h12}",
        f"jam {h12} lewat {max(minute, 1)}",
        f"jam {h12} kurang seperempat",
        f"half past {h12}",
        f"quarter to {h12}",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def schedule_lines(draw: st.DrawFn) -> str:
    weekday = draw(st.integers(0, 6))
    pieces = [
        draw(st.sampled_from(["", "setiap ", "tiap ", "hari ", "every "]))
        + draw(st.sampled_from(DAY_FORMS[weekday])),
        draw(clocks()) + " " + draw(st.sampled_from(PARTS)),
        draw(st.sampled_from(ZONE_WORDS)),
        draw(st.sampled_from(INTERVALS)),
    ]
    ordered = draw(st.permutations(pieces))
    return " ".join(p for p in [*ordered, draw(st.sampled_from(PLACES))] if p.strip())


@settings(max_examples=200, deadline=None)
@given(line=schedule_lines(), lang=st.sampled_from(["id", "en"]))
def test_every_schedule_kopi_accepts_reads_back_the_same_from_how_kopi_shows_it(
    line: str, lang: str
) -> None:
    read = read_schedule(line, TODAY)
    if not read.complete:
        return  # kopi asks about it (or explains): nothing is shown as set
    assert read.weekday is not None and read.at is not None
    zone = read.timezone or JAKARTA
    weeks = read.interval_weeks or 1
    shown = rule_words(lang, read.weekday, read.at, zone, weeks)
    again = read_schedule(shown, TODAY)
    assert (again.weekday, again.at, again.timezone, again.interval_weeks or 1) == (
        read.weekday,
        read.at,
        zone,
        weeks,
    ), shown
    assert again.place is None, shown  # nothing of kopi's own words is left over as a place


@st.composite
def when_lines(draw: st.DrawFn) -> str:
    day = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
    months = {1: "Januari", 2: "Feb", 8: "Agustus", 12: "Desember", 5: "May", 10: "October"}
    forms = [
        f"{day.day}/{day.month}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%Y-%m-%d}",
        f"{day.day} {months.get(day.month, 'November')}",
        "besok",
        "lusa",
        draw(st.sampled_from(DAY_FORMS[day.weekday()])),
        draw(st.sampled_from(DAY_FORMS[day.weekday()])) + " depan",
        draw(st.sampled_from(DAY_FORMS[day.weekday()])) + " minggu depan",
    ]
    pieces = [draw(st.sampled_from(forms)), draw(clocks()) + " " + draw(st.sampled_from(PARTS))]
    return " ".join(draw(st.permutations(pieces))).strip()


@settings(max_examples=200, deadline=None)
@given(
    text=when_lines(),
    today=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    lang=st.sampled_from(["id", "en"]),
    zone=st.sampled_from(sorted(ZONES.values())),
)
def test_every_meeting_time_kopi_accepts_reads_back_the_same_from_how_kopi_shows_it(
    text: str, today: date, lang: str, zone: str
) -> None:
    read = read_when(text, today)
    if read.day is None or read.clock.at is None or read.rest:
        return  # kopi asks which (or explains)
    shown = format_datetime(lang, at_local(read.day, read.clock.at, zone), zone)
    again = read_when(shown, today)
    assert (again.day, again.clock.at, again.timezone, again.rest) == (
        read.day,
        read.clock.at,
        zone,
        "",
    ), shown


def test_kopis_own_forms_read_back() -> None:
    moment = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # 19.00 WIB
    for lang in ("id", "en"):
        shown = format_datetime(lang, moment, JAKARTA)
        assert read_when(shown, TODAY).days == (date(2026, 12, 3),)
        assert read_when(shown, TODAY).clock.options == (time(19, 0),)
        rule = rule_words(lang, 3, time(7, 0), MAKASSAR, 2)
        again = read_schedule(rule)
        assert (again.weekday, again.at, again.timezone, again.interval_weeks) == (
            3,
            time(7, 0),
            MAKASSAR,
            2,
        )
