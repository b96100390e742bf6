"""The parser survives anything a chat can carry (hypothesis).

A report is typed by a person, pasted from another app, or is not a report at
all; the bot must answer with questions, never crash the handler, and never
invent a count outside what a unit can hold.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.returnee import JSON_KEYS, QUESTION_ORDER, parse_report, to_json

NOW = datetime(2020, 2, 20, 2, 0, tzinfo=UTC)
REPORT_BITS = (
    "租客 老李 小王 张三 带 带着 5位 五个 两 俩 一家三口 夫妻俩 老婆 孩子 家人 父母 和 及 一共 共 人 名 位 口"
    " 从 来自 回来 返回 到 途经 经过 中转 在 转车 没有 湖南 湖北 武汉 孝感 河南信阳 韩国 义乌"
    " 今天 明天 后天 昨天 今晚 下午 3点 十点半 14:20 3月17日 17号 2.21 下周一 周六 正月十五 过两天 近日"
    " 住 溪西村12号 塔山小区3幢2单元501 青口路88号 7号楼2单元501 5楼 宿舍 工地 稠州北路 街道"
    " 电话 座机 138 1234 5678 13812345678 0579-85512345 85512345 经停 飞 再坐车"
    " 身份证 330782199001011234 大概 左右 多 几 的 了 , ， 。 、 : ： / - 0 1 9 十 百 千 万 廿"
    " 两三个 七八 十几 二十多 3到5 3-5 约 我和丈夫 2人 凌晨 傍晚 中午 晚上九点半"
).split()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_parses(text: str) -> None:
    report = parse_report(text, NOW)
    assert report.count is None or 0 < report.count <= 10_000
    data = to_json(report)
    assert tuple(data) == JSON_KEYS
    assert set(report.questions) <= set(QUESTION_ORDER)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(REPORT_BITS), max_size=25).map("".join))
def test_report_like_text_parses(text: str) -> None:
    report = parse_report(text, NOW)
    assert report.count is None or 0 < report.count <= 10_000
    # a count may be kept beside its question for the reporter to confirm (round 21's
    # second readings: "廿一家三口一家三口"), but an empty count is always asked
    assert (report.count is None) <= ("count" in report.questions)
    assert (report.origin is None) <= ("origin" in report.questions)
    assert (report.arrival is None) <= ("arrival" in report.questions)
    if report.phone is not None:  # a mobile, or a landline with or without its area code
        assert re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}|\d{7,8}", report.phone)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=-(10**6), max_value=10**6), st.text(max_size=30))
def test_any_now_parses(minutes: int, text: str) -> None:
    parse_report(text + "明天下午3点到", NOW + timedelta(minutes=minutes))
