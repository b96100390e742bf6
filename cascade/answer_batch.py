"""Group commit for answers: concurrent answers share one transaction.

Why: alone, an answer costs a dozen hand-offs to the database's thread and a
COMMIT of its own; in a city's answer storm those hand-offs, not SQLite, are
the ceiling. So answers that arrive while the previous batch is written (or
within `window` seconds of an idle moment) are gathered. Their orders, units,
commanders and chains are read in a few queries; then each answer is decided,
one after the other and in arrival order, by the same service code that decides
an answer alone, against a view (`BatchView`) that serves those rows from
memory and keeps the writes; the writes go out in one call (one statement per table),
one COMMIT follows, and only then is each caller released with its own outcome.
An answer is therefore acknowledged only once it is durable; a crash before the
COMMIT loses only answers nobody was told about.

Exactness: the rows an answer saves are what the next answer of the batch reads
(an ancestor that several answers share is rolled up by each in turn, exactly
as if they came one transaction after another). A refusal fails only its own
answer: its reads changed nothing and its writes are dropped. Anything else
going wrong (a bug, a replayed update found at COMMIT, a refusal after the view
had to write early) rolls the whole batch back and every caller then decides
alone, in a transaction of its own, as without batching.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from cascade.errors import Refused
from cascade.orders import Order, TargetState
from cascade.outgoing import Note, OutgoingMessage
from cascade.ports import (
    AnswerKey,
    AnswerWrites,
    Membership,
    UnitOfWork,
    UnitOfWorkFactory,
    UnitRef,
    UpdateCarrier,
)
from cascade.targeting import OrderFilter
from cascade.tower import Position

log = logging.getLogger(__name__)

T = TypeVar("T")
# Seconds an answer arriving at an idle moment waits for company.
WINDOW = 0.002
# Answers decided in one transaction at most.
LIMIT = 256
# Answers decided between two turns of the loop given to other work (a turn after
# every answer cost ~0.4 ms a batch of 64, a tenth of deciding them).
YIELD_EVERY = 16


class _Alone:
    """The batch failed as a whole: the caller decides alone."""


ALONE = _Alone()


@dataclass
class _Request:
    key: AnswerKey
    decide: Callable[[UnitOfWork], Awaitable[Any]]
    future: asyncio.Future[Any]
    update: object | None


class AnswerBatcher:
    """Gathers answers and decides them in shared transactions (see the module)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        updates: UpdateCarrier | None = None,
        window: float = WINDOW,
        limit: int = LIMIT,
        batches: UnitOfWorkFactory | None = None,
    ) -> None:
        """`batches` opens a batch's transaction (`uow` if not given), whose first call
        is always the answers' read and last the answers' write: an engine may begin
        the transaction with that read (storage/db.py `answer_batch`). An answer
        decided alone uses `uow`."""
        self.uow = uow
        self.batch_uow = batches or uow
        self.updates = updates
        self.window = window
        self.limit = limit
        self._queue: list[_Request] = []
        self._runner: asyncio.Task[None] | None = None
        self.batches = 0
        self.decided = 0

    async def submit(self, key: AnswerKey, decide: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Decide one answer (`decide` runs the service's decision on a unit of
        work) in the next batch; returns once it is committed, or raises its refusal."""
        update = self.updates.take() if self.updates is not None else None
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append(_Request(key, decide, future, update))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="answer-batches")
        outcome = await future
        if outcome is ALONE:
            async with self.uow() as tx:
                return await decide(tx)
        return cast(T, outcome)

    async def _run(self) -> None:
        # An answer arriving at an idle moment waits `window` for others; later
        # batches form while the one before is written (the callers it released
        # get one turn of the loop to send their next answers).
        await asyncio.sleep(self.window)
        while self._queue:
            batch, self._queue = self._queue[: self.limit], self._queue[self.limit :]
            batch = [r for r in batch if not r.future.cancelled()]
            if batch:
                await self._write(batch)
            await asyncio.sleep(0)

    async def _write(self, batch: list[_Request]) -> None:
        carried: list[object] = []
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.updates.carrying(carried) if self.updates is not None else _nothing():
                async with self.batch_uow() as tx:
                    view = BatchView(tx)
                    await view.read_ahead([r.key for r in batch])
                    for number, request in enumerate(batch, 1):
                        view.begin()
                        try:
                            outcome = await request.decide(cast(UnitOfWork, view))
                        except Refused as refusal:
                            view.drop()
                            outcomes.append((False, refusal))
                            continue
                        view.keep()
                        if request.update is not None:
                            carried.append(request.update)
                        outcomes.append((True, outcome))
                        if number % YIELD_EVERY == 0:
                            # Deciding from memory never yields: let a /status or a press
                            # in between, rather than hold the loop for the whole batch.
                            await asyncio.sleep(0)
                    await view.flush()
        except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
            for request in batch:
                if not request.future.done():
                    request.future.cancel()
            raise
        except BaseException:  # any other failure: each caller decides alone
            log.warning(
                "a batch of %d answers failed; deciding each alone", len(batch), exc_info=True
            )
            for request in batch:
                if not request.future.done():
                    request.future.set_result(ALONE)
            return
        self.batches += 1
        self.decided += len(batch)
        for request, (ok, outcome) in zip(batch, outcomes, strict=True):
            if request.future.done():
                continue
            if ok:
                request.future.set_result(outcome)
            else:
                request.future.set_exception(outcome)


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _nothing() -> _Nothing:
    return _Nothing()


class _WroteEarly(Exception):
    """A refused answer's writes already went to the database: the batch must go."""


@dataclass
class _Writes:
    """Writes kept in memory until the batch (or an early read) sends them."""

    states: dict[tuple[int, str], TargetState] = field(default_factory=dict)
    orders: dict[int, Order] = field(default_factory=dict)
    done: dict[int, dict[int, int]] = field(default_factory=dict)
    dirty: dict[int, dict[str, None]] = field(default_factory=dict)
    discards: list[str] = field(default_factory=list)
    outbox: list[OutgoingMessage | Note] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.states or self.orders or self.done or self.dirty or self.discards or self.outbox
        )

    def merge(self, later: _Writes) -> None:
        self.states.update(later.states)
        self.orders.update(later.orders)
        for order_id, counts in later.done.items():
            _add_counts(self.done, order_id, counts)
        for order_id, codes in later.dirty.items():
            self.dirty.setdefault(order_id, {}).update(codes)
        self.discards += later.discards
        self.outbox += later.outbox


