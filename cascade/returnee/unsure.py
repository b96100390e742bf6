"""Round 9 of issue 10: classes of words that leave a value unsure, so it is asked.

Round 8's rules fixed the shapes they were written for; fresh text brought other
shapes of the same kinds. The rules here are written as classes, not shapes:

- relatives: any kin word (a general lexicon, dialect included: 细伢子, 小叔子,
  表弟媳妇, 孩子爸爸; 妻、子、女 typed as a household form's list) and any list of
  people joined by 、/和/加/还有 set a floor on the count; a count read below it,
  or a kin word the count reader does not know at all, makes the count a question
  (unless a total is said: 共5人);
- a count said twice (不是3个是4个, 是2个不是3个), as a choice (两个还是三个) or as a
  range (四五个人), part of the people still on the way (还在路上), people who
  stayed (一直在义乌过年没回去), companions said as a number after a person
  (同行家属2人): the count is asked;
- the reporter's own later step (我晚上去问, 下午去核实, 明天整理好了再报, 具体人数下午报,
  今天又说): the day or part of day is his, not an arrival, so the arrival is asked
  unless a day is said right with an arrival verb (昨天到的);
- hearsay (不知道真的假的, 听保安讲的, 谁说的) and a check still to make (还要再问问):
  the origin is asked; a place said after a check (我核实了一下，是个安徽的) is read as
  a correction (in `report`).

Plain Python, no dictionaries to download.
"""

from __future__ import annotations

import re

from cascade.returnee.asks import NOT_PLACE_START as _NOT_PLACE_START
from cascade.returnee.people import KNOWN_KIN, VAGUE_COUNT
from cascade.returnee.places import find_places
from cascade.returnee.text import HEAD_UNIT, NUM, PERSON_UNIT, spaced, to_int
from cascade.returnee.where import DWELLING_OF

