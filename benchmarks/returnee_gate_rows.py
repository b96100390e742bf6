"""Rows for the returnee ask gate: what each parser gave on a corpus part it had never seen.

Rule rounds tuned on a part's misses score well on that part and barely move
the next one, so the parser's current outputs on the spent parts (almost no
wrong value left) say nothing about how it errs on fresh text. The realistic
signal is each part scored "before" its round: the parser at the commit the
corpus README names, run on that part while it was still unseen. This module
checks those commits out as git worktrees under /tmp, runs each one's
`parse_report` in a subprocess (PYTHONPATH at the worktree) and writes one row
per (message, field): the value given, whether it was asked, whether it equals
today's label. Only spent parts are read here: never the held-out part nor a reserve.

    python -m benchmarks.returnee_gate_rows      # per part: values given unasked, wrong

Needs the git history (a clone of the hub) and about five minutes on 2 cores.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from benchmarks.returnee_corpus import CORPORA, FIELDS, PARTS, expected

ROOT = Path(__file__).resolve().parent.parent
# Each spent part and the commit at which the corpus README says it was scored
# before its round (the parser had never seen it).
BEFORE = {
    "heldout2": "e8b8d66",
    "heldout3": "cf8a206",
    "heldout4": "3a121a4",
    "heldout5": "99d6bb9",
    "heldout6": "fcd9b59",
    "heldout7": "c7c659a",
    "heldout8": "9f35387",
    "heldout9": "9d571ed",
    "heldout10": "331c03c",
    "heldout11": "c268954",
    "heldout12": "c83e027",
    # round 25: every later spent part, at the commit the README or RESULTS.md names as
    # the parser it was scored by before its round (heldout16 and 17 at the starts of
    # rounds 16 and 17, heldout21/22 before round 19, 23/24 before 20, 25/26 before 21,
    # 27/29 before 23): the unseen outputs grow from 410 silent wrong values to 902 (the
    # parsers the lead scored these parts with after their rounds add one distinct value)
    "heldout13": "d6d3a0e",
    "heldout14": "7ac6ce3",
    "heldout15": "f9168b1",
    "heldout16": "300854b",
    "heldout17": "c393079",
    "heldout18": "c1b7a40",
    "heldout21": "5ffcb2f",
    "heldout22": "5ffcb2f",
    "heldout23": "ab3ebdc",
    "heldout24": "ab3ebdc",
    "heldout25": "40ae3d2",
    "heldout26": "40ae3d2",
    "heldout27": "04f3cc2",
    "heldout29": "04f3cc2",
}
# An old parser's outputs on a part are kept here, keyed by the commit and the texts, so a
# rerun of the benchmarks that read them takes seconds, not minutes.
CACHE = Path("/tmp/returnee-unseen")
# Run inside the old worktree: texts on stdin, one to_json dict (or an error) per text out.
_RUNNER = """
import json, sys
from datetime import datetime, timedelta, timezone
from cascade.returnee import parse_report, to_json
now = datetime(2020, 2, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
out = []
for text in json.load(sys.stdin):
    try:
        out.append(to_json(parse_report(text, now)))
    except Exception as exc:  # an old parser's crash is a row of nothing given
        out.append({"error": repr(exc)})
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def load(part: str) -> list[dict[str, Any]]:
    """The messages and today's labels of a spent part (never the held-out part)."""
    name = "corpus.yaml" if part == "tuned" else f"corpus_{part}.yaml"
    if name not in {path.name for key, path in PARTS.items() if key != "heldout"}:
        raise ValueError("only spent parts are read here (not the held-out part or a reserve)")
    cases: list[dict[str, Any]] = yaml.safe_load((CORPORA / name).read_text(encoding="utf-8"))
    return cases


def worktree(commit: str) -> Path:
    """A checkout of `commit` under /tmp, added once."""
    path = Path(f"/tmp/gate-wt-{commit}")
    if not path.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(path), commit],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return path


def outputs(commit: str, texts: list[str]) -> list[dict[str, Any]]:
    """`texts` read by the parser as it was at `commit` (cached under CACHE)."""
    payload = json.dumps(texts, ensure_ascii=False)
    key = hashlib.sha256(payload.encode()).hexdigest()[:16]
    cached = CACHE / f"{commit}-{key}.json"
    if cached.exists():
        kept: list[dict[str, Any]] = json.loads(cached.read_text(encoding="utf-8"))
        return kept
    tree = worktree(commit)
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER],
        cwd=tree,
        env=env,
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    CACHE.mkdir(exist_ok=True)
    cached.write_text(done.stdout, encoding="utf-8")
    return result


def rows(part: str, commit: str) -> list[dict[str, Any]]:
    """One row per (message, field) of `part` as read at `commit`."""
    cases = load(part)
    found = outputs(commit, [case["text"] for case in cases])
    out = []
    for index, (case, data) in enumerate(zip(cases, found, strict=True)):
        questions = data.get("questions", [])
        for name in FIELDS:
            got = data.get(name, [] if name == "via" else None)
            out.append(
                {
                    "part": part,
                    "commit": commit,
                    "index": index,
                    "field": name,
                    "value": got,
                    "asked": name in questions,
                    "right": got == expected(case, name),
                }
            )
    return out


def main() -> int:
    total = 0
    for part, commit in BEFORE.items():
        part_rows = rows(part, commit)
        given = [r for r in part_rows if r["value"] not in (None, []) and not r["asked"]]
        wrong = sum(1 for r in given if not r["right"])
        total += wrong
        print(f"{part} at {commit}: {len(given)} values given unasked, {wrong} wrong")
    print(f"all parts: {total} wrong values given unasked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
