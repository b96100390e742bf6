"""Round 13: more evidence that cannot pin a value down, so the value is asked.

Round 12's checks (`insufficient`) asked 4 of the 29 unasked wrong values of a
part their author never saw (heldout12). That part's 25 left were read from
evidence the checks did not weigh, by kind:

- a stop or an origin read from a station (杭州东站转车 → 杭州; 从杭州东站下车 taken as
  where they came from), or a stop said and then denied (经停武汉？…不是经停武汉);
- two places each said as where they came from (说是从河南回来的，后来又说是从山东过来的;
  上海来的…其实是从浙江嘉兴), an origin with words of no place in it (海南三亚旅游)
  or going on with its own county suffix (青海化隆 of 青海化隆县);
- a day whose time may still change (时间可能还要变), a range of days (19日至20日),
  a day that settles something later (以明天实到为准);
- an address going on past its end with a side and digits (一区东15街) or a
  bracket, led by a pronoun (我们小区5号楼), or a building whose room is said apart;
- a count below a number of people said (三个客服小妹 → 1), one person said
  with a companion (与其丈夫, 我和室友), a leader who brings N (带工人6名: N or
  N + 1?), a family said without its size (老许一家…老婆和两个儿子), companions
  listed for the reporter himself (本人…同行人员妻子和女儿), and doubt whether
  anyone came at all (是不是他本人我不确定).

As in round 12, no check reads a value; each only says that the message does not
pin one down, and `insufficient` asks it.
"""

from __future__ import annotations

import re
from datetime import datetime

from cascade.returnee.evidence import Values
from cascade.returnee.people import MARKED_TOTAL, SINGLE_KIN
from cascade.returnee.places import apart
from cascade.returnee.text import NUM, SAID_WRONG, to_int
from cascade.returnee.where import place_roles

# --- route -------------------------------------------------------------------------
# Before a stop, its denial: "不是经停武汉", "没有经过长沙".
_STOP_DENIED = re.compile(
    r"(?:不是|并非|没有|没)\s*(?:在)?\s*(?:经停|经过|途经|路过|中转|转车|转)\s*(?:在)?\s*$"
)
# Right after a place, getting off there: the end of a leg, not its start.
_GOT_OFF = re.compile(r"\s*(?:[东南西北]?站)?\s*(?:下车|下的车|下飞机|下的飞机|落地|出站)")
# A place said as where they came from: "从河南回来", "上海来的".
_FROM_BEFORE = re.compile(r"(?:从|自)\s*$")
_FROM_AFTER = re.compile(r"\s*(?:来的|过来|回来|返回|出发)")
# A county's or a district's suffix the origin stopped before: "青海化隆县的".
_SUFFIX_AFTER = re.compile(r"[县旗区市](?!场|区|民|里|内|中心|政府)")
# What people did there, read into the origin: "海南三亚旅游".
_ACTIVITY_END = re.compile(
    r"(?:旅游|旅行|游玩|度假|打工|务工|上班|工作|出差|探亲|过年|读书|上学|做生意|看病|治病)$"
)
# A value said wrong and put right ("不对，是从湖南回来的"): the reader keeps the second.
# 听错 (misheard) marks one too, but is said after the value put right (是湖南宜章我听错了),
# so it is not in text.SAID_WRONG, whose marks report.py reads the value after.
_PUT_RIGHT = re.compile(rf"{SAID_WRONG}|听错|不是\s*(?:从|在|{NUM})")

# --- arrival -----------------------------------------------------------------------
# The time said as still open: "时间可能还要变", "日期还没定".
_MAY_CHANGE = re.compile(
    r"(?:时间|日期|哪天|几号)[^。；;\n]{0,6}?(?:变|改|不定|待定|没定|未定|不确定)"
    r"|(?:还|可能)\s*(?:要|会)\s*(?:变|改)"
)
# Two days as a range: "2月19日至20日", "19号到21号".
_DAY_RANGE = re.compile(
    r"(?:月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[日号])\s*(?:至|到|~|～|—|-)\s*\d{1,2}\s*[日号](?!楼|院)"
    r"|[初十廿二三]?[一二三四五六七八九十]\s*(?:至|到)\s*[初十廿二三]?[一二三四五六七八九十](?=号|日)"
)
# A day that settles something later: "以明天实到为准".
_SETTLED_LATER = re.compile(r"以[^。，,；;\n]{0,10}?(?:[天日号]|到)[^。，,；;\n]{0,6}?为准")

