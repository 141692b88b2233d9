"""Commands as they appear in Telegram's menus and in /bantuan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    """A command as it appears in Telegram's menus and in /bantuan.

    scopes: where it is offered: "private", "group" (every member) and/or "admin" (group admins).
    aliases: further names the same handler answers to (English names), not shown in menus.
    """

    command: str
    description_key: str
    scopes: frozenset[str]
    aliases: tuple[str, ...] = ()


def spec(command: str, key: str, *scopes: str, aliases: Sequence[str] = ()) -> CommandSpec:
    """Return a CommandSpec."""
    return CommandSpec(command, key, frozenset(scopes), tuple(aliases))
