"""Words for unit colours: the marks, the notices of a change, `/tree`, `/map`'s caption.

`ColourWords` is the bot's `ColourPresenter` (cascade/colours.py): the domain
decides who hears of a change, this says it in each group's language. The
marks (🔴🟡🟢) are the ones every colour text uses (/tree, /colour, /incidents).
"""

from __future__ import annotations

from bot.formatting import Formatter
from bot.i18n import Texts
from cascade.colours import ColourChange
from cascade.incidents import Colour
from cascade.outgoing import Rendered
from cascade.queries import ColouredTree
from cascade.tower import UnitRef

COLOUR_MARK = {Colour.RED: "🔴", Colour.YELLOW: "🟡", Colour.GREEN: "🟢"}
MAX_TREE_LINES = 80
MAX_TREE_CHARS = 3800  # Telegram takes 4,096 characters a message


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

    def _change(
        self, change: ColourChange, loc: str, keys: tuple[str, str], **extra: object
    ) -> Rendered:
        """A change in words: `keys` are the (set, cleared) texts; green clears."""
        set_key, cleared_key = keys
        if change.colour is Colour.GREEN:
            text = self.t.get(
                loc,
                cleared_key,
                unit=change.unit.name,
                reason=self._cleared_reason(change, loc),
                **extra,
            ).rstrip()
        else:
            text = self.t.get(
                loc,
                set_key,
                mark=COLOUR_MARK[change.colour],
                unit=change.unit.name,
                colour=self.t.get(loc, "colour-name", colour=change.colour.value),
                reason=change.reason or "",
                **extra,
            )
        return Rendered(text=text + self._still(change, loc))

    def colour_notice(self, change: ColourChange, group: UnitRef) -> Rendered:
        """To the changed unit's group: who set it, and to what."""
        loc = self.t.pick(group.locale)
        keys = ("colour-notice", "colour-notice-cleared")
        return self._change(change, loc, keys, setter=self._setter(change, loc))

    def colour_confirmation(self, change: ColourChange, locale: str) -> Rendered:
        """To the setter: what the unit is now."""
        return self._change(change, self.t.pick(locale), ("colour-set", "colour-cleared"))


def tree_text(t: Texts, fmt: Formatter, loc: str, coloured: ColouredTree) -> str:
    """`/tree`: the subtree indented by level with each unit's colour and state, cut
    to one message (MAX_TREE_LINES units, MAX_TREE_CHARS) with a count of the rest."""
    units, views = coloured.units, coloured.views
    top = units[0]
    summary = views[top.code]
    lines = [
        t.get(loc, "tree-head", unit=top.name, count=len(units)),
        t.get(
            loc,
            "colour-tree-summary",
            mark=COLOUR_MARK[summary.rolled],
            total=summary.size,
            red=summary.counts[Colour.RED],
            yellow=summary.counts[Colour.YELLOW],
            green=summary.counts[Colour.GREEN],
        ),
    ]
    length = sum(len(line) + 1 for line in lines)
    shown = 0
    for unit in units[1 : MAX_TREE_LINES + 1]:
        view = views[unit.code]
        state = ""
        if view.size > 1:  # a unit with sub-units: how many of each colour below
            state = " " + t.get(
                loc,
                "colour-counts",
                red=view.counts[Colour.RED],
                yellow=view.counts[Colour.YELLOW],
                green=view.counts[Colour.GREEN],
            )
        if unit.chat_id is None:
            state += " " + t.get(loc, "tree-unbound")
        elif unit.unreachable:
            state += " " + t.get(loc, "tree-unreachable")
        line = t.get(
            loc,
            "tree-unit",
            indent="  " * max(0, unit.level - top.level - 1),
            mark=COLOUR_MARK[view.rolled],
            unit=unit.name,
            level=fmt.level(loc, unit.level),
            state=state,
        )
        if length + len(line) + 1 > MAX_TREE_CHARS:
            break
        lines.append(line)
        length += len(line) + 1
        shown += 1
    if len(units) - 1 > shown:
        lines.append(t.get(loc, "tree-more", count=len(units) - 1 - shown))
    return "\n".join(lines)


def map_caption(t: Texts, loc: str, tree: ColouredTree) -> str:
    """`/map`'s caption: the subtree's unit and how many units are of each colour."""
    counts = tree.views[tree.scope.code].counts
    return t.get(
        loc,
        "map-caption",
        unit=tree.scope.name,
        red=counts[Colour.RED],
        yellow=counts[Colour.YELLOW],
        green=counts[Colour.GREEN],
    )