# Kin words as a class: the common ones, dialect ones, in-laws and cousins.
# A child's parent is one person ("伢儿他爸", "孩子她妈"); the count reader reads it so.
_CHILDS_PARENT = "(?:伢儿|娃儿|孩子|小孩|伢子|孩|娃|伢)[他她]?(?:爸爸|妈妈|爸|妈)"
_KIN_WORDS = (
    _CHILDS_PARENT + "|"
    "表弟媳妇|表弟媳|弟媳妇|弟媳|嫂子|嫂嫂|表哥|表弟|表姐|表妹|堂哥|堂弟|堂姐|堂妹|小叔子|小姑子|"
    "大伯子|大姑子|小舅子|小姨子|姐夫|妹夫|连襟|妯娌|舅舅|舅妈|姨妈|姨父|姑姑|姑妈|姑父|叔叔|婶婶|"
    "伯伯|伯父|伯母|侄子|侄女|外甥女|外甥|孙子|孙女|外孙女|外孙|儿媳妇|儿媳|女婿|公公|婆婆|丈人|"
    "丈母娘|岳父|岳母|老丈人|孩子爸爸|孩子妈妈|孩子他爸|孩子他妈|孩他爸|孩他妈|娃他爸|娃他妈|"
    "老公|老婆|丈夫|妻子|爱人|媳妇|对象|男朋友|女朋友|未婚妻|未婚夫|老伴儿|老伴|"
    "儿子|女儿|闺女|小孩子|小孩|孩子|细伢子|伢子|伢儿|娃娃|娃儿|娃|崽|宝宝|婴儿|"
    "父亲|母亲|爸爸|妈妈|老爸|老妈|爷爷|奶奶|外公|外婆|姥姥|姥爷|"
    "哥哥|弟弟|姐姐|妹妹|亲戚|男人"
)
_KIN_PAIRS = "夫妻|夫妇|两口子|小两口|老两口|父母|爸妈|公婆|岳父母|爷爷奶奶|外公外婆|姥姥姥爷"
# One letter a household form lists its members by: "同住人：妻、子、女".
_FORM_KIN = re.compile(r"(?:(?<=[:：、,，\s])|^)([妻夫子女父母儿])(?=[、,，。;；\s]|$)")
# A relative's home is a place, not a person: "从广州的亲戚家过来", "在他姐姐家住".
_KIN_HOME = "家|那里|那边|那儿|处"
# Relatives said not to come now: "他老婆孩子都在老家", "老公先不回", "下礼拜才回来".
_KIN_AWAY = re.compile(
    r"[^,，。；;]{0,4}?(?:都在老家|还在老家|在老家|先不回|不回来|不回|没回来|没动身|没来|"
    r"下礼拜|下星期|下周|过几天|以后再|才回来|才来|留在)"
)
_NUMBERED_KIN = re.compile(
    rf"(?<![\d第])({NUM})(?!\s*[岁周年月号])\s*(?:(?:个|名|位|口)\s*(?:[\u4e00-\u9fff]{{0,3}}?的)?)?"
    rf"({_KIN_PAIRS}|{_KIN_WORDS})(?!{_KIN_HOME})"
)
_BARE_KIN = re.compile(rf"({_KIN_PAIRS}|{_KIN_WORDS})(?!{_KIN_HOME})")
_KIN_HOME_SAID = re.compile(rf"(?:{_KIN_WORDS})(?:{_KIN_HOME})")
_KIN_AWAY_AT = re.compile(rf"(?:(?:{_KIN_PAIRS}|{_KIN_WORDS})[、和跟]?)+(?={_KIN_AWAY.pattern})")
# A pair said with its number: "夫妻两个", "两口子" (the number is the pair's own).
_PAIR_NUMBER = re.compile(rf"(?:{_KIN_PAIRS})\s*(?:两个|俩|2个|二人|两人|2人)")
# Someone listed as a pronoun beside relatives: "孩子爸爸、我、两个孩子", "她、她老公".
_LISTED_SELF = re.compile(r"(?:^|(?<=[:：、,，\s和]))(?:我|她|他|本人)(?=\s*[、和])")
# People counted in pieces joined into one list: "一个美工和一个客服", "两个厨师加一个帮工".
_COUNTED_PIECE = re.compile(
    rf"(?<![\d第])({NUM})\s*(?:个|名|位)\s*[\u4e00-\u9fff]{{1,4}}?\s*(?:和|、|还有|加上|加|跟|以及)"
    rf"\s*({NUM})\s*(?:个|名|位)"
)
# A number of people said by itself, not before a noun: "两个人", "就一个", "三个人后天到"
# (a count read equal to it came from the words, not from a partial list).
_BARE_NUMBER = re.compile(
    rf"(?<![\d第])({NUM})\s*(?:个人|口人|人|个|名|位)(?:[^\u4e00-\u9fff]|$|(?=[从到回来今明昨后前住是在都一，,。]))"
)
_PAIR_SAID = re.compile(r"两口子|小两口|老两口|夫妻俩|夫妻两个")
# A total said outright overrides any list: "共5人", "一家四口", "3口人".
_SAID_TOTAL = re.compile(
    rf"(?:一共|总共|共计|合计|共|总计|一家|全家)\s*(?:是|有)?\s*{NUM}\s*(?:个人|个|名|位|口人|口|人)"
    rf"|{NUM}\s*口人|一家\s*{NUM}\s*口"
)
_SENTENCE = re.compile(r"[。；;!！?？\n]")

# A count said twice or as a choice: "不是3个是4个", "是2个不是3个", "两个还是三个".
_UNIT = rf"\s*{HEAD_UNIT}?"
_COUNT_FIXED = re.compile(
    rf"不是\s*(?:{NUM}){_UNIT}\s*[,，]?\s*(?:而)?是\s*(?P<after>{NUM})"
    rf"|是\s*(?P<before>{NUM}){_UNIT}\s*[,，]?\s*不是\s*(?:{NUM})"
)
_COUNT_CHOICE = re.compile(
    rf"{NUM}{_UNIT}\s*(?:还是|或者|或是|或|要么)\s*{NUM}\s*{PERSON_UNIT}"
    rf"|不是\s*{NUM}{_UNIT}\s*就是\s*{NUM}"  # "不是3个就是4个": one or the other
)
# Two neighbouring Chinese digits before a unit: "四五个人", "七八个" (a range).
_COUNT_RANGE = re.compile(
    r"(?:一两|两三|二三|三四|四五|五六|六七|七八|八九)\s*(?:十|百)?\s*(?:个人|个|名|位|口|人)"
)
# Some still on the way or staying: "他老婆孩子还在路上", "一直在义乌过年没回去".
_STILL_AWAY = re.compile(r"还在路上|(?:随后|后面|晚几天)(?:才|再)?(?:到|来)")
_STAYED_ON = re.compile(
    r"一直在[\u4e00-\u9fff]{1,6}?(?:过年|过的年|上班|工作|打工|住)?[^,，。]{0,4}?没(?:有)?(?:回去|走|离开)"
)
# Companions said as a number after someone: "同行家属2人", "随行人员3名".
_COMPANIONS = re.compile(
    rf"(?:同行|随行|一同|陪同)(?:的)?(?:家属|人员|家人)?\s*{NUM}\s*{PERSON_UNIT}"
)

