"""One person, one card (`/card`) and the three shows (`/whoami`): read-only views.

A card is seen by the person, by the commanders up the person's chain of
command, by people who share a unit with the person, and by HQ admins; anyone
else is refused. The phone is whole only in a private chat, and only for the
person, an HQ admin or a commander up the chain; everywhere else it is masked.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, Field

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.incidents import Disposition, Incident, Stage
from cascade.people import PersonSeat, commands_over, is_landlord, mask_phone
from cascade.ports import AnswerRecord, UnitOfWork, UnitOfWorkFactory
from cascade.scoring import ScorePolicy, period_key
from cascade.tower import ANSWERING, Position, UnitRef

OBSERVATION_DAYS = 14
MAX_INCIDENTS = 5
MAX_COMMANDED = 30
OBSERVED = (Disposition.HOME, Disposition.CENTRAL)


class PersonTarget(BaseModel):
    """Who a command is about: a Telegram id (reply, mention) or a name, maybe in a unit."""

    telegram_id: int | None = None
    name: str | None = None
    unit_code: str | None = None


class SeatView(BaseModel):
    seat: PersonSeat
    chain: list[UnitRef]  # the seat's unit first, HQ last


class PersonStatus(BaseModel):
    """Under observation or isolation until a day, from an incident."""

    disposition: Disposition
    until: date
    incident_id: int


class Card(BaseModel):
    name: str
    telegram_id: int | None
    seats: list[SeatView]
    phone: str | None
    phone_masked: bool
    statuses: list[PersonStatus] = Field(default_factory=list)
    answers: list[AnswerRecord] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    units: dict[str, UnitRef] = Field(default_factory=dict)
    score: int | None = None
    period: str | None = None


class CommandedUnit(BaseModel):
    unit: UnitRef
    children: list[UnitRef]
    below: int  # units in the whole subtree under it


class Identity(BaseModel):
    """The three shows: who (seats and roles), duties (by the bot), the map."""

    telegram_id: int
    seats: list[SeatView]
    commanded: list[CommandedUnit]


async def resolve_person(tx: UnitOfWork, target: PersonTarget) -> list[PersonSeat]:
    """Every seat of the one person meant; refused when nobody or several people match."""
    if target.telegram_id is not None:
        seats = await tx.people.seats_of(target.telegram_id)
        if not seats:
            raise Refused("person-unknown", who=str(target.telegram_id))
        return seats
    name = (target.name or "").strip().lstrip("@")
    if not name:
        raise Refused("person-missing")
    seats = await tx.people.seats_named(name)
    if target.unit_code:
        seats = [s for s in seats if s.unit.code == target.unit_code]
    if not seats:
        raise Refused("person-unknown", who=name[:40])
    people: dict[str, list[PersonSeat]] = {}
    for seat in seats:
        people.setdefault(seat.key, []).append(seat)
    if len(people) > 1:
        units = "、".join(sorted({f"{s.unit.name}({s.unit.code})" for s in seats})[:6])
        raise Refused("person-ambiguous", who=name[:40], units=units)
    only = next(iter(people.values()))
    if only[0].telegram_id is not None:  # every seat of that person, not only the named one
        return await tx.people.seats_of(only[0].telegram_id)
    return only


def with_parent_seats(
    seats: dict[str, Position], parents: dict[str, str | None]
) -> dict[str, Position]:
    """`seats` (unit code: position) plus, since each child commander is a member of the
    parent unit, a member's seat in the parent of every unit commanded there."""
    out = dict(seats)
    for code, position in seats.items():
        parent = parents.get(code)
        if position is Position.COMMANDER and parent is not None:
            out.setdefault(parent, Position.MEMBER)
    return out


async def positions_of(tx: UnitOfWork, telegram_id: int) -> dict[str, Position]:
    seats = await tx.tower.memberships(telegram_id)
    return with_parent_seats(
        {m.unit.code: m.position for m in seats}, {m.unit.code: m.unit.parent for m in seats}
    )


async def chains_of(tx: UnitOfWork, seats: list[PersonSeat]) -> list[SeatView]:
    return [SeatView(seat=s, chain=await tx.tower.chain(s.unit.code)) for s in seats]


