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

When a step is saved: with what the step's handler does next. A step used to
be its own transaction, committed (and the update recorded as handled) before
the handler queued the step's prompt; a crash between the two left the form a
step on with no prompt ever sent, and the update, delivered again, skipped. Now,
while an update is handled, a form's changes wait (`FormSteps`, riding on the
update: storage/processed.py) and are written by the update's next transaction
that changes anything -- the prompt's, or the order's when "下达" is pressed --
or at the end of the update if nothing follows; a failed handler saves no step.
Until then this storage answers reads from the stored row with the waiting
changes applied. Outside an update (tests, tools) a change is written at once.

Reads go through the database's read snapshot (never queued behind the
writers); the first read of an update, aiogram's state lookup before the
handlers, takes the row read with the update instead (storage/update_reads.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from cascade.clock import Clock
from storage import processed, update_reads
from storage.conn import Connection
from storage.db import Database
from storage.form_repo import FormRow, SqliteFormRepository

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


@dataclass(frozen=True)
class Step:
    """One change to a form's row: `what` is "state", "data", "expire" or "take"."""

    what: str
    state: str | None = None
    at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def apply(self, row: FormRow) -> FormRow:
        """The row as the repository's statement for this change leaves it."""
        if self.what == "state":
            touched = self.at if self.state is not None else None
            return replace(row, state=self.state, touched_at=touched, expired=False)
        if self.what == "data":
            return replace(row, data=dict(self.data))
        if self.what == "expire":
            return FormRow(expired=True) if row.touched_at == self.at else row
        return replace(row, expired=False)

    async def write(self, forms: SqliteFormRepository, key: str) -> bool:
        if self.what == "state":
            assert self.at is not None
            await forms.set_state(key, self.state, self.at)
        elif self.what == "data":
            await forms.set_data(key, self.data)
        elif self.what == "expire":
            assert self.at is not None
            return await forms.expire(key, self.at)
        else:
            return await forms.take_expired(key)
        return True


@dataclass
class FormSteps:
    """A form's changes made while an update is handled, not written yet."""

    key: str
    steps: list[Step] = field(default_factory=list)

    def view(self, row: FormRow) -> FormRow:
        for step in self.steps:
            row = step.apply(row)
        return row

    async def write(self, conn: Connection) -> None:
        forms = SqliteFormRepository(conn)
        for step in self.steps:
            await step.write(forms, self.key)


class DatabaseFormStorage(BaseStorage):
    def __init__(self, db: Database, clock: Clock, ttl: timedelta = FORM_TTL) -> None:
        self.db = db
        self.clock = clock
        self.ttl = ttl

    async def _read(self, key: StorageKey) -> FormRow:
        """The form as stored, with this update's waiting changes; one that timed out
        is forgotten first (once, by whoever reads it first) and reads as no form."""
        name = key_text(key)
        reads = update_reads.current()
        row = reads.take_form(name) if reads is not None else None
        if row is None:
            async with self.db.snapshot() as tx:
                row = await tx.forms.get(name)
        waiting = processed.riding("form:" + name)
        if isinstance(waiting, FormSteps):
            row = waiting.view(row)
        touched = row.touched_at
        if touched is None or self.clock.now() - touched <= self.ttl:
            return row
        if await self._change(name, Step("expire", at=touched)):
            return FormRow(expired=True)
        return await self._read(key)  # another worker's newer step won: read it

    async def _change(self, name: str, step: Step) -> bool:
        """Make the change ride on the update being handled, or write it now; True
        when it took effect. Riding, an expiry or a take was decided on the row as
        this update sees it, and one chat's updates are handled one at a time
        (storage/chatlock.py), so it takes effect as seen; written now, another
        worker may have moved the row on first."""
        steps = processed.ride("form:" + name, FormSteps(name))
        if isinstance(steps, FormSteps):
            steps.steps.append(step)
            return True
        async with self.db.transaction() as tx:
            return await step.write(SqliteFormRepository(tx.conn), name)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        await self._change(key_text(key), Step("state", state=name, at=self.clock.now()))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._change(key_text(key), Step("data", data=dict(data)))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._read(key)).data)

    async def expired_just_now(self, key: StorageKey) -> bool:
        """True once for a form that timed out since its person last wrote."""
        if not (await self._read(key)).expired:
            return False
        return await self._change(key_text(key), Step("take"))

    async def close(self) -> None:
        """The database belongs to the bot, which closes it."""
