"""Asked, not guessed (issue 10, round 13): more evidence that cannot pin a value down.

Each rule of `cascade.returnee.unpinned` is tested on what it must ask (every asked
case below comes out with a value and no question without the module) and on a
near shape it must leave alone:

- via: a stop said and then denied (不是经过长沙);
- origin: where they got off (从金华站下车), a county whose suffix the reader dropped
  (城步县的 → 湖南城步), words of no place read into it (云南大理旅游), two places
  each said as where they came from (说是从安徽回来的，后来又说是从江苏过来的);
- arrival: the time said as still open (时间还可能会改), two days as a range
  (2月22日到24日之间), a day on which something is settled later (以后天到厂的为准);
- address: going on with a side and digits (二区北12街) or a bracket, led by a
  pronoun (我们小区8号楼), a building whose one room is said apart (602 … 江湾小区9幢);
- count: below a number of people said (三个客服小妹), one person with a companion
  (与其丈夫), a leader who brings N (带工人5名), a family listed from a spouse
  (老周一家…老婆和一个女儿), the reporter with companions listed (本人…同行人员),
  doubt whether anyone came (是不是他本人我不清楚).

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.returnee import parse_report, to_json
from cascade.returnee.text import to_int
from tests.support.returnee_parse import NOW, assert_asked


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # a stop said, then denied
        ("两人从贵州贵阳来，说是经过长沙，我又问了，不是经过长沙，是经过南昌", "via"),
        # where they got off is not where they came from
        ("租客说从金华站下车打的过来的，老家江西上饶，一个人", "origin"),
        ("两名员工从湖北孝感下飞机后打车回来，老家在江西", "origin"),
        # a county's suffix the reader stopped before
        ("租客两个，湖南城步县的，昨天回来", "origin"),
        ("租客两个，贵州威宁县的，昨天回来", "origin"),
        # words of no place read into the origin
        ("一家三口从云南大理旅游回来，今天到", "origin"),
        # two places, each said as where they came from
        ("员工老马说是从安徽回来的，后来又说是从江苏过来的", "origin"),
        ("我们是杭州来的，两个人，其实是从江苏南通开车过来的", "origin"),
        ("员工说是从河南回来的，后来又说是从山东过来的，不是本地人", "origin"),
        # a day still open, a range of days, a day that settles something later
        ("租客说后天回来，河南的，两个人，时间还可能会改", "arrival"),
        ("租客两个2月22日到24日之间回来，安徽的", "arrival"),
        ("新员工以后天到厂的为准，河南信阳的，具体人数再报", "arrival"),
        # an address that goes on, is led by a pronoun, or has its room said apart
        # (商位在国际商贸城二区北12街 was here: since round 16 a side street is read whole)
        # (住员工宿舍（苏溪镇工业区） was here: since round 14 the bracket's place is read)
        ("员工5人从江西回来，住员工宿舍（跟老乡合住）", "address"),
        ("我们小区8号楼有人从湖南回来了，一个人，昨天", "address"),
        ("咱们小区3幢有租客从江西回来，一个人，今天", "address"),
        ("楼上602新来的租客从安徽回来，两个人，楼号是江湾小区9幢", "address"),
        # a count the words do not fix
        ("仓库今天有五个打包小哥从江西回来，都住仓库楼上", "count"),
        ("房东报：租客王芳与其丈夫昨天从湖南回来", "count"),
        ("包工头老曹带工人5名昨天从四川达州到", "count"),
        ("老周一家昨天从江西回来，老婆和一个女儿，住杨村", "count"),
        ("本人李强，2月19日从湖南回义，同行人员母亲和妹妹", "count"),
        ("楼下租客可能到了，是不是他本人我不清楚，湖南的", "count"),
    ],
)
def test_what_the_message_does_not_pin_down_is_asked(text: str, field: str) -> None:
    assert_asked(text, field)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # a stop said and not denied; a place denied that is no stop
        ("两人从贵州贵阳来，经过长沙，没有在杭州停", "via", ["长沙"]),
        # got off somewhere else than where they came from
        ("租客从江西上饶坐车回来，在金华站下车，一个人", "origin", "江西上饶"),
        # the county read with its suffix
        ("租客两个，四川苍溪县的，昨天回来", "origin", "四川苍溪县"),
        ("租客两个从广东深圳宝安区回来", "origin", "广东深圳宝安区"),
        ("一家三口从云南大理回来，今天到", "origin", "云南大理"),
        # a place denied, then the right one
        ("员工老马不是从安徽回来的，是从江苏回来的，一个人", "origin", "江苏"),
        # a day settled; a house number with a hyphen; a name settled by the ID card
        ("租客说后天回来，车票已经买好了，两个人", "arrival", "2020-02-22"),
        ("住塘下洋村9-1号，今天到，一个人，河南的", "arrival", "2020-02-20"),
        ("员工三个今天到，河南的，名字以身份证为准", "arrival", "2020-02-20"),
        # an address that ends where the message does; two rooms, one building; a phone
        (
            "商户今天从福建回来，一个人，商位在国际商贸城二区12街，北门进来",
            "address",
            "国际商贸城二区12街",
        ),
        ("我们住的是青口小区8幢，租客一个人今天从湖南回来", "address", "青口小区8幢"),
        ("302和502两户租客今天从江西回来，都住凌云七区5幢", "address", "凌云七区5幢"),
        ("租客一个人坐G1371次从湖北回来，住青口小区8幢", "address", "青口小区8幢"),
        (
            "租客一个人今天从湖南回来，住青口小区8幢，电话139 6890 2217",
            "address",
            "青口小区8幢",
        ),
        # counts the words do fix
        ("租客王芳与其丈夫昨天从湖南回来，两个人", "count", 2),
        ("租客小陈和她妹妹昨天从江西南昌回来了", "count", 2),
        ("老曹带工人5名，共6人，从四川达州到", "count", 6),
        ("老周一家昨天从江西回来，他和老婆还有一个女儿", "count", 3),
        ("租客回来了，河南的，一个人", "count", 1),
    ],
)
def test_what_the_message_pins_down_is_read(text: str, field: str, value: object) -> None:
    assert to_json(parse_report(text, NOW))[field] == value


@settings(max_examples=60, deadline=None)
@given(
    number=st.sampled_from(["两", "三", "4", "五", "6"]),
    noun=st.sampled_from(["客服小妹", "打包小哥", "工人", "员工", "服务员", "小姐妹", "老乡"]),
    place=st.sampled_from(["河南", "江西上饶", "四川达州"]),
    template=st.sampled_from(
        ["今天有{n}个{noun}从{place}回来", "{n}位{noun}昨天从{place}到的，住厂里"]
    ),
)
def test_a_count_is_never_below_the_people_said(
    number: str, noun: str, place: str, template: str
) -> None:
    """A number of people said ("三个客服小妹") bounds the count from below: the count
    read is that number or more, or it is asked."""
    text = template.format(n=number, noun=noun, place=place)
    data = to_json(parse_report(text, NOW))
    said = to_int(number)
    assert said is not None
    count = data["count"]
    assert count is None or (isinstance(count, int) and count >= said), text
    if count is None:
        assert "count" in data["questions"]  # type: ignore[operator]
