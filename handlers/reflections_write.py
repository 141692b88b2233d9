"""Writing a reflection: choosing the community and the meeting, asking the 4F questions, saving
and sharing.

Every step is asked through the conversation core (``handlers.conversation.ask``, kind
STEP_PROMPT, target the draft), with the step's buttons under the question: the answer comes
back as the person's next private message or a reply to the question (handlers.reflections).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from handlers import reflections_actions as actions
from handlers.common import button, keyboard, reply, send
from handlers.context import KopiContext
from handlers.conversation import ask
from handlers.reflections_view import (
    question_html,
    step_label,
    summary_parts,
    sync_post,
)
from handlers.texts import Markup, format_date
from models.community import Community, Person, communities_of, ensure_membership
from models.reflections import (
    CHOOSE,
    MEETING,
    PARTS,
    STEP_PROMPT,
    Reflection,
    Status,
    Visibility,
    Where,
    choose_meeting,
    drafts_of,
    get_own,
    go_to,
    held_meeting,
    held_meetings,
    is_member,
    new_draft,
    set_post,
    where_of,
)

log = logging.getLogger(__name__)

MEMBER_STATUSES = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def member_community(
    update: Update, context: KopiContext, community_id: int
) -> Community | None:
    """Return the community if the person belongs to it (asking Telegram if kopi is unsure)."""
    user = update.effective_user
    assert user is not None
    async with context.db.begin() as session:
        community = await session.get(Community, community_id)
        if community is None or not community.active:
            community = None
        elif await is_member(session, community_id, user.id):
            return community
    if community is None:
        await reply(update, context, context.t("reflect.link_gone"))
        return None
    # A teacher who only reads the group is a member kopi has not met yet.
    try:
        member = await context.bot.get_chat_member(community.chat_id, user.id)
        belongs = member.status in MEMBER_STATUSES or (
            member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", 0))
        )
    except TelegramError as error:
        log.info("membership of %s in %s unknown: %s", user.id, community.chat_id, error)
        belongs = False
    if not belongs:
        await reply(
            update, context, context.t("reflect.link_not_member", community=community.title)
        )
        return None
    async with context.db.begin() as session:
        found = await session.get(Community, community_id)
        if found is not None:
            await ensure_membership(session, found, user.id)
    return community


async def begin(
    update: Update,
    context: KopiContext,
    *,
    community_id: int | None = None,
    meeting_id: int | None = None,
    new: bool = False,
) -> None:
    """Start a reflection (choosing the community, then the meeting), or offer to continue a draft.

    meeting_id comes from a link or a button: it is used only if it is a held meeting of that
    community; otherwise the teacher is told and chooses.
    """
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    async with context.db.begin() as session:
        drafts = [] if new else await drafts_of(session, user.id)
        communities = await communities_of(session, user.id)
        titles = {c.id: c.title for c in communities}
        for draft in drafts:
            if draft.community_id not in titles:
                found = await session.get(Community, draft.community_id)
                titles[draft.community_id] = found.title if found else "?"
    if drafts:
        same = [
            d
            for d in drafts
            if d.community_id == community_id
            and (meeting_id in (None, d.meeting_id) or d.step == MEETING)
        ]
        if same:
            await resume(update, context, same[0].id, meeting_id=meeting_id)
            return
        latest = drafts[0]
        new_data = actions.new_reflection(community_id, meeting_id or None)
        markup = keyboard(
            [button(context.t("reflect.button.resume"), actions.Resume(latest.id))],
            [button(context.t("reflect.button.new"), new_data)],
        )
        text = context.t(
            "reflect.draft_exists",
            community=titles[latest.community_id],
            step=step_label(context.lang, latest.step),
        )
        await send(context, chat.id, text, markup=markup)
        return
    if community_id is None:
        if not communities:
            await send(context, chat.id, context.t("reflect.no_community"))
            return
        if len(communities) > 1:
            # After "start a new one", choosing the community must not offer the draft again.
            action = actions.NewFor if new else actions.ForCommunity
            markup = keyboard(*([button(c.title, action(c.id))] for c in communities))
            await send(context, chat.id, context.t("reflect.choose_community"), markup=markup)
            return
        community_id = communities[0].id
    now = context.now()
    async with context.db.begin() as session:
        meeting = await held_meeting(session, meeting_id, community_id, now) if meeting_id else None
        # Without a (valid) meeting from the link, ask which held meeting it is about, the
        # latest being the default; a community that held none skips the question.
        recent = [] if meeting is not None else await held_meetings(session, community_id, now)
        default = meeting or (recent[0] if recent else None)
        draft = await new_draft(
            session,
            author_id=user.id,
            community_id=community_id,
            meeting_id=default.id if default is not None else None,
            now=now,
            ask_meeting=meeting is None and bool(recent),
        )
        where = await where_of(session, draft, now, choices=True)
    if meeting_id and meeting is None:
        await send(context, chat.id, context.t("reflect.meeting.gone"))
    await ask_step(update, context, draft, where)


async def resume(
    update: Update, context: KopiContext, reflection_id: int, *, meeting_id: int | None = None
) -> None:
    """Continue a draft at its current step; a link's meeting answers a pending meeting choice."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    now = context.now()
    refused = False
    async with context.db.begin() as session:
        draft = await get_own(session, reflection_id, user.id)
        if draft is None or draft.status != Status.DRAFT.value:
            draft = None
        else:
            meeting = None
            if meeting_id and draft.step == MEETING:
                meeting = await held_meeting(session, meeting_id, draft.community_id, now)
                refused = meeting is None
            if meeting is not None:
                draft = await choose_meeting(session, user.id, draft, meeting, now)
            else:
                draft = await go_to(session, user.id, draft, draft.step or PARTS[0], now)
            where = await where_of(session, draft, now, choices=True)
    if draft is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    if refused:
        await send(context, chat.id, context.t("reflect.meeting.gone"))
    await ask_step(update, context, draft, where)


