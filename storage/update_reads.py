"""What every incoming update reads before its handler, for many updates at once.

Why: each update used to open three or four transactions of its own before its
handler ran: whether it was handled before (bot/once.py), the chat's unit
(bot/context.py), the person's form step (bot/forms.py) and, for a reply, what
the replied message was made for (bot/filters.py). Each one took the writers'
lock for several hand-offs to the database thread, so in an answer storm the
updates queued behind each other's lookups, not behind the answers
(benchmarks/RESULTS.md, "per update"). Here the updates in flight together are
read with one statement per table, on a connection of their own
(`Database.lookup`), beside the writers.

Only committed rows are read, exactly as before: the lookups ran in transactions
of their own under the writers' lock, which no decision held open. One chat's
updates are handled one after another (bot/dispatch.py; across webhook workers,
storage/chatlock.py), so an update's reads see everything its chat's earlier
updates wrote. A delivery racing another of the same update is still stopped at
COMMIT by the processed record's unique keys (storage/processed.py).

`UpdateReads` is what one update was read; `reading(...)` hands it to the task
handling the update, where the middlewares, the form storage and the reply filter
find it with `current()` (and read for themselves where it is missing).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cascade.outgoing import MessageRef
from cascade.tower import UnitRef
from storage.conn import Connection, Row
from storage.form_repo import COLUMNS as FORM_COLUMNS
from storage.form_repo import FormRow, form_of
from storage.outbox_repo import MESSAGE_REF_COLUMNS, message_ref_of
from storage.tower_repo import REF_COLUMNS, ref_of

K = TypeVar("K")
# Bound parameters per statement, well under either engine's limit.
CHUNK = 250
# Updates read together at most.
LIMIT = 256


@dataclass(frozen=True)
class UpdateQuestion:
    """What one update needs to know; None where it needs nothing."""

    bot_id: int
    update_id: int
    key: str | None  # the processed record's key (bot/once.py: update_key)
    chat_id: int | None = None
    form_key: str | None = None  # bot/forms.py: key_text of the person's form
    replied: tuple[int, int] | None = None  # (chat, message) a reply answers


@dataclass
class UpdateReads:
    """What was read for one update (see the module). `unit`, `form` and `ref` are
    meaningful only where the question asked for them (`chat_id`, `form_key`,
    `replied`)."""

    question: UpdateQuestion
    seen: bool = False
    unit: UnitRef | None = None
    serving: int | None = None  # the unit's `send_lanes.bot_id` (storage/lanes.py)
    form: FormRow | None = None
    ref: MessageRef | None = None
    task: asyncio.Task[Any] | None = field(default=None, compare=False)

    def unit_of(self, chat_id: int) -> tuple[bool, UnitRef | None]:
        """(whether it was read, the chat's unit)."""
        return self.question.chat_id == chat_id, self.unit

    def ref_of(self, chat_id: int, message_id: int) -> tuple[bool, MessageRef | None]:
        """(whether it was read, what the message was made for)."""
        return self.question.replied == (chat_id, message_id), self.ref

    def take_form(self, key: str) -> FormRow | None:
        """The form as read before the handler, once: after a step of this update
        the storage reads the row again (with the step riding on the update)."""
        if self.form is None or self.question.form_key != key:
            return None
        form, self.form = self.form, None
        return form


def _chunks(items: Sequence[K]) -> Iterator[tuple[list[K], str]]:
    for start in range(0, len(items), CHUNK):
        part = list(items[start : start + CHUNK])
        yield part, ",".join("?" * len(part))


async def _rows(conn: Connection, sql: str, params: Sequence[Any]) -> list[Row]:
    return list(await conn.execute_fetchall(sql, params))


async def read_updates(conn: Connection, questions: list[UpdateQuestion]) -> list[UpdateReads]:
    """One statement per table (per CHUNK) for all of `questions`, in their order."""
    out = [UpdateReads(q) for q in questions]
    for bot_id in {q.bot_id for q in questions}:
        mine = [r for r in out if r.question.bot_id == bot_id]
        ids = [r.question.update_id for r in mine]
        keys = [r.question.key for r in mine if r.question.key is not None]
        seen_ids: set[int] = set()
        seen_keys: set[str] = set()
        for part, marks in _chunks(ids):
            sql = f"SELECT update_id FROM processed_updates WHERE bot_id = ? AND update_id IN ({marks})"
            seen_ids.update(int(row[0]) for row in await _rows(conn, sql, [bot_id, *part]))
        for names, marks in _chunks(keys):
            sql = f"SELECT key FROM processed_updates WHERE bot_id = ? AND key IN ({marks})"
            seen_keys.update(str(row[0]) for row in await _rows(conn, sql, [bot_id, *names]))
        for r in mine:
            r.seen = r.question.update_id in seen_ids or r.question.key in seen_keys
    chats = list(dict.fromkeys(q.chat_id for q in questions if q.chat_id is not None))
    units: dict[int, UnitRef] = {}
    for part, marks in _chunks(chats):
        sql = f"SELECT {REF_COLUMNS} FROM units WHERE chat_id IN ({marks})"
        for row in await _rows(conn, sql, part):
            units[int(row["chat_id"])] = ref_of(row)
    # Which bot serves each unit's group (several tokens: bot/once.py skips the others').
    serving: dict[str, int] = {}
    for codes, marks in _chunks(list(dict.fromkeys(u.code for u in units.values()))):
        sql = f"SELECT unit_code, bot_id FROM send_lanes WHERE unit_code IN ({marks})"
        serving.update((str(row[0]), int(row[1])) for row in await _rows(conn, sql, codes))
    form_keys = list(dict.fromkeys(q.form_key for q in questions if q.form_key is not None))
    forms: dict[str, FormRow] = {}
    for names, marks in _chunks(form_keys):
        sql = f"SELECT {FORM_COLUMNS}, key FROM form_states WHERE key IN ({marks})"
        for row in await _rows(conn, sql, names):
            forms[str(row[4])] = form_of(row)
    replied = list(dict.fromkeys(q.replied for q in questions if q.replied is not None))
    refs: dict[tuple[int, int], MessageRef] = {}
    for pairs, marks in _chunks(replied):
        # Both columns of the primary key, then the pairs: portable and indexed.
        sql = (
            f"SELECT chat_id, message_id, {MESSAGE_REF_COLUMNS} FROM message_refs "
            f"WHERE chat_id IN ({marks}) AND message_id IN ({marks})"
        )
        wanted = set(pairs)
        params = [c for c, _ in pairs] + [m for _, m in pairs]
        for row in await _rows(conn, sql, params):
            pair = (int(row["chat_id"]), int(row["message_id"]))
            if pair in wanted:
                refs[pair] = message_ref_of(row)
    for r in out:
        q = r.question
        r.unit = units.get(q.chat_id) if q.chat_id is not None else None
        r.serving = serving.get(r.unit.code) if r.unit is not None else None
        r.form = forms.get(q.form_key, FormRow()) if q.form_key is not None else None
        r.ref = refs.get(q.replied) if q.replied is not None else None
    return out


async def unit_locales(conn: Connection, chats: Sequence[int]) -> dict[int, str]:
    """The language of the unit bound to each of `chats` (a chat with none is left
    out), one statement per CHUNK: the early toasts of a polled batch's presses
    (bot/press_replies.py, `languages`)."""
    out: dict[int, str] = {}
    for part, marks in _chunks(list(dict.fromkeys(chats))):
        sql = f"SELECT chat_id, locale FROM units WHERE chat_id IN ({marks})"
        out.update((int(row[0]), str(row[1])) for row in await _rows(conn, sql, part))
    return out


_current: contextvars.ContextVar[UpdateReads | None] = contextvars.ContextVar(
    "towerbot_update_reads", default=None
)


@contextmanager
def reading(reads: UpdateReads) -> Iterator[UpdateReads]:
    """Hand `reads` to the current task (the one handling the update) for the block."""
    reads.task = asyncio.current_task()
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)


