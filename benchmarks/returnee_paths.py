"""Price and catch of each weak path the returnee parser asks by (round 19).

`cascade.returnee.provenance` names the ways a value is read on weak evidence
(a stop naming two cities, a building without its estate…), and the parser asks
every value read that way. This prints, per path, the values read that way: right
or wrong, and whether another rule asked them already. A path is worth keeping when
it catches wrong values given without a question ("wrong, given") for few right
values it turns into questions ("right, given"). Paths that keep the value beside
the question cost the reporter a confirmation, not the value. Round 21's checks
(`cascade.returnee.second`: a second, independent reading of a field that disagrees with
the first) and round 23's (`cascade.returnee.recheck`) are weighed here the same way. The held-out part is never read here.

Two readings. By default, today's parser on the tuning parts, before the paths are
weighed (`report.read_unweighed`; round 16's `to_confirm` counts as asked): the
parts the paths were chosen on. With `--unseen`, each spent part (heldout2 to heldout29
since round 25) as read by the parser at the commit where it was scored before its round
(the parser had never seen it; `returnee_gate_rows` checks those commits out under
/tmp): the paths weighed on values a parser gave on text it never saw. Round 25's clause
checks are weighed on those outputs by `returnee_transfer`, with each old parser reading
the clauses too.

    python -m benchmarks.returnee_paths            # about 1.5 min
    python -m benchmarks.returnee_paths --unseen   # git worktrees and outputs under /tmp
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from benchmarks.returnee_corpus import FIELDS, NOW, PARTS, expected, load
from benchmarks.returnee_gate_rows import BEFORE, outputs
from benchmarks.returnee_gate_rows import load as load_spent
from cascade.returnee.confirm import to_confirm
from cascade.returnee.evidence import Values
from cascade.returnee.provenance import weak_paths
from cascade.returnee.recheck import disagreements as rechecked
from cascade.returnee.report import read_unweighed, to_json
from cascade.returnee.second import disagreements

KINDS = ("right, given", "wrong, given", "right, asked", "wrong, asked")


def tuned() -> Iterator[tuple[dict[str, Any], str, dict[str, Any], set[str]]]:
    """Each tuning message, as today's readers see it and read it, with what they ask."""
    for part in PARTS:
        if part == "heldout":
            continue
        for case in load(part):
            work, report = read_unweighed(case["text"], NOW)
            data = to_json(report)
            asked = {*report.questions, *to_confirm(work, _values(data))}
            yield case, work, data, asked


def unseen() -> Iterator[tuple[dict[str, Any], str, dict[str, Any], set[str]]]:
    """Each spent part's message as read by a parser that had never seen it."""
    for part, commit in BEFORE.items():
        cases = load_spent(part)
        for case, data in zip(cases, outputs(commit, [c["text"] for c in cases]), strict=True):
            if "error" not in data:
                yield case, read_unweighed(case["text"], NOW)[0], data, set(data["questions"])


def _day(arrival: str) -> date | datetime:
    return date.fromisoformat(arrival) if len(arrival) == 10 else datetime.fromisoformat(arrival)


def _values(data: dict[str, Any]) -> Values:
    # the paths weigh every field (round 20: the arrival and the phone too)
    arrival = data["arrival"]
    day = None if arrival is None else _day(arrival)
    return Values(data["count"], data["origin"], data["via"], day, data["address"], data["phone"])


def tally(
    read: Iterator[tuple[dict[str, Any], str, dict[str, Any], set[str]]],
) -> dict[tuple[str, str, bool], Counter[str]]:
    """Per (field, path, kept), how many values read that way fall in each of KINDS."""
    paths: dict[tuple[str, str, bool], Counter[str]] = {}
    for case, work, data, asked in read:
        values = _values(data)
        found = weak_paths(work, values) + disagreements(work, values)
        for weak in found + rechecked(work, values, NOW):
            right = data[weak.field] == expected(case, weak.field)
            kind = KINDS[(0 if right else 1) + (2 if weak.field in asked else 0)]
            paths.setdefault((weak.field, weak.path, weak.keep), Counter())[kind] += 1
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unseen", action="store_true", help="old parsers on unseen parts")
    args = parser.parse_args(argv)
    print("field    path                                  kept  " + "  ".join(KINDS))
    found = tally(unseen() if args.unseen else tuned())
    for (name, path, keep), counts in sorted(found.items(), key=lambda i: FIELDS.index(i[0][0])):
        cells = "  ".join(f"{counts[kind]:>{len(kind)}}" for kind in KINDS)
        print(f"{name:8} {path:38}{'yes' if keep else 'no':>4}  {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
