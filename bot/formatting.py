"""Wording helpers shared by the presenter and the query handlers: times,
durations and per-level lists, in the unit's language and time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Texts


class Formatter:
    def __init__(self, texts: Texts, tz: str = "Asia/Shanghai") -> None:
        self.texts = texts
        self.tz = ZoneInfo(tz)

    def clock(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%H:%M")

    def seconds(self, value: float | None) -> str:
        if value is None:
            return "—"
        total = round(value)
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return f"{hours}h{minutes:02d}m"
        if minutes:
            return f"{minutes}m{secs:02d}s"
        return f"{secs}s"

    def duration(self, delta: timedelta) -> str:
        return self.seconds(delta.total_seconds())

    def level(self, locale: str, level: int) -> str:
        return self.texts.get(locale, "level-name", level=level)

    def levels(self, locale: str, by_level: dict[int, int]) -> str:
        return self.join(
            locale,
            [
                self.texts.get(locale, "level-count", level=level, count=count)
                for level, count in sorted(by_level.items())
            ],
        )

    def join(self, locale: str, parts: list[str]) -> str:
        return (", " if self.texts.pick(locale) == "en" else "、").join(parts)
