"""The reflection buttons' actions (callback data "rf:…"), shared by the writing flow, the
teacher's own list, /start and the private menu; their handlers are in handlers.reflections.

The data strings are those kopi sent before the typed codec, so buttons already in teachers'
chats keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callbacks import Payload

VisibilityCode = Literal["p", "n", "a"]  # private, shared with the name, anonymous


@dataclass(frozen=True)
class Start(Payload, prefix="rf:start"):
    """Write a reflection: resume a draft, or choose the community."""


@dataclass(frozen=True)
class ForCommunity(Payload, prefix="rf:c"):
    """Write a reflection for this community (resuming its draft if there is one)."""

    community_id: int


@dataclass(frozen=True)
class New(Payload, prefix="rf:new"):
    """Start a new reflection, keeping other drafts (the community is asked if several)."""


@dataclass(frozen=True)
class NewFor(Payload, prefix="rf:new"):
    """Start a new reflection for this community."""

    community_id: int


@dataclass(frozen=True)
class NewForMeeting(Payload, prefix="rf:new"):
    """Start a new reflection for this community about this meeting."""

    community_id: int
    meeting_id: int


@dataclass(frozen=True)
class Resume(Payload, prefix="rf:res"):
    """Continue a draft at its step."""

    draft_id: int


@dataclass(frozen=True)
class ChooseMeeting(Payload, prefix="rf:m"):
    """Set the held meeting a draft is about (0: none), then go on."""

    draft_id: int
    meeting_id: int


@dataclass(frozen=True)
class Back(Payload, prefix="rf:b"):
    """Go back from the step the button was shown at."""

    draft_id: int
    step: str


@dataclass(frozen=True)
class Skip(Payload, prefix="rf:s"):
    """Skip the step the button was shown at."""

    draft_id: int
    step: str


@dataclass(frozen=True)
class Stop(Payload, prefix="rf:x"):
    """Pause a draft: its answers stay."""

    draft_id: int


@dataclass(frozen=True)
class KeepHeld(Payload, prefix="rf:hy"):
    """Take the message written after a long silence as the open question's answer."""

    reflection_id: int


@dataclass(frozen=True)
class DropHeld(Payload, prefix="rf:hn"):
    """Drop the message written after a long silence."""

    reflection_id: int


@dataclass(frozen=True)
class Share(Payload, prefix="rf:v"):
    """Finish a draft this way, or change who reads a finished reflection."""

    reflection_id: int
    visibility: VisibilityCode


@dataclass(frozen=True)
class Page(Payload, prefix="rf:l"):
    """One page of the teacher's own reflections (edited in place)."""

    page: int


@dataclass(frozen=True)
class Mine(Payload, prefix="rf:L"):
    """The first page of the teacher's own reflections, sent anew."""


@dataclass(frozen=True)
class Open(Payload, prefix="rf:o"):
    """Show one reflection whole (a draft is continued instead)."""

    reflection_id: int


@dataclass(frozen=True)
class Edit(Payload, prefix="rf:e"):
    """Ask which part of a finished reflection to change."""

    reflection_id: int


@dataclass(frozen=True)
class EditPart(Payload, prefix="rf:ep"):
    """Ask for the new text or voice note of one part."""

    reflection_id: int
    part: str


@dataclass(frozen=True)
class EditCancel(Payload, prefix="rf:ec"):
    """Leave a part as it was."""

    reflection_id: int


@dataclass(frozen=True)
class ShareOptions(Payload, prefix="rf:h"):
    """Offer the other ways of sharing a finished reflection."""

    reflection_id: int


@dataclass(frozen=True)
class Delete(Payload, prefix="rf:d"):
    """Ask before deleting a reflection or a draft."""

    reflection_id: int


@dataclass(frozen=True)
class DeleteConfirmed(Payload, prefix="rf:dd"):
    """Delete a reflection (and take its group post down)."""

    reflection_id: int


@dataclass(frozen=True)
class Play(Payload, prefix="rf:pv"):
    """Send a reflection's voice notes back to its author."""

    reflection_id: int


ACTIONS: tuple[type[Payload], ...] = (
    Start,
    ForCommunity,
    New,
    NewFor,
    NewForMeeting,
    Resume,
    ChooseMeeting,
    Back,
    Skip,
    Stop,
    KeepHeld,
    DropHeld,
    Share,
    Page,
    Mine,
    Open,
    Edit,
    EditPart,
    EditCancel,
    ShareOptions,
    Delete,
    DeleteConfirmed,
    Play,
)


def new_reflection(community_id: int | None, meeting_id: int | None) -> Payload:
    """Return the "new reflection" action for what is known of where it belongs."""
    if community_id is None:
        return New()
    if meeting_id is None:
        return NewFor(community_id)
    return NewForMeeting(community_id, meeting_id)
