"""The report's files, built from a ReportData (models/reports.py): data in, bytes out.

- :func:`build_xlsx`: a workbook with a summary sheet and one sheet per kind of record. openpyxl's
  write-only mode streams rows to the file as they are appended (no cell objects are kept), so a
  community with 100,000 items exports in seconds and little memory.
- :func:`build_pdf`: "Laporan Komunitas Praktisi", the document a principal reads: profile and
  aims, meetings and attendance, the problem map, good practices, anonymized reflection
  highlights, norms and projects, with two bar charts drawn as SVG and embedded as images.
  Text is set in DejaVu Sans (Debian's fonts-dejavu-core, present wherever kopi runs on Debian);
  characters the font lacks (most emoji, CJK) are left out rather than printed as boxes. Without
  the font, the PDF falls back to the core Helvetica font with the text transliterated to Latin-1.

No Telegram and no database here: the bot runs these in a worker thread, the command line
calls them directly. Labels come from handlers/texts/reports.py (``report.file.*``) in the
community's language.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from handlers.texts import Markup, format_date, format_datetime, t
from models.reports import MeetingRow, Period, ReportData

Progress = Callable[[int, int], None]  # (done, total)

GREEN = "2F5D50"  # kopi's colour: headings, header rows, bars
LIGHT = "E8F0EC"
MAX_CELL = 32_000  # Excel keeps at most 32,767 characters in a cell
PROGRESS_EVERY = 2_000  # rows between two progress reports

# What the PDF lists in full before pointing at the XLSX (a report stays a readable document).
PDF_CONCERNS = 25
PDF_PRACTICES = 25
PDF_MEETINGS = 40
PDF_MINUTES = 8
PDF_REFLECTIONS = 8
PDF_NORMS = 40
PDF_PROJECTS = 30
PDF_UPDATES = 5
CHART_CONCERNS = 10
CHART_MEETINGS = 24
EXCERPT = 280  # characters of a reflection, minutes or an item's text in the PDF


def label(lang: str, key: str, /, **values: object) -> str:
    """Return a report label as plain text (nothing escaped: files are not HTML)."""
    return t(
        lang,
        key,
        **{name: Markup(v) if isinstance(v, str) else v for name, v in values.items()},
    )


def day_label(lang: str, day: date) -> str:
    """Return a day such as '5 Desember 2026'."""
    return format_date(lang, datetime.combine(day, time())).split(", ", 1)[1]


def period_label(lang: str, period: Period) -> str:
    """Return a period such as '1 Juli – 31 Desember 2026' or '1 Agustus 2025 – 31 Januari 2026'."""
    first, last = day_label(lang, period.first), day_label(lang, period.last)
    if period.first == period.last:
        return last
    if (period.first.year, period.first.month) == (period.last.year, period.last.month):
        first = str(period.first.day)
    elif period.first.year == period.last.year:
        first = first.rsplit(" ", 1)[0]
    return f"{first} – {last}"


def month_label(lang: str, day: date) -> str:
    """Return a month such as 'November 2026'."""
    return day_label(lang, day).split(" ", 1)[1]


def semester_label(lang: str, period: Period) -> str:
    """Return a semester such as 'Juli–Desember 2026'."""
    first = month_label(lang, period.first).rsplit(" ", 1)[0]
    return f"{first}–{month_label(lang, period.last)}"


def file_name(data: ReportData, extension: str) -> str:
    """Return a file name such as 'laporan-guru-penggerak-2026-07-01-2026-12-31.xlsx'."""
    words = "".join(c if c.isalnum() else " " for c in data.title.lower()).split()
    slug = "-".join(words)[:40].strip("-") or f"komunitas-{data.community_id}"
    period = data.period
    return f"laporan-{slug}-{period.first.isoformat()}-{period.last.isoformat()}.{extension}"


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return a moment as the community's wall-clock time (Excel has no time zones)."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _short(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day}/{local.month}/{local.year}"


def _excerpt(text: str | None, limit: int = EXCERPT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _author(lang: str, kind: str, name: str | None) -> str:
    if name:
        return name
    if kind not in ("person", "anonymous", "channel", "group_admin"):
        kind = "unknown"
    return label(lang, f"report.file.author.{kind}")


def _meeting_status(lang: str, meeting: MeetingRow) -> str:
    if meeting.held:
        return label(lang, "report.file.meeting.held")
    if meeting.status == "scheduled":
        return label(lang, "report.file.meeting.upcoming")
    if meeting.status in ("cancelled", "holiday"):
        return label(lang, f"report.file.meeting.{meeting.status}")
    return meeting.status


def _concern_status(lang: str, status: str) -> str:
    if status in ("new", "discussed", "resolved"):
        return label(lang, f"report.file.status.{status}")
    return status


def _project_status(lang: str, status: str | None) -> str:
    if status in ("planned", "running", "paused", "done"):
        return label(lang, f"report.file.project.{status}")
    return status or ""


def held_meetings(data: ReportData) -> list[MeetingRow]:
    """Return the meetings of the period that were held."""
    return [m for m in data.meetings if m.held]


def average_attendance(data: ReportData) -> float:
    """Return how many attended a held meeting on average (0 without meetings)."""
    held = held_meetings(data)
    return sum(len(m.attended) for m in held) / len(held) if held else 0.0


# ---------------------------------------------------------------------------- XLSX


class _Sheets:
    """Writes the workbook's sheets: styled header, sized columns, then the rows streamed."""

    def __init__(self, data: ReportData, progress: Progress | None) -> None:
        self.data = data
        self.language = data.language
        self.zone = ZoneInfo(data.timezone)
        self.book = Workbook(write_only=True)
        self.progress = progress
        self.done = 0
        self.total = (
            len(data.concerns)
            + len(data.practices)
            + len(data.reflections)
            + len(data.meetings)
            + len(data.norms)
            + len(data.projects)
            + sum(len(p.updates) for p in data.projects)
        )
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=GREEN)
        self.header_alignment = Alignment(vertical="center", wrap_text=True)

    def sheet(
        self, key: str, columns: Sequence[tuple[str, float]], rows: Iterable[list[Any]]
    ) -> None:
        """Write one sheet: a header row from column labels and widths, then the rows."""
        sheet = self.book.create_sheet(label(self.language, f"report.file.sheet.{key}"))
        for index, (_, width) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for name, _ in columns:
            cell = WriteOnlyCell(sheet, label(self.language, f"report.file.col.{name}"))
            cell.font = self.header_font
            cell.fill = self.header_fill
            cell.alignment = self.header_alignment
            header.append(cell)
        sheet.append(header)
        count = 0
        for row in rows:
            sheet.append([self.value(sheet, v) for v in row])
            count += 1
            self.done += 1
            if self.progress is not None and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done, self.total)
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"

    def value(self, sheet: Any, value: Any) -> Any:
        """Return what a cell holds: local dates in day/month/year, text made safe for Excel."""
        if isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, _local(value, self.zone))
            cell.number_format = "dd/mm/yyyy hh:mm"
            return cell
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
            if value.startswith("="):
                # Text, never a formula, whatever a teacher wrote.
                cell = WriteOnlyCell(sheet, value)
                cell.data_type = "s"
                return cell
        return value

    def summary(self) -> None:
        """Write the summary sheet: what the report is, and the period's numbers."""
        data, lang = self.data, self.language
        sheet = self.book.create_sheet(label(lang, "report.file.sheet.summary"))
        sheet.column_dimensions["A"].width = 38
        sheet.column_dimensions["B"].width = 90
        header = []
        for key in ("item", "value"):
            cell = WriteOnlyCell(sheet, label(lang, f"report.file.summary.{key}"))
            cell.font = self.header_font
            cell.fill = self.header_fill
            header.append(cell)
        sheet.append(header)
        none = label(lang, "report.file.summary.none")
        wrap = Alignment(wrap_text=True, vertical="top")
        rows: list[tuple[str, Any]] = [
            ("report", label(lang, "report.file.title")),
            ("community", data.title),
            ("period", period_label(lang, data.period)),
            ("generated", data.generated_at),
            ("timezone", data.timezone),
            ("members", data.members),
            ("aims", data.aims or none),
            ("programme", data.programme or none),
            ("concerns", len(data.concerns)),
            ("open", sum(1 for c in data.concerns if c.status != "resolved")),
            ("practices", len(data.practices)),
            ("meetings", len(held_meetings(data))),
            ("attendance", round(average_attendance(data), 1)),
            ("written", data.reflections_written),
            ("shared", len(data.reflections)),
            ("norms", sum(1 for n in data.norms if n.active)),
            ("projects", len(data.projects)),
        ]
        for key, value in rows:
            name = WriteOnlyCell(sheet, label(lang, f"report.file.summary.{key}"))
            name.font = Font(bold=True)
            cell = self.value(sheet, value)
            if not isinstance(cell, Cell):
                cell = WriteOnlyCell(sheet, cell)
            cell.alignment = wrap if isinstance(value, str) else Alignment(horizontal="left")
            sheet.append([name, cell])

    def build(self) -> bytes:
        """Write every sheet and return the workbook's bytes."""
        data, lang = self.data, self.language
        self.summary()
        self.sheet(
            "concerns",
            [
                ("number", 7),
                ("date", 17),
                ("concern", 60),
                ("tags", 18),
                ("author", 22),
                ("votes", 10),
                ("status", 15),
                ("plan", 45),
                ("linked_practices", 16),
                ("file", 18),
            ],
            (
                [
                    c.id,
                    c.created_at,
                    c.text,
                    c.tags,
                    _author(lang, c.author_kind, c.author),
                    c.votes,
                    _concern_status(lang, c.status),
                    c.note,
                    c.practices,
                    c.file_name,
                ]
                for c in data.concerns
            ),
        )
        self.sheet(
            "practices",
            [
                ("number", 7),
                ("date", 17),
                ("practice", 60),
                ("tags", 18),
                ("author", 22),
                ("file", 18),
                ("linked_concerns", 16),
            ],
            (
                [
                    p.id,
                    p.created_at,
                    p.text,
                    p.tags,
                    _author(lang, p.author_kind, p.author),
                    p.file_name or p.file_kind,
                    p.concerns,
                ]
                for p in data.practices
            ),
        )
        self.sheet(
            "reflections",
            [
                ("shared", 17),
                ("author", 22),
                ("meeting", 17),
                ("facts", 40),
                ("feelings", 40),
                ("findings", 40),
                ("future", 40),
                ("body", 50),
            ],
            (
                [
                    r.shared_at,
                    r.author or label(lang, "report.file.author.anonymous"),
                    r.meeting_at,
                    r.facts,
                    r.feelings,
                    r.findings,
                    r.future,
                    r.body,
                ]
                for r in data.reflections
            ),
        )
        self.sheet(
            "meetings",
            [
                ("date", 17),
                ("status", 15),
                ("attended_count", 12),
                ("attended", 45),
                ("excused", 30),
                ("maybe", 30),
                ("minutes", 70),
            ],
            (
                [
                    m.starts_at,
                    _meeting_status(lang, m),
                    len(m.attended),
                    ", ".join(m.attended),
                    ", ".join(m.excused),
                    ", ".join(m.maybe),
                    m.minutes,
                ]
                for m in data.meetings
            ),
        )
        self.sheet(
            "norms",
            [
                ("number", 7),
                ("norm", 60),
                ("version", 8),
                ("status", 12),
                ("proposed", 17),
                ("proposed_by", 22),
                ("retired", 17),
                ("agreed_count", 12),
                ("agreed", 60),
            ],
            (
                [
                    n.number,
                    n.text,
                    n.version,
                    label(lang, f"report.file.norm.{'active' if n.active else 'retired'}"),
                    n.created_at,
                    n.created_by,
                    n.retired_at,
                    len(n.agreements),
                    "; ".join(f"{name} ({_short(at, self.zone)})" for name, at in n.agreements),
                ]
                for n in data.norms
            ),
        )
        self.sheet(
            "projects",
            [
                ("number", 7),
                ("project", 35),
                ("aim", 50),
                ("status", 14),
                ("started", 17),
                ("people", 40),
                ("updates", 12),
            ],
            (
                [
                    p.number,
                    p.title,
                    p.aim,
                    _project_status(lang, p.status),
                    p.created_at,
                    ", ".join(p.people),
                    len(p.updates),
                ]
                for p in data.projects
            ),
        )
        self.sheet(
            "updates",
            [
                ("project_number", 11),
                ("date", 17),
                ("author", 22),
                ("new_status", 14),
                ("update", 70),
            ],
            (
                [
                    u.project_number,
                    u.created_at,
                    u.author,
                    _project_status(lang, u.status),
                    u.text,
                ]
                for p in data.projects
                for u in p.updates
            ),
        )
        self.book.properties.creator = "kopi"
        self.book.properties.title = f"{label(lang, 'report.file.title')}: {data.title}"
        self.book.properties.created = data.generated_at.astimezone(ZoneInfo("UTC")).replace(
            tzinfo=None
        )
        output = io.BytesIO()
        self.book.save(output)
        if self.progress is not None:
            self.progress(self.total, self.total)
        return output.getvalue()