# The reporter's own later step: "我晚上去问一下", "我下午去核实", "明天整理好了再报",
# "具体人数下午报", "明天上午要去给…测体温", "今天又说人数报错了".
_DAY = (
    r"(?:今天|今日|明天|明日|大后天|后天|大前天|前天|昨天|昨日|昨晚|今早|今晚|明早|明晚|上午|下午|中午|晚上|傍晚|晚点|晚些|"
    r"一会儿?|待会儿?|等会儿?|回头|稍后|过会儿?)"
)
_OWN_STEP = re.compile(
    rf"{_DAY}\s*(?:我|我们)?\s*(?:再|还|要|得|会|准备|打算|就)?\s*(?:去|再)\s*"
    r"(?:问|核实|核查|了解|看|查|落实|登记|统计|整理|确认|给|找|走访|入户|上门)"
    rf"|{_DAY}[^,，。；;到回返抵]{{0,6}}?(?:再|统一|才)?(?:报|上报|汇报|报上来)(?![到道])"
    rf"|整理好了?再报|统计好了?再报|{_DAY}\s*又\s*(?:说|讲|打电话|来电)"
    r"|统计表\s*上报"
)
# A day or part of day said right with an arrival verb: "昨天到的", "今天下午两点从…回来".
_CLEAR_ARRIVAL = re.compile(
    rf"(?:{_DAY}|{NUM}\s*[月号日点时]|[初廿]\S|礼拜|星期|周[一二三四五六日天])"
    r"[^,，。；;去报问访查说现统登]{0,12}?(?:到|回来|回到|回义|返回|返义|抵达|抵义|过来|来的|来了|入住|回的)"
    r"|(?:到|回来|返回|回)的?(?:那天|日期|时间)\s*(?:是|为)?\s*\d"
)

# Hearsay and a check still to make: "不知道真的假的", "听保安讲的", "还要再问问".
_HEARSAY = re.compile(
    r"不知道真的?假的?|不知真假|真假不知|真的假的|是不是真的|谁说的|"
    r"听[\u4e00-\u9fff]{1,6}?(?:讲|说)的|传言|传的|还要再问|还得再问|还要核实|还得核实"
)
# Where someone lives or works, said against where he is from: "他是湖北人但是他一直在
# 宁波上班的" (came from Ningbo, or from Hubei?).
_WORKS_AT = re.compile(r"一直在\s*([\u4e00-\u9fff]{2,6}?)\s*(?:上班|工作|打工|做事|上学|读书|住)")


# A clause that is nothing but a list of relatives: "孩子爸爸、我、两个孩子", "老公老婆加两个
# 细伢子", "她、她老公、还有他们两个孩子" — the people of the report, counted whole.
_LIST_ITEM = (
    rf"(?:他们|她们|他|她|我)?的?\s*(?:(?:{NUM})\s*(?:个|名|位)?\s*)?"
    rf"(?:{_KIN_PAIRS}|{_KIN_WORDS}|我|本人)(?:两个|俩)?|她|他"
)
_LIST_SEP = r"\s*(?:、\s*(?:还有|和|加上|以及)?|和|加上|加|还有|跟|以及|及)\s*"
_KIN_LIST = re.compile(
    rf"(?:租客|租户|房客|员工|商户)?(?:{_LIST_ITEM})(?:(?:{_LIST_SEP})?(?:{_LIST_ITEM}))+"
)  # "租客夫妻俩加一个小孩": the role word names the family, it adds no one
_CLAUSE = re.compile(r"[,，。；;!！?？\n:：“”\"]")


