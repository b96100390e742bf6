"""The trained ask gate's features and training (`benchmarks/returnee_gate*.py`).

The gate is not wired into the parser (cross-validation showed no clear gain;
tests/domain/returnee_corpus/README.md, "A trained ask gate"), but its figures
are only worth reporting if they can be reproduced: the features read what
they claim on crafted messages, training is deterministic, and a model trained
on a tiny fixture ranks a risky value above a safe one. No corpus part is read
here.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from benchmarks.returnee_gate import Example, Tally, as_value, threshold_for, train
from benchmarks.returnee_gate_features import GATED, features, score
from benchmarks.returnee_gate_rows import load

PLAIN = "租客老李带5位家人从湖南回来，途经武汉，住溪西村12号"
HEDGED = "好像是湖南的吧，也可能是江西，听说明天到，不确定"


def test_features_read_the_message_and_the_value() -> None:
    plain = features(PLAIN, "origin", "湖南")
    assert {"field=origin", "hedge=0", "kind=province", "after_from=True", "found=1"} <= set(plain)
    hedged = features(HEDGED, "origin", "湖南")
    assert "hedge=~2" in hedged  # 好像, 可能, 听说, 不确定: four, in the bucket of 4-7
    assert "origin:provinces=2" in hedged  # 湖南 and 江西
    assert "count=6" in features(PLAIN, "count", 6)
    assert "arrival=hour" in features(PLAIN, "arrival", datetime(2020, 2, 20, 9))
    assert "arrival=day" in features(PLAIN, "arrival", date(2020, 2, 21))
    assert "stops=1" in features(PLAIN, "via", ["武汉"])
    assert "phone" not in GATED  # never wrong on any unseen part


def test_features_are_deterministic() -> None:
    assert features(HEDGED, "address", "溪西村12号") == features(HEDGED, "address", "溪西村12号")


def test_row_values_become_report_values() -> None:
    assert as_value("arrival", "2020-02-21") == date(2020, 2, 21)
    assert isinstance(as_value("arrival", "2020-02-20T21:00:00+08:00"), datetime)
    assert as_value("count", 3) == 3


def _fixture() -> list[Example]:
    """Hedged origins wrong, plain ones right: a signal any working trainer must find."""
    out = []
    for i in range(12):
        text = HEDGED if i % 3 == 0 else PLAIN
        names = tuple(features(text, "origin", "湖南"))
        out.append(Example(f"part{i % 4}", "origin", names, wrong=text == HEDGED))
    return out


def test_training_a_tiny_fixture_is_deterministic_and_learns_it() -> None:
    first, second = train(_fixture()), train(_fixture())
    assert first == second
    risky = score(first, features(HEDGED, "origin", "湖南"))
    safe = score(first, features(PLAIN, "origin", "湖南"))
    assert risky > 0.5 > safe


def test_the_threshold_keeps_the_cost_and_the_tally_counts_it() -> None:
    scored = [(0.9, True), (0.8, False), (0.5, True), (0.3, False), (0.2, False), (0.1, False)]
    threshold = threshold_for(scored, cost=0.25)  # 1 of 4 right values may be asked
    assert 0.3 < threshold <= 0.5
    tally = Tally()
    for risk, wrong in scored:
        tally.add(risk, wrong, threshold)
    assert (tally.wrong, tally.caught, tally.right, tally.asked_right) == (2, 2, 4, 1)
    nothing = threshold_for(scored, cost=0.0)
    assert all(risk < nothing for risk, wrong in scored if not wrong)


def test_gate_rows_refuse_the_held_out_part() -> None:
    """Only spent parts feed the gate: the held-out part (heldout19 since round 19) is
    refused before it is read, a spent one (heldout18) is read."""
    with pytest.raises(ValueError, match="only spent parts"):
        load("heldout19")
    assert load("heldout18")
