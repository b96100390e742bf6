"""The trained ask gate's features and training (`benchmarks/returnee_gate*.py`).

The gate is not wired into the parser (cross-validation showed no clear gain;
tests/domain/returnee_corpus/README.md, "A trained ask gate" and "Round 27"), but its figures
are only worth reporting if they can be reproduced: the features read what
they claim on crafted messages, training is deterministic, and a model trained
on a tiny fixture ranks a risky value above a safe one. No corpus part is read
here.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from benchmarks.returnee_corpus import NOW
from benchmarks.returnee_gate import (
    Example,
    Held,
    Tally,
    as_value,
    best_threshold,
    threshold_for,
    train,
)
from benchmarks.returnee_gate_features import GATED, features, score
from benchmarks.returnee_gate_readings import readings
from benchmarks.returnee_gate_rows import load
from benchmarks.returnee_transfer import LEVELS, as_values
from cascade.returnee import parse_report, to_json
from cascade.returnee.report import working_text

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


# --- round 27: the value against other readings -----------------------------------------
CORRECTED = "不对，刚才说错了，是4个人，从江西上饶来的，2月18号到，住稠城街道宗泽路8号"


def _readings_of(text: str, field: str) -> list[str]:
    """`field`'s features in `text` as today's parser reads it and its pieces."""
    work = working_text(text)
    values = as_values(to_json(parse_report(text, NOW)))
    cut = {level: split(work) for level, split in LEVELS.items()}
    read = {p: as_values(to_json(parse_report(p, NOW))) for ps in cut.values() for p in ps}
    return readings(work, field, values, cut, read)


def test_readings_weigh_the_value_against_its_evidence() -> None:
    count = _readings_of(PLAIN, "count")  # 6: the five said and 老李, a number said nowhere
    assert {"bias", "field=count", "count:count_beside_unit=False"} <= set(count)
    assert {"count:count_among_people=absent", "count:people_said=1"} <= set(count)
    origin = _readings_of(PLAIN, "origin")
    assert {"origin:origin_after_from=True", "origin:second_start=same"} <= set(origin)
    via = _readings_of(PLAIN, "via")
    assert "via:stop_said=True" in via
    address = _readings_of(PLAIN, "address")
    assert {"address:address_said=True", "address:address_ends_unit=True"} <= set(address)


def test_readings_place_the_value_after_a_correction() -> None:
    count = _readings_of(CORRECTED, "count")
    assert {"count:value_after_correction=True", "count:other_after_correction=False"} <= set(count)
    assert "arrival:day_among_days=only" in _readings_of(CORRECTED, "arrival")
    origin = _readings_of(CORRECTED, "origin")  # 江西上饶, a journey said to start at 江西
    assert {"origin:second_start=overlaps", "origin:other_after_correction=False"} <= set(origin)
    assert origin == _readings_of(CORRECTED, "origin")


def test_the_threshold_is_chosen_by_the_transfer_bar() -> None:
    held = [
        Held("p", "count", 0.9, True),
        Held("p", "count", 0.8, False),
        Held("p", "count", 0.7, True),
        Held("p", "count", 0.6, False),
        Held("p", "count", 0.5, False),
        Held("p", "count", 0.4, False),
        Held("p", "count", 0.3, False),
        Held("p", "count", 0.2, False),
    ]
    # 0.9: 1 - 0/3; 0.7: 2 - 1/3 (best); 0.3: 2 - 5/3; 0.2 asks 6 right for 2: fails
    assert best_threshold(held) == 0.7
    assert best_threshold([Held("p", "count", 0.5, False)]) is None