def build_xlsx(data: ReportData, progress: Progress | None = None) -> bytes:
    """Return the report's workbook; progress(done, total) hears about it every few rows."""
    return _Sheets(data, progress).build()


# ---------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class ReportFont:
    """A Unicode TrueType family for the PDF: its regular and bold faces."""

    regular: Path
    bold: Path


FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),  # Fedora, Alpine
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/local/share/fonts"),
    Path("/usr/local/share/fonts/dejavu"),  # FreeBSD
    Path("/Library/Fonts"),
    Path.home() / "Library" / "Fonts",
)


@cache
def find_font() -> ReportFont | None:
    """Return DejaVu Sans if it is installed where systems put it, else None."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return ReportFont(regular, bold)
    return None


_PUNCTUATION = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "·": "-",
        "\u00a0": " ",
    }
)


def to_latin1(text: str) -> str:
    """Return text the PDF core fonts can print: accents kept where Latin-1 has them, other
    letters without their marks, anything else left out."""
    kept: list[str] = []
    for char in text.translate(_PUNCTUATION):
        if char == "\n" or (ord(char) < 256 and char.isprintable()):
            kept.append(char)
            continue
        for part in unicodedata.normalize("NFKD", char):
            if ord(part) < 256 and part.isprintable() and not unicodedata.combining(part):
                kept.append(part)
    return "".join(kept)


# ---------------------------------------------------------------------------- charts (SVG)


def bar_chart_svg(
    bars: Sequence[tuple[str, int]], *, family: str, horizontal: bool, title: str
) -> str:
    """Return a simple bar chart as SVG: labelled bars with their values (labels are escaped)."""
    top = max((value for _, value in bars), default=0) or 1
    if horizontal:
        width, row, left, right = 720, 26, 300, 50
        height = 40 + row * len(bars)
        parts = [
            f'<text x="0" y="18" font-family="{family}" font-size="15" font-weight="bold" '
            f'fill="#{GREEN}">{escape(title)}</text>'
        ]
        for index, (name, value) in enumerate(bars):
            y: float = 34 + index * row
            length = (width - left - right) * value / top
            parts.append(
                f'<text x="{left - 8}" y="{y + 15}" font-family="{family}" font-size="12" '
                f'text-anchor="end" fill="#333333">{escape(name)}</text>'
            )
            parts.append(
                f'<rect x="{left}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row - 8}" '
                f'fill="#{GREEN}"/>'
            )
            parts.append(
                f'<text x="{left + length + 6:.1f}" y="{y + 15}" font-family="{family}" '
                f'font-size="12" fill="#333333">{value}</text>'
            )
    else:
        width, height, bottom, base_left = 720, 240, 40, 20
        slot = (width - base_left) / max(len(bars), 1)
        chart = height - bottom - 40
        parts = [
            f'<text x="0" y="18" font-family="{family}" font-size="15" font-weight="bold" '
            f'fill="#{GREEN}">{escape(title)}</text>',
            f'<line x1="{base_left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
            f'stroke="#999999" stroke-width="1"/>',
        ]
        for index, (name, value) in enumerate(bars):
            x = base_left + index * slot
            bar = chart * value / top
            y = height - bottom - bar
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{max(bar, 0.5):.1f}" fill="#{GREEN}"/>'
            )
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{y - 5:.1f}" font-family="{family}" '
                f'font-size="12" text-anchor="middle" fill="#333333">{value}</text>'
            )
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" font-family="{family}" '
                f'font-size="11" text-anchor="middle" fill="#333333">{escape(name)}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>"
    )


# ---------------------------------------------------------------------------- PDF


class _Document(FPDF):
    """An A4 report with kopi's headings, a footer with page numbers, and safe text."""

    def __init__(self, data: ReportData, font: ReportFont | None) -> None:
        super().__init__(format="A4")
        self.data = data
        self.language = data.language
        self.zone = ZoneInfo(data.timezone)
        if font is not None:
            self.add_font("dejavu", "", str(font.regular))
            self.add_font("dejavu", "B", str(font.bold))
            self.face = "dejavu"
            self.glyphs: frozenset[int] | None = _glyphs(self.fonts["dejavu"]) & _glyphs(
                self.fonts["dejavuB"]
            )
        else:
            self.face = "helvetica"
            self.glyphs = None
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.footer_text = self.clean(
            label(
                self.language, "report.file.footer", title=_excerpt(data.title, 60), page="{page}"
            )
        )

    def clean(self, text: str) -> str:
        """Return text the font can print (characters it lacks are left out)."""
        if self.glyphs is None:
            return to_latin1(text)
        glyphs = self.glyphs
        return "".join(c for c in text if c == "\n" or ord(c) in glyphs)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.face, "", 8)
        self.set_text_color(120, 120, 120)
        page = f"{self.page_no()}/{{nb}}"
        self.cell(0, 6, self.footer_text.replace("{page}", page), align="C")

    def heading(self, text: str) -> None:
        """Start a section (on a new page if little room is left)."""
        if self.y > self.h - 60:
            self.add_page()
        self.ln(4)
        self.set_font(self.face, "B", 14)
        self.set_text_color(0x2F, 0x5D, 0x50)
        self.multi_cell(0, 8, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(0x2F, 0x5D, 0x50)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
        self.ln(2)
        self.set_text_color(30, 30, 30)

    def paragraph(self, text: str, *, bold: bool = False, size: float = 10) -> None:
        """Write a paragraph that wraps at the margins."""
        self.set_font(self.face, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def note(self, text: str) -> None:
        """Write a small grey line (counts, 'and N more')."""
        self.set_text_color(110, 110, 110)
        self.paragraph(text, size=9)
        self.set_text_color(30, 30, 30)

    def entry(self, head: str, body: str, extra: str | None = None) -> None:
        """Write a listed record: a bold line, its text, and an optional further line."""
        if self.y > self.h - 40:
            self.add_page()
        self.paragraph(head, bold=True, size=9)
        self.paragraph(body, size=10)
        if extra:
            self.set_text_color(0x2F, 0x5D, 0x50)
            self.paragraph(extra, size=9)
            self.set_text_color(30, 30, 30)
        self.ln(2)

    def chart(self, bars: Sequence[tuple[str, int]], *, horizontal: bool, title: str) -> None:
        """Draw a bar chart as an image across the page."""
        svg = bar_chart_svg(
            [(self.clean(name), value) for name, value in bars],
            family=self.face,
            horizontal=horizontal,
            title=self.clean(title),
        )
        width = self.epw
        _, height = _svg_size(svg)
        needed = width * height / 720
        if self.y + needed > self.h - self.b_margin:
            self.add_page()
        self.image(io.BytesIO(svg.encode()), x=self.l_margin, w=width)
        self.ln(3)

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
    ) -> None:
        """Write a table with a coloured heading row (rows break across pages)."""
        self.set_font(self.face, "", 9)
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(0x2F, 0x5D, 0x50))
        with self.table(
            col_widths=tuple(widths),
            headings_style=heading,
            line_height=5,
            cell_fill_color=(0xE8, 0xF0, 0xEC),
            cell_fill_mode="ROWS",
            text_align="LEFT",
        ) as table:
            row = table.row()
            for text in headings:
                row.cell(self.clean(text))
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(self.clean(text))
        self.ln(3)


