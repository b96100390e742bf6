"""Each incoming update takes effect once: its id is recorded with its decision.

An update's inbox row (storage/inbox.py, long polling) is deleted some time after
its decision commits, and a webhook's update is answered after it, so a crash in
between hands the same update over again after the restart; a server may also
deliver one update twice. The bot marks
the update it is handling (`handling`, a context variable); the first
transaction of that update that changes anything writes a `processed_updates`
row **before its COMMIT**, so the decision and the record of the update that
caused it are durable together or not at all. A later delivery of the same
update id — or of the same message or press under another update id — is
found by `already_handled` and skipped; a delivery racing the first is
stopped by the table's unique keys at commit (`AlreadyHandled`, rolled back).

Only the task that handles the update records it: timers or tasks started
from inside a handler inherit the context variable but are not the update's
decision. An answer decided in a batch (cascade/answer_batch.py) runs in the
batch's task: the caller hands its mark over (`CARRIER.take`), and the batch's
transaction records the marks of the answers it decided (`CARRIER.carrying`)
and writes what rides on them before its COMMIT, so each of them is durable
together with its update's record and its form step.

Writes may also *ride* on the update (`ride`): a guided form's step is saved by
the update's next transaction that changes anything -- the one that queues the
step's prompt -- or, if the handler queues nothing after it, by one transaction
at the end of the update (`write_riders`). So a step and its prompt are durable
together: a crash between them can no longer leave a form one step on, with its
prompt never sent and the update that caused it skipped as handled. A handler
that fails drops its riders (`drop_riders`): its step is not saved either.
"""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from storage.conn import Connection, IntegrityError

# Telegram keeps undelivered updates for 24 hours; ids this far behind the
# newest can never come back, so their rows are pruned now and then.
KEEP_IDS = 1_000_000
PRUNE_EVERY = 1_000


class AlreadyHandled(BaseException):
    """This update (or its message or press) was recorded by an earlier delivery.

    A BaseException so the error handlers' `except Exception` paths never turn
    it into an apology: the middleware that marked the update swallows it.
    """


class Rider(Protocol):
    """Writes that wait for the update's next changing transaction (see the docstring)."""

    async def write(self, conn: Connection) -> None: ...


@dataclass
class UpdateMark:
    bot_id: int
    update_id: int
    key: str | None
    task: asyncio.Task[object] | None = field(default=None)
    recorded: bool = False
    riders: dict[str, Rider] = field(default_factory=dict)


_current: contextvars.ContextVar[UpdateMark | None] = contextvars.ContextVar(
    "towerbot_update", default=None
)


@contextmanager
def handling(bot_id: int, update_id: int, key: str | None) -> Iterator[UpdateMark]:
    """Mark the update the current task is handling, for the length of the block."""
    mark = UpdateMark(bot_id, update_id, key, asyncio.current_task())
    token = _current.set(mark)
    try:
        yield mark
    finally:
        _current.reset(token)


def handled_here() -> UpdateMark | None:
    """The update this task is handling, if any (only its own task, as for recording)."""
    mark = _current.get()
    if mark is None or mark.task is not asyncio.current_task():
        return None
    return mark


def ride(name: str, rider: Rider) -> Rider | None:
    """Let `rider` (or the one already riding under `name`) wait for the update's next
    changing transaction; returns it, or None when no update is handled here (the
    caller then writes at once)."""
    mark = handled_here()
    if mark is None:
        return None
    return mark.riders.setdefault(name, rider)


def riding(name: str) -> Rider | None:
    """The rider waiting under `name` on the update handled here, if any."""
    mark = handled_here()
    return mark.riders.get(name) if mark is not None else None


async def write_riders(conn: Connection) -> None:
    """Write every rider of the update handled here inside the open transaction, and
    those of the updates carried into a batch (kept until the batch commits,
    `committed`: if it rolls back, each answer is decided again in its own task)."""
    mark = handled_here()
    if mark is not None and mark.riders:
        riders = list(mark.riders.values())
        mark.riders.clear()
        for rider in riders:
            await rider.write(conn)
    for carried in _carried.get() or []:
        for rider in list(carried.riders.values()):
            await rider.write(conn)


