"""Round 28 (parserb): a supplement that points at a household reported before by its
place ("补充：刚才报的那户江西的…") keeps that place as the origin and asks it
(`cascade/returnee/earlier.py`); a report that is no supplement gives it as read.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from tests.support.returnee_parse import parse


def test_a_household_pointed_at_by_its_place_asks_the_origin() -> None:
    report = parse("补充一下：刚才报的那户广西百色的，不是两个人，是三个人")
    assert report.origin == "广西百色"
    assert "origin" in report.questions


def test_a_place_before_the_household_word_asks_it_too() -> None:
    report = parse("组长补充：昨天到的云南昭通那两户，一户住赤岸镇毛店村3号，一户住5号")
    assert report.origin == "云南昭通"
    assert "origin" in report.questions


def test_a_new_report_gives_the_origin() -> None:
    report = parse("那户人家三个人从广西百色回来了，今天到的，住赤岸镇毛店村3号，电话13905791111")
    assert report.origin == "广西百色"
    assert "origin" not in report.questions
