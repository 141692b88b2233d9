"""Who is speaking, where, in which language: loaded once per update before any feature runs."""

from __future__ import annotations

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from handlers.context import KnownPerson, KopiContext
from handlers.texts import pick_language
from models.community import (
    Community,
    Speaker,
    activate_community,
    get_community,
    register_speakers,
)


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
    community = known.community(chat.id) if in_group else None
    if in_group and community is None:
        community = await _community_of(update, context, chat)
    if community is not None:
        known.remember_community(community)
    context.community = community

    chosen: str | None = None
    speaker = user if user is not None and not user.is_bot else None
    if speaker is not None:
        profile = (speaker.first_name, speaker.last_name, speaker.username, speaker.language_code)
        cached = known.people.get(speaker.id)
        fresh = cached is not None and cached[:4] == profile and (cached.started or not private)
        member_key = (community.id, speaker.id) if community and community.active else None
        if fresh and (member_key is None or member_key in known.members):
            assert cached is not None
            chosen = cached.language
        else:
            # Written together with the other chats' new speakers (one transaction for many).
            chosen = await context.services.writer("speakers", register_speakers).submit(
                Speaker(
                    speaker.id,
                    speaker.first_name,
                    speaker.last_name,
                    speaker.username,
                    speaker.language_code,
                    started=private,
                    community_id=member_key[0] if member_key else None,
                )
            )
            known.trim()
            started = private or bool(cached and cached.started)
            known.people[speaker.id] = KnownPerson(*profile, started, chosen)
            if member_key is not None:
                known.members.add(member_key)

    if in_group and community is not None:
        context.lang = community.language
    else:
        context.lang = pick_language(
            chosen,
            user.language_code if user else None,
            context.services.default_language,
        )


async def _community_of(update: Update, context: KopiContext, chat: Chat) -> Community | None:
    """Return the community of a group, registering one kopi sits in but does not know yet (e.g.
    added while it was down) unless the update is kopi joining or leaving, or a migration
    (groups.py handles those)."""
    async with context.db.begin() as session:
        community = await get_community(session, chat.id)
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
    return community


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
