"""Plain messages written directly (bot/i18n.py `_plain_parts`) read as Fluent writes them.

A message made only of text and `{ $name }` placeables skips Fluent's resolver
(a city's answer storm renders one such text per answer). Whatever the
arguments -- names with HTML in them, negative and large numbers, flags,
missing arguments, overlong names -- the text must be exactly Fluent's, or the
same error.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import SUPPORTED, Texts, Variable

TEXTS = Texts()
PLAIN = [
    (locale, key, parts)
    for locale in SUPPORTED
    for key in sorted(TEXTS.keys(locale))
    if (parts := TEXTS._plain_parts(locale, key)) is not None
]


def fluent(locale: str, key: str, args: dict[str, object]) -> str:
    try:
        return str(TEXTS._resolve(locale, key, args))
    except ValueError:
        return "error"


def direct(locale: str, key: str, args: dict[str, object]) -> str:
    try:
        return str(TEXTS.get(locale, key, **args))
    except ValueError:
        return "error"


def test_most_messages_are_plain_and_some_are_not() -> None:
    # Not vacuous: the answer texts are plain, plural selections are not.
    plain = {(locale, key) for locale, key, _ in PLAIN}
    assert ("zh-Hans", "answer-count") in plain and ("en", "answer-ack") in plain
    assert len(plain) < sum(len(TEXTS.keys(locale)) for locale in SUPPORTED)


values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(['<b>"甲&乙"</b>', "a'b", "", "x" * 2600]),
    st.integers(-(10**12), 10**12),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(pick=st.integers(0, len(PLAIN) - 1), data=st.data())
def test_a_plain_message_reads_as_fluent_writes_it(pick: int, data: st.DataObject) -> None:
    locale, key, parts = PLAIN[pick]
    names = sorted({p for p in parts if type(p) is Variable})
    args = {name: data.draw(values) for name in names if data.draw(st.integers(0, 9)) > 0}
    assert direct(locale, key, args) == fluent(locale, key, args)


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_plain_message_with_typical_arguments(locale: str) -> None:
    for at, key, parts in PLAIN:
        if at != locale:
            continue
        args = {
            p: (1234567 if i % 2 else "单位<甲>")
            for i, p in enumerate(parts)
            if type(p) is Variable
        }
        assert direct(locale, key, args) == fluent(locale, key, args), key
