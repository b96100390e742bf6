"""The 20-minute incident loop through `IncidentService` on a real database.

Who may report, confirm, dispose and close; what each step stores and whom it
tells; the escalation one level up after 20 minutes — the rules, without the
dispatcher or HTTP (the end-to-end tests keep what only they can show).
"""

from __future__ import annotations

import pytest

from cascade.clock import FakeClock
from cascade.errors import Refused
from cascade.incident_service import IncidentPolicy, IncidentService
from cascade.incidents import Disposition, Stage
from cascade.tower import Unit
from storage.db import Database
from storage.importer import import_units
from tests.support.plain_words import PlainWords

TS01_CHAT, TS01_COMMANDER = -1002000000002, 6000000007
TS0101_CHAT, TS0101_COMMANDER, TS0101_MEMBER = -1002000000003, 6000000009, 6000000010
TS02_CHAT, TS02_COMMANDER = -1002000000025, 6000000118
HQ_CHAT, HQ_COMMANDER = -1002000000001, 6000000001
STRANGER = 5_555_555_555
REPORT = "租客老李带5位家人从湖北回来，住溪西村12号"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def service(db: Database, tashan: list[Unit], clock: FakeClock) -> IncidentService:
    await import_units(db, tashan)
    return IncidentService(db.transaction, clock, PlainWords(), IncidentPolicy())


async def outbox(db: Database) -> list[tuple[int, str]]:
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=500))
    return [(r.message.chat_id, r.message.text) for r in rows]


async def test_a_member_reports_and_only_the_draft_is_shown(
    db: Database, service: IncidentService
) -> None:
    incident = await service.draft(TS0101_CHAT, TS0101_MEMBER, REPORT, None)
    assert (incident.stage, incident.unit_code, incident.high_risk) == (
        Stage.DRAFT,
        "ts-01-01",
        True,  # through Hubei, a high-risk region by default
    )
    assert [chat for chat, _ in await outbox(db)] == [TS0101_CHAT]


async def test_someone_outside_the_unit_cannot_report(
    db: Database, service: IncidentService
) -> None:
    with pytest.raises(Refused) as refused:
        await service.draft(TS0101_CHAT, STRANGER, REPORT, None)
    assert refused.value.key == "not-a-member"
    assert await outbox(db) == []


async def test_confirm_alerts_the_parent_and_the_parent_closes_the_loop(
    db: Database, service: IncidentService
) -> None:
    draft = await service.draft(TS0101_CHAT, TS0101_MEMBER, REPORT, None)
    opened = await service.confirm(draft.id, TS0101_CHAT, TS0101_MEMBER)
    assert opened.stage is Stage.OPEN and opened.next_escalation_at is not None
    assert (TS01_CHAT, "alert") in await outbox(db)

    # A neighbour's commander cannot decide; the parent's commander can.
    with pytest.raises(Refused) as refused:
        await service.dispose(draft.id, TS02_CHAT, TS02_COMMANDER, Disposition.CENTRAL)
    assert refused.value.key == "incident-not-here"
    with pytest.raises(Refused) as refused:
        await service.done(draft.id, TS01_CHAT, TS01_COMMANDER)
    assert refused.value.key == "incident-needs-disposition"
    disposed = await service.dispose(draft.id, TS01_CHAT, TS01_COMMANDER, Disposition.CENTRAL)
    assert (disposed.stage, disposed.disposition) == (Stage.DISPOSED, Disposition.CENTRAL)
    closed = await service.done(draft.id, TS01_CHAT, TS01_COMMANDER)
    assert closed.stage is Stage.DONE and closed.next_escalation_at is None
    with pytest.raises(Refused) as refused:
        await service.done(draft.id, TS01_CHAT, TS01_COMMANDER)
    assert refused.value.key == "incident-closed"


async def test_a_unit_higher_up_decides_only_once_the_incident_climbed_to_it(
    db: Database, service: IncidentService, clock: FakeClock
) -> None:
    # docs/commands.md: the unit above the reporting unit decides, higher units once
    # it escalated. HQ's commander in HQ's group is refused before, allowed after.
    draft = await service.draft(TS0101_CHAT, TS0101_MEMBER, REPORT, None)
    await service.confirm(draft.id, TS0101_CHAT, TS0101_MEMBER)
    before = await outbox(db)
    for decide in (
        service.dispose(draft.id, HQ_CHAT, HQ_COMMANDER, Disposition.HOME),
        service.done(draft.id, HQ_CHAT, HQ_COMMANDER),
    ):
        with pytest.raises(Refused) as refused:
            await decide
        assert refused.value.key == "incident-not-here"
    assert await outbox(db) == before
    clock.advance(minutes=20)
    await service.fire_due()
    disposed = await service.dispose(draft.id, HQ_CHAT, HQ_COMMANDER, Disposition.HOME)
    assert (disposed.stage, disposed.disposed_by) == (Stage.DISPOSED, HQ_COMMANDER)
    # Up there, only who answers for HQ: 塔山村's commander decides in his own group.
    with pytest.raises(Refused) as refused:
        await service.done(draft.id, HQ_CHAT, TS01_COMMANDER)
    assert refused.value.key == "not-unit-commander"
    assert (await service.done(draft.id, TS01_CHAT, TS01_COMMANDER)).stage is Stage.DONE


async def test_unresolved_after_20_minutes_it_climbs_one_level(
    db: Database, service: IncidentService, clock: FakeClock
) -> None:
    draft = await service.draft(TS0101_CHAT, TS0101_MEMBER, REPORT, None)
    await service.confirm(draft.id, TS0101_CHAT, TS0101_MEMBER)
    clock.advance(minutes=19)
    assert await service.fire_due() == []
    clock.advance(minutes=1)
    (escalated,) = await service.fire_due()
    assert escalated.escalations == 1
    assert (HQ_CHAT, "alert") in await outbox(db)
