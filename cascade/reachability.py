"""Groups the bot cannot reach, and groups that change their id.

A group that removed the bot (403, "chat not found", `my_chat_member`) is marked
unreachable: its messages are held, not dropped, and its parent's group is told
once, so the parent commander can fix it. When the bot is back, the held
messages go out. A group upgraded to a supergroup is re-keyed everywhere.
"""

from __future__ import annotations

from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from cascade.ports import UnitOfWorkFactory
from cascade.presenter import Presenter
from cascade.tower import UnitRef


class ReachabilityService:
    def __init__(self, uow: UnitOfWorkFactory, presenter: Presenter) -> None:
        self.uow = uow
        self.presenter = presenter

    async def unreachable(self, chat_id: int, reason: str) -> UnitRef | None:
        """Hold the chat's messages; tell the parent group the first time."""
        async with self.uow() as tx:
            await tx.outbox.hold_chat(chat_id)
            unit = await tx.tower.by_chat(chat_id)
            if unit is None:
                return None
            if not await tx.tower.set_reachable(unit.code, False, reason):
                return unit
            parent = await tx.tower.ref(unit.parent) if unit.parent else None
            if parent is not None and parent.chat_id is not None:
                rendered = self.presenter.unreachable(unit, parent, reason)
                ref = MessageRef(purpose="unreachable", unit_code=unit.code)
                await tx.outbox.add(
                    OutgoingMessage.of(parent.chat_id, rendered, Priority.ESCALATION, ref)
                )
            return unit

    async def reachable(self, chat_id: int) -> UnitRef | None:
        """The bot is back in the group: release what was held, tell the parent."""
        async with self.uow() as tx:
            unit = await tx.tower.by_chat(chat_id)
            if unit is None or not await tx.tower.set_reachable(unit.code, True, None):
                await tx.outbox.release_chat(chat_id)
                return unit
            await tx.outbox.release_chat(chat_id)
            parent = await tx.tower.ref(unit.parent) if unit.parent else None
            if parent is not None and parent.chat_id is not None:
                rendered = self.presenter.reachable_again(unit, parent)
                ref = MessageRef(purpose="reachable", unit_code=unit.code)
                await tx.outbox.add(
                    OutgoingMessage.of(parent.chat_id, rendered, Priority.ESCALATION, ref)
                )
            return unit

    async def migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup: the unit and its queued messages follow."""
        async with self.uow() as tx:
            if await tx.tower.by_chat(new_chat_id) is None:
                await tx.tower.rekey_chat(old_chat_id, new_chat_id)
            await tx.outbox.rekey_chat(old_chat_id, new_chat_id)