def observation(incident: Incident, days: int) -> PersonStatus | None:
    """Observation (home or central) runs `days` from the disposition (or the report)."""
    if incident.stage is Stage.DISCARDED or incident.disposition not in OBSERVED:
        return None
    start = incident.disposed_at or incident.reported_at or incident.created_at
    assert incident.disposition is not None
    return PersonStatus(
        disposition=incident.disposition,
        until=(start + timedelta(days=days)).date(),
        incident_id=incident.id,
    )


class PeopleService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        admins: frozenset[int] = frozenset(),
        score_policy: ScorePolicy | None = None,
        observation_days: int = OBSERVATION_DAYS,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.admins = admins
        self.score_policy = score_policy or ScorePolicy()
        self.observation_days = observation_days

    async def card(self, viewer: int, target: PersonTarget, private: bool) -> Card:
        async with self.uow() as tx:
            seats = await resolve_person(tx, target)
            views = await chains_of(tx, seats)
            person_id = seats[0].telegram_id
            mine = await positions_of(tx, viewer)
            is_self = person_id is not None and person_id == viewer
            in_chain = (
                viewer in self.admins or is_self or commands_over([v.chain for v in views], mine)
            )
            theirs = with_parent_seats(
                {s.unit.code: s.position for s in seats},
                {s.unit.code: s.unit.parent for s in seats},
            )
            shares_unit = any(code in mine for code in theirs)
            if not (in_chain or shares_unit):
                raise Refused("card-outside", who=seats[0].name)
            phone = next((s.phone for s in seats if s.phone), None)
            whole = private and in_chain
            incidents = await self._incidents(tx, seats)
            answers = await tx.people.answers_by(person_id) if person_id is not None else []
            codes = [a.unit_code for a in answers] + [i.unit_code for i in incidents]
            units = await tx.tower.refs(codes)
            score, period = await self._score(tx, seats)
        today = self.clock.now().astimezone(self.score_policy.tz).date()
        statuses = [
            status
            for incident in incidents
            if seats[0].name in incident.text
            and (status := observation(incident, self.observation_days)) is not None
            and status.until >= today
        ]
        return Card(
            name=seats[0].name,
            telegram_id=person_id,
            seats=views,
            phone=phone if whole else mask_phone(phone),
            phone_masked=bool(phone) and not whole,
            statuses=statuses,
            answers=answers,
            incidents=incidents,
            units=units,
            score=score,
            period=period,
        )

    async def _incidents(self, tx: UnitOfWork, seats: list[PersonSeat]) -> list[Incident]:
        """Reports the person made or that name the person, in the person's own units."""
        found: dict[int, Incident] = {}
        name = seats[0].name
        person_id = seats[0].telegram_id
        for seat in seats:
            for incident in await tx.incidents.under(seat.unit.code, limit=200):
                if incident.unit_code != seat.unit.code or incident.stage is Stage.DRAFT:
                    continue
                if incident.stage is Stage.DISCARDED:
                    continue
                if incident.reporter_id == person_id or name in incident.text:
                    found[incident.id] = incident
        return sorted(found.values(), key=lambda i: -i.id)[:MAX_INCIDENTS]

    async def _score(
        self, tx: UnitOfWork, seats: list[PersonSeat]
    ) -> tuple[int | None, str | None]:
        landlord = [s.unit.code for s in seats if is_landlord(s)]
        if not landlord:
            return None, None
        period = period_key(self.clock.now(), self.score_policy)
        totals = await tx.scores.totals(period, landlord)
        return self.score_policy.start + sum(totals.get(c, 0) for c in landlord), period

    async def identity(self, telegram_id: int) -> Identity:
        """`/whoami`: every seat with its chain, and the units the person commands."""
        async with self.uow() as tx:
            seats = await tx.people.seats_of(telegram_id)
            views = await chains_of(tx, seats)
            commanded = []
            for seat in seats:
                if seat.position not in ANSWERING:
                    continue
                below = (await tx.tower.subtree(seat.unit.code))[1:]
                children = [u for u in below if u.parent == seat.unit.code]
                commanded.append(
                    CommandedUnit(
                        unit=seat.unit, children=children[:MAX_COMMANDED], below=len(below)
                    )
                )
        return Identity(telegram_id=telegram_id, seats=views, commanded=commanded)
