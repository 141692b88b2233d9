"""minutes entries: minutes with authors, each written once (issues 10 and 12)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

A meeting's minutes were one text in which each note began with "— <display name>:", so a note
was matched to a person by name (across communities, and forgeable by anyone who typed such a
line), the text was cut to its last 20,000 characters, and the same message delivered twice was
appended twice. Minutes become entries: the meeting, the author's id, the name shown at the time,
the text, and the message it came from (unique).

Today's text moves into entries, in order. A note whose name is the name of exactly one member of
the meeting's community is attributed to her; any other note (a name nobody or several members
have now, an anonymised note, text before the first name) is kept word for word, header
included, without an author. The questions' message ids (``meetings.minutes_prompt_id``,
``meeting_schedules.place_prompt_id``) go: the conversation core keeps its questions in
``prompts``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As models.meetings.append_minutes wrote them until 0009: "— Name:\n<text>", an empty line
# between notes.
_NOTE = re.compile(r"\n\n(?=— [^\n]*:\n)")
_HEADER = re.compile(r"^— ([^\n]*):\n", re.DOTALL)

meetings = sa.table(
    "meetings",
    sa.column("id", sa.Integer),
    sa.column("community_id", sa.Integer),
    sa.column("starts_at", sa.DateTime(timezone=True)),
    sa.column("minutes", sa.Text),
)
memberships = sa.table(
    "memberships", sa.column("community_id", sa.Integer), sa.column("person_id", sa.BigInteger)
)
people = sa.table(
    "people",
    sa.column("id", sa.BigInteger),
    sa.column("first_name", sa.String),
    sa.column("last_name", sa.String),
)
entries = sa.table(
    "minutes_entries",
    sa.column("id", sa.Integer),
    sa.column("meeting_id", sa.Integer),
    sa.column("author_id", sa.BigInteger),
    sa.column("author_name", sa.String),
    sa.column("text", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def split_notes(minutes: str) -> list[tuple[str | None, str, str]]:
    """Return (name, text, the whole note) for each note of an old minutes text."""
    notes = []
    for part in _NOTE.split(minutes):
        if not part.strip():
            continue
        header = _HEADER.match(part)
        if header is None:
            notes.append((None, part, part))
        else:
            notes.append((header.group(1), part[header.end() :], part))
    return notes


def _full_name(first: str | None, last: str | None) -> str:
    return " ".join(p for p in (first, last) if p) or "?"


def upgrade() -> None:
    op.create_table(
        "minutes_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("author_name", sa.String(length=255), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_minutes_entries_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_minutes_entries_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_entries")),
        sa.UniqueConstraint(
            "source_chat_id",
            "source_message_id",
            name=op.f("uq_minutes_entries_source_chat_id"),
        ),
    )
    op.create_index(
        op.f("ix_minutes_entries_author_id"), "minutes_entries", ["author_id"], unique=False
    )
    op.create_index(
        op.f("ix_minutes_entries_meeting_id"), "minutes_entries", ["meeting_id"], unique=False
    )

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(meetings.c.id, meetings.c.community_id, meetings.c.starts_at, meetings.c.minutes)
        .where(meetings.c.minutes.is_not(None))
        .order_by(meetings.c.id)
    ).all()
    names: dict[int, dict[str, list[int]]] = {}
    for meeting_id, community_id, starts_at, minutes in rows:
        if community_id not in names:
            members = connection.execute(
                sa.select(people.c.id, people.c.first_name, people.c.last_name)
                .join(memberships, memberships.c.person_id == people.c.id)
                .where(memberships.c.community_id == community_id)
            ).all()
            by_name: dict[str, list[int]] = {}
            for person_id, first, last in members:
                by_name.setdefault(_full_name(first, last), []).append(person_id)
            names[community_id] = by_name
        values = []
        for name, text, whole in split_notes(minutes):
            found = names[community_id].get(name or "", []) if name is not None else []
            attributed = len(found) == 1 and text.strip() != ""
            values.append(
                {
                    "meeting_id": meeting_id,
                    "author_id": found[0] if attributed else None,
                    "author_name": name[:255] if attributed and name is not None else None,
                    "text": text if attributed else whole,
                    # When each note was written is not known: the meeting's time, in order.
                    "created_at": _as_datetime(starts_at),
                }
            )
        if values:
            op.bulk_insert(entries, values)

    # SQLite (3.35+) drops a column in place when no index names it: no table is copied.
    op.drop_column("meetings", "minutes_prompt_id")
    op.drop_column("meetings", "minutes")
    op.drop_column("meeting_schedules", "place_prompt_id")


def _as_datetime(value: object) -> datetime:
    # SQLite hands back the stored text; the column type parses it when it is bound again.
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def downgrade() -> None:
    op.add_column("meeting_schedules", sa.Column("place_prompt_id", sa.BigInteger()))
    op.add_column("meetings", sa.Column("minutes", sa.Text(), nullable=True))
    op.add_column("meetings", sa.Column("minutes_prompt_id", sa.BigInteger(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(entries.c.meeting_id, entries.c.author_name, entries.c.text).order_by(
            entries.c.meeting_id, entries.c.created_at, entries.c.id
        )
    ).all()
    texts: dict[int, list[str]] = {}
    for meeting_id, author_name, text in rows:
        note = f"— {author_name}:\n{text}" if author_name else text
        texts.setdefault(meeting_id, []).append(note)
    for meeting_id, notes in texts.items():
        connection.execute(
            sa.update(meetings)
            .where(meetings.c.id == meeting_id)
            .values(minutes="\n\n".join(notes)[-20_000:])
        )
    op.drop_index(op.f("ix_minutes_entries_meeting_id"), table_name="minutes_entries")
    op.drop_index(op.f("ix_minutes_entries_author_id"), table_name="minutes_entries")
    op.drop_table("minutes_entries")
