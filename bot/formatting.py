"""Wording helpers shared by the presenter and the query handlers: times,
durations and per-level lists, in the unit's language and time zone.

Times are written as people read them: a deadline carries its date when it is
not today (截止 3月5日 05:16), a duration is words (10分钟, 9分18秒, 99小时;
10 minutes, 9 min 18 s, 99 hours), never "10m00s".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.html import Markup, join
from bot.i18n import Texts

WEEK = 7 * 86400


class Formatter:
    def __init__(self, texts: Texts, tz: str = "Asia/Shanghai") -> None:
        self.texts = texts
        self.tz = ZoneInfo(tz)

    def clock(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%H:%M")

    def moment(self, locale: str, moment: datetime, now: datetime) -> Markup:
        """ "05:16" when `moment` is on `now`'s local date, else with the date."""
        local, today = moment.astimezone(self.tz), now.astimezone(self.tz)
        if local.date() == today.date():
            return Markup(local.strftime("%H:%M"))
        key = "time-date" if local.year == today.year else "time-date-year"
        return self.texts.get(
            locale,
            key,
            year=local.year,
            month=local.month,
            day=local.day,
            clock=local.strftime("%H:%M"),
        )

    def seconds(self, locale: str, value: float | None) -> Markup:
        """A span in words: 45秒, 9分18秒, 10分钟, 1小时30分钟, 99小时, 8天2小时."""
        if value is None:
            return Markup("—")
        total = max(0, round(value))
        get = self.texts.get
        if total < 60:
            return get(locale, "time-s", n=total)
        if total < 3600:
            minutes, secs = divmod(total, 60)
            if secs == 0:
                return get(locale, "time-m", n=minutes)
            return self._parts(
                locale, [get(locale, "time-m-short", n=minutes), get(locale, "time-s", n=secs)]
            )
        minutes = total // 60
        days, rest = divmod(minutes, 1440) if total >= WEEK else (0, minutes)
        hours, minutes = divmod(rest, 60)
        parts = []
        if days:
            parts.append(get(locale, "time-d", n=days))
        if hours:
            parts.append(get(locale, "time-h", n=hours))
        if minutes:
            parts.append(get(locale, "time-m", n=minutes))
        return self._parts(locale, parts)

    def duration(self, locale: str, delta: timedelta) -> Markup:
        return self.seconds(locale, delta.total_seconds())

    def _parts(self, locale: str, parts: list[Markup]) -> Markup:
        return join("" if self.texts.pick(locale) != "en" else " ", parts)

    def percent(self, done: int, total: int) -> str:
        """Whole percent rounded down, but never "0" once something is done ("<1")."""
        if total <= 0:
            return "100"
        value = 100 * done // total
        return "<1" if value == 0 and done > 0 else str(value)

    def level(self, locale: str, level: int) -> Markup:
        return self.texts.get(locale, "level-name", level=level)

    def levels(self, locale: str, by_level: dict[int, int]) -> Markup:
        return self.join(
            locale,
            [
                self.texts.get(locale, "level-count", level=level, count=count)
                for level, count in sorted(by_level.items())
            ],
        )

    def join(self, locale: str, parts: Iterable[object]) -> Markup:
        """A list in the locale's way (、 or ", "); plain parts are escaped."""
        return join(", " if self.texts.pick(locale) == "en" else "、", parts)
