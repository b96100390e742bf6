"""The 20-minute incident loop's decisions: report, confirm, dispose, carry out, escalate.

A landlord (or any member) reports returnees in the unit's group; the bot shows
what it understood (masked) and the reporter confirms. The parent commander gets
the alert in his group (masked, with disposition buttons) and the full details in
a private chat; the reporter's group sees every stage. Unresolved 20 minutes after
the report, the alert climbs one level, and again every 20 minutes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel, Field

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.incidents import ESCALATE_EVERY, Disposition, Incident, Stage
from cascade.lookup import unit_of_chat
from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered
from cascade.ports import PersonRef, UnitOfWork, UnitOfWorkFactory
from cascade.returnee import (
    ReturneeReport,
    form_text,
    high_risk,
    parse_report,
    report_from_answers,
)
from cascade.returnee.amend import amended
from cascade.tower import ANSWERING, UnitRef, grouped_above

MAX_REPORT = 1000
# Run in the transaction that opens an incident (e.g. the landlord score's automatic points).
ConfirmHook = Callable[[UnitOfWork, Incident, UnitRef], Awaitable[None]]


class IncidentPolicy(BaseModel):
    escalate_every: timedelta = ESCALATE_EVERY
    high_risk_regions: list[str] = Field(default_factory=lambda: ["湖北"])


class IncidentPresenter(Protocol):
    def draft(self, incident: Incident, unit: UnitRef) -> Rendered: ...
    def alert(
        self, incident: Incident, unit: UnitRef, group: UnitRef, overdue: timedelta | None
    ) -> Rendered: ...
    def details(
        self, incident: Incident, unit: UnitRef, commander: UnitRef, reporter: PersonRef
    ) -> Rendered: ...
    def stage(self, incident: Incident, unit: UnitRef, handler: UnitRef | None) -> Rendered: ...


class IncidentService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: IncidentPresenter,
        policy: IncidentPolicy | None = None,
        admins: frozenset[int] = frozenset(),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.policy = policy or IncidentPolicy()
        self.admins = admins
        self.on_confirmed: list[ConfirmHook] = []

    async def draft(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to: int | None,
        report: ReturneeReport | None = None,
    ) -> Incident:
        """Parse a report (or take the one the form read) and show the reporter what
        was understood (nothing sent up yet)."""
        text = text.strip()
        if not text:
            raise Refused("returnee-empty")
        if len(text) > MAX_REPORT:
            raise Refused("returnee-too-long", max=MAX_REPORT)
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            if user_id not in self.admins and await tx.tower.position(unit.code, user_id) is None:
                raise Refused("not-a-member", unit=unit.name)
            if report is None:
                report = parse_report(text, self.clock.now())
            incident = await tx.incidents.add(
                Incident(
                    id=0,
                    unit_code=unit.code,
                    reporter_id=user_id,
                    chat_id=chat_id,
                    text=text,
                    report=report,
                    high_risk=high_risk(report, self.policy.high_risk_regions),
                    created_at=self.clock.now(),
                )
            )
            await self._show_draft(tx, incident, unit, chat_id, reply_to)
            return incident

    async def draft_from_form(
        self, chat_id: int, user_id: int, answers: Mapping[str, str]
    ) -> Incident:
        """The guided form's answers, each read as the field it answers."""
        report = report_from_answers(answers, self.clock.now())
        return await self.draft(chat_id, user_id, form_text(answers), None, report)

    async def correct(
        self, incident_id: int, chat_id: int, user_id: int, text: str, reply_to: int | None
    ) -> Incident:
        """A reply to the preview amends the draft: what the reply says replaces, the rest
        stays (`amended`), and the reply joins the text the commander is shown."""
        async with self.uow() as tx:
            incident = await self._incident(tx, incident_id)
            if incident.stage is not Stage.DRAFT:
                raise Refused("incident-already-confirmed", incident=incident.id)
            if incident.reporter_id != user_id:
                raise Refused("not-the-reporter")
            unit = await self._unit(tx, incident.unit_code)
            reply = text.strip()[:MAX_REPORT]
            incident.report = amended(incident.report, incident.text, reply, self.clock.now())
            incident.text = f"{incident.text}\n{reply}"[-MAX_REPORT:]
            incident.high_risk = high_risk(incident.report, self.policy.high_risk_regions)
            await tx.incidents.save(incident)
            await self._show_draft(tx, incident, unit, chat_id, reply_to)
            return incident

    async def confirm(self, incident_id: int, chat_id: int, user_id: int) -> Incident:
        """The reporter confirms: the incident opens and the parent commander is alerted."""
        async with self.uow() as tx:
            incident = await self._incident(tx, incident_id)
            if incident.stage is not Stage.DRAFT:
                raise Refused("incident-already-confirmed", incident=incident.id)
            unit = await self._unit(tx, incident.unit_code)
            await self._may_decide_draft(tx, incident, unit, user_id)
            now = self.clock.now()
            incident.stage = Stage.OPEN
            incident.reported_at = now
            chain = await tx.tower.chain(unit.code)
            first = reached(chain, 0)[0]
            handler = chain[first] if first < len(chain) else unit
            incident.next_escalation_at = (
                now + self.policy.escalate_every if first + 1 < len(chain) else None
            )
            await tx.incidents.save(incident)
            # the units passed (no group: their commanders privately), then the handler
            for place in [*chain[1:first], handler]:
                await self._alert(tx, incident, unit, place, overdue=None)
            await self._stage(tx, incident, unit, handler)
            for hook in self.on_confirmed:
                await hook(tx, incident, unit)
            return incident

    async def discard(self, incident_id: int, user_id: int) -> Incident:
        """The draft is dropped (by whoever may confirm it: a wrong report is theirs to stop)."""
        async with self.uow() as tx:
            incident = await self._incident(tx, incident_id)
            if incident.stage is not Stage.DRAFT:
                raise Refused("incident-already-confirmed", incident=incident.id)
            unit = await self._unit(tx, incident.unit_code)
            await self._may_decide_draft(tx, incident, unit, user_id)
            incident.stage = Stage.DISCARDED
            await tx.incidents.save(incident)
            return incident

    async def dispose(
        self, incident_id: int, chat_id: int, user_id: int, disposition: Disposition
    ) -> Incident:
        """A commander above the unit chooses what happens to the returnees."""
        async with self.uow() as tx:
            incident, unit, group = await self._handling(tx, incident_id, chat_id, user_id)
            if incident.stage not in (Stage.OPEN, Stage.DISPOSED):
                raise Refused("incident-closed", incident=incident.id)
            if incident.stage is Stage.DISPOSED and incident.disposition is disposition:
                # Pressed again: the decision, its time and who took it stand, and the
                # reporter's group is not told a second time.
                return incident
            incident.stage = Stage.DISPOSED
            incident.disposition = disposition
            incident.disposed_at = self.clock.now()
            incident.disposed_by = user_id
            await tx.incidents.save(incident)
            await self._refresh_alerts(tx, incident, unit)
            await self._stage(tx, incident, unit, group)
            return incident

    async def done(self, incident_id: int, chat_id: int, user_id: int) -> Incident:
        """The disposition is carried out (落实): the loop is closed and timed."""
        async with self.uow() as tx:
            incident, unit, group = await self._handling(tx, incident_id, chat_id, user_id)
            if incident.stage is Stage.DONE:
                raise Refused("incident-closed", incident=incident.id)
            if incident.stage is not Stage.DISPOSED:
                raise Refused("incident-needs-disposition")
            incident.stage = Stage.DONE
            incident.done_at = self.clock.now()
            incident.done_by = user_id
            incident.next_escalation_at = None
            await tx.incidents.save(incident)
            await self._refresh_alerts(tx, incident, unit)
            await self._stage(tx, incident, unit, group)
            return incident

    async def fire_due(self) -> list[Incident]:
        """Escalate every open incident whose 20 minutes have run out, one level up."""
        escalated = []
        async with self.uow() as tx:
            for incident in await tx.incidents.due(self.clock.now()):
                unit = await self._unit(tx, incident.unit_code)
                chain = await tx.tower.chain(unit.code)
                incident.escalations += 1
                *_, before, target_index = reached(chain, incident.escalations)
                assert incident.next_escalation_at is not None
                if target_index < len(chain):
                    # The rule's time (20 minutes a round), as `_refresh_alerts` redraws it:
                    # a timer fired late must not make the alert and its edit disagree.
                    overdue = self.policy.escalate_every * incident.escalations
                    # the units passed (no group: their commanders privately), then the target
                    for place in chain[before + 1 : target_index + 1]:
                        await self._alert(tx, incident, unit, place, overdue)
                    escalated.append(incident)
                more = target_index + 1 < len(chain)
                incident.next_escalation_at = (
                    incident.next_escalation_at + self.policy.escalate_every if more else None
                )
                await tx.incidents.save(incident)
        return escalated

    async def _show_draft(
        self, tx: UnitOfWork, incident: Incident, unit: UnitRef, chat_id: int, reply_to: int | None
    ) -> None:
        """The masked preview with confirm/cancel; a reply to it corrects the draft."""
        rendered = self.presenter.draft(incident, unit)
        await self._send(
            tx, chat_id, rendered, "incident_draft", incident, Priority.INTERACTIVE, reply_to
        )

    async def _alert(
        self,
        tx: UnitOfWork,
        incident: Incident,
        unit: UnitRef,
        group: UnitRef,
        overdue: timedelta | None,
    ) -> None:
        """The masked alert with buttons in `group`, the full details to its commander."""
        if group.chat_id is not None:
            await self._send(
                tx,
                group.chat_id,
                self.presenter.alert(incident, unit, group, overdue),
                "incident_alert",
                incident,
                Priority.ORDER,
                None,
                group.code,
            )
        if group.commander_id is not None:
            await self._send(
                tx,
                group.commander_id,
                self.presenter.details(incident, unit, group, await self._reporter(tx, incident)),
                "incident_details",
                incident,
                Priority.ORDER,
                None,
                group.code,
            )

    async def _reporter(self, tx: UnitOfWork, incident: Incident) -> PersonRef:
        name = await tx.tower.person_name(incident.reporter_id)
        return PersonRef(name=name or "?", telegram_id=incident.reporter_id)

    async def _refresh_alerts(self, tx: UnitOfWork, incident: Incident, unit: UnitRef) -> None:
        """Every alert of the incident, in every group that got one, shows its new state
        and buttons (an escalated alert keeps its escalation heading)."""
        for index, group in enumerate(await self._alerted(tx, incident, unit)):
            if group.chat_id is None:
                continue
            overdue = self.policy.escalate_every * index if index else None
            rendered = self.presenter.alert(incident, unit, group, overdue)
            message = OutgoingMessage.of(group.chat_id, rendered, Priority.ORDER)
            message.edit_of = MessageRef(
                purpose="incident_alert", unit_code=group.code, incident_id=incident.id
            )
            message.dedupe_key = f"incident:{incident.id}:{group.code}"
            await tx.outbox.add(message)

    async def _stage(
        self, tx: UnitOfWork, incident: Incident, unit: UnitRef, handler: UnitRef | None
    ) -> None:
        """The reporter's group sees every stage."""
        await self._send(
            tx,
            incident.chat_id,
            self.presenter.stage(incident, unit, handler),
            "incident_stage",
            incident,
            Priority.INTERACTIVE,
            None,
        )

    async def _send(
        self,
        tx: UnitOfWork,
        chat_id: int,
        rendered: Rendered,
        purpose: str,
        incident: Incident,
        priority: Priority,
        reply_to: int | None,
        unit_code: str | None = None,
    ) -> None:
        ref = MessageRef(purpose=purpose, unit_code=unit_code, incident_id=incident.id)
        await tx.outbox.add(OutgoingMessage.of(chat_id, rendered, priority, ref, reply_to))

    async def _handling(
        self, tx: UnitOfWork, incident_id: int, chat_id: int, user_id: int
    ) -> tuple[Incident, UnitRef, UnitRef]:
        """The incident, its unit, and the unit of this chat — which its alert reached."""
        incident = await self._incident(tx, incident_id)
        unit = await self._unit(tx, incident.unit_code)
        group = await unit_of_chat(tx, chat_id)
        if group.code not in {u.code for u in await self._alerted(tx, incident, unit)}:
            raise Refused("incident-not-here", incident=incident.id)
        if not await self._answers_for(tx, group, user_id):
            raise Refused("not-unit-commander", unit=group.name)
        return incident, unit, group

    async def _alerted(self, tx: UnitOfWork, incident: Incident, unit: UnitRef) -> list[UnitRef]:
        """The units whose groups got the alert: the first (`reached`), then one more per
        escalation (the unit itself at the top), in the order of the rounds. Only there is it decided:
        a unit higher up gets its say once the incident has climbed to it."""
        chain = await tx.tower.chain(unit.code)
        return [chain[i] for i in reached(chain, incident.escalations) if i < len(chain)] or [unit]

    async def _may_decide_draft(
        self, tx: UnitOfWork, incident: Incident, unit: UnitRef, user_id: int
    ) -> None:
        """A draft is confirmed or dropped by its reporter or by who answers for the unit."""
        if incident.reporter_id != user_id and not await self._answers_for(tx, unit, user_id):
            raise Refused("not-the-reporter-or-commander")

    async def _answers_for(self, tx: UnitOfWork, unit: UnitRef, user_id: int) -> bool:
        return user_id in self.admins or await tx.tower.position(unit.code, user_id) in ANSWERING

    async def _incident(self, tx: UnitOfWork, incident_id: int) -> Incident:
        incident = await tx.incidents.get(incident_id)
        if incident is None:
            raise Refused("incident-unknown", incident=incident_id)
        return incident

    async def _unit(self, tx: UnitOfWork, code: str) -> UnitRef:
        unit = await tx.tower.ref(code)
        if unit is None:
            raise Refused("unknown-unit", code=code)
        return unit


def reached(chain: list[UnitRef], escalations: int) -> list[int]:
    """The places in `chain` the alert reached, one a round: at the report and at each
    escalation the nearest unit above with a group (the parent's, when it has one), since
    a unit without one can neither see buttons nor dispose (its commander is told
    privately on the way). With no group left above, the walk goes one level a round, as
    before; past the top it ends at ``len(chain)``."""
    places: list[int] = []
    last = 0
    for _ in range(escalations + 1):
        place = grouped_above(chain, last)
        last = place if place is not None else min(last + 1, len(chain))
        places.append(last)
    return places


def loop_minutes(incident: Incident, until: datetime | None = None) -> float | None:
    """Minutes from the report to `until` (default: to 落实)."""
    end = until or incident.done_at
    start = incident.reported_at
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def regions_from(text: str) -> list[str]:
    """`湖北,武汉 温州` → ["湖北", "武汉", "温州"] (for the high-risk setting)."""
    return [part for part in text.replace("，", ",").replace(" ", ",").split(",") if part]
