"""The landlord 12-point score's decisions: automatic points, `/score`, rankings.

Automatic points come from the incident loop, in the transaction that opens the
incident: the landlord who reported returnees of his own unit before (or at)
their arrival gains, one who reported more than 24 hours after loses. The
village (level-2) commander or anyone above him in the landlord's chain, or an
HQ admin, changes a score by hand with a reason; nobody scores himself. Every
change is logged and told to the landlord privately. Rankings go to every
level-2 group once a week (checked against the injectable clock, so a restart
neither loses nor repeats one) and on demand with `/rank`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.incidents import Incident
from cascade.lookup import unit_of_chat
from cascade.outgoing import OutgoingMessage, Priority, Rendered
from cascade.people import LANDLORD_KIND, PersonSeat, is_landlord
from cascade.people_service import PersonTarget, resolve_person
from cascade.ports import UnitOfWork, UnitOfWorkFactory
from cascade.scoring import (
    Ranking,
    ScoreEntry,
    ScorePolicy,
    automatic_points,
    last_moment,
    period_key,
    rank,
)
from cascade.tower import ANSWERING, UnitRef

SCORING_LEVEL = 2  # the village secretary checks the score (seed 001)
MAX_REASON = 200


class ScorePresenter(Protocol):
    def changed(self, entry: ScoreEntry, total: int, unit: UnitRef) -> Rendered: ...
    def ranking(self, ranking: Ranking, weekly: bool) -> Rendered: ...


class ScoreChange(BaseModel):
    entry: ScoreEntry
    total: int
    unit: UnitRef


class ScoreService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: ScorePresenter,
        admins: frozenset[int] = frozenset(),
        policy: ScorePolicy | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.admins = admins
        self.policy = policy or ScorePolicy()

    # ------------------------------------------------------------ automatic

    async def on_incident(self, tx: UnitOfWork, incident: Incident, unit: UnitRef) -> None:
        """Called by the incident loop when a report is confirmed (same transaction)."""
        if unit.kind != LANDLORD_KIND or incident.reported_at is None:
            return
        if unit.commander_id is None or incident.reporter_id != unit.commander_id:
            return
        points = automatic_points(incident.reported_at, incident.report.arrival, self.policy)
        if points is None:
            return
        delta, why = points
        entry = ScoreEntry(
            unit_code=unit.code,
            landlord_id=unit.commander_id,
            landlord_name=unit.commander_name or "?",
            period=period_key(incident.reported_at, self.policy),
            delta=delta,
            reason=f"{why}:{incident.id}",
            source="auto",
            incident_id=incident.id,
            at=incident.reported_at,
        )
        if await tx.scores.add(entry):
            await self._tell(tx, entry, unit)

    # ------------------------------------------------------------ manual

    async def manual(
        self, actor: int, target: PersonTarget, delta: int, reason: str
    ) -> ScoreChange:
        """`/score @landlord ±N REASON` by a level-2 commander (or above) of that landlord."""
        reason = reason.strip()
        if delta == 0 or abs(delta) > self.policy.max_manual:
            raise Refused("score-bad-points", max=self.policy.max_manual)
        if not reason:
            raise Refused("score-reason-missing")
        if len(reason) > MAX_REASON:
            raise Refused("score-reason-too-long", max=MAX_REASON)
        async with self.uow() as tx:
            seat = await self._landlord(tx, target)
            if seat.telegram_id is not None and seat.telegram_id == actor:
                raise Refused("score-self")
            await self._may_score(tx, actor, seat.unit)
            now = self.clock.now()
            entry = ScoreEntry(
                unit_code=seat.unit.code,
                landlord_id=seat.telegram_id,
                landlord_name=seat.name,
                period=period_key(now, self.policy),
                delta=delta,
                reason=reason,
                source="manual",
                actor=actor,
                at=now,
            )
            await tx.scores.add(entry)
            total = await self._tell(tx, entry, seat.unit)
        return ScoreChange(entry=entry, total=total, unit=seat.unit)

    async def _landlord(self, tx: UnitOfWork, target: PersonTarget) -> PersonSeat:
        seats = [s for s in await resolve_person(tx, target) if is_landlord(s)]
        if target.unit_code:
            seats = [s for s in seats if s.unit.code == target.unit_code]
        if not seats:
            raise Refused("score-not-landlord", who=(target.name or str(target.telegram_id))[:40])
        if len(seats) > 1:
            units = "、".join(f"{s.unit.name}({s.unit.code})" for s in seats[:6])
            raise Refused("score-which-unit", who=seats[0].name, units=units)
        return seats[0]

    async def _may_score(self, tx: UnitOfWork, actor: int, unit: UnitRef) -> None:
        if actor in self.admins:
            return
        for above in await tx.tower.chain(unit.code):
            if above.level > SCORING_LEVEL:
                continue
            if await tx.tower.position(above.code, actor) in ANSWERING:
                return
        raise Refused("score-not-allowed", level=SCORING_LEVEL)

    async def _tell(self, tx: UnitOfWork, entry: ScoreEntry, unit: UnitRef) -> int:
        """The landlord hears of every change privately, with the new score."""
        totals = await tx.scores.totals(entry.period, [unit.code])
        total = self.policy.start + totals.get(unit.code, 0)
        if entry.landlord_id is not None:
            rendered = self.presenter.changed(entry, total, unit)
            await tx.outbox.add(OutgoingMessage.of(entry.landlord_id, rendered, Priority.REPORT))
        return total

    # ------------------------------------------------------------ rankings

    async def ranking_for(self, tx: UnitOfWork, scope: UnitRef, now: datetime) -> Ranking:
        period = period_key(now, self.policy)
        landlords = [u for u in await tx.tower.subtree(scope.code) if u.kind == LANDLORD_KIND]
        totals = await tx.scores.totals(period, [u.code for u in landlords])
        standings, best, worst, tied = rank(
            [
                (
                    u.code,
                    u.name,
                    u.commander_name or "?",
                    u.commander_id,
                    self.policy.start + totals.get(u.code, 0),
                )
                for u in landlords
            ],
            self.policy.top,
        )
        return Ranking(
            scope_code=scope.code,
            scope_name=scope.name,
            period=period,
            standings=standings,
            best=best,
            worst=worst,
            all_tied=tied,
            locale=scope.locale,
        )

    async def rank_here(self, chat_id: int, code: str | None) -> Ranking:
        """`/rank [CODE]`: the chat's level-2 unit (the one above it, or CODE in its reach)."""
        async with self.uow() as tx:
            here = await unit_of_chat(tx, chat_id)
            scope = here
            if code:
                found = await tx.tower.ref(code)
                if found is None:
                    raise Refused("unknown-unit", code=code[:32])
                chain = [u.code for u in await tx.tower.chain(found.code)]
                if here.code not in chain and found.code not in [
                    u.code for u in await tx.tower.chain(here.code)
                ]:
                    raise Refused("scope-outside", unit=here.name, target=found.name)
                scope = found
            elif here.level > SCORING_LEVEL:
                above = await tx.tower.chain(here.code)
                scope = next((u for u in above if u.level <= SCORING_LEVEL), above[-1])
            return await self.ranking_for(tx, scope, self.clock.now())

    async def fire_due(self) -> int:
        """Send the weekly ranking to every level-2 group when its time has come (once).

        The first check on a new database only notes the latest past time: the first
        ranking goes out at the next one, not the moment the bot first starts.
        """
        now = self.clock.now()
        moment = last_moment(now, self.policy)
        sent = 0
        async with self.uow() as tx:
            if not await tx.scores.ranking_known():
                await tx.scores.claim_ranking(moment, False, now)
                return 0
            if not await tx.scores.claim_ranking(moment, True, now):
                return 0
            root = await tx.tower.root()
            if root is None:
                return 0
            for unit in await tx.tower.subtree(root.code):
                if unit.level != SCORING_LEVEL or unit.chat_id is None:
                    continue
                ranking = await self.ranking_for(tx, unit, now)
                if not ranking.standings:
                    continue
                message = OutgoingMessage.of(
                    unit.chat_id, self.presenter.ranking(ranking, True), Priority.REPORT
                )
                message.dedupe_key = f"rank:{unit.code}:{moment.isoformat()}"
                await tx.outbox.add(message)
                sent += 1
        return sent
