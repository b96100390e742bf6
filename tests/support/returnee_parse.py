"""The returnee parser's rule tests read every report at one fixed moment:
Thursday 20 February 2020, 10:00 in China, so 今天, 明天 and 下周一 are known dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from cascade.returnee import ReturneeReport, parse_report

TZ = timezone(timedelta(hours=8))
NOW = datetime(2020, 2, 20, 10, 0, tzinfo=TZ)  # a Thursday


def parse(text: str) -> ReturneeReport:
    return parse_report(text, NOW)


def assert_asked(text: str, field: str) -> None:
    """The field is left empty and asked about: the rule tests' "ask, do not guess"."""
    report = parse(text)
    assert getattr(report, field) in (None, []), (field, getattr(report, field), text)
    assert field in report.questions, (field, text)