def listed_family(text: str) -> int | None:
    """The number of people in the one clause made only of a list of relatives, if any."""
    found = [
        _sentence_floor(clause.strip())
        for clause in _CLAUSE.split(text)
        if _KIN_LIST.fullmatch(clause.strip())
    ]
    return found[0] if len(found) == 1 and found[0] > 1 else None


def family_total(text: str) -> int | None:
    """A family's number when the count reader gave none: the clause that lists it (租客夫妻俩
    加一个小孩 is 3), or the one number said alone when the relatives named add up to it
    (两口子带个娃儿，三个人 is 3)."""
    if VAGUE_COUNT.search(text) or _COUNT_RANGE.search(text):
        return None  # "我和丈夫大概两人": an estimate stays asked
    bare = [to_int(match.group(1)) for match in _BARE_NUMBER.finditer(text)]
    listed = listed_family(text)
    if listed is not None and bare in ([], [listed]):
        return listed
    floor = family_floor(text)
    if len(bare) == 1 and bare[0] == floor and floor > 1:
        return floor
    return None


def corrected_count(text: str) -> int | None:
    """The count a correction keeps: "不是3个是4个" is 4, "是2个不是3个" is 2; None when no
    correction, or more than one, is said."""
    fixes = list(_COUNT_FIXED.finditer(text))
    if len(fixes) != 1:
        return None
    return to_int(fixes[0].group("after") or fixes[0].group("before"))


def count_unsure(text: str, count: int | None) -> bool:
    """Whether the count read must be asked (see the module docstring)."""
    if count is None:
        return False
    if _COUNT_LATER.search(text) or count < record_floor(text):
        return True  # round 11: "名单上31人，实际到了多少要等车到了再数"; lists and households
    fixes = list(_COUNT_FIXED.finditer(text))
    if len(fixes) > 1 or (fixes and corrected_count(text) != count):
        return True  # "不是3个是4个" read as 3
    if any(
        pattern.search(text) for pattern in (_COUNT_CHOICE, _COUNT_RANGE, _STILL_AWAY, _STAYED_ON)
    ):
        return True
    if _COMPANIONS.search(text):
        return True  # "王某某…同行家属2人": 2 or 3?
    bare = [to_int(match.group(1)) for match in _BARE_NUMBER.finditer(text)]
    if _SAID_TOTAL.search(text) or bare == [count]:
        return False  # "一个从河南一个从山东": two pieces, no total
    if count > 1 and _KIN_HOME_SAID.search(text):
        return True  # "从广州的亲戚家过来": the relatives are a place, not companions
    return count < family_floor(text) or (count <= 1 and _unknown_kin(text))


# Round 11: a figure still to be checked ("实际到了多少要等车到了再数", "人数还没数").
_COUNT_LATER = re.compile(
    r"实际(?:到了?|来了?)?(?:多少|几个|几人|人数)|(?:再|还没|还没有|没来得及)(?:数|清点|点人数)"
)
# One person a line ("1. 4区 钱某 …", "2. …"), one record a piece ("易某 江西 2/18；雷某 …"),
# a list of persons ("岑某、岑某妻子、岑某儿子"): each is one person at least.
_NUMBERED_LINE = re.compile(r"^\s*(\d{1,2})\s*[.、．)]\s*\S", re.MULTILINE)
_PERSON_ITEM = re.compile(r"[\u4e00-\u9fff]{1,2}某")
_PERSON_FIRST = re.compile(r"(?:^|(?<=[\s：:]))[\u4e00-\u9fff]{1,2}某")
# Households each with their number: "402一家三口…1101一个人".
_HOUSEHOLD = re.compile(
    rf"(?<![\d.:/-])\d{{3,4}}\s*(?:室|房|户)?\s*(?:的)?\s*(?:一家({NUM})口|({NUM})\s*个?人(?!员))"
)
# Kin said beside a family's number: "爷爷奶奶加上我们一家三口".
_KIN_PLUS_FAMILY = re.compile(
    rf"({_KIN_PAIRS}|{_KIN_WORDS})\s*(?:加上|加|和|还有|连同|带着|带上)\s*"
    rf"(?:我们|他们|我|他|她)?\s*一家({NUM})口"
)


