"""What the bot showed in groups, for the privacy tests (tests only)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import EditMessageText, SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile

from tests.support.tgfake import Harness


def group_texts(h: Harness) -> list[str]:
    """Every text, caption and file the bot sent or edited into a group (chat id < 0)."""
    out: list[str] = []
    for call in h.session.calls:
        chat_id: Any = getattr(call, "chat_id", None)
        if not isinstance(chat_id, int) or chat_id >= 0:
            continue
        if isinstance(call, SendMessage | EditMessageText):
            out.append(call.text)
        elif isinstance(call, SendDocument | SendPhoto):
            out.append(call.caption or "")
            media = call.document if isinstance(call, SendDocument) else call.photo
            if isinstance(media, BufferedInputFile):
                out.append(media.data.decode("utf-8-sig", errors="replace"))
    return out


def private_texts(h: Harness, user_id: int) -> list[str]:
    return [c.text for c in h.session.sends(user_id)]


def private_files(h: Harness, user_id: int) -> list[str]:
    """The contents of every file the bot sent to a person's private chat."""
    return [
        c.document.data.decode("utf-8-sig", errors="replace")
        for c in h.session.calls
        if isinstance(c, SendDocument)
        and c.chat_id == user_id
        and isinstance(c.document, BufferedInputFile)
    ]


def refuses(text: str) -> bool:
    """A refusal line of the access checks ("只有…可以…", "只有本单元及上级单元的成员…")."""
    return text.startswith("只有")
