"""Words for unit colours: the colour marks and the notices of a colour change.

`ColourWords` is the bot's `ColourPresenter` (cascade/colours.py): the domain
decides who hears of a change, this says it in each group's language. The
marks (🔴🟡🟢) are the ones every colour text uses (/tree, /colour, /incidents).
"""

from __future__ import annotations

from bot.i18n import Texts
from cascade.colours import ColourChange
from cascade.incidents import Colour
from cascade.outgoing import Rendered
from cascade.tower import UnitRef

COLOUR_MARK = {Colour.RED: "🔴", Colour.YELLOW: "🟡", Colour.GREEN: "🟢"}


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
                mark=COLOUR_MARK[change.colour],
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
                mark=COLOUR_MARK[change.colour],
                unit=change.unit.name,
                colour=self.t.get(loc, "colour-name", colour=change.colour.value),
                reason=change.reason or "",
            )
        return Rendered(text=text + self._still(change, loc))
