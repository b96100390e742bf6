"""A presenter with plain words, and what a service queued, for the service tests on
a real database: each message's text is the name of the presenter method that made
it, so a test checks which notice went to which chat without any wording."""

from __future__ import annotations

from collections.abc import Callable

from cascade.outgoing import Rendered
from storage.db import Database


class PlainWords:
    """Any presenter protocol: every method renders its own name."""

    def __getattr__(self, name: str) -> Callable[..., Rendered]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: Rendered(text=name)

    def children_done(self, *args: object) -> list[Rendered]:
        """A merged notice is a list of messages (one here)."""
        return [Rendered(text="children_done")]

    def merged_list(self, *args: object) -> tuple[Rendered, None]:
        """A list order's merged list: the message, and no file."""
        return Rendered(text="merged_list"), None


async def sent(db: Database) -> list[tuple[int, str]]:
    """Every queued message as (chat, presenter method), sorted."""
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=100))
    return sorted((r.message.chat_id, r.message.text) for r in rows)
