"""Who is speaking, where, in which language: loaded once per update before any feature runs."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from handlers.context import KopiContext
from handlers.texts import pick_language
from models.community import (
    activate_community,
    ensure_membership,
    get_community,
    upsert_person,
)

GROUP = -10  # runs before every feature handler (group 0 and later)


async def load_speaker(update: Update, context: KopiContext) -> None:
    """Register the sender (and their membership) and set the context's language and community."""
    query = update.callback_query
    if query is not None and not query.data:
        # A press without data (a game button, or a client's glitch): nothing to route. PTB would
        # hand it to any CallbackQueryHandler with a pattern, so it stops here.
        await query.answer()
        raise ApplicationHandlerStop
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    in_group = chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
    private = chat.type == ChatType.PRIVATE
    known = context.services.known
    speaker = user if user is not None and not user.is_bot else None
    profile = None
    if speaker is not None:
        profile = (speaker.first_name, speaker.last_name, speaker.username, speaker.language_code)
    async with context.db.begin() as session:
        community = None
        if in_group:
            community = known.community(chat.id) or await get_community(session, chat.id)
            # A group kopi sits in but does not know (e.g. added while it was down): register it,
            # unless the update is kopi joining or leaving, or a migration (groups.py does those).
            if (
                (community is None or not community.active)
                and update.my_chat_member is None
                and not _is_lifecycle_message(update, context)
            ):
                community, _ = await activate_community(
                    session,
                    chat.id,
                    title=chat.title or "",
                    chat_type=chat.type,
                    is_forum=bool(chat.is_forum),
                    timezone=context.services.default_timezone,
                    language=context.services.default_language,
                )
        chosen: str | None = None
        # Learned facts are cached only once the transaction committed (a rollback expires them).
        learned_person: tuple[str, str | None, str | None, str | None, bool, str | None] | None = (
            None
        )
        learned_member: tuple[int, int] | None = None
        if speaker is not None and profile is not None:
            cached = known.people.get(speaker.id)
            if cached is not None and cached[:4] == profile and (cached[4] or not private):
                chosen = cached[5]
            else:
                person = await upsert_person(
                    session,
                    speaker.id,
                    first_name=speaker.first_name,
                    last_name=speaker.last_name,
                    username=speaker.username,
                    telegram_language=speaker.language_code,
                    started=private,
                )
                chosen = person.language
                learned_person = (*profile, person.started, chosen)
            if community is not None and community.active:
                key = (community.id, speaker.id)
                if key not in known.members:
                    await ensure_membership(session, community, speaker.id)
                    learned_member = key
    known.trim()
    if community is not None:
        known.remember_community(community)
    if speaker is not None and learned_person is not None:
        known.people[speaker.id] = learned_person
    if learned_member is not None:
        known.members.add(learned_member)
    context.community = community
    if in_group and community is not None:
        context.lang = community.language
    else:
        context.lang = pick_language(
            chosen,
            user.language_code if user else None,
            context.services.default_language,
        )


def _is_lifecycle_message(update: Update, context: KopiContext) -> bool:
    """Return whether a service message says kopi joined or left, or the group migrated."""
    message = update.effective_message
    if message is None:
        return False
    if message.migrate_to_chat_id or message.migrate_from_chat_id:
        return True
    left = message.left_chat_member
    joined = message.new_chat_members or ()
    return (left is not None and left.id == context.bot.id) or any(
        u.id == context.bot.id for u in joined
    )


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the handler that loads the speaker for every update."""
    return [TypeHandler(Update, load_speaker)]
