"""Build the sample report in docs/ (laporan-contoh.xlsx and laporan-contoh.pdf).

A demo community of mathematics teachers is written into a throw-away SQLite database through
kopi's own model functions (captures and votes, meetings and attendance, reflections, norms,
aims, projects), then the report for the semester July-December 2026 is gathered and built
exactly as /laporan builds it. Everything is fixed (dates, names, a seeded random generator),
so running it again gives the same report:

    .venv/bin/python docs/sample_report.py [output folder]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.report_files import build_pdf, build_xlsx  # noqa: E402
from models.agreements import (  # noqa: E402
    AimKind,
    ProjectStatus,
    add_norm,
    add_project,
    add_project_update,
    agree,
    join_project,
    retire_norm,
    revise_norm,
    set_aims,
)
from models.capture import (  # noqa: E402
    Author,
    AuthorKind,
    Kind,
    Status,
    capture,
    get_item,
    set_link,
    set_note,
    set_status,
    toggle_vote,
)
from models.community import (  # noqa: E402
    Role,
    activate_community,
    ensure_membership,
    upsert_person,
)
from models.db import create_engine, session_factory, upgrade  # noqa: E402
from models.meetings import (  # noqa: E402
    Response,
    Slot,
    add_meetings,
    append_minutes,
    meetings_between,
    record_response,
)
from models.reflections import Reflection  # noqa: E402
from models.reports import Period, ReportData, gather  # noqa: E402

GENERATED = datetime(2026, 12, 18, 3, 0, tzinfo=UTC)  # Friday 18 December 2026, 10.00 WIB
PERIOD = Period(date(2026, 7, 1), date(2026, 12, 31), "Asia/Jakarta")

TEACHERS = [
    ("Budi", "Santoso"),
    ("Sari", "Rahmawati"),
    ("Ani", "Wulandari"),
    ("Dewi", "Kartika"),
    ("Yohanes", "Pandie"),
    ("Made Ayu", "Lestari"),
    ("Rizky", "Pratama"),
    ("Siti", "Nurhaliza"),
    ("Agus", "Setiawan"),
    ("Fitri", "Handayani"),
    ("Ketut", "Arya"),
    ("Nur", "Aini"),
    ("Hendra", "Gunawan"),
    ("Lestari 🌼", "Putri"),
]
BUDI, SARI, ANI, DEWI, YOHANES, MADE, RIZKY, SITI, AGUS, FITRI, KETUT, NUR, HENDRA, LESTARI = (
    700_001 + i for i in range(len(TEACHERS))
)
PEOPLE = list(range(700_001, 700_001 + len(TEACHERS)))

# (author or None for anonymous, day, text, tags, votes, status, solution plan)
CONCERNS: list[tuple[int | None, str, str, list[str], int, Status, str | None]] = [
    (
        SARI,
        "2026-07-16",
        "Banyak siswa kelas 7 belum lancar operasi pecahan, padahal materi SMP bergantung padanya.",
        ["numerasi"],
        9,
        Status.DISCUSSED,
        "Awali setiap pelajaran dengan 5 menit latihan pecahan memakai kartu pecahan.",
    ),
    (
        None,
        "2026-07-23",
        "Waktu menyiapkan pelajaran habis untuk administrasi; modul ajar jadi sekadar formalitas.",
        [],
        7,
        Status.NEW,
        None,
    ),
    (
        YOHANES,
        "2026-07-30",
        "Siswa kurang percaya diri bertanya di kelas; yang bertanya hanya dua atau tiga anak.",
        [],
        6,
        Status.DISCUSSED,
        "Sediakan kotak pertanyaan tanpa nama dan lima menit tanya jawab di akhir pelajaran.",
    ),
    (
        MADE,
        "2026-08-06",
        "Soal cerita AKM sulit dipahami siswa karena bacaannya panjang.",
        ["literasi", "numerasi"],
        8,
        Status.RESOLVED,
        "Latihan membaca soal bersama: garis bawahi yang diketahui dan yang ditanyakan.",
    ),
    (
        RIZKY,
        "2026-08-20",
        "Hasil asesmen diagnostik belum dipakai untuk mengelompokkan siswa.",
        ["asesmen"],
        4,
        Status.NEW,
        None,
    ),
    (
        HENDRA,
        "2026-09-03",
        "Laboratorium komputer sering terpakai kelas lain saat jadwal kami.",
        [],
        2,
        Status.NEW,
        None,
    ),
    (
        None,
        "2026-09-17",
        "Orang tua jarang mendampingi anak belajar di rumah.",
        [],
        5,
        Status.DISCUSSED,
        "Tantangan numerasi mingguan untuk dikerjakan bersama orang tua.",
    ),
    (
        AGUS,
        "2026-10-01",
        "Alat peraga untuk geometri masih sangat terbatas.",
        ["geometri"],
        3,
        Status.RESOLVED,
        "Membuat bangun ruang dari kardus bekas bersama siswa.",
    ),
    (
        NUR,
        "2026-10-15",
        "Siswa berkebutuhan khusus belum terlayani dengan baik di kelas reguler.",
        ["inklusi"],
        4,
        Status.NEW,
        None,
    ),
    (
        KETUT,
        "2026-11-12",
        "Nilai ulangan harian turun setelah kegiatan class meeting.",
        [],
        1,
        Status.NEW,
        None,
    ),
]

# (author, day, text, tags, the concern it answers (index in CONCERNS) or None)
PRACTICES: list[tuple[int, str, str, list[str], int | None]] = [
    (
        SARI,
        "2026-07-24",
        "Kartu pecahan warna-warni: siswa mencocokkan pecahan senilai dalam kelompok kecil.",
        ["numerasi"],
        0,
    ),
    (
        MADE,
        "2026-08-14",
        "Galeri soal cerita: siswa menulis soal cerita dari kejadian di kantin sekolah.",
        ["literasi"],
        3,
    ),
    (
        YOHANES,
        "2026-08-21",
        "Exit ticket 3-2-1 di akhir pelajaran untuk melihat siapa yang belum paham.",
        ["asesmen"],
        2,
    ),
    (
        AGUS,
        "2026-10-08",
        "Jaring-jaring kubus dan balok dari kardus bekas, dipamerkan di lorong kelas.",
        ["geometri"],
        7,
    ),
    (
        FITRI,
        "2026-10-22",
        "Tantangan numerasi mingguan di grup orang tua, dengan kunci jawaban hari Jumat.",
        [],
        6,
    ),
    (
        ANI,
        "2026-11-19",
        "Pojok matematika di kelas dengan permainan papan buatan siswa.",
        ["numerasi"],
        None,
    ),
]

MINUTES = {
    0: "Memetakan keresahan awal semester; sepakat fokus pada pecahan di kelas 7.",
    2: "Bu Sari mencontohkan kartu pecahan; semua mencoba di kelas masing-masing.",
    4: "Membahas soal cerita AKM; Bu Made berbagi galeri soal cerita.",
    6: "Refleksi tengah semester: kehadiran baik, exit ticket dipakai lima guru.",
    8: "Pak Agus memperagakan jaring-jaring kubus dari kardus.",
    10: "Merencanakan Festival Matematika dan membagi tugas panitia.",
}

# (author, visibility, day, findings, future)
REFLECTIONS: list[tuple[int, str, str, str, str]] = [
    (
        SARI,
        "named",
        "2026-07-31",
        "Siswa lebih cepat paham pecahan senilai ketika memegang kartunya sendiri.",
        "Saya akan membuat kartu untuk perkalian pecahan.",
    ),
    (
        DEWI,
        "anonymous",
        "2026-08-14",
        "Saya sering terburu-buru menjelaskan sehingga siswa tidak sempat bertanya.",
        "Memberi jeda tiga detik setelah bertanya, lalu menunggu jawaban.",
    ),
    (
        YOHANES,
        "named",
        "2026-08-28",
        "Exit ticket memperlihatkan bahwa sepertiga kelas belum paham perbandingan.",
        "Membuat kelompok belajar sesuai hasil exit ticket.",
    ),
    (
        RIZKY,
        "anonymous",
        "2026-09-25",
        "Mengelompokkan siswa menurut kemampuan membuat yang tertinggal lebih berani mencoba.",
        "Mencoba kelompok campuran sekali seminggu.",
    ),
    (
        MADE,
        "named",
        "2026-10-30",
        "Soal cerita dari kehidupan siswa sendiri jauh lebih menarik bagi mereka.",
        "Menyusun bank soal cerita kontekstual bersama komunitas.",
    ),
    (
        SITI,
        "anonymous",
        "2026-11-27",
        "Saya kewalahan mengelola kelas besar saat kerja kelompok.",
        "Memakai peran dalam kelompok: pembaca, pencatat, penjaga waktu.",
    ),
]


def at(day: str, hour: int = 7) -> datetime:
    """Return a moment in UTC on a day (07:00 UTC is 14.00 WIB)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


