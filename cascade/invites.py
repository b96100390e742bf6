"""Invite tokens and person slots, as the joining flow and storage share them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from cascade.tower import Position

GROUP_SLOT = -1  # the `seq` of a unit's group invite (person slots count from 0)


class Invite(BaseModel):
    token: str
    kind: str  # "group" or "person"
    unit_code: str
    seq: int
    created_by: int
    created_at: datetime
    used_by: int | None = None


class Slot(BaseModel):
    seq: int
    position: Position
    name: str
    telegram_id: int | None