def committed(marks: list[UpdateMark]) -> None:
    """The transaction that recorded `marks` committed: they are handled, and what
    rode on the updates carried into it is written."""
    for mark in marks:
        mark.recorded = True
    for carried in _carried.get() or []:
        carried.riders.clear()


def drop_riders() -> None:
    """The update's handler failed: what rode on it is not written."""
    mark = handled_here()
    if mark is not None:
        mark.riders.clear()


_carried: contextvars.ContextVar[list[UpdateMark] | None] = contextvars.ContextVar(
    "towerbot_carried_updates", default=None
)


class Carrier:
    """Hands the updates of answers decided in a batch to the batch's transaction
    (cascade.ports.UpdateCarrier)."""

    def take(self) -> object | None:
        """In the task handling an update: its mark, if no transaction recorded it yet
        or something rides on it (a form step is saved with the answer)."""
        mark = handled_here()
        if mark is None or (mark.recorded and not mark.riders):
            return None
        return mark

    @contextmanager
    def carrying(self, updates: list[object]) -> Iterator[None]:
        """In a batch's task: a transaction opened inside records `updates` (filled
        while the batch decides) with its own decision."""
        token = _carried.set(updates)  # type: ignore[arg-type]  # only UpdateMarks go in
        try:
            yield
        finally:
            _carried.reset(token)


CARRIER = Carrier()


def pending_marks(changed: bool) -> list[UpdateMark]:
    """The updates this transaction must record: its task's own (if this is the
    update's first change) and those carried into a batch."""
    own = pending_mark(changed)
    carried = [mark for mark in _carried.get() or [] if not mark.recorded]
    return ([own] if own is not None else []) + carried


def pending_mark(changed: bool) -> UpdateMark | None:
    """The update this transaction must record, if it is the update's first change."""
    mark = handled_here()
    if mark is None or mark.recorded or not changed:
        return None
    return mark


RECORD = "INSERT INTO processed_updates (bot_id, update_id, key) VALUES (?, ?, ?)"
PRUNE = "DELETE FROM processed_updates WHERE bot_id = ? AND update_id < ?"


def _rows(marks: list[UpdateMark]) -> list[tuple[int, int, str | None]]:
    return [(mark.bot_id, mark.update_id, mark.key) for mark in marks]


def _prunes(marks: list[UpdateMark]) -> list[tuple[int, int]]:
    """Now and then an update prunes the ids that can never come back."""
    return [(m.bot_id, m.update_id - KEEP_IDS) for m in marks if m.update_id % PRUNE_EVERY == 0]


def _handled_before(marks: list[UpdateMark]) -> AlreadyHandled:
    ids = ", ".join(f"{mark.update_id} ({mark.key})" for mark in marks)
    return AlreadyHandled(f"update {ids} was handled before")


async def record(conn: Connection, marks: list[UpdateMark]) -> None:
    """Write the updates' rows inside the open transaction (raises AlreadyHandled if
    one was recorded before: the whole transaction is then rolled back)."""
    try:
        await conn.executemany(RECORD, _rows(marks))
    except IntegrityError as exc:
        raise _handled_before(marks) from exc
    for row in _prunes(marks):
        await conn.execute(PRUNE, row)


def record_here(db: sqlite3.Connection, marks: list[UpdateMark]) -> None:
    """`record` on SQLite's own thread (storage/handoff.py), where a transaction's
    records go with its COMMIT in one hand-off (storage/db.py)."""
    try:
        db.executemany(RECORD, _rows(marks))
    except sqlite3.IntegrityError as exc:
        raise _handled_before(marks) from exc
    db.executemany(PRUNE, _prunes(marks))


async def already_handled(conn: Connection, bot_id: int, update_id: int, key: str | None) -> bool:
    async with conn.execute(
        "SELECT 1 FROM processed_updates WHERE bot_id = ? AND (update_id = ? OR key = ?)",
        (bot_id, update_id, key),
    ) as cur:
        return await cur.fetchone() is not None
