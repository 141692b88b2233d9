"""/proyek (/projects): the community's projects for pupils or the school, managed with buttons.

Any member may start a project (``/proyek baru [judul]`` or the "Proyek baru" button: kopi asks
for the title, then the aim) and is involved in it from the start; anyone may join or leave. The
people involved and the facilitators add updates and change the status; a status change is kept
in the project's timeline like an update, so a report can tell the project's story.

In private, ``/proyek`` shows the person's community's projects (buttons when she has several) to
read, join and leave; starting a project, its news and its status stay in the group, where
everyone sees them.

Each button is one action below (handlers.callbacks), e.g. ``pj:S:<id>:<code>`` set the status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.agreements import (
    author_id,
    fitting,
    names_text,
    press_community,
    refuse_in_private,
    source_of,
    too_long,
)
from handlers.callbacks import Payload, on
from handlers.common import (
    button,
    edit,
    is_facilitator,
    keyboard,
    reply,
    shorten,
    spec,
)
from handlers.community_choice import Run, private_command
from handlers.context import KopiContext
from handlers.conversation import Answer, ask, ask_again
from handlers.texts import Markup, format_date
from models.agreements import (
    PROJECT_AIM_MAX,
    TITLE_MAX,
    UPDATE_MAX,
    Outcome,
    Project,
    ProjectLine,
    ProjectRecord,
    ProjectStatus,
    UpdateRecord,
    add_project,
    add_project_update,
    clean_text,
    count_projects,
    get_project,
    is_involved,
    join_project,
    leave_project,
    list_projects,
    project_by_number,
    project_record,
)
from models.community import Community
from models.prompts import Prompt, take_prompt

COMMANDS = [spec("proyek", "proj.cmd", "group", "private", aliases=["projects"])]

PAGE = 8
BUTTON_TITLE = 28  # a project's title on its button
UPDATE_TEXT = 250  # an update's words in the detail (the aim: four times as many)
LATEST = 3  # updates the detail shows
DETAIL_NAMES = 8
PEOPLE_TEXT = 400  # the names of the people involved (Telegram names run to 129 chars)
NEW_WORDS = frozenset({"baru", "new", "tambah", "add", "buat"})
STATUS_CODES: dict[StatusCode, ProjectStatus] = {
    "p": ProjectStatus.PLANNED,
    "r": ProjectStatus.RUNNING,
    "h": ProjectStatus.PAUSED,
    "d": ProjectStatus.DONE,
}
KIND_TITLE = "project.title"
KIND_AIM = "project.aim"
KIND_UPDATE = "project.update"
_FIRST_WORD = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)
StatusCode = Literal["p", "r", "h", "d"]


# ---------------------------------------------------------------------------- buttons' data


@dataclass(frozen=True)
class ProjectList(Payload, prefix="pj:l"):
    """Show a page of the listing."""

    page: int


@dataclass(frozen=True)
class ProjectNew(Payload, prefix="pj:n"):
    """Start a project: ask for its title."""


@dataclass(frozen=True)
class ProjectDetail(Payload, prefix="pj:d"):
    """Show a project."""

    project_id: int


@dataclass(frozen=True)
class ProjectJoin(Payload, prefix="pj:j"):
    """Join a project."""

    project_id: int


@dataclass(frozen=True)
class ProjectLeave(Payload, prefix="pj:q"):
    """Leave a project."""

    project_id: int


@dataclass(frozen=True)
class ProjectNews(Payload, prefix="pj:u"):
    """Ask for news of a project."""

    project_id: int


@dataclass(frozen=True)
class ProjectStatusMenu(Payload, prefix="pj:s"):
    """Show the statuses a project can be set to."""

    project_id: int


@dataclass(frozen=True)
class ProjectSetStatus(Payload, prefix="pj:S"):
    """Set a project's status."""

    project_id: int
    code: StatusCode


@dataclass(frozen=True)
class ProjectHistory(Payload, prefix="pj:h"):
    """Send a project's whole timeline."""

    project_id: int


def _date(context: KopiContext, community: Community, moment: datetime) -> str:
    return format_date(context.lang, moment, community.timezone)


def status_label(context: KopiContext, status: str) -> str:
    """Return a project status as people read it."""
    return context.t(f"proj.status.{status}")


# ---------------------------------------------------------------------------- rendering


