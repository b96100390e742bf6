"""Round 8 of issue 10: signals that the readers do not understand, so the value is asked.

The seventh held-out part gave wrong values without a question where the
message itself said the value was unsure or not one: a place on the ID card or
the number plate against the place said (身份证是重庆的, 车牌是湖北的), places said
as alternatives or as several (河北的还是河南的, 有河南的有山东的, 一个是四川的一个是
云南的, 3人里有1人是本村的), a second account after 可是他又说, a driver or a
foreman whose own seat is unclear (我车上带了4个工人), two bosses each with a
helper (各带1个店员), a boss's wife bringing a helper (老板娘带了一个小工), a
report of no one (今日无新增), an amendment of an earlier report (上午报的那户
改一下), a second household added to it (另外新增一户), a day known only from a
noise heard (昨天半夜听到拖箱子声音). A general rule that reads each of them
right is not written here; the parser asks instead, which the reporter answers
in one line. `join_place_words` is the one rewrite: words said between a
province and its own city (浙江省内衢州, 河南的那个叫什么周口, 贵州那个遵义哦) are
dropped so the city is read with its province. Plain Python, no dictionaries.
"""

from __future__ import annotations

import re
from itertools import pairwise

from cascade.returnee.places import apart, find_places
from cascade.returnee.text import HAN, NUM, PERSON_UNIT

