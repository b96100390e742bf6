"""Live progress boards: one message per internal unit's group, edited in place.

Answers only mark boards dirty (in their own transaction); `flush` later renders
each dirty board once, from the unit's row and its children's counters (a handful
of rows, whatever the size of the order), and queues one edit that replaces any
edit still queued for it, so a burst of 200 answers becomes a handful of edits, within Telegram's
per-group budget, while the board shows the latest state within seconds. Boards are
redrawn `REFRESH_PER_STEP` a transaction: a flush of hundreds of dirty boards in one
transaction held the writers' lock 255-883 ms during an answer storm, and every press,
reply and inbox write waited behind it; ten a transaction cost three times as much lock
time in all, each transaction's trips to the database paced by the storm's busy event
loop (benchmarks/RESULTS.md, 2 Dec).
"""

from __future__ import annotations

from collections import defaultdict

from cascade.clock import Clock
from cascade.orders import Order
from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered
from cascade.ports import UnitOfWork, UnitOfWorkFactory
from cascade.presenter import Presenter
from cascade.tower import UnitRef

BOARDS_PER_STEP = 10  # a new order's first boards a transaction (OrderService.write_boards)
REFRESH_PER_STEP = 50  # boards redrawn a transaction: under ~100 ms of lock in a storm


async def draw_boards(
    tx: UnitOfWork, presenter: Presenter, order: Order, codes: list[str], clock: Clock
) -> list[tuple[UnitRef, Rendered]]:
    """The boards of these units (those with a bound group), each from the unit's own
    row and its children's rows with their subtree counters: a handful of rows per
    board, whatever the size of the order."""
    own = await tx.orders.states(order.id, codes)
    kids = await tx.orders.children(order.id, [c for c in codes if c in own])
    refs = await tx.tower.refs([*own, *[s.unit_code for rows in kids.values() for s in rows]])
    now = clock.now()
    out = []
    for code in codes:
        state, unit = own.get(code), refs.get(code)
        if state is None or unit is None or unit.chat_id is None:
            continue
        rows = [s for s in kids.get(code, []) if s.unit_code in refs]
        children = [(refs[s.unit_code], s.sub_done, s.sub_total) for s in rows]
        late = [refs[s.unit_code] for s in rows if s.late]
        out.append((unit, presenter.progress(order, unit, children, state, late, now)))
    return out


async def queue_boards(
    tx: UnitOfWork, presenter: Presenter, order: Order, codes: list[str], clock: Clock, first: bool
) -> int:
    """Draw these units' boards and queue them in two statements (`add_many`), as first
    boards or as edits of them; returns how many were queued."""
    drawn = await draw_boards(tx, presenter, order, codes, clock)
    await tx.outbox.add_many(
        [board_message(order, unit, rendered, first) for unit, rendered in drawn]
    )
    return len(drawn)


def board_message(order: Order, unit: UnitRef, rendered: Rendered, first: bool) -> OutgoingMessage:
    """The first board is a new message; later ones edit it (latest edit wins)."""
    assert unit.chat_id is not None
    ref = MessageRef(purpose="progress", order_id=order.id, unit_code=unit.code)
    if first:
        return OutgoingMessage.of(unit.chat_id, rendered, Priority.REPORT, ref)
    message = OutgoingMessage.of(unit.chat_id, rendered, Priority.PROGRESS)
    message.edit_of = ref
    message.dedupe_key = f"progress:{order.id}:{unit.code}"
    return message


class ProgressService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, presenter: Presenter) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter

    async def flush(self, limit: int = 500, per_step: int = REFRESH_PER_STEP) -> int:
        """Queue one edit for every dirty board (at most `limit`), `per_step` boards a
        transaction, each taking its boards off the dirty list as it queues their edits;
        returns how many were queued."""
        queued = taken = 0
        while taken < limit:
            step = min(per_step, limit - taken)
            async with self.uow() as tx:
                dirty = await tx.timers.take_dirty(step)
                queued += await self._queue_edits(tx, dirty)
            taken += len(dirty)
            if len(dirty) < step:
                break
        return queued

    async def _queue_edits(self, tx: UnitOfWork, dirty: list[tuple[int, str]]) -> int:
        by_order: dict[int, list[str]] = defaultdict(list)
        for order_id, code in dirty:
            by_order[order_id].append(code)
        queued = 0
        for order_id, codes in by_order.items():
            order = await tx.orders.get(order_id)
            if order is not None:
                queued += await queue_boards(tx, self.presenter, order, codes, self.clock, False)
        return queued
