"""Returnee reports: a landlord's free message, or the guided form's answers, read into fields.

This package is the one entry point for the rest of the code: import from
`cascade.returnee`, not from its modules. Inside, `report` reads a whole
message and delegates to the readers `people` (count, names), `where`
(address, origin, route), `arrival` (arrival day and time) and `places` (the
province/city table behind origin, route and `high_risk`), with `text` holding
the normalising and number helpers they share, `roster` counting bracketed or
numbered lists and pasted tables of people, `members` (round 22) reading a total the
members spelled out beside it add up to, `pieces` (round 22) joining an address typed
in pieces back to its town, and `doubt` finding what makes a read value unsafe
(hedges, abandoned plans, arrivals in batches); `evidence` is the one place
that turns a value into a question: the readers' own doubts (the predicates of
`asks`, `unsure`, `guards`) and any evidence for a field the value did not
use; `insufficient` (round 12, with `unpinned` of round 13) asks what the
whole message cannot pin down; `provenance` (round 19) asks, last, a value read
by a weak path (kept for the reporter to confirm where it can be), and `clauses` (round 25)
one the message's clauses, each read alone, cannot account for; `english` (round 28) reads
a count an English report says plainly, `accompanied` (round 28) one person and the
companions said apart (本人…同行子女2人); `form` reads the guided form's answers one
field at a time.
"""

from cascade.returnee.arrival import SHANGHAI
from cascade.returnee.form import form_text, is_skip, misfit, report_from_answers
from cascade.returnee.report import (
    JSON_KEYS,
    QUESTION_ORDER,
    ReturneeReport,
    high_risk,
    parse_report,
    to_json,
)

__all__ = [
    "JSON_KEYS",
    "QUESTION_ORDER",
    "SHANGHAI",
    "ReturneeReport",
    "form_text",
    "high_risk",
    "is_skip",
    "misfit",
    "parse_report",
    "report_from_answers",
    "to_json",
]