def _add_counts(into: dict[int, dict[int, int]], order_id: int, counts: dict[int, int]) -> None:
    """Per-level counts added (plain dicts: `Counter.update` cost more than the sums)."""
    mine = into.setdefault(order_id, {})
    for level, count in counts.items():
        mine[level] = mine.get(level, 0) + count


class BatchView:
    """A unit of work for the answers of one batch, over the batch's transaction.

    Reads of what `read_ahead` loaded come from memory (a copy each time, so an
    answer that is refused half-way leaves nothing behind); the answer path's
    writes are kept per answer (`begin`, `keep`, `drop`) and sent by `flush`.
    Any other call first sends what is kept, then goes to the real repository,
    so it reads what the answers before it wrote."""

    def __init__(self, tx: UnitOfWork) -> None:
        self.tx = tx
        self.kept = _Writes()
        self.journal = _Writes()
        self.wrote_early = False
        self.order_rows: dict[int, Order | None] = {}
        self.filters: dict[int, OrderFilter | None] = {}
        self.units: dict[int, UnitRef | None] = {}
        self.unit_refs: dict[str, UnitRef] = {}
        self.position_of: dict[tuple[str, int], Position | None] = {}
        self.names: dict[int, str | None] = {}
        self.rows: dict[tuple[int, str], TargetState] = {}
        self.chain_codes: dict[tuple[int, str], list[str]] = {}
        self.locked: set[int] = set()
        self.tower = _Tower(self)
        self.orders = _Orders(self)
        self.outbox = _Outbox(self)
        self.timers = _Timers(self)
        self.people = _People(self)

    def __getattr__(self, name: str) -> Any:
        # refs, invites, incidents, scores: tables the answer path neither keeps
        # writes for nor reads ahead.
        return getattr(self.tx, name)

    async def read_ahead(self, keys: list[AnswerKey]) -> None:
        """Everything the answers of `keys` will read, in one call."""
        reads = await self.tx.answers.read(keys)
        self.units.update(reads.units)
        self.order_rows.update(reads.orders)
        self.filters.update(reads.filters)
        self.unit_refs.update(reads.refs)
        self.position_of.update(reads.positions)
        self.names.update(reads.names)
        self.locked.update(reads.locked)
        for (order_id, code), chain in reads.chains.items():
            self._remember_chain(order_id, code, chain)

    def _remember_chain(self, order_id: int, code: str, chain: list[TargetState]) -> None:
        self.chain_codes[(order_id, code)] = [s.unit_code for s in chain]
        for state in chain:
            self.rows[(order_id, state.unit_code)] = state

    def state(self, order_id: int, code: str) -> TargetState:
        key = (order_id, code)
        return self.journal.states[key] if key in self.journal.states else self.rows[key]

    def begin(self) -> None:
        """The next answer starts."""
        self.journal = _Writes()
        self.wrote_early = False

    def keep(self) -> None:
        """The answer was decided: what it wrote is what the next ones read."""
        self.rows.update(self.journal.states)
        self.order_rows.update(self.journal.orders)
        self.kept.merge(self.journal)
        self.journal = _Writes()

    def drop(self) -> None:
        """The answer was refused: forget its writes (raises if they were sent)."""
        if self.wrote_early:
            raise _WroteEarly("a refused answer had written to the database")
        self.journal = _Writes()

    async def flush(self) -> None:
        """Send every kept write (and the current answer's) to the transaction."""
        writes, current = self.kept, self.journal
        writes.merge(current)
        self.kept, self.journal = _Writes(), _Writes()
        if writes.empty:
            return
        if not current.empty:
            self.wrote_early = True
            self.rows.update(current.states)
            self.order_rows.update(current.orders)
        await self.tx.answers.write(
            AnswerWrites(
                states=list(writes.states.values()),
                orders=list(writes.orders.values()),
                done={order_id: dict(counts) for order_id, counts in writes.done.items()},
                dirty={order_id: list(codes) for order_id, codes in writes.dirty.items()},
                discards=writes.discards,
                messages=writes.outbox,
            )
        )


