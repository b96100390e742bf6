"""Parsing command arguments: `/order [DURATION] [KIND] [FILTERS] TEXT`, order numbers, days,
`/colour CODE COLOUR [REASON]`, `/incidents [open|today]`.

Parsing failures become `Refused` with the right key, so the person gets one
line that says what is wrong and the right form.
"""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import BaseModel

from cascade.colours import parse_colour
from cascade.errors import Refused
from cascade.numerals import looks_like_duration, parse_duration
from cascade.orders import DEFAULT_DURATION, OrderKind
from cascade.targeting import FilterWordError, OrderFilter, read_filter_word

_ORDER_ID = re.compile(r"^#?(\d{1,12})$")
# After an order number: digits in groups of three, the first with a leading 0 ("024").
_GROUPED_TAIL = re.compile(r"^0\d{2}( \d{3})*$")
# A time allowed the bot cannot read ("99x", "1.5h", "1h30m", "1小时30分"): refused,
# never taken as the order's text (that made a 15-minute notice of a count order).
_UNIT = r"(?:[A-Za-z]{1,4}|分钟?|小时|天)"
_DURATION_LIKE = re.compile(rf"^\d+(?:[.．]\d+)?{_UNIT}(?:\d+{_UNIT}?)?$")
# The kinds in the words the bot itself shows them (/help's "count 数字", the form's
# buttons): "/order 15m 数字 统计人数" was a notice reading "数字 统计人数".
_KINDS = {
    **{k.value: k for k in OrderKind},
    "通知": OrderKind.NOTICE,
    "数字": OrderKind.COUNT,
    "统计数字": OrderKind.COUNT,
    "清单": OrderKind.LIST,
}
_DAYS = re.compile(r"^(\d{1,6})\s*(?:d|days?|天)?$", re.IGNORECASE)

# `/incidents [all|open|today]`, in the words people type.
_INCIDENTS_WHICH = {
    "": "all",
    "all": "all",
    "全部": "all",
    "open": "open",
    "未结": "open",
    "未处置": "open",
    "today": "today",
    "今天": "today",
    "今日": "today",
}


class OrderArgs(BaseModel):
    duration: timedelta = DEFAULT_DURATION
    kind: OrderKind = OrderKind.NOTICE
    text: str
    filter: OrderFilter = OrderFilter()


def read_filter(raw: str) -> tuple[OrderFilter, str]:
    """Leading filter words (`L3 #shop_row +market @health`) and the text after them."""
    flt = OrderFilter()
    rest = raw.strip()
    while rest:
        token, _, tail = rest.partition(" ")
        if not _filter_word(token, flt):
            break
        rest = tail.strip()
    return flt, rest


def _filter_word(token: str, flt: OrderFilter) -> bool:
    try:
        return read_filter_word(token, flt)
    except FilterWordError as exc:
        raise Refused("order-bad-filter", word=exc.word[:20]) from exc


def parse_order_args(raw: str) -> OrderArgs:
    """Leading duration, kind and filter tokens (any order), then the text."""
    rest = raw.strip()
    flt = OrderFilter()
    duration = DEFAULT_DURATION
    kind = OrderKind.NOTICE
    seen_duration = seen_kind = False
    while rest:
        token, _, tail = rest.partition(" ")
        lowered = token.lower()
        if not seen_kind and lowered in _KINDS:
            kind, seen_kind = _KINDS[lowered], True
        elif not seen_duration and looks_like_duration(token):
            try:
                duration = parse_duration(token)
            except ValueError as exc:
                raise Refused("bad-duration", value=token) from exc
            seen_duration = True
        elif not seen_duration and (
            _DURATION_LIKE.match(token)
            or (token.isdigit() and tail.partition(" ")[0].lower() in _KINDS)  # "15 count"
        ):
            raise Refused("bad-duration", value=token)
        elif not _filter_word(token, flt):
            break
        rest = tail.strip()
    if not rest:
        raise Refused("order-text-missing")
    return OrderArgs(duration=duration, kind=kind, text=rest, filter=flt)


def parse_order_id(token: str) -> int:
    match = _ORDER_ID.match(token.strip())
    if not match:
        raise Refused("bad-order-id", value=token.strip()[:20])
    return int(match.group(1))


def optional_order_id(args: str | None) -> int | None:
    return parse_order_id(args) if args and args.strip() else None


def split_report_args(args: str | None) -> tuple[int | None, str]:
    """`/report 12 5` → (12, "5"); `/report 5` → (None, "5").

    `/report 1 024` is refused: a count never starts with 0, so the digits after the
    order number are more likely the thousands of "1 024" (1024) typed with a space,
    and reading them as order #1's 24 would be a wrong number said without a word."""
    text = (args or "").strip()
    if not text:
        raise Refused("report-usage")
    head, _, tail = text.partition(" ") if " " in text.split("\n")[0] else (text, "", "")
    tail = tail.strip()
    if tail and _ORDER_ID.match(head):
        if head.isdigit() and _GROUPED_TAIL.match(tail):
            digits = tail.replace(" ", "")
            raise Refused(
                "report-split",
                value=text[:30],
                order=head,
                tail=str(int(digits)),
                joined=head + digits,
            )
        return parse_order_id(head), tail
    return None, text


def parse_days(args: str | None, default: int, maximum: int, refusal: str) -> int:
    """`/stats`, `/daily 14`, `/stats 30d`, `/daily 14天` → days within 1..`maximum`.

    No argument means `default`; anything else is refused with the command's own
    `refusal` key (its sentence shows that command's example)."""
    raw = (args or "").strip()
    if not raw:
        return default
    match = _DAYS.match(raw)
    if not match or not 1 <= int(match.group(1)) <= maximum:
        raise Refused(refusal, value=raw[:20], max=maximum)
    return int(match.group(1))


def parse_colour_args(args: str | None) -> tuple[str, str, str | None]:
    """`CODE COLOUR [REASON]` (the colour first is forgiven) → target, colour word, reason."""
    parts = (args or "").split(maxsplit=2)
    if len(parts) < 2:
        raise Refused("colour-usage")
    target, word = parts[0], parts[1]
    if parse_colour(target) is not None and parse_colour(word) is None:
        target, word = word, target
    return target, word, parts[2] if len(parts) > 2 else None


def parse_incidents_which(args: str | None) -> str:
    """`/incidents`, `/incidents open|未结`, `/incidents today|今天` → "all", "open" or "today"."""
    which = _INCIDENTS_WHICH.get((args or "").strip().lower())
    if which is None:
        raise Refused("inclist-usage")
    return which
