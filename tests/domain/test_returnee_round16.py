"""What round 16 of the returnee parser reads or asks (issue 10, heldout15's misses).

Readers:
- a market street named by its side or gate (一区东17街, 四区东门6街, 二区东扩15街) is an
  address like 一区17街;
- 号码 after a house number is the phone's word, not the number's 号 (…5幢302 号码1395…);
  一户5人 after a village's zone is a household of five, not a door (倍磊村二区 一户5人);
- 报一下 / 报备 / 上报 / 汇报 before an address are the reporter's words, and 我们 between
  a building and its unit is the reporter's too (…2幢 我们3单元601).

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.returnee import to_json
from tests.support.returnee_parse import parse


def parsed(text: str) -> dict[str, object]:
    return to_json(parse(text))


@given(
    zone=st.sampled_from("一二三四五"),
    side=st.sampled_from(["东", "西", "北", "新", "东门", "西门", "东扩"]),
    street=st.integers(min_value=1, max_value=39),
    lead=st.sampled_from(["", "铺长 ", "报备：", "铺长报备"]),
    after=st.sampled_from(["商户", "的商户", " 商户"]),
)
@settings(max_examples=60, deadline=None)
def test_a_market_street_named_by_its_side_is_the_address(
    zone: str, side: str, street: int, lead: str, after: str
) -> None:
    text = f"{lead}{zone}区{side}{street}街{after} 1人 河南周口 今天到 电话13857108463"
    data = parsed(text)
    assert data["address"] == f"{zone}区{side}{street}街", text
    assert data["count"] == 1 and data["origin"] == "河南周口", text


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("租户一个 江西九江 明天到 住春风小区8幢601 号码13957350846", "address", "春风小区8幢601"),
        ("租户一个 江西九江 明天到 住春风小区8幢601 号码13957350846", "phone", "13957350846"),
        ("村干部报：下湾村三区 一户4人 湖北随州 昨天到 电话15823907100", "address", "下湾村三区"),
        ("村干部报：下湾村三区 一户4人 湖北随州 昨天到 电话15823907100", "count", 4),
        ("报一下二区19街的商户 江西赣州 夫妻俩 明天下午到 电话13905953000", "address", "二区19街"),
        ("铺长报备五区8街商户1人从湖南株洲回来今天晚上到电话15155291000", "address", "五区8街"),
        (
            "楼长 阳光花园5幢 我们2单元702 外地回来1个 江西吉安 昨天到的 电话13758955000",
            "address",
            "阳光花园5幢2单元702",
        ),
    ],
)
def test_reporters_words_and_phone_words_are_not_the_address(
    text: str, field: str, value: object
) -> None:
    assert parsed(text)[field] == value
