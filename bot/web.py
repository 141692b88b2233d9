"""kopi's web server in the bot's own process and event loop: GET /healthz and GET /metrics.

The server is an aiohttp application started in post_init and stopped in post_shutdown (PTB's
customwebhookbot pattern). More routes (the Mini App, issue 15) are added to `WebServer.app`
before kopi starts (in build_application: `ops.server.app.add_routes(...)` or
`.add_subapp(...)`; aiohttp freezes them when the server starts).
Without WEB_PORT there is no server; the metrics are still counted (kopi doctor, tests).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.metrics import Metrics
from handlers.context import SERVICES_KEY, Services
from models.backup import sqlite_path
from scheduler import backups

log = logging.getLogger(__name__)

# The web side is kopi's wiring, not a feature: it lives beside Services, not in it (handlers
# cannot import bot), under one key, read through operations().
OPERATIONS_KEY = "kopi.operations"
DATABASE_TIMEOUT = 5.0  # seconds /healthz waits for the database (SQLite: its one connection)
# An update unfinished for this long means a chat is stuck (a handler waiting on something that
# never comes); a reply held by Telegram's 20-a-minute group limit goes through the outbox.
STUCK_AFTER = 120.0
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class WebServer:
    """An aiohttp application served on host:port inside the running event loop."""

    def __init__(self, host: str, port: int) -> None:
        self.app = web.Application()
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Start serving; the port is the bound one afterwards (0 takes a free port)."""
        # No access log: a scraper every 15 s would fill kopi's log with nothing.
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as error:
            await runner.cleanup()
            raise RuntimeError(
                f"kopi's web server cannot listen on {self.host}:{self.port} "
                f"(WEB_LISTEN, WEB_PORT): {error.strerror or error}"
            ) from None
        self._runner = runner
        address = runner.addresses[0]
        self.port = int(address[1])

    @property
    def url(self) -> str:
        """Return the server's root URL."""
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        """Stop serving (once)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()


@dataclass
class Operations:
    """What an operator watches: the metrics, the web server and the daily backup job."""

    settings: Settings
    db: async_sessionmaker[AsyncSession]
    metrics: Metrics = field(default_factory=Metrics)
    server: WebServer | None = None
    app: Any = None

    def __post_init__(self) -> None:
        if self.settings.web_port is not None:
            self.server = WebServer(self.settings.web_listen, self.settings.web_port)
            self.server.app.add_routes(
                [web.get("/healthz", self._healthz), web.get("/metrics", self._metrics)]
            )

    def request(self, request: BaseRequest | None) -> BaseRequest:
        """Return the bot's request object (PTB's default when None), counted by the metrics."""
        # PTB's own default for the bot's calls (not getUpdates): 256 connections, HTTP/1.1.
        return self.metrics.metered(request or HTTPXRequest(connection_pool_size=256))

    async def start(self, app: Any) -> None:
        """Observe the application, install the backup job and start the web server."""
        self.app = app
        app.bot_data[OPERATIONS_KEY] = self
        services: Services = app.bot_data[SERVICES_KEY]
        backup_dir = self.settings.backup_dir
        self.metrics.watch(app, clock=services.clock, backup_dir=backup_dir)
        if backup_dir is not None:
            plan = backups.BackupPlan(
                database=sqlite_path(self.settings.database_url),
                directory=backup_dir,
                keep=self.settings.backup_keep,
                clock=services.clock,
            )
            backups.install(app, plan)
        if self.server is not None:
            await self.server.start()
            log.info("health and metrics on %s/healthz and /metrics", self.server.url)

    async def stop(self) -> None:
        """Stop the web server."""
        if self.server is not None:
            await self.server.stop()

    async def health(self) -> tuple[bool, dict[str, Any]]:
        """Check the database, the updates and the JobQueue; return (healthy, details)."""
        database = await check_database(self.db)
        updates = check_updates(self.app)
        jobs = check_jobs(self.app)
        healthy = all(part["ok"] for part in (database, updates, jobs))
        return healthy, {
            "status": "ok" if healthy else "unhealthy",
            "database": database,
            "updates": updates,
            "jobs": jobs,
        }

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, details = await self.health()
        return web.json_response(details, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.metrics.refresh(self.db)
        return web.Response(body=self.metrics.text(), headers={"Content-Type": METRICS_TYPE})


def operations(app: Any) -> Operations | None:
    """Return the application's operations side (None before it started)."""
    found = app.bot_data.get(OPERATIONS_KEY)
    return found if isinstance(found, Operations) else None


async def check_database(db: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """Return whether the database answers a trivial query within DATABASE_TIMEOUT."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT), db() as session:
            await session.execute(text("select 1"))
    except TimeoutError:
        return {"ok": False, "error": f"no answer within {DATABASE_TIMEOUT:.0f} s"}
    except Exception as error:
        first_line = (str(error).strip().splitlines() or [""])[0][:200]
        return {"ok": False, "error": f"{type(error).__name__}: {first_line}"}
    return {"ok": True, "seconds": round(loop.time() - started, 4)}


def check_updates(app: Any) -> dict[str, Any]:
    """Return whether updates are coming in (polling or webhook running) and none is stuck."""
    updater = getattr(app, "updater", None)
    receiving = bool(updater is not None and updater.running)
    processor = getattr(app, "update_processor", None)
    found: dict[str, Any] = {"ok": receiving, "receiving": receiving}
    if processor is None or not hasattr(processor, "processed"):
        return found
    now = processor.clock()
    last = processor.last_processed_at
    oldest = processor.oldest_unfinished()
    stuck = oldest is not None and oldest >= STUCK_AFTER
    found.update(
        ok=receiving and not stuck,
        processed=processor.processed,
        skipped=processor.skipped,
        last_update_age_seconds=None if last is None else round(now - last, 3),
        unfinished=processor.waiting,
        oldest_unfinished_seconds=None if oldest is None else round(oldest, 3),
    )
    if stuck:
        found["error"] = f"an update has been unfinished for {oldest:.0f} s"
    elif not receiving:
        found["error"] = "neither polling nor the webhook is running"
    return found


def check_jobs(app: Any) -> dict[str, Any]:
    """Return whether the JobQueue's scheduler runs, and how many jobs it holds."""
    queue = getattr(app, "job_queue", None)
    if queue is None:
        return {"ok": False, "error": "no JobQueue"}
    running = bool(queue.scheduler.running)
    found: dict[str, Any] = {"ok": running, "running": running}
    found["scheduled"] = len(queue.scheduler.get_jobs())
    if not running:
        found["error"] = "the JobQueue's scheduler is not running"
    return found
