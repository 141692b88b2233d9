"""`kopi backup` while captures are being written, and `kopi restore` of a checked copy."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.cli import main
from models import backup

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's online backup"
)


def test_a_backup_during_a_write_flood_holds_every_earlier_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "kopi.db"
    url = f"sqlite+aiosqlite:///{db}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["db", "upgrade"]) == 0
    setup = sqlite3.connect(db)
    setup.execute("pragma journal_mode=wal")
    setup.execute("create table flood (n integer primary key)")
    setup.commit()
    setup.close()
    committed: list[int] = []
    stop = threading.Event()

    def writer(start: int) -> None:
        conn = sqlite3.connect(db, timeout=30)
        n = start
        while not stop.is_set():
            conn.execute("insert into flood values (?)", (n,))
            conn.commit()
            committed.append(n)
            n += 4
        conn.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    while len(committed) < 500:
        threading.Event().wait(0.01)
    before = set(committed)
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy)]) == 0
    stop.set()
    for thread in threads:
        thread.join()
    assert len(committed) > len(before)
    backup.check(copy)
    assert main(["restore", str(copy)]) == 0
    restored = sqlite3.connect(db)
    rows = {n for (n,) in restored.execute("select n from flood")}
    restored.close()
    assert before <= rows


def test_restore_refuses_what_is_not_a_kopi_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'kopi.db'}")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    assert main(["restore", str(other)]) == 2
    assert "is not a kopi database" in capsys.readouterr().err


def test_backup_on_postgresql_points_to_pg_dump(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://kopi@db.example:5432/kopi")
    assert main(["backup", "x.db"]) == 2
    assert 'pg_dump --format=custom --file=kopi.dump "postgresql://kopi@db.example:5432/kopi"' in (
        capsys.readouterr().err
    )