def record_floor(text: str) -> int:
    """The fewest people a message's lists, households or kin beside a family add up to."""
    best = 0
    numbers = [int(match.group(1)) for match in _NUMBERED_LINE.finditer(text)]
    if len(numbers) > 1 and numbers == list(range(1, len(numbers) + 1)):
        best = len(numbers)
    for separator in ("；", ";", "、"):
        pieces = text.split(separator)
        if len(pieces) > 1:
            first = _PERSON_FIRST.search(pieces[0]) is not None
            rest = all(_PERSON_ITEM.match(piece.strip()) for piece in pieces[1:])
            if first and rest:
                best = max(best, len(pieces))
    households = [to_int(match.group(1) or match.group(2)) for match in _HOUSEHOLD.finditer(text)]
    if len(households) > 1 and None not in households:
        best = max(best, sum(value for value in households if value is not None))
    for match in _KIN_PLUS_FAMILY.finditer(text):
        family = to_int(match.group(2))
        if family is not None:
            best = max(best, _sentence_floor(match.group(1)) + family)
    return best


def family_floor(text: str) -> int:
    """The most people one sentence names as relatives or as listed pieces."""
    best = 0
    for sentence in _SENTENCE.split(text):
        best = max(best, _sentence_floor(sentence))
    return best


def _sentence_floor(sentence: str) -> int:
    total = 0
    taken: list[tuple[int, int]] = []
    for match in _PAIR_NUMBER.finditer(sentence):
        total += 2
        taken.append(match.span())
    for match in _KIN_AWAY_AT.finditer(sentence):
        taken.append(match.span())
    for match in _NUMBERED_KIN.finditer(sentence):
        if _overlaps(match.span(), taken):
            continue
        value = to_int(match.group(1))
        if value is None or value > 20:
            continue
        total += value
        taken.append(match.span())
    for match in _BARE_KIN.finditer(sentence):
        if _overlaps(match.span(), taken):
            continue
        total += 2 if re.fullmatch(_KIN_PAIRS, match.group(1)) else 1
        taken.append(match.span())
    for match in _FORM_KIN.finditer(sentence):
        if not _overlaps(match.span(1), taken):
            total += 1
    if total:
        total += len(_LISTED_SELF.findall(sentence))
    for match in _COUNTED_PIECE.finditer(sentence):
        pieces = [to_int(match.group(1)), to_int(match.group(2))]
        if all(piece is not None for piece in pieces):
            total = max(total, sum(piece for piece in pieces if piece is not None))
    return total


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _unknown_kin(text: str) -> bool:
    """A kin word the count reader does not hold ("表弟", "细伢子", "妻、子、女")."""
    if _FORM_KIN.search(text) and len(_FORM_KIN.findall(text)) >= 2:
        return True
    for match in _BARE_KIN.finditer(text):
        word = match.group(1)
        if not KNOWN_KIN.fullmatch(word) and not re.fullmatch(_CHILDS_PARENT, word):
            return True
    return False


def arrival_unsure(text: str) -> bool:
    """Whether a day in the message may be the reporter's own later step, not an arrival."""
    if not _OWN_STEP.search(text):  # "说回来两口子…屋里有四五个人": two accounts of the count
        ranges = [match.span() for match in _COUNT_RANGE.finditer(text)]
        return bool(ranges) and (
            _PAIR_SAID.search(text) is not None
            or any(not _overlaps(match.span(), ranges) for match in _BARE_NUMBER.finditer(text))
        )
    return not any(not _OWN_STEP.search(match.group()) for match in _CLEAR_ARRIVAL.finditer(text))


def origin_unsure(text: str, origin: str) -> bool:
    """Whether the origin read comes from hearsay or a check still to make, or a place of
    work is said against it."""
    if _HEARSAY.search(text) or city_unsure(text, origin):
        return True
    for match in _WORKS_AT.finditer(text):
        hits = find_places(match.group(1))
        if any(
            hit.text not in origin and origin not in hit.text and not hit.text.startswith("义乌")
            for hit in hits
        ):
            return True
    return False


