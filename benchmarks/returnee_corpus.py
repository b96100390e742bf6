"""Score the returnee parser on its corpora: fields right, abstentions, wrong values.

The parser is tuned on tests/domain/returnee_corpus/corpus.yaml,
corpus_heldout2.yaml to corpus_heldout18.yaml, corpus_heldout21.yaml to
corpus_heldout30.yaml (held-out parts and reserves, spent once their misses were
read) and judged on corpus_heldout19.yaml,
written before the parser changes of the round that scores it, by an engineer
who does not change the parser, and never used to tune. A field is one of count, origin, via, arrival, address,
phone of one message. A missed field is either an abstention (empty, and the bot
asks) or a wrong value (something else than what the message says): the first
costs the reporter one answer, the second can send the wrong people to
isolation, so they are counted apart. A right value given with a question (kept
for the reporter to confirm, round 16 and 19) is right, and counted apart too:
its price is one confirmation.

    python -m benchmarks.returnee_corpus              # the twenty-eight tuning parts
    python -m benchmarks.returnee_corpus --heldout    # the held-out part
    python -m benchmarks.returnee_corpus --both --misses   # all twenty-nine
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from cascade.returnee import parse_report, to_json

NOW = datetime(2020, 2, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
FIELDS = ("count", "origin", "via", "arrival", "address", "phone")
CORPORA = Path(__file__).resolve().parent.parent / "tests" / "domain" / "returnee_corpus"
PARTS = {
    "tuned": CORPORA / "corpus.yaml",
    "tuned2": CORPORA / "corpus_heldout2.yaml",  # held out until it was scored and read
    "tuned3": CORPORA / "corpus_heldout3.yaml",  # held out until it was scored and read
    "tuned4": CORPORA / "corpus_heldout4.yaml",  # held out until it was scored and read
    "tuned5": CORPORA / "corpus_heldout5.yaml",  # held out until it was scored and read
    "tuned6": CORPORA / "corpus_heldout6.yaml",  # held out until it was scored and read
    "tuned7": CORPORA / "corpus_heldout7.yaml",  # held out until it was scored and read
    "tuned8": CORPORA / "corpus_heldout8.yaml",  # held out until it was scored and read
    "tuned9": CORPORA / "corpus_heldout9.yaml",  # held out until it was scored and read
    "tuned10": CORPORA / "corpus_heldout10.yaml",  # held out until it was scored and read
    "tuned11": CORPORA / "corpus_heldout11.yaml",  # held out until it was scored and read
    "tuned12": CORPORA / "corpus_heldout12.yaml",  # held out until it was scored and read
    "tuned13": CORPORA / "corpus_heldout13.yaml",  # held out until it was scored and read
    "tuned14": CORPORA / "corpus_heldout14.yaml",  # held out until it was scored and read
    "tuned15": CORPORA / "corpus_heldout15.yaml",  # held out until it was scored and read
    "tuned16": CORPORA / "corpus_heldout16.yaml",  # held out until it was scored and read
    "tuned17": CORPORA / "corpus_heldout17.yaml",  # held out until it was scored and read
    "tuned18": CORPORA / "corpus_heldout18.yaml",  # held out until it was scored and read
    "tuned21": CORPORA / "corpus_heldout21.yaml",  # a reserve until it was scored and read
    "tuned22": CORPORA / "corpus_heldout22.yaml",  # a reserve until it was scored and read
    "tuned23": CORPORA / "corpus_heldout23.yaml",  # a reserve until it was scored and read
    "tuned24": CORPORA / "corpus_heldout24.yaml",  # a reserve until it was scored and read
    "tuned25": CORPORA / "corpus_heldout25.yaml",  # a reserve until it was scored and read
    "tuned26": CORPORA / "corpus_heldout26.yaml",  # a reserve until it was scored and read
    "tuned27": CORPORA / "corpus_heldout27.yaml",  # a reserve until it was scored and read
    "tuned28": CORPORA / "corpus_heldout28.yaml",  # a reserve until it was scored and read
    "tuned29": CORPORA / "corpus_heldout29.yaml",  # a reserve until it was scored and read
    "tuned30": CORPORA / "corpus_heldout30.yaml",  # a reserve until it was scored and read
    "heldout": CORPORA / "corpus_heldout19.yaml",
}


@dataclass
class Score:
    messages: int = 0
    fields: int = 0
    right: int = 0
    abstained: int = 0
    wrong: int = 0
    wrong_unasked: int = 0
    confirmed: int = 0  # right values given with a question: the reporter confirms them
    by_field: dict[str, list[int]] = field(default_factory=dict)  # name: [right, total]
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.fields if self.fields else 0.0


def load(part: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(PARTS[part].read_text(encoding="utf-8"))
    return cases


def expected(case: dict[str, Any], name: str) -> Any:
    return case.get(name, [] if name == "via" else None)


def score(cases: list[dict[str, Any]]) -> Score:
    result = Score(messages=len(cases))
    for case in cases:
        data = to_json(parse_report(case["text"], NOW))
        questions = data["questions"]
        assert isinstance(questions, list)
        for name in FIELDS:
            want, got = expected(case, name), data[name]
            tally = result.by_field.setdefault(name, [0, 0])
            tally[1] += 1
            result.fields += 1
            if got == want:
                result.right += 1
                tally[0] += 1
                result.confirmed += got not in (None, []) and name in questions
                continue
            if got in (None, []):
                result.abstained += 1
                kind = "abstained"
            else:
                result.wrong += 1
                kind = "WRONG"
                if name not in questions:
                    result.wrong_unasked += 1
                    kind = "WRONG, not asked"
            result.misses.append(f"{kind:17} {name}: got {got!r}, want {want!r} | {case['text']}")
    return result


def report(part: str, result: Score, misses: bool) -> str:
    lines = [
        f"{part}: {result.messages} messages, {result.right}/{result.fields} fields right "
        f"= {result.accuracy:.1%}; abstained {result.abstained}, wrong {result.wrong} "
        f"(of which not asked {result.wrong_unasked}); right but asked to confirm "
        f"{result.confirmed}",
        "  by field: " + ", ".join(f"{name} {r}/{t}" for name, (r, t) in result.by_field.items()),
    ]
    if misses:
        lines.extend("  " + miss for miss in result.misses)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--heldout", action="store_true", help="score the held-out part")
    group.add_argument("--both", action="store_true", help="score the tuning and held-out parts")
    parser.add_argument("--misses", action="store_true", help="list every missed field")
    args = parser.parse_args(argv)
    tuning = [part for part in PARTS if part != "heldout"]
    parts = [*tuning, "heldout"] if args.both else ["heldout"] if args.heldout else tuning
    for part in parts:
        print(report(part, score(load(part)), args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
