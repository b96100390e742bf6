"""`/member`: commanders add, change and remove the people of their unit and units below.

Every change is first a plan shown to the commander (who, where, before, after)
and applied only when confirmed; at that moment every rule is checked again in
the same transaction as the write, and the change is logged (who, when, before,
after). The tower's rules hold for edits as for imports: a child unit's
commander stays a member of the parent unit (下级指挥长必须是上级作战队伍的成员),
a unit keeps its commander, and a level-3 unit holds at most 30 people
(configurable).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.people import MAX_NAME, MemberChange, PersonSeat
from cascade.ports import UnitOfWork, UnitOfWorkFactory
from cascade.tower import ANSWERING, Position, Role, UnitRef

PLAN_TTL = timedelta(minutes=10)
MAX_PLANS = 1000
LOG_LINES = 20


class MemberAction(StrEnum):
    ADD = "add"
    ROLES = "roles"
    PHONE = "phone"
    REMOVE = "remove"


class MemberRequest(BaseModel):
    """What the commander typed, parsed by the bot."""

    action: MemberAction
    unit_code: str | None = None  # None: the chat's unit
    name: str
    roles: list[Role] | None = None
    phone: str | None = None
    telegram_id: int | None = None


class MemberPlan(BaseModel):
    token: str
    actor: int
    chat_id: int
    action: MemberAction
    unit: UnitRef
    before: PersonSeat | None
    after: PersonSeat | None
    made_at: datetime


class MemberPolicy(BaseModel):
    cap: int = Field(30, ge=1)
    capped_level: int = 3


class Roll(BaseModel):
    unit: UnitRef
    seats: list[PersonSeat]
    child_commanders: list[tuple[UnitRef, str]]  # child unit, its commander's name


class MemberService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        admins: frozenset[int] = frozenset(),
        policy: MemberPolicy | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.admins = admins
        self.policy = policy or MemberPolicy()
        self._plans: dict[str, MemberPlan] = {}

    async def plan(self, chat_id: int, actor: int, request: MemberRequest) -> MemberPlan:
        """Check the request and keep it for confirmation; nothing is written yet."""
        async with self.uow() as tx:
            unit = await self._target_unit(tx, chat_id, request.unit_code)
            await self._allowed(tx, actor, unit)
            before, after = await self._change(tx, unit, request)
        plan = MemberPlan(
            token=secrets.token_hex(6),
            actor=actor,
            chat_id=chat_id,
            action=request.action,
            unit=unit,
            before=before,
            after=after,
            made_at=self.clock.now(),
        )
        self._forget_old()
        self._plans[plan.token] = plan
        return plan

    def cancel(self, token: str, actor: int) -> None:
        plan = self._plans.get(token)
        if plan is None:
            raise Refused("member-plan-expired")
        if plan.actor != actor:
            raise Refused("member-not-yours")
        del self._plans[token]

    async def apply(self, token: str, actor: int) -> MemberPlan:
        """The commander confirmed: check every rule again, write, and log it."""
        plan = self._plans.get(token)
        if plan is None or self.clock.now() - plan.made_at > PLAN_TTL:
            self._plans.pop(token, None)
            raise Refused("member-plan-expired")
        if plan.actor != actor:
            raise Refused("member-not-yours")
        async with self.uow() as tx:
            unit = await tx.tower.ref(plan.unit.code)
            if unit is None:
                raise Refused("unknown-unit", code=plan.unit.code)
            await self._allowed(tx, actor, unit)
            request = self._request_of(plan)
            before, after = await self._change(tx, unit, request)
            if plan.action is MemberAction.ADD:
                assert after is not None
                after.seq = await tx.people.add(unit.code, after)
            elif plan.action is MemberAction.REMOVE:
                assert before is not None
                await tx.people.remove(unit.code, before.seq)
            else:
                assert after is not None
                await tx.people.update(after)
            await tx.people.log(
                MemberChange(
                    unit_code=unit.code,
                    actor=actor,
                    at=self.clock.now(),
                    action=plan.action.value,
                    before=before,
                    after=after,
                )
            )
        del self._plans[token]
        return plan.model_copy(update={"before": before, "after": after})

    async def unit_exists(self, code: str) -> bool:
        async with self.uow() as tx:
            return await tx.tower.ref(code) is not None

    async def roll(self, chat_id: int, actor: int, code: str | None) -> Roll:
        async with self.uow() as tx:
            unit = await self._target_unit(tx, chat_id, code)
            await self._allowed(tx, actor, unit)
            seats = await tx.people.seats_in(unit.code)
            children = [u for u in (await tx.tower.subtree(unit.code))[1:] if u.parent == unit.code]
        listed = {s.telegram_id for s in seats if s.telegram_id is not None}
        implicit = [
            (c, c.commander_name or "?")
            for c in children
            if c.commander_id is None or c.commander_id not in listed
        ]
        return Roll(unit=unit, seats=seats, child_commanders=implicit)

    async def log(
        self, chat_id: int, actor: int, code: str | None
    ) -> tuple[UnitRef, list[MemberChange], dict[str, UnitRef]]:
        """The newest changes in the unit's subtree (who, when, before, after)."""
        async with self.uow() as tx:
            unit = await self._target_unit(tx, chat_id, code)
            await self._allowed(tx, actor, unit)
            codes = [u.code for u in await tx.tower.subtree(unit.code)]
            changes = await tx.people.changes(codes, LOG_LINES)
            refs = await tx.tower.refs([c.unit_code for c in changes])
        return unit, changes, refs

    # ------------------------------------------------------------ rules

    async def _target_unit(self, tx: UnitOfWork, chat_id: int, code: str | None) -> UnitRef:
        here = await tx.tower.by_chat(chat_id)
        if code:
            unit = await tx.tower.ref(code)
            if unit is None:
                raise Refused("unknown-unit", code=code[:32])
            return unit
        if here is None:
            raise Refused("member-which-unit")
        return here

    async def _allowed(self, tx: UnitOfWork, actor: int, unit: UnitRef) -> None:
        """The commander or a deputy of the unit or of a unit above it (or an HQ admin)."""
        if actor in self.admins:
            return
        for above in await tx.tower.chain(unit.code):
            if await tx.tower.position(above.code, actor) in ANSWERING:
                return
        raise Refused("member-not-allowed", unit=unit.name)

    async def _change(
        self, tx: UnitOfWork, unit: UnitRef, request: MemberRequest
    ) -> tuple[PersonSeat | None, PersonSeat | None]:
        seats = await tx.people.seats_in(unit.code)
        name = request.name.strip()
        if not name or len(name) > MAX_NAME:
            raise Refused("member-bad-name", max=MAX_NAME)
        if request.action is MemberAction.ADD:
            return None, await self._added(tx, unit, seats, request, name)
        seat = self._find(seats, name, unit, request.telegram_id)
        if request.action is MemberAction.REMOVE:
            await self._removable(tx, unit, seat)
            return seat, None
        after = seat.model_copy(deep=True)
        if request.action is MemberAction.ROLES:
            if request.roles is None:
                raise Refused("member-roles-missing")
            after.roles = list(request.roles)
        else:
            if request.phone is None:
                raise Refused("member-phone-missing")
            after.phone = request.phone
        return seat, after

    async def _added(
        self,
        tx: UnitOfWork,
        unit: UnitRef,
        seats: list[PersonSeat],
        request: MemberRequest,
        name: str,
    ) -> PersonSeat:
        if request.telegram_id is not None and any(
            s.telegram_id == request.telegram_id for s in seats
        ):
            raise Refused("member-exists", who=name, unit=unit.name)
        if any(s.name == name for s in seats):
            raise Refused("member-same-name", who=name, unit=unit.name)
        if unit.level == self.policy.capped_level:
            count = await self._head_count(tx, unit, seats)
            if count + 1 > self.policy.cap:
                raise Refused(
                    "member-cap", unit=unit.name, level=unit.level, count=count, max=self.policy.cap
                )
        return PersonSeat(
            unit=unit,
            seq=-1,
            position=Position.MEMBER,
            name=name,
            telegram_id=request.telegram_id,
            roles=list(request.roles or []),
            phone=request.phone,
        )

    async def _head_count(self, tx: UnitOfWork, unit: UnitRef, seats: list[PersonSeat]) -> int:
        """People in the unit as the import counts them: listed slots plus child commanders."""
        ids = {s.telegram_id for s in seats if s.telegram_id is not None}
        count = len(ids) + sum(1 for s in seats if s.telegram_id is None)
        for child in (await tx.tower.subtree(unit.code))[1:]:
            if child.parent == unit.code and child.commander_id not in ids:
                count += 1
                if child.commander_id is not None:
                    ids.add(child.commander_id)
        return count

    @staticmethod
    def _find(
        seats: list[PersonSeat], name: str, unit: UnitRef, telegram_id: int | None
    ) -> PersonSeat:
        if telegram_id is not None:
            found = [s for s in seats if s.telegram_id == telegram_id]
        else:
            found = [s for s in seats if s.name == name]
        if not found:
            raise Refused("member-not-found", who=name, unit=unit.name)
        if len(found) > 1:
            raise Refused("member-same-name", who=name, unit=unit.name)
        return found[0]

    async def _removable(self, tx: UnitOfWork, unit: UnitRef, seat: PersonSeat) -> None:
        if seat.position is Position.COMMANDER:
            raise Refused("member-is-commander", who=seat.name, unit=unit.name)
        if seat.telegram_id is None:
            return
        for child in (await tx.tower.subtree(unit.code))[1:]:
            if child.parent == unit.code and child.commander_id == seat.telegram_id:
                raise Refused(
                    "member-child-commander", who=seat.name, unit=unit.name, child=child.name
                )

    @staticmethod
    def _request_of(plan: MemberPlan) -> MemberRequest:
        seat = plan.after or plan.before
        assert seat is not None
        return MemberRequest(
            action=plan.action,
            unit_code=plan.unit.code,
            name=seat.name,
            roles=seat.roles,
            phone=seat.phone,
            telegram_id=seat.telegram_id,
        )

    def _forget_old(self) -> None:
        now = self.clock.now()
        for token in [t for t, p in self._plans.items() if now - p.made_at > PLAN_TTL]:
            del self._plans[token]
        while len(self._plans) >= MAX_PLANS:
            self._plans.pop(next(iter(self._plans)))