def _listing(
    context: KopiContext, lines: list[ProjectLine], total: int, page: int, pages: int
) -> tuple[str, InlineKeyboardMarkup]:
    rows: list[list[InlineKeyboardButton]] = []
    if not lines:
        text = context.t("proj.list.empty")
    else:
        items = [
            context.t(
                "proj.list.item",
                number=line.project.number,
                title=line.project.title,
                status=status_label(context, line.project.status),
                people=line.people,
            )
            for line in lines
        ]
        text = context.t("proj.list.title", count=total) + "\n\n" + "\n".join(items)
        if pages > 1:
            text += "\n\n" + context.t("norm.list.page", page=page + 1, pages=pages)
        rows = [
            [
                button(
                    f"{line.project.number}. {shorten(line.project.title, BUTTON_TITLE)}",
                    ProjectDetail(line.project.id),
                )
            ]
            for line in lines
        ]
    paging = []
    if page > 0:
        paging.append(button(context.t("agree.button.previous"), ProjectList(page - 1)))
    if page < pages - 1:
        paging.append(button(context.t("agree.button.next"), ProjectList(page + 1)))
    rows.append(paging)
    rows.append([button(context.t("proj.button.new"), ProjectNew())])
    return text, keyboard(*rows)


async def listing(
    context: KopiContext, community: Community, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Return one page of the community's projects."""
    async with context.db() as session:
        total = await count_projects(session, community.id)
        pages = max((total + PAGE - 1) // PAGE, 1)
        page = min(max(page, 0), pages - 1)
        lines = await list_projects(session, community.id, offset=page * PAGE, limit=PAGE)
    return _listing(context, lines, total, page, pages)


def _cut(text: str, limit: int) -> str:
    """Return text as written when it fits, else shortened to limit characters."""
    return text if len(text) <= limit else shorten(text, limit)


def _update_line(
    context: KopiContext, community: Community, update: UpdateRecord, limit: int = UPDATE_TEXT
) -> str:
    name = update.author or context.t("norm.someone")
    date = _date(context, community, update.created_at)
    if update.status and update.text:
        return context.t(
            "proj.update.both",
            date=date,
            name=name,
            status=status_label(context, update.status),
            text=shorten(update.text, limit),
        )
    if update.status:
        return context.t(
            "proj.update.status", date=date, name=name, status=status_label(context, update.status)
        )
    return context.t("proj.update.text", date=date, name=name, text=shorten(update.text, limit))


def _detail(
    context: KopiContext, community: Community, record: ProjectRecord, headline: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    project = record.project
    names = [p.name for p in record.people]

    def compose(limit: int) -> str:
        if record.updates:
            lines = "\n".join(_update_line(context, community, u, limit) for u in record.updates)
            updates = context.t("proj.detail.updates", lines=Markup(lines))
        else:
            updates = context.t("proj.detail.no_updates")
        text = context.t(
            "proj.detail",
            number=project.number,
            title=project.title,
            aim=_cut(project.aim, limit * 4) or "—",
            status=status_label(context, project.status),
            count=len(names),
            people=shorten(names_text(context, names, DETAIL_NAMES), PEOPLE_TEXT) if names else "—",
            updates=Markup(updates),
            name=record.created_by or context.t("norm.someone"),
            date=_date(context, community, project.created_at),
        )
        return headline + "\n\n" + text if headline else text

    # An aim and updates full of emoji count double for Telegram: cut them shorter then.
    text = compose(fitting(compose, UPDATE_TEXT))
    rows: list[list[InlineKeyboardButton]] = [
        [
            button(context.t("proj.button.join"), ProjectJoin(project.id)),
            button(context.t("proj.button.leave"), ProjectLeave(project.id)),
        ],
        [
            button(context.t("proj.button.update"), ProjectNews(project.id)),
            button(context.t("proj.button.status"), ProjectStatusMenu(project.id)),
        ],
    ]
    if record.update_count > len(record.updates):
        rows.append(
            [
                button(
                    context.t("proj.button.history", count=record.update_count),
                    ProjectHistory(project.id),
                )
            ]
        )
    rows.append([button(context.t("proj.button.all"), ProjectList(0))])
    return text, keyboard(*rows)


async def _record(
    context: KopiContext, community: Community, project_id: int
) -> ProjectRecord | None:
    async with context.db() as session:
        project = await get_project(session, community.id, project_id)
        if project is None:
            return None
        return await project_record(session, project, updates=LATEST)


# ---------------------------------------------------------------------------- /proyek


async def run_projects(
    update: Update, context: KopiContext, community: Community, argument: str
) -> None:
    """/proyek: list; /proyek baru [judul]: start one; /proyek <nomor>: one project."""
    if not argument:
        text, markup = await listing(context, community, 0)
        await reply(update, context, text, markup)
        return
    match = _FIRST_WORD.match(argument)
    assert match is not None
    word, rest = match.group(1).lower(), clean_text(match.group(2))
    if word in NEW_WORDS:
        if await refuse_in_private(update, context):
            return
        if rest:
            await _title_given(update, context, community, rest)
        else:
            await ask(update, context, community, context.t("proj.ask.title"), kind=KIND_TITLE)
        return
    if word.isdigit() and len(word) < 9:
        async with context.db() as session:
            found = await project_by_number(session, community.id, int(word))
        record = await _record(context, community, found.id) if found is not None else None
        if record is None:
            await reply(update, context, context.t("proj.not_found", number=word))
            return
        await reply(update, context, *_detail(context, community, record))
        return
    await reply(update, context, context.t("proj.usage"))


async def _title_given(
    update: Update,
    context: KopiContext,
    community: Community,
    title: str,
    pending: Prompt | None = None,
) -> None:
    """Take a new project's title and ask for its aim."""
    title = " ".join(title.split())
    refusal = too_long(context, title, TITLE_MAX)
    if refusal is not None:
        if pending is not None:
            await ask_again(update, context, pending, refusal)
        else:
            await reply(update, context, refusal)
        return
    question = context.t("proj.ask.aim", title=title)
    # The aim's question replaces the title's (one question per person), keeping the title.
    await ask(update, context, community, question, kind=KIND_AIM, payload=title)


async def answer_title(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """Take the title of a new project."""
    community = context.community
    if community is not None:
        await _title_given(update, context, community, clean_text(text), pending)


async def answer_aim(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """Take the aim of a new project and create it."""
    community = context.community
    if community is None or not pending.payload:
        return
    aim = clean_text(text)
    refusal = too_long(context, aim, PROJECT_AIM_MAX)
    if refusal is not None:
        await ask_again(update, context, pending, refusal)
        return
    async with context.db.begin() as session:
        if not await take_prompt(session, pending.id):
            return
        project = await add_project(
            session,
            community.id,
            pending.payload,
            aim,
            author_id(update),
            context.now(),
            source_of(update),
        )
        project_id = project.id if project is not None else None
    if project_id is None:  # this answer started it before: Telegram delivered it again
        await reply(update, context, context.t("agree.already"))
        return
    record = await _record(context, community, project_id)
    if record is not None:
        headline = context.t("proj.created", title=record.project.title)
        await reply(update, context, *_detail(context, community, record, headline))


async def answer_update(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """Take news of a project."""
    community = context.community
    if community is None or pending.target_id is None:
        return
    news = clean_text(text)
    refusal = too_long(context, news, UPDATE_MAX)
    if refusal is not None:
        await ask_again(update, context, pending, refusal)
        return
    async with context.db.begin() as session:
        project = await get_project(session, community.id, pending.target_id)
        if project is None:
            await take_prompt(session, pending.id)
            gone = True
        else:
            gone = False
            if not await take_prompt(session, pending.id):
                return
            outcome = await add_project_update(
                session,
                project,
                author_id(update),
                context.now(),
                text=news,
                source=source_of(update),
            )
    if gone:
        await reply(update, context, context.t("error.expired_button"))
        return
    if outcome is Outcome.ALREADY:  # this message was saved before: Telegram delivered it again
        await reply(update, context, context.t("agree.already"))
        return
    record = await _record(context, community, pending.target_id)
    if record is not None:
        name = update.effective_user.full_name if update.effective_user else ""
        headline = context.t("proj.update.saved", title=record.project.title, name=name)
        await reply(update, context, *_detail(context, community, record, headline))


ANSWERS: dict[str, Answer] = {
    KIND_TITLE: answer_title,
    KIND_AIM: answer_aim,
    KIND_UPDATE: answer_update,
}
IN_PRIVATE: dict[str, Run] = {"proyek": run_projects}


# ---------------------------------------------------------------------------- buttons


async def _may_manage(
    update: Update, context: KopiContext, project_id: int, person_id: int
) -> bool:
    """Return whether a person may add updates and change the status: involved or facilitator."""
    async with context.db() as session:
        involved = await is_involved(session, project_id, person_id)
    return involved or await is_facilitator(update, context)


async def on_list(update: Update, context: KopiContext, action: ProjectList) -> None:
    """Show a page of the listing."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    await query.answer()
    await edit(query, *await listing(context, community, action.page))


async def on_new(update: Update, context: KopiContext, action: ProjectNew) -> None:
    """Ask for a new project's title (in the group)."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None or await refuse_in_private(update, context):
        return
    await query.answer()
    await ask(update, context, community, context.t("proj.ask.title"), kind=KIND_TITLE)


async def on_detail(update: Update, context: KopiContext, action: ProjectDetail) -> None:
    """Show a project."""
    await _on_project(update, context, "d", action.project_id)


async def on_join(update: Update, context: KopiContext, action: ProjectJoin) -> None:
    """Join a project."""
    await _on_project(update, context, "j", action.project_id)


async def on_leave(update: Update, context: KopiContext, action: ProjectLeave) -> None:
    """Leave a project."""
    await _on_project(update, context, "q", action.project_id)


async def on_news(update: Update, context: KopiContext, action: ProjectNews) -> None:
    """Ask for news of a project (in the group)."""
    await _on_project(update, context, "u", action.project_id)


async def on_status_menu(update: Update, context: KopiContext, action: ProjectStatusMenu) -> None:
    """Show the statuses a project can be set to (in the group)."""
    await _on_project(update, context, "s", action.project_id)


async def on_history(update: Update, context: KopiContext, action: ProjectHistory) -> None:
    """Send a project's whole timeline."""
    await _on_project(update, context, "h", action.project_id)


async def on_set_status(update: Update, context: KopiContext, action: ProjectSetStatus) -> None:
    """Set a project's status."""
    await _set_status(update, context, action.project_id, STATUS_CODES[action.code])


async def _on_project(update: Update, context: KopiContext, kind: str, project_id: int) -> None:
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    if kind in ("u", "s") and await refuse_in_private(update, context):
        return
    person = query.from_user.id
    now = context.now()
    toast: str | None = None
    async with context.db.begin() as session:
        project = await get_project(session, community.id, project_id)
        if project is not None and kind == "j":
            joined = await join_project(session, project, person, now)
            toast = context.t("proj.joined" if joined else "proj.joined_before")
        elif project is not None and kind == "q":
            left = await leave_project(session, project, person)
            toast = context.t("proj.left" if left else "proj.not_involved")
        title = project.title if project is not None else ""
    if project is None:
        await query.answer(context.t("error.expired_button"))
        return
    if kind in ("u", "s") and not await _may_manage(update, context, project_id, person):
        await query.answer(context.t("proj.involved_only"), show_alert=True)
        return
    if kind == "u":
        await query.answer()
        question = context.t("proj.ask.update", title=title)
        await ask(update, context, community, question, kind=KIND_UPDATE, target_id=project_id)
        return
    if kind == "s":
        await query.answer()
        await edit(query, *_status_menu(context, project))
        return
    if kind == "h":
        await query.answer()
        await _history(update, context, community, project)
        return
    await query.answer(toast)
    record = await _record(context, community, project_id)
    if record is not None:
        await edit(query, *_detail(context, community, record))


def _status_menu(context: KopiContext, project: Project) -> tuple[str, InlineKeyboardMarkup]:
    text = context.t(
        "proj.status.choose", title=project.title, status=status_label(context, project.status)
    )
    choices = [
        button(status_label(context, status.value), ProjectSetStatus(project.id, code))
        for code, status in STATUS_CODES.items()
        if status.value != project.status
    ]
    return text, keyboard(
        choices[:2],
        choices[2:],
        [button(context.t("agree.button.back"), ProjectDetail(project.id))],
    )


async def _set_status(
    update: Update, context: KopiContext, project_id: int, status: ProjectStatus
) -> None:
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None or await refuse_in_private(update, context):
        return
    person = query.from_user.id
    if not await _may_manage(update, context, project_id, person):
        await query.answer(context.t("proj.involved_only"), show_alert=True)
        return
    outcome: Outcome | None = None
    async with context.db.begin() as session:
        project = await get_project(session, community.id, project_id)
        if project is not None:
            outcome = await add_project_update(
                session, project, person, context.now(), status=status, source=source_of(update)
            )
    if project is None:
        await query.answer(context.t("error.expired_button"))
        return
    if outcome is Outcome.ALREADY:  # this very press was taken before: Telegram delivered it again
        await query.answer(context.t("agree.already"))
    else:
        await query.answer(context.t("proj.status.set", status=status_label(context, status.value)))
    record = await _record(context, community, project_id)
    if record is not None:
        await edit(query, *_detail(context, community, record))


async def _history(
    update: Update, context: KopiContext, community: Community, project: Project
) -> None:
    """Send a project's whole timeline, in as many messages as it takes."""
    async with context.db() as session:
        record = await project_record(session, project, updates=None)
    lines = [_update_line(context, community, u, UPDATE_MAX) for u in reversed(record.updates)]
    text = context.t(
        "proj.history",
        title=project.title,
        lines=Markup("\n".join(lines) or context.t("proj.detail.no_updates")),
    )
    await reply(update, context, text)


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the projects' command and button handlers."""
    return [
        CommandHandler(["proyek", "projects"], private_command(run_projects)),
        on(ProjectList, on_list),
        on(ProjectNew, on_new),
        on(ProjectDetail, on_detail),
        on(ProjectJoin, on_join),
        on(ProjectLeave, on_leave),
        on(ProjectNews, on_news),
        on(ProjectStatusMenu, on_status_menu),
        on(ProjectSetStatus, on_set_status),
        on(ProjectHistory, on_history),
    ]
