"""Configuration: every key read, every mistake named in one clear line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, Settings


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.token is None
    assert settings.database_url == "sqlite+aiosqlite:///data/kopi.db"
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert (settings.default_timezone, settings.default_language) == ("Asia/Jakarta", "id")
    assert settings.webhook_url is None


def test_every_key_is_read() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "DATABASE_URL": "postgresql+asyncpg://kopi@db/kopi",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "DEFAULT_TIMEZONE": "Asia/Makassar",
            "DEFAULT_LANGUAGE": "en",
            "LOG_LEVEL": "debug",
            "WEBHOOK_URL": "https://kopi.example.sch.id/hook",
            "WEBHOOK_SECRET": "s3cret_-",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": "8080",
            "RATE_OVERALL_PER_SECOND": "25",
            "RATE_GROUP_PER_MINUTE": "18",
        }
    )
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.log_level == "DEBUG"
    assert (settings.webhook_port, settings.webhook_listen) == (8080, "127.0.0.1")
    assert (settings.rate_overall_per_second, settings.rate_group_per_minute) == (25.0, 18.0)


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"DEFAULT_LANGUAGE": "fr"}, "DEFAULT_LANGUAGE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"WEBHOOK_URL": "https://x.id/h"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "http://x.id/h", "WEBHOOK_SECRET": "s"}, "WEBHOOK_URL"),
        ({"WEBHOOK_SECRET": "has space"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_PORT": "eighty"}, "WEBHOOK_PORT"),
        ({"RATE_GROUP_PER_MINUTE": "0"}, "RATE_GROUP_PER_MINUTE"),
    ],
)
def test_malformed_values_name_their_key(env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env)
    assert raised.value.key == key
    assert str(raised.value).startswith(key + ":")


def test_startup_stops_with_one_clear_line(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={"TELEGRAM_BOT_TOKEN": "123:abc", "DATABASE_URL": "mysql://nope", "PATH": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kopi: configuration error: DATABASE_URL: must start with sqlite+aiosqlite:// "
        "or postgresql+asyncpg://"
    ]
    assert "Traceback" not in result.stderr


def test_env_example_lists_every_key() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    read = set(re.findall(r'get\("([A-Z_]+)"\)', (root / "bot" / "config.py").read_text()))
    listed = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.MULTILINE))
    readme = (root / "README.md").read_text()
    assert read == listed
    assert all(f"`{key}`" in readme for key in read)
