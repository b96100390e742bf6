"""Numbers and durations as officials type them on a phone.

Counts arrive as "5", "1,024", "５", "五", "十二", "两百零三" or "共12人"; a
wrong number is worse than a refusal, so anything ambiguous is rejected. Two
numerals apart ("8 9", "十 二") are two numbers, not one joined: dropping the
space made "/report 1 8 9" a count of 89. A 零 with nothing after it
("一百零") is a number cut short, not 100.

Estimates are the dangerous case: cn2an's "normal" mode joins adjacent digits,
so 两三 (two or three) would become 23 and 七八 (seven or eight) 78. A count is
therefore read only when it is exact; ranges and estimates (两三个, 十几, 二十多,
五六十, 3-5, 3到5, 约5, 大概五个, 好几个, 十来个, 5人左右) raise
`ApproximateCount`, so the caller can ask for the exact number in one line.
"""

from __future__ import annotations

import re
from datetime import timedelta

import cn2an

_FULLWIDTH = str.maketrans("０１２３４５６７８９，", "0123456789,")
_ARABIC = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_CHINESE = re.compile(r"^[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+$")
_PREFIXES = ("共计", "合计", "总共", "一共", "共", "计")
_SUFFIXES = ("人次", "个人", "户", "人", "名", "个", "家", "位", "处", "条", "套", "间")
_DURATION = re.compile(r"^(\d{1,4})\s*(m|min|分钟?|h|小时|d|天)$", re.IGNORECASE)
MAX_COUNT = 10_000_000

# Chinese digits (not 零, not the units): two of them side by side are a range.
_CN_DIGITS = "一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_UNITS = "十百千万亿拾佰仟"
_ADJACENT_DIGITS = re.compile(f"[{_CN_DIGITS}]{{2}}")
# 零 stands only after a unit and before a digit ("两百零三"); "一零二四" spells
# digits, and "一百零" is cut short.
_LOOSE_ZERO = re.compile(
    f"(?<![{_CN_UNITS}])[零〇](?=.)|(?<=.)(?<![{_CN_UNITS}])[零〇]|(?<=.)[零〇]$"
)
# Numerals on both sides of a space are two numbers ("8 9"), unless the space groups
# thousands as a comma does ("1 024").
_NUMERAL = f"[\\d{_CN_DIGITS}零〇{_CN_UNITS}]"
_SPLIT_NUMERALS = re.compile(f"{_NUMERAL}\\s+{_NUMERAL}")
_SPACE_GROUPED = re.compile(r"^\d{1,3}( \d{3})+$")
_APPROX_WORDS = re.compile(
    r"几|多|余|(?<=[十百千万\d])来|左右|上下|出头|大概|大约|约|差不多|估计|将近|接近|"
    r"可能|至少|最多|不到|不足|超过|以上|以下|上百|上千|成百|数十|数百|好些"
)
_ARABIC_RANGE = re.compile(
    r"\d\s*(?:-|~|～|—|–|到|至|或|、|/)\s*(?:\d|[一二两三四五六七八九十])|"
    r"[一二两三四五六七八九十]\s*(?:-|~|～|—|–|到|至|或|、|/)\s*\d"
)
_CN_RANGE = re.compile(
    rf"[{_CN_DIGITS}零〇十百千万]+\s*(?:到|至|或|~|～|-|—|–|/|、)\s*[{_CN_DIGITS}零〇十百千万]+"
)


class ApproximateCount(ValueError):
    """The text gives a range or an estimate (七八, 十几, 3-5, 约5), not one exact count."""


class CountTooLarge(ValueError):
    """A number above `MAX_COUNT` ("两千万"): read, but no count of people is that big,
    so it is refused as a slip, with the limit said (not as "not a number")."""


def parse_count(raw: str) -> int:
    """A non-negative whole count; raises ValueError with the reason otherwise.

    Raises `ApproximateCount` (a ValueError) for a range or an estimate, so the
    caller can ask for the exact number instead of saying "not a number".
    """
    plain = raw.strip()
    if plain.isascii() and plain.isdigit():
        # The usual answer ("7"), read once per answer of a city's storm: plain digits
        # are exact, and none of the rewrites or checks below changes them.
        return _at_most_max(int(plain), raw)
    text = plain.translate(_FULLWIDTH)
    if _SPLIT_NUMERALS.search(text) and not _SPACE_GROUPED.match(text):
        raise ValueError(f"two numbers, not one: {raw!r}")
    text = re.sub(r"\s+", "", text)
    if is_approximate(text):
        raise ApproximateCount(f"an estimate, not an exact count: {raw!r}")
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    if _ARABIC.match(text):
        value = int(text.replace(",", ""))
    elif _CHINESE.match(text):
        if _LOOSE_ZERO.search(text):
            raise ValueError(f"not a number: {raw!r}")
        try:
            value = int(cn2an.cn2an(text, "normal"))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"not a number: {raw!r}") from exc
    else:
        raise ValueError(f"not a number: {raw!r}")
    return _at_most_max(value, raw)


def _at_most_max(value: int, raw: str) -> int:
    if value > MAX_COUNT:
        raise CountTooLarge(f"number too large: {raw!r}")
    return value


def is_approximate(text: str) -> bool:
    """Whether `text` states a range or an estimate rather than one number.

    Exact forms stay exact: "5", "五", "十二", "两百零三", "1,024", "三千五",
    "二十三位"; ranges and estimates do not: "两三个", "七八人", "一两", "十几",
    "二十多", "五六十", "3到5", "3-5", "约5", "大概五个", "好几个", "十来个".
    """
    text = text.translate(_FULLWIDTH).replace(" ", "")
    if _APPROX_WORDS.search(text) or _ARABIC_RANGE.search(text) or _CN_RANGE.search(text):
        return True
    return bool(_ADJACENT_DIGITS.search(text))


def parse_duration(raw: str) -> timedelta:
    """`15m`, `20m`, `1h`, `2d` (Chinese units too) → timedelta between 1 min and 30 days."""
    match = _DURATION.match(raw.strip())
    if not match:
        raise ValueError(f"not a duration: {raw!r}")
    amount = int(match.group(1))
    unit = match.group(2).lower()
    if unit in ("h", "小时"):
        delta = timedelta(hours=amount)
    elif unit in ("d", "天"):
        delta = timedelta(days=amount)
    else:
        delta = timedelta(minutes=amount)
    if not timedelta(minutes=1) <= delta <= timedelta(days=30):
        raise ValueError(f"duration out of range: {raw!r}")
    return delta


def looks_like_duration(token: str) -> bool:
    return bool(_DURATION.match(token.strip()))


def format_duration(delta: timedelta) -> str:
    """Compact form used back in texts: `15m`, `1h`, `1h30m`."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}h{minutes}m"
    return f"{hours}h" if hours else f"{minutes}m"