def _glyphs(font: object) -> frozenset[int]:
    """Return the code points a TrueType font can print."""
    cmap = getattr(font, "cmap", None)
    return frozenset(cmap) if cmap else frozenset()


def _svg_size(svg: str) -> tuple[int, int]:
    head = svg.split(">", 1)[0]
    width = int(head.split('width="', 1)[1].split('"', 1)[0])
    height = int(head.split('height="', 1)[1].split('"', 1)[0])
    return width, height


def build_pdf(data: ReportData, font: ReportFont | bool | None = True) -> bytes:
    """Return the "Laporan Komunitas Praktisi" PDF.

    font: True finds DejaVu Sans on the system (falling back to the core font when it is not
    installed); a ReportFont uses that family; None or False uses the core font.
    """
    chosen = find_font() if font is True else (font or None)
    assert chosen is None or isinstance(chosen, ReportFont)
    pdf = _Document(data, chosen)
    lang = pdf.language
    title = label(lang, "report.file.title")
    pdf.set_title(f"{title}: {data.title}")
    pdf.set_author("kopi")
    pdf.set_creator("kopi")
    pdf.set_lang("id-ID" if lang == "id" else "en")
    pdf.set_creation_date(data.generated_at)
    pdf.add_page()
    _cover(pdf, data, title)
    _profile(pdf, data)
    _meetings(pdf, data)
    _problems(pdf, data)
    _practices(pdf, data)
    _reflections(pdf, data)
    _norms(pdf, data)
    _projects(pdf, data)
    return bytes(pdf.output())


