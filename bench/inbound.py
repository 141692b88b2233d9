"""Inbound benchmark: a flood of hashtag captures in many groups, PTB's default against kopi's.

The real Application, with kopi's production rate limiter (30 messages/s, 20/min per group), runs
against the offline Bot API, which adds a set latency to every call. GROUPS x PER_GROUP captures
arrive at once (interleaved across groups, as Telegram would deliver them). Three set-ups:

- bare:        PTB's ceiling: parse each update and run a no-op handler, sequentially;
- sequential:  PTB's default processing (one update at a time) with kopi's handlers, where a
               handler's acknowledgement is sent before the next update is taken (as a PTB bot that
               awaits its reply); capped at --cap seconds, its rate measured over what it did;
- kopi:        kopi's ChatOrderedProcessor (chats concurrently, each chat in order) with
               acknowledgements handed to the per-chat outbox.

Reported: captures persisted per second, p50/p99 from arrival to persisted, the time until every
capture was acknowledged (against the minimum Telegram's limits allow), and the share of groups
whose captures were persisted and acknowledged in the order they were sent.

    python -m bench.inbound                   # 200 groups x 20, latency 0 and 100 ms (~6 min)
    python -m bench.inbound --groups 50 --per-group 10 --cap 10   # quick look
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    MessageHandler,
    SimpleUpdateProcessor,
    TypeHandler,
    filters,
)

from bench.common import Databases, command_line, git_revision, machine, median, percentile, table
from bot.app import build_application
from bot.config import Settings
from bot.offline.fake import JSON, FakeTelegram
from bot.offline.request import OfflineRequest
from handlers.context import SERVICES_KEY, Services
from models.capture import CaptureItem
from models.community import Role, activate_community, ensure_membership, upsert_person
from models.db import create_engine, session_factory


class SequentialAwaitingReplies(SimpleUpdateProcessor):
    """PTB's default: one update at a time, each handler's reply sent before the next update."""

    def __init__(self, services: list[Services]) -> None:
        super().__init__(max_concurrent_updates=1)
        self.services = services

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        await coroutine
        await self.services[0].outbox.drain()


@dataclass
class Result:
    name: str
    latency_ms: int
    captures: int
    persisted: int = 0
    persisted_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    acked_all_s: float | None = None
    ack_ratio: float | None = None
    order_kept: float = 0.0
    capped: bool = False
    notes: list[str] = field(default_factory=list)


def build_flood(
    fake: FakeTelegram, groups: int, per_group: int
) -> tuple[list[JSON], list[JSON], list[JSON]]:
    teachers = [fake.add_user(f"Guru{i}", language_code="id") for i in range(groups)]
    chats = [
        fake.add_group(f"Komunitas {i}", admins=[t], bot_status="administrator")
        for i, t in enumerate(teachers)
    ]
    updates = []
    for n in range(per_group):
        for teacher, chat in zip(teachers, chats, strict=True):
            updates.append(
                fake.message(teacher, chat, f"#keresahan murid sulit fokus setelah istirahat ({n})")
            )
    return teachers, chats, updates


async def register(url: str, teachers: list[JSON], chats: list[JSON]) -> None:
    engine = create_engine(url)
    db = session_factory(engine)
    async with db.begin() as session:
        for teacher, chat in zip(teachers, chats, strict=True):
            community, _ = await activate_community(
                session,
                chat["id"],
                title=chat["title"],
                chat_type=chat["type"],
                is_forum=False,
                timezone="Asia/Jakarta",
                language="id",
            )
            await upsert_person(session, teacher["id"], first_name=teacher["first_name"])
            await ensure_membership(session, community, teacher["id"], role=Role.FACILITATOR)
    await engine.dispose()


async def bare(groups: int, per_group: int) -> Result:
    fake = FakeTelegram()
    _, _, updates = build_flood(fake, groups, per_group)
    app = ApplicationBuilder().token("1:bare").request(OfflineRequest(fake)).build()

    async def nothing(update: Update, context: object) -> None:
        return None

    app.add_handler(MessageHandler(filters.ALL, nothing))
    await app.initialize()
    start = time.perf_counter()
    for raw in updates:
        await app.process_update(Update.de_json(raw, app.bot))
    elapsed = time.perf_counter() - start
    await app.shutdown()
    return Result(
        "PTB bare ceiling (parse + no-op)",
        0,
        len(updates),
        len(updates),
        len(updates) / elapsed,
        order_kept=1.0,
    )


async def scenario(
    name: str,
    url: str,
    latency: float,
    groups: int,
    per_group: int,
    cap: float | None,
    sequential: bool,
) -> Result:
    fake = FakeTelegram(can_read_all_group_messages=True)
    teachers, chats, updates = build_flood(fake, groups, per_group)
    await register(url, teachers, chats)
    settings = Settings(token="123456:BENCH", database_url=url)  # production rate limits
    services: list[Services] = []
    processor = SequentialAwaitingReplies(services) if sequential else None
    app = build_application(
        settings, request=OfflineRequest(fake), migrate=False, processor=processor
    )
    services.append(app.bot_data[SERVICES_KEY])
    arrived: dict[int, float] = {}
    persisted: dict[int, float] = {}
    acked: dict[tuple[int, int], float] = {}

    async def record(update: Update, context: object) -> None:
        persisted[update.update_id] = time.perf_counter()

    # Runs after the capture handler (group 0), i.e. after its transaction committed.
    app.add_handler(TypeHandler(Update, record), group=100)
    original = fake.call

    async def timed_call(method: str, params: JSON, files: Any = None) -> JSON:
        body = await original(method, params, files)
        if method in ("setMessageReaction", "sendMessage") and body.get("ok"):
            key = params.get("message_id")
            if key is None:
                reply = params.get("reply_parameters") or {}
                key = reply.get("message_id") if isinstance(reply, dict) else None
            if key is not None:
                acked[(int(params["chat_id"]), int(key))] = time.perf_counter()
        return body

    fake.call = timed_call  # type: ignore[method-assign]
    await app.initialize()
    fake.latency = latency
    await app.start()
    start = time.perf_counter()
    for raw in updates:
        arrived[raw["update_id"]] = time.perf_counter()
        await app.update_queue.put(Update.de_json(raw, app.bot))
    deadline = start + cap if cap else None
    capped = False
    while len(acked) < len(updates):
        if deadline and time.perf_counter() > deadline:
            capped = True
            break
        await asyncio.sleep(0.05)
    end = time.perf_counter()
    while not app.update_queue.empty():  # a capped run drops what it did not get to
        app.update_queue.get_nowait()
        app.update_queue.task_done()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)

    engine = create_engine(url)
    async with session_factory(engine)() as session:
        rows = (
            await session.execute(
                select(CaptureItem.chat_id, CaptureItem.message_id).order_by(CaptureItem.id)
            )
        ).all()
    await engine.dispose()
    by_group_db: dict[int, list[int]] = defaultdict(list)
    for chat_id, message_id in rows:
        by_group_db[int(chat_id)].append(int(message_id))
    by_group_ack: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (chat_id, message_id), at in acked.items():
        by_group_ack[chat_id].append((at, message_id))
    kept = 0
    for chat in chats:
        db_order = by_group_db.get(chat["id"], [])
        ack_order = [m for _, m in sorted(by_group_ack.get(chat["id"], []))]
        if db_order == sorted(db_order) and ack_order == sorted(ack_order):
            kept += 1

    done = [persisted[u] - start for u in persisted]
    waits = [(persisted[u] - arrived[u]) * 1000 for u in persisted]
    last = max(done) if done else float("nan")
    result = Result(
        name,
        int(latency * 1000),
        len(updates),
        len(rows),
        len(persisted) / last if done else 0.0,
        median(waits),
        percentile(waits, 0.99),
        order_kept=kept / len(chats),
        capped=capped,
    )
    minimum = max(
        len(updates) / settings.rate_overall_per_second,
        max(0, per_group - settings.rate_group_per_minute) * 60 / settings.rate_group_per_minute,
    )
    if not capped:
        result.acked_all_s = max(acked.values()) - start
        result.ack_ratio = result.acked_all_s / minimum
    else:
        result.notes.append(
            f"capped at {end - start:.0f} s: {len(persisted)} persisted, {len(acked)} acknowledged"
        )
    if len(rows) != len(persisted):
        result.notes.append(f"database holds {len(rows)} captures for {len(persisted)} processed")
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--per-group", type=int, default=20)
    parser.add_argument("--latency", default="0,100", help="ms per Bot API call, comma-separated")
    parser.add_argument(
        "--cap",
        type=float,
        default=30.0,
        help="seconds the sequential set-up may run (it is slow by design)",
    )
    args = parser.parse_args()
    databases = Databases()
    await databases.prepare()
    results = [await bare(args.groups, args.per_group)]
    for latency_ms in (int(x) for x in args.latency.split(",")):
        for sequential in (True, False):
            name = "PTB default (sequential)" if sequential else "kopi (per-chat ordered, outbox)"
            results.append(
                await scenario(
                    name,
                    databases.fresh(),
                    latency_ms / 1000,
                    args.groups,
                    args.per_group,
                    args.cap if sequential else None,
                    sequential,
                )
            )
    databases.close()
    rows = []
    for r in results:
        rows.append(
            [
                r.name,
                r.latency_ms,
                f"{r.persisted}/{r.captures}",
                f"{r.persisted_per_s:,.0f}",
                f"{r.p50_ms:,.0f}" if r.p50_ms else "-",
                f"{r.p99_ms:,.0f}" if r.p99_ms else "-",
                "-"
                if r.acked_all_s != r.acked_all_s  # nan: not applicable
                else f"{r.acked_all_s:,.1f}"
                if r.acked_all_s is not None
                else "capped",
                f"{r.ack_ratio:.3f}x" if r.ack_ratio is not None else "-",
                f"{r.order_kept:.0%}",
            ]
        )
    print(f"Inbound: {args.groups} groups x {args.per_group} captures, limiter 30/s, 20/min/group")
    print(f"machine: {machine()}; commit {git_revision()}")
    print()
    print(
        table(
            [
                "set-up",
                "latency ms",
                "persisted",
                "captures/s",
                "p50 ms",
                "p99 ms",
                "all acked s",
                "vs limit",
                "order kept",
            ],
            rows,
        )
    )
    for r in results:
        for note in r.notes:
            print(f"- {r.name} @ {r.latency_ms} ms: {note}")
    by = {(r.name.split()[0], r.latency_ms): r for r in results}
    for latency_ms in (int(x) for x in args.latency.split(",")):
        seq, kopi = by.get(("PTB", latency_ms)), by.get(("kopi", latency_ms))
        if seq and kopi and seq.persisted_per_s:
            ratio = kopi.persisted_per_s / seq.persisted_per_s
            print(f"- at {latency_ms} ms kopi persists {ratio:,.1f}x faster than the default")
    print()
    print(f"reproduce: {command_line()}")


if __name__ == "__main__":
    asyncio.run(main())
