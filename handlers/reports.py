"""/laporan (/report): the community's report for a period, as an XLSX and a PDF document.

A facilitator types ``/laporan`` in the group and picks the period with a button: this month,
this semester (January-June or July-December) or another period, for which kopi asks for two
dates (``1/8/2026 30/11/2026``) with a reply prompt. ``/laporan 1/8/2026 30/11/2026``,
``/laporan bulan`` and ``/laporan semester`` skip the question. Members are refused politely.

The work runs in the background, behind the chat's other replies (the outbox), so the group's
next messages are handled meanwhile: the data is read in one read-only session, the files are
built in a worker thread (asyncio.to_thread), and a progress message ("Menyiapkan laporan…
1/3") is edited as it goes; then both files are sent as documents. One report per community
runs at a time.

The question for dates is the conversation core's (``handlers.conversation``), so an answer is
understood after a restart too; an answer that is not two dates gets the example again.

Callback data: ``rp:p:<yyyymmdd>:<yyyymmdd>`` a period, ``rp:c`` ask for dates.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from datetime import date, datetime

from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
)

from handlers.agreements import argument_text, group_community, source_of
from handlers.common import (
    NO_PREVIEW,
    button,
    edit,
    keyboard,
    refuse_unless_facilitator,
    reply,
    spec,
    thread_of,
)
from handlers.context import KopiContext
from handlers.conversation import Answer, ask, drop
from handlers.report_files import (
    build_pdf,
    build_xlsx,
    file_name,
    month_label,
    period_label,
    semester_label,
)
from handlers.texts import Markup
from models.community import Community
from models.prompts import Prompt, take_prompt
from models.reports import (
    Period,
    gather,
    local_today,
    make_period,
    month_period,
    record_request,
    semester_period,
)
from scheduler.recurrence import parse_date

log = logging.getLogger(__name__)

COMMANDS = [spec("laporan", "report.cmd", "admin", aliases=["report"])]

MONTH_WORDS = frozenset({"bulan", "bulanan", "month", "monthly"})
SEMESTER_WORDS = frozenset({"semester", "semesteran"})
# Between two dates: "1/8/2026 - 30/11/2026", "1/8/2026 s/d 30/11/2026", "... sampai ...".
_BETWEEN = re.compile(
    r"^(?:-|–|—|s/d|s\.d\.?|sd|sampai(?:\s+dengan)?|hingga|to|until|till)\s+", re.IGNORECASE
)
_DATA = re.compile(r"^rp:p:(\d{8}):(\d{8})$")
KIND_DATES = "report.dates"


# ---------------------------------------------------------------------------- periods


def parse_day(text: str, today: date) -> tuple[date | None, str]:
    """Read a date at the start of text ('1/8/2026', '2026-08-01', '1 Agustus 2026'; without a
    year: this year's); return it and what follows."""
    text = text.strip()
    if not text[:1].isdigit():
        return None, text  # no 'besok' or weekday names: a report looks back
    day, rest = parse_date(text, date(today.year, 1, 1))
    return day, rest


def parse_period(text: str, today: date, timezone: str) -> Period | None:
    """Return the period two dates describe ('1/8/2026 30/11/2026'), or None."""
    first, rest = parse_day(text, today)
    if first is None:
        return None
    rest = _BETWEEN.sub("", rest.strip())
    last, rest = parse_day(rest, today)
    if last is None or rest.strip():
        return None
    return make_period(first, last, timezone)


def _period_data(period: Period) -> str:
    return f"rp:p:{period.first:%Y%m%d}:{period.last:%Y%m%d}"


def _choices(context: KopiContext, community: Community) -> InlineKeyboardMarkup:
    today = local_today(context.now(), community.timezone)
    month = month_period(today, community.timezone)
    semester = semester_period(today, community.timezone)
    return keyboard(
        [
            button(
                context.t("report.button.month", period=month_label(context.lang, today)),
                _period_data(month),
            )
        ],
        [
            button(
                context.t("report.button.semester", period=semester_label(context.lang, semester)),
                _period_data(semester),
            )
        ],
        [button(context.t("report.button.custom"), "rp:c")],
    )


# ---------------------------------------------------------------------------- asking


async def report_command(update: Update, context: KopiContext) -> None:
    """/laporan: offer the periods; /laporan <dates|bulan|semester> makes the report at once."""
    community = await group_community(update, context)
    if community is None or await refuse_unless_facilitator(update, context):
        return
    words = argument_text(update)
    if not words:
        await reply(update, context, context.t("report.choose"), _choices(context, community))
        return
    today = local_today(context.now(), community.timezone)
    keyword = words.lower().replace("ini", "").replace("this", "").strip()
    if keyword in MONTH_WORDS:
        period: Period | None = month_period(today, community.timezone)
    elif keyword in SEMESTER_WORDS:
        period = semester_period(today, community.timezone)
    else:
        period = parse_period(words, today, community.timezone)
    if period is None:
        await reply(update, context, context.t("report.bad_dates"), _choices(context, community))
        return
    await start_report(update, context, community, period)


async def period_chosen(update: Update, context: KopiContext) -> None:
    """A period button: make the report (or ask for dates)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    community = context.community
    if community is None:
        await query.answer(context.t("error.expired_button"))
        return
    if await refuse_unless_facilitator(update, context):
        return
    if query.data == "rp:c":
        await query.answer()
        await ask_dates(update, context)
        return
    match = _DATA.match(query.data)
    period = None
    if match is not None:
        try:
            first, last = (datetime.strptime(g, "%Y%m%d").date() for g in match.groups())
        except ValueError:
            pass
        else:
            period = make_period(first, last, community.timezone)
    if period is None:
        await query.answer(context.t("error.expired_button"))
        return
    await start_report(update, context, community, period)


async def ask_dates(update: Update, context: KopiContext, *, again: bool = False) -> None:
    """Ask the facilitator for two dates, with a prompt that opens a reply in their app."""

    def question(who: Markup) -> str:
        title = Markup(f"<b>{html.escape(context.t('report.ask.title'))}</b>")
        text = context.t("report.ask", title=title, who=who)
        return context.t("report.bad_dates") + "\n\n" + text if again else text

    await ask(update, context, context.community, question, kind=KIND_DATES)


async def dates_answered(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """The answer to the dates prompt: make the report, or ask again with an example."""
    community = context.community
    if community is None or community.id != pending.community_id:
        await drop(context, pending)
        return
    async with context.db.begin() as session:
        if not await take_prompt(session, pending.id):
            return  # a repeated delivery: taken already
    if await refuse_unless_facilitator(update, context):
        return
    today = local_today(context.now(), community.timezone)
    period = parse_period(text, today, community.timezone)
    if period is None:
        await ask_dates(update, context, again=True)
        return
    await start_report(update, context, community, period)


ANSWERS: dict[str, Answer] = {KIND_DATES: dates_answered}


# ---------------------------------------------------------------------------- making it


def _running(context: KopiContext) -> set[int]:
    return context.services.reports_running


async def start_report(
    update: Update, context: KopiContext, community: Community, period: Period
) -> None:
    """Show the progress message and hand the report to the chat's background queue."""
    chat, query = update.effective_chat, update.callback_query
    if chat is None:
        return
    running = _running(context)
    if community.id in running:
        if query is not None:
            await query.answer(context.t("report.busy"), show_alert=True)
        else:
            await reply(update, context, context.t("report.busy"))
        return
    async with context.db.begin() as session:
        fresh = await record_request(
            session, community.id, period, source_of(update), context.now()
        )
    if not fresh:  # this message or press asked before: Telegram delivered it again
        if query is not None:
            await query.answer(context.t("report.already"))
        else:
            await reply(update, context, context.t("report.already"))
        return
    running.add(community.id)
    try:
        text = _progress_text(context, period, 1, "read")
        progress: Message | None
        if query is not None and isinstance(query.message, Message):
            # The period buttons become the progress message: they cannot be pressed twice.
            await query.answer()
            await edit(query, text)
            progress = query.message
        else:
            progress = await reply(update, context, text)
        if progress is None:  # kopi can no longer write here
            running.discard(community.id)
            return
    except BaseException:
        running.discard(community.id)
        raise
    job = _Job(context, chat.id, thread_of(update), progress.message_id, community.id, period)
    context.services.outbox.post(chat.id, job.run)


def _progress_text(context: KopiContext, period: Period, step: int, what: str) -> str:
    return context.t(
        "report.progress",
        period=period_label(context.lang, period),
        step=step,
        what=context.t(f"report.step.{what}"),
    )


class _Job:
    """One report: read, build both files in a worker thread, send them, say it is done."""

    def __init__(
        self,
        context: KopiContext,
        chat_id: int,
        thread_id: int | None,
        message_id: int,
        community_id: int,
        period: Period,
    ) -> None:
        self.context = context
        self.chat_id = chat_id
        self.thread_id = thread_id
        self.message_id = message_id
        self.community_id = community_id
        self.period = period

    async def run(self) -> None:
        """Make and send the report; tell the group if it failed."""
        context = self.context
        try:
            async with context.db() as session:  # read-only: nothing is written
                data = await gather(session, self.community_id, self.period, context.now())
            if data is None:
                await self.say(context.t("report.failed"), final=True)
                return
            await self.say(_progress_text(context, self.period, 2, "xlsx"))
            workbook = await asyncio.to_thread(build_xlsx, data)
            await self.say(_progress_text(context, self.period, 3, "pdf"))
            document = await asyncio.to_thread(build_pdf, data)
            label = period_label(context.lang, self.period)
            await self.send(
                workbook,
                file_name(data, "xlsx"),
                context.t("report.caption.xlsx", title=data.title, period=label),
            )
            await self.send(
                document,
                file_name(data, "pdf"),
                context.t("report.caption.pdf", title=data.title, period=label),
            )
            await self.say(
                context.t(
                    "report.done",
                    period=label,
                    concerns=len(data.concerns),
                    practices=len(data.practices),
                    meetings=sum(1 for m in data.meetings if m.held),
                    reflections=len(data.reflections),
                ),
                final=True,
            )
        except Forbidden as error:
            log.info("report for chat %s not delivered: %s", self.chat_id, error.message)
        except Exception:
            log.exception("report of community %s failed", self.community_id)
            try:
                await self.say(context.t("report.failed"), final=True)
            except Exception:
                log.warning("could not tell chat %s that its report failed", self.chat_id)
        finally:
            _running(context).discard(self.community_id)

    async def say(self, text: str, *, final: bool = False) -> None:
        """Edit the progress message. A progress step that cannot be shown (the message was
        deleted, or is no longer editable) is skipped; the final word is then sent anew."""
        try:
            await self.context.bot.edit_message_text(
                text,
                chat_id=self.chat_id,
                message_id=self.message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return
            log.info("report progress in chat %s not edited: %s", self.chat_id, error.message)
            if not final:
                return
            sent = await self.context.bot.send_message(
                self.chat_id,
                text,
                parse_mode=ParseMode.HTML,
                message_thread_id=self.thread_id,
                link_preview_options=NO_PREVIEW,
            )
            self.message_id = sent.message_id

    async def send(self, content: bytes, name: str, caption: str) -> None:
        """Send one file as a document in the chat (and forum topic)."""
        await self.context.bot.send_document(
            self.chat_id,
            InputFile(content, filename=name),
            caption=caption,
            parse_mode=ParseMode.HTML,
            message_thread_id=self.thread_id,
        )


# ---------------------------------------------------------------------------- wiring


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the /laporan command and its buttons."""
    return [
        CommandHandler(["laporan", "report"], report_command),
        CallbackQueryHandler(period_chosen, pattern=r"^rp:"),
    ]
