"""Back up and restore kopi's SQLite database while kopi runs (no Telegram here)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A backup or a restore cannot be done; the message says why, in one line."""


def sqlite_path(database_url: str) -> Path:
    """Return the file of a SQLite DATABASE_URL; BackupError for PostgreSQL."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        plain = url.set(drivername="postgresql").render_as_string(hide_password=True)
        raise BackupError(
            f'DATABASE_URL is PostgreSQL: back it up with pg_dump --format=custom '
            f'--file=kopi.dump "{plain}" (and restore with pg_restore)'
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL names no database file")
    return Path(url.database)


def known_revisions() -> set[str]:
    """Return every Alembic revision kopi's migrations know."""
    from alembic.script import ScriptDirectory

    from models.db import alembic_config

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def backup(source: Path, target: Path) -> None:
    """Copy the database consistently with SQLite's online backup (writers may go on)."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file")
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def check(path: Path) -> str:
    """Return the copy's Alembic revision after checking it is a sound kopi database."""
    if not path.is_file():
        raise BackupError(f"no file at {path}")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = db.execute("pragma integrity_check").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"{path} fails SQLite's integrity check: {ok}")
            rows = db.execute("select version_num from alembic_version").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a kopi database ({error})") from None
    if len(rows) != 1 or rows[0][0] not in known_revisions():
        raise BackupError(f"{path} is not a kopi database at a known revision ({rows})")
    return str(rows[0][0])


def restore(copy: Path, target: Path) -> str:
    """Put a checked copy in place of the database (kopi must be stopped); return its revision."""
    revision = check(copy)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, partial)
    for side in ("-wal", "-shm"):
        target.with_name(target.name + side).unlink(missing_ok=True)
    partial.replace(target)
    return revision
