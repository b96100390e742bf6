"""The landlord 12-point score (房东十二分制): periods, automatic points, rankings.

Every landlord starts each period (a month by default) at 12 points. A returnee
reported before or at arrival earns a point; a report more than 24 hours after
arrival costs two. Where the report does not pin the arrival down (no arrival, or
a day without a time that the report falls on), no automatic point is given:
a score is never moved on a guess.

The weekly ranking names the top 3 "five-good landlords" (五好房东) and the
bottom 3 "tractor landlords" (拖拉机房东). Ties are broken the fair way — not at
all: equal scores share a place (1, 2, 2, 4), everyone whose place is within
the top (or bottom) 3 is named, in name order. Nobody is named twice: a
landlord already among the top is not listed at the bottom, so when everyone
has the same score there are no tractor landlords.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field


class Period(StrEnum):
    MONTH = "month"
    WEEK = "week"


class ScorePolicy(BaseModel):
    """Every number of the score, configurable (see `bot/people_settings.py`)."""

    period: Period = Period.MONTH
    start: int = 12
    early_points: int = 1
    late_points: int = -2
    late_after: timedelta = timedelta(hours=24)
    max_manual: int = 12
    rank_weekday: int = Field(0, ge=0, le=6)  # Monday
    rank_at: time = time(9, 0)
    top: int = 3
    timezone: str = "Asia/Shanghai"

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)


class ScoreEntry(BaseModel):
    """One signed change of a landlord's score, with who, why and when."""

    id: int = 0
    unit_code: str
    landlord_id: int | None
    landlord_name: str
    period: str
    delta: int
    reason: str
    source: str  # "auto" (from an incident) or "manual" (/score)
    incident_id: int | None = None
    actor: int | None = None
    at: datetime


class Standing(BaseModel):
    """A landlord's place in a ranking."""

    unit_code: str
    unit_name: str
    landlord_name: str
    landlord_id: int | None
    score: int
    place: int


class Ranking(BaseModel):
    scope_code: str
    scope_name: str
    period: str
    standings: list[Standing]
    best: list[Standing]
    worst: list[Standing]
    all_tied: bool
    locale: str = "zh-Hans"


def period_key(moment: datetime, policy: ScorePolicy) -> str:
    """`2020-02` for a month, `2020-W08` for an ISO week, in the tower's time zone."""
    local = moment.astimezone(policy.tz)
    if policy.period is Period.WEEK:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def automatic_points(
    reported_at: datetime, arrival: date | datetime | None, policy: ScorePolicy
) -> tuple[int, str] | None:
    """(points, reason key) for a landlord's report, or None when it earns nothing.

    A day without a time counts as early only when the report came on an earlier
    day, and as late only when it came more than `late_after` after that day ended.
    """
    if arrival is None:
        return None
    if isinstance(arrival, datetime):
        moment = arrival if arrival.tzinfo else arrival.replace(tzinfo=policy.tz)
        if reported_at <= moment:
            return policy.early_points, "early"
        if reported_at - moment > policy.late_after:
            return policy.late_points, "late"
        return None
    day_start = datetime.combine(arrival, time(0), tzinfo=policy.tz)
    if reported_at < day_start:
        return policy.early_points, "early"
    if reported_at - (day_start + timedelta(days=1)) > policy.late_after:
        return policy.late_points, "late"
    return None


def rank(
    rows: list[tuple[str, str, str, int | None, int]], top: int
) -> tuple[list[Standing], list[Standing], list[Standing], bool]:
    """Standings from (unit code, unit name, landlord name, id, score) rows.

    Returns every standing (best first), the best, the worst, and whether all tied.
    """
    ordered = sorted(rows, key=lambda r: (-r[4], r[2], r[0]))
    standings: list[Standing] = []
    for index, (code, unit_name, name, landlord_id, score) in enumerate(ordered):
        place = standings[-1].place if standings and standings[-1].score == score else index + 1
        standings.append(
            Standing(
                unit_code=code,
                unit_name=unit_name,
                landlord_name=name,
                landlord_id=landlord_id,
                score=score,
                place=place,
            )
        )
    all_tied = len({s.score for s in standings}) <= 1
    best = [s for s in standings if s.place <= top]
    chosen = {s.unit_code for s in best}
    # The place counted from the bottom: one more than how many scored strictly lower.
    scores = sorted(s.score for s in standings)
    worst = [
        s
        for s in standings
        if bisect_left(scores, s.score) + 1 <= top and s.unit_code not in chosen
    ]
    worst.sort(key=lambda s: (s.score, s.landlord_name, s.unit_code))
    return standings, best, worst, all_tied


def last_moment(now: datetime, policy: ScorePolicy) -> datetime:
    """The latest weekly ranking time at or before `now` (in the tower's time zone)."""
    local = now.astimezone(policy.tz)
    back = (local.weekday() - policy.rank_weekday) % 7
    moment = datetime.combine(local.date() - timedelta(days=back), policy.rank_at, tzinfo=policy.tz)
    if moment > local:
        moment -= timedelta(days=7)
    return moment
