"""One injectable clock, so tests and drills can run a 15-minute loop in seconds."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def real_seconds_until(self, moment: datetime) -> float | None:
        """Real seconds until `moment` on this clock; None if it never comes by itself."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def real_seconds_until(self, moment: datetime) -> float | None:
        return (moment - self.now()).total_seconds()


class ScaledClock:
    """Time running `speed` times faster than the wall clock (drills)."""

    def __init__(
        self, speed: float, start: datetime | None = None, origin: float | None = None
    ) -> None:
        self.speed = speed
        self._start = start or datetime.now(UTC)
        # The monotonic clock is one for the whole machine, so (speed, start, origin)
        # gives another process the very same clock (multi-process drills).
        self._origin = time.monotonic() if origin is None else origin

    def shared(self) -> str:
        """`SPEED@START@ORIGIN`: this clock, for another process (`python -m sandbox
        --clock`)."""
        return f"{self.speed}@{self._start.timestamp()}@{self._origin}"

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(time.monotonic() - self._origin) * self.speed)

    def real_seconds_until(self, moment: datetime) -> float | None:
        return (moment - self.now()).total_seconds() / self.speed


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2020, 2, 20, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def real_seconds_until(self, moment: datetime) -> float | None:
        return None  # a fake clock's moments come only when a test moves it

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
