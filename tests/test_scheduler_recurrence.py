"""The pure time logic of routine meetings: zones, recurrence, holidays, reminders.

The words people type for days and times: tests/test_phrases.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from scheduler.recurrence import (
    EVE,
    Rule,
    digest_after,
    digest_at_or_before,
    first_date,
    holiday_name,
    next_occurrences,
    occurrences,
    parse_reminders,
    plan_meeting,
    reminder_due,
    reminders_from_text,
    reminders_to_text,
)

THURSDAY_NOON_UTC = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)  # Thu 26 Nov 2026


@pytest.mark.parametrize(
    ("timezone", "utc_hour"),
    [("Asia/Jakarta", 7), ("Asia/Makassar", 6), ("Asia/Jayapura", 5)],
)
def test_a_local_time_is_the_same_wall_clock_in_each_zone(timezone: str, utc_hour: int) -> None:
    rule = Rule(weekday=3, at=time(14, 0), timezone=timezone)
    found = occurrences(rule, datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC))
    assert found == [
        (date(2026, 11, 26), datetime(2026, 11, 26, utc_hour, 0, tzinfo=UTC)),
        (date(2026, 12, 3), datetime(2026, 12, 3, utc_hour, 0, tzinfo=UTC)),
    ]


def test_first_date_is_today_until_the_meeting_has_started() -> None:
    rule = Rule(weekday=3, at=time(14, 0), timezone="Asia/Jakarta")
    assert first_date(rule, datetime(2026, 11, 26, 6, 59, tzinfo=UTC)) == date(2026, 11, 26)
    assert first_date(rule, datetime(2026, 11, 26, 7, 0, tzinfo=UTC)) == date(2026, 11, 26)
    assert first_date(rule, datetime(2026, 11, 26, 7, 1, tzinfo=UTC)) == date(2026, 12, 3)


def test_the_local_date_decides_the_weekday_not_utc() -> None:
    # Friday 06:00 WIT is still Thursday 21:00 in UTC.
    rule = Rule(weekday=4, at=time(6, 0), timezone="Asia/Jayapura")
    [(day, starts)] = next_occurrences(rule, datetime(2026, 11, 26, 0, 0, tzinfo=UTC), 1)
    assert day == date(2026, 11, 27)
    assert starts == datetime(2026, 11, 26, 21, 0, tzinfo=UTC)


def test_every_two_weeks_keeps_the_anchor_parity() -> None:
    rule = Rule(3, time(14, 0), "Asia/Jakarta", interval_weeks=2, anchor=date(2026, 12, 3))
    days = [d for d, _ in next_occurrences(rule, THURSDAY_NOON_UTC, 3)]
    assert days == [date(2026, 12, 3), date(2026, 12, 17), date(2026, 12, 31)]


def test_national_holidays_in_indonesian_and_english() -> None:
    assert holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert holiday_name(date(2026, 12, 25), "en") == "Christmas Day"
    assert holiday_name(date(2026, 8, 17)) is not None
    assert holiday_name(date(2026, 11, 26)) is None


@pytest.mark.parametrize(
    ("timezone", "utc"),
    [
        ("Asia/Jakarta", datetime(2026, 12, 2, 12, 0, tzinfo=UTC)),
        ("Asia/Makassar", datetime(2026, 12, 2, 11, 0, tzinfo=UTC)),
        ("Asia/Jayapura", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
    ],
)
def test_the_evening_reminder_is_at_19_local_the_day_before(timezone: str, utc: datetime) -> None:
    starts = datetime.combine(date(2026, 12, 3), time(14, 0), tzinfo=UTC)
    assert reminder_due(starts, EVE, timezone) == utc
    assert reminder_due(starts, 60, timezone) == starts - timedelta(hours=1)


def test_a_meeting_plans_reminders_a_nudge_and_an_invitation() -> None:
    starts = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # Thu 14:00 WIB
    planned = plan_meeting(
        starts,
        status="scheduled",
        reminders=(EVE, 60),
        timezone="Asia/Jakarta",
        timing_set_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    assert [(p.kind, p.due_at) for p in planned] == [
        ("rem:eve", datetime(2026, 12, 2, 12, 0, tzinfo=UTC)),
        ("rem:60", datetime(2026, 12, 3, 6, 0, tzinfo=UTC)),
        ("nudge", datetime(2026, 12, 3, 6, 0, tzinfo=UTC)),
        ("invite", datetime(2026, 12, 3, 8, 30, tzinfo=UTC)),
    ]
    assert planned[0].useful_until == starts
    assert planned[-1].useful_until == datetime(2026, 12, 4, 8, 30, tzinfo=UTC)


def test_deliveries_due_before_the_time_was_decided_are_not_planned() -> None:
    starts = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    planned = plan_meeting(
        starts,
        status="scheduled",
        reminders=(EVE, 60),
        timezone="Asia/Jakarta",
        timing_set_at=datetime(2026, 12, 2, 13, 0, tzinfo=UTC),  # 20:00 WIB, after the evening
    )
    assert [p.kind for p in planned] == ["rem:60", "nudge", "invite"]
    # With a single reminder, the nudge goes halfway between it and the meeting.
    assert planned[1].due_at == datetime(2026, 12, 3, 6, 30, tzinfo=UTC)


def test_holidays_get_one_notice_and_cancelled_meetings_nothing() -> None:
    starts = datetime(2026, 12, 25, 7, 0, tzinfo=UTC)
    common = {"reminders": (EVE, 60), "timezone": "Asia/Jakarta"}
    set_at = datetime(2026, 12, 1, tzinfo=UTC)
    holiday = plan_meeting(starts, status="holiday", timing_set_at=set_at, **common)  # type: ignore[arg-type]
    assert [(p.kind, p.due_at, p.useful_until) for p in holiday] == [
        ("holiday", datetime(2026, 12, 24, 12, 0, tzinfo=UTC), starts)
    ]
    assert plan_meeting(starts, status="cancelled", timing_set_at=set_at, **common) == []  # type: ignore[arg-type]


def test_the_digest_is_friday_16_local() -> None:
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # Thursday
    assert digest_at_or_before(now, "Asia/Jakarta") == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert digest_after(now, "Asia/Jakarta") == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    at = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # Friday 16:00 WITA
    assert digest_at_or_before(at, "Asia/Makassar") == at
    assert digest_after(at, "Asia/Makassar") == at + timedelta(days=7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1440 60", (1440, 60)),
        ("60, 1440", (1440, 60)),
        ("30", (30,)),
        ("malam 60", (EVE, 60)),
        ("off", ()),
        ("abc", None),
        ("2", None),
        ("10 20 30 40 50", None),
        ("", None),
    ],
)
def test_reminder_offsets(text: str, expected: tuple[object, ...] | None) -> None:
    assert parse_reminders(text) == expected


def test_reminders_round_trip_through_storage() -> None:
    assert reminders_to_text((EVE, 60)) == "eve,60"
    assert reminders_from_text("60,eve,1440") == (EVE, 1440, 60)
