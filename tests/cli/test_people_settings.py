"""People settings: defaults, the weekly time, duty texts, and one line naming a bad one."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.people_settings import PeopleSettings
from bot.settings import explain
from cascade.scoring import Period


def test_defaults_follow_the_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TOWERBOT_RANK_AT", "TOWERBOT_LEVEL3_CAP", "TOWERBOT_SCORE_PERIOD"):
        monkeypatch.delenv(name, raising=False)
    settings = PeopleSettings()
    policy = settings.score_policy()
    assert (policy.start, policy.early_points, policy.late_points) == (12, 1, -2)
    assert (policy.rank_weekday, policy.rank_at, policy.period) == (0, time(9, 0), Period.MONTH)
    assert settings.member_policy().cap == 30


def test_configured_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    duties = tmp_path / "duties.yaml"
    duties.write_text("health: 每天两次测温\ncommander: 守土有责\n", encoding="utf-8")
    monkeypatch.setenv("TOWERBOT_RANK_AT", "fri 17:30")
    monkeypatch.setenv("TOWERBOT_SCORE_PERIOD", "week")
    monkeypatch.setenv("TOWERBOT_LEVEL3_CAP", "40")
    monkeypatch.setenv("TOWERBOT_DUTIES", str(duties))
    settings = PeopleSettings()
    policy = settings.score_policy()
    assert (policy.rank_weekday, policy.rank_at, policy.period) == (4, time(17, 30), Period.WEEK)
    assert settings.member_policy().cap == 40
    assert settings.duties() == {"health": "每天两次测温", "commander": "守土有责"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TOWERBOT_RANK_AT", "monday"),
        ("TOWERBOT_LEVEL3_CAP", "0"),
        ("TOWERBOT_SCORE_PERIOD", "year"),
        ("TOWERBOT_DUTIES", "/nowhere/duties.yaml"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        PeopleSettings()
    line = explain(caught.value, PeopleSettings)
    assert line.startswith(f"towerbot: setting {name} ") and "\n" not in line
