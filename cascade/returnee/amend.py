"""A reply to a returnee draft amends it: what the reply says replaces, the rest stays.

The draft invites a reply ("还缺：住址（可回复补充）"), and a reporter answers with the
piece asked for or the one to fix ("住址是宾王小区3幢2单元501", "人数改成4人"). Read
alone as a new report, that reply emptied every other field the draft had. Each
field is now taken from the reply when the reply alone says it; else from the draft
and the reply read together when that reading changes it (a correction that needs
the value before it, "人数改成4人"); else it is kept as it was. A field the reading
together lost, and the reply alone does not give, is asked: never a silent guess.
"""

from __future__ import annotations

from datetime import datetime

from cascade.returnee.report import (
    QUESTION_ORDER,
    ReturneeReport,
    parse_report,
    taken,
    with_companions,
)

# Each field with the fields that go with it.
FIELDS: tuple[tuple[str, ...], ...] = tuple(
    with_companions(key)
    for key in ("count", "origin", "via", "arrival", "address", "phone", "names", "id_numbers")
)


def amended(draft: ReturneeReport, text: str, reply: str, now: datetime) -> ReturneeReport:
    """`draft` (read from `text`) amended by `reply`."""
    alone = parse_report(reply, now)
    together = parse_report(f"{text}\n{reply}", now)
    update: dict[str, object] = {}
    questions: set[str] = set()
    for names in FIELDS:
        key = names[0]
        if _said(alone, key):
            source: ReturneeReport | None = alone
        elif all(getattr(together, n) == getattr(draft, n) for n in names):
            source = draft
        elif _said(together, key):
            source = together
        else:
            source = None
        update |= taken(source, [key])
        if source is None or key in source.questions:
            questions.add(key)
    asked = [key for key in QUESTION_ORDER if key in questions]
    return draft.model_copy(update=update | {"questions": asked})


def _said(report: ReturneeReport, key: str) -> bool:
    value = getattr(report, key)
    return bool(value) if isinstance(value, list) else value is not None