class _Passing:
    """Calls the view does not serve: kept writes first, then the real repository."""

    def __init__(self, view: BatchView, real: object) -> None:
        self._view = view
        self._real = real

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._real, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            await self._view.flush()
            return await method(*args, **kwargs)

        return call


class _Tower(_Passing):
    def __init__(self, view: BatchView) -> None:
        super().__init__(view, view.tx.tower)
        self.view = view

    async def by_chat(self, chat_id: int) -> UnitRef | None:
        if chat_id not in self.view.units:
            self.view.units[chat_id] = await self.view.tx.tower.by_chat(chat_id)
        return self.view.units[chat_id]

    async def position(self, code: str, telegram_id: int) -> Position | None:
        key = (code, telegram_id)
        if key not in self.view.position_of:
            self.view.position_of[key] = await self.view.tx.tower.position(code, telegram_id)
        return self.view.position_of[key]

    async def refs(self, codes: Iterable[str]) -> dict[str, UnitRef]:
        """The first decision of a batch that names a unit not read ahead (a unit
        done, a report) reads those of every chain of the batch with it: at most one
        hand-off a batch for them, and none in most batches. Units are not written
        by answers, so nothing kept needs sending first."""
        wanted = list(dict.fromkeys(codes))
        known = self.view.unit_refs
        if any(c not in known for c in wanted):
            chains = (c for chain in self.view.chain_codes.values() for c in chain)
            missing = [c for c in dict.fromkeys([*wanted, *chains]) if c not in known]
            known.update(await self.view.tx.tower.refs(missing))
        return {c: known[c] for c in wanted if c in known}

    async def ref(self, code: str) -> UnitRef | None:
        return (await self.refs([code])).get(code)

    async def person_name(self, telegram_id: int) -> str | None:
        if telegram_id not in self.view.names:
            self.view.names[telegram_id] = await self.view.tx.tower.person_name(telegram_id)
        return self.view.names[telegram_id]

    async def memberships(self, telegram_id: int) -> list[Membership]:
        """A person's seats, read when he answers for no unit of the chat (he may answer
        for a unit below it without a group): members are not written by answers, so
        nothing kept needs sending first, and a refusal after it drops its writes."""
        return await self.view.tx.tower.memberships(telegram_id)