# Words said in front of an address that are not part of it: "门牌尚阳村41号", "这个塘下村
# 31号", "今天二区32街", "店楼上宾王路212号"; a bare 小区 whose name is said apart.
_ADDRESS_FRONT = re.compile(
    r"^(?:门牌号?|门牌号码|地址是|这个|那个|我们这个|我们那个|"
    r"今天|今日|昨天|明天|前天|后天|店楼上|店里|楼上|楼下|店楼下|楼里"
    # round 20: the reporter's house before its place ("我房子稠江街道…", "我出租房廿三里街道…")
    r"|(?:房子|出租房|房)(?=[\u4e00-\u9fff]{1,4}(?:街道|镇|乡)))+"
)
_ESTATE_NAMED = re.compile(
    r"小区(?:的)?(?:名字?|名称)\s*(?:是|叫|为)\s*([\u4e00-\u9fff]{2,8}?)(?=[,，。\s]|$)"
)
# Chinese digits before 街 or 楼 in what was read ("二区十五街", "五楼"): the number after
# them may have been lost, and the tuning parts write them both ways, so the address is asked.
_CN_STREET_FLOOR = re.compile(r"[零〇一二三四五六七八九十百]+(?:街|楼)")


_NOT_COUNTY = set("动身抵达变嚟嘅工作班打务区县市籍")


def city_unsure(text: str, origin: str) -> bool:
    """Whether the origin read is a city said alone while its province is said apart ("A：湖北的
    … A：荆门"), or a city followed by a name the table does not hold ("浙江衢州江山")."""
    hits = find_places(origin)
    if not hits or hits[-1].place.kind != "city":
        return False
    city = hits[-1]
    province = city.place.province
    if (
        len(hits) == 1
        and province
        and "\n" in text.strip()
        and province[:2] in text.replace(origin, "")
    ):
        return True  # a pasted chat: "A：湖北的 … A：荆门" (湖北荆门, asked)
    if len(hits) < 2:
        return False
    for match in re.finditer(re.escape(origin), text):
        following = text[match.end() : match.end() + 3]
        if re.fullmatch(r"[\u4e00-\u9fff]{2}[,，。;；\s]", following) and not (
            set(following[:2]) & (_NOT_PLACE_START | _NOT_COUNTY)
        ):
            return True
    return False


# Round 11: a compound said elsewhere in the message ("我是稠城街道下车门小区的房东"),
# after an anchor so its name starts right.
_ESTATE_SAID = re.compile(
    r"(?:街道|镇|乡|[是的在住我，,。：:\s（(])((?:(?![今昨明晚天进从有人的在住我他她那这个是])"
    r"[\u4e00-\u9fff]){2,5}?(?:小区|花园|新村|家园|公寓))(?![\d幢栋])"
)
# Someone lives or lets there: "…小区的房东", "住…小区", not "…小区东门岗".
_ESTATE_LIVED = re.compile(r"的?(?:房东|业主|住户|租户|租客)")
_FRONT_CHARS = "我是在住的那个这本"
_TOWN_RIGHT_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,4}(?:街道|镇|乡))\s*的?\s*$")
_BRACKETED_BEFORE = re.compile(r"[（(]\s*([\u4e00-\u9fff]{2,12}?[村社区])\s*[）)]\s*$")


def _said_before(text: str, address: str) -> tuple[str, bool]:
    """The address with the place said for it before ("下车门小区" + "8幢201", "稠城街道的"
    + "前成小区12幢", "（佛堂镇倍磊村）后街9号"), and whether several candidates make it
    unsure. A village's address said whole ("住乔亭村5号") is not prefixed with a town
    named elsewhere ("赤岸镇乔亭村报送：…"): the parts write it as said (round 17)."""
    if re.match(r"\d+\s*(?:幢|栋|号楼)", address):
        estates = list(_ESTATE_SAID.finditer(text))
        if len({match.group(1) for match in estates}) > 1:
            return address, True  # two compounds named: which is the building's?
        if estates and (
            _ESTATE_LIVED.match(text, estates[0].end())
            or text[: estates[0].start(1)].endswith("住")
        ):
            return estates[0].group(1) + address, False
        return address, False
    at = text.find(address)  # round 17: where it is said, not an earlier mention of its start
    if at < 0:
        at = text.find(address[:4])
    if at > 0:
        bracketed = _BRACKETED_BEFORE.search(text, 0, at)
        if bracketed is not None:
            return bracketed.group(1) + address, False
        town = _TOWN_RIGHT_BEFORE.search(text, 0, at)
        signed = re.match(r"[\u4e00-\u9fff]{2,4}?村", address)
        if signed is not None and _SIGNS_REPORT.match(text, at + signed.end()):
            town = None  # round 14: "佛堂镇蜀墅塘村报告：…住蜀墅塘村二组88号"
        if town is not None and not _ADMIN_IN.search(address):
            return town.group(1).lstrip(_FRONT_CHARS) + address, False  # "稠城街道的前成小区12幢"
    return address, False


