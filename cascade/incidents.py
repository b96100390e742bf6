"""Incidents: returnees reported from a unit, and the 20-minute loop they start.

A report is first a draft (the bot shows what it understood, the reporter
confirms), then open: the parent commander chooses a disposition (register at
the service station, home observation, central isolation, no action) and then
marks it done (落实). Unresolved 20 minutes after the report it climbs one level,
and again every 20 minutes. The stage times are the loop's measurements.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel

from cascade.returnee import ReturneeReport

ESCALATE_EVERY = timedelta(minutes=20)


class Stage(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    DISPOSED = "disposed"
    DONE = "done"
    DISCARDED = "discarded"


class Disposition(StrEnum):
    REGISTER = "register"  # register at the service station
    HOME = "home"  # home observation
    CENTRAL = "central"  # central isolation
    NONE = "none"  # no action needed


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Incident(BaseModel):
    id: int
    unit_code: str
    reporter_id: int
    chat_id: int
    text: str
    report: ReturneeReport
    high_risk: bool = False
    stage: Stage = Stage.DRAFT
    disposition: Disposition | None = None
    created_at: datetime
    reported_at: datetime | None = None
    disposed_at: datetime | None = None
    disposed_by: int | None = None
    done_at: datetime | None = None
    done_by: int | None = None
    escalations: int = 0
    next_escalation_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Reported and not yet carried out: it counts for colours and escalations."""
        return self.stage in (Stage.OPEN, Stage.DISPOSED)

    @property
    def people(self) -> int:
        return self.report.count or 0


class UnitColour(BaseModel):
    """A colour set by a superior with `/colour`, kept with who and why."""

    unit_code: str
    colour: Colour
    reason: str | None
    set_by: int
    set_at: datetime
