"""The parser's pieces one by one: numerals in context, days, phones, risk, JSON, the CLI.

Each case is a way a real report is typed; each refusal (None + question) is a
place where a guess would have been easy and wrong.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.parse_report import main as parse_report_cli
from cascade.returnee import ReturneeReport, high_risk, parse_report, to_json
from cascade.returnee.places import contains, lookup

NOW = datetime(2020, 2, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))  # a Thursday
CST = timezone(timedelta(hours=8))


def parse(text: str, now: datetime = NOW) -> ReturneeReport:
    return parse_report(text, now)


# --- counts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("租客老李带5位家人从湖南回来", 6),
        ("租客带着五位家人回来", 6),
        ("一家三口明天到", 3),
        ("一家5口", 5),
        ("夫妻俩后天回", 2),
        ("两口子带个小孩回来", 3),
        ("老李夫妇今天到", 2),
        ("两人明天回", 2),
        ("2人明天回", 2),
        ("5名工人明天回", 5),
        ("回来五个外地人", 5),
        ("３个租客", 3),
        ("共计二十八人", 28),
        ("租客带着父母和一个孩子", 4),
        ("租客带妻子和两个儿子", 4),
        ("店主刘女士及其丈夫、女儿", 3),
        ("老李一家三口加上他丈母娘，一共四个人", 4),
        ("人数：4", 4),
        ("有个租客明天回来", 1),
        ("租客王先生明天回来，他一个人", 1),
        ("小何和小罗明天回来", 2),
        ("老张家儿子儿媳后天回", 2),
        ("爷孙俩昨天到的", 2),
        ("楼上张阿姨家的女儿女婿和外孙明天到", 3),
    ],
)
def test_counts_in_context(text: str, count: int) -> None:
    report = parse(text)
    assert report.count == count
    assert "count" not in report.questions


@pytest.mark.parametrize(
    "text",
    [
        "租客带老婆孩子回来",  # how many children?
        "一家人明天回来",
        "大概十几个人",
        "大概30人",
        "十个人左右",
        "20多人",
        "他们下周回来",
        "一户3个人一户几个人",  # two households, one count not exact
        "租客明天回来",  # one tenant or the tenants?
        "三个人带两个孩子",  # with or without the children?
        "第2个租客明天回来",  # an ordinal
    ],
)
def test_unclear_counts_are_asked(text: str) -> None:
    report = parse(text)
    assert report.count is None
    assert "count" in report.questions


def test_ages_house_numbers_and_days_are_not_counts() -> None:
    report = parse("租客李四，男，35岁，住塔山小区3幢2单元501，14天内没出过门")
    assert report.count == 1  # 李四 alone; not 35, 3, 2, 501 or 14


def test_count_never_exceeds_the_cap() -> None:
    assert parse("共计100000人").count is None
    assert parse("共计10000人").count == 10_000


# --- days and times -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "arrival"),
    [
        ("今天到", date(2020, 2, 20)),
        ("明天回来", date(2020, 2, 21)),
        ("后天回来", date(2020, 2, 22)),
        ("大后天回来", date(2020, 2, 23)),
        ("昨天到的", date(2020, 2, 19)),
        ("今晚到", date(2020, 2, 20)),  # a part of day: the date only
        ("明天下午到", date(2020, 2, 21)),
        ("明天下午3点到", datetime(2020, 2, 21, 15, 0, tzinfo=CST)),
        ("明早7点半到", datetime(2020, 2, 21, 7, 30, tzinfo=CST)),
        ("今天凌晨4点到的", datetime(2020, 2, 20, 4, 0, tzinfo=CST)),
        ("今晚九点到", datetime(2020, 2, 20, 21, 0, tzinfo=CST)),
        ("明天中午12点到", datetime(2020, 2, 21, 12, 0, tzinfo=CST)),
        ("明天14:20到", datetime(2020, 2, 21, 14, 20, tzinfo=CST)),
        ("下午三点左右到", datetime(2020, 2, 20, 15, 0, tzinfo=CST)),  # today
        ("3月17日回来", date(2020, 3, 17)),
        ("3月17号回来", date(2020, 3, 17)),
        ("三月十七号回来", date(2020, 3, 17)),
        ("2.21到", date(2020, 2, 21)),
        ("2020-02-21到", date(2020, 2, 21)),
        ("2020/2/21到", date(2020, 2, 21)),
        ("23号回来", date(2020, 2, 23)),
        ("二十一号回来", date(2020, 2, 21)),
        ("18号回来的", date(2020, 2, 18)),  # past, said as past
        ("下周一回来", date(2020, 2, 24)),
        ("下礼拜三回来", date(2020, 2, 26)),
        ("这周六回来", date(2020, 2, 22)),
        ("周日回来", date(2020, 2, 23)),
        ("下下周一回来", date(2020, 3, 2)),
        ("3天后到", date(2020, 2, 23)),
        ("正月十五回来", date(2020, 2, 8)),
        ("正月十六返回", date(2020, 2, 9)),
        ("元宵节回来", date(2020, 2, 8)),
        ("2月18日从湖北出发，今天到义乌", date(2020, 2, 20)),  # the day they left is not it
        ("27号出发28号到", date(2020, 2, 28)),
        ("刚从温州回来", date(2020, 2, 20)),
    ],
)
def test_arrival_words(text: str, arrival: date | datetime) -> None:
    report = parse(text)
    assert report.arrival == arrival
    assert type(report.arrival) is type(arrival)
    assert "arrival" not in report.questions


_LUNAR_DAYS = [
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七", "二十八", "二十九",
]  # fmt: skip


@pytest.mark.parametrize("day", range(1, 30))
def test_every_day_of_the_first_lunar_month(day: int) -> None:
    """正月二十九 once read as 正月二十 (2月13日, nine days early): every day of 正月
    2020 (it began on 1月25日), written out and with 廿, is its own date."""
    want = date(2020, 1, 25) + timedelta(days=day - 1)
    word = _LUNAR_DAYS[day - 1]
    assert parse(f"正月{word}从江西回来").arrival == want
    if word.startswith("二十") and word != "二十":
        assert parse(f"正月廿{word[2:]}从江西回来").arrival == want


@pytest.mark.parametrize(
    "text",
    [
        "过两天回来",
        "过几天回来",
        "于近日返回",
        "下周回来",
        "下个月初回来",
        "过完元宵节回来",
        "元宵节后回来",
        "3月1日以后回来",
        "明天或后天回来",  # two days
        "17号回来",  # the 17th when today is the 20th: last week or next month?
        "周一回来",  # Monday, said on a Thursday: which one?
        "回来了",
        "等解封了再回",
    ],
)
def test_vague_or_contradictory_arrival_is_asked(text: str) -> None:
    report = parse(text)
    assert report.arrival is None
    assert "arrival" in report.questions


def test_an_unclear_clock_keeps_the_day_and_asks() -> None:
    report = parse("明天3点到")  # 03:00 or 15:00?
    assert report.arrival == date(2020, 2, 21)
    assert "arrival" in report.questions


def test_house_numbers_are_not_days() -> None:
    report = parse("住溪西村12号")
    assert report.arrival is None
    assert report.address == "溪西村12号"
    assert parse("3号店铺老板回来了").arrival is None


def test_now_is_read_in_shanghai_time() -> None:
    late_utc = datetime(2020, 2, 19, 20, 0, tzinfo=UTC)  # 04:00 on the 20th in Shanghai
    assert parse("明天回来", late_utc).arrival == date(2020, 2, 21)
    assert parse("今天下午3点到", late_utc).arrival == datetime(2020, 2, 20, 15, 0, tzinfo=CST)


def test_lunar_new_year_follows_the_year() -> None:
    now_2021 = datetime(2021, 2, 10, 9, 0, tzinfo=CST)
    assert parse("正月十五回来", now_2021).arrival == date(2021, 2, 26)


# --- phones, IDs, names ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "电话13812345678",
        "电话 138 1234 5678",
        "电话138-1234-5678",
        "手机：+86 138 1234 5678",
        "电话１３８１２３４５６７８",
        "联系电话8613812345678",
    ],
)
def test_phone_is_digits_only(text: str) -> None:
    report = parse(text)
    assert report.phone == "13812345678"
    assert "phone" not in report.questions


@pytest.mark.parametrize(
    "text",
    [
        "电话1381234567",  # ten digits: mistyped
        "电话13912345678 座机0579-85551234",  # a mobile and a landline: which one?
        "电话010-1234567",  # Beijing numbers have 8 digits: mistyped
        "电话13912345678 / 13987654321",  # two numbers: whose?
        "明天回来",
    ],
)
def test_missing_or_unclear_phone_is_asked(text: str) -> None:
    report = parse(text)
    assert report.phone is None
    assert "phone" in report.questions


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("电话0579-85512345", "0579-85512345"),
        ("座机 0579 85512345", "0579-85512345"),
        ("联系电话057985512345", "0579-85512345"),
        ("固话010-62345678", "010-62345678"),
        ("座机85561234", "85561234"),
        ("房东电话：85512345，租客明天到", "85512345"),
    ],
)
def test_landlines_are_read_with_their_area_code(text: str, phone: str) -> None:
    report = parse(text)
    assert report.phone == phone
    assert "phone" not in report.questions


@pytest.mark.parametrize("text", ["1,024人 本月返岗", "85512345人", "订单号 85512345 的货到了"])
def test_a_bare_number_without_a_phone_word_is_no_landline(text: str) -> None:
    assert parse(text).phone is None


def test_id_numbers_are_kept_and_not_read_as_phones() -> None:
    report = parse("租客张伟，身份证号码41152219850312567x，今天从信阳回来")
    assert report.id_numbers == ["41152219850312567X"]
    assert report.phone is None
    assert report.names == ["张伟"]


def test_names_for_masking() -> None:
    report = parse("房东张大姐：租客老李和小王、王先生，还有租客李小红明天回来")
    assert set(report.names) >= {"张大姐", "老李", "小王", "王先生", "李小红"}


# --- places and risk ------------------------------------------------------


def test_origin_and_route() -> None:
    report = parse("/returnee 租客老李带5位家人从湖南回来, 途经武汉, 住溪西村12号")
    assert (report.count, report.origin, report.via, report.address) == (
        6,
        "湖南",
        ["武汉"],
        "溪西村12号",
    )
    assert report.names == ["老李"]


def test_a_route_that_was_not_taken_is_no_route() -> None:
    assert parse("从安徽阜阳回来，不经过湖北").via == []
    assert parse("从湖北十堰出发，没有经过武汉").via == []


def test_the_reporters_own_town_is_no_origin() -> None:
    assert parse("租客明天回来，义乌这边要隔离吗").origin is None
    assert parse("我们这里是浙江义乌，租客明天从武汉回来").origin == "武汉"


def test_an_address_they_come_from_is_part_of_the_origin() -> None:
    report = parse("租客老王从湖北孝感市孝南区新华路5号回来，住溪西村3号")
    assert report.origin == "湖北孝感市孝南区"
    assert report.address == "溪西村3号"
    assert high_risk(report, ["湖北"])


def test_several_origins_are_asked() -> None:
    report = parse("共计28人，来自江西、湖南、贵州等地")
    assert report.origin is None
    assert "origin" in report.questions


@pytest.mark.parametrize(
    ("origin", "via", "regions", "risky"),
    [
        ("湖南", ["武汉"], ["湖北"], True),  # 武汉 is in 湖北
        ("武汉", [], ["湖北省"], True),
        ("湖北孝感", [], ["湖北"], True),
        ("湖北省孝感市", [], ["孝感"], True),
        ("汉川", [], ["湖北"], True),  # a county-level city of 湖北
        ("仙桃", [], ["湖北"], True),
        ("湖南", ["长沙"], ["湖北"], False),
        ("湖北", [], ["武汉"], False),  # 湖北 is not known to be 武汉
        ("浙江温州", [], ["温州"], True),
        ("温州", [], ["浙江"], True),
        ("韩国", [], ["韩国", "湖北"], True),
        ("河南信阳", [], [], False),
        (None, [], ["湖北"], False),
        ("广州", ["江西上饶", "浙江衢州"], ["衢州"], True),
    ],
)
def test_high_risk(origin: str | None, via: list[str], regions: list[str], risky: bool) -> None:
    report = ReturneeReport(origin=origin, via=via)
    assert high_risk(report, regions) is risky


def test_high_risk_on_a_parsed_report() -> None:
    report = parse("租客从四川回来，14天内途经湖北孝感")
    assert high_risk(report, ["湖北"])
    assert not high_risk(report, ["武汉"])


def test_place_table_covers_all_provincial_divisions() -> None:
    provinces = (
        "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北"
        " 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
    ).split()
    assert len(provinces) == 34
    for name in provinces:
        place = lookup(name)
        assert place is not None and place.kind == "province", name
    capitals = {"武汉": "湖北", "长沙": "湖南", "拉萨": "西藏", "乌鲁木齐": "新疆", "台北": "台湾"}
    for city, province in capitals.items():
        assert contains(province, city)


# --- JSON and the command line -------------------------------------------


def test_to_json_shape() -> None:
    data = to_json(parse("租客明天下午3点从湖南回来，电话138 1234 5678，住溪西村12号"))
    assert list(data) == ["count", "origin", "via", "arrival", "address", "phone", "questions"]
    assert data["arrival"] == "2020-02-21T15:00:00+08:00"
    assert data["phone"] == "13812345678"
    assert data["questions"] == ["count"]
    assert to_json(parse("明天回来"))["arrival"] == "2020-02-21"
    assert to_json(parse("回来了"))["arrival"] is None


def test_cli_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code = parse_report_cli("租客老李带5位家人从湖南回来, 途经武汉", "2020-02-20T10:00+08:00")
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["count"] == 6 and data["origin"] == "湖南" and data["via"] == ["武汉"]
    assert "湖南" in out  # not \\u escapes


def test_cli_now_defaults_and_naive_now_is_shanghai(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_report_cli("明天回来", None) == 0
    assert json.loads(capsys.readouterr().out)["arrival"] is not None
    assert parse_report_cli("明天回来", "2020-02-20T23:30") == 0
    assert json.loads(capsys.readouterr().out)["arrival"] == "2020-02-21"


def test_cli_bad_now_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_report_cli("明天回来", "yesterday") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "--now" in captured.err


# --- corrections, per-household counts, voiced digits (session of 29-30 Nov) ---


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("租客明天到，不对，是后天到，两个人", "arrival", date(2020, 2, 22)),
        ("租客3个人，说错了，是4个人", "count", 4),
        ("电话13867891234 不对是13867891243 明天回来", "phone", "13867891243"),
        ("租客今天不回来了，改到下周三", "arrival", date(2020, 2, 26)),
    ],
)
def test_a_correction_keeps_the_value_said_after_it(text: str, field: str, value: object) -> None:
    report = parse(text)
    assert getattr(report, field) == value
    assert field not in report.questions


def test_a_correction_changes_only_what_its_own_clause_says() -> None:
    """ "改为本周六" corrects the day; the name of a contact later on is no count."""
    report = parse("员工共计15名，原定于下周一返厂，现改为本周六统一返回，联系人张经理")
    assert (report.count, report.arrival) == (15, date(2020, 2, 22))


def test_a_correction_not_read_leaves_the_field_asked() -> None:
    """5幢 must not stand as if uncorrected: the corrected 6幢301 is read (round 8 reads a
    building with its room without 住), or the address is asked."""
    report = parse("住5幢，不对，是6幢301")
    assert report.address == "6幢301" or (report.address is None and "address" in report.questions)
    report = parse("住5幢，不对，是6号楼")
    assert report.address is None and "address" in report.questions
    unchanged = parse("租客老周是四川人，本来说初十回来，后来又说等通知")
    assert unchanged.origin == "四川"  # the correction names no new value at all


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("五户人家，每户三个人，明天回来", 15),
        ("每车20人，明天回来", None),  # how many cars?
        ("两车工人，一车30人，明天到", None),
        ("五户人家，每户三个人左右", None),
        ("租客两个人吧", None),
        ("租客仨明天到", 3),
        ("俩口子昨晚到的", 2),
        ("俩孩子和他们妈妈明天回来", None),
        ("租客老宋和老伴明天回来", 2),
        ("老周带着他刚上小学的儿子今天回来了", 2),
        ("小两口带着三岁的女儿后天回来", 3),
    ],
)
def test_per_household_hedged_and_described_counts(text: str, count: int | None) -> None:
    report = parse(text)
    assert report.count == count
    assert (count is None) == ("count" in report.questions)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("租客电话一三八五七九零一二三四，明天回来", "13857901234"),
        ("联系电话(0579)85123456，租客明天到", "0579-85123456"),
        ("联系电话（0579）85667788", "0579-85667788"),
    ],
)
def test_voiced_and_bracketed_numbers(text: str, phone: str) -> None:
    assert parse(text).phone == phone


@pytest.mark.parametrize(
    ("text", "arrival"),
    [
        ("夫妻俩今天下午五点四十到", datetime(2020, 2, 20, 17, 40, tzinfo=CST)),
        ("早上七点零五到的，1人", datetime(2020, 2, 20, 7, 5, tzinfo=CST)),
        ("昨天接到通知，租客今天回来，1人", date(2020, 2, 20)),
        ("新员工一批，明天到，具体人数待定", date(2020, 2, 21)),
    ],
)
def test_minutes_in_words_and_the_day_a_report_came(text: str, arrival: object) -> None:
    assert parse(text).arrival == arrival


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("员工住宿舍B栋305，今天回来", "宿舍B栋305"),
        ("租客住东苑小区C区8幢1单元202", "东苑小区C区8幢1单元202"),
        ("住厂区3号宿舍楼的工人两名", "厂区3号宿舍楼"),
        ("5街22号的店主今天回来了", "5街22号"),
        ("驻村干部报告：上王村今天回来三个人", "上王村"),
        ("中建三局工地今天回来了7个工人，都住工地", "中建三局工地"),
        ("国际商贸城一区铺长：今天有9个商户返回", None),  # the reporter's own section
        ("住在工地旁边的出租房，4个人", None),
        ("租客住的是工地宿舍还是厂里宿舍还没定", None),
    ],
)
def test_address_shapes_and_what_is_not_an_address(text: str, address: str | None) -> None:
    report = parse(text)
    assert report.address == address
    if address is None:
        assert "address" in report.questions


@pytest.mark.parametrize(
    ("text", "via"),
    [
        ("从北京飞到杭州，然后坐大巴回义乌", ["杭州"]),
        ("租客从广州坐高铁，在长沙南站停了一下", ["长沙"]),
        ("从成都飞到杭州萧山再坐大巴回来", ["杭州萧山"]),
        ("回到义乌，然后在家隔离", []),
    ],
)
def test_a_leg_that_goes_on_is_a_stop_on_the_way(text: str, via: list[str]) -> None:
    assert parse(text).via == via
