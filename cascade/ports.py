"""The repositories the domain needs, as protocols that `storage` implements.

Each decision runs inside one `UnitOfWork`: everything it reads and writes —
the tower, the order rows, the outbox — commits together or not at all.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from pydantic import BaseModel

from cascade.orders import Order, OrderKind, TargetState
from cascade.outgoing import MessageRef, OutboxRow, OutgoingMessage
from cascade.tower import Position, Unit


class UnitRef(BaseModel):
    """A unit as lists and messages need it, without its member roll."""

    code: str
    name: str
    level: int
    kind: str
    parent: str | None
    chat_id: int | None
    locale: str
    commander_name: str | None = None
    commander_id: int | None = None
    unreachable: bool = False


class Membership(BaseModel):
    """A person's seat in a unit."""

    unit: UnitRef
    position: Position


class TowerRepository(Protocol):
    async def unit(self, code: str) -> Unit | None: ...
    async def ref(self, code: str) -> UnitRef | None: ...
    async def by_chat(self, chat_id: int) -> UnitRef | None: ...
    async def memberships(self, telegram_id: int) -> list[Membership]: ...
    async def position(self, code: str, telegram_id: int) -> Position | None: ...
    async def chain(self, code: str) -> list[UnitRef]: ...
    async def subtree(self, code: str) -> list[UnitRef]: ...
    async def refs(self, codes: list[str]) -> dict[str, UnitRef]: ...
    async def rekey_chat(self, old: int, new: int) -> None: ...


class OrderRepository(Protocol):
    async def create(
        self,
        issuer_unit: str,
        issuer_user: int,
        kind: OrderKind,
        text: str,
        created_at: object,
        deadline_at: object,
        targets: list[TargetState],
    ) -> Order: ...
    async def get(self, order_id: int) -> Order | None: ...
    async def save(self, order: Order) -> None: ...
    async def chain(self, order_id: int, unit_code: str) -> list[TargetState]: ...
    async def save_states(self, states: list[TargetState]) -> None: ...
    async def targets(self, order_id: int, under: str | None = None) -> list[TargetState]: ...
    async def latest_for_unit(self, unit_code: str, open_only: bool = False) -> Order | None: ...


class OutboxRepository(Protocol):
    """Appended to by decisions; drained by the one sender."""

    async def add(self, message: OutgoingMessage) -> int: ...
    async def due(self, now: float, limit: int = 200) -> list[OutboxRow]: ...
    async def next_due_at(self) -> float | None: ...
    async def mark_sent(self, row: OutboxRow, message_id: int) -> None: ...
    async def reschedule(self, row: OutboxRow, not_before: float, error: str) -> None: ...
    async def delay_chat(self, chat_id: int, not_before: float) -> None: ...
    async def mark_failed(self, row: OutboxRow, error: str) -> None: ...
    async def rekey_chat(self, old: int, new: int) -> None: ...


class RefRepository(Protocol):
    async def lookup(self, chat_id: int, message_id: int) -> MessageRef | None: ...
    async def sent(self, order_id: int, purpose: str) -> list[tuple[int, int]]: ...


class UnitOfWork(Protocol):
    tower: TowerRepository
    orders: OrderRepository
    outbox: OutboxRepository
    refs: RefRepository


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> AbstractAsyncContextManager[UnitOfWork]: ...
