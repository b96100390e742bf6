"""Where returnees come from, which way they came, and where they will live.

Origin and route decide red or yellow, so a place counts only with the words
that give it its role: 从/来自/X回来 (where the trip started), 老家/X籍/X的租客
(home, used when no trip origin is said), 途经/经过/经停/中转/在X转车 (route;
"没有经过武汉" is not a route; in "飞杭州再坐车" 杭州 is a stop). A place after
到/回/返回 is the destination, one with 这边/我们这里 is the reporter's own town;
both are ignored. A place alone
("明天 湖南 2人") is the origin only when no place has a clearer role. Two
different trip origins (来自江西、湖南、贵州) leave the origin
unknown rather than picking one.

The address is a named village, compound, road or market followed by house
numbers ("塔山小区3幢2单元501"); a bare village after 住/回到 is kept but marked
incomplete so the bot asks for the house number. A landlord writing in his own
compound's group leaves the compound out: a building ("7号楼2单元501", "2幢3单元"),
a floor after 住 ("住5楼"), a dormitory or a site ("住厂区宿舍", "都住工地"), or a
street or 街道 after 住在 are kept too (incomplete unless a room is named). A
market place is its own address ("5街22号", "三区18街"); a section named with the
reporter's title ("国际商贸城四区铺长：") is whose report it is, not an address. A
village said first, before the people who came back to it ("上王村今天回来三个人"),
is kept as a bare village.
Addresses are found first and blanked, so "溪西村12号" is never read as the 12th
of the month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from cascade.returnee.places import (
    Place,
    PlaceHit,
    contains,
    county_at,
    find_places,
    named_with_zhou,
)
from cascade.returnee.text import blank, clause_after, to_int

_HAN = "\u4e00-\u9fff"
_HEAD = r"[一二三四五六七八九十\d]+区|[一二三四五六七八九十\d]+街(?=\s*\d)|商贸城|小区|社区|新村|花园|公寓|大厦|广场|市场|商城|家园|大道|苑|园|村|路|街|巷|弄"
_N = (
    r"(?:[\d一二三四五六七八九十零〇壹贰叁肆伍陆柒捌玖]+|(?<![A-Za-z])[A-Za-z](?![A-Za-z])"
    r"|(?<![A-Za-z])[A-Za-z]\d+"
    r"|[一二三四五六七八九]百(?:[一二三四五六七八九]十[一二三四五六七八九]?|零[一二三四五六七八九])?)"
)  # "C区", "B栋", round 8: "E15号"; round 20: "五百五十号", "七百二十三号"
# Round 16: 号 before 码 is a phone word ("302 号码1825…"), 户 before a number of
# people is a household ("倍磊村二区 一户5人").
_UNIT = (
    r"号楼|号院|单元|商位|号(?!码)|幢|栋|室|楼|层|组|弄|排|区|街|座"
    r"|户(?!\s*[\d一二两三四五六七八九十]*\s*[人口个名位])|门"
)
# Round 16: a market street named by its side or gate ("一区东17街", "四区东门12街", "二区东扩15街").
_SIDE_STREET = r"(?:[东西南北新]|[东西南北]门|东扩)\s*\d+\s*街"
# A room said digit by digit after its building, as voice input writes it: "八幢五零二".
_SAID_ROOM = r"(?<=[幢栋元])[零〇一二三四五六七八九]{3,4}(?![零〇一二三四五六七八九十百号室])"
_ADDRESS = re.compile(
    # round 17: a room's digits are not a number of people after a space ("26号 2人")
    rf"({_HEAD})\s*((?:(?:{_N}\s*(?:{_UNIT})|{_SIDE_STREET})\s*)+"
    rf"(?:\d+(?:-\d+)*(?!\d)(?!\s*(?:人|个|名|位|口))|{_SAID_ROOM})?"
    rf"|\d+(?:-\d+)+(?:{_UNIT})?"
    rf"|(?<=村)[{_HAN}]{{1,3}}?{_N}\s*号)"  # "三溪村下塘16号": a hamlet inside the village
    r"(?:商位|店面|店铺|门面)?"  # "5街32号商位": the stall is part of the address
    r"(?:(?<=号)(?:厂房|仓库|车间))?"  # round 28: and a works' numbered shed ("18号3号厂房")
    r"(?:(?<=商位)\s*\d{4,6}(?!\d))?"  # round 16: and its number ("一区5街商位10523")
)
_FROM_ADDRESS = re.compile(r"(?:从|来自|老家在?|户籍地?|户口在?)\s*:?\s*$")
_BARE_HEAD = re.compile(r"小区|社区|新村|花园|公寓|家园|苑|村")
# Named only after a word that says someone lives there: "住在稠州北路", "住在后宅街道".
_ANCHORED_HEAD = re.compile(r"街道|路|街|镇|乡")
# Heads that are names of their own: "住商贸城三区5街".
_SELF_NAMED = ("商贸城", "商城", "市场")
_LIVE = r"(?:住宿于|住宿在|现住在|现住于|现住|住在|住进|住到|住于|住)"
# A building without a compound, as a unit's own landlord writes it: "7号楼2单元501".
_BUILDING = re.compile(
    rf"(?<![\d零〇一二三四五六七八九十])({_N}\s*(?:号楼|幢|栋)\s*(?:{_N}\s*单元)?\s*(?:\d{{2,4}}\s*(?:室|号)?)?)"
)
_BUILDING_ANCHOR = re.compile(
    rf"(?:{_LIVE}|地址|住址|去了|去|到了|到|进了|送到|在)\s*[:：]?\s*$"  # round 8: "去13幢402"
)
# A building said before what happened there: "8幢702有人回来", "12幢有户人家", "到7幢".
_BUILDING_AFTER = re.compile(
    r"\s*(?:有人|有户|有一户|一户|有个|回来|来了|进了|住户|租户|业主|那边|的?住户"
    # round 9: "15幢的那个租客", "8幢的新租户", "14幢新来的一户", "4单元301今天到了一家"
    r"|的?(?:那个|那户|那家|这个|这户)?\s*新?(?:租客|租户|房客|小伙子|姑娘|业主|人家)"
    r"|新来的|新搬来|新到|(?:今天|昨天|前天|刚刚|刚)\s*(?:到了|回来|来了))"
)
# A unit and a room without a building, in the building's own group: "1单元602租户".
_UNIT_ROOM = re.compile(r"(?<![\d幢栋楼])(?<!号楼)(\d{1,2}\s*单元\s*\d{3,4})(?![\d室号])")
# A character that ends a verb or a particle, not a compound's name: "说33幢那边", "到7幢".
_NOT_A_NAME_END = set("说是了在到去进的往送住")
_ROOM = re.compile(r"(?:幢|栋|号楼)\s*\d{3,4}")
# A floor of the reporter's own house: "住5楼", "住我家三楼".
_FLOOR = re.compile(
    rf"{_LIVE}\s*(?:我家|我这|我们家|我那)?\s*(?:房子)?\s*的?\s*({_N}\s*楼)(?![\d号])"
)
# Round 8: other places people stay ("住板房", "住工棚", "住溪口村民宿", "住福田宾馆").
_LODGING = "板房|工棚|彩钢房|集装箱房|民宿|宾馆|酒店|旅馆"
# A dormitory or a building site: "住厂区宿舍", "住在城建集团工地", "都住工地".
_DORM = re.compile(
    rf"{_LIVE}\s*((?![的是])(?:[{_HAN}]|\d+号){{0,8}}?(?:宿舍楼|宿舍|工地|{_LODGING})(?:宿舍楼|宿舍|活动板房|板房|工棚)?"
    rf"(?:\s*{_N}\s*(?:号楼|幢|栋|楼|层|室|号))*(?:(?<=[幢栋])\d{{2,4}})?"
    # round 14: a hotel's branch and room, "如家酒店国际商贸城店8312房", "银都酒店508房"
    rf"(?:(?<=酒店|宾馆|旅馆)(?:[{_HAN}]{{2,8}}?店)?\d{{3,5}}(?![\d号])(?:房间|房|室)?)?)"
)
_BESIDE = re.compile(r"\s*(?:旁边|边上|附近|对面|隔壁|外面|后面|前面)")
# A dormitory or site said alone between separators in a terse report: "十二人 贵州 周六 工地".
_DORM_TOKEN = re.compile(rf"(?:^|(?<=[\s,，]))([{_HAN}]{{0,4}}(?:宿舍|工地))(?=$|[\s,，。])")
# Round 17: a lodging or site of no name in a village or town ("赤岸镇尚阳村的民宿",
# "福田街道的工地"): the place is said, the house is not.
_PLACE_OF_LODGING = re.compile(
    rf"([{_HAN}]{{2,12}}?(?:村|街道|镇|乡|社区))的(?:{_LODGING}|工地|宿舍)"
)
# The site named where the message starts ("中建三局工地今天回来了…"), lived in as bare 工地.
_NAMED_SITE = re.compile(rf"(?:^|(?<=[:：,，。\s]))([{_HAN}]{{2,8}}?工地)")
# An address the reporter signs with, not where anyone lives: "国际商贸城四区铺长：".
_REPORTER_AFTER = re.compile(
    r"\s*的?\s*(?:铺长|楼道长|楼长|网格长|网格员|片长|组长|指挥长|负责人|管理员)"
)
# An address signed by whoever works or lives there and reports, not by the returnees:
# "商贸城一区店主：本人…", "柳青新村12幢3单元的住户反映，他家邻居…".
_SIGNED_AFTER = re.compile(
    r"\s*的?\s*(?:店主|摊主|老板|商户|业主|住户|居民|村民|群众|物业|保安)\s*"
    r"(?:[:：]|报告|汇报|反映|举报|反应|说|称|打电话)"
)
# The reporter's own home ("我住在望江小区9幢") when the returnees are his neighbours.
_MINE_BEFORE = re.compile(r"(?:我|本人)\s*(?:是)?\s*(?:家)?\s*(?:住在|住|在)\s*$")
_NEIGHBOUR = re.compile(r"邻居|隔壁|对门|对面|楼上|楼下|旁边|后面那|前面那")
# A village or compound that people came back to, said first: "上王村今天回来三个人".
_RETURNED_TO = re.compile(
    r"\s*(?:今天|昨天|昨晚|今早|刚刚|刚|又|新)?\s*(?:回来|返回|来了|有\S{0,6}?回来"
    r"|有(?:个|一个|一户|户|两个|几个)?\s*(?:外来|外地|返乡|租客|租户))"  # round 8: "山口村有个外来人员"
)
# Words a reporter puts before an address; the address starts after the last one.
_LEAD_WORDS = (
    "回来", "过来", "回到", "住在", "地址", "住址", "报告", "房东", "租客", "租户", "一家", "家人",
    "现在", "目前", "住所为", "住所是", "住所", "居住地", "现居", "自己家里", "自己家", "家里",
    "举报", "反映",  # round 8: "有人举报西城路120号"
    "地址为", "住址为", "发现",  # round 11: "出租房地址为…", "走访发现新塘村22号住进…"
    "报一下", "报备", "上报", "汇报",  # round 16: "报一下三区21街的商户", "铺长报备一区14街"
    "住宿",  # round 16: "住宿廿三里街道华川路28号"
)  # fmt: skip
LEAD_WORDS = _LEAD_WORDS  # round 10: `evidence` counts them as taken by this reader
# "今早给东朱村12号的测体温"; round 14: 址 ends a label ("园址江东街道…", "厂址…")
_LEAD_CHARS = set("住在到于是的我从了和跟说去往搬租经带向他她给址")
# Words that point at the reporter's place or label a stall, said in front of the
# address itself: "住我这边丹溪路203号", "这里荷花街17号", "我家后周村6号", "商位三区8街42号".
# They are not part of it; with nothing after them ("住这边") there is no address.
_POINTER = re.compile(
    r"(?:(?:我们|我|咱们|咱)?(?:这边|这里|这儿|那边|那里)的?|我们家|我家|我们|家|们|"
    r"商位|铺位|摊位|店铺|门面)+"
)
# The reporter's verb the message or a line opens with, before the address it reports.
_REPORTS = re.compile(r"报(?=[\u4e00-\u9fff]{2,}(?:镇|乡|街道))")
_OPENING = set("\n:：,，。;； ")
_BARE_ANCHOR = ("住在", "住", "回到", "到", "地址", "住址", "在")
_LIVE_ANCHOR = ("住在", "住", "住到", "住于", "地址", "住址", "地址:", "住址:", "地址：", "住址：")
_ADMIN = re.compile(r"[镇乡]|街道")
_ADMIN_END = re.compile(r"(?:[镇乡]|街道)$")
_NAME_START = set("和经")  # joining words that also start names: 和平小区, 经发大道
_NAME_AFTER_LIVE = set(
    "向和经"
)  # round 18: right after 住 (or 地址) they start the name (住向阳村7号)
# Round 14: a live word in front of a town typed apart is not part of it: "住稠城街道 城中西路".
_LIVE_FRONT = re.compile(_LIVE)
_FORMAL_DIGITS = str.maketrans("壹贰叁肆伍陆柒捌玖", "123456789")
_TOWN_BEFORE = re.compile(rf"(?<![{_HAN}])[{_HAN}]{{1,4}}(?:镇|乡|街道)\s+$")
_NOT_AFTER_BARE = set("里民委口干书支部长内外人")
_PRONOUNS = set("我你他她们这那本该哪农外")

_VIA_MARK = re.compile(
    r"途经|途径|经过|路过|经由|经停|停靠|取道|绕道|绕行|中转|转道|改走|改道|"
    r"(?<![已曾神])经(?!过|由|理|营|常|济|历|验|费|手|停)"
)
_TRANSFER_AFTER = re.compile(
    r"\s*(?:再)?(?:中转|转车|转机|换乘|转乘|换车|转[大高火汽飞动]|转(?!来)|停|接人|接上人)"
    r"|\s*(?:换|转)(?:了|的)\s*(?:车|火车|高铁|飞机|机)"  # round 9: "在徐州换的车"
    # round 8: a night or a few days on the way ("在九江住了一晚", "在武汉待了一天")
    # round 16: a rest or a quarantine on the way ("在南京休息了一晚", "在杭州隔离了一个礼拜")
    r"|\s*(?:住|待|呆|歇|停留|过|隔|休息|隔离)(?:了|过)?\s*"
    r"(?:(?:[一两几二三\d]{1,2})?\s*(?:个)?\s*(?:晚上?|夜|天|宿|礼拜|星期)|一周)"
)
# Round 18: where they got off to go on, after 在 ("在金华下的车又打车", "在杭州站下车后",
# "中途在衢州下来换车"); after 从 ("从金华站下车") it may be where they came from (round 13).
_GOT_OFF = re.compile(r"\s*(?:[东南西北]?站)?\s*下(?:了|的)?\s*车|\s*下来\s*(?:换|转)")
_GOT_OFF_BEFORE = re.compile(r"(?:在|中途在?|途中在?)\s*$")
_MARK_GAP = re.compile(r"\s*:?\s*(?:了|过|的是|的)?\s*")
_NEGATION = re.compile(r"(?:没有|没|未|不|无|别|并未|并没有)\s*(?:再|曾)?\s*$")
# A place someone did not go to or come from: "都没有去过湖北", "不是从湖北回来的".
_NOT_BEEN_BEFORE = re.compile(
    r"(?:没有|没|未曾|未|不曾|从未|从没|从来没有|从来没|并未|并没有|不是)\s*(?:曾经?|再)?\s*"
    r"(?:去|到|回|在|待|呆|路过|来自|从)\s*(?:过|了)?\s*$"
)
_NONE_AFTER = re.compile(r"\s*:?\s*(?:无|没有|没|否|直达|直接)")
_LIST_SEP = re.compile(r"\s*(?:、|和|及|与|/|以及|还有|再到|再经|,)\s*")
_TRAVEL_BEFORE = re.compile(
    r"(?:从|自|由|来自|返自|出发地|来源地|始发地|从哪来|来自哪里)\s*:?\s*(?:老家)?\s*$"
)
_TRAVEL_AFTER = re.compile(
    r"\s*(?:老家)?\s*(?:回来|返回|回|过来|来|出发(?!地)|开车|坐|飞|返|动身|赶回|包车|乘)"
)
# (round 16: also 家在 and a 籍贯 label: "家在江西赣州", "籍贯：湖北")
_HOME_BEFORE = re.compile(
    r"(?:老家|(?<![回到])家(?=在))\s*(?:是|在)?\s*(?:是在)?\s*$|籍贯\s*[:：]?\s*$"
)
# Said of one place among several: "四川的居多", "河南人为主".
_MOSTLY_AFTER = re.compile(
    r"\s*(?:籍|人|的)?\s*(?:居多|为主|占多数|占大多数|比较多|偏多|多一些|都有"
    r"|多(?=$|[,，。;；!！\s]))"  # "四川的多", "河南山东的都有"
)
# "主要是江西的", "大部分是四川人": the place of some of them.
_MOSTLY_BEFORE = re.compile(
    r"(?:其中|主要是|主要|大部分是|大部分|大多是|大多数是|多数是|多半是)\s*$"
)
# "应该不是四川，是重庆": a place said not to be theirs.
_DENIED_BEFORE = re.compile(r"(?:不是|并非|并不是)\s*(?:从)?\s*$")
_HOME_AFTER = re.compile(
    r"\s*(?:籍|人|租|的租|房客|的房客|的人|的小|的外|的员|的工|的店|老乡|的老乡|老家|的,|的，|的\s|的$|那边的"
    r"|的(?=[一两二三四五六七八九十\d]+\s*[个名位])|的?各(?:[一两二三四五六七八九十\d]+|有)"
    r"|的(?=[^\s,，。；;]{0,4}(?:回来|回|到|来)))"  # "还有两个江西的下周回"
)
# "义乌这边": the reporter's own town; "湖北口音": an accent says nothing of the trip.
_LOCAL_AFTER = re.compile(r"\s*(?:这边|这里|本地|当地|市区|城区|口音|话)")
_WE_ARE = re.compile(r"我们是\s*$")
# Round 17: a place that begins a village's name ("黄山五村", "黄山村").
_VILLAGE_AFTER = re.compile(r"[一二三四五六七八九十东西南北上下前后]?村")
_LOCAL_BEFORE = re.compile(r"(?:这里是|这边是|我们是|我们这里|我们这|本地|我在)\s*$")
_DESTINATION_BEFORE = re.compile(
    r"(?:到了?|去|往|至|抵达|前往|回到|返回|飞到|飞往|飞的|飞|回|返|进|直达|达|在|住)$"
)
# Round 16: a leg's end reached by air, and the arrival here said later in the message
# ("坐飞机到杭州 明天下午两点到村", "坐飞机到杭州 打车回来").
_FLOWN_TO = re.compile(r"(?:飞机|航班|飞)\s*(?:到了?|至|飞到|飞往)?\s*$")
# The arrival here said later in a message (also `unsettled`'s): "2月22日回到小区", "到义乌".
HERE_LATER = re.compile(
    r"回到(?:小区|村|家|义乌|这里|这边)|到义乌|回义乌|到义(?!务)|返义|到村|回村|到小区|回小区"
    r"|打车回来|打的回来|打车回"
)
_ONWARD = re.compile(
    r"^[^到回返]{0,8}?(?:再|然后|转|换乘)"
    r"|^\s*(?:以后|之后|后)\s*(?:打车|打的|坐|乘|搭|换|开车)"  # round 9: "到杭州后打车回来"
)
# Round 9: a flight's or a train's leg said as "坐飞机昆明到杭州": its start is a stop when
# the trip began before it.
_LEG_BEFORE = re.compile(r"(?:坐|乘|搭)(?:的)?(?:飞机|航班|高铁|动车|火车|大巴|汽车)\s*(?:从)?\s*$")
_LEG_AFTER = re.compile(r"\s*(?:到|飞|至|直达)")
# The next clause goes on by another vehicle: "飞到杭州，然后坐大巴回义乌".
_ONWARD_NEXT = re.compile(
    r"\s*了?\s*[,，、]\s*(?:(?:今天|明天|后天|第二天)?\s*(?:上午|下午|晚上)?\s*"  # round 9: "飞杭州，明天上午再坐大巴"
    r"(?:然后|之后|再)\s*(?:再)?\s*(?:从[\u4e00-\u9fff]{2,6}?)?\s*(?:坐|乘|转|换|搭|打车|开车)"
    r"|转[车乘高火大动汽飞]|换乘|改乘"
    r"|在[\u4e00-\u9fff]{2,6}?(?:坐|乘|转|换|搭)"  # "到上海，在上海虹桥坐高铁来的"
    r"|(?:坐|乘|搭)(?:的)?(?:大巴|高铁|动车|火车|汽车|班车|出租车?))"  # "已经到杭州了，坐大巴过来"
)  # round 8: "到杭州东站，转高铁到义乌"
_COUNTY = re.compile(rf"([{_HAN}]{{1,3}}?[县区])")
# An unknown district between a known place and a travel word: "温州瓯海过来", "河南固始人".
_SUBPLACE = re.compile(rf"([{_HAN}]{{2,3}}?)(?=回来|过来|返回|出发|来的|人|的|籍|再)")
# Round 17: a place said as where they did not come from: "湖北以外", "义乌外的浦江县".
_OUTSIDE_AFTER = re.compile(r"\s*(?:以外|之外|外的|外面的)")
# Words that follow a place but name none: "到杭州然后再转车", "到长沙以后".
_NOT_A_DISTRICT = re.compile(
    r"然后|以后|之后|以前|之前|后来|直接|已经|现在|马上|一起|那里|这里|今天|明天|后天|昨天"
    r"|以外|之外"  # round 17: "湖北以外的河南": outside the place, not a district of it
    # what people did there, or the reporter's own province: "湖北黄石拉货", "浙江本省的"
    r"|拉货|送货|运货|[卸装]完?货|打工|务工|上班|出差|探亲|做生意|本省|省内|本市|市内"
    # round 7: a number of people or the start of a trip ("河南信阳两个人", "武汉出发的")
    r"|[一二两三四五六七八九十俩仨\d][个名位口]|出发"
    # round 9: a line or a direction named after a place ("跑西安专线的司机")
    r"|专线|线路|路线|方向|班车"
    # round 20: the kind of returnee after the place ("重庆万州返义人员", "返岗的员工")
    r"|返[义乡岗工厂城]"
)
# A station or airport after a city is not part of the place: "长沙南站", "从长沙南上的车",
# "成都双流机场", "郑州汽车站出发".
_STATION = re.compile(
    r"(?:[\u4e00-\u9fff]{2}(?=机场))?[东南西北]?(?:火车站|高铁站|汽车站|客运站|机场|站)"
    r"|[东南西北](?=换乘|转|上车|下车|上的|下的|上高铁|上火车|坐)"  # round 8: "从长沙南上的高铁"
    # round 11: a station in a list of stops ("途经昆明南、上海虹桥")
    r"|[东南西北](?=[、/和及与])|虹桥(?:站|机场)?"
)
_COUNTY_STOP = set(
    "回来到去住从在的了经过途转人籍老家坐开飞疫社小街园厂那这边方带附近乡下一都也是"
    "包车搭乘骑打驾走跑赶急刚才已先就还又再要将会能们他她我你和与及跟"
)


@dataclass(frozen=True)
class Address:
    text: str | None
    complete: bool


@dataclass
class Route:
    origin: str | None
    via: list[str] = field(default_factory=list)
    origin_unclear: bool = False
    via_unclear: bool = False


def find_address(text: str) -> tuple[Address, str]:
    """The address, and `text` with every address found blanked out.

    Round 17: a landmark said beside where they live ("住篁园路边上的丹溪小区") is blanked
    first; the address is then the place right after it, or it is asked."""
    landmarks = list(_LANDMARK.finditer(text))
    if not landmarks:
        return _find_address(text)
    for landmark in landmarks:
        text = blank(text, *landmark.span(1))
    address, work = _find_address(text)
    after = {text.find(address.text, landmark.end(1)) for landmark in landmarks if address.text}
    if address.text and not any(
        landmark.end(1) == found for landmark in landmarks for found in after
    ):
        return Address(None, False), work  # the landmark's place, or the shop's: asked
    return address, work


def _find_address(text: str) -> tuple[Address, str]:
    full: list[tuple[int, int]] = []
    reporters: list[tuple[int, int]] = []
    for match in _ADDRESS.finditer(text):
        start = _address_start(text, match.start(1))
        if _REPORTER_AFTER.match(text, match.end()) or _not_theirs(
            text, match.start() if start is None else start, match.end()
        ):
            reporters.append(match.span())
            continue
        head = match.group(1)
        numbered = head.endswith("区") or (len(head) > 1 and head.endswith("街"))  # 三区, 5街
        if start is None and (head in _SELF_NAMED or numbered):
            start = match.start(1)
        if start is None or _FROM_ADDRESS.search(text, 0, start):
            continue  # "从孝感市新华路5号回来": where they lived, part of the origin
        full.append((start, match.end()))
    work = text
    for span in full + reporters:
        work = blank(work, *span)
    complete = [True] * len(full)
    for match in _BUILDING.finditer(work):
        has_unit = "单元" in match.group(1)
        room = _ROOM.search(match.group(1)) is not None  # "21幢601": a room of a building
        if has_unit or _BUILDING_ANCHOR.search(work, 0, match.start()):
            full.append(match.span(1))
            complete.append((has_unit or room) and match.group(1)[-1].isdigit())
            continue
        if re.match(f"[{_HAN}]", work[match.start() - 1 : match.start()]) and (
            work[match.start() - 1] not in _NOT_A_NAME_END
        ):
            continue  # "锦绣华庭2幢901": a compound name the heads do not know may come first
        if room or _BUILDING_AFTER.match(work, match.end()):
            full.append(match.span(1))
            complete.append(room)
    for match in _UNIT_ROOM.finditer(work):  # "1单元602租户": the reporter's own building
        if not any(start <= match.start() < end for start, end in full) and (
            _BUILDING_ANCHOR.search(work, 0, match.start())
            or _BUILDING_AFTER.match(work, match.end())
        ):
            full.append(match.span(1))
            complete.append(True)
    for pattern in (_FLOOR, _DORM):
        for match in pattern.finditer(work):
            span = match.span(1)
            if _BESIDE.match(work, span[1]):
                continue  # "住在工地旁边的出租房": near the site, not in it
            if pattern is _DORM and re.fullmatch(f"(?:我|自己).*(?:{_LODGING})", match.group(1)):
                continue  # "住我家民宿，地址佛堂老街36号": the address is said apart
            if pattern is _DORM and match.group(1) in ("工地", "宿舍"):
                span = _named_site(work, match.start()) or span
            owner = _PLACE_OF_LODGING.fullmatch(match.group(1)) if pattern is _DORM else None
            if owner is not None:  # round 17: "住赤岸镇尚阳村的民宿": the village, no more
                full.append((span[0], span[0] + owner.end(1)))
                complete.append(False)
                continue
            full.append(span)
            complete.append(span[1] - span[0] > 2 and not work[span[0] : span[1]].endswith("楼"))
    if not full:
        tokens = [match.span(1) for match in _DORM_TOKEN.finditer(work)]
        full.extend(tokens)
        complete.extend(False for _ in tokens)
    for span in full:
        work = blank(work, *span)
    kept = [i for i, span in enumerate(full) if not _not_theirs(text, *span)]
    full, complete = [full[i] for i in kept], [complete[i] for i in kept]
    full = [(start, _tail_end(text, end)) for start, end in full]
    # round 16: a dormitory the tail took in ("好派路35号宿舍") is not a second address
    kept = [i for i, span in enumerate(full) if not any(_inside(span, other) for other in full)]
    full, complete = [full[i] for i in kept], [complete[i] for i in kept]
    for span in full:
        work = blank(work, *span)
    if full:
        values = {_tidy(text[s:e]) for s, e in full}
        fuller = _said_again_fuller(values)
        if fuller is not None:  # round 16: "五区16街商户…，商位五区16街52013"
            values = {fuller}
        if len(values) == 1:
            return Address(values.pop(), all(complete)), work
        said = _dwelling_then_place(text, full, complete)
        if said is not None:
            return said, work
        return Address(None, False), work  # two addresses: whose is whose?
    bare: list[tuple[int, int]] = []
    for pattern in (_BARE_HEAD, _ANCHORED_HEAD):
        for match in pattern.finditer(work):
            if work[match.end() : match.end() + 1] in _NOT_AFTER_BARE and match.end() < len(work):
                continue
            start = _address_start(work, match.start())
            if start is None or match.start() - start < 2:
                continue
            name = work[start : match.start()]
            anchors = _BARE_ANCHOR if pattern is _BARE_HEAD else _LIVE_ANCHOR
            anchored = work[:start].rstrip().endswith(anchors) or (
                pattern is _BARE_HEAD
                and _RETURNED_TO.match(work, match.end()) is not None
                and re.search(r"(?:^|[:：,，。\s]|内的)$", work[:start]) is not None
            )
            if not (anchored or (pattern is _BARE_HEAD and _ADMIN.search(name))):
                continue  # "在高速路上堵了": a road, not where anyone lives
            end = match.end()
            if pattern is _ANCHORED_HEAD and _ADMIN_END.search(work, 0, end):
                end = _town_end(work, end)  # round 14: "住城西街道夏演工业区"
            bare.append((start, end))
    # "住在后宅街道方塘村": the 街道 alone is part of the village's name, not a second place.
    bare = [span for span in bare if not any(_inside(span, other) for other in bare)]
    for span in bare:
        work = blank(work, *span)
    bare = [span for span in bare if not _not_theirs(text, *span)]
    values = {_tidy(text[s:e]) for s, e in bare}
    if len(values) == 1:
        value = values.pop()
        plate = _DOOR_PLATE.match(text, max(end for _start, end in bare))
        if plate is not None and _BARE_HEAD.search(value):
            return Address(value + _tidy(plate.group(1)), True), work  # round 14: "…村，门牌47号"
        return Address(value, False), work
    towns = {
        match.group(1)
        for match in _TOWN_TOKEN.finditer(work)
        if not any(hit.end == len(match.group(1)) for hit in find_places(match.group(1)))
    }  # not a city that ends in 乡 ("河南新乡")
    if not bare and len(towns) == 1:  # round 17: "报备 河北沧州 1人 明天 稠江街道 电话…"
        return Address(towns.pop(), False), work
    return Address(None, False), work


# Round 17: a place said to be beside where they live ("住篁园路边上的丹溪小区", "住商城一区
# 边上的福田三区"): a landmark, not the address, which is what follows it. Round 18: also
# typed apart and without 的 ("住 农贸城 后面 幸福 村 9号").
_LANDMARK = re.compile(
    rf"(?<=住)\s*(?:在)?((?![我你他她这那本])[^，,。；;\s]{{2,12}}?"
    rf"(?:(?:边上|旁边|附近|对面|隔壁|(?<![这那])边)的|\s*(?:后面|前面|对面|旁边)\s*的?\s*))"
    rf"(?=[{_HAN}]{{2,8}}?(?:小区|花园|新村|村|[一二三四五六七八九十\d]区|公寓|大厦))"
)
# Round 17: a town or 街道 said alone between spaces in a terse report, as its address.
# Not when more of the address may follow it ("佛堂镇 田心 四村"): a phone or the end does.
_TOWN_TOKEN = re.compile(
    rf"(?:^|(?<=\s))([{_HAN}]{{2,4}}(?:街道|镇|乡))(?=\s*(?:$|\d|电话|手机|联系|号码))"
)
# Round 14: a village's house number said in the next clause: "住下车门村，门牌47号".
_DOOR_PLATE = re.compile(
    r"\s*[，,]?\s*门牌(?:号)?\s*(?:是|为|[:：])?\s*(\d{1,4}\s*号)(?![\d楼幢栋])"
)


# Round 11: what goes on after a house number up to the clause's end is still the
# address ("35号海洋小区", "888号 丝路新区 A座 1805", "2单元西边套", "宿舍B区"). A token
# is a short name ending in a place word; a room number only after a block (A座 1805).
_TAIL_TOKEN = re.compile(
    rf"\s*((?:(?![的是在住从到回来去了人个有和及与同这那每各该])[{_HAN}A-Za-z\d]){{0,5}}?"
    r"(?:小区|公寓|新区|宿舍楼|宿舍|大厦|大楼|中心|广场|新村|花园|家园|出租房|[区座栋幢室套层]|单元))"
    r"(?![\u4e00-\u9fff]*?[的人个])"
)
_TAIL_ROOM = re.compile(r"\s*(\d{2,5})(?![\d人个名位口号岁点时:：月日.-])")


def _tail_end(text: str, end: int) -> int:
    """Where an address read up to `end` really ends: over the address words after it."""
    while True:
        token = _TAIL_TOKEN.match(text, end)
        if token is None or not token.group(1):
            return end
        end = token.end()
        if token.group(1)[-1] in "座栋幢元":
            room = _TAIL_ROOM.match(text, end)
            if room is not None:
                end = room.end()


# Round 14: a dwelling named only by whose it is ("厂宿舍", "公司宿舍", "店后面宿舍"),
# then its place said right after it: in brackets, or in the next clause, possibly
# labelled ("住公司宿舍（上溪镇溪华路18号）", "住厂宿舍，大陈镇大陈路236号",
# "住公司宿舍，宿舍地址：廿三里街道…", "住厂区宿舍，厂址苏溪镇…").
OWNED_DWELLING = re.compile(
    r"(?:厂里|厂区|厂内|厂|公司|我司|本司|单位|店里|店后面|店|学校|工地|网点)?的?"
    r"(?:员工|职工|教师|教工)?(?:宿舍|公寓|宿舍楼)"
)
# Round 17: a dwelling or a spot named by whose it is ("公司宿舍", "网点楼上", "店后面"),
# which can stand right before the address it is at ("住公司宿舍北苑街道龙海路199号").
DWELLING_OF = re.compile(
    r"(?:厂里|厂区|厂|公司|我司|单位|店里|店|网点|学校)的?(?:员工|职工)?"
    r"(?:宿舍|楼上|楼下|后面|里面)"
)
_PLACE_OF_IT = re.compile(
    r"\s*(?:[（(]|\s(?=\s*$)|[，,]\s*(?:(?:宿舍|厂|公司|店)?(?:地址|址|在)\s*[:：是为]?\s*)?"
    r"|\s*(?:宿舍|厂|公司|店)?(?:地址|厂址)\s*[:：是为]?)\s*$"
)


def _dwelling_then_place(
    text: str, spans: list[tuple[int, int]], complete: list[bool]
) -> Address | None:
    """Of two addresses, a dwelling named only by whose it is and the place said right
    after it: the place."""
    if len(spans) != 2:
        return None
    (first, first_end), (second, second_end) = sorted(spans)
    if not OWNED_DWELLING.fullmatch(_tidy(text[first:first_end])):
        return None
    if not _PLACE_OF_IT.match(text[first_end:second]):
        return None
    index = spans.index((second, second_end))
    return Address(_tidy(text[second:second_end]), complete[index])


# Round 14: what a town said after 住/地址 goes on with, up to the clause's end: an
# industrial zone, a block, a site's dormitory ("城西街道工业园区宏达项目工地宿舍",
# "福田街道东方大厦1502", "北苑街道丹晨四区"), a token at a time.
_TOWN_ON = re.compile(
    rf"(?:(?![的是在住从到回来去了人个有和及与同这那每各该])[{_HAN}A-Za-z]){{0,8}}?"
    r"(?:工业园区|工业区|园区|开发区|大厦|工地宿舍|宿舍|工地|[一二三四五六七八九十]区)"
    r"(?:\d{2,5}(?![\d人个名位号]))?"
)


def _town_end(text: str, end: int) -> int:
    """Where an address read as a town alone ends: over the place names right after it."""
    while (token := _TOWN_ON.match(text, end)) is not None and token.end() > end:
        end = token.end()
    return end


def _tidy(address: str) -> str:
    """An address as one string: spaces typed between its parts ("前畈村 21号") dropped,
    house numbers in Chinese digits written in Arabic ones ("柒号" 7号, "二十六号" 26号,
    "八幢五零二" 8幢502), as voice input and forms give them."""
    address = _FORMAL_NUMBER.sub(_formal, re.sub(r"\s+", "", address))
    address = _OURS_INSIDE.sub("", address)  # round 16: "新世纪花园2幢 我们3单元601"
    return _CN_NUMBER.sub(_arabic, address)


# 大写 numerals in an address: digit by digit ("柒号" 7号), or with 拾/佰 as a number
# (round 20: "肆拾伍号" 45号, not 4拾5号).
_FORMAL_NUMBER = re.compile(r"[壹贰叁肆伍陆柒捌玖拾佰]+")


def _formal(match: re.Match[str]) -> str:
    raw = match.group()
    if "拾" in raw or "佰" in raw:
        value = to_int(raw)
        return raw if value is None else str(value)
    return raw.translate(_FORMAL_DIGITS)


# Round 16: the reporter's word between two parts of an address is not part of it.
_OURS_INSIDE = re.compile(r"(?<=[幢栋楼号区街\d])(?:我们|咱们|我家)(?=\d)")


_CN_NUMBER = re.compile(
    rf"(?<=[{_HAN}])(?<![一二三四五六七八九十])([零〇一二两三四五六七八九十百廿]+)"
    r"(?=号|幢|栋|单元|室|$)"
)
_SAID_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")


def _arabic(match: re.Match[str]) -> str:
    """Chinese digits of a house number as Arabic: 十一 is 11, 五零二 (said digit by digit) 502."""
    raw = match.group(1)
    before = match.string[match.start() - 1]
    if before not in "村路街巷弄区苑园幢栋楼元场庄组":
        return raw  # "三溪村", "十里铺": part of a name
    if not any(ch in raw for ch in "十百两廿"):  # round 18: 廿五号 is 25号
        return raw.translate(_SAID_DIGITS)
    value = to_int(raw)
    return raw if value is None else str(value)


_NOT_IN_SITE_NAME = set("今明昨后天回到从住在的了有个人都")


def _not_theirs(text: str, start: int, end: int) -> bool:
    """Whether the place at [start, end) is the reporter's or an informant's, not the returnees'.

    "商贸城一区店主：", "12幢3单元的住户反映" sign a report; "我住在望江小区9幢，隔壁单元有人…"
    places the returnees only next to it. The bot asks for their address instead.
    """
    if _SIGNED_AFTER.match(text, end):
        return True
    return bool(_MINE_BEFORE.search(text, 0, start)) and bool(_NEIGHBOUR.search(text, end))


def _named_site(text: str, before: int) -> tuple[int, int] | None:
    """The one site named earlier in the message, when people are said to live in bare 工地."""
    sites = {
        match.span(1)
        for match in _NAMED_SITE.finditer(text, 0, before)
        if not any(ch in _PRONOUNS or ch in _NOT_IN_SITE_NAME for ch in match.group(1)[:-2])
    }
    return sites.pop() if len(sites) == 1 else None


def _said_again_fuller(values: set[str]) -> str | None:
    """Of two addresses, the longer when it is a market street said again with its stall
    number (五区16街, 五区16街52013): one place, said fully once."""
    if len(values) != 2:
        return None
    short, long = sorted(values, key=len)
    if short.endswith("街") and long.startswith(short) and _STALL.fullmatch(long[len(short) :]):
        return long
    return None


_STALL = re.compile(r"\d{4,6}")


def _inside(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return span != other and other[0] <= span[0] and span[1] <= other[1]


def _address_start(text: str, head: int) -> int | None:
    """Where the name in front of an address head begins, or None if there is none."""
    start = head
    while start > 0 and head - start < 14:
        ch = text[start - 1]
        if ch.isspace():  # "上溪镇 溪华村 8号": a town typed apart is still the address's
            town = _TOWN_BEFORE.search(text, max(0, start - 12), start)
            if town is None or head - town.start() >= 20:
                break
            live = _LIVE_FRONT.match(town.group())  # round 14: "住稠城街道 城中西路" from 稠城
            start = town.start() + (live.end() if live else 0)
            break
        if not "\u4e00" <= ch <= "\u9fff":
            break
        if ch in _LEAD_CHARS and not (
            (ch in _NAME_START and _ADMIN_END.search(text, 0, start - 1))
            or (ch in _NAME_AFTER_LIVE and text[: start - 1].rstrip().endswith(("住", "地址")))
        ):
            break  # round 14: after a town, 和/经 start a name ("街道和平小区", "街道经发大道");
            # round 20: after 地址 too ("公司地址经济开发区…")
        if any(text.startswith(word, start - len(word)) for word in _LEAD_WORDS):
            break
        start -= 1
    pointer = _POINTER.match(text, start, head)
    if pointer:
        start = pointer.end()
    elif _REPORTS.match(text, start) and (start == 0 or text[start - 1] in _OPENING):
        start += 1  # round 28: "报 义亭镇 缸窑村7组25号": the message opens with its verb
    name = text[start:head]
    if not name or (any(ch in _PRONOUNS for ch in name[:2]) and len(name) <= 2):
        return None
    return start


@dataclass
class _Run:
    start: int
    end: int  # end of the place name as kept
    text: str
    places: list[Place]
    role: str = "bare"
    tail: int = 0  # end of a station suffix ("南昌西站"), for reading what follows


def _runs(text: str) -> list[_Run]:
    """Adjacent place names of one province joined: "湖北省孝感市" is one place."""
    runs: list[_Run] = []
    for hit in find_places(text):
        last = runs[-1] if runs else None
        if last is not None and last.end == hit.start and _same_area(last.places, hit):
            last.end = hit.end
            last.text += hit.text
            last.places.append(hit.place)
        else:
            runs.append(_Run(hit.start, hit.end, hit.text, [hit.place]))
    for run in runs:
        if _extend_by_lexicon(text, run):
            station = _STATION.match(text, run.end)
            run.tail = station.end() if station else run.end
            continue
        county = _COUNTY.match(text, run.end) or _SUBPLACE.match(text, run.end)
        if (
            county
            and not _STATION.match(text, run.end)
            and not any(hit.start == 0 for hit in find_places(county.group(1)))  # "贵阳长沙"
            and not _NOT_A_DISTRICT.search(county.group(1))
            and (
                not any(ch in _COUNTY_STOP for ch in county.group(1))
                or _named_county(county.group(1))
            )
        ):
            run.end += len(county.group(1))
            run.text += county.group(1)
        station = _STATION.match(text, run.end)
        run.tail = station.end() if station else run.end
    return runs


def _extend_by_lexicon(text: str, run: _Run) -> bool:
    """Round 11: a place goes on with its county as written ("湖南邵阳隆回", "重庆开县",
    "杭州萧山"), or a 州 said after an autonomous prefecture ("贵州黔南州"), when the
    county table knows the name in that province; anything else ("湖北襄阳卸完货")
    is left to the district reader and its verb guard."""
    if _STATION.match(text, run.end):
        return False
    last = run.places[-1]
    if last.kind == "city" and text.startswith("州", run.end) and named_with_zhou(last.canonical):
        run.end += 1
        run.text += "州"
        return True
    county = county_at(text, run.end, last.province)
    if county is None or any(
        hit.start == run.end for hit in find_places(text[run.end : run.end + 6])
    ):
        return False
    run.end += len(county)
    run.text += county
    return True


def _named_county(name: str) -> bool:
    """ "隆回县": a county whose name holds a common character (回) is still a county."""
    return (
        name.endswith("县")
        and name[0] not in _COUNTY_STOP
        and not re.search("[来到去住从在的了]", name)
    )


def _same_area(places: list[Place], hit: PlaceHit) -> bool:
    province = places[0].province
    return province is not None and hit.place.province == province and hit.place.kind == "city"


def place_roles(text: str) -> list[tuple[str, str, int, int]]:
    """Each place `text` names, with the role the route reader gave it (travel, home,
    via, destination, local, negated, denied, part, or bare when nothing said which)
    and where it is said."""
    return [(run.text, run.role, run.start, run.end) for run in _roled_runs(text)]


def _roled_runs(text: str) -> list[_Run]:
    runs = _runs(text)
    for i, run in enumerate(runs):
        run.role = _role(text, run, runs[i - 1] if i else None)
    for run, following in reversed(list(pairwise(runs))):
        if run.role == "bare" and following.role in ("home", "travel", "part"):
            if following.start > run.tail and _LIST_SEP.fullmatch(text[run.tail : following.start]):
                run.role = following.role  # "分别是湖南、江西、安徽的": all three are homes
    for run, following in pairwise(runs):
        # round 14: a leg's end said again as the next leg's start is a stop on the way
        # ("坐火车到兰州，兰州坐飞机到义乌", "飞上海，上海坐高铁回义乌")
        if (
            run.role in ("destination", "via")  # round 16: "飞上海 上海坐动车", read as a stop
            and following.text == run.text
            and following.role in ("travel", "bare")
            and _LEG_AGAIN.fullmatch(text[run.tail or run.end : following.start])
            and _LEG_ON.match(text, following.tail or following.end)
        ):
            run.role = "via"
            following.role = "again"
    return runs


# (round 16: or typed apart, "沈阳飞上海 上海坐动车到义乌")
# Round 16: boarding at a place ("在凯里坐的高铁", "在昆明上车", "在成都坐飞机到杭州").
_BOARDED_AT = re.compile(
    r"\s*(?:站)?\s*(?:坐|乘|搭|上)(?:的|了)?\s*(?:飞机|航班|高铁|动车|火车|大巴|汽车|班车|车)"
)
_LEG_AGAIN = re.compile(r"\s*[，,]\s*(?:再从|再|然后从|然后|从)?\s*|\s+")
_LEG_ON = re.compile(r"\s*(?:再|又)?\s*(?:坐|乘|搭|转|换|飞|打车|打的|包车|叫车|开车|自驾)")


def find_route(text: str) -> Route:
    """Origin and route from `text` (addresses already blanked)."""
    runs = _roled_runs(text)
    via: list[str] = []
    for run in runs:
        if run.role == "via" and run.text not in via:
            via.append(run.text)
    travel = [run.text for run in runs if run.role == "travel"]
    home = [run.text for run in runs if run.role == "home"]
    bare = [run.text for run in runs if run.role == "bare"]
    origin = None
    unclear = False
    if any(run.role == "part" for run in runs):
        return Route(None, via, True, _via_unread(text, runs))
    for group in (travel, home, bare):
        if group:
            origin = _one_place(group)
            unclear = origin is None
            break
    denied = [run.text for run in runs if run.role == "denied"]
    if origin is not None and any(contains(name, origin) for name in denied):
        return Route(None, via, True, _via_unread(text, runs))  # "从四川回，应该不是四川"
    if origin is not None:  # "湖北返乡人员，系湖北随州人": the most specific mention wins
        inside = [name for name in home + bare if name != origin and contains(origin, name)]
        if inside:
            origin = _one_place(inside)  # "重庆万州…重庆云阳": two specifics, asked
            unclear = origin is None
    return Route(origin, via, unclear, _via_unread(text, runs))


def _role(text: str, run: _Run, previous: _Run | None) -> str:
    before = text[max(0, run.start - 8) : run.start]
    after_end = run.tail
    if previous is not None and previous.role in ("via", "travel", "negated"):
        gap = text[previous.tail : run.start]  # round 11: after a station ("昆明南、")
        if (
            _LIST_SEP.fullmatch(gap)
            and run.start > previous.tail
            and not ("到" in gap and run.text.startswith("义乌"))  # round 9: "…长沙再到义乌"
        ):
            return previous.role  # "途经长沙、南昌", "来自江西、湖南"
        if run.start == previous.end and previous.role == "via":
            return "via"  # round 9: "经过贵阳长沙", two stops run together
    if previous is not None and _LEG_BEFORE.search(before) and _LEG_AFTER.match(text, after_end):
        return "via"  # "从云南保山回来，坐飞机昆明到杭州"
    via_mark = _last(_VIA_MARK, before)
    if (
        via_mark is not None
        and previous is not None
        and previous.start >= run.start - len(before) + via_mark.end()
    ):
        via_mark = None  # "经过贵阳长沙再到义乌": the mark is the places' before this one
    if via_mark and _MARK_GAP.fullmatch(before[via_mark.end() :]):
        if _NEGATION.search(before[: via_mark.start()]):
            return "negated"
        return "via"
    if _NOT_BEEN_BEFORE.search(before):
        return "negated"
    if _OUTSIDE_AFTER.match(text, after_end):
        return "negated"  # round 17: "湖北以外，河南新乡", "武汉以外的湖北黄冈"
    if _DENIED_BEFORE.search(before):
        return "denied"
    if _MOSTLY_BEFORE.search(before) or _MOSTLY_AFTER.match(text, after_end):
        return "part"  # "其中湖北籍2人", "四川的居多": only some of them
    if _GOT_OFF.match(text, after_end) and _GOT_OFF_BEFORE.search(before):
        return "via"
    if (
        _TRANSFER_AFTER.match(text, after_end)
        and (
            re.search(r"(?:在|到|从|经|中途|途中)\s*$", before)
            # round 17: a clause of its own after an earlier place ("在贵阳上的火车，长沙转车")
            or (
                previous is not None
                and run.tail <= run.end  # a station's city or the station? ("上海虹桥转车")
                and re.search(r"[，,；;\s]$", before)
                and re.match(r"\s*(?:中转|转车|转机|换乘|转乘|换车)", text[after_end:])
            )
        )
    ):
        return "via"  # "在武汉转车", "从武汉中转", "中途贵阳站停"
    if re.match(r"\s*经停", text[after_end:]) and re.search(r"(?:在|中途|途中)\s*$", before):
        return "via"  # "中途在西安经停" ("从武汉经停南昌": 武汉 is where they left)
    if (
        _BOARDED_AT.match(text, after_end)
        and re.search(r"(?:在|中途在|途中在)\s*$", before)
        and previous is not None
        and previous.role == "travel"
        and run.text not in previous.text
        and previous.text not in run.text
    ):
        return "via"  # round 16: "从贵州铜仁出发，在凯里坐的高铁": where they boarded on the way
    if _TRAVEL_BEFORE.search(before):
        return "travel"
    if _HOME_BEFORE.search(before):
        return "home"
    if _DESTINATION_BEFORE.search(before):
        if _ONWARD.search(clause_after(text, after_end)) or _ONWARD_NEXT.match(text, after_end):
            return "via"  # "飞到杭州萧山机场再坐大巴": a leg's end is a stop on the way
        if (
            _FLOWN_TO.search(before)
            and not run.text.startswith("义乌")
            and HERE_LATER.search(text, after_end)
        ):
            return "via"  # round 16: "坐飞机到杭州 明天下午两点到村": the flight was a leg
        return "destination"
    if _VILLAGE_AFTER.match(text, run.end):
        return "name"  # round 17: "黄山五村" is a village, not the city 黄山
    if run.text.startswith("义乌") and _STATION.match(text, run.end):
        return "local"  # round 17: "今早七点 义乌站": the station they arrived at here
    if _LOCAL_AFTER.match(text, after_end) or (
        _LOCAL_BEFORE.search(before)
        # round 17: "我们是四川南充的" is the reporters' home, not here
        and not (
            _WE_ARE.search(before) and _HOME_AFTER.match(text, after_end) and not _is_here(run)
        )
    ):
        return "local"  # "义乌这边要隔离吗": where the reporter is
    if _TRAVEL_AFTER.match(text, after_end):
        return "travel"
    if _HOME_AFTER.match(text, after_end) or text[after_end:].strip() == "的":
        return "home"
    return "bare"


def _is_here(run: _Run) -> bool:
    """Whether the place is this town or its city or province (义乌, 金华, 浙江)."""
    return run.text.startswith(("义乌", "金华", "浙江"))


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found


def _one_place(names: list[str]) -> str | None:
    """The one place these mentions agree on, the most specific; None if they differ."""
    best = max(names, key=len)
    for name in names:
        if name != best and (not contains(name, best) or _county_tail(name) not in best):
            return None  # round 11: "湖南邵阳武冈 2人 + 湖南邵阳城步 1人" are two places
    return best


def _county_tail(name: str) -> str:
    """What a place string says after the places the table indexes: "湖南邵阳城步" → 城步."""
    hits = find_places(name)
    return name[hits[-1].end :].rstrip("县区市旗") if hits else ""


_UNKNOWN_STOP = re.compile(rf"\s*[{_HAN}]{{2,8}}?\s*(?:飞|转|坐|乘)")


def _via_unread(text: str, runs: list[_Run]) -> bool:
    """A route word with no place after it that could be read ("途经好几个服务区")."""
    for mark in _VIA_MARK.finditer(text):
        near = [run for run in runs if mark.end() <= run.start <= mark.end() + 3]
        if len(mark.group()) < 2:
            # a lone 经 is only a route word next to a place, unless a leg goes on right
            # after a name no place table holds (round 16: "从 拉各斯 经 亚的斯亚贝巴 飞 广州")
            if not near and _UNKNOWN_STOP.match(text, mark.end()):
                return True
            continue
        if _NEGATION.search(text[max(0, mark.start() - 4) : mark.start()]):
            continue
        if _NONE_AFTER.match(text, mark.end()):
            continue
        behind = [run for run in runs if run.end <= mark.start() <= run.end + 2]
        if not near and not behind:
            return True
    return False
