"""Train and cross-validate the returnee ask gate on values no check of today's parser asks.

Round 27 (README "Round 27"). The rows are the transfer bench's: each value an old parser
gave unasked on a spent part it had never seen (`returnee_gate_rows.BEFORE`), left out when
today's checks would ask or confirm it (`returnee_residue.asked_today`); one is positive
when it is wrong. The features weigh the value against other readings of its field
(`returnee_gate_readings`), or describe the message as the first gate's did
(`returnee_gate_features`, README "A trained ask gate"), or both. Leave-one-part-out
cross-validation trains on every part but N and scores part N's rows. The threshold is
chosen on the older parts' folds (heldout2-18) by the transfer benches' rule (most caught
less a third of the right values confirmed, among those passing
`returnee_transfer.passes`), and the newest hand-written parts (heldout21-29), which
resemble fresh text most, are reported apart with that threshold.

    python -m benchmarks.returnee_gate                        # the message features
    python -m benchmarks.returnee_gate --features readings    # the value against other readings
    python -m benchmarks.returnee_gate --features both
    python -m benchmarks.returnee_gate --write W.json         # and the weights on every part

Deterministic: fixed row order, a seeded shuffle, no clock. Standard library
only (plus yaml to read the corpus, as the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks.returnee_corpus import expected
from benchmarks.returnee_gate_features import GATED, features, score
from benchmarks.returnee_gate_readings import readings
from benchmarks.returnee_gate_rows import BEFORE
from benchmarks.returnee_residue import NEWEST, asked_today
from benchmarks.returnee_transfer import LEVELS, as_values, passes, read_spent


@dataclass(frozen=True)
class Example:
    part: str
    field: str
    names: tuple[str, ...]
    wrong: bool


def as_value(field: str, value: Any) -> object:
    """A row's JSON value as the parser's report holds it."""
    if field == "arrival" and isinstance(value, str):
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value


def examples(kind: str) -> list[Example]:
    """The gate's examples: each value an old parser gave unasked on a part it had never seen
    (`returnee_gate_rows.BEFORE`, the transfer bench's data) and that today's checks leave
    silent too (`returnee_residue.asked_today`): what today's checks already ask is no row
    to learn. `kind` names the features: "message" (the first gate's), "readings" (the
    value against other readings, round 27) or "both"."""
    out = []
    for part, commit in BEFORE.items():
        spent = read_spent(part, commit)
        works, split, read = spent.works, spent.split, spent.readings()
        for index, (case, data) in enumerate(zip(spent.cases, spent.whole, strict=True)):
            if "error" in data:
                continue
            work, values = works[index], as_values(data)
            already = asked_today(work, values, read)
            for name in GATED:
                if data[name] in (None, []) or name in data["questions"] or name in already:
                    continue
                names: list[str] = []
                if kind in ("message", "both"):
                    names += features(work, name, as_value(name, data[name]))
                if kind in ("readings", "both"):
                    cut = {level: split[level][index] for level in LEVELS}
                    names += readings(work, name, values, cut, read)[0 if not names else 2 :]
                wrong = data[name] != expected(case, name)
                out.append(Example(part, name, tuple(names), wrong))
    return out


def train(
    data: Sequence[Example], epochs: int = 12, rate: float = 0.2, l2: float = 1e-4, seed: int = 7
) -> dict[str, float]:
    """Logistic regression by AdaGrad over a seeded shuffle; weights by feature name."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    order = list(range(len(data)))
    shuffle = random.Random(seed)
    for _ in range(epochs):
        shuffle.shuffle(order)
        for i in order:
            example = data[i]
            error = score(weights, example.names) - (1.0 if example.wrong else 0.0)
            for name in example.names:
                w = weights.get(name, 0.0)
                grad = error + l2 * w
                squares[name] = squares.get(name, 0.0) + grad * grad
                weights[name] = w - rate * grad / math.sqrt(squares[name] + 1e-8)
    return {name: round(w, 6) for name, w in sorted(weights.items()) if abs(w) >= 1e-6}


def threshold_for(scored: Sequence[tuple[float, bool]], cost: float) -> float:
    """The lowest risk at which at most `cost` of the right values are asked."""
    right = sorted((s for s, wrong in scored if not wrong), reverse=True)
    allowed = int(cost * len(right))
    if allowed >= len(right):
        return 0.0
    return math.nextafter(right[allowed], 1.0)


@dataclass
class Tally:
    wrong: int = 0
    caught: int = 0
    right: int = 0
    asked_right: int = 0

    def add(self, risk: float, wrong: bool, threshold: float) -> None:
        asked = risk >= threshold
        if wrong:
            self.wrong += 1
            self.caught += asked
        else:
            self.right += 1
            self.asked_right += asked

    def line(self, name: str) -> str:
        caught = self.caught / self.wrong if self.wrong else 0.0
        cost = self.asked_right / self.right if self.right else 0.0
        return (
            f"| {name} | {self.wrong} | {self.caught} ({caught:.0%}) | "
            f"{self.right} | {self.asked_right} ({cost:.1%}) |"
        )


@dataclass(frozen=True)
class Held:
    part: str
    field: str
    risk: float
    wrong: bool


def cross_validate(data: Sequence[Example]) -> list[Held]:
    """Leave-one-part-out: each part's examples scored by a gate trained on the others."""
    held: list[Held] = []
    for part in dict.fromkeys(example.part for example in data):
        weights = train([e for e in data if e.part != part])
        held.extend(
            Held(e.part, e.field, score(weights, e.names), e.wrong) for e in data if e.part == part
        )
    return held


def best_threshold(held: Sequence[Held]) -> float | None:
    """The risk above which the gate asks, chosen as the transfer benches choose a check:
    the most silent wrong values caught less a third of the right values confirmed, among
    the thresholds that pass `returnee_transfer.passes`; None when none passes."""
    ranked = sorted(held, key=lambda h: -h.risk)
    best: tuple[float, float] | None = None
    caught = right = 0
    for index, row in enumerate(ranked):
        caught += row.wrong
        right += not row.wrong
        if index + 1 < len(ranked) and ranked[index + 1].risk == row.risk:
            continue
        gain = caught - right / 3
        if passes(caught, right) and (best is None or gain > best[0]):
            best = (gain, row.risk)
    return None if best is None else best[1]


def table(held: Sequence[Held], threshold: float) -> list[str]:
    """Per part, per group of parts and per field: the silent values the gate would ask."""
    lines = [
        "| part (parser before its round) | wrong left silent | caught | right left silent | confirmed |",
        "| --- | --- | --- | --- | --- |",
    ]
    groups = {"older parts (heldout2-18)": Tally(), "newest parts (heldout21-29)": Tally()}
    for part in dict.fromkeys(h.part for h in held):
        tally = Tally()
        group = groups[
            "newest parts (heldout21-29)" if part in NEWEST else "older parts (heldout2-18)"
        ]
        for h in held:
            if h.part == part:
                tally.add(h.risk, h.wrong, threshold)
                group.add(h.risk, h.wrong, threshold)
        lines.append(tally.line(f"{part} at {BEFORE[part]}"))
    for name, group in groups.items():
        verdict = "passes" if passes(group.caught, group.asked_right) else "does not pass"
        lines.append(group.line(f"**{name}**") + f" {verdict}")
    for name in GATED:
        for newest in (False, True):
            by_field = Tally()
            for h in held:
                if h.field == name and (h.part in NEWEST) == newest:
                    by_field.add(h.risk, h.wrong, threshold)
            lines.append(by_field.line(f"{name} ({'newest' if newest else 'older'} parts)"))
    return lines


def nested(held: Sequence[Held]) -> Tally:
    """The older parts, each at the threshold chosen on the other older parts' folds: the
    threshold's choice held out too (the table's older total chose it on those very rows)."""
    older = [h for h in held if h.part not in NEWEST]
    tally = Tally()
    for part in dict.fromkeys(h.part for h in older):
        chosen = best_threshold([h for h in older if h.part != part])
        for h in older:
            if h.part == part:
                tally.add(h.risk, h.wrong, 1.0 if chosen is None else chosen)
    return tally


def sweep(held: Sequence[Held]) -> list[str]:
    """Thresholds chosen on the older parts' folds at fixed costs, applied to both groups."""
    older = [h for h in held if h.part not in NEWEST]
    lines = [
        "| right confirmed, at most (older folds) | older: caught / confirmed | newest: caught / confirmed |",
        "| --- | --- | --- |",
    ]
    for cost in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05):
        t = threshold_for([(h.risk, h.wrong) for h in older], cost)
        cells = []
        for newest in (False, True):
            tally = Tally()
            for h in held:
                if (h.part in NEWEST) == newest:
                    tally.add(h.risk, h.wrong, t)
            cells.append(f"{tally.caught} / {tally.asked_right}")
        lines.append(f"| {cost:.1%} | {cells[0]} | {cells[1]} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", choices=("message", "readings", "both"), default="message")
    parser.add_argument(
        "--write", metavar="PATH", help="train on every part, write the weights and threshold"
    )
    args = parser.parse_args(argv)
    data = examples(args.features)
    print(
        f"{len(data)} silent values, {sum(e.wrong for e in data)} wrong ({args.features} features)"
    )
    held = cross_validate(data)
    threshold = best_threshold([h for h in held if h.part not in NEWEST])
    if threshold is None:
        print("no threshold passes on the older parts' folds")
        threshold = 1.0
    else:
        print(f"threshold {threshold:.4f} (chosen on the older parts' folds)")
    print("\n".join(table(held, threshold)))
    again = nested(held)
    verdict = "passes" if passes(again.caught, again.asked_right) else "does not pass"
    print(again.line("older parts, each at a threshold chosen without it") + f" {verdict}")
    print("\n".join(sweep(held)))
    if args.write:
        weights = train(data)
        blob = {"threshold": round(threshold, 6), "weights": weights}
        text = json.dumps(blob, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