async def seed(url: str) -> int:
    """Write the demo community; return its id."""
    engine = create_engine(url)
    await upgrade(engine)
    db = session_factory(engine)
    rnd = random.Random(2026)
    async with db.begin() as session:
        community, _ = await activate_community(
            session,
            -1_001_234_567_890,
            title="Kombel Numerasi SMPN 3 Sleman",
            chat_type="supergroup",
            is_forum=False,
            timezone="Asia/Jakarta",
            language="id",
        )
        cid = community.id
        for person, (first, last) in zip(PEOPLE, TEACHERS, strict=True):
            await upsert_person(session, person, first_name=first, last_name=last)
            role = Role.FACILITATOR if person == BUDI else Role.MEMBER
            await ensure_membership(session, community, person, role=role)

        await set_aims(
            session,
            cid,
            AimKind.AIMS,
            "Meningkatkan kemampuan numerasi siswa kelas 7-9 melalui pembelajaran yang "
            "bermakna, dan saling berbagi praktik baik antarguru.",
            BUDI,
            at("2026-07-09"),
        )
        await set_aims(
            session,
            cid,
            AimKind.PROGRAMME,
            "Pertemuan rutin dua minggu sekali, Kamis pukul 14.00 WIB di ruang guru: berbagi "
            "keresahan, mencoba satu strategi di kelas, lalu merefleksikannya bersama.",
            BUDI,
            at("2026-07-09"),
        )

        concern_ids: list[int] = []
        for author, day, text, tags, votes, status, plan in CONCERNS:
            item_id = await capture(
                session,
                cid,
                kind=Kind.CONCERN,
                text=text,
                tags=tags,
                author=Author(AuthorKind.PERSON, author)
                if author
                else Author(AuthorKind.ANONYMOUS),
                now=at(day, 4),
            )
            assert item_id is not None
            concern_ids.append(item_id)
            item = await get_item(session, cid, item_id)
            assert item is not None
            for voter in rnd.sample([p for p in PEOPLE if p != author], votes):
                await toggle_vote(session, item, voter, f"demo-{item_id}-{voter}")
            if status is not Status.NEW:
                decided = at(day, 4) + timedelta(days=14)
                await set_status(session, item, status, decided)
            if plan:
                await set_note(session, item, plan, at(day, 4) + timedelta(days=14))
        for author, day, text, tags, answers in PRACTICES:
            practice_id = await capture(
                session,
                cid,
                kind=Kind.PRACTICE,
                text=text,
                tags=tags,
                author=Author(AuthorKind.PERSON, author),
                now=at(day, 5),
            )
            assert practice_id is not None
            if answers is not None:
                concern = await get_item(session, cid, concern_ids[answers])
                assert concern is not None
                await set_link(session, concern, practice_id, True)

        first = date(2026, 7, 16)
        slots = []
        for n in range(13):  # every other Thursday; the last one, 31 December, is still ahead
            day = first + timedelta(weeks=2 * n)
            # 22 October fell in the mid-semester assessment week: the facilitator cancelled it.
            status = "cancelled" if day == date(2026, 10, 22) else "scheduled"
            slots.append(Slot(day, at(day.isoformat()), status))
        await add_meetings(session, cid, slots, at("2026-07-09"))
        meetings = await meetings_between(session, cid, at("2026-07-01"), at("2027-01-01"))
        for index, meeting in enumerate(meetings):
            if meeting.starts_at > GENERATED or meeting.status != "scheduled":
                continue
            answered = at(meeting.starts_at.date().isoformat(), 1)
            for person in PEOPLE:
                roll = rnd.random()
                response = Response.YES if roll < 0.72 else Response.EXCUSED if roll < 0.9 else None
                if response is not None:
                    await record_response(session, meeting.id, person, response, answered)
            if index in MINUTES:
                await append_minutes(session, meeting, "Budi Santoso", MINUTES[index])

        for author, visibility, day, findings, future in REFLECTIONS:
            when = at(day, 12)
            session.add(
                Reflection(
                    community_id=cid,
                    author_id=author,
                    status="done",
                    visibility=visibility,
                    source="guided",
                    facts="Catatan dari kelas minggu ini.",
                    feelings="Campur aduk, tetapi bersemangat.",
                    findings=findings,
                    future=future,
                    created_at=when,
                    updated_at=when,
                    completed_at=when,
                    shared_at=when,
                )
            )
        for n, author in enumerate((ANI, KETUT, NUR, LESTARI, HENDRA)):
            when = at("2026-08-01", 12) + timedelta(days=19 * n)
            session.add(  # private: counted in the report, never shown
                Reflection(
                    community_id=cid,
                    author_id=author,
                    status="done",
                    visibility="private",
                    source="guided",
                    facts="Refleksi pribadi.",
                    created_at=when,
                    updated_at=when,
                    completed_at=when,
                )
            )

        norms = [
            ("Datang tepat waktu, dan memberi kabar bila berhalangan hadir.", "2026-07-16"),
            ("Setiap pendapat dihargai; kritik disampaikan dengan santun.", "2026-07-16"),
            ("Keresahan yang dibagikan tidak dibawa keluar grup tanpa izin.", "2026-07-30"),
            ("Setiap anggota mencoba minimal satu praktik baik setiap bulan.", "2026-08-13"),
            ("Rapat selalu diadakan di perpustakaan.", "2026-07-16"),
        ]
        for number, (text, day) in enumerate(norms):
            norm = await add_norm(session, cid, text, BUDI, at(day, 8))
            for person in rnd.sample(PEOPLE, rnd.randint(9, 13)):
                await agree(session, norm, person, at(day, 9) + timedelta(hours=person % 20))
            if number == 2:
                await revise_norm(
                    session,
                    norm,
                    "Keresahan yang dibagikan tidak dibawa keluar grup tanpa izin penulisnya; "
                    "yang dikutip dalam laporan ditulis tanpa nama.",
                    BUDI,
                    at("2026-09-10", 8),
                )
                for person in rnd.sample(PEOPLE, 11):
                    await agree(session, norm, person, at("2026-09-10", 10))
            if number == 4:
                await retire_norm(session, norm, BUDI, at("2026-08-27", 8))

        corner = await add_project(
            session,
            cid,
            "Pojok Numerasi Kelas 7",
            "Setiap kelas 7 punya pojok berisi permainan dan alat peraga numerasi buatan siswa.",
            ANI,
            at("2026-08-20"),
        )
        festival = await add_project(
            session,
            cid,
            "Festival Matematika Akhir Semester",
            "Pameran karya dan lomba numerasi antarkelas untuk siswa dan orang tua.",
            BUDI,
            at("2026-11-26"),
        )
        bank = await add_project(
            session,
            cid,
            "Bank Soal Cerita Kontekstual",
            "Kumpulan soal cerita dari kehidupan siswa Sleman untuk kelas 7-9.",
            MADE,
            at("2026-09-03"),
        )
        for project, people in (
            (corner, (SARI, AGUS)),
            (festival, (FITRI, RIZKY, SITI)),
            (bank, (YOHANES,)),
        ):
            for person in people:
                await join_project(session, project, person, project.created_at + timedelta(days=1))
        for project, day, author, text, status in (
            (
                corner,
                "2026-09-03",
                ANI,
                "Rak dan papan permainan terpasang di 7A dan 7B.",
                ProjectStatus.RUNNING,
            ),
            (corner, "2026-10-29", SARI, "Kartu pecahan dan domino pecahan ditambahkan.", None),
            (bank, "2026-09-17", MADE, "40 soal pertama terkumpul.", ProjectStatus.RUNNING),
            (
                bank,
                "2026-11-05",
                YOHANES,
                "120 soal sudah ditelaah dan dibagikan ke semua guru.",
                ProjectStatus.DONE,
            ),
            (
                festival,
                "2026-12-10",
                FITRI,
                "Panitia dibentuk; festival direncanakan pada Januari.",
                None,
            ),
        ):
            await add_project_update(session, project, author, at(day), text=text, status=status)
    await engine.dispose()
    return cid


async def demo_report() -> ReportData:
    """Seed the demo community in a throw-away database and gather its semester report."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'demo.db'}"
        cid = await seed(url)
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                data = await gather(session, cid, PERIOD, GENERATED)
        finally:
            await engine.dispose()
    assert data is not None
    return data


def main(folder: Path) -> None:
    """Write laporan-contoh.xlsx and laporan-contoh.pdf to folder."""
    data = asyncio.run(demo_report())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "laporan-contoh.xlsx").write_bytes(build_xlsx(data))
    (folder / "laporan-contoh.pdf").write_bytes(build_pdf(data))
    print(f"wrote {folder / 'laporan-contoh.xlsx'} and {folder / 'laporan-contoh.pdf'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
