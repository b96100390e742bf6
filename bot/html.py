"""Telegram HTML in one place: a marker type for markup, escaping, mentions.

Every parameter of a message is escaped exactly once, where the text is
rendered (`Texts.get`), unless it is `Markup`: a fragment that is already
valid Telegram HTML (a rendered text, a mention, a joined list of those).
Concatenating or joining `Markup` with plain text escapes the plain text, so
a name like ``<b>&"`` can never open a tag or be escaped twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape, unescape
from typing import SupportsIndex


class Markup(str):
    """Text that is already Telegram HTML; everything else is escaped on contact."""

    __slots__ = ()

    def __add__(self, other: str) -> Markup:
        return Markup(str.__add__(self, esc(other)))

    def __radd__(self, other: str) -> Markup:
        return Markup(str.__add__(esc(other), self))

    def __mul__(self, count: SupportsIndex) -> Markup:
        return Markup(str.__mul__(self, count))

    def join(self, parts: Iterable[str]) -> Markup:
        return Markup(str.join(self, (esc(p) for p in parts)))

    # Trimming markup leaves markup (the str versions would drop the marker).
    def strip(self, chars: str | None = None) -> Markup:
        return Markup(str.strip(self, chars))

    def rstrip(self, chars: str | None = None) -> Markup:
        return Markup(str.rstrip(self, chars))

    def lstrip(self, chars: str | None = None) -> Markup:
        return Markup(str.lstrip(self, chars))


def esc(text: object) -> Markup:
    """`text` as HTML: plain text escaped, `Markup` kept as it is."""
    if isinstance(text, Markup):
        return text
    return Markup(escape(str(text), quote=False))


def mention(name: str | None, telegram_id: int | None) -> Markup:
    """A clickable mention where the id is known, the plain name otherwise."""
    label = esc(name or "?")
    if telegram_id is None:
        return label
    return Markup(f'<a href="tg://user?id={telegram_id}">{label}</a>')


def join(separator: str, parts: Iterable[object]) -> Markup:
    """Parts (escaped unless `Markup`) joined by a plain separator."""
    return Markup(esc(separator).join(esc(p) for p in parts))


_TAG = re.compile(r"<[^>]*>")


def plain(text: str) -> str:
    """What a person sees of `text` where no HTML is parsed (toasts, alerts, chart labels)."""
    return unescape(_TAG.sub("", text))
