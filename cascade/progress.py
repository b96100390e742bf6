"""Live progress boards: one message per internal unit's group, edited in place.

Answers only mark boards dirty (in their own transaction); `flush` later renders
each dirty board once and queues one edit that replaces any edit still queued
for it, so a burst of 200 answers becomes a handful of edits, within Telegram's
per-group budget, while the board shows the latest state within seconds.
"""

from __future__ import annotations

from collections import defaultdict

from cascade.clock import Clock
from cascade.orders import Order, TargetState
from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered
from cascade.ports import UnitOfWork, UnitOfWorkFactory, UnitRef
from cascade.presenter import Presenter


def subtree_counts(states: list[TargetState]) -> dict[str, tuple[int, int]]:
    """unit code → (done, total) over its subtree, the unit itself included."""
    children: dict[str, list[str]] = defaultdict(list)
    by_code = {s.unit_code: s for s in states}
    for state in states:
        if state.parent_code in by_code:
            children[state.parent_code].append(state.unit_code)
    counts: dict[str, tuple[int, int]] = {}
    for state in sorted(states, key=lambda s: -s.level):
        done = int(state.is_done and not state.is_root)
        total = int(not state.is_root)
        for child in children[state.unit_code]:
            child_done, child_total = counts[child]
            done += child_done
            total += child_total
        counts[state.unit_code] = (done, total)
    return counts


class Subtree:
    """An order's rows for one subtree, indexed once for every board drawn from it."""

    def __init__(self, states: list[TargetState]) -> None:
        self.by_code = {s.unit_code: s for s in states}
        self.kids: dict[str, list[TargetState]] = defaultdict(list)
        for state in states:
            if state.parent_code in self.by_code:
                self.kids[state.parent_code].append(state)
        self.counts = subtree_counts(states)


async def render_board(
    tx: UnitOfWork,
    presenter: Presenter,
    order: Order,
    code: str,
    subtree: Subtree,
    clock: Clock,
) -> tuple[UnitRef, Rendered] | None:
    """The board of `code` (None when the unit has no bound group)."""
    own = subtree.by_code.get(code)
    if own is None:
        return None
    kids = subtree.kids[code]
    refs = await tx.tower.refs([code, *[s.unit_code for s in kids]])
    unit = refs.get(code)
    if unit is None or unit.chat_id is None:
        return None
    children = [
        (refs[s.unit_code], *subtree.counts[s.unit_code]) for s in kids if s.unit_code in refs
    ]
    late = [refs[s.unit_code] for s in kids if s.late and s.unit_code in refs]
    return unit, presenter.progress(order, unit, children, own, late, clock.now())


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

    async def flush(self, limit: int = 500) -> int:
        """Queue one edit for every dirty board; returns how many were queued."""
        queued = 0
        async with self.uow() as tx:
            dirty = await tx.timers.take_dirty(limit)
            dirty_set = set(dirty)
            orders: dict[int, Order | None] = {}
            # When the issuer's board is dirty its subtree is the whole order: read it once
            # and draw every dirty board of that order from it (at city scale the boards of
            # the level-1 units alone would read the order again).
            whole: dict[int, Subtree] = {}
            for order_id, code in dirty:
                if order_id not in orders:
                    orders[order_id] = await tx.orders.get(order_id)
                order = orders[order_id]
                if order is None:
                    continue
                if order_id not in whole and (order_id, order.issuer_unit) in dirty_set:
                    whole[order_id] = Subtree(await tx.orders.targets(order_id))
                if order_id in whole:
                    subtree = whole[order_id]
                else:
                    subtree = Subtree(await tx.orders.targets(order_id, under=code))
                board = await render_board(tx, self.presenter, order, code, subtree, self.clock)
                if board is None:
                    continue
                unit, rendered = board
                await tx.outbox.add(board_message(order, unit, rendered, first=False))
                queued += 1
        return queued