_ADMIN_IN = re.compile(r"街道|镇|乡")
# Round 17: a floor of the reporter's own building ("本楼5楼新回来一户"), joined to that
# building when it is said apart with no flat number anywhere in the message.
_OWN_BUILDING_FLOOR = re.compile(
    r"(?:本楼|我们楼|我们这栋楼?|这栋楼|本幢)\s*(?:的)?\s*(\d{1,2})\s*楼(?!道)"
)
_ROOM_SAID = re.compile(r"(?<!\d)\d{3,4}(?!\d)")
# Round 17: a building project named as its own clause ("工地报：中天建设宾王路项目部，…"),
# and its people living in the site's dwelling without its name ("住项目部宿舍", "住工地板房").
_PROJECT_NAMED = re.compile(
    r"(?:^|(?<=[:：，,。；;\s]))([\u4e00-\u9fffA-Za-z\d]{2,16}?项目部?)(?=\s*[，,。；;\n])"
)
_SITE_DWELLING = re.compile(r"(?:项目部|工地)((?:宿舍|板房|活动板房|工棚|彩钢房)?)")


# Round 17: a factory named by its name ("华鸿针织厂员工5名", "厂名永康五金厂"), and its
# people living in "the factory's" dormitory ("住厂里宿舍", "住我们厂宿舍").
_FACTORY_NAME = r"((?:(?![我们这那本该某的在住从到回返已全])[\u4e00-\u9fff]){2,8}?厂)"
_FACTORY_NAMED = re.compile(
    rf"厂名\s*(?:是|为|[:：])?\s*{_FACTORY_NAME}(?=[，,。；;\s]|$)"
    rf"|(?:^|(?<=[:：，,。；;\s])){_FACTORY_NAME}(?=员工|职工|工人)"
)
_FACTORY_DORM = re.compile(r"(?:我们|我)?(?:厂里|厂区|厂内|厂)的?宿舍")


def _project_dwelling(project: str, dwelling: str) -> str:
    """The named project's dwelling: "…项目部" + 宿舍, "…项目" + 工地板房."""
    if project.endswith("项目部"):
        return project + dwelling
    return project + "工地" + dwelling


# Round 14: after a town and village, words that sign the report as that village's own
# ("后宅街道枫塘村村委报告：…住枫塘村5组38号"): the town heads the report, not the address.
_SIGNS_REPORT = re.compile(r"(?:\s*(?:村委会?|两委|党支部|委员会|报告|报备|上报|报))+\s*[:：]")
# A dormitory of the workplace, and the workplace's address said apart.
_WORKPLACE_DORM = re.compile(
    r"(?:厂|店|公司|工厂|我司|本司|工地|网点)?(?:内|里|区)?(?:员工|职工)?宿舍"  # round 17: 网点
)
# Round 17: a dwelling named by whose it is, typed right before the address it is at,
# led by its town ("公司宿舍北苑街道龙海路199号", "网点楼上稠城街道城中中路88号").
_DWELLING_FRONT = re.compile(
    rf"(?:{DWELLING_OF.pattern})(?=[\u4e00-\u9fff]{{2,4}}(?:街道|镇|乡)[\u4e00-\u9fff]{{2,12}}?\d)"
)
_WORKPLACE_AT = re.compile(
    r"(?:(?:厂|店|公司)(?:子)?(?:在|地址\s*[是为:：]?)"
    # round 14: "住我司宿舍，在大陈镇工业区", "厂址 福田街道…", "宿舍，地址是义乌市…工地"
    r"|宿舍\s*[，,]\s*(?:在|地址\s*[是为:：]?)|宿舍\s*[（(]|厂址\s*[是为:：]?"
    # round 17: the place said right after, led by its town ("住厂宿舍，苏溪镇大西阳工业区")
    r"|宿舍\s*[，,]\s*(?=(?![厂店司在])[\u4e00-\u9fff]{2,4}(?:街道|镇|乡)))\s*"
    r"([\u4e00-\u9fff\dA-Za-z ]{2,20}?(?:工业区|园区|\d+号|街道|镇|村|工地|[一二三四五六七八九十\d]期))"
    r"(?=$|[，,。；;\s）)])"
)


