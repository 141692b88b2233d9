"""Callback data from one definition: each button action is a small frozen dataclass.

    @dataclass(frozen=True)
    class Vote(Payload, prefix="cp:v"):
        item_id: int
        back: str

    button("🙋", Vote(7, "o0"))                  # data "cp:v:7:o0", its length checked
    on(Vote, on_vote)                            # one handler: on_vote(update, context, Vote)

The data is the prefix and the fields joined by ":"; a field is an ``int`` (a row id or a page:
0 to 2**31 - 1, as the database keeps them), a :data:`BigId` (a Telegram user or chat id), a
``bool`` ("1"/"0"), a ``str`` (a short code: letters, digits, "_", "."), or a ``Literal`` of such
codes. Building data longer than Telegram's 64 bytes raises at once, in the tests, rather
than on a teacher's phone. A press whose data does not parse as its action (an old button, a
forged one) is answered "no longer valid" and goes nowhere.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
import re
import typing
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar, get_args, get_origin

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from handlers.context import KopiContext

log = logging.getLogger(__name__)

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_ROW = 2**31 - 1  # rows' ids are 32-bit in the database: a longer number is no valid press
MAX_BIG = 2**63 - 1  # Telegram's ids fit a signed 64-bit integer
_CODE = r"[\w.]{1,40}"
_BIG = "telegram id"
BigId = Annotated[int, _BIG]  # a Telegram user or chat id (a group's is negative)

P = TypeVar("P", bound="Payload")
Callback = Callable[[Update, KopiContext, P], Awaitable[None]]

# Every action defined, by prefix and number of fields: no two may share both ("lang" and
# "lang:<code>" are two actions; tests/test_callbacks.py checks no data reads as two).
ACTIONS: dict[tuple[str, int], type[Payload]] = {}


class Payload:
    """A button action's data; subclasses are frozen dataclasses with a prefix."""

    prefix: ClassVar[str]
    _converters: ClassVar[tuple[tuple[str, Callable[[str], Any], str], ...]]
    _pattern: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix:
            raise TypeError(f"{cls.__name__} needs a prefix")
        arity = len(inspect.get_annotations(cls))
        taken = ACTIONS.get((prefix, arity))
        if taken is not None:
            raise TypeError(f"the prefix {prefix!r} is taken by {taken.__name__}")
        cls.prefix = prefix
        ACTIONS[(prefix, arity)] = cls

    @classmethod
    def _fields(cls) -> tuple[tuple[str, Callable[[str], Any], str], ...]:
        """Return each field's name, parser and pattern (read once, from the annotations)."""
        found = cls.__dict__.get("_converters")
        if found is None:
            hints = typing.get_type_hints(cls, include_extras=True)
            found = tuple(
                (f.name, *_converter(hints[f.name]))
                for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            )
            cls._converters = found
            parts = [re.escape(cls.prefix), *(pattern for _, _, pattern in found)]
            cls._pattern = re.compile(":".join(parts))
        return found

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """Return the pattern the whole data of this action matches."""
        cls._fields()
        return cls._pattern

    def data(self) -> str:
        """Return the callback data; ValueError when it is longer than Telegram allows."""
        values = [_text(getattr(self, name)) for name, _, _ in self._fields()]
        data = ":".join([self.prefix, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data of {len(data.encode())} bytes: {data!r}")
        if not self.pattern().fullmatch(data):
            raise ValueError(f"callback data that its action cannot read back: {data!r}")
        return data

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """Return the action a button's data holds, or None when it is not this action."""
        if not isinstance(data, str) or not cls.pattern().fullmatch(data):
            return None
        pieces = data[len(cls.prefix) + 1 :].split(":") if cls._fields() else []
        try:
            fields = zip(cls._fields(), pieces, strict=True)
            values = {name: read(piece) for (name, read, _), piece in fields}
        except ValueError:
            return None
        return cls(**values)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _row(text: str) -> int:
    value = int(text)
    if value > MAX_ROW:
        raise ValueError(text)
    return value


def _big(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_BIG:
        raise ValueError(text)
    return value


def _converter(hint: Any) -> tuple[Callable[[str], Any], str]:
    """Return how a field of this type is read from the data, and the pattern it matches."""
    if hint is bool:
        return (lambda text: text == "1"), "[01]"
    if get_origin(hint) is Annotated and _BIG in get_args(hint)[1:]:
        return _big, r"-?\d{1,19}"
    if hint is int:
        return _row, r"\d{1,10}"
    if hint is str:
        return str, _CODE
    if get_origin(hint) is Literal:
        codes = [str(a) for a in get_args(hint)]
        return str, "(?:" + "|".join(re.escape(c) for c in codes) + ")"
    raise TypeError(f"a callback field cannot be of type {hint!r}")


def read(data: object) -> Payload | None:
    """Return the action any button's data holds, or None (for a check across features)."""
    if not isinstance(data, str):
        return None
    for action in ACTIONS.values():
        if data.startswith(action.prefix) and (payload := action.parse(data)) is not None:
            return payload
    return None


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press, if the update is one (a press too old to answer has nothing left
    to tell)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        log.info("callback query not answered: %s", error.message)


async def expired(update: Update, context: KopiContext) -> None:
    """Answer a press whose button no longer leads anywhere."""
    await answer(update, context.t("error.expired_button"))


class ActionHandler(CallbackQueryHandler[KopiContext, None]):
    """The handler of one action (its payload class kept, for tests/test_conventions.py)."""

    __slots__ = ("action",)

    def __init__(self, action: type[Payload], callback: Any) -> None:
        # PTB matches from the start only: anchor the end too, so no action takes another's press.
        super().__init__(callback, pattern=re.compile(action.pattern().pattern + r"\Z"))
        self.action = action


def on(action: type[P], callback: Callback[P]) -> ActionHandler:
    """Return the one handler of an action: callback gets the parsed payload."""

    async def checked(update: Update, context: KopiContext) -> None:
        query = update.callback_query
        payload = action.parse(query.data) if query is not None else None
        if payload is None:
            await expired(update, context)
            return
        await callback(update, context, payload)

    return ActionHandler(action, checked)


def fallback() -> CallbackQueryHandler[KopiContext, None]:
    """Return the handler of presses no action took (an old, a forged or a garbled button):
    register it after every feature's."""

    async def unknown(update: Update, context: KopiContext) -> None:
        await expired(update, context)

    return CallbackQueryHandler(unknown)
