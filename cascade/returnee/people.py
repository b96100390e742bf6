"""How many people are coming, and who: "带5位家人" is six, "一家三口" three, "夫妻俩" two.

The count decides how many beds the isolation site readies, so it is read only
from what the message pins down: an explicit total (共3人, 一家四口, 两名租客),
or the reporter's subject plus the people he brings (老李带老婆和两个儿子 =
1 + 1 + 2, 带着他刚上小学的儿子 = 2), or households times a per-household count
(五户人家，每户三个人 = 15). Anything approximate (十几个, 大概30人, 十个人左右,
两个人吧), open (带老婆孩子 — how many children?, 一家人, 他们, 每车20人 — how
many cars?) or contradictory (一户3个人一户2个人 — two totals) leaves the count
unknown and makes the bot ask.

Names (老李, 王先生, 张三) are collected for masking in group chats; a missed
name is never guessed into the count except when names are listed together
("小何和小罗").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cascade.returnee.parts import parts_said, parts_total
from cascade.returnee.places import find_places, lookup
from cascade.returnee.roster import roster_count, table_count
from cascade.returnee.text import CN_NUM_CHARS, NUM, PERSON_UNIT, blank, clause_start, to_int

MAX_COUNT = 10_000

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔汤应楼骆虞俞倪鲍童葛柳翁滕施单洪季包祝裘屠卞岳鲁欧"
    "诸焦岑卜阎柯伍蔺戚赖晏樊涂庞聂纪殷褚冉闵艾喻饶祁匡仇尤"  # round 8
)
_SURNAME = f"[{_SURNAMES}]"
SURNAMES = _SURNAMES  # round 21: `second` reads names listed one after another
_TITLES = (
    "先生|女士|小姐|师傅|阿姨|大姐|大哥|大叔|大爷|大妈|大婶|老板娘|老板|老师|经理|某某|某|"
    "姐|哥|叔|婶|伯|总"
)
_ROLES = "租客|租户|房客|店主|员工|工人|房东|老乡|姓名|名叫|叫|名字|联系人"
# Characters that end a bare name: verbs, time words, numbers around a name in a report.
_NAME_STOP = set(
    "带和从于及跟与说的是在已将要刚回来到住等他她男女这本两也都就还先师阿某家电手身"
    "夫妻俩们个人位名过经途坐开乘到达返去让你我"
)
_NAME_STOP_WORDS = (
    "明天", "明早", "明晚", "明日", "今天", "今晚", "今早", "后天", "昨天", "昨晚", "下午", "上午",
    "下周", "中午", "晚上", "大后", "前天",
)  # fmt: skip

_PAIRS = re.compile(
    r"[父母子女儿兄弟姐妹夫妻爷奶孙婆媳公叔侄姑舅甥祖姥]{2}俩|夫妻俩|夫妻两人|夫妻二人|夫妻两个|夫妇俩|夫妇二人|夫妇两人|[两俩]夫妻|[两俩]夫妇|两口子|俩口子|小两口|老两口|"
    r"夫妇|夫妻|母子俩|父子俩|母女俩|父女俩|兄弟俩|姐妹俩|兄妹俩|姐弟俩|他俩|她俩|俩人"
)
_FAMILY = re.compile(
    rf"(?:(?:一家|全家|一家人|一户)\s*|(?=(?:{NUM})\s*口之家))({NUM})\s*口(?:之家|人)?"
)  # "一家三口", round 8: "三口之家"
_LABEL = re.compile(rf"人数\s*:?\s*({NUM})\s*(?:人|个|位|名)?")
_MARKED = re.compile(
    rf"(?:一共|共计|合计|总共|总计|共)\s*(?:有)?\s*({NUM})\s*(个人|个|名|位|人|口)"
)
MARKED_TOTAL = _MARKED  # for the batch check in `doubt`: one way to say a total
# Round 21: not the digits of an ID or a phone ("身份证后四位", "尾号4位").
_EXPLICIT = re.compile(
    rf"(?<!第)(?<!\d,)(?<!\d)(?!(?:(?<=证后)|(?<=码后)|(?<=号后)|(?<=尾号)|(?<=证前))\s*[四六八468]\s*位)"
    rf"({NUM})\s*(个人|个|名|位|口人|人|口(?![\u4e00-\u9fff]))"
)
_SOME_ONE = re.compile(
    r"(?:有|来了|回来|到了)个(?=[^\s,，。]{0,8}?(?:租客|租户|房客|人|小伙|姑娘|亲戚|老乡|员工|工人|"
    r"商户|店主|老板|学生|师傅))"
)
_PERSON_NOUN = (
    "人|租客|租户|房客|外地人|外省人|工人|员工|伙计|老乡|亲戚|朋友|同事|小孩|孩子|家人|家属|学生|"
    "客人|小伙子|小伙|姑娘|大人|成人|老人|男的|女的|师傅|店主|老板|人员|男子|女子|妇女|"
    "商户|店员|职工|民工|小工|租房户|住户|"
    # round 8: trades named in the reports ("一个保安", "4名分拣员", "3个木工")
    "保安|厨师|骑手|分拣员|快递员|快递小哥|木工|泥工|瓦工|电工|司机|乘客|保姆|护工|装修工|搬运工|"
    "服务员|营业员|操作工|普工|学徒|帮工"  # round 18: "两个帮工明天回来"
)
_AFTER_CLASSIFIER = re.compile(
    r"(?!\s*(?:月|小时|星期|礼拜|钟头|地方|城市|省|市|县|村|单元|号|点|天))"
    rf"\s*(?:[\u4e00-\u9fff]{{0,6}}?(?:{_PERSON_NOUN})|[,.;!?，。；！？、\s]|$|回|到|从|来|返|都|已|一起|"
    r"住|今天|明天|后天|昨天|下周"
    r"|自|于|将|均|乘|坐|搭|计划|预计|[（(])"  # round 14: "员工3名自云南…", "教师3名（河南籍）"
)
_APPROX_BEFORE = re.compile(
    r"(?:大概|大约|约|差不多|估计|将近|接近|可能|至少|最多|不到|超过|好|"
    r"像是|好像|似乎|应该|大致|约莫|估摸着?|看着像|听说)\s*(?:是|有)?\s*$"
)
_APPROX_AFTER = re.compile(r"\s*(?:左右|上下|来个|多|几|余|以上|出头|吧)")
# Someone who tells of others: "有个顾客说家里人从湖北回来了" (not "有个店主说大概下周回来").
_TELLS_OF_OTHERS = re.compile(
    r"[^\s,，。]{0,6}?(?:说|讲|反映)[^,，。]{0,3}?"
    r"(?:家里人|家人|亲戚|朋友|老乡|儿子|女儿|老婆|老公|父母|爸妈|邻居|隔壁|同事)"
)
# Just before a number: the first half of a range ("3到5人", "三至五个") or a 几
# that NUM cannot hold ("几十个" would otherwise read as 十个).
_RANGE_BEFORE = re.compile(
    r"(?:[\d一二两三四五六七八九十]\s*(?:-|~|～|—|到|至|或|、)|[几多好成]|(?<![加带车])上|(?<!人)数)\s*$"
)
_APPROX_NUMBER = re.compile(r"[几多来余]")
# A count of people that is not exact, anywhere in the message: "十来个人", "二十多人",
# "几个老乡", "大概两个儿子", "3到5个孩子". Whatever else is said, the count is asked.
_VAGUE_COUNT = re.compile(
    rf"(?:好几|几|(?:{NUM})\s*(?:来|多|余|几)"
    r"|(?:大概|大约|约|差不多|估计|将近|接近|可能|至少|最多|不到|超过|不下|不止|不少于|起码)"
    rf"\s*(?:是|有)?\s*(?:{NUM})|(?:{NUM})\s*(?:-|~|～|—|到|至|或)\s*(?:{NUM}))"
    r"\s*(个人|个|名|位|口人|口|人)"
)

VAGUE_COUNT = _VAGUE_COUNT  # round 9: `unsure.family_total` reads no count beside one

_SINGLE_KIN = (
    "老婆|妻子|爱人|媳妇|老公|丈夫|儿子|女儿|儿媳|女婿|母亲|父亲|妈妈|爸爸|老妈|老爸|妈|爸|妹妹|弟弟|"
    "哥哥|姐姐|丈母娘|岳母|岳父|婆婆|公公|孙子|孙女|外孙女|外孙|侄子|侄女|外甥女|外甥|奶奶|爷爷|外婆|"
    "外公|女朋友|男朋友|对象|婶婶|叔叔|阿姨|舅舅|舅妈|嫂子|弟媳|小舅子|小姨子|保姆|老伴儿|老伴|"
    "小囡|囡囡|囡|伢儿|"
    "弟|哥|姐|妹"
)
SINGLE_KIN = _SINGLE_KIN  # round 13: `unpinned` asks a count of one said with one of them
_PAIR_KIN = "父母|爸妈|公婆|岳父母|爷爷奶奶|外公外婆|姥姥姥爷|老人家两个"
_OPEN_KIN = (
    "孩子们|孩子|小孩子|小孩|娃|家人|家属|家里人|一家人|全家|老小|亲戚|朋友|老乡|同事|工人|员工|"
    "伙计|同乡|小工|店员|帮工|学徒|徒弟|工友|婴儿|小宝宝|宝宝|幼儿|老人家|老人|人"
)
# "他刚上小学的儿子", "三岁的女儿": a few words describing the relative.
_KIN_DESCRIPTION = r"(?:[\u4e00-\u9fff\d]{1,6}?的)?"
# A number of relatives, exact or not: "两个", "十来个", "好几个", "几个" (the last three unread).
_KIN_NUM = rf"好?(?:{NUM})?[几来多余]?"
_UNREAD = -1  # a number was said but is not exact: the count is asked
_KIN = re.compile(
    rf"(?:(?:他们家|她们家|他家|她家|他们|她们|他|她|自己|我)的?)?\s*(?:手下|底下)?\s*(?:({_KIN_NUM})?\s*(个|名|位|口)\s*)?{_KIN_DESCRIPTION}"
    rf"({_PAIR_KIN}|{_SINGLE_KIN}|{_OPEN_KIN})"
)
_KIN_WORD = re.compile(rf"\s*{_KIN_DESCRIPTION}(?:{_PAIR_KIN}|{_SINGLE_KIN}|{_OPEN_KIN})")
_COMPANION = re.compile(
    r"同行(?:人员|人)?\s*[:：]|带着|带了|带上|带领|携带|携|带|及其|以及|加上|外加|加(?=[一两二三四五六七八九十\d])|还有|连同|和|跟|与|及|同"
)
_KIN_SEP = re.compile(r"\s*(?:、|和|及|与|跟|还有|以及|加上|加(?![班油钱])|外加)\s*")
_PLURAL = re.compile(
    r"(?<![我咱])们|一批|一车|一帮|一些|几个|几位|等人|一家(?![\d一二三四五六七八九十两]+口)|全家|"
    r"一户|[两几多]户|老小|家人|多人|几人|大家"
)
# Between a list of companions and the group's own total: "我和丈夫 2人", "…一共3人".
_GROUP_GAP = re.compile(r"[\s,，]*(?:一共|总共|共)?\s*(?:是|有)?\s*")
_OWNER = re.compile(r"\s*(?:家的?|的)")
_NOT_NAMES = frozenset(f"周{day}" for day in "一二三四五六日天末") | {
    "高铁",
    "高速",
    "楼上",
    "楼下",
    "楼道",
    "方面",
    "江边",
    "陆续",
    "楼长",  # round 8: the building's warden who reports, not a 楼 surname
}
# A count per household or per car ("每户三个人", "每车20人"), and the households it multiplies.
_PER = re.compile(
    rf"(?:每|各)\s*(户|家|车|辆车|批)\s*(?:都|各)?\s*(?:有|是)?\s*({NUM})\s*(?:个人|个|名|位|口人|口|人)"
)
_NUMBER = re.compile(rf"({NUM})")
# So many of each: "湖南和江西的各一个", "小张、小李各有两个人".
_EACH = re.compile(rf"各\s*(?:有|是|回来|来了|到了)?\s*({NUM})\s*(?:个人|个|名|位|口人|口|人)")
_EACH_SEP = re.compile(r"、|和|及|与|跟|/|还有|以及")
_UNITS_OF = {"户": "户|家", "家": "户|家", "车": "车|辆车|辆", "辆车": "车|辆车|辆", "批": "批"}
# 仨 and 俩 said without a classifier: "租客仨明天到".
_BARE_SMALL = re.compile(
    r"(仨|俩)(?=\s|[,，。]|$|今|明|后|昨|下|上|这|从|回|到|都|一起|已|要|也|刚|坐|开)"
)
# Several cars or batches: a number said for one of them is not the total.
_MANY_GROUPS = re.compile(r"(?:[两二三四五六七八九十几]|\d+)\s*(?:车|辆车|辆|批)")
# Adults and children counted apart: "大人两个小孩一个", "两个大人一个小孩", "成人2人、儿童2人";
# men and women the same way: "一男一女", "男2名女2名".
_ADULT = r"(?:大人|成人|成年人)"
# round 28: the little ones by their spoken and dialect words ("一个小宝宝", "两个小伢",
# "两个细娃儿") are children too
_CHILD = r"(?:小孩|孩子|儿童|小朋友|小宝宝|宝宝|婴儿|小伢儿?|伢儿|细娃儿?|小娃儿?|娃娃|娃儿|娃)"
_EACH_UNIT = rf"{PERSON_UNIT}?"
_ADULTS_CHILDREN = re.compile(
    rf"{_ADULT}\s*({NUM})\s*{_EACH_UNIT}\s*[,，、]?\s*(?:和|加|带|还有)?\s*{_CHILD}\s*({NUM})\s*{_EACH_UNIT}"
    rf"|(?<![\d{CN_NUM_CHARS}])({NUM})\s*{_EACH_UNIT}\s*{_ADULT}\s*[,，、]?\s*(?:和|加|带|还有)?\s*"
    rf"({NUM})\s*{_EACH_UNIT}\s*{_CHILD}"
    rf"|(?<![\d{CN_NUM_CHARS}])({NUM})\s*大\s*({NUM})\s*小(?!时)"  # "2大1小"
    # men and women: "一男一女", "男2名女2名"
    rf"|(?<![\d{CN_NUM_CHARS}])([一两二三四五六七八九十\d])\s*男\s*([一两二三四五六七八九十\d])\s*女"
    rf"|男\s*({NUM})\s*{_EACH_UNIT}\s*[,，、]?\s*女\s*({NUM})\s*{_EACH_UNIT}"
)
# How many households a message says it reports: "新到两户", "两家人".
_HOUSEHOLDS_SAID = re.compile(
    r"([两二三四五六七八九十\d]+)\s*(?:户|家)(?!\s*[\d一二两三四五六七八九十]+\s*口)"
)
_SINGULAR = re.compile(r"[他她](?![们俩])|本人|独自|单独|自己一个")
# One household's own count: "A户1人", "我姐家三口", "一户3口人". Several of them add up.
# Round 17: what may follow a household's "N个": a separator, the end, the next household.
_HOUSEHOLD_ENDS = re.compile(r"\s*(?:$|[,，。;；、\s]|一家|一户|另一家|另一户)")
_HOUSEHOLD_BEFORE = re.compile(
    # round 17: a place without 的 ("一户湖南衡阳2人")
    r"(?:[A-Za-z甲乙丙丁一二三四五六七八九十\d]户(?:[\u4e00-\u9fff]{2,4}的|[\u4e00-\u9fff]{2,6})?"
    r"|[\u4e00-\u9fff]{1,3}家)"
    r"\s*(?:有|是|共)?\s*$"  # round 8: "一户安徽的两人"
)
# The pieces of a message split at its separators, for a kin list typed with commas.
_PIECE_SEP = re.compile(r"[,，、:：;；。\s]+")
_KIN_PIECE = re.compile(rf"(?:我|本人|自己)?(?:{_PAIR_KIN}|{_SINGLE_KIN})|我|本人")


@dataclass(frozen=True)
class People:
    count: int | None
    names: list[str]


# 俩 and 仨 said right before a relative: "他们家俩孩子" is two children.
_BARE_BEFORE_KIN = re.compile(r"(俩|仨)(?=孩子|小孩|娃|儿子|女儿|闺女|老人|姐妹|兄弟)")


def _spelled_small(text: str) -> str:
    return _BARE_BEFORE_KIN.sub(lambda m: "两个" if m.group(1) == "俩" else "三个", text)


def read_people(text: str) -> People:
    text = _spelled_small(text)
    names, name_spans = _names(text)
    subjects = [
        span for span in name_spans if not _is_reporter(text, span) and not _is_owner(text, span)
    ]
    count = roster_count(text, _count(text, name_spans, subjects))
    listed = _names_by_line(text, subjects)
    if listed > 1 and count is not None and count != listed and not table_count(text)[0]:
        count = None  # "张某（男）湖北孝感\n李某（女）湖北孝感": one name a line, two people
    return People(count, names)


def _names_by_line(text: str, spans: list[tuple[int, int]]) -> int:
    """How many lines start with a name (after an item number): a list typed one per line."""
    starts = {start for start, _end in spans}
    count = 0
    offset = 0
    for line in text.split("\n"):
        lead = re.match(rf"\s*(?:{_ITEM})?\s*", line)
        if lead is not None and offset + lead.end() in starts:
            count += 1
        offset += len(line) + 1
    return count


def _is_owner(text: str, span: tuple[int, int]) -> bool:
    """ "老张家儿子", "小李的老婆": the name owns the one who returns."""
    return bool(_OWNER.match(text, span[1]))


def _is_reporter(text: str, span: tuple[int, int]) -> bool:
    """ "房东张大姐", "吴阿姨报告": the one who reports, not one who returns."""
    start, end = span
    return text[:start].rstrip().endswith(("房东", "铺长", "楼道长", "指挥长")) or text[
        end:
    ].lstrip().startswith(("报告", "上报"))


def _count(text: str, names: list[tuple[int, int]], subjects: list[tuple[int, int]]) -> int | None:
    work = text
    for span in names:
        work = blank(work, *span)  # "李四两个人": 四 is a name, not a number
    for vague in _VAGUE_COUNT.finditer(work):
        if (
            vague.group(1) not in ("个", "名", "位")
            or _AFTER_CLASSIFIER.match(work, vague.end())
            or _KIN_WORD.match(work, vague.end())
        ):
            return None  # "小何和小罗十来个人": not the two names, not ten
    # round 8: adults and children said apart ("大人两个小孩一个", "两个大人一个小孩") add up
    split = _ADULTS_CHILDREN.search(work)
    if split is not None:
        return _adults_and_children(work, split)
    # Relatives listed with commas: "本人，老婆，儿子，女儿，丈母娘" is five.
    kin_listed = _kin_list(work)
    # 1. A total said as a total wins: 一共四个人, 人数：4 (unless a list says otherwise).
    marked: set[int | None] = set()
    for pattern in (_MARKED, _LABEL):
        for match in pattern.finditer(work):
            marked.add(_plain_number(work, match))
            work = blank(work, *match.span())
    if marked:
        total = _single(marked)
        return total if kin_listed is None or total == kin_listed else None
    # 1a. The list alone.
    if kin_listed is not None:
        rest = [m for m in _EXPLICIT.finditer(work) if _AFTER_CLASSIFIER.match(work, m.end())]
        return kin_listed if not rest else None
    # 1b. A count per household: the total is households x people, if both are exact.
    per = _PER.search(work)
    if per is not None:
        return _per_household(work, per)
    # 2. Pairs (夫妻俩) and families (一家三口) are units of their own.
    pairs = [m.span() for m in _PAIRS.finditer(work)]
    for span in pairs:
        work = blank(work, *span)
    totals: list[int | None] = []
    families: list[int | None] = []
    for match in _FAMILY.finditer(work):
        families.append(_plain_number(work, match))
        work = blank(work, *match.span())
    said = _HOUSEHOLDS_SAID.search(work)
    if (
        len(families) > 1
        and said
        and to_int(said.group(1)) == len(families)
        and None not in families
    ):
        # round 8: "新到两户，一户3口人一户4口人" is 7: as many households as said, each counted
        totals.append(sum(n for n in families if n is not None))
    else:
        totals.extend(families)
    # 3. Someone's relatives as the subject: 老张家儿子儿媳, 张阿姨家的女儿女婿和外孙.
    owned, work = _owned_kin(work, names)
    # 3b. The people brought along: 带5位家人, 和他老婆, 及其丈夫、女儿.
    companions, work = _companions(work, names)
    # 3c. So many of each one listed: "陕西汉中和甘肃天水的各一个" is two.
    for match in _EACH.finditer(work):
        totals.append(_each_total(work, match))
        work = blank(work, *match.span())
    # 4. Plain totals: 5个外地人, 两名租客, 3人, 有个租客.
    group_totals: list[int | None] = []
    households: list[int | None] = []
    explicit = 0
    runs = _name_runs(text, subjects)
    for match in _EXPLICIT.finditer(work):
        if (
            not _AFTER_CLASSIFIER.match(work, match.end())
            and match.group(2) in ("个", "名", "位")
            # round 18: 位 counts people whatever follows ("租客2位吉林长春"), but 位数
            and not (match.group(2) == "位" and not work.startswith("数", match.end()))
            # round 17: "一家3个一家2个": so many of a household are people
            and not (
                _HOUSEHOLD_BEFORE.search(text, max(0, match.start() - 9), match.start())
                and _HOUSEHOLD_ENDS.match(work, match.end())
            )
        ):
            continue  # "三个月", "两个地方"
        listed = [n for n, end in runs if n > 1 and _GROUP_GAP.fullmatch(work, end, match.start())]
        if listed and _plain_number(work, match) != listed[0]:
            return None  # "张某和李某三个人": the names and their total disagree
        if companions is not None and any(
            _GROUP_GAP.fullmatch(work, end, match.start()) for end in companions.ends
        ):
            group_totals.append(_plain_number(work, match))  # "我和丈夫2人": all of them
        else:
            totals.append(_plain_number(work, match))
            explicit += 1
            if _HOUSEHOLD_BEFORE.search(text, max(0, match.start() - 9), match.start()):
                households.append(totals[-1])
        work = blank(work, *match.span())
    if len(households) > 1:  # "A户1人…B户1人", "我姐家三口，我哥家三口": each its own
        if len(households) != explicit or companions is not None or pairs or None in households:
            return None
        whole = _whole_of_parts(text)
        if whole is not None:
            return whole  # round 28: "3户9人（湖南2户7人，贵州1户2人）" is 9
        return _bounded(sum(n for n in households if n is not None))
    totals.extend(
        1
        for match in _SOME_ONE.finditer(work)
        # round 8: "有个顾客说家里人从湖北回来了": who tells is not who came
        if not _TELLS_OF_OTHERS.match(work, match.end())
    )
    totals.extend(to_int(match.group(1)) for match in _BARE_SMALL.finditer(work))
    if group_totals:
        if owned is not None or pairs or totals or companions is None:
            return None
        subject = companions.subject or max(1, _joined_names(text, subjects))
        return _group_total(set(group_totals), subject, companions)
    if owned is not None:
        if owned.unknown or companions is not None or pairs or len(set(totals) - {owned.known}):
            return None
        if subjects:  # "小李和小张，还有小李的女朋友": the owner's kin and others besides
            return None
        return _bounded(owned.known)
    if totals:
        if companions is not None and _companions_make(totals, companions, text, subjects):
            return totals[0]  # round 17: "小何跟他舅舅从江西上饶回来，两个人" is 2
        if companions is not None or pairs or _MANY_GROUPS.search(work):
            return None  # "三个人带两个孩子": is the total with or without them?
        # round 14: "湖南的3个，江西的2个" (and "湖南的1个，江西的1个", not one person
        # said twice) add up when each number is its own labelled group's
        # round 14: "湖南的3个，江西的2个" (and "湖南的1个，江西的1个", not one person
        # said twice) add up when each number is its own labelled group's
        if _one_by_one_of(totals, work):
            return totals[0]  # round 17: "两个租客，一个今天到一个明天到" is 2
        if len(totals) > 1:
            parts = parts_total(text)
            if parts is not None:
                return _bounded(parts)
            if parts_said(text) > 1:
                return None  # "回来1个人，湖南的1个，江西的1个": 1, or 2?
        return _single(set(totals))
    if companions is not None:
        if companions.unknown:
            return None
        if companions.subject is not None:
            if pairs or companions.subject_unknown:
                return None
            subject = companions.subject
        else:
            subject = 2 if pairs else max(1, _joined_names(text, subjects))
        return _bounded(subject + companions.known)
    if pairs:  # round 17: 他们 after a pair is the pair ("一对夫妻入住，他们从四川成都过来")
        plural = _PLURAL.search(re.sub(r"[他她]们", "", work))
        return 2 if len(pairs) == 1 and not plural else None
    if _PLURAL.search(work):
        return None
    joined = _joined_names(text, subjects)
    if joined > 1:
        return joined
    if subjects or _SINGULAR.search(work):
        return 1
    return _kin_alone(work)


# Households and their people said together: "3户9人", "2户7人".
_HOUSEHOLDS_PEOPLE = re.compile(rf"({NUM})\s*户\s*({NUM})\s*(?:个人|口人|人|口)")


def _whole_of_parts(text: str) -> int | None:
    """The people of a first "N户M人" that the ones after it break down, households and
    people both adding up to it ("3户9人（湖南2户7人，贵州1户2人）"); None otherwise, so
    "一户4人，一户2人，一户2人" stays three households of their own."""
    said = [
        (to_int(match.group(1)), to_int(match.group(2)))
        for match in _HOUSEHOLDS_PEOPLE.finditer(text)
    ]
    if len(said) < 3 or any(h is None or p is None for h, p in said):
        return None
    (first_h, first_p), rest = said[0], said[1:]
    if first_h == sum(h or 0 for h, _p in rest) and first_p == sum(p or 0 for _h, p in rest):
        return _bounded(first_p or 0)
    return None


def _companions_make(
    totals: list[int | None], companions: _Companions, text: str, subjects: list[tuple[int, int]]
) -> bool:
    """Whether one total said is the subject and the companions named, counted (小何跟他舅舅
    …，两个人: 1 + 1): then the total agrees with them."""
    if len(totals) != 1 or totals[0] is None or companions.unknown or companions.subject:
        return False
    if not subjects:  # "三个人带两个孩子": the total may be the subject itself
        return False
    subject = max(1, _joined_names(text, subjects))
    return subject + companions.known == totals[0]


def _one_by_one_of(totals: list[int | None], work: str) -> bool:
    """Whether a total said first is then told one person at a time, each once ("两个租客，
    一个今天到一个明天到"), or in parts that add up to it ("员工4人，其中3人来自广西柳州，
    1人来自广西南宁"): the parts are the total's. Not with 另外/另 said ("两个人今天到，
    另外一个明天到" is three)."""
    first, rest = totals[0], totals[1:]
    if first is None or first < 2 or len(rest) < 2 or None in rest:
        return False
    if _ANOTHER.search(work) is not None:
        return False
    # told one at a time, or in parts that make up the total ("4人，其中3人…，1人…",
    # "员工4人（湖南2人，江西2人）")
    return sum(n for n in rest if n is not None) == first


_ANOTHER = re.compile(r"另外|另一|另有|还有一")
_BEFORE_KIN = set("的和我他她及与跟是个位名俩有了还带小大")  # "小孙子", "大女儿"


def _kin_alone(work: str) -> int | None:
    """Relatives said as the subject with no one else (round 8: "岳父岳母从贵州遵义来" is 2,
    "爷爷奶奶和小孙子" 3): one list holding every relative the message names, each exact."""
    starts = list(_KIN_START.finditer(work))
    ends = {match.end() for match in starts}
    if not starts or any(
        "\u4e00" <= work[match.start() - 1 : match.start()] <= "\u9fff"
        and work[match.start() - 1] not in _BEFORE_KIN
        and match.start() not in ends  # "岳父岳母": one kin word after another
        for match in starts
    ):
        return None  # "姑父姑妈": a word the kin list does not hold, read in part
    items = _kin_items(work, starts[0].start())
    if not items or any(match.start() >= items[-1][3] for match in starts):
        return None  # relatives said apart: who is who?
    if any(
        number == _UNREAD or not re.fullmatch(rf"{_PAIR_KIN}|{_SINGLE_KIN}", word)
        for number, word, _start, _end in items
    ):
        return None
    return _bounded(_sum_kin(items).known)


def _adults_and_children(work: str, split: re.Match[str]) -> int | None:
    """Adults plus children, when every other count the message says is that same total."""
    numbers = [to_int(group) for group in split.groups() if group]
    if any(number is None for number in numbers) or _APPROX_AFTER.match(work, split.end()):
        return None
    total = sum(number for number in numbers if number is not None)
    rest = blank(work, *split.span())
    others = {
        _plain_number(rest, match)
        for pattern in (_MARKED, _LABEL, _FAMILY, _EXPLICIT)
        for match in pattern.finditer(rest)
        if pattern is not _EXPLICIT or _AFTER_CLASSIFIER.match(rest, match.end())
    }
    return _bounded(total) if others <= {total} else None


def _kin_list(work: str) -> int | None:
    """The people of a list of three or more relatives typed apart ("本人，老婆，儿子")."""
    best = run = 0
    for piece in _PIECE_SEP.split(work):
        if piece and _KIN_PIECE.fullmatch(piece):
            run += 2 if re.search(_PAIR_KIN, piece) else 1
            best = max(best, run)
        else:
            run = 0
    return best if best >= 3 else None


def _each_total(work: str, each: re.Match[str]) -> int | None:
    """ "湖南、江西的各两个": the number times the members of the list before 各 in its
    clause; None (asked) when no list is said or the number is not exact."""
    start = clause_start(work, each.start())
    members = len(_EACH_SEP.findall(work, start, each.start())) + 1
    number = _NUMBER.match(work, each.start(1))
    value = _plain_number(work, number) if number else None
    if members < 2 or value is None:
        return None
    return _bounded(members * value)


def _per_household(work: str, per: re.Match[str]) -> int | None:
    """ "五户人家，每户三个人": 15; None unless one exact number of households is said."""
    number = _NUMBER.match(work, per.start(2))
    each = _plain_number(work, number) if number else None
    if _APPROX_AFTER.match(work, per.end()):
        each = None  # "每户三个人左右"
    rest = blank(work, *per.span())
    households = [
        match
        for match in re.finditer(rf"({NUM})\s*(?:{_UNITS_OF[per.group(1)]})", rest)
        if not rest[: match.start()].endswith(("每", "各"))
    ]
    if each is None or len(households) != 1:
        return None
    count = _plain_number(rest, households[0])
    return _bounded(count * each) if count is not None else None


@dataclass
class _Companions:
    known: int = 0
    unknown: bool = False
    ends: list[int] = field(default_factory=list)  # where each list of companions ends
    # Relatives said before the first list, as its subject ("我爸妈和我弟": 2, not the reporter).
    subject: int | None = None
    subject_unknown: bool = False


def _companions(work: str, names: list[tuple[int, int]]) -> tuple[_Companions | None, str]:
    """The people brought along, summed; None if no one is said to come along."""
    found: _Companions | None = None
    pos = 0
    while True:
        trigger = _COMPANION.search(work, pos)
        if trigger is None:
            return found, work
        pos = trigger.end()
        if any(
            start >= trigger.end() and not work[trigger.end() : start].strip()
            for start, _end in names
        ):
            continue  # "张某和李某两个人": 和 joins two names, the number after is their total
        items = _kin_items(work, trigger.end())
        if not items:
            continue
        if found is None:
            found = _Companions()
            subject = _kin_before(work, trigger.start())
            if subject:
                summed = _sum_kin(subject)
                found.subject, found.subject_unknown = summed.known, summed.unknown
                work = blank(work, subject[0][2], subject[-1][3])
                if _SELF_LISTED.search(work, 0, subject[0][2]):
                    found.subject += 1  # round 28: "车上我、老婆和儿子" is three
        summed = _sum_kin(items)
        found.known += summed.known
        found.unknown = found.unknown or summed.unknown
        found.ends.append(items[-1][3])
        for _number, _word, start, end in items:
            work = blank(work, start, end)
        work = blank(work, trigger.start(), trigger.end())
        pos = items[-1][3]


# Round 28: the writer listed first, before relatives, with a list mark: "我、老婆和儿子".
_SELF_LISTED = re.compile(r"(?<![\u4e00-\u9fff])我\s*、\s*$|(?<=[上里是有:：])我\s*、\s*$")


def _kin_before(work: str, end: int) -> list[tuple[int | None, str, int, int]]:
    """Relatives listed right before `end` ("我爸妈|和", "我妈我姐|还有"), or [] if none.

    Only family words count here (爸妈, 老婆, 弟): "员工和家属" has no such subject.
    """
    family = re.compile(rf"{_PAIR_KIN}|{_SINGLE_KIN}")
    stop = len(work[:end].rstrip())
    for start in range(max(0, stop - 12), stop):
        items = [item for item in _kin_items(work, start) if item[3] <= stop]
        if (
            items
            and items[-1][3] == stop
            and work[start:stop].strip()
            and all(family.fullmatch(word) for _number, word, _s, _e in items)
            and (
                start == 0
                or not "\u4e00" <= work[start - 1] <= "\u9fff"
                or work[start - 1] in "我他她"
            )
        ):
            return items
    return []


def _name_runs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each list of names ("小何和小罗", "张三、李四") as (how many, where it ends)."""
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        gap = text[runs[-1][1] : start] if runs else ""
        # round 8: "老张老李和老王" — names run together, each with its own 老/小
        together = runs and not gap and text[start] in "老小" and text[runs[-1][1] - 2] in "老小"
        if runs and ((re.fullmatch(_NAME_SEP, gap) and start > runs[-1][1]) or together):
            runs[-1] = (runs[-1][0] + 1, end)
        else:
            runs.append((1, end))
    return runs


def _group_total(values: set[int | None], subject: int, companions: _Companions) -> int | None:
    """The total said right after "我和丈夫", if it agrees with the people listed."""
    total = _single(values)
    if total is None:
        return None
    if companions.unknown:  # "我和老公还有孩子三个人": the total says how many children
        return total if total > subject + companions.known else None
    return total if total == subject + companions.known else None


def _owned_kin(work: str, names: list[tuple[int, int]]) -> tuple[_Companions | None, str]:
    """The relatives named after an owner ("老张家儿子儿媳" → 2), or None if there are none."""
    for _, end in names:
        owner = _OWNER.match(work, end)
        if owner is None:
            continue
        items = _kin_items(work, owner.end())
        if items:
            for _number, _word, start, stop in items:
                work = blank(work, start, stop)
            return _sum_kin(items), work
    return None, work


def _kin_items(work: str, cursor: int) -> list[tuple[int | None, str, int, int]]:
    """Relatives listed from `cursor` on: (number or None, word, start, end)."""
    items: list[tuple[int | None, str, int, int]] = []
    while True:
        kin = _KIN.match(work, cursor)
        if kin is None:
            return items
        raw_number, classifier, word = kin.groups()
        if items and word == "人":
            return items  # "我和老婆两个人": the group's total, not two more people
        number = to_int(raw_number) if raw_number else (1 if classifier else None)
        if raw_number and (
            number is None
            or _APPROX_AFTER.match(work, kin.start(3))
            or _APPROX_BEFORE.search(work, 0, kin.start(1))
            or _RANGE_BEFORE.search(work, max(0, kin.start(1) - 4), kin.start(1))
        ):
            number = _UNREAD  # "带两三个孩子", "和十来个老乡": not one each
        if (
            items
            and kin.start() == items[-1][3]
            and work[kin.start()] in "他她"
            and (work[kin.start() + 1 : kin.start() + 2] != "们")
            and work[items[-1][2]] not in "他她"
        ):  # "对象她妈": her mother, one person owned by the one before ("他爸他妈" are two)
            items[-1] = (number, word, items[-1][2], kin.end())
        else:
            items.append((number, word, kin.start(), kin.end()))
        sep = _KIN_SEP.match(work, kin.end())
        cursor = sep.end() if sep else kin.end()  # "老婆孩子": two items, no separator


def _sum_kin(items: list[tuple[int | None, str, int, int]]) -> _Companions:
    total = _Companions()
    for number, word, _start, _end in items:
        if number == _UNREAD:
            total.unknown = True
        elif re.fullmatch(_PAIR_KIN, word):
            total.known += 2 if number is None else 2 * number
        elif re.fullmatch(_SINGLE_KIN, word):
            total.known += 1 if number is None else number
        elif number is None:
            total.unknown = True
        else:
            total.known += number
    return total


def _plain_number(work: str, match: re.Match[str]) -> int | None:
    """The number of a count phrase, or None when said as an estimate."""
    if _APPROX_BEFORE.search(work, 0, match.start()) or _APPROX_AFTER.match(work, match.end()):
        return None
    if _RANGE_BEFORE.search(work, max(0, match.start(1) - 4), match.start(1)):
        return None
    raw = match.group(1)
    if _APPROX_NUMBER.search(work[match.start(1) : match.end(1) + 1]):
        return None
    value = to_int(raw)
    if value is None or value <= 0 or value > MAX_COUNT:
        return None
    return value


def _single(values: set[int | None]) -> int | None:
    if len(values) != 1:
        return None
    (value,) = values
    return _bounded(value) if value is not None else None


def _bounded(value: int) -> int | None:
    return value if 0 < value <= MAX_COUNT else None


def _joined_names(text: str, spans: list[tuple[int, int]]) -> int:
    """How many names stand in the longest list ("小何和小罗", "张三、李四"); 0 if none."""
    return max((n for n, _end in _name_runs(text, spans)), default=0)


_TITLE_NAME = re.compile(rf"{_SURNAME}(?:{_TITLES})")
_OLD_YOUNG = re.compile(rf"[老小阿]{_SURNAME}")
_ROLE_NAME = re.compile(rf"(?:{_ROLES})\s*:?\s*({_SURNAME})")
# Round 28: a relative of the reporter named right after the kin word ("我表哥王大锤带…",
# "我老公李明"): the name is the relative's, the kin word is no part of it. Only after 我:
# "他们儿子黄子轩" is a relative of people already named, counted with them.
_KIN_NAME = re.compile(
    r"我(?:的|家)?(?:表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|哥哥|姐姐|弟弟|妹妹|姐夫|妹夫|嫂子|弟媳|"
    r"侄子|侄女|外甥女|外甥|舅舅|叔叔|姑姑|小姨|老公|老婆|丈夫|妻子|儿子|女儿)"
    rf"({_SURNAME})(?=[\u4e00-\u9fff]{{1,2}})"
)
# Between two names of one list: "张三、李四", "小何和小罗", "老郑(河南)、老冯(河南)",
# "1.吴丽 2.吴强", "(1)周磊 (2)郑敏".
_NOTE = r"(?:\s*[(\[【][^()\[\]【】]{1,8}[)\]】])?"
_ITEM = r"(?:\d{1,2}\s*[.、)]|\(\d{1,2}\))"
_NAME_SEP = rf"{_NOTE}\s*(?:(?:、|和|跟|与|及|,)\s*{_ITEM}?|{_ITEM})\s*"
_LIST_NAME = re.compile(rf"{_NAME_SEP}({_SURNAME})")
# The first name of a list opened by a bracket, a colon or an item number: "[张建、李娟",
# "名单：刘建国、", "1.吴丽 2.吴强".
_LIST_START = re.compile(rf"(?:[\[【(]|名单\s*[:：]|{_ITEM})\s*({_SURNAME})")


def _names(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Person names in reading order, and where they stand."""
    found: dict[tuple[int, int], str] = {}
    taken = [False] * len(text)

    def add(start: int, end: int) -> None:
        name = text[start:end]
        if any(taken[start:end]) or lookup(name) is not None or len(name) < 2 or name in _NOT_NAMES:
            return
        if _cuts_a_place(text, start, end):
            return
        for i in range(start, end):
            taken[i] = True
        found[(start, end)] = name

    for match in _TITLE_NAME.finditer(text):
        add(*match.span())
    for match in (*_ROLE_NAME.finditer(text), *_KIN_NAME.finditer(text)):
        end = _given_name_end(text, match.end(1))
        if end > match.end(1):
            add(match.start(1), end)
    for match in _OLD_YOUNG.finditer(text):
        add(*match.span())
    start_match = re.match(rf"\s*({_SURNAME})", text)
    if start_match:
        end = _given_name_end(text, start_match.end(1))
        if end > start_match.end(1) and re.match(r"\s|,|、|:|\d|$", text[end : end + 1] or ""):
            add(start_match.start(1), end)
    for match in _LIST_START.finditer(text):
        end = _given_name_end(text, match.end(1))
        if end > match.end(1) and re.match(_NAME_SEP + _SURNAME, text[end:]):
            add(match.start(1), end)
    changed = True
    while changed:  # names listed after a name: "张三、李四", "小何和小罗"
        changed = False
        for (_, end), _name in sorted(found.items()):
            listed = _LIST_NAME.match(text, end)
            if listed and not taken[listed.start(1)]:
                name_end = _given_name_end(text, listed.end(1))
                if name_end > listed.end(1):
                    before = len(found)
                    add(listed.start(1), name_end)
                    changed = changed or len(found) > before
    spans = sorted(found)
    return [found[span] for span in spans], spans


def _cuts_a_place(text: str, start: int, end: int) -> bool:
    """Round 20: whether a name read at [start, end) ends inside a place ("江苏连" of
    "江苏连云港人"): it is a place's beginning, not a person."""
    return any(hit.start < end - start < hit.end for hit in find_places(text[start : start + 12]))


_COUNTED = re.compile(r"个|位|名|口|人")


def _given_name_end(text: str, pos: int) -> int:
    """Where a given name of one or two characters that starts at `pos` ends."""
    end = pos
    while end < len(text) and end - pos < 2:
        ch = text[end]
        if not "\u4e00" <= ch <= "\u9fff" or ch in _NAME_STOP:
            break
        if end > pos and text.startswith(_NAME_STOP_WORDS, end):
            break
        # round 28: "李四一个人": a numeral before its classifier counts, it ends the name
        if end > pos and ch in CN_NUM_CHARS and _COUNTED.match(text, end + 1):
            break
        if text.startswith(_NAME_STOP_WORDS, end):
            break
        end += 1
    return end


_KIN_START = re.compile(rf"[他她]?(?:{_PAIR_KIN}|{_SINGLE_KIN})")  # round 8: "他爸他妈"
# Round 9: the kin words this reader counts; `unsure` asks about the others.
KNOWN_KIN = re.compile(rf"{_PAIR_KIN}|{_SINGLE_KIN}|{_OPEN_KIN}|小两口|老两口|两口子|夫妻|夫妇")


def kin_positions(text: str) -> list[int]:
    """Where each relative is named ("他老婆", "岳父岳母")."""
    return [match.start() for match in _KIN_START.finditer(_spelled_small(text))]


def kin_floor(text: str) -> int:
    """The most people one list of named relatives holds ("爷爷奶奶和姑姑" is at least 3).

    A count read below it missed a pair (外公外婆) or a member of the list, so the
    caller asks the count instead of giving it.
    """
    best = 0
    text = _spelled_small(text)
    for start in _KIN_START.finditer(text):
        kin: list[tuple[int | None, str, int, int]] = []
        for item in _kin_items(text, start.start()):
            if (
                kin
                and text[item[2]] in "他她"
                and text[item[2] + 1 : item[2] + 2] != "们"
                and text[kin[-1][2]] not in "他她"
            ):  # "伢儿他爸": the child's father, one person ("他们家俩孩子", "他爸他妈" are not)
                break
            if item[0] == _UNREAD or item[1] == "人":
                continue
            # round 8: a relative with a number counts too ("老公老婆还有一个小孩" is 3)
            if item[0] is not None or re.fullmatch(rf"{_PAIR_KIN}|{_SINGLE_KIN}", item[1]):
                kin.append(item)
        best = max(best, _sum_kin(kin).known)
    return best
