"""Which community a command or a press is for: the group's, or in private chat the person's.

A group command sent in private (``/cari``, ``/keresahan``, ``/norma`` ...) runs for the person's
community. With several, kopi asks with one button per community, replying to the command; the
press reads the command back from ``reply_to_message`` and runs it for the chosen community. The
choice is remembered (in this process) for the presses on what the command showed: a list's
pages, an item's buttons.

A feature makes a command usable in private by exporting ``IN_PRIVATE``: the command's name (its
CommandSpec's, aliases follow) mapped to a :data:`Run`, which does the command's work for a given
community and the text after the command.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler

from handlers.callbacks import Payload, on
from handlers.commands import CommandSpec
from handlers.common import button, command_parts, keyboard, reply
from handlers.context import KopiContext
from models.community import Community, communities_of

log = logging.getLogger(__name__)

Run = Callable[[Update, KopiContext, Community, str], Awaitable[None]]
Callback = Callable[[Update, KopiContext], Coroutine[Any, Any, None]]

MAX_BUTTONS = 20


@dataclass(frozen=True)
class ForCommunity(Payload, prefix="pk"):
    """Run the command this button's message replies to for a community of the person's."""

    community_id: int


def is_private(update: Update) -> bool:
    """Return whether the update comes from a private chat."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def _communities(context: KopiContext, person_id: int) -> list[Community]:
    async with context.db() as session:
        return await communities_of(session, person_id)


async def community_for(update: Update, context: KopiContext) -> Community | None:
    """Return the community a command is for; None when there is none yet (kopi has said why).

    In a group: its community. In private: the person's only community; with several, kopi asks
    which one (the press runs the command, see :func:`chooser`).
    """
    if not is_private(update):
        return context.community
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return None
    communities = await _communities(context, user.id)
    if len(communities) == 1:
        return _chosen(context, user.id, communities[0])
    if not communities:
        await reply(update, context, context.t("private.no_community"))
        return None
    markup = keyboard(
        *[[button(c.title or "?", ForCommunity(c.id))] for c in communities[:MAX_BUTTONS]],
    )
    await message.reply_text(context.t("private.which"), reply_markup=markup, do_quote=True)
    return None


async def pressed_community(update: Update, context: KopiContext) -> Community | None:
    """Return the community a press on kopi's message is for.

    In a group: its community. In private: the one chosen last (or the person's only one); None
    when kopi cannot tell (a restart forgot the choice of someone with several).
    """
    if not is_private(update):
        return context.community
    user = update.effective_user
    if user is None:
        return None
    communities = await _communities(context, user.id)
    if len(communities) == 1:
        return _chosen(context, user.id, communities[0])
    wanted = context.services.private_choice.get(user.id)
    found = next((c for c in communities if c.id == wanted), None)
    if found is not None:
        context.community = found
    return found


def _chosen(context: KopiContext, person_id: int, community: Community) -> Community:
    context.services.private_choice[person_id] = community.id
    context.community = community
    return community


def private_command(run: Run) -> Callback:
    """Return a command callback that runs `run` for the community of the chat (or the person)."""

    async def command(update: Update, context: KopiContext) -> None:
        message = update.effective_message
        if message is None:
            return
        community = await community_for(update, context)
        if community is None:
            return
        await run(update, context, community, command_parts(message.text or "")[1])

    return command


def chooser(
    runs: Mapping[str, Run], commands: Sequence[CommandSpec]
) -> BaseHandler[Update, KopiContext, None]:
    """Return the handler of the community buttons (pk:<community id>)."""
    by_name: dict[str, Run] = {}
    for spec in commands:
        run = runs.get(spec.command)
        if run is not None:
            for name in (spec.command, *spec.aliases):
                by_name[name] = run

    async def callback(update: Update, context: KopiContext, action: ForCommunity) -> None:
        query = update.callback_query
        if query is None:
            return
        offer = query.message
        source = offer.reply_to_message if isinstance(offer, Message) else None
        name, text = command_parts(source.text or "") if source is not None else (None, "")
        run = by_name.get(name) if name is not None else None
        communities = {c.id: c for c in await _communities(context, query.from_user.id)}
        community = communities.get(action.community_id)
        if run is None or community is None or not isinstance(offer, Message):
            await query.answer(context.t("error.expired_button"))
            return
        await query.answer()
        _chosen(context, query.from_user.id, community)
        await offer.edit_text(context.t("private.for_community", title=community.title or "?"))
        await run(update, context, community, text)

    return on(ForCommunity, callback)
