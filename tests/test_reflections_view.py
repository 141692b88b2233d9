"""A reflection of any length is shown whole, in messages Telegram accepts."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reflections_view import Atom, escaped_pieces, pack
from models.lengths import utf16_len

TEXT = st.text(alphabet=st.sampled_from(list("ab <&>\n😊é")), max_size=400)


@settings(max_examples=200, deadline=None)
@given(raw=TEXT, budget=st.integers(min_value=12, max_value=60))
def test_pieces_fit_and_lose_nothing_but_the_separators_cut_at(raw: str, budget: int) -> None:
    pieces = escaped_pieces(raw, budget)
    assert all(utf16_len(piece) <= budget for piece in pieces)
    joined = "".join(html.unescape(piece) for piece in pieces)
    dropped = len(raw) - len(joined)
    assert 0 <= dropped <= max(len(pieces) - 1, 0)
    assert joined.replace(" ", "").replace("\n", "") == raw.replace(" ", "").replace("\n", "")


@settings(max_examples=100, deadline=None)
@given(sizes=st.lists(st.integers(min_value=1, max_value=50), max_size=20))
def test_packed_messages_keep_every_atom_in_order_within_the_limit(sizes: list[int]) -> None:
    atoms = [Atom(str(n % 10) * size) for n, size in enumerate(sizes)]
    messages = pack(atoms, limit=60)
    assert all(utf16_len(m) <= 60 for m in messages)
    assert "".join(messages).replace("\n", "") == "".join(a.html for a in atoms)
