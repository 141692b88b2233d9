"""Log formatting that never shows the bot token, not even inside a traceback."""

from __future__ import annotations

import logging

REDACTED = "<token>"


class RedactingFormatter(logging.Formatter):
    """Format a record fully (message, exc_text, stack_info), then replace the token."""

    def __init__(self, token: str | None, fmt: str | None = None) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.token)

    def formatException(self, ei: object) -> str:
        # The cached exc_text is redacted too, in case another handler reuses it.
        return redact(super().formatException(ei), self.token)  # type: ignore[arg-type]


def redact(text: str, token: str | None) -> str:
    """Return text with every occurrence of the token replaced."""
    return text.replace(token, REDACTED) if token else text


class WithoutTraceback(logging.Filter):
    """Log these exceptions as one line: their traceback says nothing the line does not."""

    def __init__(self, *kinds: type[BaseException]) -> None:
        super().__init__()
        self.kinds = kinds

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.kinds):
            record.exc_info = None
            record.exc_text = None
        return True