# --- address -----------------------------------------------------------------------
# Right after an address: a side and digits ("一区东15街") or a bracket saying more.
_ADDRESS_GOES_ON = re.compile(
    # round 17: not a note of where it lies ("4幢（西城路上）", "（菜场旁边）")
    r"[东西南北]\s*\d|\s*[（(](?![^（()）]{1,10}?(?:路上|街上|旁边|边上|附近|对面|那边|后面)[）)])"
)
# A pronoun in front of an address: "我们小区5号楼" names no compound.
_PRONOUN_FRONT = re.compile(r"^(?:我们|咱们|我家|他们|她们|这个|那个|这|那)")
# An address that ends at a building, with no room: "秀禾小区5幢".
_BUILDING_END = re.compile(r"(?:幢|栋|号楼|单元)$")
# A room number said on its own: "楼道501新搬来", "501的租客".
_ROOM_APART = re.compile(
    r"(?<![\dA-Za-z.:：/\s-])([1-9]\d{2,3})"
    r"(?![\d.:：/-]|\s*(?:\d|号|幢|栋|楼|单元|年|元|块|人|个|次|米|公里|斤|岁|度|分))"
)

# --- count -------------------------------------------------------------------------
# A number of people said: "三个客服小妹", "6名工人", "两位师傅".
_PEOPLE_SAID = re.compile(
    rf"({NUM})\s*(?:个|名|位)\s*[\u4e00-\u9fff]{{0,3}}?"
    r"(?:人|员|工|客|妹|姐|哥|弟|孩|娃|生|友|乡|主|傅|妻|夫)"
)
_PART_OF = re.compile(r"其中|之中|里面|里头|中有|有的")
# One person with a companion said after a joining word: "与其丈夫", "我和室友".
_WITH_COMPANION = re.compile(
    r"(?:与|和|跟|同|及|带着?)\s*(?:其|他的?|她的?|我的?)?\s*"
    rf"(?:{SINGLE_KIN}|室友|舍友|同事|朋友|同学|老乡|孩子|小孩|娃)"
)
# A leader who brings N: "班组长周立平 带工人6名" (N, or N and the leader?).
_BRINGS = re.compile(
    r"(?:带|领|带着|带领|带了)\s*(?:工人|员工|工友|徒弟|伙计|老乡|小工)\s*"
    rf"({NUM})\s*(?:个人|个|名|位|人)"
)
# A family said without its size: "老许一家今天凌晨…".
_FAMILY = re.compile(r"一家(?![\d一二两三四五六七八九十几]|人|子|口|门|老小)")
# A clause that lists the family from a spouse, so the one whose spouse it is is not in
# it: "老婆和两个儿子" (老许 and 3 more), not "她、她老公、还有他们两个孩子".
_FROM_SPOUSE = re.compile(r"(?:^|[，,。；;\s])(?:老婆|妻子|老公|丈夫|爱人|媳妇)[^，,。；;\n]*")
# The reporter himself with companions listed: "本人胡志强…同行人员妻子和女儿".
_SELF = re.compile(r"本人|我(?!们|家|的|司)")
_COMPANIONS_LISTED = re.compile(r"同行(?:人员|的人|的有|的是|者)(?!数)")
# Round 28: relatives who fetch the returnee ("爸妈来萧山接", "我哥开车去金华接我"): they
# travelled too, but whether they are counted is the reporter's to say. Not their home,
# where someone else is fetched ("去我姐家接了我外甥").
_FETCHES = re.compile(
    r"(?:爸妈|父母|爸爸|妈妈|老爸|老妈|我爸|我妈|家长|家人|老公|老婆|哥哥|姐姐|我哥|我姐)"
    r"(?![家那里])(?:开车|开着车|开的车)?\s*(?:来|去|到|从)?[\u4e00-\u9fff]{0,4}?\s*(?:开车)?\s*接(?!到通知|电话|单)"
)
# Doubt whether anyone came at all: "好像是回来了", "是不是他本人我不确定".
_WHETHER = re.compile(
    r"是不是[^。，,；;\n]{0,8}(?:我|也)?\s*(?:不确定|不清楚|不知道|说不准)"
    r"|好像\s*(?:是)?\s*(?:回来|到)了"
)


