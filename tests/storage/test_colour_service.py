"""Unit colours through `ColourService` on a real database: who may set them, what is stored,
who is told — the rules, without the dispatcher or HTTP.

Red, yellow and green units (红黄绿) are set by a superior commander or an HQ
admin, never by the unit's own commander or a neighbour; a non-green colour
needs its reason; a refused change leaves neither a colour nor a message.
"""

from __future__ import annotations

import pytest

from cascade.clock import FakeClock
from cascade.colours import ColourService
from cascade.errors import Refused
from cascade.incidents import Colour
from cascade.tower import Unit
from storage.db import Database
from storage.importer import import_units
from tests.support.plain_words import PlainWords, sent

HQ_ADMIN = 7000000001
HQ_CHAT, HQ_COMMANDER = -1002000000001, 6000000001
TS01_CHAT, TS01_COMMANDER, TS01_DEPUTY = -1002000000002, 6000000007, 6000000008
TS0101_CHAT, TS0101_COMMANDER = -1002000000003, 6000000009
TS02_COMMANDER = 6000000118


@pytest.fixture
async def service(db: Database, tashan: list[Unit]) -> ColourService:
    await import_units(db, tashan)
    return ColourService(db.transaction, FakeClock(), PlainWords(), frozenset({HQ_ADMIN}))


async def stored(db: Database, code: str) -> Colour | None:
    async with db.transaction() as tx:
        setting = (await tx.incidents.manual_colours([code])).get(code)
    return setting.colour if setting else None


async def test_the_parent_commander_sets_red_and_both_groups_hear(
    db: Database, service: ColourService
) -> None:
    change = await service.set(TS01_CHAT, TS01_COMMANDER, "ts-01-01", "red", "发现湖北返回人员")
    assert (change.colour, change.effective, change.previous) == (Colour.RED, Colour.RED, None)
    assert change.setter_unit is not None and change.setter_unit.code == "ts-01"
    assert await stored(db, "ts-01-01") is Colour.RED
    assert await sent(db) == sorted(
        [(TS0101_CHAT, "colour_notice"), (TS01_CHAT, "colour_confirmation")]
    )


async def test_a_deputy_above_and_an_hq_admin_may_set_it_too(
    db: Database, service: ColourService
) -> None:
    await service.set(TS01_CHAT, TS01_DEPUTY, "ts-01-01", "yellow", "人员异常")
    assert await stored(db, "ts-01-01") is Colour.YELLOW
    cleared = await service.set(HQ_CHAT, HQ_ADMIN, "ts-01-01", "green", None)
    assert (cleared.previous, cleared.effective) == (Colour.YELLOW, Colour.GREEN)
    assert await stored(db, "ts-01-01") is None  # green clears the setting


@pytest.mark.parametrize(
    ("chat", "user", "why"),
    [
        (TS0101_CHAT, TS0101_COMMANDER, "colour-not-superior"),  # the unit's own commander
        (TS01_CHAT, TS02_COMMANDER, "colour-not-superior"),  # a neighbour village's commander
    ],
)
async def test_no_one_but_a_superior_sets_a_colour_and_a_refusal_leaves_nothing(
    db: Database, service: ColourService, chat: int, user: int, why: str
) -> None:
    with pytest.raises(Refused) as refused:
        await service.set(chat, user, "ts-01-01", "red", "理由")
    assert refused.value.key == why
    assert await stored(db, "ts-01-01") is None
    assert await sent(db) == []


@pytest.mark.parametrize(
    ("word", "reason", "why"),
    [("red", None, "colour-reason-missing"), ("purple", "x", "colour-bad")],
)
async def test_a_colour_needs_a_known_word_and_a_reason(
    db: Database, service: ColourService, word: str, reason: str | None, why: str
) -> None:
    with pytest.raises(Refused) as refused:
        await service.set(HQ_CHAT, HQ_COMMANDER, "ts-01-01", word, reason)
    assert refused.value.key == why
    assert await sent(db) == []
