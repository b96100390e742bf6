"""Read-only questions people ask the bot: status, pending units, who am I.

They run in a unit of work of their own (nothing is decided), and return views
that the bot words; the scope is always the asking chat's unit's subtree.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from pydantic import BaseModel

from cascade import report as reports
from cascade import stats as statistics
from cascade.clock import Clock
from cascade.errors import Refused
from cascade.export import OrderExport, export_rows
from cascade.order_service import resolve_order
from cascade.orders import Order, TargetState
from cascade.ports import Membership, UnitOfWork, UnitOfWorkFactory, UnitRef
from cascade.report import OrderReport


class PendingGroup(BaseModel):
    parent: UnitRef
    units: list[UnitRef]


class PendingView(BaseModel):
    report: OrderReport
    scope: UnitRef
    groups: list[PendingGroup]


class Seat(BaseModel):
    """One of a person's seats and the chain of command above it."""

    membership: Membership
    chain: list[UnitRef]


class QueryService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def status(self, order_id: int | None, chat_id: int) -> tuple[UnitRef, OrderReport]:
        async with self.uow() as tx:
            unit = await tx.tower.by_chat(chat_id)
            if unit is None:
                raise Refused("chat-unbound")
            order = await resolve_order(tx, order_id, unit, open_only=False)
            scope = order.issuer_unit if unit.code == order.issuer_unit else unit.code
            states = await tx.orders.targets(order.id, under=scope)
            return unit, reports.build(order, states, scope, self.clock.now())

    async def pending(self, order_id: int | None, chat_id: int) -> PendingView:
        unit, report = await self.status(order_id, chat_id)
        async with self.uow() as tx:
            states = await tx.orders.targets(report.order.id, under=report.scope)
            pending = [s for s in states if not s.is_done and not s.is_root]
            refs = await tx.tower.refs(
                [s.unit_code for s in pending] + [s.parent_code for s in pending if s.parent_code]
            )
        groups: dict[str, list[UnitRef]] = {}
        for state in sorted(pending, key=lambda s: (s.level, s.unit_code)):
            if state.parent_code in refs and state.unit_code in refs:
                groups.setdefault(state.parent_code, []).append(refs[state.unit_code])
        return PendingView(
            report=report,
            scope=unit,
            groups=[PendingGroup(parent=refs[code], units=units) for code, units in groups.items()],
        )

    async def reach(self, chat_id: int) -> dict[int, int]:
        """How many units, by level, an order from this chat would go to."""
        async with self.uow() as tx:
            unit = await tx.tower.by_chat(chat_id)
            if unit is None:
                raise Refused("chat-unbound")
            below = (await tx.tower.subtree(unit.code))[1:]
        return dict(sorted(Counter(u.level for u in below).items()))

    async def subtree(self, chat_id: int) -> list[UnitRef]:
        """The chat's unit and everything below it, parents before children."""
        async with self.uow() as tx:
            unit = await tx.tower.by_chat(chat_id)
            if unit is None:
                raise Refused("chat-unbound")
            return await tx.tower.subtree(unit.code)

    async def whoami(self, user_id: int) -> list[Seat]:
        async with self.uow() as tx:
            seats = []
            for membership in await tx.tower.memberships(user_id):
                chain = await tx.tower.chain(membership.unit.code)
                seats.append(Seat(membership=membership, chain=chain))
            return seats

    async def _scoped(
        self, tx: UnitOfWork, order_id: int | None, chat_id: int
    ) -> tuple[UnitRef, Order, str, list[TargetState]]:
        """The chat's unit, the order meant, and its rows in scope (as for `/status`)."""
        unit = await tx.tower.by_chat(chat_id)
        if unit is None:
            raise Refused("chat-unbound")
        order = await resolve_order(tx, order_id, unit, open_only=False)
        scope = order.issuer_unit if unit.code == order.issuer_unit else unit.code
        return unit, order, scope, await tx.orders.targets(order.id, under=scope)

    async def export(self, order_id: int | None, chat_id: int) -> tuple[UnitRef, OrderExport]:
        """Every target row of the chat's subtree in one order, with names (`/export`)."""
        async with self.uow() as tx:
            unit, order, scope, states = await self._scoped(tx, order_id, chat_id)
            refs = await tx.tower.refs([s.unit_code for s in states if not s.is_root])
        rows = export_rows(order, states, refs)
        return unit, OrderExport(order=order, scope=scope, rows=rows)

    async def completion(
        self, order_id: int | None, chat_id: int
    ) -> tuple[UnitRef, statistics.Completion]:
        """Percent done over time in the chat's subtree, per level and in all (`/chart`)."""
        async with self.uow() as tx:
            unit, order, scope, states = await self._scoped(tx, order_id, chat_id)
        return unit, statistics.completion(order, states, scope, self.clock.now())

    async def stats(self, chat_id: int, days: int) -> statistics.StatsView:
        """The orders issued by or sent to the chat's unit in the last `days` (`/stats`).

        The repositories have no "orders of a unit since" query, so this walks
        order numbers down from the unit's newest order and stops at the first
        one issued before the period (numbers grow with time), looking at no
        more than `MAX_SCANNED_ORDERS`; each order is summed up and its rows
        dropped before the next is read.
        """
        if not 1 <= days <= statistics.MAX_DAYS:
            raise Refused("bad-days", value=str(days), max=statistics.MAX_DAYS)
        now = self.clock.now()
        since = now - timedelta(days=days)
        acc = statistics.StatsAccumulator(now)
        truncated = False
        async with self.uow() as tx:
            unit = await tx.tower.by_chat(chat_id)
            if unit is None:
                raise Refused("chat-unbound")
            newest = await tx.orders.latest_for_unit(unit.code)
            order_id = newest.id if newest is not None else 0
            scanned = 0
            while order_id > 0:
                if scanned >= statistics.MAX_SCANNED_ORDERS:
                    truncated = True
                    break
                order = await tx.orders.get(order_id)
                order_id -= 1
                scanned += 1
                if order is None:
                    continue
                if order.created_at < since:
                    break
                if not await tx.orders.chain(order.id, unit.code):
                    continue
                acc.add(order, await tx.orders.targets(order.id, under=unit.code))
            summary = acc.summary(since)
            names = await tx.tower.refs([u.code for u in summary.slowest])
        return statistics.StatsView(
            unit=unit, days=days, summary=summary, units=names, truncated=truncated
        )
