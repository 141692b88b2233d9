"""The daily backup job: a checked copy of the SQLite database in BACKUP_DIR, the newest kept.

The job looks every hour and backs up when the newest backup is a day old (or there is none), so
a kopi restarted every few hours still backs up daily and never twice a day. A backup is written
under a temporary name, checked (integrity and a known revision) and only then renamed, so a
half-written or broken copy is never taken for the newest. Only files named like kopi's own
backups (kopi-YYYYMMDDTHHMMSSZ.db) are ever deleted: a copy an operator put there stays.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application, CallbackContext

from models import backup

log = logging.getLogger(__name__)

BACKUP_JOB = "backup.daily"
CHECK_EVERY = timedelta(hours=1)
FIRST_CHECK = timedelta(minutes=5)  # after start-up's catch-up, not during it
BACKUP_EVERY = timedelta(days=1)
_NAME = re.compile(r"^kopi-(\d{8}T\d{6}Z)\.db$")
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class BackupPlan:
    """What the job backs up, where to, how many to keep, and the clock naming the copies."""

    database: Path
    directory: Path
    keep: int
    clock: Callable[[], datetime]


def backup_name(moment: datetime) -> str:
    """Return the file name of a backup taken at moment."""
    return f"kopi-{moment.astimezone(UTC).strftime(_STAMP)}.db"


def backups(directory: Path | None) -> list[tuple[datetime, Path]]:
    """Return kopi's backups in directory, oldest first, with the moment each was taken."""
    if directory is None or not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            moment = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append((moment, path))
    return sorted(found)


def newest_age(directory: Path | None, now: datetime) -> float | None:
    """Return the age in seconds of the newest backup (None: no backup, or no directory)."""
    found = backups(directory)
    return None if not found else (now - found[-1][0]).total_seconds()


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete kopi's oldest backups beyond the newest `keep`; return what was deleted."""
    found = backups(directory)
    gone = [path for _, path in found[: max(0, len(found) - keep)]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def back_up(plan: BackupPlan, now: datetime) -> Path:
    """Write a checked backup taken at now, then prune; return the new file (blocking)."""
    plan.directory.mkdir(parents=True, exist_ok=True)
    target = plan.directory / backup_name(now)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)  # left by a crash in the middle of a backup
    try:
        backup.backup(plan.database, partial)
        backup.check(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    prune(plan.directory, plan.keep)
    return target


def due(plan: BackupPlan, now: datetime) -> bool:
    """Return whether the newest backup is a day old (or there is none)."""
    found = backups(plan.directory)
    return not found or now - found[-1][0] >= BACKUP_EVERY


async def daily_backup(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Back up when due (the job runs hourly); a failure is logged and tried next hour."""
    plan = context.job.data if context.job is not None else None
    if not isinstance(plan, BackupPlan):
        return
    now = plan.clock()
    if not due(plan, now):
        return
    try:
        path = await asyncio.to_thread(back_up, plan, now)
    except backup.BackupError as error:
        log.error("the daily backup failed: %s; trying again in an hour", error)
        return
    except (OSError, sqlite3.Error) as error:  # a full disk, a folder kopi may not write
        log.error("the daily backup failed: %r; trying again in an hour", error)
        return
    log.info("backed up the database to %s", path)


def install(app: Application[Any, Any, Any, Any, Any, Any], plan: BackupPlan) -> None:
    """Give the application its backup job (bot.web does, when BACKUP_DIR is set)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            daily_backup, interval=CHECK_EVERY, first=FIRST_CHECK, name=BACKUP_JOB, data=plan
        )