class _People(_Passing):
    def __init__(self, view: BatchView) -> None:
        super().__init__(view, view.tx.people)
        self.view = view

    async def order_filter(self, order_id: int) -> OrderFilter | None:
        if order_id not in self.view.filters:
            self.view.filters[order_id] = await self.view.tx.people.order_filter(order_id)
        return self.view.filters[order_id]


class _Orders(_Passing):
    def __init__(self, view: BatchView) -> None:
        super().__init__(view, view.tx.orders)
        self.view = view

    async def get(self, order_id: int) -> Order | None:
        view = self.view
        if order_id not in view.order_rows:
            await view.flush()
            view.order_rows[order_id] = await view.tx.orders.get(order_id)
        order = view.journal.orders.get(order_id, view.order_rows[order_id])
        return order.model_copy() if order is not None else None

    async def lock(self, order_id: int) -> None:
        """The order's lock (storage/locking.py) once per batch, none if the batch's read
        took it (`AnswerReads.locked`); it reads nothing, so the kept writes stay kept
        (a flush per answer would undo the batching)."""
        view = self.view
        if order_id not in view.locked:
            await view.tx.orders.lock(order_id)
            view.locked.add(order_id)

    async def chain(self, order_id: int, unit_code: str) -> list[TargetState]:
        view = self.view
        key = (order_id, unit_code)
        if key not in view.chain_codes:
            await view.flush()
            view._remember_chain(order_id, unit_code, await view.tx.orders.chain(*key))
        return [view.state(order_id, code).copy() for code in view.chain_codes[key]]

    async def save_states(self, states: list[TargetState]) -> None:
        for state in states:
            self.view.journal.states[(state.order_id, state.unit_code)] = state

    async def save(self, order: Order) -> None:
        self.view.journal.orders[order.id] = order

    async def add_done(self, order_id: int, by_level: dict[int, int]) -> None:
        _add_counts(self.view.journal.done, order_id, by_level)


class _Outbox(_Passing):
    def __init__(self, view: BatchView) -> None:
        super().__init__(view, view.tx.outbox)
        self.view = view

    async def add(self, message: OutgoingMessage | Note, draft_of: int | None = None) -> int:
        """Kept until the batch is written, so the row's id is not known (0): the
        answer path never uses it. A draft goes straight to the table."""
        if draft_of is not None:
            await self.view.flush()
            return await self.view.tx.outbox.add(message, draft_of)
        self.view.journal.outbox.append(message)
        return 0

    async def discard(self, key_prefix: str) -> int:
        """Kept until the batch is written: how many rows it drops is not known (0)."""
        self.view.journal.discards.append(key_prefix)
        return 0


class _Timers(_Passing):
    def __init__(self, view: BatchView) -> None:
        super().__init__(view, view.tx.timers)
        self.view = view

    async def mark_dirty(self, order_id: int, codes: list[str]) -> None:
        self.view.journal.dirty.setdefault(order_id, {}).update(dict.fromkeys(codes))
