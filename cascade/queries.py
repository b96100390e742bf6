"""Read-only questions people ask the bot: status, pending units, who am I.

They run in a unit of work of their own (nothing is decided), and return views
that the bot words; the scope is always the asking chat's unit's subtree.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from cascade import report as reports
from cascade.clock import Clock
from cascade.errors import Refused
from cascade.order_service import resolve_order
from cascade.ports import Membership, UnitOfWorkFactory, UnitRef
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

    async def whoami(self, user_id: int) -> list[Seat]:
        async with self.uow() as tx:
            seats = []
            for membership in await tx.tower.memberships(user_id):
                chain = await tx.tower.chain(membership.unit.code)
                seats.append(Seat(membership=membership, chain=chain))
            return seats
