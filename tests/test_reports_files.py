"""The report's contents: every sheet's rows, the PDF's text, the period, privacy, odd text.

The community of tests/test_reports.py is gathered with models.reports.gather and the files are
built with handlers.report_files; the XLSX is opened with openpyxl and the PDF read with pypdf.
"""

from __future__ import annotations

import importlib.util
import io
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON
from handlers.report_files import (
    ReportFont,
    build_pdf,
    build_xlsx,
    find_font,
    period_label,
    to_latin1,
)
from handlers.reports import parse_period
from models.reports import (
    ConcernRow,
    MeetingRow,
    Period,
    PracticeRow,
    ReflectionRow,
    ReportData,
    gather,
    make_period,
    month_period,
    semester_period,
)
from tests.test_reports import DB, Seeded, seed

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
SAMPLE = Path(__file__).resolve().parent.parent / "docs" / "sample_report.py"
SEMESTER = Period(date(2026, 7, 1), date(2026, 12, 31), "Asia/Jakarta")


async def semester(db: DB, seeded: Seeded, period: Period = SEMESTER) -> ReportData:
    async with db() as session:
        data = await gather(session, seeded.community_id, period, NOW)
    assert data is not None
    return data


def rows(content: bytes, sheet: str) -> list[list[object]]:
    return [list(r) for r in load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True)]


