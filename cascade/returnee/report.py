"""A landlord's free message about returning tenants, read into fields the bot can act on.

"租客老李带5位家人从湖南回来, 途经武汉, 住溪西村12号" must become six people from
Hunan via Wuhan at Xixi village No. 12 — red, central isolation suggested —
within the 20-minute incident loop. The reporter confirms what the bot read, so
the rule here is: what the message does not pin down becomes a question
(`questions`), never a guess. A wrong silent value (a count of 5 instead of 6,
"12号" read as a date) would be confirmed by a tired reporter at midnight;
a question is answered.

The readers live beside this module: `people` (count, names),
`where` (address, origin, route), `arrival` (arrival day and time),
`places` (the province/city table behind origin, route and
`high_risk`). All are plain Python with no dictionaries to download, so the
parser works offline and imports fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from pydantic import BaseModel, Field

from cascade.returnee.accompanied import accompanied_total
from cascade.returnee.arrival import SHANGHAI, arrival_days, parse_arrival
from cascade.returnee.asks import (
    join_place_words,
    without_absent_places,
)
from cascade.returnee.clauses import disagreements as by_clauses
from cascade.returnee.confirm import to_confirm
from cascade.returnee.conventions import disagreements as by_convention
from cascade.returnee.doubt import (
    arrival_hedged,
    batch_total,
    counted_in_parts,
    drop_abandoned,
    hedged_spans,
    in_batches,
)
from cascade.returnee.earlier import disagreements as by_earlier
from cascade.returnee.english import english_count
from cascade.returnee.evidence import Values, to_ask
from cascade.returnee.guards import (
    count_unknown,
    never_left,
    part_that_came,
    two_house_numbers,
    undo_arrows,
    undo_denied,
    without_document_places,
    without_two_house_numbers,
)
from cascade.returnee.insufficient import insufficient
from cascade.returnee.journey import disagreements as by_journey
from cascade.returnee.legs import leg_stop
from cascade.returnee.members import agreed_total
from cascade.returnee.named_one import named_one
from cascade.returnee.people import MARKED_TOTAL, kin_floor, kin_positions, read_people
from cascade.returnee.pieces import joined
from cascade.returnee.places import contains, find_places, origin_city
from cascade.returnee.provenance import weak_paths
from cascade.returnee.recheck import disagreements as rechecked
from cascade.returnee.roster import named_rows
from cascade.returnee.second import disagreements
from cascade.returnee.stays import stay_stop
from cascade.returnee.text import CLAUSE_END, NUM, SAID_WRONG, blank, normalize, unspace
from cascade.returnee.unread import mostly_latin
from cascade.returnee.unsure import (
    corrected_count,
    family_total,
    listed_family,
    tidy_address,
)
from cascade.returnee.where import find_address, find_route

# The fields the bot asks about, in the order it asks.
QUESTION_ORDER = ("count", "origin", "via", "arrival", "address", "phone")
# Fields a hedge (好像, 大概, 可能…) can make a guess.
HEDGEABLE = ("count", "origin", "via", "arrival", "address")
# Fields a later correction may replace.
CORRECTABLE = ("count", "origin", "arrival", "address", "phone")
# Besides a value said wrong, one changed (改到) or checked (核实) since: the value after it
# stands for the one before.
_CORRECTION = re.compile(
    rf"{SAID_WRONG}|改到|后来又说"
    r"|核实了一下|核实过了|经核实|核实后"  # round 9: "说有湖北来的，我核实了一下，是个安徽的"
)
_NUMERAL = re.compile(r"[\d零〇一二两三四五六七八九十]")
# Right before a place, words that say people are from it ("不一定是安徽", "可能从河南").
_SAID_FROM = re.compile(r"(?:是|从|来自)\s*$")
JSON_KEYS = ("count", "origin", "via", "arrival", "address", "phone", "questions")

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6}\s?\d{8}\s?\d{3}[\dXx])(?![0-9A-Za-z])", re.ASCII)
_ID_LABELLED = re.compile(
    r"身份证(?:号码|号)?\s*[:：]?\s*(\d{15,17}[\dXx]?)(?![0-9A-Za-z])", re.ASCII
)
_PHONE = re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d){8})(?!\d)", re.ASCII)
# A landline with its area code ("0579-85512345", "0579 85512345", "057985512345"),
# or its bare 7-8 digits right after a phone word ("座机85512345").
_LANDLINE = re.compile(
    r"(?<![\d+])\(?(0(?:10|2\d)|0[3-9]\d{2})\)?[\s-]?([2-8]\d{6,7}|[2-8]\d{2,3}[\s-]\d{4})(?!\d)",
    re.ASCII,
)  # round 8: "0579 8512 3456", the number said in two groups
_LANDLINE_WORD = re.compile(
    r"(?:座机|固话|电话|联系电话|联系方式|号码|tel|Tel|TEL|☎"
    # round 17: an office's desk said as the phone ("前台85228888", "厂办85769021")
    r"|前台|厂办|村委会|村委|居委会|办公室|值班室)\s*(?:号码|号)?\s*[:：]?\s*"
    r"([2-8]\d{6,7})(?!\d)"
)
_PHONE_WORD = re.compile(r"电话|手机|联系方式|号码|tel|Tel|TEL|☎")
# A mobile read out by voice input in Chinese digits: "电话一三八五七九零一二三四".
_VOICED_PHONE = re.compile(
    r"(?:电话|手机|号码|联系方式)\s*(?:啊|呀|嘛)?\s*(?:号码|号)?\s*(?:是|为)?\s*[:：]?\s*"
    # round 28: whose it is said first ("电话是他儿子的一三八…", "电话是我的幺八六…")
    r"(?:(?:我|他|她)(?:儿子|女儿|老公|老婆|爸爸|妈妈|爸|妈)?的\s*)?"
    # round 14: also in 大写 digits, as forms write them ("电话壹叁捌陆柒玖叁贰肆伍陆");
    # round 17: after a filler (电话啊…) or in groups read apart ("一八九 三四 九零 二一 六五")
    r"([幺一壹][三四五六七八九叁肆伍陆柒捌玖](?:[ ]?[零〇幺一二三四五六七八九壹贰叁肆伍陆柒捌玖]){9})"
    r"(?![零〇幺一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟])"
)
_VOICED_DIGITS = str.maketrans(
    "零〇幺一二三四五六七八九壹贰叁肆伍陆柒捌玖", "001123456789123456789"
)
_LONG_DIGITS = re.compile(r"\d[\d\s-]{7,}\d", re.ASCII)
_ISO_DATE = re.compile(
    r"(?<![\d-])(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?(?![\d-])", re.ASCII
)


# Round 18: voice input's fillers inside a place said ("湖南 那个 湘西 嗯 吉首") are no part
# of it; no place name holds these characters.
_FILLERS = re.compile(r"[嗯呃唔]")


class ReturneeReport(BaseModel):
    """What the bot understood from one report; `questions` lists what it still must ask."""

    count: int | None = None
    origin: str | None = None
    via: list[str] = Field(default_factory=list)
    arrival: date | datetime | None = None
    # The part of day said with an arrival day and no clock time ("今晚到": "evening"),
    # shown beside the day; the day alone is the value (what is scored and counted from).
    arrival_part: str | None = None
    address: str | None = None
    phone: str | None = None
    names: list[str] = Field(default_factory=list)
    id_numbers: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)


# A field's companions: set, taken or emptied only with it (the part of day goes with its day).
_COMPANIONS: dict[str, tuple[str, ...]] = {"arrival": ("arrival_part",)}


def with_companions(name: str) -> tuple[str, ...]:
    """`name` and the fields that go with it: ("arrival", "arrival_part")."""
    return (name, *_COMPANIONS.get(name, ()))


def taken(source: ReturneeReport | None, names: Iterable[str]) -> dict[str, object]:
    """The values of `names` and their companions in `source`; all empty when it is None."""
    return {
        field: getattr(source, field) if source is not None else _empty(field)
        for name in names
        for field in with_companions(name)
    }


def emptied(names: Iterable[str]) -> dict[str, object]:
    """`names` and their companions emptied: an empty list or None."""
    return taken(None, names)


def _empty(field: str) -> object:
    return ReturneeReport.model_fields[field].get_default(call_default_factory=True)


def parse_report(text: str, now: datetime) -> ReturneeReport:
    """Read `text` (with or without the leading /returnee) against `now` (Asia/Shanghai).

    A correction ("明天到，不对，是后天", "13867891234 打错了是13867891243") keeps
    the value said in the clause right after it, for a field also said before
    it; without that, both values stand and the field is asked. Last, a value the
    whole message does not pin down (`insufficient`, round 12) is asked.
    """
    work, report = read_unweighed(text, now)
    read = _values(report)
    # round 19: a value read by a weak path is asked, emptied or kept to be confirmed
    # round 21: and a value a second, independent reading disagrees with
    weak = weak_paths(work, read) + disagreements(work, read)
    # round 23: and the second readings written from tuned25 and tuned26
    weak += rechecked(work, read, now)
    # round 24: and the checks keyed to the conventions tuned27's and tuned29's headers state
    weak += by_convention(work, read, now)
    # round 25: and a value the message's clauses, each read alone, cannot account for
    weak += by_clauses(work, read, lambda piece: _values(read_unweighed(piece, now)[1]))
    # round 28: and what the message says of the journey against the stop and day read
    weak += by_journey(work, read, now)
    # round 28: and a supplement's household pointed at by the origin reported before
    weak += by_earlier(work, read.origin)
    report = _asked(report, {path.field for path in weak if not path.keep})
    confirm = to_confirm(work, _values(report)) | {path.field for path in weak if path.keep}
    return _kept_and_asked(report, confirm)


def read_unweighed(text: str, now: datetime) -> tuple[str, ReturneeReport]:
    """The message as the readers see it, and what they read from it before the paths
    they read it by are weighed (`provenance.weak_paths`, which the benchmark
    benchmarks/returnee_paths.py measures on the values as read here)."""
    work = working_text(text)
    report = _corrected(work, now)
    if any(origin_city(report.origin, stop) for stop in report.via):  # round 18: 从运城到杭州
        report = report.model_copy(
            update={"via": [stop for stop in report.via if not origin_city(report.origin, stop)]}
        )
    if report.origin is not None and _FILLERS.search(report.origin):  # round 18: 湘西 嗯 吉首
        report = report.model_copy(update={"origin": _FILLERS.sub("", report.origin)})
    return work, _asked(report, insufficient(work, now, _values(report)))


def working_text(text: str) -> str:
    """`text` as the readers see it: normalised, unspaced, arrows and denials undone
    ("人数3→4": 4) and place words joined ("浙江省内衢州")."""
    return join_place_words(undo_arrows(undo_denied(unspace(normalize(text)))))


def _corrected(work: str, now: datetime) -> ReturneeReport:
    """`work` read, with a value said after a correction mark standing for the one before."""
    report = _read(work, now)
    marks = list(_CORRECTION.finditer(work))
    if not marks:
        return report
    before = _read(work[: marks[-1].start()], now)
    clause = _first_clause(work[marks[-1].end() :])
    after = _read(clause, now)
    said_before = [name for name in CORRECTABLE if getattr(before, name) is not None]
    if before.arrival is None and arrival_days(work[: marks[-1].start()], now):
        said_before.append("arrival")  # "今天不回来了，改到下周三": a day was said, then changed
    # a doubt said later in the message ("…其实是湖北的，我觉得不对劲") reaches the correction
    rest = _read(work[marks[-1].end() :], now)
    corrected = [name for name in said_before if getattr(after, name) is not None]
    if any(getattr(after, name) is not None for name in CORRECTABLE):
        update = taken(after, corrected)
        questions = set(report.questions) - set(corrected)
        questions |= {name for name in corrected if name in after.questions}
        doubted = {name for name in corrected if getattr(rest, name) is None}
        # "不对不对是湖南宜章我听错了": a place said in the correction but not read stands
        # against the place before it, so the origin is asked, not kept
        if "origin" in said_before and after.origin is None and find_places(clause):
            doubted.add("origin")
        update |= emptied(doubted)
        questions |= doubted
    elif _NUMERAL.search(clause):  # "住5幢，不对，是6幢301": a number not read could fix anything
        update = emptied(said_before)
        questions = set(report.questions) | set(said_before)
    else:  # "后来又说等通知": no new value
        return report
    return report.model_copy(
        update=update | {"questions": [key for key in QUESTION_ORDER if key in questions]}
    )


def _first_clause(text: str) -> str:
    """ "，是后天，一个人" -> "是后天": what a correction says is said first."""
    text = text.lstrip(CLAUSE_END + " :：")
    end = next((i for i, ch in enumerate(text) if ch in CLAUSE_END), len(text))
    return text[:end]


def _read(work: str, now: datetime) -> ReturneeReport:
    """The fields of `work`; a field whose value comes from words after a hedge is asked.

    The message is read again with each hedge's reach blanked: a field that
    changes ("好像是前天到的" — the day goes) was said with doubt.
    """
    report = _read_plain(work, now)
    doubtful: set[str] = set()
    for start, end in hedged_spans(work):
        other = _read_plain(blank(work, start, end), now)
        doubtful |= {
            name
            for name in HEDGEABLE
            if getattr(report, name) not in (None, [])
            and getattr(other, name) != getattr(report, name)
            # "大概下午3点到": an hour said roughly is read like 3点左右; a hedged day is not
            and (name != "arrival" or bool(arrival_days(work[start:end], now)))
        }
        # "老家不一定是安徽，她说是江苏那边的": a doubted place other than the one read
        # leaves two candidates, so the origin is asked too
        if report.origin is not None and any(
            not contains(hit.text, report.origin)
            and not contains(report.origin, hit.text)
            and _SAID_FROM.search(work, start, start + hit.start) is not None
            for hit in find_places(work[start:end])
        ):
            doubtful.add("origin")
    if report.arrival is not None and arrival_hedged(work):
        doubtful.add("arrival")  # round 11: "今天下午可能到义", "估计中午到"
    return _asked(report, doubtful)


def _read_plain(work: str, now: datetime) -> ReturneeReport:
    said_in = work
    id_numbers, work = _id_numbers(work)
    phone, phone_unclear, work = _phone(work)
    two_numbers = two_house_numbers(work)  # "大塘下村18号和20号": two households
    work = without_two_house_numbers(work)  # and "20号" is not the 20th
    said = work  # before the address is blanked: its words in front are read there
    address, work = find_address(work)
    people = read_people(work)
    route = find_route(drop_abandoned(work))  # "原计划途经武汉，现在改走合肥": only 合肥
    documents = without_absent_places(without_document_places(work))  # "那户湖北的没回来"
    if documents != work:  # "身份证湖北武汉": an ID card's place is no origin by itself
        route = find_route(drop_abandoned(documents))
    arrival = parse_arrival(work, now)
    count = people.count
    if count is None:  # round 22: "序号 姓名 电话…\n1 王建军 …": one person a row
        count = named_rows(said_in)
    total = MARKED_TOTAL.search(work)
    if count is not None and total is not None and _listed_against(work, total.start(), count):
        count = None  # "夫妻俩和两个孩子，共5人": 4 or 5?
    came = part_that_came(work)
    if came is not None:  # "共5口人，其中3口人在义乌没走": those who came
        count = came
    elif count is not None and count < kin_floor(work):  # "外公外婆" read as one
        count = None
    left_unsaid = never_left(work)  # "一直在义乌，未离开": no returnee to count or place
    if count_unknown(work) or left_unsaid:  # "人数没问"
        count = None
    days = arrival_days(work, now)
    batches = not _CORRECTION.search(work) and in_batches(work, days)
    # "两个今天到，两个明天到", "小秦明天到；小鲍后天到": a count only if a total adds up
    people_at = kin_positions(work) + [work.find(name) for name in people.names]
    if batches and (counted_in_parts(work, days, people_at) or len(people.names) > 1):
        count = batch_total(work)
    fixed = corrected_count(work)  # round 9: "不是3个是4个" is 4, "是2个不是3个" is 2
    listed = listed_family(work)  # round 9: "孩子爸爸、我、两个孩子" is 4
    if fixed is not None:
        count = fixed
    elif listed is not None and count is not None and count < listed:
        count = listed
    elif count is None and people.count is None and not (batches or left_unsaid):
        count = None if count_unknown(work) else family_total(work)  # "两口子带个娃儿，三个人"
    if count is None and not (batches or left_unsaid or count_unknown(work)):
        count = agreed_total(work)  # round 22: "夫妻俩 加 老汉儿 3个": the members make 3
    if count is None and not (batches or left_unsaid or count_unknown(work)):
        count = named_one(said_in)  # round 23: "快递员黄伟今天从江西吉安回来": one named
    along = accompanied_total(work, len(people.names))
    if along is not None and count in (None, along - 1):
        count = along  # round 28: "本人…同行子女2人" is 3
    if count is None and mostly_latin(work):
        count = english_count(work)  # round 28: "Two tenants, …", "1 person", "Alone."
    questions: set[str] = set()
    if batches:
        questions.add("arrival")
    if count is None:
        questions.add("count")
    origin = None if left_unsaid else route.origin  # "一直在义乌，未离开"
    if origin is None:
        questions.add("origin")
    via = route.via
    if not via and not route.via_unclear:
        # round 23: "坐火车到杭州东 又坐动车到义乌": the legs' one stop; "在福州接了他表哥"
        stop = leg_stop(work, origin) or stay_stop(work, origin)
        via = [] if stop is None else [stop]
    if route.via_unclear:
        questions.add("via")
    arrival_value = None if batches else arrival.value
    if arrival_value is None or arrival.ask:
        questions.add("arrival")
    address_text = None if two_numbers else address.text
    address_asked = False
    if address_text is not None:  # round 9: "门牌尚阳村41号", "小区12栋", "二区十五街"
        address_text, address_asked = tidy_address(said, address_text)
        if address_text is not None:  # round 22: "稠江街道 下车门 二区 5号" read whole
            address_text = joined(said, address_text)
    if address_text is None or not address.complete or address_asked:
        questions.add("address")
    if phone is None or phone_unclear:
        questions.add("phone")
    read = ReturneeReport(
        count=count,
        origin=origin,
        via=via,
        arrival=arrival_value,
        arrival_part=None if arrival_value is None or arrival.ask else arrival.part,
        address=address_text,
        phone=phone,
        names=people.names,
        id_numbers=id_numbers,
        questions=[key for key in QUESTION_ORDER if key in questions],
    )
    return _guarded(said_in, work, now, read)


def _guarded(said: str, unread: str, now: datetime, read: ReturneeReport) -> ReturneeReport:
    """`read` with the fields `evidence.to_ask` finds unsafe made questions: the one
    place that decides whether a value read is given or asked."""
    return _asked(read, to_ask(said, unread, now, _values(read), set(read.questions)))


def _values(read: ReturneeReport) -> Values:
    return Values(read.count, read.origin, read.via, read.arrival, read.address, read.phone)


def _kept_and_asked(report: ReturneeReport, fields: set[str]) -> ReturneeReport:
    """`report` with `fields` asked and their values kept for the reporter to confirm
    (round 16, `confirm.to_confirm`)."""
    questions = set(report.questions) | fields
    return report.model_copy(
        update={"questions": [key for key in QUESTION_ORDER if key in questions]}
    )


def _asked(report: ReturneeReport, fields: set[str]) -> ReturneeReport:
    """`report` with `fields` emptied and asked."""
    if not fields:
        return report
    update = emptied(fields)
    questions = set(report.questions) | fields
    return report.model_copy(
        update=update | {"questions": [key for key in QUESTION_ORDER if key in questions]}
    )


_SAID_TOTAL = re.compile(rf"{NUM}\s*(?:个人|人|名|位|口)")


# The reporter's own kin ("我老婆", "我爸妈"): listed with a total one more, the reporter is in it.
_OWN_KIN = re.compile(r"我(?:的)?(?:老婆|老公|妻子|丈夫|爱人|媳妇|爸|妈|父母|儿子|女儿|孩子|小孩)")


def _listed_against(work: str, end: int, count: int) -> bool:
    """Whether the people listed right before a total (its clause and the one before) come to
    another number: "夫妻俩和两个孩子，共5人". A single name ("户主老钱，共3口人") heads
    a household, a number of people said there ("子女2人") is only part of it, and a
    list of names is weighed against its total by the reader."""
    start = end
    for _ in range(2):
        start = max(0, start - 1)
        while start > 0 and work[start - 1] not in CLAUSE_END:
            start -= 1
    before = work[start:end]
    if _SAID_TOTAL.search(before):
        return False
    people = read_people(before)
    if people.names:  # names are counted with their list by the reader itself
        return False
    if people.count is not None and people.count + 1 == count and _OWN_KIN.search(before):
        return False  # round 20: "同车有我老婆和两个小孩，一共四个人": the reporter and them
    return people.count is not None and people.count > 1 and people.count != count


def high_risk(report: ReturneeReport, regions: Iterable[str]) -> bool:
    """Whether the origin or any place on the route lies in one of `regions`.

    Regions are names as an operator writes them: "湖北", "湖北省", "武汉市",
    "温州", "韩国". A city lies in its province (武汉 is in 湖北); a place known
    only by its province is not taken to be inside a city region.
    """
    places = [place for place in [report.origin, *report.via] if place]
    return any(contains(region, place) for region in regions if region.strip() for place in places)


def to_json(report: ReturneeReport) -> dict[str, object]:
    """The fields a reporter confirms, JSON-ready: dates as ISO text, phone as digits."""
    arrival = report.arrival
    if isinstance(arrival, datetime):
        arrival_text: str | None = (
            arrival if arrival.tzinfo else arrival.replace(tzinfo=SHANGHAI)
        ).isoformat()
    elif isinstance(arrival, date):
        arrival_text = arrival.isoformat()
    else:
        arrival_text = None
    return {
        "count": report.count,
        "origin": report.origin,
        "via": list(report.via),
        "arrival": arrival_text,
        "address": report.address,
        "phone": report.phone,
        "questions": list(report.questions),
    }


def _area_code_fits(area: str, number: str) -> bool:
    """Mainland landlines: 010 and 02X take 8-digit numbers; 0XXX take 7 or 8 digits."""
    if len(area) == 3:
        return area[1] in "12" and len(number) == 8
    return len(area) == 4 and area[1] not in "12"


def _id_numbers(text: str) -> tuple[list[str], str]:
    """Resident ID numbers (masked later), blanked so no phone or date is read in them.

    18-character numbers anywhere; after the word 身份证 also the old 15-digit form
    and mistyped lengths (16-17), since a number that is not masked leaks.
    """
    found: list[str] = []
    for pattern in (_ID_NUMBER, _ID_LABELLED):
        for match in pattern.finditer(text):
            number = re.sub(r"\s", "", match.group(1)).upper()
            if number not in found:
                found.append(number)
            text = blank(text, *match.span(1))
    return found, text


def _phone(text: str) -> tuple[str | None, bool, str]:
    """The one phone number, mobile or landline; unclear when two differ or one looks mistyped.

    A mobile is kept as its 11 digits, a landline as "area-number" (0579-85512345)
    or, when said without an area code after a phone word, as its 7-8 digits.
    """
    numbers: list[str] = []
    for match in _VOICED_PHONE.finditer(text):
        start, end = match.span(1)  # one character per digit: offsets stay put
        text = text[:start] + match.group(1).translate(_VOICED_DIGITS) + text[end:]
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if digits not in numbers:
            numbers.append(digits)
        text = blank(text, *match.span())
    for match in _LANDLINE.finditer(text):
        local = re.sub(r"\D", "", match.group(2))
        if _area_code_fits(match.group(1), local):
            number = f"{match.group(1)}-{local}"
            if number not in numbers:
                numbers.append(number)
            text = blank(text, *match.span())
    for match in _LANDLINE_WORD.finditer(text):
        if match.group(1) not in numbers:
            numbers.append(match.group(1))
        text = blank(text, *match.span(1))
    # round 16: a date written with dashes and its time ("2020-02-21 12:30") is no phone
    scan = _ISO_DATE.sub(lambda date: "x" * len(date.group()), text)
    long_runs = [m for m in _LONG_DIGITS.finditer(scan) if sum(c.isdigit() for c in m.group()) >= 9]
    mistyped = bool(long_runs) and bool(_PHONE_WORD.search(text))
    for match in _LONG_DIGITS.finditer(scan):
        if sum(ch.isdigit() for ch in match.group()) >= 9:
            text = blank(text, *match.span())  # a broken phone number is no count or date
    if len(numbers) == 1:
        return numbers[0], mistyped, text
    return None, bool(numbers) or mistyped, text
