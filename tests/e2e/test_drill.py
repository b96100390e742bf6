"""A drill in the test suite: the real bot, the sandbox and simulated people.

On the Futian Shangcheng tower ("1+13+36") at a high speed-up with some units
silent, the drill's JSON report must agree with what the simulated people did:
every answer counted, the total exact, the silent units named late and pending.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot import drill
from bot.drill import DrillOptions, PeopleModel, SimulatedPeople, drill_chart_labels, run_drill
from cascade.orders import TargetState
from cascade.stats import Completion
from tests.support.pgserver import PgServer


async def test_drill_report_matches_the_people(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = DrillOptions(
        fixture="futian-shangcheng",
        speed=120,
        seed=7,
        kind="count",
        silent=0.1,
        people=PeopleModel(chief_median=30, leaf_median=60, sigma=0.5),
        out=tmp_path,
    )
    assert await run_drill(options) == 0
    report = json.loads((tmp_path / "drill-report.json").read_text(encoding="utf-8"))
    silent = set(report["silent_units"])
    assert len(silent) == round(0.1 * report["units"]) and silent
    assert report["answered_units"] == report["units"] - len(silent)
    assert report["totals_match"] and report["reported_total"] == report["expected_total"]
    assert silent <= set(report["late_units"])
    assert silent <= set(report["pending_units"])
    assert report["done"] < report["targets"]
    not_done = report["not_done"]  # traced from the people's side: every one is silent
    assert not_done["units"] == report["targets"] - report["done"]
    assert not_done["silent"] + not_done.get("waiting_for_units_below", 0) == not_done["units"]
    assert "answered_not_recorded" not in not_done and not not_done["answered_not_recorded_units"]
    assert (tmp_path / "drill-chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "15 分钟闭环" in out
    assert "性能" not in out  # the developer's figures need --verbose
    assert "performance" in report  # and are in the JSON report either way


def test_drill_chart_is_labelled_in_chinese_where_a_font_can_draw_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    curve = Completion.model_construct(levels=[])
    monkeypatch.setattr(drill, "renderable", lambda texts: True)
    labels = drill_chart_labels(3, "tashan", curve)
    assert (labels.title, labels.xlabel, labels.deadline) == (
        "指令 #3 演练：tashan",
        "下达后分钟数",
        "时限",
    )
    monkeypatch.setattr(drill, "renderable", lambda texts: False)
    labels = drill_chart_labels(3, "tashan", curve)
    assert all(text.isascii() for text in labels.texts())


def processes_options(out: Path, db: str | None = None) -> DrillOptions:
    """Futian Shangcheng at ×60, everyone answering: the drill in processes."""
    return DrillOptions(
        fixture="futian-shangcheng",
        speed=60,
        seed=3,
        kind="count",
        people=PeopleModel(chief_median=30, leaf_median=60, sigma=0.5),
        out=out,
        db=db,
    )


def exact_report(out: Path) -> dict[str, Any]:
    """The drill's JSON report, checked: every unit done, every value and total exact,
    a copy seen in every group."""
    report: dict[str, Any] = json.loads((out / "drill-report.json").read_text(encoding="utf-8"))
    assert report["done"] == report["targets"] == report["units"]
    assert report["totals_match"] and report["reported_total"] == report["expected_total"]
    assert report["values_checked"]["recorded_but_different"] == 0
    assert report["performance"]["order_copies_seen"] == report["units"]
    assert report["not_done"]["units"] == 0
    assert report["not_done"]["last_answer_due_simulated_seconds"] > 0
    latency = report["answer_latency_real_seconds"]  # every answer, posted to recorded
    assert latency["answers"] == report["units"]
    assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"]
    return report


def test_a_unit_not_done_is_traced_to_the_people_or_named_as_a_lost_answer() -> None:
    """`not_done` in the drill report: an answer the people sent that the bot does not
    hold is named; a unit whose answer is not yet due, or that waits for a unit below
    it, is counted as such."""
    options = DrillOptions(fixture="tashan", speed=10, kind="count")
    people = SimulatedPeople(None, 1, options)
    people.ordered_at = 100.0
    for code in ("a", "a1", "a2", "b"):
        people.scheduled[code] = 130.0
    people.scheduled["a2"] = 200.0  # 1,000 simulated seconds: after the 15 minutes
    people.answered |= {"a1", "b"}

    def state(code: str, parent: str | None, bottom: bool, **done: Any) -> TargetState:
        return TargetState(order_id=1, unit_code=code, parent_code=parent, level=1,
                           is_bottom=bottom, **done)  # fmt: skip

    acked = {"acked_at": datetime(2026, 1, 1, tzinfo=UTC)}
    states = [
        state("root", None, False, is_root=True),
        state("a", "root", False),  # waits for a2
        state("a1", "a", True, **acked),  # pressed 收到, its number never recorded
        state("a2", "a", True),  # due later
        state("b", "root", True, **acked, value=3, done_at=acked["acked_at"]),
    ]
    assert people.not_done(states, silent=set()) == {
        "units": 3,
        "answer_not_yet_due": 1,
        "answered_not_recorded": 1,
        "waiting_for_units_below": 1,
        "answered_not_recorded_units": ["a1"],
        "answers_hurried_by_reminders": 0,
        "answers_due_after_15_minutes": 1,
        "last_answer_due_simulated_seconds": 1000,
    }


def test_a_reminder_naming_a_commander_hurries_his_answer_only_when_sooner() -> None:
    """The people model's reminder: a commander still silent when the bot's reminder
    names him answers after a new, shorter delay if that comes sooner; an answer
    already in, a unit with no copy yet, a later draw or `remind=0` change nothing."""
    options = DrillOptions(fixture="tashan", speed=10, kind="count")
    people = SimulatedPeople(None, 1, options)
    people.scheduled |= {"late": 10_000.0, "soon": 100.5, "done": 10_000.0}
    people.answered.add("done")
    sooner = people.reminded("late", 100.0)
    assert sooner is not None and 100.0 < sooner < 10_000.0
    assert people.scheduled["late"] == sooner and people.hurried == {"late"}
    assert people.reminded("soon", 100.0) is None  # due in 0.5 s: the draw is later
    assert people.scheduled["soon"] == 100.5
    assert people.reminded("done", 100.0) is None
    assert people.reminded("no-copy", 100.0) is None
    assert people.hurried == {"late"}

    deaf = SimulatedPeople(
        None, 1, options.model_copy(update={"people": PeopleModel.parse("remind=0")})
    )
    deaf.scheduled["late"] = 10_000.0
    assert deaf.reminded("late", 100.0) is None and deaf.scheduled["late"] == 10_000.0
    with pytest.raises(ValueError, match="remind"):
        PeopleModel.parse("nag=3")


def slow_leaves_options(out: Path) -> DrillOptions:
    """Futian Shangcheng at ×120 with bottom commanders who would answer after an
    hour (median): only the bot's reminder, 10 minutes into the 15, gets them to
    answer in time."""
    return DrillOptions(
        fixture="futian-shangcheng",
        speed=120,
        seed=5,
        kind="count",
        people=PeopleModel(chief_median=30, leaf_median=3600, sigma=0.3, remind_median=30),
        out=out,
    )


async def test_reminded_commanders_close_the_loop_in_the_drill(tmp_path: Path) -> None:
    """In process: the reminders the bot sends at two thirds of the time reach the
    simulated commanders, who answer; the loop closes before the deadline with the
    total exact, and the report counts the answers a reminder hurried."""
    assert await run_drill(slow_leaves_options(tmp_path)) == 0
    report = exact_report(tmp_path)
    hurried = report["not_done"]["answers_hurried_by_reminders"]
    assert hurried >= 36  # every bottom unit of "1+13+36"
    assert report["not_done"]["answers_due_after_15_minutes"] == 0


async def test_reminded_commanders_close_the_loop_in_processes(tmp_path: Path) -> None:
    """The same over HTTP (`--processes`): the people read whom each bot message names
    from the sandbox's feed."""
    from bot.drill_procs import run_drill_processes

    assert await run_drill_processes(slow_leaves_options(tmp_path), tokens=1) == 0
    report = exact_report(tmp_path)
    assert report["not_done"]["answers_hurried_by_reminders"] >= 36
    assert report["not_done"]["answers_due_after_15_minutes"] == 0