# ---------------------------------------------------------------------------- asking


async def ask_step(update: Update, context: KopiContext, draft: Reflection, where: Where) -> None:
    """Ask the question of the draft's current step (at the end, the summary and the sharing
    choice); the person's next private message answers it."""
    lang = context.lang
    step = draft.step or PARTS[0]
    stop = button(context.t("reflect.button.stop"), actions.Stop(draft.id))
    back = button(context.t("reflect.button.back"), actions.Back(draft.id, step))
    if step == MEETING:
        text, markup = meeting_question(context, draft, where)
        await _ask(update, context, draft, text, markup)
        return
    if step == CHOOSE:
        *lead, last = summary_parts(lang, draft, where)
        await _ask(update, context, draft, last, choice_markup(context, draft), lead)
        return
    answered = bool((draft.text_of(step) or "").strip() or draft.voices_of(step))
    onward = button(
        context.t("reflect.button.keep" if answered else "reflect.button.skip"),
        actions.Skip(draft.id, step),
    )
    # The first question goes back to the meeting choice when there was one to make.
    first_row = [back, onward] if step != PARTS[0] or where.meetings else [onward]
    markup = keyboard(first_row, [stop])
    await _ask(update, context, draft, question_html(lang, draft, where), markup)


async def _ask(
    update: Update,
    context: KopiContext,
    draft: Reflection,
    text: str,
    markup: InlineKeyboardMarkup,
    lead: list[str] | None = None,
) -> None:
    await ask(
        update,
        context,
        None,  # the draft knows its community
        lambda who: text,
        kind=STEP_PROMPT,
        target_id=draft.id,
        markup=markup,
        lead=lead or (),
    )


def meeting_question(
    context: KopiContext, draft: Reflection, where: Where
) -> tuple[str, InlineKeyboardMarkup]:
    """Return which held meeting the draft is about: the latest first (the default), or none."""
    lang = context.lang
    rows = []
    for index, meeting in enumerate(where.meetings):
        date = format_date(lang, meeting.starts_at, where.timezone)
        text = context.t("reflect.meeting.latest", date=date) if index == 0 else date
        mark = "✅ " if meeting.id == draft.meeting_id else ""
        rows.append([button(mark + text, actions.ChooseMeeting(draft.id, meeting.id))])
    none_mark = "✅ " if draft.meeting_id is None else ""
    rows.append(
        [button(none_mark + context.t("reflect.meeting.none"), actions.ChooseMeeting(draft.id, 0))]
    )
    rows.append([button(context.t("reflect.button.stop"), actions.Stop(draft.id))])
    if where.meeting_at is not None:
        current = Markup(
            context.t(
                "reflect.meeting.current", date=format_date(lang, where.meeting_at, where.timezone)
            )
        )
    else:
        current = Markup(context.t("reflect.meeting.current_none"))
    text = context.t("reflect.meeting.question", community=where.community_title, current=current)
    return text, keyboard(*rows)


def choice_markup(context: KopiContext, draft: Reflection) -> InlineKeyboardMarkup:
    """Return the buttons under a finished draft: how to share it, or back."""
    back = button(context.t("reflect.button.back"), actions.Back(draft.id, CHOOSE))
    if draft.is_empty():
        return keyboard(
            [back, button(context.t("reflect.button.delete_draft"), actions.Delete(draft.id))]
        )
    return keyboard(
        [button(context.t("reflect.button.private"), actions.Share(draft.id, "p"))],
        [button(context.t("reflect.button.named"), actions.Share(draft.id, "n"))],
        [button(context.t("reflect.button.anonymous"), actions.Share(draft.id, "a"))],
        [back, button(context.t("reflect.button.stop"), actions.Stop(draft.id))],
    )


async def publish(
    context: KopiContext,
    chat_id: int,
    reflection: Reflection,
    community: Community,
    author: Person | None,
    where: Where,
    *,
    before: str | None,
) -> None:
    """Bring the group post in line with the reflection's visibility and tell its author."""
    name = author.full_name if author and reflection.visibility == Visibility.NAMED else None
    post, done = await sync_post(context, reflection, community, name, where)
    async with context.db.begin() as session:
        stored = await session.get(Reflection, reflection.id)
        if stored is not None:
            await set_post(stored, post)
    reflection.post = post
    visibility = reflection.visibility
    if visibility == Visibility.PRIVATE.value:
        if before is None or before == Visibility.PRIVATE.value:
            key = "reflect.saved.private"
        else:
            key = "reflect.share.private" if done else "reflect.share.private_left"
    elif done:
        key = f"reflect.saved.{visibility}"
    else:
        key = "reflect.saved.post_failed"
    await send(context, chat_id, context.t(key, community=community.title))
