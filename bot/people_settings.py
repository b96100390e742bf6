"""Settings for people in the tower: the level-3 cap, duties per role, the landlord score.

Kept apart from `bot/settings.py` (the bot's connection and sender) so each
group of knobs reads as one thing; every value is validated at start and a bad
one names its variable, like the others.

- `TOWERBOT_LEVEL3_CAP` (30): people a level-3 unit may hold.
- `TOWERBOT_DUTIES`: a YAML file `{role or position: text}` replacing the built-in
  duty texts of `/whoami` (roles: patroller, informant, health, publicity, admin;
  positions: commander, deputy, member).
- `TOWERBOT_SCORE_PERIOD` (month | week), `TOWERBOT_SCORE_START` (12),
  `TOWERBOT_SCORE_EARLY` (+1), `TOWERBOT_SCORE_LATE` (-2), `TOWERBOT_SCORE_LATE_HOURS` (24).
- `TOWERBOT_RANK_AT` ("mon 09:00"): the weekly ranking's day and time (tower time zone).
- `TOWERBOT_OBSERVATION_DAYS` (14): how long a card shows "under observation".
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import yaml
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cascade.member_service import MemberPolicy
from cascade.scoring import Period, ScorePolicy

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DUTY_KEYS = (
    "commander",
    "deputy",
    "member",
    "patroller",
    "informant",
    "health",
    "publicity",
    "admin",
)
_RANK_AT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):([0-5]\d)$", re.I)


def parse_rank_at(value: str) -> tuple[int, time]:
    match = _RANK_AT.match(value.strip())
    if not match:
        raise ValueError("must be a weekday and a time, like 'mon 09:00'")
    return DAYS.index(match.group(1).lower()), time(int(match.group(2)), int(match.group(3)))


class PeopleSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    level3_cap: int = Field(30, ge=1, le=10_000, alias="TOWERBOT_LEVEL3_CAP")
    duties_file: Path | None = Field(None, alias="TOWERBOT_DUTIES")
    score_period: Period = Field(Period.MONTH, alias="TOWERBOT_SCORE_PERIOD")
    score_start: int = Field(12, ge=0, le=1000, alias="TOWERBOT_SCORE_START")
    score_early: int = Field(1, ge=0, le=100, alias="TOWERBOT_SCORE_EARLY")
    score_late: int = Field(-2, ge=-100, le=0, alias="TOWERBOT_SCORE_LATE")
    score_late_hours: float = Field(24.0, gt=0, le=24 * 30, alias="TOWERBOT_SCORE_LATE_HOURS")
    rank_at: str = Field("mon 09:00", alias="TOWERBOT_RANK_AT")
    observation_days: int = Field(14, ge=1, le=365, alias="TOWERBOT_OBSERVATION_DAYS")
    timezone: str = Field("Asia/Shanghai", alias="TOWERBOT_TZ")

    @field_validator("rank_at")
    @classmethod
    def _rank_at(cls, value: str) -> str:
        parse_rank_at(value)
        return value.strip()

    @field_validator("duties_file")
    @classmethod
    def _duties(cls, value: Path | None) -> Path | None:
        if value is not None:
            load_duties(value)
        return value

    def score_policy(self) -> ScorePolicy:
        weekday, at = parse_rank_at(self.rank_at)
        return ScorePolicy(
            period=self.score_period,
            start=self.score_start,
            early_points=self.score_early,
            late_points=self.score_late,
            late_after=timedelta(hours=self.score_late_hours),
            rank_weekday=weekday,
            rank_at=at,
            timezone=self.timezone,
        )

    def member_policy(self) -> MemberPolicy:
        return MemberPolicy(cap=self.level3_cap)

    def duties(self) -> dict[str, str]:
        return load_duties(self.duties_file) if self.duties_file is not None else {}


def load_duties(path: Path) -> dict[str, str]:
    """`{health: 每日测温…}`; ValueError naming the problem for anything else."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path} must map roles to texts")
    unknown = [str(k) for k in data if k not in DUTY_KEYS]
    if unknown:
        raise ValueError(f"{path}: unknown role {', '.join(unknown)} (use {', '.join(DUTY_KEYS)})")
    return {str(k): str(v) for k, v in data.items() if v}