# Round 16: a market stall's number said apart from its street ("三区13街商户…，商位31820").
_STALL_APART = re.compile(r"(?:商位|摊位|铺位)\s*号?\s*[:：]?\s*(\d{4,6})(?!\d)")


def _stall_right_after(text: str, address: str) -> bool:
    """Whether the stall word follows the street itself ("五区二楼 商位52233"): said so, it
    is part of the address as typed, which the reader keeps."""
    return re.search(spaced(address) + r"\s*(?:商位|摊位|铺位)", text) is not None


# Round 18: a phone's label run into the address's last part ("兴中小区2幢电话座", the 座
# of 座机 read as a block's): the address ends before it.
_PHONE_WORDS_AFTER = re.compile(
    r"(?<=[\d幢栋楼号室元])(?:电话|手机|联系)[\u4e00-\u9fff]{0,2}$"
    # round 20: a landline or mobile typed after the house number with no label
    # ("前店村64号 85279036"): no house or room has seven digits
    r"|(?<=[号室])\d{7,}$"
)


def tidy_address(text: str, address: str) -> tuple[str | None, bool]:
    """The address without words said in front of it, and whether it must be asked."""
    front = _ADDRESS_FRONT.match(address)
    if front is not None and not re.match(r"[村镇乡组庄]", address[front.end() :]):
        address = address[front.end() :]  # "楼下村3号" is a village's name
    if address.startswith("小区"):
        rest = address[2:]
        named = re.search(rf"([\u4e00-\u9fff]{{2,6}})小区{re.escape(rest)}", text)
        address = named.group(1) + address if named else rest
    estate = _ESTATE_NAMED.search(text)
    if estate is not None and address[:1].isdigit():
        address = estate.group(1) + address  # "小区名是国际花园，3幢1单元601"
    front = _DWELLING_FRONT.match(address)
    if front is not None:
        address = address[front.end() :]  # round 17: "住公司宿舍北苑街道龙海路199号"
    workplace = _WORKPLACE_AT.search(text)
    if workplace is not None and _WORKPLACE_DORM.fullmatch(address):
        address = re.sub(r"\s+", "", workplace.group(1))  # round 11: "住厂宿舍，厂在佛堂镇工业区"
    floor = _OWN_BUILDING_FLOOR.search(text)
    if floor is not None and re.search(r"(?:幢|栋|号楼)$", address) and not _ROOM_SAID.search(text):
        address += f"{floor.group(1)}楼"  # round 17: "本楼5楼新回来一户…楼是…20幢"
    project = _PROJECT_NAMED.search(text)
    site = _SITE_DWELLING.fullmatch(address)
    if project is not None and site is not None and "某" not in project.group(1):
        address = _project_dwelling(project.group(1), site.group(1))  # round 17
    factories = {match.group(1) or match.group(2) for match in _FACTORY_NAMED.finditer(text)}
    if len(factories) == 1 and _FACTORY_DORM.fullmatch(address):
        address = factories.pop() + "宿舍"  # round 17: "华鸿针织厂员工…住厂里宿舍"
    stall = _STALL_APART.search(text)
    if stall is not None and re.search(r"\d街$", address) and not _stall_right_after(text, address):
        address += stall.group(1)  # round 16: "三区13街商户1人…，商位31820"
    address = _PHONE_WORDS_AFTER.sub("", address)  # round 18: "2幢 电话 座机 0579-…"
    address, unsure = _said_before(text, address)
    if unsure:
        return None, True
    if not address or address.startswith(("各", "分别")):
        return None, True  # round 11: "住各厂宿舍" names several places
    return address, _CN_STREET_FLOOR.search(address) is not None
