"""`kopi export`: the report from the command line, with a progress bar, and clear refusals."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON
from tests.test_reports import DB, seed


async def kopi_export(tmp_path: Path, database_url: str, *args: str) -> tuple[int, str, str]:
    """Run `python -m bot export ...` against the test database; return code, stdout, stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DATABASE_URL"] = database_url
    env["LOG_LEVEL"] = "WARNING"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "export",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_export_writes_the_workbook_with_a_progress_bar(
    kopi: OfflineBot,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
    database_url: str,
    tmp_path: Path,
) -> None:
    seeded = await seed(db, joined["id"], budi["id"], sari["id"])
    code, out, err = await kopi_export(
        tmp_path,
        database_url,
        "--community",
        "guru penggerak smpn 1",  # the title, in any case
        "--format",
        "xlsx",
        "--from",
        "1/7/2026",
        "--to",
        "2026-12-31",
    )
    assert code == 0, err
    written = tmp_path / "laporan-guru-penggerak-smpn-1-2026-07-01-2026-12-31.xlsx"
    assert out.startswith(f"{written.name} (")
    assert "[##############################] 100% done" in err
    assert "building XLSX" in err
    book = load_workbook(io.BytesIO(written.read_bytes()))
    concerns = [row[2] for row in book["Keresahan"].iter_rows(min_row=2, values_only=True)]
    assert concerns == [
        "Siswa kelas 7 sulit memahami pecahan",
        "Beban administrasi membuat persiapan mengajar kurang",
        "Minat membaca siswa rendah",
    ]

    # By kopi's id, as a PDF, to a chosen file.
    target = tmp_path / "out" / "laporan.pdf"
    target.parent.mkdir()
    code, out, err = await kopi_export(
        tmp_path,
        database_url,
        "--community",
        str(seeded.community_id),
        "--format",
        "pdf",
        "--from",
        "1/9/2026",
        "--to",
        "30/9/2026",
        "--output",
        str(target),
    )
    assert code == 0, err
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages
    )
    assert "Laporan Komunitas Praktisi" in text and "1 – 30 September 2026" in text
    assert "RAHASIA" not in text and "KOMUNITAS-LAIN" not in text


async def test_export_explains_what_it_cannot_use(
    kopi: OfflineBot,
    joined: JSON,
    budi: JSON,
    sari: JSON,
    db: DB,
    database_url: str,
    tmp_path: Path,
) -> None:
    await seed(db, joined["id"], budi["id"], sari["id"])
    base = ["--format", "xlsx", "--from", "1/7/2026", "--to", "31/12/2026"]
    code, _, err = await kopi_export(tmp_path, database_url, "--community", "Tidak Ada", *base)
    assert code == 2 and "no community matches 'Tidak Ada'" in err

    # "SMP" is in both titles: kopi lists them rather than guess.
    code, _, err = await kopi_export(tmp_path, database_url, "--community", "SMP", *base)
    assert code == 2
    assert "matches several communities" in err
    assert "Guru Penggerak SMPN 1" in err and "SMP Lain" in err

    code, out, err = await kopi_export(
        tmp_path,
        database_url,
        "--community",
        "SMP Lain",
        "--format",
        "xlsx",
        "--from",
        "kemarin",
        "--to",
        "31/12/2026",
    )
    assert code == 2 and "--from 'kemarin' is not a date" in err
    assert out == ""  # nothing written
