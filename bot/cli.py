"""The `kopi` command: run the bot (or the offline demo without a token), migrate, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

from bot.config import ConfigError, Settings
from bot.logs import RedactingFormatter, WithoutTraceback, redact


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
    handler.setFormatter(
        RedactingFormatter(settings.token, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactToken(settings.token))
    from telegram.error import InvalidToken

    # A rejected token ends kopi with one clear line (see main); PTB's traceback adds nothing.
    handler.addFilter(WithoutTraceback(InvalidToken))
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


# ---------------------------------------------------------------------------- export (reports)


def add_export_parser(sub: Any) -> None:
    """Add `kopi export`: a community's report for a period, written to a file."""
    export_cli = sub.add_parser(
        "export",
        help="write a community's report (XLSX or PDF) for a period",
        description="Write a community's report for a period, as /laporan sends it in the group.",
    )
    export_cli.add_argument(
        "--community", required=True, help="kopi's community id, the group's chat id, or its title"
    )
    export_cli.add_argument("--format", required=True, choices=["xlsx", "pdf"])
    export_cli.add_argument(
        "--from",
        dest="first",
        required=True,
        metavar="DATE",
        help="first day: 1/7/2026, 2026-07-01",
    )
    export_cli.add_argument(
        "--to", dest="last", required=True, metavar="DATE", help="last day (included)"
    )
    export_cli.add_argument(
        "--output", help="file to write (default: laporan-<community>-<from>-<to>.<format>)"
    )


class ProgressBar:
    """A plain-text progress bar on a terminal (one line per stage when not a terminal)."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.stage = ""

    def show(self, fraction: float, stage: str) -> None:
        """Draw the bar at fraction (0..1) with what is being done."""
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(self.WIDTH * fraction)
        line = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {fraction:4.0%} {stage}"
        if self.tty:
            self.stream.write("\r" + line.ljust(self.WIDTH + 40))
        elif stage != self.stage or fraction >= 1.0:
            self.stream.write(line + "\n")
        self.stage = stage
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def export(settings: Settings, args: argparse.Namespace) -> int:
    """Write a community's report to a file; 2 for a bad community name or date."""
    from handlers.report_files import build_pdf, build_xlsx, file_name
    from handlers.reports import parse_day
    from models.db import create_engine, session_factory
    from models.reports import find_communities, gather, local_today, make_period

    bar = ProgressBar(sys.stderr)

    async def go() -> int:
        engine = create_engine(settings.database_url)
        try:
            factory = session_factory(engine)
            async with factory() as session:
                found = await find_communities(session, args.community)
            if not found:
                print(f"kopi export: no community matches {args.community!r}", file=sys.stderr)
                return 2
            if len(found) > 1:
                print(
                    f"kopi export: {args.community!r} matches several communities:", file=sys.stderr
                )
                for ref in found:
                    print(
                        f"  --community {ref.id}  ({ref.title}, chat {ref.chat_id})",
                        file=sys.stderr,
                    )
                return 2
            ref = found[0]
            now = datetime.now(UTC)
            zone = ref.timezone
            today = local_today(now, zone)
            days = []
            for option, text in (("--from", args.first), ("--to", args.last)):
                day, rest = parse_day(text, today)
                if day is None or rest.strip():
                    print(
                        f"kopi export: {option} {text!r} is not a date "
                        "(e.g. 1/7/2026 or 2026-07-01)",
                        file=sys.stderr,
                    )
                    return 2
                days.append(day)
            period = make_period(days[0], days[1], zone)
            if period is None:
                print("kopi export: dates must lie between 2000 and 2100", file=sys.stderr)
                return 2
            bar.show(0.0, "reading")
            async with factory() as session:
                data = await gather(session, ref.id, period, now)
            assert data is not None
            bar.show(0.1, f"building {args.format.upper()}")
            if args.format == "xlsx":

                def step(done: int, total: int) -> None:
                    bar.show(0.1 + 0.85 * done / max(total, 1), "building XLSX")

                content = await asyncio.to_thread(build_xlsx, data, step)
            else:
                content = await asyncio.to_thread(build_pdf, data)
            output = Path(args.output or file_name(data, args.format))
            bar.show(0.95, "writing")
            await asyncio.to_thread(output.write_bytes, content)
            bar.show(1.0, "done")
            bar.close()
            print(f"{output} ({len(content):,} bytes; {data.items:,} records)")
            return 0
        finally:
            await engine.dispose()

    return asyncio.run(go())


def backup_or_restore(settings: Settings, command: str, path: Path) -> int:
    """Run `kopi backup PATH` or `kopi restore PATH`; 2 with one line when it cannot be done."""
    from models import backup

    try:
        database = backup.sqlite_path(settings.database_url)
        if command == "backup":
            backup.backup(database, path)
            print(f"backed up {database} to {path} (revision {backup.check(path)})")
        else:
            revision = backup.restore(path, database)
            print(f"restored {path} to {database} (revision {revision})")
    except backup.BackupError as error:
        print(f"kopi {command}: {error}", file=sys.stderr)
        return 2
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
    add_export_parser(sub)
    back = sub.add_parser("backup", help="copy the SQLite database consistently, kopi running")
    back.add_argument("path", help="new file to write the copy to")
    put = sub.add_parser("restore", help="put a checked backup in place (stop kopi first)")
    put.add_argument("path", help="the backup file")
    doctor = sub.add_parser(
        "doctor",
        help="check the token, privacy mode, groups, webhook, migrations, disk and backups",
        description="Check, in plain words, what kopi needs; exit status 1 when something is "
        "wrong. English, or Bahasa Indonesia under an id_ID locale or with --lang id.",
    )
    doctor.add_argument("--lang", choices=["en", "id"], help="language of the findings")
    doctor.add_argument(
        "--max-groups",
        type=int,
        default=200,
        metavar="N",
        help="check at most N active communities' groups (0: all; default 200)",
    )
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
    if command == "export":
        return export(settings, args)
    if command in ("backup", "restore"):
        return backup_or_restore(settings, command, Path(args.path))
    if command == "doctor":
        from bot import doctor

        return doctor.run(settings, lang=args.lang, max_groups=args.max_groups)
    if not settings.token:
        print(
            "kopi: configuration error: TELEGRAM_BOT_TOKEN: is not set "
            "(run `kopi demo` to try kopi without one)",
            file=sys.stderr,
        )
        return 2
    from telegram.error import InvalidToken

    try:
        return run(settings)
    except InvalidToken:
        print(
            "kopi: TELEGRAM_BOT_TOKEN was rejected by Telegram; check it with @BotFather "
            "(/mybots > API Token) and set it again",
            file=sys.stderr,
        )
        return 3
    except Exception as error:
        # Python's own traceback would print the exception text, which may hold the token.
        import traceback

        text = "".join(traceback.format_exception(error))
        print(redact(text, settings.token), end="", file=sys.stderr)
        return 1
