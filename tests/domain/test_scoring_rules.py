"""The landlord score's rules without a bot: automatic points, periods, ties, the weekly time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from cascade.scoring import Period, ScorePolicy, automatic_points, last_moment, period_key, rank

SH = ZoneInfo("Asia/Shanghai")
POLICY = ScorePolicy()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 2, day, hour, minute, tzinfo=SH)


def test_report_before_or_at_arrival_earns_a_point() -> None:
    assert automatic_points(at(20, 9), at(20, 10), POLICY) == (1, "early")
    assert automatic_points(at(20, 10), at(20, 10), POLICY) == (1, "early")


def test_report_more_than_24_hours_late_costs_two() -> None:
    assert automatic_points(at(21, 10, 1), at(20, 10), POLICY) == (-2, "late")
    assert automatic_points(at(21, 10), at(20, 10), POLICY) is None  # exactly 24 h: not "more"
    assert automatic_points(at(20, 11), at(20, 10), POLICY) is None


def test_a_day_without_time_moves_nothing_on_a_guess() -> None:
    assert automatic_points(at(20, 23), date(2020, 2, 21), POLICY) == (1, "early")
    assert automatic_points(at(21, 8), date(2020, 2, 21), POLICY) is None  # on the day
    assert automatic_points(at(22, 23), date(2020, 2, 21), POLICY) is None  # < 24 h after the day
    assert automatic_points(at(23, 0, 1), date(2020, 2, 21), POLICY) == (-2, "late")
    assert automatic_points(at(20, 8), None, POLICY) is None


def test_points_and_lateness_are_configurable() -> None:
    policy = ScorePolicy(early_points=2, late_points=-3, late_after=timedelta(hours=6))
    assert automatic_points(at(20, 17), at(20, 10), policy) == (-3, "late")
    assert automatic_points(at(20, 9), at(20, 10), policy) == (2, "early")


def test_period_keys_in_the_towers_time_zone() -> None:
    # 2020-02-29 17:00 UTC is already March 1st in Shanghai.
    moment = datetime(2020, 2, 29, 17, 0, tzinfo=UTC)
    assert period_key(moment, POLICY) == "2020-03"
    assert period_key(moment, ScorePolicy(period=Period.WEEK)) == "2020-W09"


def test_weekly_moment_is_the_latest_configured_weekday_and_time() -> None:
    thursday = at(20, 16)
    assert last_moment(thursday, POLICY) == at(17, 9)  # Monday 09:00
    assert last_moment(at(24, 8, 59), POLICY) == at(17, 9)
    assert last_moment(at(24, 9), POLICY) == at(24, 9)


def test_ties_share_a_place_and_all_are_named() -> None:
    rows = [
        ("a", "A", "甲", 1, 14),
        ("b", "B", "乙", 2, 13),
        ("c", "C", "丙", 3, 13),
        ("d", "D", "丁", 4, 12),
        ("e", "E", "戊", 5, 10),
        ("f", "F", "己", 6, 10),
        ("g", "G", "庚", 7, 11),
    ]
    standings, best, worst, tied = rank(rows, 3)
    assert [(s.landlord_name, s.place) for s in standings] == [
        ("甲", 1),
        ("丙", 2),
        ("乙", 2),
        ("丁", 4),
        ("庚", 5),
        ("己", 6),
        ("戊", 6),
    ]
    assert [s.landlord_name for s in best] == ["甲", "丙", "乙"]
    assert [s.landlord_name for s in worst] == ["己", "戊", "庚"]
    assert not tied


def test_a_tie_across_the_cut_names_everyone_tied() -> None:
    rows = [("a", "A", "甲", 1, 14), ("b", "B", "乙", 2, 13)] + [
        (f"x{i}", "X", f"人{i}", 10 + i, 12) for i in range(4)
    ]
    _, best, worst, _ = rank(rows, 3)
    assert len(best) == 6 and {s.place for s in best} == {1, 2, 3}
    assert worst == []  # nobody is on both lists


def test_all_tied_means_no_laggards() -> None:
    _, best, worst, tied = rank([(c, c, c, None, 12) for c in "abcd"], 3)
    assert tied and len(best) == 4 and worst == []


@given(st.lists(st.integers(min_value=-5, max_value=20), min_size=1, max_size=40))
def test_ranking_is_fair_for_any_scores(scores: list[int]) -> None:
    rows = [(f"u{i}", "U", f"n{i:02d}", i, s) for i, s in enumerate(scores)]
    standings, best, worst, _ = rank(rows, 3)
    # Same score, same place; a place is one more than how many scored higher.
    for s in standings:
        assert s.place == 1 + sum(1 for o in standings if o.score > s.score)
    # Everyone within the top 3 places is named, nobody below them; nobody twice.
    assert {s.unit_code for s in best} == {s.unit_code for s in standings if s.place <= 3}
    assert not {s.unit_code for s in best} & {s.unit_code for s in worst}
    lowest = sorted(set(scores))[:3]
    for s in worst:
        assert sum(1 for o in standings if o.score < s.score) < 3
        assert s.score in lowest
