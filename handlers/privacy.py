"""/privasi (/privacy): what kopi keeps, who sees it, how a teacher sees or deletes their data."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.common import reply, spec
from handlers.context import KopiContext

COMMANDS = [spec("privasi", "privacy.cmd", "private", "group", aliases=["privacy"])]


async def privacy(update: Update, context: KopiContext) -> None:
    """Explain in plain words what kopi stores and who sees it."""
    await reply(update, context, context.t("privacy.text"))


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the /privasi handler."""
    return [CommandHandler(["privasi", "privacy"], privacy)]
