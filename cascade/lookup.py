"""What a command in a chat refers to: the chat's unit, and the order it means.

Every command that acts "here" asks the same two questions, and refuses in the
same words when there is no answer: a chat that is no unit's group gets
"chat-unbound" whatever the command (a private chat "chat-private": telling a
person there that "this group" is unbound sent him to HQ for nothing), and an
order number that is not this unit's gets "order-not-here". One home for both
keeps the services from drifting apart on who is refused and how.

Looking at an order (`/status`, `/pending`, `/export`, `/chart`) reaches further than
acting on it: a unit above the issuer may look at an order issued below it, as the
whole order, or an HQ asking after a village's order was told it had nothing to do
with it (docs/commands.md says the rule).
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


async def order_in_view(tx: UnitOfWork, order_id: int | None, unit: UnitRef) -> tuple[Order, str]:
    """The order a read-only command in `unit`'s group means, and the unit whose subtree
    it shows: the unit's own part of an order sent to it, the whole order (the issuer's
    subtree) to the issuer and to every unit above the issuer. Any other unit (a
    sibling, one left out of a targeted order) is refused naming the order."""
    order = await resolve_order(tx, order_id, unit, open_only=False, anywhere=True)
    if unit.code == order.issuer_unit:
        return order, order.issuer_unit
    if await tx.orders.chain(order.id, unit.code):
        return order, unit.code
    if any(above.code == unit.code for above in await tx.tower.chain(order.issuer_unit)):
        return order, order.issuer_unit
    raise Refused("order-not-here", order=order.id, unit=unit.name)
