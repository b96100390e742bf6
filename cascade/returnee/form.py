"""The guided returnee form's answers, read field by field into a report.

Each answer of the form answers one question, so it is read as that field
alone ("3" to "几个人" is a count of 3; "一区8幢2单元301" to "住在哪里" is the
address), never glued into a sentence and parsed again: a glued "3，从温州回来"
lost the count and the address the reporter had just typed. A skipped or
unreadable answer stays a question; an estimate (两三个) is never a count.
An answer not of its step's kind ("3" or 明天 to "从哪里回来", a phone number to
"住在哪里" or "什么时候到") is refused so the step is asked again, never written into the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from cascade.numerals import ApproximateCount, parse_count
from cascade.returnee.report import QUESTION_ORDER, ReturneeReport, parse_report

# How each answer is written into the report text the commanders read.
PHRASES = {
    "count": "{}人",
    "origin": "从{}回来",
    "via": "途经{}",
    "arrival": "{}到",
    "address": "住{}",
    "phone": "电话{}",
}
_LIST = re.compile(r"[、,，;；/\s]+")
# Typed instead of pressing the skip button.
SKIP_WORDS = frozenset({"跳过", "略", "无", "没有", "不知道", "不清楚", "暂无", "skip", "-", "/"})


def is_skip(answer: str) -> bool:
    return answer.strip().lower().rstrip("。.!！") in SKIP_WORDS


# A letter of any script: a place or an address names something, a bare number does not.
_LETTER = re.compile(r"[^\W\d_]")
# Steps whose answer names a place.
_PLACES = frozenset({"origin", "via", "address"})
# Words that only label a phone number ("电话13900001111" is no address).
_PHONE_WORDS = re.compile(r"电话|手机|联系方式|tel|phone|mobile", re.IGNORECASE)


def misfit(step: str, answer: str, now: datetime) -> bool:
    """Whether a typed answer is not of its step's kind: a place or an address
    that is a bare number, a phone number or a time (明天), an arrival that is a
    bare number or a phone number, a phone that is no phone number."""
    if step == "phone":
        return parse_report(f"电话{answer}", now).phone is None
    bare = _LETTER.search(_PHONE_WORDS.sub("", answer)) is None
    if step in _PLACES:
        return bare or parse_report(f"{answer}到", now).arrival is not None
    return step == "arrival" and bare


def form_text(answers: Mapping[str, str]) -> str:
    """The answers as one report text (for the private details and the audit)."""
    return "，".join(PHRASES[key].format(answers[key]) for key in QUESTION_ORDER if key in answers)


def _count(answer: str, now: datetime) -> int | None:
    try:
        return parse_count(answer)
    except ApproximateCount:
        return None
    except ValueError:
        # "3人", "我和丈夫2人", "一家五口": the sentence reader knows these.
        return parse_report(answer, now).count


def report_from_answers(answers: Mapping[str, str], now: datetime) -> ReturneeReport:
    """The report the form's answers give; a missing or unreadable field is asked for."""
    found = ReturneeReport(id_numbers=parse_report(form_text(answers), now).id_numbers)
    questions: set[str] = set()
    if "count" in answers:
        found.count = _count(answers["count"], now)
    if found.count is None:
        questions.add("count")
    if "origin" in answers:
        found.origin = parse_report(f"从{answers['origin']}回来", now).origin or answers["origin"]
    else:
        questions.add("origin")
    if "via" in answers:
        read = parse_report(f"途经{answers['via']}", now).via
        found.via = read or [p for p in _LIST.split(answers["via"]) if p]
    if "arrival" in answers:
        arrival = parse_report(f"{answers['arrival']}到", now)
        found.arrival = arrival.arrival
        found.arrival_part = arrival.arrival_part
        if "arrival" in arrival.questions:
            questions.add("arrival")
    else:
        questions.add("arrival")
    if "address" in answers:
        found.address = parse_report(f"住{answers['address']}", now).address or answers["address"]
    else:
        questions.add("address")
    if "phone" in answers:
        phone = parse_report(f"电话{answers['phone']}", now)
        found.phone = phone.phone
        if "phone" in phone.questions:
            questions.add("phone")
    else:
        questions.add("phone")
    found.questions = [key for key in QUESTION_ORDER if key in questions]
    return found
