"""Train and cross-validate the returnee ask gate (`cascade/returnee/gate.py`).

The rows are what each parser gave on a corpus part before its round
(`benchmarks/returnee_gate_rows.py`): only values given and not asked are the
gate's to judge, and one is positive when it is wrong. Leave-one-part-out
cross-validation trains on every part but N and scores part N's rows, so each
figure is the gate on text (and on parser errors) it was not trained on; the
threshold is chosen on the pooled out-of-fold scores only: the lowest risk
that turns at most `--cost` of the right values into questions.

    python -m benchmarks.returnee_gate                  # cross-validation table
    python -m benchmarks.returnee_gate --write W.json   # and the weights trained on every part

Deterministic: fixed row order, a seeded shuffle, no clock. Standard library
only (plus yaml to read the corpus, as the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks.returnee_gate_features import GATED, features, score
from benchmarks.returnee_gate_rows import BEFORE, load, rows
from cascade.returnee.asks import join_place_words
from cascade.returnee.guards import undo_arrows
from cascade.returnee.text import normalize


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


def examples(found: Iterable[dict[str, Any]]) -> list[Example]:
    """The gate's examples: values given and not asked, in a gated field."""
    texts: dict[str, list[str]] = {}
    out = []
    for row in found:
        if row["field"] not in GATED or row["value"] in (None, []) or row["asked"]:
            continue
        part = row["part"]
        if part not in texts:
            texts[part] = [
                join_place_words(undo_arrows(normalize(case["text"]))) for case in load(part)
            ]
        text = texts[part][row["index"]]
        names = features(text, row["field"], as_value(row["field"], row["value"]))
        out.append(Example(part, row["field"], tuple(names), not row["right"]))
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


def cross_validate(data: Sequence[Example], cost: float) -> tuple[float, list[str]]:
    """Leave-one-part-out scores, the threshold chosen on them, and a table per part."""
    parts = list(dict.fromkeys(example.part for example in data))
    held: list[tuple[str, float, bool]] = []
    fields: list[str] = []
    for part in parts:
        weights = train([e for e in data if e.part != part])
        held.extend((part, score(weights, e.names), e.wrong) for e in data if e.part == part)
        fields.extend(e.field for e in data if e.part == part)
    threshold = threshold_for([(s, w) for _, s, w in held], cost)
    lines = [
        f"threshold {threshold:.3f} (at most {cost:.1%} of right values asked, pooled CV)",
        "| part (parser before its round) | wrong unasked | caught | right given | asked |",
        "| --- | --- | --- | --- | --- |",
    ]
    total = Tally()
    for part in parts:
        tally = Tally()
        for p, s, w in held:
            if p == part:
                tally.add(s, w, threshold)
                total.add(s, w, threshold)
        lines.append(tally.line(f"{part} at {BEFORE[part]}"))
    lines.append(total.line("**total**"))
    for name in GATED:
        by_field = Tally()
        for (_, s, w), f in zip(held, fields, strict=True):
            if f == name:
                by_field.add(s, w, threshold)
        lines.append(by_field.line(f"{name} (all parts)"))
    lines.append("caught at other costs (pooled CV scores, threshold chosen on them):")
    for other in (0.005, 0.01, 0.02, 0.05, 0.10):
        t = threshold_for([(s, w) for _, s, w in held], other)
        sweep = Tally()
        for _, s, w in held:
            sweep.add(s, w, t)
        lines.append(sweep.line(f"cost ≤ {other:.1%}"))
    return threshold, lines


# The parser of today (the code of d6d3a0e, after round 12) on the part round 12 never saw.
TODAY = ("heldout12", "d6d3a0e")


def today(data: Sequence[Example], threshold: float) -> str:
    """The gate trained without heldout12, on today's parser's values for heldout12."""
    part, commit = TODAY
    weights = train([e for e in data if e.part != part])
    tally = Tally()
    for example in examples(rows(part, commit)):
        tally.add(score(weights, example.names), example.wrong, threshold)
    return tally.line(f"{part} at {commit} (today's parser; gate trained without {part})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cost", type=float, default=0.02, help="right values asked, at most")
    parser.add_argument("--write", metavar="PATH", help="train on every part, write the weights")
    args = parser.parse_args(argv)
    found = [row for part, commit in BEFORE.items() for row in rows(part, commit)]
    data = examples(found)
    threshold, lines = cross_validate(data, args.cost)
    print("\n".join(lines))
    print(today(data, threshold))
    if args.write:
        weights = train(data)
        blob = {"threshold": round(threshold, 6), "weights": weights}
        out = Path(args.write)
        out.write_text(json.dumps(blob, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {out} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
