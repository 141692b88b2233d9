"""The `kopi` command: run the bot (or the offline demo without a token), migrate, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from urllib.parse import urlparse

from bot.config import ConfigError, Settings


class RedactToken(logging.Filter):
    """Replace the bot token wherever it would appear in a log line."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
        return True


def setup_logging(settings: Settings) -> None:
    """Log to stderr at the configured level; keep httpx (which logs URLs) at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(settings.token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs every request URL, and Telegram's URLs contain the token.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))


def run(settings: Settings) -> int:
    """Run the bot: webhook mode when WEBHOOK_URL is set, otherwise long polling."""
    from bot.app import ALLOWED_UPDATES, build_application

    app = build_application(settings)
    if settings.webhook_url:
        path = urlparse(settings.webhook_url).path.strip("/")
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def db_upgrade(settings: Settings) -> int:
    """Apply every migration to DATABASE_URL."""
    from models.db import create_engine, upgrade

    async def go() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(go())
    print("database is up to date")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    cli = argparse.ArgumentParser(
        prog="kopi",
        description="kopi: a Telegram bot for teachers' communities of practice. "
        "Without a subcommand it runs the bot, or the offline demo when no token is set.",
    )
    sub = cli.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (needs TELEGRAM_BOT_TOKEN)")
    demo = sub.add_parser("demo", help="chat with kopi in the terminal, no token needed")
    demo.add_argument("--database", help="database URL (default: a fresh data/demo.db)")
    db = sub.add_parser("db", help="database commands")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply every migration")
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kopi` console script and of `python -m bot`."""
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"kopi: configuration error: {error}", file=sys.stderr)
        return 2
    command = args.command or ("run" if settings.token else "demo")
    if command == "demo":
        from bot.demo import run_demo

        logging.basicConfig(level=logging.WARNING)
        return run_demo(database_url=args.database if args.command else None)
    setup_logging(settings)
    if command == "db":
        return db_upgrade(settings)
    if not settings.token:
        print(
            "kopi: configuration error: TELEGRAM_BOT_TOKEN: is not set "
            "(run `kopi demo` to try kopi without one)",
            file=sys.stderr,
        )
        return 2
    return run(settings)
