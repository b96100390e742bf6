"""Ask, do not guess (issue 10, round 6): a field is given only when the words that carry
it were fully read, plus the kinds of wrong value the fifth held-out part showed.

The structural rule: a day word the reader does not know, right before a part of
day, makes the arrival a question (头天晚上, 次日上午), never today's evening.
The specific kinds: dialect day words (昨个, 听日, 今朝), 听…说 and 像是 hedges, a
doubt said after its clause (不太确定), a place denied (不是四川), one place among
several (主要是, X的多, 都有), words joined to a place (拉货, 本省), a county after
a city (隆回县), a batch (新回来一批, 还有两个…下周回), an unlikely return, rough
hours (十点前后), households each with a count, kin lists typed with commas,
小囡, 大写 numerals, tables with a 人数 column, 同行 lists, leading words before
an address (住所为, 自己家里) and a town typed apart (上溪镇 溪华村 8号).
The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.support.returnee_parse import TZ, parse


# ---- structural: an unread day word before a part of day is asked, never today
@pytest.mark.parametrize(
    "text",
    [
        "租客头天晚上就到了，两个，湖南衡阳",
        "租户次日上午到，一个人，江西",
        "当天夜里到的，三个，河南",
        "租客说第二天下午到，一个人",
        "租户落个晚上到，两个",
        "今下午到了一个，四川的",
    ],
)
def test_an_unread_day_word_before_a_part_of_day_is_asked(text: str) -> None:
    report = parse(text)
    assert report.arrival is None
    assert "arrival" in report.questions


@pytest.mark.parametrize(
    ("text", "arrival"),
    [
        ("下午到，两个人，湖南", date(2020, 2, 20)),  # no day word at all: today
        ("今天晚上到，一个", date(2020, 2, 20)),
        ("前天夜里到的，三个", date(2020, 2, 18)),
        ("大后天晚上到，一个", date(2020, 2, 23)),
        ("星期天下午到，两个", date(2020, 2, 23)),
        ("吃完饭后晚上到，一个", date(2020, 2, 20)),  # 饭后: not a day word
    ],
)
def test_read_day_words_before_a_part_of_day_still_read(text: str, arrival: date) -> None:
    assert parse(text).arrival == arrival


@pytest.mark.parametrize(
    ("text", "arrival"),
    [
        ("租户昨个晚上到的，五口人", date(2020, 2, 19)),
        ("明儿个晌午到，两口子", date(2020, 2, 21)),
        ("租客今朝到的，一个", date(2020, 2, 20)),
        ("阿拉女儿明朝到，一个", date(2020, 2, 21)),
        ("佢琴日到嘅，一个人", date(2020, 2, 19)),
        ("佢听日夜晚八点到，一个人", datetime(2020, 2, 21, 20, 0, tzinfo=TZ)),
        ("前日到的，两个", date(2020, 2, 18)),
    ],
)
def test_dialect_day_words(text: str, arrival: date | datetime) -> None:
    report = parse(text)
    assert report.arrival == arrival
    assert "arrival" not in report.questions


def test_a_rough_hour_with_qianhou_is_that_hour() -> None:
    assert parse("上午九点前后到，一个").arrival == datetime(2020, 2, 20, 9, 0, tzinfo=TZ)
    report = parse("上午九点前到，一个")  # before nine: a bound, not an hour
    assert report.arrival is None or isinstance(report.arrival, date)
    assert not isinstance(report.arrival, datetime)


# ---- hedges
@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("租客两个，听他老婆说是明天到", "arrival"),
        ("听房东讲说是湖北的，一个", "origin"),
        ("一个人，口音像是四川的", "origin"),
        ("看上去像是江西的，两个", "origin"),
        ("说是湖南来的，不太确定，也可能是贵州", "origin"),
        ("从安徽回的，但不确定，一个人", "origin"),
    ],
)
def test_hedges_ask(text: str, field: str) -> None:
    report = parse(text)
    assert getattr(report, field) is None
    assert field in report.questions


def test_a_doubt_about_the_count_does_not_reach_back_over_the_day() -> None:
    report = parse("租客明天到，人数不确定，河南的")
    assert report.arrival == date(2020, 2, 21)
    assert report.count is None


# ---- origin
@pytest.mark.parametrize(
    "text",
    [
        "租户从湖北回，应该不是湖北，是江西，一个",
        "这批员工主要是贵州的，今天到",
        "厂里十多号人，河南的多",
        "湖南江西的都有，一共六个",
        "大部分是四川人，五个",
    ],
)
def test_one_place_among_several_or_a_denied_place_is_asked(text: str) -> None:
    report = parse(text)
    assert report.origin is None
    assert "origin" in report.questions


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("司机一个，从河南周口送货过来", "河南周口"),
        ("一个人，从安徽合肥打工回来", "安徽合肥"),
        ("商户两个，浙江本省的", "浙江"),
        ("租客从湖南邵阳隆回县回来，一个", "湖南邵阳隆回县"),
        ("租户肯定不是湖北的，是湖南永州的，一个", "湖南永州"),
    ],
)
def test_places_read_whole_and_nothing_more(text: str, origin: str) -> None:
    assert parse(text).origin == origin


# ---- batches and returns that may not happen
@pytest.mark.parametrize(
    "text",
    [
        "店里新回来一批员工，江西的",
        "工地来了一批工人，湖南的",
        "今天到的是贵州的三个，还有两个四川的明天到",
    ],
)
def test_batches_ask_the_day_and_count(text: str) -> None:
    report = parse(text)
    assert report.arrival is None and report.count is None
    assert {"arrival", "count"} <= set(report.questions)


def test_a_return_that_is_unlikely_has_no_count() -> None:
    report = parse("租户回来的可能性很小，他在河北老家")
    assert report.count is None and "count" in report.questions


# ---- counts
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("甲户2人，乙户3人，都是湖南的", 5),
        ("我弟家四口，我妹家两口，明天到", 6),
        ("一户3个人一户2个人", 5),  # households add up, as the corpus conventions say
        ("回来的：本人，媳妇，女儿，岳父母，从安徽", 5),
        ("夫妻俩带一个小囡，昨天到", 3),
        ("租客登记人数：肆人，江西", 4),
        ("员工拾贰名今天返厂", 12),
        ("户主|人数|来源\n老王|3|河南\n老李|2人|河南", 5),
        ("姓名：周某\n同行：儿子、女儿", 3),
    ],
)
def test_counts_read_whole(text: str, count: int) -> None:
    assert parse(text).count == count


@pytest.mark.parametrize(
    "text",
    [
        "甲户2人，乙户几个人，湖南",  # one household not exact
        "户主|人数\n老王|三四个",  # a cell that is not exact
        "户主|人数|来源\n老王|3",  # a row that does not fit the header
        "本人，老婆，儿子，一共5个",  # the list and the total disagree
    ],
)
def test_counts_not_read_whole_are_asked(text: str) -> None:
    report = parse(text)
    assert report.count is None and "count" in report.questions


# ---- addresses
@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("租客一人，住所为金桥小区3幢201", "金桥小区3幢201"),
        ("儿子回来了，住自己家里塘下村12号", "塘下村12号"),
        ("住址：佛堂镇 倍磊村 16号，一个人", "佛堂镇倍磊村16号"),
        ("住大陈镇楂林村玖号，两个", "大陈镇楂林村9号"),
    ],
)
def test_addresses_without_lead_words_and_with_their_town(text: str, address: str) -> None:
    assert parse(text).address == address
