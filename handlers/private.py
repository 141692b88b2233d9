"""Private chat is never silent: what no other feature took gets an answer and a choice.

These handlers come last in handler group 0 (bot/app.py FEATURES): within a group the first
matching handler wins, so they only see private messages no feature (and no waiting reflection,
which runs before group 0) has taken. Nothing is stored until a button is pressed: kopi's offer
replies to the teacher's message, and the press reads it back from ``reply_to_message``.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from handlers import capture_private, reflections_actions
from handlers.callbacks import Payload, on
from handlers.capture_browse import answer
from handlers.capture_private import PracticeFor
from handlers.common import button, keyboard, reply
from handlers.context import KopiContext
from handlers.start import help_text
from handlers.texts import Markup
from models.capture import Kind, parse

MEDIA = filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO | filters.Document.ALL


@dataclass(frozen=True)
class OfferConcern(Payload, prefix="pv:c"):
    """Keep the offered message as a concern."""


@dataclass(frozen=True)
class OfferPractice(Payload, prefix="pv:p"):
    """Keep the offered message as a good practice."""


async def on_message(update: Update, context: KopiContext) -> None:
    """Text, photo or voice note: capture a hashtag, else offer what kopi can do with it."""
    message = update.message
    if message is None:
        return
    raw = message.text or message.caption or ""
    kind = parse(raw).kind
    if kind == Kind.CONCERN:
        await capture_private.private_concern(update, context, raw)
        return
    if kind == Kind.PRACTICE:
        await capture_private.private_practice(update, context, message)
        return
    markup = keyboard(
        [
            button(context.t("private.button.concern"), OfferConcern()),
            button(context.t("private.button.practice"), OfferPractice()),
        ],
        [button(context.t("private.button.reflect"), reflections_actions.Start())],
    )
    await message.reply_text(context.t("private.offer"), reply_markup=markup, do_quote=True)


async def on_command(update: Update, context: KopiContext) -> None:
    """An unknown command: the commands that work in private chat."""
    commands = Markup(help_text(context, context.services.commands, {"private"}))
    text = (
        context.t("private.unknown_command") + "\n\n" + context.t("help.private", commands=commands)
    )
    await reply(update, context, text)


async def on_other(update: Update, context: KopiContext) -> None:
    """Anything else (a sticker, a location ...): say what kopi can use."""
    if update.message is not None:
        await reply(update, context, context.t("private.other"))


def _source(update: Update) -> tuple[Message, Message] | None:
    """Return kopi's offer that was pressed and the teacher's message it replies to."""
    query = update.callback_query
    offer = query.message if query is not None else None
    if not isinstance(offer, Message) or offer.reply_to_message is None:
        return None
    return offer, offer.reply_to_message


async def on_concern(update: Update, context: KopiContext, action: OfferConcern) -> None:
    """Carry on as a private concern (community, then with or without a name)."""
    query = update.callback_query
    found = _source(update)
    if query is None or found is None:
        await answer(update, context.t("capture.private.gone"), alert=True)
        return
    offer, _ = found
    question = await capture_private.concern_question(context, query.from_user.id)
    await answer(update)
    if question is None:
        await offer.edit_text(context.t("private.no_community"))
        return
    text, markup = question
    await offer.edit_text(text, reply_markup=markup)


async def on_practice(update: Update, context: KopiContext, action: OfferPractice) -> None:
    """Save the offered message as a good practice."""
    found = _source(update)
    if found is None:
        await answer(update, context.t("capture.private.gone"), alert=True)
        return
    await answer(update)
    await capture_private.private_practice(update, context, found[1])


async def on_practice_community(update: Update, context: KopiContext, action: PracticeFor) -> None:
    """Save the good practice for the community chosen."""
    query = update.callback_query
    found = _source(update)
    if query is None or found is None:
        await answer(update, context.t("capture.private.gone"), alert=True)
        return
    await answer(update)
    await capture_private.save_practice(update, context, found[1], action.community_id)


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the private fallback handlers (register after every other feature)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        MessageHandler(private & filters.COMMAND, on_command),
        MessageHandler(private & (filters.TEXT | MEDIA), on_message),
        MessageHandler(private, on_other),
        on(OfferConcern, on_concern),
        on(OfferPractice, on_practice),
        on(PracticeFor, on_practice_community),
    ]
