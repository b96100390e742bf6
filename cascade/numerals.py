"""Numbers and durations as officials type them on a phone.

Counts arrive as "5", "1,024", "５", "五", "十二", "两百零三" or "共12人"; a
wrong number is worse than a refusal, so anything ambiguous is rejected.
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


def parse_count(raw: str) -> int:
    """A non-negative whole count; raises ValueError with the reason otherwise."""
    text = raw.strip().translate(_FULLWIDTH).replace(" ", "")
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
        try:
            value = int(cn2an.cn2an(text, "normal"))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"not a number: {raw!r}") from exc
    else:
        raise ValueError(f"not a number: {raw!r}")
    if value > MAX_COUNT:
        raise ValueError(f"number too large: {raw!r}")
    return value


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
