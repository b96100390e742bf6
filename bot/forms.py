"""Guided forms (/order, /returnee): their state in the database, and a timeout.

Where the state lives: in the `form_states` table (storage/form_repo.py), not
in the process. Behind one webhook address several workers take a person's
updates in turn; the step they are at must be the same whichever worker gets
the next one, and must survive a worker's restart.

Why a timeout: a form left open used to wait forever for its next step, ready
to take the person's next reply as its answer. A form is forgotten `FORM_TTL`
after its last step (time from the injectable clock); a person who then
answers the stale prompt is told the form expired (`expired_just_now`) instead
of getting silence.

Reads go through the database's read snapshot (never queued behind the
writers); a write is one short transaction of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from cascade.clock import Clock
from storage.db import Database
from storage.form_repo import FormRow

FORM_TTL = timedelta(minutes=10)


def key_text(key: StorageKey) -> str:
    """aiogram's storage key as one text column (ids are 64-bit, written in full)."""
    return ":".join(
        str(part) if part is not None else ""
        for part in (
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.business_connection_id,
            key.destiny,
        )
    )


class DatabaseFormStorage(BaseStorage):
    def __init__(self, db: Database, clock: Clock, ttl: timedelta = FORM_TTL) -> None:
        self.db = db
        self.clock = clock
        self.ttl = ttl

    async def _read(self, key: StorageKey) -> FormRow:
        """The form as stored; one that timed out is forgotten first (once, by whoever
        reads it first) and reads as no form."""
        name = key_text(key)
        async with self.db.snapshot() as tx:
            row = await tx.forms.get(name)
        touched = row.touched_at
        if touched is None or self.clock.now() - touched <= self.ttl:
            return row
        async with self.db.transaction() as tx:
            await tx.forms.expire(name, touched)
            row = await tx.forms.get(name)
        return row

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        async with self.db.transaction() as tx:
            await tx.forms.set_state(key_text(key), name, self.clock.now())

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self.db.transaction() as tx:
            await tx.forms.set_data(key_text(key), dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._read(key)).data

    async def expired_just_now(self, key: StorageKey) -> bool:
        """True once for a form that timed out since its person last wrote."""
        if not (await self._read(key)).expired:
            return False
        async with self.db.transaction() as tx:
            return await tx.forms.take_expired(key_text(key))

    async def close(self) -> None:
        """The database belongs to the bot, which closes it."""
