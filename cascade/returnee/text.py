"""Text helpers shared by the returnee-report readers: normalising and small numbers.

Reports are typed on phones: full-width digits and commas, "/returnee@bot" in
front, no punctuation at all. Normalising once (NFKC) lets every reader match
plain ASCII digits and commas. Numbers are read by the project's own numeral
reader (cn2an underneath, `cascade.numerals`), imported lazily because cn2an
takes half a second to import and most reports carry only Arabic digits.
"""

from __future__ import annotations

import re
import unicodedata

CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万俩仨廿壹贰叁肆伍陆柒捌玖拾佰仟"
# 大写 numerals (as on forms and receipts: 伍人, 拾贰名) read as the everyday ones.
_FORMAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|[{CN_NUM_CHARS}]+)"  # 1,200 is one number
# The words that count people after a number ("3个人", "两名", "五位"), and with
# a household's mouths too ("3口人", "四口").
PERSON_UNIT = r"(?:个人|个|名|位|人)"
HEAD_UNIT = r"(?:个人|个|名|位|口人|口|人)"
# Words that say a value was said wrong and is put right after them ("不对，是后天",
# "说错了，是6幢"): one list for the readers that weigh a correction (report, unpinned).
# A trailing 了 is part of the mark, so what follows it is the value put right.
SAID_WRONG = r"不对(?!劲)|说错了?|写错了?|打错了?|搞错了?|弄错了?|更正|纠正|改成|改为"
# Characters that end a clause: a fact said in one clause rarely spills into the next.
CLAUSE_END = ",.;!?，。；！？\n、"
# The same without the list's 、, for a look back over the clause a word stands in.
CLAUSE_STOP = ",.;!?，。；！？\n"
# The range of the common Chinese characters, for character classes.
HAN = "\u4e00-\u9fff"
_COMMAND = re.compile(r"^\s*/[A-Za-z_]+(?:@\w+)?\s*")
_SMALL = {"俩": 2, "两": 2, "仨": 3}


def clause_start(text: str, index: int) -> int:
    """Where the clause holding `index` begins: just after the last `CLAUSE_STOP` before it."""
    while index > 0 and text[index - 1] not in CLAUSE_STOP:
        index -= 1
    return index


def normalize(text: str) -> str:
    """NFKC (full-width → ASCII), the leading bot command dropped, tabs as spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _COMMAND.sub("", text, count=1)
    return text.replace("\t", " ").replace("\r", "\n")


# A space typed between two Chinese characters, or between one and a digit: voice
# input and slow typists split words ("江西 上饶 万年", "东 方 明珠 小区 11 幢").
_CJK = r"[\u3400-\u9fff]"
_SPLIT = re.compile(rf"(?<={_CJK}) +(?={_CJK}|\d)|(?<=\d) +(?={_CJK})")
SPACED_SHARE = 0.1
# What tells split typing from a terse note whose spaces part its fields ("一人 湖南长沙
# 后天"): a word cut to one character ("东 方 明珠", "大 陈 一村") or a space before a
# comma ("回来 ，").
_SPLIT_MARK = re.compile(rf"(?:^|(?<= )){_CJK}(?= )| [，。；、：]")


def unspace(text: str) -> str:
    """`text` with its words joined again when it is typed split (a space after most words).

    A message where the spaces inside Chinese text number at least `SPACED_SHARE`
    of its Chinese characters is split throughout, so a space there says nothing
    (the corpora write such an address or place joined); elsewhere a space can
    separate two places ("途经西安 郑州") and is kept.
    """
    gaps = len(_SPLIT.findall(text))
    chars = len(re.findall(_CJK, text))
    if gaps < 3 or gaps < SPACED_SHARE * chars or len(_SPLIT_MARK.findall(text)) < 2:
        return text
    return _SPLIT.sub("", text)


def to_int(raw: str) -> int | None:
    """A whole number written in Arabic or Chinese numerals; None if it cannot be read."""
    raw = raw.strip().translate(_FORMAL)
    if not raw:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        raw = raw.replace(",", "")
    if raw.isascii() and raw.isdigit():
        return int(raw) if len(raw) <= 6 else None
    if raw in _SMALL:
        return _SMALL[raw]
    if raw.startswith("廿"):
        rest = to_int(raw[1:]) if len(raw) > 1 else 0
        return None if rest is None or rest > 9 else 20 + rest
    if "俩" in raw or "仨" in raw or "廿" in raw or not all(ch in CN_NUM_CHARS for ch in raw):
        return None
    if any(ch == "两" and raw[i - 1] not in "万千" for i, ch in enumerate(raw) if i):
        return None  # "四两": cn2an reads 42, a person means nothing of the sort
    from cascade.numerals import parse_count  # lazy: cn2an is slow to import

    try:
        return parse_count(raw)
    except ValueError:
        return None


def spaced(value: str) -> str:
    """A pattern for `value` typed with spaces between its characters, or without."""
    return r"\s*".join(map(re.escape, value))


def as_typed(address: str, *, capture: bool = False) -> str:
    """A pattern for `address` as the message may type it: spaces between its
    characters, its house numbers in Chinese digits (3幢 typed 三幢); with `capture`,
    each house number is a group, to tell how the message wrote it."""
    number = r"[\d零〇一二两三四五六七八九十百]+"
    if capture:
        number = f"({number})"
    parts = re.split(r"(\d+)", address)
    return r"\s*".join(number if part.isdigit() else spaced(part) for part in parts if part)


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces, so offsets stay put."""
    return text[:start] + " " * (end - start) + text[end:]


def clause_after(text: str, end: int, limit: int = 30) -> str:
    """The rest of the clause that starts at `end`."""
    out = []
    for ch in text[end : end + limit]:
        if ch in CLAUSE_END:
            break
        out.append(ch)
    return "".join(out)
