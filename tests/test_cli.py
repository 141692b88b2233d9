"""The `kopi` command: the demo without a token, `kopi db upgrade`, and a token-free log."""

from __future__ import annotations

import io
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import setup_logging
from bot.config import Settings
from bot.demo import run_demo

PG = bool(os.environ.get("TEST_DATABASE_URL"))


def run_kopi(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(PG, reason="the demo always runs on its own SQLite file")
def test_without_a_token_kopi_starts_the_demo(tmp_path: Path) -> None:
    script = "\n".join(
        [
            ":private",
            "/start",
            ":press Bahasa",  # the language button of the welcome
            ":press English",
            ":as Sari",
            ":group",
            "/bantuan",
            ":quit",
        ]
    )
    result = run_kopi(tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Halo, Bapak/Ibu Komunitas Guru Penggerak!" in out
    assert "Halo, Budi! Saya kopi" in out
    assert "[1] ➕ Tambahkan ke grup" in out
    assert "All right, I'll speak English." in out
    assert "Perintah kopi di grup" in out
    assert out.rstrip().endswith("Sampai jumpa! / Goodbye!")
    assert (tmp_path / "data" / "demo.db").exists()


async def test_demo_in_process(tmp_path: Path) -> None:
    out = io.StringIO()
    script = io.StringIO(
        ":as Andi\n:private\n/start\n:who\n99\n:nonsense\n/bahasa\n:press English\n"
        ":press English\n"
    )
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    import asyncio

    code = await asyncio.to_thread(run_demo, url, script, out)
    assert code == 0
    text = out.getvalue()
    assert "Halo, Andi!" in text
    assert "Andi (member) di private" in text
    assert "(tidak ada tombol dengan nomor itu)" in text
    assert ":reply N TEKS" in text  # unknown demo commands show the help
    assert "All right, I'll speak English." in text
    assert "(tombol itu sudah tidak ada; lihat pesan terbaru)" in text  # its message was redrawn


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "kopi.db"
    env_file = tmp_path / ".env"
    env_file.write_text(f"DATABASE_URL=sqlite+aiosqlite:///{database}\n")
    result = run_kopi(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "database is up to date" in result.stdout
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master")}
        mode = connection.execute("pragma journal_mode").fetchone()[0]
    assert {"communities", "people", "memberships", "alembic_version"} <= tables
    assert mode == "wal"


def test_the_token_never_reaches_the_log(capfd: pytest.CaptureFixture[str]) -> None:
    token = "987654:SECRET-TOKEN-VALUE"
    setup_logging(Settings(token=token, log_level="DEBUG"))
    logging.getLogger("httpx").info(
        "HTTP Request: POST https://api.telegram.org/bot%s/getMe", token
    )
    logging.getLogger("telegram.ext").debug("calling https://api.telegram.org/bot%s/x", token)
    logging.getLogger("kopi").warning("plain line")
    err = capfd.readouterr().err
    assert token not in err
    assert "bot<token>/x" in err
    assert "plain line" in err
    logging.getLogger().handlers.clear()


async def test_kopi_run_polls_a_bot_api_server_and_stops_cleanly(
    tmp_path: Path, database_url: str
) -> None:
    import asyncio
    import signal

    from bot.offline.fake import FakeTelegram
    from bot.offline.server import OfflineServer

    fake = FakeTelegram()
    server = OfflineServer(fake)
    server.start()
    token = "424242:PROCESS-TOKEN"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update({
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "DEBUG",
    })
    budi = fake.add_user("Budi", language_code="id")
    group = fake.add_group("Kombel Literasi", admins=[budi])
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        fake.enqueue(fake.bot_added(group, budi))
        fake.enqueue(fake.message(budi, fake.chats[budi["id"]].chat, "/start"))
        await fake.wait_for(lambda: len(fake.sent()) >= 2, seconds=60)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), 60)
        await server.stop()
    assert process.returncode == 0, err.decode()
    assert fake.sent(group)[0].text.startswith("Halo, Bapak/Ibu Kombel Literasi!")
    assert fake.sent(budi["id"])[0].text.startswith("Halo, Budi!")
    log = err.decode()
    assert "kopi is up as @kopi_komunitas_bot" in log
    assert token not in log


def test_the_formatter_redacts_the_token_in_a_traceback() -> None:
    from bot.logs import RedactingFormatter

    token = "987654:SECRET-IN-TRACEBACK"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(token, "%(levelname)s %(message)s"))
    log = logging.getLogger("kopi.test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        try:
            raise RuntimeError(f"The token `{token}` was rejected by the server.")
        except RuntimeError:
            log.exception("failed with %s", token)
        log.warning("here", stack_info=True, extra={"x": token})
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert token not in out
    assert "The token `<token>` was rejected" in out
    assert "failed with <token>" in out
    assert "Traceback" in out


async def test_a_rejected_token_stops_kopi_with_one_line(
    tmp_path: Path, database_url: str
) -> None:
    import asyncio

    from bot.offline.fake import ApiError, FakeTelegram
    from bot.offline.server import OfflineServer

    fake = FakeTelegram()
    fake.fail(lambda: ApiError(401, "Unauthorized"), method="getMe", times=None)
    server = OfflineServer(fake)
    server.start()
    token = "434343:REJECTED-TOKEN"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update({
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "DEBUG",
    })
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        await server.stop()
    text = out.decode() + err.decode()
    assert any(c.method == "getMe" and c.error for c in fake.calls)
    assert process.returncode not in (0, None), text
    assert token not in text
    assert "REJECTED-TOKEN" not in text
    lines = [line for line in err.decode().splitlines() if "TELEGRAM_BOT_TOKEN" in line]
    assert lines == [
        "kopi: TELEGRAM_BOT_TOKEN was rejected by Telegram; check it with @BotFather "
        "(/mybots > API Token) and set it again"
    ], text
    assert "Traceback" not in text, text
