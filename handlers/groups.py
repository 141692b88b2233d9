"""kopi joining, leaving and following groups: the community's life cycle."""

from __future__ import annotations

from telegram import Chat, Update, User
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from handlers.common import send
from handlers.context import KopiContext
from handlers.texts import pick_language
from models.community import (
    Role,
    activate_community,
    deactivate_community,
    ensure_membership,
    migrate_community,
    upsert_person,
)

PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def bot_membership_changed(update: Update, context: KopiContext) -> None:
    """Register the community when kopi is added; mark it inactive when kopi is removed."""
    change = update.my_chat_member
    if change is None or change.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return
    new = change.new_chat_member.status
    if new in PRESENT:
        await _joined(
            context,
            change.chat,
            change.from_user,
            is_admin=new == ChatMemberStatus.ADMINISTRATOR,
        )
    else:
        async with context.db.begin() as session:
            await deactivate_community(session, change.chat.id)


async def bot_added_message(update: Update, context: KopiContext) -> None:
    """Handle the service message that says kopi was added (some clients only send this)."""
    message = update.effective_message
    if message is None or not any(u.id == context.bot.id for u in message.new_chat_members):
        return
    await _joined(context, message.chat, message.from_user, is_admin=False)


async def bot_left_message(update: Update, context: KopiContext) -> None:
    """Handle the service message that says kopi left the group."""
    message = update.effective_message
    if message is None or message.left_chat_member is None:
        return
    if message.left_chat_member.id == context.bot.id:
        async with context.db.begin() as session:
            await deactivate_community(session, message.chat.id)


async def _joined(context: KopiContext, chat: Chat, by: User | None, *, is_admin: bool) -> None:
    language = context.services.default_language
    if by is not None and not by.is_bot:
        language = pick_language(None, by.language_code, language)
    async with context.db.begin() as session:
        community, change = await activate_community(
            session,
            chat.id,
            title=chat.title or "",
            chat_type=chat.type,
            is_forum=bool(chat.is_forum),
            timezone=context.services.default_timezone,
            language=language,
        )
        if by is not None and not by.is_bot:
            await upsert_person(
                session,
                by.id,
                first_name=by.first_name,
                last_name=by.last_name,
                username=by.username,
                telegram_language=by.language_code,
            )
            # Whoever adds kopi is running the community: its first facilitator.
            await ensure_membership(session, community, by.id, role=Role.FACILITATOR)
        lang = community.language
    context.lang = lang
    if change == "unchanged":
        return  # already active: a second notice of the same join
    if change == "reactivated":
        await send(context, chat.id, context.t("group.welcome_back"))
        return
    text = context.t("group.greeting", title=chat.title or "")
    if not is_admin and not context.bot.can_read_all_group_messages:
        text += "\n\n" + context.t("group.privacy_hint")
    await send(context, chat.id, text)


async def chat_migrated(update: Update, context: KopiContext) -> None:
    """Move the community to the supergroup's id when Telegram upgrades a group."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    async with context.db.begin() as session:
        moved = await migrate_community(session, old, new)
    if moved:
        await send(context, new, context.t("group.migrated"))


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the group life-cycle handlers."""
    return [
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, bot_added_message),
        MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, bot_left_message),
        MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
    ]