# Between a province and one of its cities: "省内", "的那个叫什么", "那个", "哦".
_FILLER = re.compile(
    r"(?:省)?(?:内|本省|的?\s*(?:那个|那)\s*(?:叫什么|叫啥|什么)?\s*的?|[哦啊呀呢嘛]\s*那个)\s*"
    r"|\s+"  # "湖南 邵阳": typed apart
)
# A place on the vehicle or the ticket, which says where the trip began: "车牌是湖北的",
# "车票是从武汉出发的" (an ID card's place is a home, not a trip: "身份证是湖北孝感的，
# 但他人是从宁波过来的" is 宁波 in the tuning parts).
_DOCUMENT = re.compile(
    rf"(?:车牌|牌照|车票|行程码|行程卡)(?:号码|号|上|上面)?(?:是|为|显示)?(?:从)?"
    rf"([{HAN}]{{2,10}}?)(?=的|人|[,，。；;、\s]|$|出发)"
)
# Places said as alternatives or as several: the gap between two of them.
_SEVERAL_GAP = re.compile(
    r"\s*(?:省|市)?\s*(?:的|人)?\s*(?:还是|或者|或是|或|"
    r"[,，]?\s*(?:有|一个是|一个|另一个是|另一个|另外一个是|另外一个|两个是|几个是))\s*(?:从)?\s*"
)
# A long stay on the way: "从武汉出来后在孝感待了两周" — which place did they come from?
_LONG_STAY = re.compile(
    r"在\s*([\u4e00-\u9fff]{2,8}?)\s*(?:待|住|呆|隔离|过)了?\s*"
    r"(?:[两二三四五六七八九十几多\d]+\s*(?:周|个星期|个礼拜|个月)|半个月|一个月|十几天|[一二]十多?天)"
)
# Some of them are local: "3人里有1人是本村的", "其中一个是本地的".
_PART_LOCAL = re.compile(
    rf"(?:有|其中|[,，])\s*(?:{NUM})\s*{PERSON_UNIT}?\s*(?:是)?\s*(?:浙江)?\s*"
    r"(?:本村|本地|本镇|本市|本县|义乌)"
)
# A second account after a contrast: "他说从上海来，可是他又说刚从湖北出来",
# "从湖北回来的不过他说…老家是河南南阳的".
_CONTRAST_SAID = re.compile(
    r"(?:不过|可是|但是|但)\s*(?:他|她|他们|对方)?\s*(?:又|还)?\s*(?:说|讲|称)"
)
# The reporter drives or leads them, and may or may not be one of the count:
# "我车上带了4个工人", "我开车带了5个老乡" (heldout6 and heldout7 count the reporter out,
# and nothing in the words says so).
_OWN_SEAT = re.compile(r"我\s*(?:的)?\s*(?:车上|车里|开车|顺路|顺便|自己开车)[^,，。；;]{0,6}?带")
# Each of several brings some: "张老板和李老板…各带1个店员".
_EACH_BRINGS = re.compile(r"各(?:自)?带(?:了|着|上)?")
# A running total beside the day's new ones: "截至2月20日共计15人，今日新增2人".
_RUNNING_TOTAL = re.compile(
    r"(?:截至|截止|累计)[^。；;]{0,20}?(?:新增|今日|今天)|新增[^。；;]{0,20}?累计"
)
# Some of a group: "8个员工中有3个是今天回来的", "3人里有1人是本村的".
_SOME_OF = re.compile(
    rf"(?:{NUM})\s*{PERSON_UNIT}[^,，。；;]{{0,6}}?(?:中|里|当中|之中)\s*(?:有|的)?\s*(?:{NUM})\s*{PERSON_UNIT}"
)
# A name listed and then as the owner of the next: "老王、老王老婆、老王儿子".
_NAME_AND_HIS = re.compile(
    r"([老小阿][\u4e00-\u9fff])\s*[、,，和及]\s*\1\s*(?:的|家)?\s*"
    r"(?:老婆|媳妇|爱人|老公|丈夫|儿子|女儿|孩子|小孩|妈|爸|父亲|母亲|爷爷|奶奶)"
)
# Someone came with another: "他妈妈陪他一起回来的" (one person read, two came).
_ACCOMPANIED = re.compile(r"陪(?:着|同)?\s*(?:他|她|我|他们|她们)")
# Nobody new: "今日无新增", "暂无返乡人员".
_NONE_NEW = re.compile(r"无新增|没有新增|暂无|零新增|无人返|没有人回来|没人回来|无返乡|没有返乡")
# An amendment of an earlier report, or a second household added to this one.
_AMENDS = re.compile(
    r"(?:报的|昨天的|上午的|下午的|之前的|刚才的)那(?:户|家|个|位)\S{0,2}?改|其他不变|其余不变|其它不变"
)
_ANOTHER_HOUSEHOLD = re.compile(r"另(?:外)?\s*(?:新增|还有|又有|再)\s*(?:一|1|两|2)\s*(?:户|家)")
# An arrival said not to happen: "明天到不了", "本来今天到的，结果没到", "今天不回来了".
_NOT_ARRIVED = re.compile(
    r"(?:到|回|来)不了|(?:回|来|到)不成"
    r"|(?:结果|却|但是?|可是)\s*(?:还)?\s*(?:没有?|未)\s*(?:到|回来|回|来)(?![过老家])"
    r"|(?:今天|今日|今晚|明天|明日|明晚|后天)\s*(?:又)?\s*(?:不回来了|不来了|没到|没回来|没来)"
    r"(?![^。；;]{0,12}?(?:改到|改成|改为|改在))"
)
# A day guessed from a noise: "昨天半夜听到拖箱子声音", "听见有动静".
_HEARD = re.compile(r"(?:听到|听见|听着)[^,，。；;]{0,10}?(?:声音|声|动静)")


# A household or place said not to have come: "那户湖北的没回来，回来的是…".
_ABSENT = re.compile(
    r"(?:那户|那家|那个|那位)?\s*([\u4e00-\u9fff]{2,8}?)\s*(?:省|市)?\s*的?\s*(?:那户|那家|人)?\s*"
    r"(?:还|都|并)?\s*(?:没有?|未)(?:回来|回|来|返回|返)(?![过老家])"
)
# After a province, characters that do not start a place name of its own.
NOT_PLACE_START = set(
    "回来到去住从在的了经过途转人籍老家坐开飞那这边一两二三四五六七八九十俩仨都也是和与及跟省市"
    "本拉送打做上出探务包搭乘骑驾走跑赶急刚才已先就还又再要将会能们他她我你等方面话口音区境内外"
    "哪返租直站机火高汽客东西南北具各"
)


# Or to have gone again: "湖北来的那个租客已经走了，现在住的是江西的".
_GONE = re.compile(
    r"([\u4e00-\u9fff]{2,8}?)\s*(?:来的|的)?\s*(?:那个|那户|那家|那位)?\s*"
    r"(?:租客|租户|房客|人|住户)?\s*(?:已经|早就|早)?\s*(?:搬走了|走了|离开了|退租了)"
)


