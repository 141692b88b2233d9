"""kopi's web server over real HTTP: /healthz says what is wrong, /metrics counts what happened."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import ALLOWED_UPDATES
from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, FakeTelegram
from bot.web import Operations, operations
from models.capture import CaptureItem

PG = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The usual test settings, with the web server on a free port."""
    return replace(settings, web_port=0)


@pytest.fixture
def ops(kopi: OfflineBot) -> Operations:
    found = operations(kopi.app)
    assert found is not None and found.server is not None
    assert found.server.port > 0
    return found


@pytest.fixture
async def running(kopi: OfflineBot) -> AsyncIterator[OfflineBot]:
    """kopi polling the offline Telegram with its JobQueue running, as `kopi run` does."""
    app = kopi.app
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        yield kopi
    finally:
        await app.updater.stop()
        await app.stop()


async def get(ops: Operations, path: str) -> httpx.Response:
    assert ops.server is not None
    async with httpx.AsyncClient(base_url=ops.server.url) as client:
        return await client.get(path)


async def scrape(ops: Operations) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Return every sample of /metrics by (name, labels)."""
    response = await get(ops, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_healthz_is_503_until_updates_come_in_and_the_jobqueue_runs(
    kopi: OfflineBot, ops: Operations
) -> None:
    response = await get(ops, "/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"]["ok"] is True
    assert body["updates"] == {
        "ok": False,
        "receiving": False,
        "error": "neither polling nor the webhook is running",
        "processed": 0,
        "skipped": 0,
        "last_update_age_seconds": None,
        "unfinished": 0,
        "oldest_unfinished_seconds": None,
    }
    assert body["jobs"]["ok"] is False and body["jobs"]["running"] is False


async def test_healthz_is_200_while_kopi_polls_and_says_how_old_the_last_update_is(
    running: OfflineBot, ops: Operations, fake: FakeTelegram, budi: JSON
) -> None:
    response = await get(ops, "/healthz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["updates"]["receiving"] is True
    assert body["updates"]["last_update_age_seconds"] is None  # nothing came in yet
    assert body["jobs"]["running"] is True
    assert body["jobs"]["scheduled"] >= 3  # the journal prune, the meetings sweep, the drafts

    # An update through long polling, as from Telegram.
    fake.enqueue(fake.message(budi, fake.chats[budi["id"]].chat, "/start"))
    await fake.wait_for(lambda: len(fake.sent(budi["id"])) >= 1)
    await running.app.update_queue.join()

    body = (await get(ops, "/healthz")).json()
    assert body["updates"]["processed"] == 1
    age = body["updates"]["last_update_age_seconds"]
    assert isinstance(age, float) and 0 <= age < 60


async def test_healthz_is_503_while_an_update_is_stuck(
    running: OfflineBot, ops: Operations, fake: FakeTelegram, budi: JSON
) -> None:
    processor = running.app.update_processor
    now = [1000.0]
    processor.clock = lambda: now[0]  # type: ignore[attr-defined]
    held = fake.hold("sendMessage")  # Telegram never answers kopi's reply
    task = asyncio.create_task(
        running.process(fake.message(budi, fake.chats[budi["id"]].chat, "/start"))
    )
    await fake.wait_for(lambda: len(held.calls) == 1)
    assert (await get(ops, "/healthz")).status_code == 200  # just in, not stuck
    now[0] += 121
    response = await get(ops, "/healthz")
    assert response.status_code == 503
    updates = response.json()["updates"]
    assert updates["unfinished"] == 1
    assert updates["oldest_unfinished_seconds"] == 121.0
    assert updates["error"] == "an update has been unfinished for 121 s"
    held.release()
    await task
    assert (await get(ops, "/healthz")).status_code == 200


@pytest.mark.skipif(PG, reason="makes the SQLite file unreachable; the check is the same query")
async def test_healthz_is_503_when_the_database_is_unreachable(
    running: OfflineBot, ops: Operations, database_url: str
) -> None:
    assert (await get(ops, "/healthz")).status_code == 200
    path = Path(database_url.split("///", 1)[1])
    engine = running.services.db.kw["bind"]
    await engine.dispose()  # the next query opens the file again
    away = path.with_name("away.db")
    hide(path, away)
    try:
        response = await get(ops, "/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unhealthy"
        assert body["database"]["ok"] is False
        assert "unable to open database file" in body["database"]["error"]
        assert body["updates"]["ok"] and body["jobs"]["ok"]  # only the database is wrong
    finally:
        unhide(path, away)
    assert (await get(ops, "/healthz")).status_code == 200


def hide(path: Path, away: Path) -> None:
    """Put a folder where the database was: SQLite cannot open it."""
    shutil.move(path, away)
    path.mkdir()


def unhide(path: Path, away: Path) -> None:
    path.rmdir()
    shutil.move(away, path)


async def test_metrics_count_updates_captures_and_sends_by_outcome(
    kopi: OfflineBot,
    ops: Operations,
    fake: FakeTelegram,
    joined: JSON,
    sari: JSON,
    db: async_sessionmaker[AsyncSession],
) -> None:
    ticks = [0.0]
    ops.metrics.monotonic = lambda: ticks[0]
    before = await scrape(ops)
    assert value(before, "kopi_updates_total", outcome="processed") == 1  # kopi was added
    assert value(before, "kopi_captures", kind="concern") == 0
    assert ("kopi_captures", (("kind", "practice"),)) in before
    assert value(before, "kopi_telegram_requests_total", method="sendMessage", outcome="ok") >= 1
    acked = ("kopi_telegram_requests_total", "setMessageReaction")

    # Telegram says "too many requests" once: the rate limiter waits and reacts again.
    fake.fail(
        lambda: ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1}),
        method="setMessageReaction",
    )
    await kopi.process(fake.message(sari, joined, "#keresahan murid sulit fokus setelah istirahat"))
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(CaptureItem)) == 1

    cached = await scrape(ops)
    assert value(cached, "kopi_updates_total", outcome="processed") == 2
    assert value(cached, "kopi_captures", kind="concern") == 0  # counted again after 30 s
    ticks[0] += 31
    after = await scrape(ops)
    assert value(after, "kopi_captures", kind="concern") == 1
    assert value(after, "kopi_captures", kind="practice") == 0
    assert value(after, acked[0], method=acked[1], outcome="rate_limited") == 1
    assert value(after, acked[0], method=acked[1], outcome="ok") == 1
    requests = sum(v for (name, _), v in after.items() if name == "kopi_telegram_requests_total")
    assert value(after, "kopi_telegram_request_seconds_count") == requests
    assert value(after, "kopi_outbox_pending") == 0
    assert value(after, "kopi_updates_unfinished") == 0
    assert value(after, "kopi_last_update_age_seconds") >= 0
    assert ("kopi_meetings_overdue_seconds", ()) in after


async def test_metrics_count_job_lag_and_job_errors(running: OfflineBot, ops: Operations) -> None:
    queue = running.app.job_queue
    assert queue is not None
    ran = asyncio.Event()

    async def fine(context: Any) -> None:
        ran.set()

    async def broken(context: Any) -> None:
        raise RuntimeError("a job failed")

    before = await scrape(ops)
    queue.run_once(fine, when=0)  # started by the scheduler: its lag is observed
    await asyncio.wait_for(ran.wait(), 10)
    await queue.run_once(broken, when=3600).run(running.app)  # the error handlers run in it
    after = await scrape(ops)
    lag = "kopi_job_lag_seconds_count"
    assert value(after, lag) == value(before, lag) + 1
    assert 0 <= value(after, "kopi_job_lag_seconds_sum") < 60
    assert value(before, "kopi_errors_total", source="job") == 0
    assert value(after, "kopi_errors_total", source="job") == 1
    assert value(after, "kopi_jobqueue_running") == 1


async def test_without_a_port_there_is_no_web_server(database_url: str, fake: FakeTelegram) -> None:
    bot = await OfflineBot.start(
        Settings(token="123456:TEST-TOKEN", database_url=database_url), fake, migrate=False
    )
    try:
        found = operations(bot.app)
        assert found is not None and found.server is None
        assert b"kopi_updates_total" in found.metrics.text()  # still counted
    finally:
        await bot.stop()


async def test_a_port_in_use_stops_start_up_with_one_clear_line(
    ops: Operations, database_url: str, fake: FakeTelegram
) -> None:
    assert ops.server is not None
    taken = Settings(token="123456:TEST-TOKEN", database_url=database_url, web_port=ops.server.port)
    with pytest.raises(RuntimeError, match=r"cannot listen on 127\.0\.0\.1:\d+ \(WEB_LISTEN"):
        await OfflineBot.start(taken, fake, migrate=False)