def every_cell(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def text_of(content: bytes) -> str:
    """Return the PDF's text with its line breaks as spaces (wrapping is the layout's)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


async def test_the_workbook_holds_the_period_of_this_community_only(
    kopi: OfflineBot, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    seeded = await seed(db, joined["id"], budi["id"], sari["id"])
    content = build_xlsx(await semester(db, seeded))
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Ringkasan",
        "Keresahan",
        "Praktik baik",
        "Refleksi",
        "Pertemuan",
        "Norma",
        "Proyek",
        "Pembaruan proyek",
    ]
    header = book["Keresahan"]["A1"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("2F5D50")
    assert book["Keresahan"].freeze_panes == "A2"
    assert book["Keresahan"].column_dimensions["C"].width == 60

    summary = {r[0]: r[1] for r in rows(content, "Ringkasan")[1:]}
    assert summary["Komunitas"] == "Guru Penggerak SMPN 1"
    assert summary["Periode"] == "1 Juli – 31 Desember 2026"
    assert summary["Anggota"] == 4
    assert summary["Tujuan"] == "Meningkatkan numerasi dan literasi siswa"
    assert summary["Program"] == "Pertemuan rutin setiap Kamis"
    assert summary["Keresahan dicatat"] == 3
    assert summary["Keresahan belum selesai"] == 2
    assert summary["Pertemuan diadakan"] == 2
    assert summary["Rata-rata kehadiran per pertemuan"] == 2
    # Three finished in the period, whoever may read them; two of them shared.
    assert summary["Refleksi ditulis"] == 3
    assert summary["Refleksi dibagikan ke komunitas"] == 2

    ids = seeded.concerns
    concerns = rows(content, "Keresahan")
    assert [r[0] for r in concerns[1:]] == [ids["fractions"], ids["paperwork"], ids["reading"]]
    assert concerns[1][1:] == [
        datetime(2026, 9, 3, 10, 0),
        "Siswa kelas 7 sulit memahami pecahan",
        "numerasi",
        "Sari",
        3,
        "Dibahas",
        "Pakai blok pecahan dan permainan kartu",
        None,
        None,
    ]
    assert concerns[2][4:7] == ["Tanpa nama", 1, "Baru"]
    assert concerns[3][4:7] == ["Budi Santoso", 0, "Selesai"]
    assert concerns[3][8] == str(seeded.practice)  # the good practice that answers it

    practices = rows(content, "Praktik baik")
    assert practices[1:] == [
        [
            seeded.practice,
            datetime(2026, 10, 1, 14, 0),
            "Membaca 15 menit sebelum pelajaran pertama",
            "literasi",
            "Ani Wulandari",
            None,
            str(ids["reading"]),
        ]
    ]

    reflections = rows(content, "Refleksi")
    assert [(r[1], r[5]) for r in reflections[1:]] == [
        ("Sari", "Siswa lebih paham dengan benda konkret"),
        ("Tanpa nama", "Saya kewalahan dengan administrasi"),
    ]

    meetings = rows(content, "Pertemuan")
    assert [r[:6] for r in meetings[1:]] == [
        [datetime(2026, 9, 3, 14, 0), "Diadakan", 2, "Budi Santoso, Sari", "Ani Wulandari", None],
        # Sari was not sure, and a facilitator marked her as present.
        [datetime(2026, 10, 1, 14, 0), "Diadakan", 2, "Budi Santoso, Sari", None, None],
        [datetime(2026, 10, 15, 14, 0), "Diliburkan", 0, None, None, None],
        [datetime(2026, 12, 3, 14, 0), "Akan datang", 0, None, None, None],
    ]
    assert "Membahas pecahan dengan benda konkret" in str(meetings[1][6])

    norms = rows(content, "Norma")
    assert [(r[0], r[1], r[2], r[3], r[7], r[8]) for r in norms[1:]] == [
        (1, "Datang tepat waktu", 1, "Berlaku", 2, "Sari (2/8/2026); Ani Wulandari (3/8/2026)"),
        (2, "Saling menghargai pendapat dan waktu", 2, "Berlaku", 1, "Budi Santoso (11/9/2026)"),
    ]
    projects = rows(content, "Proyek")
    assert projects[1][:4] == [1, "Pojok Baca Kelas 7", "Menumbuhkan minat baca", "Berjalan"]
    assert projects[1][5:] == ["Ani Wulandari, Budi Santoso", 1]
    assert rows(content, "Pembaruan proyek")[1:] == [
        [1, datetime(2026, 9, 20, 14, 0), "Ani Wulandari", "Berjalan", "Rak buku terpasang"]
    ]

    everything = every_cell(content)
    for absent in (
        "RAHASIA",  # private reflections: never their text
        "DRAF",  # nor a draft
        "Dewi",  # who wrote the anonymous reflection (and a private one)
        "KOMUNITAS-LAIN",  # another community
        "NORMA-LAIN",
        "SEMESTER-LALU",  # before the period
        "NORMA-LAMA",  # retired before the period
        "TERSEMBUNYI",  # hidden as off-topic
    ):
        assert absent not in everything, absent


async def test_the_pdf_reads_as_a_report_and_names_no_reflection_author(
    kopi: OfflineBot, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    seeded = await seed(db, joined["id"], budi["id"], sari["id"])
    text = text_of(build_pdf(await semester(db, seeded)))
    assert text.startswith("Laporan Komunitas Praktisi Guru Penggerak SMPN 1")
    assert "Periode: 1 Juli – 31 Desember 2026" in text
    for expected in (
        "Meningkatkan numerasi dan literasi siswa",
        "Kehadiran per pertemuan",  # the attendance chart
        'Keresahan dengan dukungan "saya juga" terbanyak',  # the problem map chart
        f"No. {seeded.concerns['fractions']} · 3 saya juga · Dibahas · 3/9/2026",
        "Rencana solusi: Pakai blok pecahan dan permainan kartu",
        "Membaca 15 menit sebelum pelajaran pertama",
        "3 refleksi ditulis pada periode ini; 2 dibagikan ke komunitas.",
        "Norma 2 (versi 2) · Berlaku · 1 anggota setuju",
        "Proyek 1: Pojok Baca Kelas 7 · Berjalan · 2 orang terlibat",
        "Rak buku terpasang",
    ):
        assert expected in text, expected
    highlights = text.split("5. Sorotan refleksi", 1)[1].split("6. Norma kesepakatan", 1)[0]
    assert "kewalahan dengan administrasi" in highlights
    assert "benda konkret" in highlights
    for name in ("Sari", "Dewi", "Budi", "Ani"):
        assert name not in highlights, name
    for absent in ("RAHASIA", "DRAF", "Dewi", "KOMUNITAS-LAIN", "SEMESTER-LALU", "TERSEMBUNYI"):
        assert absent not in text, absent


async def test_a_month_keeps_to_the_community_s_calendar(
    kopi: OfflineBot, joined: JSON, budi: JSON, sari: JSON, db: DB
) -> None:
    seeded = await seed(db, joined["id"], budi["id"], sari["id"])
    october = await semester(
        db, seeded, Period(date(2026, 10, 1), date(2026, 10, 31), "Asia/Jakarta")
    )
    # The concern captured on 31 October 18:00 UTC is 1 November in Jakarta.
    assert [c.text for c in october.concerns] == [
        "Beban administrasi membuat persiapan mengajar kurang"
    ]
    assert [m.held for m in october.meetings] == [True, False]
    assert [r.author for r in october.reflections] == [None]  # the anonymous one
    assert october.reflections_written == 2
    # In UTC the same concern falls in October.
    utc = await semester(db, seeded, Period(date(2026, 10, 1), date(2026, 10, 31), "UTC"))
    assert len(utc.concerns) == 2
    async with db() as session:
        assert await gather(session, 999_999, SEMESTER, NOW) is None


def odd_data(**changes: object) -> ReportData:
    concern = ConcernRow(
        1,
        NOW,
        '=HYPERLINK("http://x") pecahan\x0b sulit 🙋‍♀️ 数学',
        "numerasi",
        "person",
        "Wayan 🌺 Sudarsana 王",
        2,
        "new",
        None,
        "",
        None,
    )
    base = ReportData(
        community_id=7,
        title="Kombel ☕ 🇮🇩 Nusantara",
        timezone="Asia/Jayapura",
        language="id",
        period=SEMESTER,
        generated_at=NOW,
        members=3,
        concerns=[concern],
        practices=[
            PracticeRow(2, NOW, "", "", "anonymous", None, "rpp.pdf", "document", "1"),
        ],
        meetings=[
            MeetingRow(3, NOW, "scheduled", True, ("Ñoman Çakra",), (), (), "— Ibu Ṣiti: ✅")
        ],
        reflections=[ReflectionRow(NOW, None, None, None, None, None, None, "Refleksi 🙏 singkat")],
    )
    return ReportData(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_odd_text_never_breaks_the_files() -> None:
    data = odd_data()
    content = build_xlsx(data)
    concern = rows(content, "Keresahan")[1]
    assert concern[2] == '=HYPERLINK("http://x") pecahan sulit 🙋‍♀️ 数学'  # text, not a formula
    assert load_workbook(io.BytesIO(content))["Keresahan"]["C2"].data_type == "s"
    assert concern[1] == datetime(2026, 11, 26, 16, 0)  # Jayapura time (WIT)
    assert rows(content, "Praktik baik")[1][4:6] == ["Tanpa nama", "rpp.pdf"]

    font = find_font()
    assert isinstance(font, ReportFont)  # fonts-dejavu-core is installed where kopi runs
    text = text_of(build_pdf(data))
    assert "Kombel ☕" in text and "pecahan sulit" in text and "Refleksi singkat" in text
    assert "Ñoman Çakra" not in text  # attendance is counted in the PDF, not named

    core = text_of(build_pdf(data, font=None))  # no Unicode font: Latin-1, marks dropped
    assert "Laporan Komunitas Praktisi" in core
    assert "Kombel" in core and "Nusantara" in core
    assert to_latin1("Ibu Ṣiti — “kutip” ✅ Ñoman") == 'Ibu Siti - "kutip"  Ñoman'


def test_an_empty_period_still_makes_both_files() -> None:
    data = odd_data(concerns=[], practices=[], meetings=[], reflections=[])
    assert rows(build_xlsx(data), "Keresahan") == [
        [
            "No.",
            "Tanggal",
            "Keresahan",
            "Tagar",
            "Oleh",
            "Saya juga",
            "Status",
            "Rencana solusi",
            "Praktik baik terkait",
            "Lampiran",
        ]
    ]
    text = text_of(build_pdf(data))
    assert text.count("Belum ada catatan pada periode ini.") == 5


def test_periods_from_buttons_and_typed_dates() -> None:
    today = date(2026, 11, 26)
    assert month_period(today, "Asia/Jakarta") == Period(
        date(2026, 11, 1), date(2026, 11, 30), "Asia/Jakarta"
    )
    assert semester_period(date(2026, 3, 5), "Asia/Jakarta").last == date(2026, 6, 30)
    assert semester_period(today, "Asia/Jakarta").first == date(2026, 7, 1)
    assert month_period(date(2026, 12, 31), "UTC").last == date(2026, 12, 31)
    tz = "Asia/Makassar"
    expected = Period(date(2026, 8, 1), date(2026, 11, 30), tz)
    for typed in (
        "1/8/2026 30/11/2026",
        "1-8-2026 - 30-11-2026",
        "2026-08-01 s/d 2026-11-30",
        "1 Agustus 2026 sampai 30 November 2026",
        "30/11/2026 1/8/2026",  # either order
        "1/8 30/11",  # this year
    ):
        assert parse_period(typed, today, tz) == expected, typed
    for wrong in (
        "",
        "besok",
        "1/8/2026",
        "31/2/2026 1/3/2026",
        "1/8/2026 30/11/2026 lalu",
        "1/1/9999 2/1/9999",
    ):
        assert parse_period(wrong, today, tz) is None, wrong
    assert make_period(date(1999, 12, 31), date(2000, 1, 1), tz) is None
    period = Period(date(2026, 7, 1), date(2026, 7, 1), "Asia/Jayapura")
    assert period.start == datetime(2026, 6, 30, 15, 0, tzinfo=UTC)  # midnight WIT
    assert period.end == datetime(2026, 7, 1, 15, 0, tzinfo=UTC)
    assert period_label("en", SEMESTER) == "1 July – 31 December 2026"
    assert period_label("id", period) == "1 Juli 2026"
    assert (
        period_label("id", Period(date(2025, 8, 1), date(2026, 1, 31), tz))
        == "1 Agustus 2025 – 31 Januari 2026"
    )


async def test_the_sample_report_in_docs_still_builds() -> None:
    spec = importlib.util.spec_from_file_location("sample_report", SAMPLE)
    assert spec is not None and spec.loader is not None
    sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample)
    data = await sample.demo_report()
    assert (len(data.concerns), len(data.practices), len(data.reflections)) == (10, 6, 6)
    assert data.reflections_written == 11  # five private ones are counted, never shown
    assert sum(1 for m in data.meetings if m.held) == 11  # one cancelled, one ahead
    text = text_of(build_pdf(data))
    assert "Kombel Numerasi SMPN 3 Sleman" in text and "Refleksi pribadi" not in text