def _cover(pdf: _Document, data: ReportData, title: str) -> None:
    lang = pdf.language
    pdf.set_font(pdf.face, "B", 22)
    pdf.set_text_color(0x2F, 0x5D, 0x50)
    pdf.multi_cell(0, 11, pdf.clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.face, "B", 15)
    pdf.set_text_color(30, 30, 30)
    pdf.multi_cell(
        0,
        8,
        pdf.clean(label(lang, "report.file.subtitle", title=data.title)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(1)
    pdf.paragraph(label(lang, "report.file.period", period=period_label(lang, data.period)))
    generated = format_datetime(lang, data.generated_at, data.timezone)
    pdf.note(label(lang, "report.file.generated", date=generated))
    pdf.ln(2)


def _profile(pdf: _Document, data: ReportData) -> None:
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.profile"))
    if data.aims is None and data.programme is None:
        pdf.paragraph(label(lang, "report.file.pdf.no_aims"))
    for key, text in (("aims", data.aims), ("programme", data.programme)):
        if text:
            pdf.paragraph(label(lang, f"report.file.summary.{key}"), bold=True)
            pdf.paragraph(text)
            pdf.ln(2)
    pdf.ln(1)
    pdf.paragraph(label(lang, "report.file.pdf.numbers"), bold=True, size=11)
    numbers = [
        ("members", str(data.members)),
        ("concerns", str(len(data.concerns))),
        ("open", str(sum(1 for c in data.concerns if c.status != "resolved"))),
        ("practices", str(len(data.practices))),
        ("meetings", str(len(held_meetings(data)))),
        (
            "attendance",
            f"{average_attendance(data):.1f}".replace(".", "," if lang == "id" else "."),
        ),
        ("written", str(data.reflections_written)),
        ("shared", str(len(data.reflections))),
        ("norms", str(sum(1 for n in data.norms if n.active))),
        ("projects", str(len(data.projects))),
    ]
    pdf.grid(
        [label(lang, "report.file.summary.item"), label(lang, "report.file.summary.value")],
        [[label(lang, f"report.file.summary.{key}"), value] for key, value in numbers],
        (3, 1),
    )


def _meetings(pdf: _Document, data: ReportData) -> None:
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.meetings"))
    if not data.meetings:
        pdf.paragraph(label(lang, "report.file.empty"))
        return
    held = held_meetings(data)
    if held:
        shown = held[-CHART_MEETINGS:]
        pdf.chart(
            [(_short(m.starts_at, pdf.zone).rsplit("/", 1)[0], len(m.attended)) for m in shown],
            horizontal=False,
            title=label(lang, "report.file.pdf.chart.attendance"),
        )
    rows = [
        [
            format_datetime(lang, m.starts_at, data.timezone),
            _meeting_status(lang, m),
            str(len(m.attended)) if m.held else "",
            str(len(m.excused)) if m.held else "",
        ]
        for m in data.meetings[:PDF_MEETINGS]
    ]
    pdf.grid(
        [
            label(lang, "report.file.col.date"),
            label(lang, "report.file.col.status"),
            label(lang, "report.file.col.attended_count"),
            label(lang, "report.file.col.excused"),
        ],
        rows,
        (5, 2, 1, 1),
    )
    if len(data.meetings) > PDF_MEETINGS:
        pdf.note(label(lang, "report.file.more", count=len(data.meetings) - PDF_MEETINGS))
    with_minutes = [m for m in data.meetings if m.minutes]
    for meeting in with_minutes[:PDF_MINUTES]:
        text = label(
            lang,
            "report.file.pdf.minutes",
            date=_short(meeting.starts_at, pdf.zone),
            text=_excerpt(meeting.minutes),
        )
        pdf.paragraph(text, size=9)
        pdf.ln(1)
    if len(with_minutes) > PDF_MINUTES:
        pdf.note(label(lang, "report.file.more", count=len(with_minutes) - PDF_MINUTES))


def _problems(pdf: _Document, data: ReportData) -> None:
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.problems"))
    if not data.concerns:
        pdf.paragraph(label(lang, "report.file.empty"))
        return
    ranked = sorted(data.concerns, key=lambda c: (-c.votes, c.created_at, c.id))
    voted = [c for c in ranked if c.votes > 0][:CHART_CONCERNS]
    if voted:
        pdf.chart(
            [(f"{c.id}. {_excerpt(c.text, 34)}", c.votes) for c in voted],
            horizontal=True,
            title=label(lang, "report.file.pdf.chart.problems"),
        )
    else:
        pdf.note(label(lang, "report.file.pdf.no_votes"))
    for concern in ranked[:PDF_CONCERNS]:
        pdf.entry(
            label(
                lang,
                "report.file.pdf.concern",
                number=concern.id,
                votes=concern.votes,
                status=_concern_status(lang, concern.status),
                date=_short(concern.created_at, pdf.zone),
            ),
            _excerpt(concern.text),
            label(lang, "report.file.pdf.plan", text=_excerpt(concern.note))
            if concern.note
            else None,
        )
    if len(ranked) > PDF_CONCERNS:
        pdf.note(label(lang, "report.file.more", count=len(ranked) - PDF_CONCERNS))


def _practices(pdf: _Document, data: ReportData) -> None:
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.practices"))
    if not data.practices:
        pdf.paragraph(label(lang, "report.file.empty"))
        return
    latest = list(reversed(data.practices))
    for practice in latest[:PDF_PRACTICES]:
        pdf.entry(
            label(
                lang,
                "report.file.pdf.practice",
                number=practice.id,
                author=_author(lang, practice.author_kind, practice.author),
                date=_short(practice.created_at, pdf.zone),
            ),
            _excerpt(practice.text or practice.file_name or ""),
            " ".join(f"#{tag}" for tag in practice.tags.split(", ")) if practice.tags else None,
        )
    if len(latest) > PDF_PRACTICES:
        pdf.note(label(lang, "report.file.more", count=len(latest) - PDF_PRACTICES))


def _reflections(pdf: _Document, data: ReportData) -> None:
    """Anonymized highlights: excerpts of shared reflections, never a name."""
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.reflections"))
    pdf.paragraph(
        label(
            lang,
            "report.file.pdf.reflections_count",
            written=data.reflections_written,
            shared=len(data.reflections),
        )
    )
    pdf.ln(2)
    shown = 0
    for reflection in reversed(data.reflections):
        if shown >= PDF_REFLECTIONS:
            break
        parts = [
            (key, value)
            for key, value in (
                ("findings", reflection.findings),
                ("future", reflection.future),
                ("body", reflection.body),
            )
            if value and value.strip()
        ]
        if not parts:
            continue
        shown += 1
        date_text = _short(reflection.shared_at, pdf.zone) if reflection.shared_at else ""
        excerpt = " ".join(
            f"{label(lang, f'report.file.col.{key}')}: {_excerpt(value, 160)}"
            if key != "body"
            else _excerpt(value, 240)
            for key, value in parts
        )
        pdf.set_text_color(60, 60, 60)
        pdf.paragraph(f"“{excerpt}” ({date_text})" if date_text else f"“{excerpt}”", size=10)
        pdf.set_text_color(30, 30, 30)
        pdf.ln(2)


def _norms(pdf: _Document, data: ReportData) -> None:
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.norms"))
    if not data.norms:
        pdf.paragraph(label(lang, "report.file.empty"))
        return
    for norm in data.norms[:PDF_NORMS]:
        status = label(lang, f"report.file.norm.{'active' if norm.active else 'retired'}")
        if norm.retired_at is not None:
            status += f" {_short(norm.retired_at, pdf.zone)}"
        version = (
            label(lang, "report.file.pdf.norm_version", version=norm.version)
            if norm.version > 1
            else ""
        )
        pdf.entry(
            label(
                lang,
                "report.file.pdf.norm",
                number=norm.number,
                version=version,
                status=status,
                count=len(norm.agreements),
            ),
            norm.text,
        )
    if len(data.norms) > PDF_NORMS:
        pdf.note(label(lang, "report.file.more", count=len(data.norms) - PDF_NORMS))


def _projects(pdf: _Document, data: ReportData) -> None:
    lang = pdf.language
    pdf.heading(label(lang, "report.file.pdf.projects"))
    if not data.projects:
        pdf.paragraph(label(lang, "report.file.empty"))
        return
    for project in data.projects[:PDF_PROJECTS]:
        updates = [
            label(
                lang,
                "report.file.pdf.update",
                date=_short(update.created_at, pdf.zone),
                author=update.author or label(lang, "report.file.author.person"),
                text=_excerpt(
                    " ".join(
                        part
                        for part in (
                            f"({_project_status(lang, update.status)})" if update.status else "",
                            update.text,
                        )
                        if part
                    ),
                    200,
                ),
            )
            for update in project.updates[-PDF_UPDATES:]
        ]
        pdf.entry(
            label(
                lang,
                "report.file.pdf.project",
                number=project.number,
                title=project.title,
                status=_project_status(lang, project.status),
                people=len(project.people),
            ),
            _excerpt(project.aim) or "-",
            "\n".join(updates) or None,
        )
    if len(data.projects) > PDF_PROJECTS:
        pdf.note(label(lang, "report.file.more", count=len(data.projects) - PDF_PROJECTS))
