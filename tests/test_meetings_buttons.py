"""The meetings' buttons keep the data they had before they became actions: a reminder, a
schedule view or a picker already sent still works after an upgrade."""

from __future__ import annotations

from handlers.callbacks import ACTIONS, Payload
from handlers.meetings import (
    CancelNext,
    Digest,
    Holidays,
    MoveDay,
    MoveMeeting,
    MoveTime,
    MoveTo,
    PickReminders,
    SaveReminders,
    ScheduleDay,
    ScheduleEvery,
    ScheduleTime,
    ScheduleZone,
    SetReminders,
    UndoCancel,
)
from handlers.meetings_common import SetSchedule
from handlers.meetings_delivery import KeepHoliday, Rsvp
from handlers.meetings_minutes import Attendance, ReflectionCount, ToggleAttendance

SENT_BEFORE: list[tuple[str, Payload]] = [
    ("mt:r:41:y", Rsvp(41, "y")),
    ("mt:r:41:i", Rsvp(41, "i")),
    ("mt:r:41:m", Rsvp(41, "m")),
    ("mt:k:41", KeepHoliday(41)),
    ("mt:s", SetSchedule()),
    ("mt:s:3", ScheduleDay(3)),
    ("mt:s:3:0700", ScheduleTime(3, "0700")),
    ("mt:s:3:1400:WITA", ScheduleZone(3, "1400", "WITA")),
    ("mt:s:3:1400:WIT:2", ScheduleEvery(3, "1400", "WIT", "2")),
    ("mt:p", SetReminders()),
    ("mt:p:5", PickReminders(5)),
    ("mt:p:5:ok", SaveReminders(5)),
    ("mt:c", CancelNext()),
    ("mt:u:41", UndoCancel(41)),
    ("mt:m", MoveMeeting()),
    ("mt:m:41", MoveDay(41)),
    ("mt:m:41:20261210", MoveTime(41, 20261210)),
    ("mt:m:41:20261210:1530", MoveTo(41, 20261210, 1530)),
    ("mt:d:0", Digest(False)),
    ("mt:h:1", Holidays(True)),
    ("mt:rc:41", ReflectionCount(41)),
    ("mt:a:41:2", Attendance(41, 2)),
    ("mt:t:41:987654321:2", ToggleAttendance(41, 987654321, 2)),
]


def test_each_button_writes_and_reads_the_data_it_had() -> None:
    for data, action in SENT_BEFORE:
        assert action.data() == data
        readers = [a for a in ACTIONS.values() if a.parse(data) is not None]
        assert readers == [type(action)], data
        assert type(action).parse(data) == action


def test_a_move_to_an_early_hour_sent_before_still_reads() -> None:
    # The old picker wrote "0700"; the number reads the same and is written without the zero.
    assert MoveTo.parse("mt:m:41:20261210:0700") == MoveTo(41, 20261210, 700)
    assert MoveTo(41, 20261210, 700).data() == "mt:m:41:20261210:700"


def test_forged_values_are_no_meeting_action() -> None:
    for data in ("mt:r:41:x", "mt:r:-1:y", "mt:s:3:1400:UTC", "mt:s:3:1400:WIB:3", "mt:d:2"):
        assert [a for a in ACTIONS.values() if a.parse(data) is not None] == [], data
