"""Reminders and escalations name pending units; each is made current as it goes.

Why: such a message waits in the outbox behind its group's budget (about 20 messages
a minute) and the sender's pace, and a unit it names may answer meanwhile; the
product promises only what is true, by name. So the message carries what it names
(`Naming`) and is rendered here from it, when its timer fires and again as the
sender claims its row, in the claim's transaction (`CurrentNames`, the sender's
`MakeCurrent` port): the units that answered drop out (the count and 另有 N follow),
a message naming no one is dropped unsent, an unchanged one goes as it is. A
reminder expires at its order's deadline (the sender drops it unsent from then on:
its time left is no longer true, and the deadline's escalation names the units),
and any claimed row showing a time left has it written as it is then
(cascade/countdown.py). Either the claim commits with the row rewritten or
dropped, or nothing changes.
"""

from __future__ import annotations

from collections import defaultdict

from cascade.clock import Clock
from cascade.countdown import counted
from cascade.deadlines import own_missing
from cascade.orders import Order, TargetState
from cascade.outgoing import MessageRef, Naming, OutboxRow, OutgoingMessage, Priority, Rendered
from cascade.ports import UnitOfWork
from cascade.presenter import Presenter
from cascade.targeting import answering_refs
from cascade.tower import UnitRef


def still_named(naming: Naming, state: TargetState) -> bool:
    """Whether the unit of `state` is still what `naming` names it for: a reminder
    chases a unit whose own part is missing, an escalation one not done."""
    if naming.kind == "reminder":
        return not state.is_done and own_missing(state)
    return not state.is_done


def render(
    presenter: Presenter, order: Order, naming: Naming, refs: dict[str, UnitRef]
) -> Rendered:
    """The message's text for what `naming` names (the units in `refs`)."""
    group = refs[naming.group]
    pending = [refs[code] for code in naming.pending if code in refs]
    if naming.kind == "reminder":
        return presenter.reminder_ungrouped(order, pending, group, naming.span, naming.late)
    ungrouped = [refs[code] for code in naming.ungrouped if code in refs]
    return presenter.escalation(
        order, group, pending, naming.round, naming.span, naming.late, ungrouped
    )


def message(
    presenter: Presenter,
    order: Order,
    naming: Naming,
    refs: dict[str, UnitRef],
    chat_id: int,
    dedupe_key: str | None = None,
) -> OutgoingMessage:
    """The outbox message of a reminder or an escalation, carrying its `naming`; a
    reminder expires at the order's deadline."""
    escalation = naming.kind == "escalation"
    priority = Priority.ESCALATION if escalation else Priority.REMINDER
    ref = MessageRef(purpose=naming.kind, order_id=order.id, unit_code=naming.group)
    out = OutgoingMessage.of(chat_id, render(presenter, order, naming, refs), priority, ref)
    out.dedupe_key = dedupe_key
    out.naming = naming
    out.expires_at = None if escalation else order.deadline_at
    return out


def narrowed(naming: Naming, states: dict[str, TargetState]) -> Naming | None:
    """`naming` with only the units still named (None: no one is left; `naming`
    itself when no one answered)."""
    pending = [c for c in naming.pending if c in states and still_named(naming, states[c])]
    if not pending:
        return None
    if len(pending) == len(naming.pending):
        return naming
    left = set(pending)
    ungrouped = {
        code: [c for c in below if c in left]
        for code, below in naming.ungrouped.items()
        if any(c in left for c in below)
    }
    return naming.model_copy(update={"pending": pending, "ungrouped": ungrouped})


class CurrentNames:
    """The sender's `MakeCurrent` port: claimed reminders and escalations, made current
    (the units named narrowed, the time left written as it is now)."""

    def __init__(self, presenter: Presenter, clock: Clock) -> None:
        self.presenter = presenter
        self.clock = clock

    async def __call__(
        self, tx: UnitOfWork, rows: list[OutboxRow]
    ) -> dict[int, OutgoingMessage | None]:
        by_order: dict[int, list[tuple[OutboxRow, Naming]]] = defaultdict(list)
        for row in rows:
            if row.message.naming is not None:
                by_order[row.message.naming.order_id].append((row, row.message.naming))
        changed: dict[int, OutgoingMessage | None] = {}
        for order_id, named in by_order.items():
            order = await tx.orders.get(order_id)
            codes = sorted({c for _, naming in named for c in naming.pending})
            open_ = order is not None and order.is_open
            states = await tx.orders.states(order_id, codes) if open_ else {}
            rendered: list[tuple[OutboxRow, Naming]] = []
            for row, naming in named:
                current = narrowed(naming, states)
                if current is None:
                    changed[row.id] = None
                elif current is not naming:
                    rendered.append((row, current))
            if not rendered or order is None:
                continue
            wanted = {code for _, current in rendered for code in _codes(current)}
            refs = await answering_refs(tx, order_id, await tx.tower.refs(sorted(wanted)))
            for row, current in rendered:
                again = render(self.presenter, order, current, refs)
                changed[row.id] = row.message.model_copy(
                    update={"text": again.text, "countdown": again.countdown, "naming": current}
                )
        now = self.clock.now()
        for row in rows:  # a row dropped above stays dropped
            message = changed[row.id] if row.id in changed else row.message
            told = counted(message, now, self.presenter.time_left) if message else None
            if told is not message:
                changed[row.id] = told
        dropped = [row_id for row_id, out in changed.items() if out is None]
        rewritten = [
            OutboxRow(id=row.id, attempts=row.attempts, message=out)
            for row in rows
            if (out := changed.get(row.id)) is not None
        ]
        if dropped:
            await tx.outbox.drop(dropped)
        if rewritten:
            await tx.outbox.rewrite(rewritten)
        return changed


def _codes(naming: Naming) -> list[str]:
    """The units a naming's text needs: its group, the pending and the ungrouped."""
    return [naming.group, *naming.pending, *naming.ungrouped]
