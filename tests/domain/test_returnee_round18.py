"""What round 18 of the returnee parser asks (issue 10, heldout17's misses).

Asked (`cascade/returnee/untold.py`): a day said as a bound, a span of clock times,
one of the people not back yet, a clock time said while only the day was read or
corrected after, more people said besides those here, people who never left, a
place the reporter does not know or a place read after characters that are none,
households told pair by pair, a flight's landing or end city left out of the stops,
and where they live not settled or a nameless place after 住. Each shape's near
neighbour that the message does pin down is still read.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.support.returnee_parse import TZ, assert_asked, parse


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("房东报 老乡七个都是安徽的 最早的后天到 住塘李村6号", "arrival"),
        ("报备：明天晚上 大概 8点到9点 之间 到 三个人 从 南昌 回来 住下王村2号", "arrival"),
        ("房东：租客4个，3个是昨天到，1个还没回，都是四川的，住柳青一区5号", "arrival"),
        (
            "租客2人，原定2月18日到，火车晚点，改为今天上午到，实际到达时间10:25，河南商丘",
            "arrival",
        ),
        ("水果店报一个 安徽六安 明天上午九点到 不对 是九点半 住杨村8号", "arrival"),
        ("袜厂人事报 昨天 到了 4 个 贵州 的 明天 还有 3 个 到 住 厂 宿舍", "count"),
        ("摊主 两个 都 是 本地 的 没 出去 过 小工 一个 江西 抚州 今天 到 住 杨村 3号", "count"),
        ("我的店员明天到 从那个 湖南 什么地方 我不记得了 住我家 稠城街道 丹溪 小区 2幢", "origin"),
        ("房东报被 租户一人从合肥回来 说是巢湖还是六安我没听清 今天到 住后宅村9号", "origin"),
        ("房东报 组客两人从湖贝襄阳回来 明天到 住在塘李村 十二号", "origin"),
        (
            "租客两对夫妻，一对是河南开封的，一对是河南开封的，不对，另外一对是山东的，"
            "明天回来，住下王村5号",
            "origin",
        ),
        ("租客一家三口 从海口坐飞机 在南宁经停 落地宁波 再坐大巴回来 明天到", "via"),
        ("租客坐的 从成都到南京的飞机 中间在武汉经停 然后从南京坐车回来 明天到", "via"),
        ("五金城 二区 12号 商户 店员今天到 一个人 江西上饶 住哪里还没定", "address"),
        ("干货市场 B区 8号 摊主 报 员工 2 位 安徽 阜阳 今天 到 住 摊位 后面 的 仓库", "address"),
    ],
)
def test_open_values_are_asked(text: str, field: str) -> None:
    assert_asked(text, field)


def test_near_neighbours_are_still_read() -> None:
    # a clock time that bounds, spans or dates the report is not the arrival's hour
    assert parse("租客今日上午10点前到了，湖南株洲，一人").arrival == date(2020, 2, 20)
    assert parse("上报时间今天上午九点半，租客今天从江苏泰州回来").arrival == date(2020, 2, 20)
    # a clock time read with its day stands
    assert parse("租客1人 今天 下午三点半到 湖北襄阳").arrival == datetime(
        2020, 2, 20, 15, 30, tzinfo=TZ
    )
    # a stop whose city the landing repeats stands; 义乌's airport is the destination
    assert parse("租客从兰州坐飞机回来，中途在西安经停，今天晚上九点到义乌机场").via == ["西安"]
    # 从隔壁东阳: 隔壁 is no place
    assert (
        parse("村口卡点：下午来了一个骑电瓶车的，说是从隔壁东阳回来的，人就一个").origin == "东阳"
    )


def test_the_origin_city_is_no_stop() -> None:
    # a flight's leg from the city they came from, or a stay there before leaving
    report = parse("租户 2人 甘肃 天水 坐飞机 从 天水 到 杭州 再 坐 高铁 到 义乌 明天到")
    assert report.via == ["杭州"]
    assert parse("店员 1人 江西 九江 已 在 九江 隔离 14天 今天 中午 到").via == []
    # a city of the origin's province that is not the origin stays a stop
    assert parse("租客从湖北荆门回来，在武汉转车的，今天早上到").via == ["武汉"]


def test_addresses_read_whole() -> None:
    # right after 住, 向/和/经 start the village's name, typed apart or not
    assert parse("房东 租客 两个 今天 回来 了 住 向阳村 9号").address == "向阳村9号"
    assert parse("租客今天回来了住向阳村9号").address == "向阳村9号"
    # 廿 in a house number is twenty
    assert parse("渠屋里两个人今朝转来 江西上饶 住后店村廿三号").address == "后店村23号"
    # a phone's label typed after the building is not part of it (座 of 座机)
    report = parse("租客 1 人 住 福田街道 兴中 小区 5幢 电话 座机 0579-85331702")
    assert report.address == "福田街道兴中小区5幢"


def test_voice_fillers_landmarks_and_parties() -> None:
    # a filler inside a place said is no part of it
    assert parse("嗯 租户 两个 从 湖南 那个 湘西 嗯 吉首 回来的 今天 到").origin == "湖南湘西吉首"
    # a landmark typed apart, without 的, is not the address: asked rather than run in
    assert_asked("帮工 一个 四川 遂宁 昨天 到 住 农贸城 后面 幸福 村 9号", "address")
    assert parse("住商城后面的幸福村3号 租客1人").address == "幸福村3号"
    # another party told after the first: the count is asked
    assert_asked(
        "我村今日返回：王家两口子从江苏苏州回来，今天到，住下王村4号；另外，李家儿子从北京回来，昨天到",
        "count",
    )


def test_the_day_of_telling_and_an_address_going_on() -> None:
    assert_asked(
        "志愿者：今天上午 有 个 小伙子 说 他 是 从 外地 打工 回来 的 说 是 宁波 住 下王村 5号",
        "arrival",
    )
    # at a checkpoint, the one who turns up today and says where from arrives today
    report = parse("村口卡点：今天上午有个骑电瓶车的说从金华回来，一个人，住方塘村12号")
    assert report.arrival == date(2020, 2, 20)
    assert_asked("司机 2人 从 广东广州 回来 今天 到 住 稠江街道 物流园 7号仓库 3楼", "address")


def test_counts_by_classifier_and_trade() -> None:
    # 位 counts people whatever follows it
    assert parse("房东：租客 3 位 吉林四平 明天 到 住 稠城街道 城中北路 12号").count == 3
    # 帮工 are people
    assert parse("摊位老板娘报 我们家两个帮工明天回来 贵州遵义的").count == 2


def test_where_they_got_off_or_rested_is_a_stop() -> None:
    assert parse("租客一家 重庆万州的 坐的火车 在上饶下的车又打车过来 今天到").via == ["上饶"]
    assert parse("租户1人 2月18日从河南郑州返回，乘坐火车，在杭州站下车后乘大巴").via == ["杭州"]
    assert parse("店员1人，广东东莞回来，中途在鹰潭下来换车，昨天到").via == ["鹰潭"]


def test_people_in_the_car() -> None:
    # 车上3人 is three people in the car, not 上3 (upwards of three)
    assert parse("卡口登记 今天上午 一辆车 浙G牌照 车上3人 从江苏徐州回").count == 3
    assert_asked("村里 上百人 从外地回来", "count")
