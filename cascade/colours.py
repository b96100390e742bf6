"""Red / yellow / green units (红黄绿三色预警): what each unit's colour is, and who may set it.

Yiwu's tower marked every combat unit green (safe), yellow (abnormal personnel:
warned, must rectify) or red (a hidden risk: emergency handling). A chief looks
at the colours to decide where people go first, so a parent must never look
calmer than what lies under it: it shows the worst colour of its subtree, and
how many units below are of each colour.

A unit's *own* colour comes from two sources: its open incidents (any open
incident makes it yellow, an open high-risk one red) and a colour a superior
set with `/colour` (kept until cleared with green). The worse of the two wins,
so clearing a manual colour never hides an open incident.

`colour_map` is pure (no I/O); `ColourService` below is the `/colour` decision:
permission, the audit log (the repository logs every change) and the notices to
the target's and the setter's groups, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pydantic import BaseModel

from cascade.clock import Clock
from cascade.errors import Refused
from cascade.incidents import Colour, Incident, UnitColour
from cascade.outgoing import OutgoingMessage, Priority, Rendered
from cascade.ports import UnitOfWork, UnitOfWorkFactory
from cascade.tower import ANSWERING, UnitRef

RANK = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}
COLOURS_WORST_FIRST = (Colour.RED, Colour.YELLOW, Colour.GREEN)
MAX_REASON = 200

# What people type after /colour: English, Chinese, with or without 色.
COLOUR_WORDS: dict[str, Colour] = {
    "red": Colour.RED,
    "r": Colour.RED,
    "红": Colour.RED,
    "红色": Colour.RED,
    "yellow": Colour.YELLOW,
    "y": Colour.YELLOW,
    "黄": Colour.YELLOW,
    "黄色": Colour.YELLOW,
    "green": Colour.GREEN,
    "g": Colour.GREEN,
    "绿": Colour.GREEN,
    "绿色": Colour.GREEN,
}


def worst(colours: Iterable[Colour]) -> Colour:
    """The most alarming colour of `colours` (green for none)."""
    return max(colours, key=RANK.__getitem__, default=Colour.GREEN)


class ColourView(BaseModel):
    """A unit's own colour, the worst colour of its subtree and the colour counts there.

    `counts` has one entry per colour (zeros included) and counts the units of
    the subtree, the unit itself included, by their own colour.
    """

    own: Colour
    rolled: Colour
    counts: dict[Colour, int]

    @property
    def size(self) -> int:
        return sum(self.counts.values())


def own_colour(incidents: Iterable[Incident], manual: UnitColour | None = None) -> Colour:
    """One unit's own colour from its incidents and a superior's setting."""
    found = [manual.colour] if manual is not None else []
    for incident in incidents:
        if incident.is_open:
            found.append(Colour.RED if incident.high_risk else Colour.YELLOW)
    return worst(found)


def colour_map(
    units: list[UnitRef], incidents: list[Incident], manual: dict[str, UnitColour]
) -> dict[str, ColourView]:
    """The colour view of every unit in `units`, in any order.

    A unit whose parent is not in `units` is a root of what is given (e.g. the
    asking chat's unit); incidents and manual colours of units not in `units`
    are ignored.
    """
    by_code = {u.code: u for u in units}
    per_unit: dict[str, list[Incident]] = {}
    for incident in incidents:
        if incident.unit_code in by_code:
            per_unit.setdefault(incident.unit_code, []).append(incident)
    own = {code: own_colour(per_unit.get(code, ()), manual.get(code)) for code in by_code}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for unit in by_code.values():
        if unit.parent is not None and unit.parent in by_code and unit.parent != unit.code:
            children.setdefault(unit.parent, []).append(unit.code)
        else:
            roots.append(unit.code)
    views: dict[str, ColourView] = {}
    # Iterative post-order: children before parents, with no recursion limit.
    for root in roots:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            code, expanded = stack.pop()
            if code in views:
                continue
            kids = children.get(code, [])
            if not expanded:
                stack.append((code, True))
                stack.extend((kid, False) for kid in kids if kid not in views)
                continue
            counts = {colour: 0 for colour in COLOURS_WORST_FIRST}
            counts[own[code]] += 1
            rolled = own[code]
            for kid in kids:
                view = views[kid]
                rolled = worst((rolled, view.rolled))
                for colour, n in view.counts.items():
                    counts[colour] += n
            views[code] = ColourView(own=own[code], rolled=rolled, counts=counts)
    return views


def echo(value: str, limit: int = 40) -> str:
    """What a person typed, cut short for a refusal (the bot escapes it when rendering)."""
    return value[:limit]


def parse_colour(word: str) -> Colour | None:
    return COLOUR_WORDS.get(word.strip().lower())


# ---------------------------------------------------------------- /colour


class ColourChange(BaseModel):
    """A colour a superior set (green: cleared), and what the unit shows now."""

    unit: UnitRef
    colour: Colour
    reason: str | None
    set_by: int
    setter_unit: UnitRef | None
    previous: Colour | None
    effective: Colour  # the unit's own colour after the change (open incidents count)
    open_incidents: int


class ColourPresenter(Protocol):
    def colour_notice(self, change: ColourChange, group: UnitRef) -> Rendered:
        """To the target unit's group: a superior set (or cleared) this unit's colour."""
        ...

    def colour_confirmation(self, change: ColourChange, locale: str) -> Rendered:
        """To the setter's group (and the chat the command came from): done."""
        ...


class ColourService:
    """`/colour CODE red|yellow|green REASON` by a superior commander or an HQ admin."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: ColourPresenter,
        admins: frozenset[int] = frozenset(),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.admins = admins

    async def set(
        self,
        chat_id: int,
        user_id: int,
        target: str,
        word: str,
        reason: str | None,
        message_id: int | None = None,
        fallback_locale: str = "zh-Hans",
    ) -> ColourChange:
        colour = parse_colour(word)
        if colour is None:
            raise Refused("colour-bad", value=echo(word, 20))
        reason = (reason or "").strip() or None
        if colour is not Colour.GREEN and reason is None:
            raise Refused("colour-reason-missing", colour=colour.value)
        if reason is not None and len(reason) > MAX_REASON:
            raise Refused("colour-reason-too-long", max=MAX_REASON)
        async with self.uow() as tx:
            here = await tx.tower.by_chat(chat_id)
            unit = await find_unit(tx, target, here)
            if unit is None:
                raise Refused("colour-unknown-unit", code=echo(target))
            setter_unit = await self._setter_unit(tx, unit, user_id, here)
            if setter_unit is None and user_id not in self.admins:
                raise Refused("colour-not-superior", unit=unit.name)
            if setter_unit is None:
                setter_unit = here
            previous = (await tx.incidents.manual_colours([unit.code])).get(unit.code)
            now = self.clock.now()
            setting = UnitColour(
                unit_code=unit.code, colour=colour, reason=reason, set_by=user_id, set_at=now
            )
            await tx.incidents.set_colour(setting)
            open_here = [
                i
                for i in await tx.incidents.under(unit.code, open_only=True)
                if i.unit_code == unit.code
            ]
            manual = setting if colour is not Colour.GREEN else None
            change = ColourChange(
                unit=unit,
                colour=colour,
                reason=reason,
                set_by=user_id,
                setter_unit=setter_unit,
                previous=previous.colour if previous else None,
                effective=own_colour(open_here, manual),
                open_incidents=len(open_here),
            )
            await self._notify(tx, change, chat_id, message_id, here, fallback_locale)
        return change

    async def _setter_unit(
        self, tx: UnitOfWork, unit: UnitRef, user_id: int, here: UnitRef | None
    ) -> UnitRef | None:
        """The nearest unit above `unit` the person commands (the chat's own unit first)."""
        above = (await tx.tower.chain(unit.code))[1:]
        if here is not None and any(a.code == here.code for a in above):
            if await tx.tower.position(here.code, user_id) in ANSWERING:
                return here
        for ancestor in above:
            if await tx.tower.position(ancestor.code, user_id) in ANSWERING:
                return ancestor
        return None

    async def _notify(
        self,
        tx: UnitOfWork,
        change: ColourChange,
        chat_id: int,
        message_id: int | None,
        here: UnitRef | None,
        fallback_locale: str,
    ) -> None:
        """The target's group is told; the setter's group (and the asking chat) confirmed."""
        unit, setter = change.unit, change.setter_unit
        told: set[int] = set()
        if unit.chat_id is not None:
            rendered = self.presenter.colour_notice(change, unit)
            reply = message_id if unit.chat_id == chat_id else None
            await tx.outbox.add(
                OutgoingMessage.of(unit.chat_id, rendered, Priority.INTERACTIVE, reply_to=reply)
            )
            told.add(unit.chat_id)
        targets: list[tuple[int, str]] = []
        if setter is not None and setter.chat_id is not None:
            targets.append((setter.chat_id, setter.locale))
        targets.append((chat_id, here.locale if here is not None else fallback_locale))
        for group_chat, locale in targets:
            if group_chat in told:
                continue
            rendered = self.presenter.colour_confirmation(change, locale)
            reply = message_id if group_chat == chat_id else None
            await tx.outbox.add(
                OutgoingMessage.of(group_chat, rendered, Priority.INTERACTIVE, reply_to=reply)
            )
            told.add(group_chat)


async def find_unit(tx: UnitOfWork, target: str, here: UnitRef | None) -> UnitRef | None:
    """A unit by its code, or by its exact name within the asking chat's subtree."""
    target = target.strip()
    if not target:
        return None
    unit = await tx.tower.ref(target)
    if unit is not None or here is None:
        return unit
    for candidate in await tx.tower.subtree(here.code):
        if candidate.name == target:
            return candidate
    return None
