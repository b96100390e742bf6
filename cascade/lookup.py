"""What a command in a chat refers to: the chat's unit, and the order it means.

Every command that acts "here" asks the same two questions, and refuses in the
same words when there is no answer: a chat that is no unit's group gets
"chat-unbound" whatever the command (a private chat "chat-private": telling a
person there that "this group" is unbound sent him to HQ for nothing), and an
order number that is not this unit's gets "order-not-here". One home for both
keeps the services from drifting apart on who is refused and how.
"""

from __future__ import annotations

from cascade.errors import Refused
from cascade.orders import Order
from cascade.ports import UnitOfWork
from cascade.tower import UnitRef


async def unit_of_chat(tx: UnitOfWork, chat_id: int) -> UnitRef:
    """The unit whose group `chat_id` is; refused in a chat bound to no unit."""
    unit = await tx.tower.by_chat(chat_id)
    if unit is None:
        if chat_id > 0:  # Telegram: a private chat's id is the person's, always positive
            raise Refused("chat-private")
        raise Refused("chat-unbound")
    return unit


async def resolve_order(
    tx: UnitOfWork, order_id: int | None, unit: UnitRef, open_only: bool, anywhere: bool = False
) -> Order:
    """The order a command means: the one named, or the chat unit's newest. With
    `anywhere`, the one named may be any order of the tower, not only one this unit is in
    (an admin's `/cancel N`, docs/commands.md)."""
    if order_id is None:
        order = await tx.orders.latest_for_unit(unit.code, open_only=open_only)
        if order is None:
            raise Refused("no-open-order" if open_only else "no-order", unit=unit.name)
        return order
    order = await tx.orders.get(order_id)
    if order is None:
        raise Refused("order-unknown", order=order_id)
    if not anywhere and not await tx.orders.chain(order.id, unit.code):
        raise Refused("order-not-here", order=order_id, unit=unit.name)
    return order
