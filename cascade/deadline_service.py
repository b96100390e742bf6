"""Firing the order clock: reminders, escalation rounds and the interim report.

`fire` is idempotent (a fired timer is never fired again) and runs in one
transaction with the messages it causes and the next round it schedules: the
timer's row is claimed in that transaction (on PostgreSQL locked, skipping a row
another worker holds), so with several workers each timer fires once, and a
worker that dies mid-fire leaves it to the next one (its transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from cascade.clock import Clock
from cascade.deadlines import (
    ClockPolicy,
    EscalationWalk,
    Timer,
    TimerKind,
    group_reminder_key,
    own_missing,
    reminder_key,
    unit_reminder_key,
)
from cascade.loop_report import branches_into, read_rows, send_report
from cascade.naming import message
from cascade.orders import OrderKind, TargetState
from cascade.outgoing import MessageRef, Naming, OutgoingMessage, Priority
from cascade.ports import UnitOfWork, UnitOfWorkFactory
from cascade.presenter import Presenter
from cascade.report import ReportFlavour, ReportTally
from cascade.targeting import answering_refs
from cascade.tower import UnitRef, grouped_above

TimersListener = Callable[[list[Timer]], None]


class DeadlineService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: Presenter,
        policy: ClockPolicy | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.policy = policy or ClockPolicy()

    async def pending(self) -> list[Timer]:
        """Every timer not yet fired (what the scheduler is rebuilt from)."""
        async with self.uow() as tx:
            return await tx.timers.unfired()

    async def fire_due(self) -> list[Timer]:
        """Fire every timer due by now, rounds created on the way included (each tried
        once per call: one another worker is firing is left to it). Returns those fired
        here."""
        fired: list[Timer] = []
        tried: set[tuple[int, TimerKind, int]] = set()
        while True:
            async with self.uow() as tx:
                due = await tx.timers.unfired(due_by=self.clock.now())
            due = [t for t in due if (t.order_id, t.kind, t.round) not in tried]
            if not due:
                return fired
            for timer in due:
                tried.add((timer.order_id, timer.kind, timer.round))
                if await self.fire(timer.order_id, timer.kind, timer.round) is not None:
                    fired.append(timer)

    async def fire(self, order_id: int, kind: TimerKind, round_: int) -> list[Timer] | None:
        """Fire one timer; returns the timers it created (the next round), or None when
        it was not fired here (fired before, or being fired by another worker)."""
        async with self.uow() as tx:
            timer = await tx.timers.claim(order_id, kind, round_)
            if timer is None:
                return None
            now = self.clock.now()
            timer.fired_at = now
            timer.late = now - timer.due_at > self.policy.late_after
            await tx.timers.mark_fired(timer)
            order = await tx.orders.get(order_id)
            if order is None or not order.is_open:
                return []
            if kind is TimerKind.REMINDER:
                await self._remind(tx, timer)
                return []
            return await self._escalate(tx, timer)

    async def _remind(self, tx: UnitOfWork, timer: Timer) -> None:
        order = await tx.orders.get(timer.order_id)
        assert order is not None
        remaining = order.deadline_at - self.clock.now()
        if remaining <= timedelta(0):
            return  # fired late, past the deadline: the escalation says it now
        # Only where an answer is missing: a commander whose own 收到 is in is not
        # nagged for his sub-units (they get their own reminders). Read a page at a
        # time: each pending unit's code and whether it pressed 收到 but sent no value
        # yet (told exactly that, not "not done", issue 12).
        pending: list[tuple[str, bool]] = []
        branches: list[str] = []

        def note(page: list[TargetState]) -> None:
            for s in page:
                if not s.is_root and not s.is_done and own_missing(s):
                    acked = (
                        order.kind is not OrderKind.NOTICE
                        and s.is_bottom
                        and s.acked_at is not None
                        and s.answered_at is None
                    )
                    pending.append((s.unit_code, acked))

        await read_rows(tx, order, note, branches_into(branches))
        refs = await answering_refs(tx, order.id, await tx.tower.refs([c for c, _ in pending]))
        # Units without a group of their own, by the nearest group above them: one
        # reminder there names them all, where one each spent the group's ~20 messages
        # a minute on a single list.
        ungrouped: dict[int, tuple[UnitRef, list[UnitRef]]] = {}
        for code, acked in pending:
            unit = refs.get(code)
            if unit is None:
                continue
            if unit.chat_id is None:
                chain = await tx.tower.chain(code)
                place = grouped_above(chain)
                above = chain[place] if place is not None else None
                if above is not None and above.chat_id is not None:
                    ungrouped.setdefault(above.chat_id, (above, []))[1].append(unit)
                continue
            remind = self.presenter.reminder_acked if acked else self.presenter.reminder
            rendered = remind(order, unit, remaining, timer.late)
            ref = MessageRef(purpose="reminder", order_id=order.id, unit_code=unit.code)
            own = OutgoingMessage.of(unit.chat_id, rendered, Priority.REMINDER, ref)
            own.dedupe_key = unit_reminder_key(order.id, unit.code)
            # It may wait behind the group's budget: never sent after the deadline, and
            # its time left written as it goes (cascade/countdown.py).
            own.expires_at = order.deadline_at
            await tx.outbox.add(own)
        for chat_id, (group, units) in ungrouped.items():
            # It may wait behind the group's budget: made current as it goes (naming.py).
            naming = Naming(
                kind="reminder",
                order_id=order.id,
                group=group.code,
                pending=[u.code for u in units],
                span=remaining,
                late=timer.late,
            )
            named = {group.code: group, **{u.code: u for u in units}}
            key = group_reminder_key(order.id, group.code)
            await tx.outbox.add(message(self.presenter, order, naming, named, chat_id, key))
        await tx.timers.mark_dirty(order.id, branches)

    async def _escalate(self, tx: UnitOfWork, timer: Timer) -> list[Timer]:
        order = await tx.orders.get(timer.order_id)
        assert order is not None
        # One pass over the order's pages: the groups to tell and, at the deadline,
        # the interim report's tally.
        walk = EscalationWalk(timer.round)
        tally = ReportTally(order, order.issuer_unit) if timer.round == 0 else None
        branches: list[str] = []
        sinks = [walk.add, branches_into(branches), *([tally.add] if tally is not None else [])]
        await read_rows(tx, order, *sinks)
        if timer.round == 0:
            # A reminder still queued would announce time left after the deadline.
            await tx.outbox.discard(reminder_key(order.id))
        groups = walk.groups()
        above = {code: walk.above(code) for code in groups}
        codes = {*groups, *(c for pending in groups.values() for c in pending)}
        codes.update(c for chain in above.values() for c in chain)
        refs = await answering_refs(tx, order.id, await tx.tower.refs(list(codes)))
        overdue = max(self.clock.now() - order.deadline_at, timedelta(0))
        for chat_id, told in _by_chat(groups, above, refs, walk.pending).items():
            naming = Naming(
                kind="escalation",
                order_id=order.id,
                group=told.group.code,
                pending=[u.code for u in told.pending],
                ungrouped={u.code: groups[u.code] for u in told.ungrouped},
                round=timer.round,
                span=overdue,
                late=timer.late,
            )
            await tx.outbox.add(message(self.presenter, order, naming, refs, chat_id))
        if tally is not None:
            issuer = await tx.tower.ref(order.issuer_unit)
            if issuer is not None:
                built = tally.result(self.clock.now())
                await send_report(tx, self.presenter, order, issuer, built, ReportFlavour.INTERIM)
            await tx.timers.mark_dirty(order.id, branches)
        if not walk.needs_next_round():
            return []
        following = Timer(
            order_id=order.id,
            kind=TimerKind.ESCALATION,
            round=timer.round + 1,
            due_at=order.deadline_at + self.policy.escalation_interval * (timer.round + 1),
        )
        await tx.timers.add([following])
        return [following]


@dataclass
class _Told:
    """One group's escalation in a round: the pending units it names, and the units
    without a group whose pending units it names in their stead."""

    group: UnitRef
    pending: list[UnitRef] = field(default_factory=list)
    ungrouped: list[UnitRef] = field(default_factory=list)


def _by_chat(
    groups: dict[str, list[str]],
    above: dict[str, list[str]],
    refs: dict[str, UnitRef],
    order: list[str],
) -> dict[int, _Told]:
    """A round's messages by chat: a unit to tell that has no group of its own is told
    through the nearest group above it (within the order), merged with what that group
    gets anyway, because its pending units were otherwise named only a round later one
    level higher, and nowhere in this round. The units are named in the rows' order."""
    told: dict[int, _Told] = {}
    for code, pending in groups.items():
        target = refs.get(code)
        if target is None:
            continue
        ungrouped = None
        if target.chat_id is None:
            ungrouped = target
            chain = [target, *(refs[c] for c in above[code] if c in refs)]
            place = grouped_above(chain)
            target = chain[place] if place is not None else target
            if target.chat_id is None:
                continue
        entry = told.setdefault(target.chat_id, _Told(target))
        entry.pending.extend(refs[unit] for unit in pending if unit in refs)
        if ungrouped is not None:
            entry.ungrouped.append(ungrouped)
    merged = [entry for entry in told.values() if entry.ungrouped]
    if merged:
        position = {code: n for n, code in enumerate(order)}
        for entry in merged:
            entry.pending.sort(key=lambda u: position.get(u.code, len(position)))
    return told
