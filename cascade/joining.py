"""Joining the tower: invite links, binding groups to units, claiming seats.

Bots cannot create groups; people do, and add the bot with a `?startgroup=`
link. Each unit gets one link whose payload is a signed random token (see
cascade/invites.py); only that unit's commander or deputy (or an HQ admin) may
bind a group with it — anyone else is refused and the parent told. Each empty
person slot gets a `?start=` link: single-use, expiring, signed. The sheet of
links goes to the commander who asked, privately (bot/routers/joining.py).

A unit whose group is live (bound and reachable) is not moved by a bind: the
bind asks for confirmation, which only the unit's commander or an HQ admin can
give (`confirm_move`), and the old group is told where the unit went.
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.invites import GROUP_SLOT, INVITE_TTL, Invite, InviteSigner, Slot
from cascade.lookup import unit_of_chat
from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from cascade.ports import PersonRef, UnitOfWork, UnitOfWorkFactory
from cascade.presenter import Presenter
from cascade.tower import ANSWERING, Position, UnitRef


class BindResult(BaseModel):
    unit: UnitRef
    bound: bool
    needs_move: bool = False  # the unit has a live group elsewhere: confirm first


class InviteLine(BaseModel):
    """One unit of the invite sheet: its group link and its empty person slots."""

    unit: UnitRef
    group_token: str
    people: list[tuple[Slot, str]]


class JoiningService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: Presenter,
        admins: frozenset[int] = frozenset(),
        signer: InviteSigner | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.admins = admins
        self.signer = signer or InviteSigner(secrets.token_bytes(32))

    async def invite_sheet(self, chat_id: int, user_id: int, code: str | None) -> list[InviteLine]:
        """Links for every unit below the chat's unit (or below CODE inside it)."""
        async with self.uow() as tx:
            here = await unit_of_chat(tx, chat_id)
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
        self,
        chat_id: int,
        chat_title: str,
        user_id: int,
        token: str,
        user_name: str | None = None,
    ) -> BindResult:
        """The bot was added to a group through a unit's `?startgroup=` link.

        Anyone but the unit's commander, a deputy or an HQ admin is refused, and
        the refusal is reported to the parent's group (kept: it is a decision too).
        """
        async with self.uow() as tx:
            invite = await self._live_invite(tx, token, "group")
            unit = await tx.tower.ref(invite.unit_code)
            if unit is None:
                raise Refused("invite-invalid")
            allowed = user_id in self.admins or (
                await tx.tower.position(unit.code, user_id) in ANSWERING
            )
            if not allowed:
                parent = await tx.tower.ref(unit.parent) if unit.parent else None
                if parent is not None and parent.chat_id is not None:
                    who = PersonRef(
                        name=await tx.tower.person_name(user_id) or user_name or "?",
                        telegram_id=user_id,
                    )
                    rendered = self.presenter.bind_refused(unit, parent, chat_title, who)
                    ref = MessageRef(purpose="bind_refused", unit_code=unit.code)
                    await tx.outbox.add(
                        OutgoingMessage.of(parent.chat_id, rendered, Priority.ESCALATION, ref)
                    )
                return BindResult(unit=unit, bound=False)
            if _live_elsewhere(unit, chat_id):
                return BindResult(unit=unit, bound=False, needs_move=True)
            return BindResult(unit=await self._bind(tx, unit, chat_id), bound=True)

    async def bind_by_code(self, chat_id: int, user_id: int, code: str) -> BindResult:
        """`/bind CODE` by an HQ admin: the fallback when links can't be used."""
        if user_id not in self.admins:
            raise Refused("not-admin")
        async with self.uow() as tx:
            unit = await tx.tower.ref(code)
            if unit is None:
                raise Refused("unknown-unit", code=code[:32])
            if _live_elsewhere(unit, chat_id):
                return BindResult(unit=unit, bound=False, needs_move=True)
            return BindResult(unit=await self._bind(tx, unit, chat_id), bound=True)

    async def confirm_move(self, code: str, chat_id: int, chat_title: str, user_id: int) -> UnitRef:
        """The unit's commander (or an HQ admin) moves it to this group; the old one is told."""
        async with self.uow() as tx:
            unit = await self._movable_by(tx, code, user_id)
            old = unit.chat_id
            moved = await self._bind(tx, unit, chat_id)
            if old is not None and old != chat_id:
                rendered = self.presenter.unit_moved(unit, chat_title)
                ref = MessageRef(purpose="unit_moved", unit_code=unit.code)
                await tx.outbox.add(OutgoingMessage.of(old, rendered, Priority.ESCALATION, ref))
            return moved

    async def decline_move(self, code: str, user_id: int) -> UnitRef:
        """The move is declined: nothing changes, but only who could confirm it may say no
        (anyone else pressing "取消" would be told a move was cancelled that still waits)."""
        async with self.uow() as tx:
            return await self._movable_by(tx, code, user_id)

    async def _movable_by(self, tx: UnitOfWork, code: str, user_id: int) -> UnitRef:
        unit = await tx.tower.ref(code)
        if unit is None:
            raise Refused("unknown-unit", code=code[:32])
        commander = await tx.tower.position(unit.code, user_id) is Position.COMMANDER
        if not commander and user_id not in self.admins:
            raise Refused("not-allowed-move", unit=unit.name)
        return unit

    async def claim(self, user_id: int, token: str) -> tuple[UnitRef, Slot]:
        """A person opened their `?start=` link: their Telegram id fills the slot."""
        async with self.uow() as tx:
            invite = await self._live_invite(tx, token, "person")
            if invite.used_by not in (None, user_id):
                raise Refused("invite-used")
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

    def _expired(self, invite: Invite) -> bool:
        return self.clock.now() - invite.created_at > INVITE_TTL

    async def _live_invite(self, tx: UnitOfWork, token: str, kind: str) -> Invite:
        if not self.signer.valid(token):  # guessed or forged: refused before any lookup
            raise Refused("invite-invalid")
        invite = await tx.invites.get(token)
        if invite is None or invite.kind != kind:
            raise Refused("invite-invalid")
        if self._expired(invite):
            raise Refused("invite-expired")
        return invite

    async def _token(self, tx: UnitOfWork, kind: str, code: str, seq: int, user_id: int) -> str:
        existing = await tx.invites.for_slot(kind, code, seq)
        if existing is not None:
            fresh = self.signer.valid(existing.token) and not self._expired(existing)
            if fresh and existing.used_by is None:
                return existing.token
            await tx.invites.drop(existing.token)  # a new link replaces a spent one
        invite = Invite(
            token=self.signer.new(),
            kind=kind,
            unit_code=code,
            seq=seq,
            created_by=user_id,
            created_at=self.clock.now(),
        )
        await tx.invites.add(invite)
        return invite.token


def _live_elsewhere(unit: UnitRef, chat_id: int) -> bool:
    """The unit has a working group other than this chat: moving it needs a confirmation."""
    return unit.chat_id is not None and unit.chat_id != chat_id and not unit.unreachable
