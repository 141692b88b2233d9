"""Group commit: many handlers' writes of the same kind in one transaction.

Every capture must be committed before it is acknowledged, and a transaction costs several round
trips to the database thread. When many chats capture at once, a GroupCommit collects their rows
while the previous batch is being written and writes the next batch in one statement and one
commit; each handler still awaits its own row's commit before it answers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

WriteMany = Callable[[AsyncSession, Sequence[T]], Awaitable[Sequence[R]]]


class GroupCommit(Generic[T, R]):
    """Write submitted items in batches; each submitter gets its own result after the commit."""

    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        write_many: WriteMany[T, R],
        max_batch: int = 400,
    ) -> None:
        self._db = db
        self._write_many = write_many
        self._max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._worker: asyncio.Task[None] | None = None
        self.batches = 0

    async def submit(self, item: T) -> R:
        """Write item with whatever else is waiting; return its result once committed."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._work())
        return await future

    async def _work(self) -> None:
        await asyncio.sleep(0)  # let the handlers already running submit theirs too
        while self._pending:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            try:
                async with self._db.begin() as session:
                    results = await self._write_many(session, [item for item, _ in batch])
            except Exception:
                if len(batch) == 1:
                    _settle_error(batch)
                    continue
                log.warning("a batch of %d writes failed; writing them one by one", len(batch))
                for single in batch:
                    await self._write_one(single)
                continue
            self.batches += 1
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _write_one(self, entry: tuple[T, asyncio.Future[R]]) -> None:
        item, future = entry
        try:
            async with self._db.begin() as session:
                [result] = await self._write_many(session, [item])
        except Exception as error:
            if not future.done():
                future.set_exception(error)
            return
        if not future.done():
            future.set_result(result)


def _settle_error(batch: list[tuple[T, asyncio.Future[R]]]) -> None:
    import sys

    error = sys.exc_info()[1]
    for _, future in batch:
        if not future.done():
            future.set_exception(error if error is not None else RuntimeError("write failed"))