async def test_drill_in_processes_with_two_bots(tmp_path: Path) -> None:
    """The sandbox and the bot in processes of their own (two tokens sharing the
    tower), the people acting over HTTP: the same report, the totals exact, and
    each process's peak memory measured."""
    from bot.drill_procs import lanes, run_drill_processes
    from cascade.tower import Tower
    from cascade.towerfile import load_path
    from fixtures import fixture_path

    tower = Tower(load_path(fixture_path("futian-shangcheng")))
    shares = lanes(tower, 2)
    (top,) = tower.children[tower.root().code]  # one unit below HQ: split further down
    assert sorted(shares[0] + shares[1]) == sorted(tower.children[top]) and all(shares)

    assert await run_drill_processes(processes_options(tmp_path), tokens=2) == 0
    processes = exact_report(tmp_path)["performance"]["processes"]
    assert set(processes) == {"bot", "sandbox", "people"}
    assert len({p["pid"] for p in processes.values()}) == 3
    assert all(p["peak_rss_mb"] > 0 for p in processes.values())


async def test_drill_in_processes_on_postgresql_runs_a_worker_per_token(
    pg_server: PgServer, tmp_path: Path
) -> None:
    """`--db postgresql://... --processes --tokens 2`: two bot worker processes on one
    database (the primary fires the timers, each sends its own lane); the report is
    as exact as with one process."""
    from bot.drill_procs import run_drill_processes

    url = await pg_server.create_database()
    try:
        assert await run_drill_processes(processes_options(tmp_path, url), tokens=2) == 0
    finally:
        await pg_server.drop_database(url)
    processes = exact_report(tmp_path)["performance"]["processes"]
    assert set(processes) == {"bot", "bot-2", "sandbox", "people"}
    assert len({p["pid"] for p in processes.values()}) == 4
    assert processes["bot"]["cpu_seconds"] > 0 and processes["bot-2"]["cpu_seconds"] > 0
