"""The state of the tower: `/colour`, `/map`, `/daily`, `/incidents`.

Chiefs ask "where is it red, how many came back today, what is still open";
these commands answer for the asking chat's unit's subtree. Everything goes to
group chats, so incidents are shown by unit, head count, origin and route only:
no names, phones, ID numbers or house numbers (see `cascade.masking`); the
full details stay in the commanders' private chats and in exports.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import daily as tallies_text
from bot import maps
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.html import join
from bot.i18n import Texts
from bot.replier import Replier
from cascade import masking
from cascade.colours import ColourChange, ColourService, parse_colour
from cascade.errors import Refused
from cascade.incidents import Colour, Incident, Stage
from cascade.outgoing import Rendered
from cascade.queries import IncidentList, QueryService
from cascade.tower import UnitRef

MARK = {Colour.RED: "🔴", Colour.YELLOW: "🟡", Colour.GREEN: "🟢"}
MAX_INCIDENT_LINES = 25
WHICH = {
    "": "all",
    "all": "all",
    "全部": "all",
    "open": "open",
    "未结": "open",
    "未处置": "open",
    "today": "today",
    "今天": "today",
    "今日": "today",
}


# ---------------------------------------------------------------- words for /colour


class ColourWords:
    """The bot's `ColourPresenter`: the notices of a colour change, in each group's language."""

    def __init__(self, texts: Texts) -> None:
        self.t = texts

    def _setter(self, change: ColourChange, locale: str) -> str:
        if change.setter_unit is None:
            return self.t.get(locale, "colour-setter-hq")
        return change.setter_unit.name

    def _still(self, change: ColourChange, locale: str) -> str:
        if change.effective is change.colour or change.effective is Colour.GREEN:
            return ""
        return "\n" + self.t.get(
            locale,
            "colour-still",
            unit=change.unit.name,
            count=change.open_incidents,
            colour=self.t.get(locale, "colour-name", colour=change.effective.value),
        )

    def _cleared_reason(self, change: ColourChange, locale: str) -> str:
        if not change.reason:
            return ""
        return self.t.get(locale, "colour-cleared-reason", reason=change.reason)

    def colour_notice(self, change: ColourChange, group: UnitRef) -> Rendered:
        loc = self.t.pick(group.locale)
        if change.colour is Colour.GREEN:
            text = self.t.get(
                loc,
                "colour-notice-cleared",
                setter=self._setter(change, loc),
                unit=change.unit.name,
                reason=self._cleared_reason(change, loc),
            ).rstrip()
        else:
            text = self.t.get(
                loc,
                "colour-notice",
                mark=MARK[change.colour],
                setter=self._setter(change, loc),
                unit=change.unit.name,
                colour=self.t.get(loc, "colour-name", colour=change.colour.value),
                reason=change.reason or "",
            )
        return Rendered(text=text + self._still(change, loc))

    def colour_confirmation(self, change: ColourChange, locale: str) -> Rendered:
        loc = self.t.pick(locale)
        if change.colour is Colour.GREEN:
            text = self.t.get(
                loc,
                "colour-cleared",
                unit=change.unit.name,
                reason=self._cleared_reason(change, loc),
            ).rstrip()
        else:
            text = self.t.get(
                loc,
                "colour-set",
                mark=MARK[change.colour],
                unit=change.unit.name,
                colour=self.t.get(loc, "colour-name", colour=change.colour.value),
                reason=change.reason or "",
            )
        return Rendered(text=text + self._still(change, loc))


# ---------------------------------------------------------------- /colour


def parse_colour_args(args: str | None) -> tuple[str, str, str | None]:
    """`CODE COLOUR [REASON]` (the colour first is forgiven) → target, colour word, reason."""
    parts = (args or "").split(maxsplit=2)
    if len(parts) < 2:
        raise Refused("colour-usage")
    target, word = parts[0], parts[1]
    if parse_colour(target) is not None and parse_colour(word) is None:
        target, word = word, target
    return target, word, parts[2] if len(parts) > 2 else None


async def colour(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    colours: ColourService,
) -> None:
    target, word, reason = parse_colour_args(command.args)
    await colours.set(
        ctx.chat_id,
        ctx.user_id,
        target,
        word,
        reason,
        message_id=ctx.message_id,
        fallback_locale=ctx.locale,
    )


# ---------------------------------------------------------------- /map


async def map_command(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    tree = await queries.colours(ctx.chat_id, (command.args or "").strip() or None)
    when = queries.clock.now().astimezone(fmt.tz)
    layout, labels = await asyncio.to_thread(maps.pick, replier.texts, ctx.locale, tree, when)
    png = await asyncio.to_thread(maps.render, layout, labels)
    counts = tree.views[tree.scope.code].counts
    caption = replier.texts.get(
        ctx.locale,
        "map-caption",
        unit=tree.scope.name,
        red=counts[Colour.RED],
        yellow=counts[Colour.YELLOW],
        green=counts[Colour.GREEN],
    )
    await replier.file(ctx, png, f"map-{tree.scope.code}.png", caption, photo=True)


# ---------------------------------------------------------------- /daily


async def daily(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    days = tallies_text.daily_days(command.args)
    tally = await queries.daily(ctx.chat_id, days, fmt.tz)
    await replier.text(ctx, tallies_text.daily_text(replier.texts, ctx.locale, tally))
    png = await tallies_text.chart_png(replier.texts, ctx.locale, tally)
    caption = replier.texts.get(ctx.locale, "daily-caption", unit=tally.scope.name, days=days)
    filename = f"daily-{tally.scope.code}-{tally.last.day.isoformat()}.png"
    await replier.file(ctx, png, filename, caption, photo=True)


# ---------------------------------------------------------------- /incidents


def age(texts: Texts, locale: str, delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return texts.get(locale, "inclist-age-minutes", minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return texts.get(locale, "inclist-age-hours", hours=hours, minutes=minutes)
    days, hours = divmod(hours, 24)
    return texts.get(locale, "inclist-age-days", days=days, hours=hours)


def incident_line(
    texts: Texts, locale: str, incident: Incident, unit: UnitRef | None, now: datetime
) -> str:
    """One incident for a group: counts, places and stages only, never a personal value."""
    report = incident.report
    people = (
        texts.get(locale, "inclist-people", count=report.count)
        if report.count is not None
        else texts.get(locale, "inclist-people-unknown")
    )
    origin = (
        masking.scrub(report.origin, report)
        if report.origin
        else texts.get(locale, "inclist-origin-unknown")
    )
    via = ""
    if report.via:
        places = join("、", [masking.scrub(v, report) for v in report.via])
        via = texts.get(locale, "inclist-via", places=places)
    disposition = (
        texts.get(locale, f"inclist-disposition-{incident.disposition.value}")
        if incident.disposition is not None
        else ""
    )
    stage = incident.stage if incident.stage in (Stage.DISPOSED, Stage.DONE) else Stage.OPEN
    state = texts.get(locale, f"inclist-state-{stage.value}", disposition=disposition)
    escalated = (
        texts.get(locale, "inclist-escalated", count=incident.escalations)
        if incident.escalations and incident.is_open
        else ""
    )
    return texts.get(
        locale,
        "inclist-line",
        mark="🔴" if incident.high_risk else "🟡",
        id=str(incident.id),
        unit=unit.name if unit else incident.unit_code,
        people=people,
        route=texts.get(locale, "inclist-route", origin=origin, via=via),
        state=state,
        age=age(texts, locale, now - (incident.reported_at or incident.created_at)),
        escalated=escalated,
    )


def incidents_text(texts: Texts, locale: str, view: IncidentList, now: datetime) -> str:
    unit = view.scope.name
    if not view.incidents:
        return texts.get(locale, "inclist-none", unit=unit, which=view.which)
    lines: list[str] = [
        texts.get(locale, "inclist-head", unit=unit, which=view.which, count=view.total)
    ]
    for incident in view.incidents[:MAX_INCIDENT_LINES]:
        lines.append(
            incident_line(texts, locale, incident, view.units.get(incident.unit_code), now)
        )
    if view.total > MAX_INCIDENT_LINES:
        lines.append(texts.get(locale, "inclist-more", count=view.total - MAX_INCIDENT_LINES))
    return "\n".join(lines)


async def incidents_command(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    which = WHICH.get((command.args or "").strip().lower())
    if which is None:
        raise Refused("inclist-usage")
    view = await queries.incident_list(ctx.chat_id, which, fmt.tz)
    text = incidents_text(replier.texts, ctx.locale, view, queries.clock.now())
    await replier.text(ctx, text)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="tower_state")
    router.message.register(colour, Command("colour", "color"))
    router.message.register(map_command, Command("map"))
    router.message.register(daily, Command("daily"))
    router.message.register(incidents_command, Command("incidents"))
    return router