def without_absent_places(text: str) -> str:
    """`text` with the places of people said not to have come blanked ("那户湖北的没回来",
    "湖北来的那个租客已经走了")."""
    for match in [*_ABSENT.finditer(text), *_GONE.finditer(text)]:
        for hit in find_places(match.group(1)):
            text = (
                text[: match.start(1) + hit.start]
                + " " * len(hit.text)
                + text[match.start(1) + hit.end :]
            )
    return text


def unread_subplace(text: str, origin: str) -> bool:
    """Whether a province read as the origin is followed by a name the table does not hold
    ("是湖南宜章我听错了": 宜章, a county, would be lost): the origin is asked."""
    hits = find_places(origin)
    if len(hits) != 1 or hits[0].place.kind != "province" or hits[0].text != origin:
        return False
    for match in re.finditer(re.escape(origin), text):
        following = text[match.end() : match.end() + 2]
        if len(following) == 2 and all(
            _HAN_CHAR.fullmatch(ch) and ch not in NOT_PLACE_START for ch in following
        ):
            return True
    return False


_HAN_CHAR = re.compile(f"[{HAN}]")


def join_place_words(text: str) -> str:
    """`text` with words between a province and one of its cities dropped.

    "浙江省内衢州" → "浙江衢州", "河南的那个叫什么周口" → "河南周口"; the city
    must lie in that province, so "湖北那个武汉的朋友" is kept whole only when it does.
    """
    hits = find_places(text)
    for first, second in reversed(list(pairwise(hits))):
        if first.place.kind != "province" or second.place.kind != "city":
            continue
        if second.place.province != first.place.canonical:
            continue
        gap = text[first.end : second.start]
        if gap and _FILLER.fullmatch(gap):
            end = first.end - 1 if gap[0] in "内本" and first.text.endswith("省") else first.end
            text = text[:end] + text[second.start :]  # "浙江省内衢州": 浙江衢州
    return text


def origin_asked(text: str, origin: str, via: list[str]) -> bool:
    """Whether the origin read must be asked: a document's place against it, several places
    said as alternatives or each for some, some of them local, or a second account."""
    for match in _DOCUMENT.finditer(text):
        if any(apart(hit.text, origin) for hit in find_places(match.group(1))):
            return True  # "说是四川的，不过身份证是重庆的"
    hits = find_places(text)
    for first, second in pairwise(hits):
        gap = text[first.end : second.start]
        if _SEVERAL_GAP.fullmatch(gap) and apart(first.text, second.text):
            return True  # "河北的还是河南的", "有河南的有山东的"
    if _PART_LOCAL.search(text):
        return True
    for match in _LONG_STAY.finditer(text):
        if any(apart(hit.text, origin) for hit in find_places(match.group(1))):
            return True  # "从武汉出来后在孝感待了两周"
    contrast = _CONTRAST_SAID.search(text)
    if contrast is not None:
        later = find_places(text[contrast.end() :])
        if any(apart(hit.text, origin) and hit.text not in via for hit in later):
            return True  # "他说从上海来，可是他又说刚从湖北出来"
    return False


def count_asked(text: str) -> bool:
    """Whether the count read must be asked: the reporter's own seat is unclear, several
    each bring some, the message reports no one, a second household, a running total,
    or some of a group (some of them local)."""
    return any(
        pattern.search(text) is not None
        for pattern in (
            _OWN_SEAT,
            _EACH_BRINGS,
            _NONE_NEW,
            _ANOTHER_HOUSEHOLD,
            _RUNNING_TOTAL,
            _SOME_OF,
            _PART_LOCAL,
            _NAME_AND_HIS,
            _ACCOMPANIED,
        )
    )


def arrival_asked(text: str) -> bool:
    """Whether the arrival read must be asked: an amendment of an earlier report, a
    second household, or a day known only from a noise heard."""
    return any(
        pattern.search(text) is not None
        for pattern in (_AMENDS, _ANOTHER_HOUSEHOLD, _HEARD, _NOT_ARRIVED)
    )


def several_households(text: str) -> bool:
    """Whether a second household is added to the report ("另外新增一户"): no one origin."""
    return _ANOTHER_HOUSEHOLD.search(text) is not None
