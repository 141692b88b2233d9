"""Read kopi's settings from the environment (and a .env file)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/kopi.db"
DEFAULT_API_URL = "https://api.telegram.org"
LANGUAGES = ("id", "en")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the key."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything kopi reads from the environment, validated."""

    token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    api_url: str = DEFAULT_API_URL
    default_timezone: str = "Asia/Jakarta"
    default_language: str = "id"
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    # Telegram's limits: about 30 messages a second per bot and 20 a minute per group.
    rate_overall_per_second: float = 30.0
    rate_group_per_minute: float = 20.0
    # kopi's own web server (GET /healthz, GET /metrics; the Mini App later): off without a port.
    # Port 0 (tests) takes a free one.
    web_listen: str = "127.0.0.1"
    web_port: int | None = None
    # The daily backup job (SQLite only): off without a folder; keeps the newest backup_keep.
    backup_dir: Path | None = None
    backup_keep: int = 7

    @property
    def base_url(self) -> str:
        """Return the Bot API method root that PTB appends the token to."""
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the Bot API file root that PTB appends the token to."""
        return f"{self.api_url}/file/bot"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, dotenv_path: str | Path | None = ".env"
    ) -> Settings:
        """Build settings from the environment, after loading a .env file if there is one."""
        if environ is None:
            if dotenv_path is not None and Path(dotenv_path).is_file():
                from dotenv import load_dotenv

                load_dotenv(dotenv_path, override=False)
            environ = os.environ

        def get(key: str) -> str | None:
            value = environ.get(key, "").strip()
            return value or None

        token = get("TELEGRAM_BOT_TOKEN")
        if token is not None and (":" not in token or not token.split(":", 1)[0].isdigit()):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN", "looks malformed; BotFather's tokens look like 123456:ABC-..."
            )

        database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ConfigError(
                "DATABASE_URL",
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg://",
            )

        api_url = (get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/")
        if urlparse(api_url).scheme not in ("http", "https") or not urlparse(api_url).netloc:
            raise ConfigError(
                "TELEGRAM_API_URL", "must be an http(s) URL such as " + DEFAULT_API_URL
            )

        timezone = get("DEFAULT_TIMEZONE") or "Asia/Jakarta"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                "DEFAULT_TIMEZONE", f"unknown time zone {timezone!r} (try Asia/Jakarta)"
            ) from None

        language = (get("DEFAULT_LANGUAGE") or "id").lower()
        if language not in LANGUAGES:
            raise ConfigError("DEFAULT_LANGUAGE", f"must be one of {', '.join(LANGUAGES)}")

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if not isinstance(logging.getLevelName(log_level), int):
            raise ConfigError("LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")

        webhook_url = get("WEBHOOK_URL")
        webhook_secret = get("WEBHOOK_SECRET")
        if webhook_url is not None:
            if urlparse(webhook_url).scheme != "https":
                raise ConfigError("WEBHOOK_URL", "must be an https:// URL that Telegram can reach")
            if webhook_secret is None:
                raise ConfigError("WEBHOOK_SECRET", "is required when WEBHOOK_URL is set")
        if webhook_secret is not None and not _valid_secret(webhook_secret):
            raise ConfigError(
                "WEBHOOK_SECRET", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )

        backup_dir = get("BACKUP_DIR")
        if backup_dir is not None and not database_url.startswith("sqlite"):
            raise ConfigError(
                "BACKUP_DIR",
                "the backup job copies SQLite only; for PostgreSQL schedule pg_dump "
                "(docs/OPERATIONS.md) and leave BACKUP_DIR empty",
            )

        return cls(
            token=token,
            database_url=database_url,
            api_url=api_url,
            default_timezone=timezone,
            default_language=language,
            log_level=log_level,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_listen=get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=_int(get("WEBHOOK_PORT"), "WEBHOOK_PORT", 8443, 1, 65535),
            rate_overall_per_second=_float(
                get("RATE_OVERALL_PER_SECOND"), "RATE_OVERALL_PER_SECOND", 30.0
            ),
            rate_group_per_minute=_float(
                get("RATE_GROUP_PER_MINUTE"), "RATE_GROUP_PER_MINUTE", 20.0
            ),
            web_listen=get("WEB_LISTEN") or "127.0.0.1",
            web_port=_int(get("WEB_PORT"), "WEB_PORT", 0, 1, 65535) or None,
            backup_dir=Path(backup_dir) if backup_dir is not None else None,
            backup_keep=_int(get("BACKUP_KEEP"), "BACKUP_KEEP", 7, 1, 10_000),
        )


def _valid_secret(secret: str) -> bool:
    return 0 < len(secret) <= 256 and all(
        c.isascii() and (c.isalnum() or c in "_-") for c in secret
    )


def _int(raw: str | None, key: str, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(key, f"must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(key, f"must be between {low} and {high}")
    return value


def _float(raw: str | None, key: str, default: float) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(key, f"must be a number, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(key, "must be greater than 0")
    return value
