"""Small HTML helpers for Telegram's HTML parse mode: escaping and mentions."""

from __future__ import annotations

from html import escape


def esc(text: object) -> str:
    return escape(str(text), quote=False)


def mention(name: str | None, telegram_id: int | None) -> str:
    """A clickable mention where the id is known, the plain name otherwise."""
    label = esc(name or "?")
    if telegram_id is None:
        return label
    return f'<a href="tg://user?id={telegram_id}">{label}</a>'
