"""/start with its deep links, /bantuan (/help) and /bahasa (/language).

Deep links: ``t.me/<bot>?start=<prefix>-<rest>``. A feature answers its own links by returning
``CommandHandler("start", callback, filters=deep_link("prefix"))`` from its build_handlers();
the wiring registers features before this module, so the generic /start below only sees links
nobody claimed (and answers them with the main menu).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers import reflections_actions
from handlers.aims import aims_block
from handlers.callbacks import Payload, on
from handlers.common import (
    CommandSpec,
    button,
    edit,
    is_facilitator,
    is_group,
    keyboard,
    reply,
    spec,
)
from handlers.context import KopiContext
from handlers.texts import LANGUAGES, Markup
from models.community import communities_of, set_community_language, set_person_language


@dataclass(frozen=True)
class Help(Payload, prefix="help"):
    """Show the commands that work here."""


@dataclass(frozen=True)
class Languages(Payload, prefix="lang"):
    """Offer the languages."""


@dataclass(frozen=True)
class Language(Payload, prefix="lang"):
    """Speak this language (the person's in private, the group's for a facilitator)."""

    lang: str


COMMANDS = [
    spec("start", "cmd.start", "private"),
    spec("bantuan", "cmd.help", "private", "group", aliases=["help"]),
    spec("bahasa", "cmd.language", "private", "admin", aliases=["language"]),
]


class _DeepLink(filters.MessageFilter):
    def __init__(self, prefix: str) -> None:
        super().__init__(name=f"deep_link({prefix})")
        self.pattern = re.compile(rf"^/start(?:@\w+)?\s+{re.escape(prefix)}(?:-|$)")

    def filter(self, message: Message) -> bool:
        return bool(message.text and self.pattern.match(message.text))


def deep_link(prefix: str) -> filters.BaseFilter:
    """Return a filter for private /start messages whose payload starts with prefix."""
    return filters.ChatType.PRIVATE & _DeepLink(prefix)


def deep_link_url(bot_username: str, prefix: str, rest: str = "") -> str:
    """Return the t.me link that opens a private chat with kopi and runs /start <payload>."""
    payload = f"{prefix}-{rest}" if rest else prefix
    if len(payload) > 64 or not re.fullmatch(r"[A-Za-z0-9_-]+", payload):
        raise ValueError(f"deep-link payload not allowed by Telegram: {payload!r}")
    return f"https://t.me/{bot_username}?start={payload}"


def main_menu(context: KopiContext) -> list[list[InlineKeyboardButton]]:
    """Return the main menu's buttons."""
    return [
        [
            InlineKeyboardButton(
                context.t("button.add_to_group"),
                url=f"https://t.me/{context.bot.username}?startgroup=kopi",
            )
        ],
        [
            button(context.t("button.help"), Help()),
            button(context.t("button.language"), Languages()),
        ],
        [button(context.t("reflect.button.write"), reflections_actions.Start())],
    ]


async def start(update: Update, context: KopiContext) -> None:
    """Welcome a teacher in private chat, with the main actions as buttons."""
    user = update.effective_user
    if user is None:
        return
    text = context.t("start.welcome", name=user.first_name)
    async with context.db.begin() as session:
        communities = await communities_of(session, user.id)
    if communities:
        names = ", ".join(c.title for c in communities)
        text += "\n\n" + context.t("start.communities", names=names)
        text += await aims_block(context, communities)  # the aims of the teacher's communities
    if context.args:
        text = context.t("start.unknown_link") + "\n\n" + text
    await reply(update, context, text, keyboard(*main_menu(context)))


def help_text(context: KopiContext, commands: list[CommandSpec], scopes: set[str]) -> str:
    """Return the command list for these scopes."""
    lines = [
        context.t("help.line", command=c.command, description=context.t(c.description_key))
        for c in commands
        if c.scopes & scopes
    ]
    return "\n".join(lines)


async def show_help(update: Update, context: KopiContext) -> None:
    """List the commands that work where the user is."""
    commands = context.services.commands
    if is_group(update):
        scopes = {"group"}
        if await is_facilitator(update, context):
            scopes.add("admin")
        text = context.t("help.group", commands=Markup(help_text(context, commands, scopes)))
    else:
        text = context.t("help.private", commands=Markup(help_text(context, commands, {"private"})))
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, context, text)


async def choose_language(update: Update, context: KopiContext) -> None:
    """Offer the languages as buttons (in a group: facilitators only)."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    if is_group(update) and not await is_facilitator(update, context):
        await reply(update, context, context.t("error.facilitator_only"))
        return
    key = "language.choose_group" if is_group(update) else "language.choose"
    markup = keyboard(
        [button(context.t(f"language.name.{lang}"), Language(lang)) for lang in LANGUAGES]
    )
    await reply(update, context, context.t(key), markup)


async def language_chosen(update: Update, context: KopiContext, action: Language) -> None:
    """Remember the chosen language and confirm in it."""
    query = update.callback_query
    if query is None:
        return
    lang = action.lang
    if lang not in LANGUAGES:
        await query.answer(context.t("error.expired_button"))
        return
    chat = update.effective_chat
    if is_group(update):
        if not await is_facilitator(update, context):
            await query.answer(context.t("error.facilitator_only"), show_alert=True)
            return
        assert chat is not None
        async with context.db.begin() as session:
            await set_community_language(session, chat.id, lang)
        key = "language.set_group"
    else:
        async with context.db.begin() as session:
            await set_person_language(session, query.from_user.id, lang)
        key = "language.set"
    context.lang = lang
    await query.answer()
    await edit(query, context.t(key))


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the /start, help and language handlers (register after every feature)."""
    return [
        CommandHandler("start", start, filters.ChatType.PRIVATE),
        CommandHandler("start", show_help, filters.ChatType.GROUPS),
        CommandHandler(["bantuan", "help"], show_help),
        CommandHandler(["bahasa", "language"], choose_language),
        on(Help, lambda update, context, _: show_help(update, context)),
        on(Languages, lambda update, context, _: choose_language(update, context)),
        on(Language, language_chosen),
    ]