def unpinned(work: str, now: datetime, values: Values) -> set[str]:
    """The fields whose value `work`, the whole message, does not pin down (see the
    module's list); each is asked instead."""
    asked: set[str] = set()
    if values.via and _stop_unsure(work, values.via):
        asked.add("via")
    if values.origin is not None and _from_unsure(work, values.origin):
        asked.add("origin")
    if values.arrival is not None and _day_unsure(work):
        asked.add("arrival")
    if values.address is not None and _address_unsure(work, values.address):
        asked.add("address")
    if values.count is not None and _count_unsure(work, values.count):
        asked.add("count")
    return asked


def _mentions(work: str, name: str) -> list[re.Match[str]]:
    return list(re.finditer(re.escape(name), work))


def _stop_unsure(work: str, via: list[str]) -> bool:
    """Whether a stop is denied after it was said ("经停武汉？…不是经停武汉")."""
    for stop in via:
        for match in _mentions(work, stop):
            if _STOP_DENIED.search(work, max(0, match.start() - 10), match.start()):
                return True
    return False


def _from_unsure(work: str, origin: str) -> bool:
    """Whether the origin is where they got off, stops before its own suffix, has words
    of no place in it, or is one of two places each said as where they came from."""
    for match in _mentions(work, origin):
        if _GOT_OFF.match(work, match.end()) or _SUFFIX_AFTER.match(work, match.end()):
            return True
    return _ACTIVITY_END.search(origin) is not None or _two_froms(work)


def _two_froms(work: str) -> bool:
    """ "说是从河南回来的，后来又说是从山东过来的": two places apart, each said as where
    they came from, and neither said to be wrong ("不是从湖北回来的，是从河南")."""
    if _PUT_RIGHT.search(work):
        return False
    froms = [
        text
        for text, role, start, end in place_roles(work)
        if role in ("travel", "local")
        and (_FROM_BEFORE.search(work, max(0, start - 2), start) or _FROM_AFTER.match(work, end))
    ]
    return any(apart(first, second) for i, first in enumerate(froms) for second in froms[i + 1 :])


def _day_unsure(work: str) -> bool:
    """Whether the time may still change, two days are said as a range, or a day is the
    one on which something is settled later."""
    return any(
        pattern.search(work) is not None for pattern in (_MAY_CHANGE, _DAY_RANGE, _SETTLED_LATER)
    )


def _address_unsure(work: str, address: str) -> bool:
    """Whether the address goes on with a side and digits or a bracket, starts with a
    pronoun, or ends at a building while a room is said apart."""
    if _PRONOUN_FRONT.match(address):
        return True
    at = work.find(address)
    if at >= 0 and _ADDRESS_GOES_ON.match(work, at + len(address)):
        return True
    if _BUILDING_END.search(address) is None:
        return False
    # one room said apart ("楼道501…秀禾小区5幢"); two are two households in one building
    rooms = {room.group(1) for room in _ROOM_APART.finditer(work)}
    return len(rooms) == 1 and not any(room in address for room in rooms)


def _count_unsure(work: str, count: int) -> bool:
    """Whether it is doubted that anyone came, or, with no total said, the count is
    below a number of people said, one person is said with a companion, a leader
    brings N, a family is listed from a spouse, or the reporter lists companions; or,
    for more than one, relatives are said to fetch the returnee."""
    if _WHETHER.search(work):
        return True
    if MARKED_TOTAL.search(work):
        return False
    if count > 1 and _FETCHES.search(work):
        return True  # round 28: "爸妈开车从温州接我回来的": do the parents who fetch count?
    return (
        _below_said(work, count)
        or (count == 1 and _WITH_COMPANION.search(work) is not None)
        or _BRINGS.search(work) is not None
        or _family_from_spouse(work)
        or (_COMPANIONS_LISTED.search(work) is not None and _SELF.search(work) is not None)
    )


def _below_said(work: str, count: int) -> bool:
    """ "今天有三个客服小妹从安徽亳州回来" read as 1: fewer than the people said (unless
    only some of them are meant, 其中, or a number is put right)."""
    if _PART_OF.search(work) or _PUT_RIGHT.search(work):
        return False
    said = (to_int(match.group(1)) for match in _PEOPLE_SAID.finditer(work))
    return any(number is not None and number > count for number in said)


def _family_from_spouse(work: str) -> bool:
    """ "老许一家…老婆和两个儿子": a family without its size, listed from the spouse of
    someone the list leaves out (not "她、她老公、还有他们两个孩子")."""
    return _FAMILY.search(work) is not None and any(
        not re.search(r"[他她我]", clause.group()) for clause in _FROM_SPOUSE.finditer(work)
    )