def current() -> UpdateReads | None:
    """What was read for the update this task handles (tasks it started see nothing:
    they may run after the update's own writes)."""
    reads = _current.get()
    if reads is None or reads.task is not asyncio.current_task():
        return None
    return reads


Lookup = Callable[[], AbstractAsyncContextManager[Connection]]


class UpdateReader:
    """Reads the questions of the updates in flight together (see the module): one
    arriving at an idle moment waits one turn of the loop for company; later ones
    gather while the reads before them run."""

    def __init__(self, lookup: Lookup, limit: int = LIMIT) -> None:
        self.lookup = lookup
        self.limit = limit
        self._queue: list[tuple[UpdateQuestion, asyncio.Future[UpdateReads]]] = []
        self._runner: asyncio.Task[None] | None = None
        self.batches = 0

    async def read(self, question: UpdateQuestion) -> UpdateReads:
        """What `question` asks, read with the others in flight (a database error is
        raised to every update of the batch)."""
        future: asyncio.Future[UpdateReads] = asyncio.get_running_loop().create_future()
        self._queue.append((question, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="update-reads")
        return await future

    async def _run(self) -> None:
        batch: list[tuple[UpdateQuestion, asyncio.Future[UpdateReads]]] = []
        try:
            await asyncio.sleep(0)
            while self._queue:
                batch, self._queue = self._queue[: self.limit], self._queue[self.limit :]
                batch = [(q, f) for q, f in batch if not f.done()]
                if not batch:
                    continue
                try:
                    async with self.lookup() as conn:
                        reads = await read_updates(conn, [q for q, _ in batch])
                except Exception as exc:  # each update's middleware decides what it means
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for (_, future), got in zip(batch, reads, strict=True):
                        if not future.done():
                            future.set_result(got)
                self.batches += 1
                batch = []
        except BaseException:
            # Stopped (the bot shuts down): nobody may wait for reads that never come.
            for _, future in batch + self._queue:
                if not future.done():
                    future.cancel()
            self._queue = []
            raise
