"""Daily tallies: how many returnees came in and how many were isolated, day by day.

Through the tower Yiwu knew each evening the new Hubei-related people under
isolation (529, 408, 571, 894, 761, 747 for Feb 20-25). HQ reads these numbers
as a trend, per level-1 unit, so the tally is:

- per calendar day **in the tower's time zone** (Asia/Shanghai): a report at
  23:59 belongs to that day, one at 00:00 to the next, whatever UTC says;
- new returnees: the people of the incidents reported that day
  (`Incident.people`), and the number of incidents reported, of which
  `unknown` were confirmed without a count ("还缺：人数"): their people are in
  no sum, and saying so keeps "返回 0 人" from reading as nobody;
- isolations by kind: the people placed that day (`disposed_at`) under central
  isolation, home observation or registration at the service station (a "no
  action" disposition counts for none);
- broken down by the scope's children: for HQ these are the level-1 units (a
  level-1 unit's parent is always the root), and for towers without level-1
  units (Tashan: HQ → level 2) the root's children, as the brief asks.
  Incidents reported at the scope unit itself get a row of their own.

Pure: the caller fetches the incidents (drafts and discarded reports are never
counted) and the subtree.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from pydantic import BaseModel, Field

from cascade.incidents import Disposition, Incident, Stage
from cascade.tower import UnitRef

DEFAULT_DAYS = 7
MAX_DAYS = 30
TREND_DAYS = 7
# Incidents are fetched by report time; a disposition comes minutes or hours after
# the report, so dispositions in the window are looked for among reports this much older.
DISPOSITION_LOOKBACK = timedelta(days=14)
ISOLATION_KINDS = (Disposition.CENTRAL, Disposition.HOME, Disposition.REGISTER)
UNCOUNTED = (Stage.DRAFT, Stage.DISCARDED)
# The DayCounts field each disposition adds its people to.
FIELDS = {
    Disposition.CENTRAL: "central",
    Disposition.HOME: "home",
    Disposition.REGISTER: "registered",
}


class DayCounts(BaseModel):
    """One day's numbers (people, except `incidents`)."""

    day: date
    returnees: int = 0
    incidents: int = 0
    unknown: int = 0  # of `incidents`, those whose number of people is not known
    central: int = 0
    home: int = 0
    registered: int = 0

    @property
    def isolated(self) -> int:
        """People under central isolation or home observation placed that day."""
        return self.central + self.home

    def by_kind(self, kind: Disposition) -> int:
        field = FIELDS.get(kind)
        return int(getattr(self, field)) if field else 0

    def is_empty(self) -> bool:
        return not (
            self.returnees or self.incidents or self.central or self.home or self.registered
        )

    def __add__(self, other: DayCounts) -> DayCounts:
        return DayCounts(
            day=self.day,
            returnees=self.returnees + other.returnees,
            incidents=self.incidents + other.incidents,
            unknown=self.unknown + other.unknown,
            central=self.central + other.central,
            home=self.home + other.home,
            registered=self.registered + other.registered,
        )


class UnitTally(BaseModel):
    """One row of the breakdown: a child of the scope (or the scope itself)."""

    unit: UnitRef
    days: list[DayCounts]

    @property
    def total(self) -> DayCounts:
        return _sum(self.days)


class Tally(BaseModel):
    scope: UnitRef
    days: list[DayCounts]  # oldest first, one per calendar day, the last is `last`
    units: list[UnitTally] = Field(default_factory=list)

    @property
    def total(self) -> DayCounts:
        return _sum(self.days)

    @property
    def last(self) -> DayCounts:
        return self.days[-1]


def _sum(days: list[DayCounts]) -> DayCounts:
    out = DayCounts(day=days[-1].day if days else date.min)
    for day in days:
        out = out + day
    return out


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def day_start(day: date, tz: tzinfo) -> datetime:
    """Midnight at the start of `day` in `tz`, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=tz)


def window(now: datetime, days: int, tz: tzinfo) -> tuple[date, date]:
    """The first and last calendar day of the `days` days ending today (in `tz`)."""
    last = local_day(now, tz)
    return last - timedelta(days=days - 1), last


def fetch_since(first: date, tz: tzinfo) -> datetime:
    """Report time from which incidents must be read to tally from `first`."""
    return day_start(first, tz) - DISPOSITION_LOOKBACK


def tally(
    scope: UnitRef,
    units: list[UnitRef],
    incidents: list[Incident],
    first: date,
    last: date,
    tz: tzinfo,
) -> Tally:
    """The per-day tally of `scope`'s subtree (`units`) from `first` to `last`, inclusive."""
    calendar = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    index = {day: n for n, day in enumerate(calendar)}
    top = _top_units(scope, units)
    rows: dict[str, list[DayCounts]] = {
        code: [DayCounts(day=day) for day in calendar] for code in dict.fromkeys(top.values())
    }
    for incident in incidents:
        row_code = top.get(incident.unit_code)
        if row_code is None or incident.stage in UNCOUNTED:
            continue  # not in the scope's subtree, or never confirmed
        row = rows[row_code]
        reported = incident.reported_at or incident.created_at
        n = index.get(local_day(reported, tz))
        if n is not None:
            row[n].returnees += incident.people
            row[n].incidents += 1
            row[n].unknown += incident.report.count is None
        field = FIELDS.get(incident.disposition) if incident.disposition else None
        if field is not None and incident.disposed_at is not None:
            n = index.get(local_day(incident.disposed_at, tz))
            if n is not None:
                setattr(row[n], field, getattr(row[n], field) + incident.people)
    refs = {u.code: u for u in units}
    refs.setdefault(scope.code, scope)
    breakdown = [
        UnitTally(unit=refs[code], days=days)
        for code, days in rows.items()
        if code != scope.code or any(not d.is_empty() for d in days)
    ]
    totals = [
        _sum([days[n] for days in rows.values()]).model_copy(update={"day": day})
        for n, day in enumerate(calendar)
    ]
    return Tally(scope=scope, days=totals, units=breakdown)


def _top_units(scope: UnitRef, units: list[UnitRef]) -> dict[str, str]:
    """Each unit of the subtree → the child of `scope` it lies under (the scope → itself).

    Children of the scope come first, in the order given (the tower's order).
    """
    parent = {u.code: u.parent for u in units}
    top: dict[str, str] = {scope.code: scope.code}
    for unit in units:
        if unit.parent == scope.code and unit.code != scope.code:
            top[unit.code] = unit.code
    for unit in units:
        path: list[str] = []
        code: str | None = unit.code
        while code is not None and code not in top and code in parent:
            path.append(code)
            code = parent[code]
        found = top.get(code) if code is not None else None
        for step in path:
            if found is not None:
                top[step] = found
    return top
