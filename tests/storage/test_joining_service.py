"""Joining the tower through `JoiningService` on a real database: who may hand out
links and bind groups, what a link may do once, who is told — the rules, without
the dispatcher or HTTP (tests/e2e/test_joining.py shows the same through Telegram).

Only a unit's commander, a deputy or an HQ admin gets the invite sheet or binds
a group with the unit's link; anyone else is refused and the parent's group
told. A unit whose group is live moves only when its commander (or an admin)
confirms, and the old group hears where it went. A person link fills one slot
once, for one person, within its lifetime.
"""

from __future__ import annotations

import pytest

from cascade.clock import FakeClock
from cascade.errors import Refused
from cascade.invites import INVITE_TTL
from cascade.joining import JoiningService
from cascade.tower import Unit
from storage.db import Database
from storage.importer import import_units
from tests.support.plain_words import PlainWords, sent

HQ_ADMIN = 7000000001
TS01_CHAT, TS01_COMMANDER, TS01_DEPUTY = -1002000000002, 6000000007, 6000000008
TS0101_CHAT, TS0101_COMMANDER = -1002000000003, 6000000009
TS0102_CHAT, TS0102_COMMANDER = -1002000000004, 6000000014
NEW_CHAT = -1002999999999
NEWCOMER, STRANGER = 8000000001, 8000000002


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def service(db: Database, tashan: list[Unit], clock: FakeClock) -> JoiningService:
    """Tashan with ts-01-01 not yet in a group and the last member slot of ts-01-02 empty."""
    units = {u.code: u for u in tashan}
    units["ts-01-01"].chat_id = None
    units["ts-01-02"].members[-1].telegram_id = None
    await import_units(db, tashan)
    return JoiningService(db.transaction, clock, PlainWords(), frozenset({HQ_ADMIN}))


async def chat_of(db: Database, code: str) -> int | None:
    async with db.transaction() as tx:
        unit = await tx.tower.ref(code)
    assert unit is not None
    return unit.chat_id


async def link(service: JoiningService, unit: str, kind: str = "group") -> str:
    """The `?startgroup=` (or first `?start=`) token of `unit` from ts-01's sheet."""
    sheet = await service.invite_sheet(TS01_CHAT, TS01_COMMANDER, None)
    line = next(line for line in sheet if line.unit.code == unit)
    return line.group_token if kind == "group" else line.people[0][1]


async def test_the_sheet_lists_every_unit_below_with_links_for_empty_slots_only(
    service: JoiningService,
) -> None:
    sheet = await service.invite_sheet(TS01_CHAT, TS01_DEPUTY, None)
    assert [line.unit.parent for line in sheet] == ["ts-01"] * len(sheet)
    people = {line.unit.code: [slot.seq for slot, _ in line.people] for line in sheet}
    assert people["ts-01-01"] == [] and len(people["ts-01-02"]) == 1
    again = await service.invite_sheet(TS01_CHAT, TS01_COMMANDER, None)
    assert [line.group_token for line in again] == [line.group_token for line in sheet]


@pytest.mark.parametrize(
    ("chat", "user", "code", "key"),
    [
        (TS01_CHAT, STRANGER, None, "not-allowed-invite"),
        (TS0102_CHAT, TS0102_COMMANDER, "ts-01-01", "invite-unknown-unit"),  # a sibling
        (NEW_CHAT, TS01_COMMANDER, None, "chat-unbound"),
    ],
)
async def test_the_sheet_is_refused_outside_ones_own_command(
    service: JoiningService, chat: int, user: int, code: str | None, key: str
) -> None:
    with pytest.raises(Refused) as refused:
        await service.invite_sheet(chat, user, code)
    assert refused.value.key == key


async def test_the_units_commander_binds_its_group_with_the_link(
    db: Database, service: JoiningService
) -> None:
    token = await link(service, "ts-01-01")
    result = await service.bind_by_token(NEW_CHAT, "塔山一组", TS0101_COMMANDER, token)
    assert (result.bound, result.needs_move) == (True, False)
    assert await chat_of(db, "ts-01-01") == NEW_CHAT
    assert await sent(db) == []


async def test_anyone_else_is_refused_and_the_parent_group_told(
    db: Database, service: JoiningService
) -> None:
    token = await link(service, "ts-01-01")
    result = await service.bind_by_token(NEW_CHAT, "塔山一组", STRANGER, token, "路人")
    assert (result.bound, result.needs_move) == (False, False)
    assert await chat_of(db, "ts-01-01") is None
    assert await sent(db) == [(TS01_CHAT, "bind_refused")]


async def test_a_forged_or_foreign_link_binds_nothing(
    db: Database, service: JoiningService
) -> None:
    person = await link(service, "ts-01-02", kind="person")
    for token in ("not-a-token", person):  # a person link is not a group link
        with pytest.raises(Refused) as refused:
            await service.bind_by_token(NEW_CHAT, "塔山一组", HQ_ADMIN, token)
        assert refused.value.key == "invite-invalid"
    assert await chat_of(db, "ts-01-01") is None


async def test_a_live_group_moves_only_on_its_commanders_word_and_the_old_group_hears(
    db: Database, service: JoiningService
) -> None:
    token = await link(service, "ts-01-02")
    result = await service.bind_by_token(NEW_CHAT, "新群", TS0102_COMMANDER, token)
    assert (result.bound, result.needs_move) == (False, True)
    assert await chat_of(db, "ts-01-02") == TS0102_CHAT
    with pytest.raises(Refused) as refused:
        await service.confirm_move("ts-01-02", NEW_CHAT, "新群", TS01_DEPUTY)
    assert refused.value.key == "not-allowed-move"
    moved = await service.confirm_move("ts-01-02", NEW_CHAT, "新群", TS0102_COMMANDER)
    assert moved.chat_id == NEW_CHAT == await chat_of(db, "ts-01-02")
    assert await sent(db) == [(TS0102_CHAT, "unit_moved")]


async def test_a_group_of_one_unit_is_not_bound_to_another(
    db: Database, service: JoiningService
) -> None:
    with pytest.raises(Refused) as refused:
        await service.bind_by_code(TS0102_CHAT, HQ_ADMIN, "ts-01-01")
    assert refused.value.key == "chat-bound-elsewhere"
    assert await chat_of(db, "ts-01-01") is None
    with pytest.raises(Refused) as refused:
        await service.bind_by_code(NEW_CHAT, TS01_COMMANDER, "ts-01-01")
    assert refused.value.key == "not-admin"  # /bind CODE is for HQ admins only


async def test_a_person_link_fills_its_slot_once_for_one_person(
    service: JoiningService,
) -> None:
    token = await link(service, "ts-01-02", kind="person")
    unit, slot = await service.claim(NEWCOMER, token)
    assert (unit.code, slot.telegram_id) == ("ts-01-02", NEWCOMER)
    assert (await service.claim(NEWCOMER, token))[1].seq == slot.seq  # opened twice: fine
    with pytest.raises(Refused) as refused:
        await service.claim(STRANGER, token)
    assert refused.value.key == "invite-used"


async def test_an_old_link_is_refused_and_the_sheet_gives_a_new_one(
    service: JoiningService, clock: FakeClock
) -> None:
    token = await link(service, "ts-01-02", kind="person")
    clock.advance(seconds=INVITE_TTL.total_seconds() + 1)
    with pytest.raises(Refused) as refused:
        await service.claim(NEWCOMER, token)
    assert refused.value.key == "invite-expired"
    fresh = await link(service, "ts-01-02", kind="person")
    assert fresh != token
    assert (await service.claim(NEWCOMER, fresh))[1].telegram_id == NEWCOMER
