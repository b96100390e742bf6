"""What round 17 of the returnee parser reads or asks (issue 10, heldout16's misses).

Asked (`cascade/returnee/unfixed.py`): two days run together, a day of the month said
roughly, a count waiting on someone or with one of them not able to come, a place said
twice in the origin, people living apart, the reporter's own compound unnamed, and
where they live said not to be known. Read: a named project's dwelling, a site's board
houses, and a village's lodging of no name.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from cascade.returnee.people import read_people
from cascade.returnee.roster import numbered_lines_total
from tests.support.returnee_parse import assert_asked, parse


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (
            "租客几户都是老乡，一块包车回来，四川广安，十几个人，明后天到，住后宅街道里村5号",
            "arrival",
        ),
        (
            "网格员报：走访发现返义人员1名，从江苏回来，回来的日子说是初十几，住下王村12号",
            "arrival",
        ),
        ("房东报备 租户 河南周口 1人 二月廿六 后宅街道塘李村3号 13903940011", "arrival"),
        ("报备 租客 明天回来 四川广安 人数等他确定 住江东街道下王村9号", "count"),
        ("两个租户，江西那个暂时回不来，湖南那个今天到，湖南衡阳，住佛堂镇新市街8号", "count"),
        ("租户2人明天回来，从那个河南的叫什么信阳对信阳回来，住苏溪镇西山下村6号", "origin"),
        ("我们五个人下周一起回来，重庆的，住哪的都有，我住后宅街道柳青一区2号", "address"),
        ("保安说今天早上有人回来，湖北以外的安徽合肥，住本小区8幢", "address"),
        ("铺长：商贸城三区箱包市场有个商户今天从台州过来，住商城附近，说不清楚哪里", "address"),
    ],
)
def test_what_the_message_leaves_open_is_asked(text: str, field: str) -> None:
    assert_asked(text, field)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # a total corrected after one dropped out stands
        (
            "之前报的3个人现在改成2个，有一个不来了，湖南邵阳，后天到，住江东街道楼西塘村3号",
            "count",
            2,
        ),
        # not knowing the day or the place they came from is not about the address
        (
            "租客过几天回来，也不知道哪天，江苏徐州的，两个人，住城西街道何麻车村8号",
            "address",
            "城西街道何麻车村8号",
        ),
        (
            "隔壁租户回来了两个，不知道哪里来的，住后宅街道毛店村12号",
            "address",
            "后宅街道毛店村12号",
        ),
        ("租客明天到，一个人，住江东街道宗泽村17号，湖南邵阳", "arrival", date(2020, 2, 21)),
        ("报备 租客1人 河南周口 二月廿六号 后宅街道塘李村3号", "arrival", date(2020, 2, 26)),
    ],
)
def test_what_the_message_fixes_stands(text: str, field: str, value: object) -> None:
    assert getattr(parse(text), field) == value


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "工地报：城建集团稠州路项目部，今天到工人6名，河南的，住项目部宿舍",
            "城建集团稠州路项目部宿舍",
        ),
        (
            "工地报备：江滨路改造工程项目部，到了工人3个，安徽的，住工地宿舍",
            "江滨路改造工程项目部宿舍",
        ),
        ("工地：中铁十局义乌项目，昨天到工人五名，四川的，住工地板房", "中铁十局义乌项目工地板房"),
    ],
)
def test_a_named_projects_dwelling_is_the_address(text: str, address: str) -> None:
    assert parse(text).address == address


def test_a_sites_board_houses_are_read_with_it() -> None:
    """Round 14 asked this address because it was read only up to 工地; it is read whole."""
    assert parse("工人八个今天从安徽来，住后宅街道遗安村工地活动板房").address == (
        "后宅街道遗安村工地活动板房"
    )


def test_a_project_of_no_name_does_not_name_the_dwelling() -> None:
    report = parse("工地报：福田街道某项目，今天到工人5个，四川南充，住工地宿舍")
    assert report.address != "福田街道某项目部宿舍" and "address" in report.questions


def test_a_village_lodging_of_no_name_is_the_village_and_asked() -> None:
    report = parse("民宿报：今天入住两人，从上海来，住佛堂镇田心村的民宿，电话13858990011")
    assert report.address == "佛堂镇田心村" and "address" in report.questions


def test_a_transfer_said_as_its_own_clause_is_a_stop() -> None:
    text = "租户今天到了，从云南曲靖，在昆明上的火车，贵阳转车，1人，住后宅街道柳青二区3幢"
    assert parse(text).via == ["昆明", "贵阳"]


def test_a_stay_said_as_its_own_clause_is_not_read_as_a_transfer() -> None:
    text = "女儿从日本东京回来，在上海浦东入境，上海隔离14天结束，今天下午从上海坐高铁回义乌"
    assert parse(text).via == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "楼长：本楼6楼新回来一户，从江西来的，两个人，今天到，楼是北苑街道凌云三区12幢",
            "北苑街道凌云三区12幢6楼",
        ),
        # flats said: the floor is not the only thing said about the building
        (
            "楼长：我们楼6楼两户都回来了，601三人，602两人，江西的，昨天到，稠江街道和平小区2幢",
            "稠江街道和平小区2幢",
        ),
    ],
)
def test_a_floor_of_the_reporters_building_joins_it(text: str, address: str) -> None:
    assert parse(text).address == address


@pytest.mark.parametrize(
    "text",
    [
        "报 租户 三人 贵州凯里 今早七点 义乌站 北苑街道春华一区2幢 13885522810",
        "报备 租客1人 贵州凯里 今日下午四点半 义乌汽车站 住后宅街道后宅村4区11号",
        "房东报备：租户1人，贵州凯里，2月22日上午10点，义乌高铁站，住稠江街道龙回三区5号",
    ],
)
def test_the_station_here_is_not_a_second_origin(text: str) -> None:
    assert parse(text).origin == "贵州凯里"


def test_a_transfer_typed_apart_is_a_stop() -> None:
    report = parse("报备 2人 吉林长春 北京转车 今天15:30到义乌站 住稠江街道端头村8号 13065791820")
    assert (report.origin, report.via) == ("吉林长春", ["北京"])


def test_a_transfer_at_a_station_typed_apart_is_not_read_as_its_city() -> None:
    report = parse("员工小蒋 江苏泰州 明天早上7点到 坐的动车 上海虹桥转车")
    assert report.via != ["上海"]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        (
            "酒店报：入住客人一名，从内蒙古包头来，今天中午到，住义乌海洋酒店，前台85220011",
            "85220011",
        ),
        ("门卫：两个人从江西景德镇过来，住我们厂宿舍，厂办85760011", "85760011"),
        ("村委报：租户从外省回来，人数正在核实，村委85730011", "85730011"),
        ("租户两个人明天回来住在江东街道大塘下村21号电话啊一三五八六七九零零一一", "13586790011"),
        (
            "报备 租户二人 甘肃庆阳 明天 稠江街道杨村五区12号 电话：一八九 三四 九零 零零 一一",
            "18934900011",
        ),
    ],
)
def test_a_desks_landline_and_a_phone_read_out_in_groups_are_read(text: str, phone: str) -> None:
    assert parse(text).phone == phone


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("报备，租客2人，湖北以外，湖南益阳，2月16号到的，住后宅街道后宅小区5幢", "湖南益阳"),
        ("我们家女儿从武汉以外的湖北荆州回来了，前天到的，一个人", "湖北荆州"),
        ("房东：租客一个人，从湖北之外的安徽回来，明天到，住廿三里街道里西村", "安徽"),
    ],
)
def test_a_place_said_as_outside_is_not_the_origin(text: str, origin: str) -> None:
    assert parse(text).origin == origin


def test_an_alternative_said_wrong_is_not_read() -> None:
    later = parse("我家租客是前天到的，不是昨天，从广东东莞开车回来，两个人，住义亭镇缸窑村23号")
    assert later.arrival == date(2020, 2, 18)
    first = parse("他说他明天回来 湖北的不是 是湖南娄底的 一个人 住廿三里街道华溪村")
    assert first.origin == "湖南娄底"


def test_an_alternative_also_said_before_is_left_to_the_denial() -> None:
    report = parse("旅客两名，从广东深圳来，经停武汉？我问了，他们说不是经停武汉，是经停长沙")
    assert report.via == []  # asked, not 武汉


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "报备 安徽芜湖 1人 2月22日下午 稠城街道通惠门小区9幢1单元502 13655530011",
            "稠城街道通惠门小区9幢1单元502",
        ),
        (
            "报：1户3人 浙江衢州龙游 2月19日 后宅街道后宅小区3幢 13567040011",
            "后宅街道后宅小区3幢",
        ),
    ],
)
def test_a_phone_typed_after_the_address_does_not_make_it_go_on(text: str, address: str) -> None:
    assert parse(text).address == address


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "人事：返岗员工1人，湖南娄底，今天到厂，住公司宿舍北苑街道龙海路19号，手机13973820011",
            "北苑街道龙海路19号",
        ),
        (
            "快递网点报：员工2人，河南周口，今天到，住网点楼上稠城街道城中中路8号",
            "稠城街道城中中路8号",
        ),
        (
            "饭店报备 员工三个 重庆万州回来 下周一到 住店后面宿舍 稠城街道工人西路5号",
            "稠城街道工人西路5号",
        ),
        (
            "快递：网点员工6人明天返岗，河南商丘的，住网点宿舍（义亭镇义南工业区）",
            "义亭镇义南工业区",
        ),
        ("厂里报：今天回来员工12个，云南的，住厂宿舍，苏溪镇大西阳工业区", "苏溪镇大西阳工业区"),
        # the workplace said with 厂在 stays the workplace's place
        ("门卫：工人4个从江西宁都回来，住厂宿舍，厂在佛堂镇工业区", "佛堂镇工业区"),
    ],
)
def test_a_dwelling_named_by_whose_it_is_gives_way_to_the_place_said_with_it(
    text: str, address: str
) -> None:
    assert parse(text).address == address


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("房东报备：两个租客，一个今天到一个明天到，都是江西抚州的，住江东街道塔山村10号", 2),
        ("酒店报：今天入住两位，一位从温州来，一位从台州来，住锦都酒店", 2),
        ("租客三个人今天回来，一个从江西，一个从湖南，一个从安徽，住北苑街道凌云五区3幢", 3),
    ],
)
def test_a_total_told_one_person_at_a_time_is_the_total(text: str, count: int) -> None:
    assert parse(text).count == count


def test_a_total_and_one_more_is_not_read_as_the_total() -> None:
    assert read_people("租客两个人今天到，另外一个明天到，江西抚州的").count is None


def test_a_change_of_train_is_a_stop() -> None:
    assert parse("租客礼拜天回来，从甘肃天水坐火车，在郑州换车，一家三口").via == ["郑州"]


def test_we_are_from_a_place_other_than_here_is_home() -> None:
    report = parse("房东你好 我们是四川广安的 一共3个人 后天坐火车到义乌 还住原来那间")
    assert report.origin == "四川广安"
    assert parse("我们是义乌的，租客从四川广安回来，3个人").origin == "四川广安"


def test_a_place_that_begins_a_village_name_is_no_origin() -> None:
    text = "村里报：上溪镇黄山五村有户人家三个人，浙江温州苍南回来，昨天到的，住黄山五村6号"
    assert parse(text).origin == "浙江温州苍南"


def test_households_told_one_by_one_with_two_places_ask_the_origin() -> None:
    text = "我是黄山村的房东，回来两户，一户是贵州毕节的小两口，另一户是一个人从广西玉林回来"
    assert_asked(text, "origin")


def test_a_note_of_where_the_building_lies_is_not_more_address() -> None:
    text = "房东报备，租客明天回来，湖南的，两个人，住北苑街道丹晨三区4幢（西城路上）"
    assert parse(text).address == "北苑街道丹晨三区4幢"


def test_an_old_person_joined_by_jia_counts() -> None:
    assert read_people("夫妻俩加1个老人，从山东日照").count == 3
    assert read_people("他们两个人带一个老人").count is None  # with or without?


def test_a_named_person_and_a_companion_agree_with_the_total_said_after() -> None:
    assert read_people("小何今天跟他舅舅从江西上饶回来，两个人").count == 2
    assert read_people("三个人带两个孩子").count is None  # with or without them?


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (
            "接龙登记\n1. 江东街道 楼西塘村 26号 2人 河南商丘 2月19日\n2. 江东街道 楼西塘村 40号 1人 河南商丘 2月19日",
            3,
        ),
        ("登记\n1、东河村3号 租客2人 江西上饶\n2、东河村5号 租客3人 江西上饶", 5),
    ],
)
def test_a_numbered_list_of_households_adds_up(text: str, count: int) -> None:
    assert read_people(text).count == count
    assert parse(text).count == count


@pytest.mark.parametrize(
    "text",
    [
        "登记 共4人\n1、东河村3号 租客2人 江西上饶\n2、东河村5号 租客3人 江西上饶",  # 4 or 5?
        "登记\n1、东河村3号 租客2人 江西上饶\n2、东河村5号 租客 江西上饶",  # how many there?
    ],
)
def test_a_numbered_list_that_does_not_add_up_is_not_summed(text: str) -> None:
    assert numbered_lines_total(text) is None


def test_a_town_said_alone_in_a_terse_report_is_the_address_and_asked() -> None:
    report = parse("报备 河北沧州 1人 明天 稠江街道 电话13315760011")
    assert report.address == "稠江街道" and "address" in report.questions


@pytest.mark.parametrize(
    "text",
    [
        "十一个员工 后天 河南新乡",  # a city that ends in 乡
        "卡口：载 6 人 ，始发 江西 上饶 ，目的地 佛堂镇 田心 四村",  # more may follow
    ],
)
def test_a_town_token_is_not_read_where_it_is_no_address(text: str) -> None:
    assert parse(text).address not in ("河南新乡", "新乡", "佛堂镇")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("两户租客 一户湖南衡阳2人 一户湖南衡阳3人 都是后天到", 5),
        ("两家亲戚从诸暨过来，一家3个一家2个，周六到", 5),
    ],
)
def test_households_each_with_their_number_add_up(text: str, count: int) -> None:
    assert read_people(text).count == count


def test_a_household_word_before_a_month_is_no_count() -> None:
    assert read_people("他家三个月没回").count != 3


@pytest.mark.parametrize(
    ("text", "arrival"),
    [
        ("诊所报：今天上午来看病的一个病人说是前天从江苏南京回来的，一个人", date(2020, 2, 18)),
        ("医院边上的诊所：今天接诊一人，称上周日从河南洛阳返回义乌", date(2020, 2, 16)),
    ],
)
def test_the_day_of_a_clinic_visit_is_not_the_arrival(text: str, arrival: date) -> None:
    assert parse(text).arrival == arrival


@pytest.mark.parametrize(
    "text",
    [
        "我是民宿老板，今天有一对夫妻入住，他们从四川成都过来",
        "我那个房子里面住的那个小两口他们今天晚上七点多到义乌",
    ],
)
def test_they_said_after_a_pair_is_the_pair(text: str) -> None:
    assert read_people(text).count == 2


def test_a_pair_among_others_is_not_read_as_two() -> None:
    assert read_people("他们一家，夫妻俩和几个老乡今天到").count != 2


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("HR：公司员工4人2月22日返岗，其中3人来自广西柳州，1人来自广西南宁", 4),
        ("餐馆报备：员工5人（湖南2人，江西3人），明天一起坐老板的车回来", 5),
    ],
)
def test_a_total_and_its_parts_that_add_up_is_the_total(text: str, count: int) -> None:
    assert read_people(text).count == count


def test_a_total_and_parts_that_do_not_add_up_stay_asked() -> None:
    assert read_people("员工4人，其中3人来自广西柳州，2人来自广西南宁").count is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("厂办：华鸿针织厂员工5名从江西上饶返厂，2/21到厂，住厂里宿舍", "华鸿针织厂宿舍"),
        ("门卫：车里两个人说是从江西景德镇过来的，住我们厂宿舍，厂名永康五金厂", "永康五金厂宿舍"),
        # not a factory's name: "已全部到厂"
        ("厂人事：我厂员工返岗共22人，湖南的，已全部到厂，住厂区宿舍", "厂区宿舍"),
    ],
)
def test_a_factorys_dormitory_takes_the_factorys_name(text: str, address: str) -> None:
    assert parse(text).address == address


def test_a_landmark_beside_where_they_live_is_not_the_address() -> None:
    text = "铺长报：有个店主明天从广州坐高铁回来，1个人，住篁园路边上的丹溪小区，电话13625790011"
    assert parse(text).address == "丹溪小区"


def test_a_landmark_whose_place_is_not_read_leaves_the_address_asked() -> None:
    text = "铺长报：国际商贸城一区15街商户夫妻俩，浙江台州人，今天回义乌，住商城一区边上的福田三区"
    assert_asked(text, "address")


def test_picking_people_up_on_the_way_is_a_stop() -> None:
    text = "厂里报：明天上午返岗员工7人，四川达州，坐大巴过来，中途在重庆接人，住厂宿舍"
    assert parse(text).via == ["重庆"]
