"""The one error handler: log first, then tell the user kindly; the application keeps running."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from telegram import Update
from telegram.error import ChatMigrated, Forbidden, TelegramError

from handlers.common import thread_of
from handlers.context import KopiContext
from handlers.texts import pick_language, t
from models.community import Person, deactivate_community, get_community, migrate_community

log = logging.getLogger("kopi.errors")

# Waits before processing an update again when the database was busy (SQLite locked by another
# process past its busy timeout, a PostgreSQL deadlock or serialization failure). Handlers are
# idempotent, so a second run of the same update changes nothing that the first one did.
BUSY_RETRIES = (0.2, 0.5, 1.0)


def _database_busy(error: BaseException | None) -> bool:
    if not isinstance(error, OperationalError | DBAPIError):
        return False
    text = str(error).lower()
    return any(
        s in text
        for s in (
            "database is locked",
            "database is busy",
            "deadlock detected",
            "could not serialize",
        )
    )


async def on_error(update: object, context: KopiContext) -> None:
    """Log an unexpected error with its update id and apologise to the user."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    chat_id = (
        update.effective_chat.id
        if isinstance(update, Update) and update.effective_chat is not None
        else None
    )
    if isinstance(error, ChatMigrated) and chat_id is not None:
        async with context.db.begin() as session:
            await migrate_community(session, chat_id, error.new_chat_id)
        log.info("update %s: chat %s moved to %s", update_id, chat_id, error.new_chat_id)
        return
    if isinstance(error, Forbidden) and chat_id is not None:
        if chat_id < 0:
            async with context.db.begin() as session:
                await deactivate_community(session, chat_id)
        log.info("update %s: chat %s cannot be reached: %s", update_id, chat_id, error)
        return
    if _database_busy(error) and isinstance(update, Update):
        attempts = context.services.busy_retries
        attempt = attempts.get(update.update_id, 0)
        if attempt < len(BUSY_RETRIES):
            attempts[update.update_id] = attempt + 1
            log.warning(
                "update %s: database busy, processing it again (%d)", update_id, attempt + 1
            )
            await asyncio.sleep(BUSY_RETRIES[attempt])
            try:
                await context.application.process_update(update)
            finally:
                attempts.pop(update.update_id, None)
            return
    log.error("update %s failed", update_id, exc_info=error)
    if not isinstance(update, Update) or chat_id is None:
        return
    text = t(await _language(update, context), "error.generic")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await context.bot.send_message(chat_id, text, message_thread_id=thread_of(update))
    except TelegramError:
        log.warning("update %s: could not tell the user about the error", update_id)


async def _language(update: Update, context: KopiContext) -> str:
    """Return the language of the chat the error happened in (the error's context is fresh)."""
    chat, user = update.effective_chat, update.effective_user
    try:
        async with context.db() as session:
            if chat is not None and chat.id < 0:
                community = await get_community(session, chat.id)
                if community is not None:
                    return community.language
            chosen = None
            if user is not None:
                person = await session.get(Person, user.id)
                chosen = person.language if person is not None else None
    except SQLAlchemyError:
        chosen = None
    code = user.language_code if user is not None else None
    return pick_language(chosen, code, context.services.default_language)
