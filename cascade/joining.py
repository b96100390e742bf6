"""Joining the tower: invite links, binding groups to units, claiming seats.

Bots cannot create groups; people do, and add the bot with a `?startgroup=`
link. Each unit gets one link whose payload is a random token (not guessable,
far below Telegram's 64-byte limit); only that unit's commander or deputy (or an
HQ admin) may bind a group with it — anyone else is refused and the parent told.
Each empty person slot gets a `?start=` link that registers whoever opens it.
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.invites import GROUP_SLOT, Invite, Slot
from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from cascade.ports import UnitOfWork, UnitOfWorkFactory, UnitRef
from cascade.presenter import Presenter
from cascade.tower import Position

ANSWERING = (Position.COMMANDER, Position.DEPUTY)


class BindResult(BaseModel):
    unit: UnitRef
    bound: bool


class InviteLine(BaseModel):
    """One unit of the invite sheet: its group link and its empty person slots."""

    unit: UnitRef
    group_token: str
    people: list[tuple[Slot, str]]


def new_token() -> str:
    """12 URL-safe characters (72 random bits): fits start/startgroup, can't be guessed."""
    return secrets.token_urlsafe(9)


class JoiningService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: Presenter,
        admins: frozenset[int] = frozenset(),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.admins = admins

    async def invite_sheet(self, chat_id: int, user_id: int, code: str | None) -> list[InviteLine]:
        """Links for every unit below the chat's unit (or below CODE inside it)."""
        async with self.uow() as tx:
            here = await tx.tower.by_chat(chat_id)
            if here is None:
                raise Refused("chat-unbound")
            await self._require(tx, here, user_id, "not-allowed-invite")
            top = here
            if code is not None:
                found = await tx.tower.ref(code)
                chain = [u.code for u in await tx.tower.chain(code)] if found else []
                if found is None or here.code not in chain:
                    raise Refused("invite-unknown-unit", code=code[:32], unit=here.name)
                top = found
            lines = []
            for unit in (await tx.tower.subtree(top.code))[1:]:
                group = await self._token(tx, "group", unit.code, GROUP_SLOT, user_id)
                people = []
                for slot in await tx.tower.slots(unit.code):
                    if slot.telegram_id is None:
                        token = await self._token(tx, "person", unit.code, slot.seq, user_id)
                        people.append((slot, token))
                lines.append(InviteLine(unit=unit, group_token=group, people=people))
            return lines

    async def bind_by_token(
        self, chat_id: int, chat_title: str, user_id: int, token: str
    ) -> BindResult:
        """The bot was added to a group through a unit's `?startgroup=` link.

        Anyone but the unit's commander, a deputy or an HQ admin is refused, and
        the refusal is reported to the parent's group (kept: it is a decision too).
        """
        async with self.uow() as tx:
            invite = await tx.invites.get(token)
            if invite is None or invite.kind != "group":
                raise Refused("invite-invalid")
            unit = await tx.tower.ref(invite.unit_code)
            if unit is None:
                raise Refused("invite-invalid")
            allowed = user_id in self.admins or (
                await tx.tower.position(unit.code, user_id) in ANSWERING
            )
            if not allowed:
                parent = await tx.tower.ref(unit.parent) if unit.parent else None
                if parent is not None and parent.chat_id is not None:
                    rendered = self.presenter.bind_refused(unit, parent, chat_title, user_id)
                    ref = MessageRef(purpose="bind_refused", unit_code=unit.code)
                    await tx.outbox.add(
                        OutgoingMessage.of(parent.chat_id, rendered, Priority.ESCALATION, ref)
                    )
                return BindResult(unit=unit, bound=False)
            return BindResult(unit=await self._bind(tx, unit, chat_id), bound=True)

    async def bind_by_code(self, chat_id: int, user_id: int, code: str) -> UnitRef:
        """`/bind CODE` by an HQ admin: the fallback when links can't be used."""
        if user_id not in self.admins:
            raise Refused("not-admin")
        async with self.uow() as tx:
            unit = await tx.tower.ref(code)
            if unit is None:
                raise Refused("unknown-unit", code=code[:32])
            return await self._bind(tx, unit, chat_id)

    async def claim(self, user_id: int, token: str) -> tuple[UnitRef, Slot]:
        """A person opened their `?start=` link: their Telegram id fills the slot."""
        async with self.uow() as tx:
            invite = await tx.invites.get(token)
            if invite is None or invite.kind != "person":
                raise Refused("invite-invalid")
            unit = await tx.tower.ref(invite.unit_code)
            slot = next(
                (s for s in await tx.tower.slots(invite.unit_code) if s.seq == invite.seq), None
            )
            if unit is None or slot is None:
                raise Refused("invite-invalid")
            if slot.telegram_id not in (None, user_id):
                raise Refused("slot-taken", unit=unit.name)
            await tx.tower.fill_slot(unit.code, slot.seq, user_id)
            await tx.invites.use(token, user_id, self.clock.now())
            slot.telegram_id = user_id
            refreshed = await tx.tower.ref(unit.code)
            assert refreshed is not None
            return refreshed, slot

    async def _bind(self, tx: UnitOfWork, unit: UnitRef, chat_id: int) -> UnitRef:
        other = await tx.tower.by_chat(chat_id)
        if other is not None and other.code != unit.code:
            raise Refused("chat-bound-elsewhere", unit=other.name)
        await tx.tower.bind_chat(unit.code, chat_id)
        await tx.outbox.release_chat(chat_id)
        bound = await tx.tower.ref(unit.code)
        assert bound is not None
        return bound

    async def _require(self, tx: UnitOfWork, unit: UnitRef, user_id: int, key: str) -> None:
        if user_id in self.admins:
            return
        if await tx.tower.position(unit.code, user_id) not in ANSWERING:
            raise Refused(key, unit=unit.name)

    async def _token(self, tx: UnitOfWork, kind: str, code: str, seq: int, user_id: int) -> str:
        existing = await tx.invites.for_slot(kind, code, seq)
        if existing is not None:
            return existing.token
        invite = Invite(
            token=new_token(),
            kind=kind,
            unit_code=code,
            seq=seq,
            created_by=user_id,
            created_at=self.clock.now(),
        )
        await tx.invites.add(invite)
        return invite.token
