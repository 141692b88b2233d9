"""Callback data from one definition (handlers.callbacks): built and read by the same class, within
Telegram's 64 bytes whatever the values, one handler per action."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest

from bot.app import build_application
from bot.config import Settings
from handlers.callbacks import ACTIONS, MAX_BYTES, MAX_ROW, ActionHandler, Payload


def widest(action: type[Payload]) -> Payload:
    """Return the action with every field at its longest value."""
    hints = typing.get_type_hints(action, include_extras=True)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(action):  # type: ignore[arg-type]
        hint = hints[field.name]
        if get_origin(hint) is Annotated:
            values[field.name] = -(2**63 - 1)
        elif hint is int:
            values[field.name] = MAX_ROW
        elif hint is bool:
            values[field.name] = True
        elif get_origin(hint) is Literal:
            values[field.name] = max(get_args(hint), key=len)
        else:
            values[field.name] = "x" * 40
    return action(**values)


@pytest.mark.parametrize("action", sorted(ACTIONS.values(), key=lambda a: a.prefix), ids=str)
def test_every_action_fits_telegram_and_reads_back_what_it_wrote(action: type[Payload]) -> None:
    payload = widest(action)
    data = payload.data()
    assert len(data.encode()) <= MAX_BYTES
    assert action.parse(data) == payload
    # No other action reads this data as its own.
    assert [a for a in ACTIONS.values() if a is not action and a.parse(data)] == []


def test_forged_or_old_data_is_no_action() -> None:
    from handlers.capture_browse import Hide, Vote

    assert Vote.parse("cp:v:7:o0") == Vote(7, "o0")
    for data in (
        "cp:v:7",  # a field missing
        "cp:v:7:o0:x",  # one too many
        "cp:v:-7:o0",  # rows have no negative ids
        f"cp:v:{MAX_ROW + 1}:o0",  # beyond the database's 32 bits
        "cp:v:7:o:0",
        "cp:v:7:o0\n",
        "cp:vx:7:o0",
        None,
    ):
        assert Vote.parse(data) is None, data
    assert Hide.parse("cp:h:3:1:o0") == Hide(3, True, "o0")
    assert Hide.parse("cp:h:3:2:o0") is None
    with pytest.raises(ValueError):
        Vote(1, "a" * 41).data()  # a code its own pattern cannot read back


def test_each_action_has_exactly_one_handler_and_none_is_defined_twice(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'kopi.db'}"
    app = build_application(Settings(token="1:T", database_url=url), migrate=False)
    handled = [
        handler.action
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, ActionHandler)
    ]
    assert len(handled) == len(set(handled))
    assert set(handled) == set(ACTIONS.values()), set(ACTIONS.values()) ^ set(handled)
    with pytest.raises(TypeError):

        @dataclasses.dataclass(frozen=True)
        class Again(Payload, prefix="cp:v"):  # Vote's prefix, with as many fields
            item_id: int
            here: str


def test_any_data_reads_as_its_one_action() -> None:
    from handlers import reflections_actions as rf
    from handlers.callbacks import read
    from handlers.capture_browse import Vote
    from handlers.start import Help

    assert read("rf:v:12:a") == rf.Share(12, "a")
    assert read("rf:new") == rf.New()
    assert read("rf:new:3") == rf.NewFor(3)
    assert read("rf:new:3:9") == rf.NewForMeeting(3, 9)
    assert read("cp:v:7:o0") == Vote(7, "o0")
    assert read("help") == Help()
    for data in ("rf:v:12:x", "rf:new:3:9:1", "rf:", "", None, "nothing"):
        assert read(data) is None
