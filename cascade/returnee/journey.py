"""Round 28 (parserb): what the message says of the journey against the stop and day read.

tuned28's and tuned30's silent wrong values of the route and the arrival were, beside
misreads fixed where they are read, values the reader took from words that say something
else of the journey. Each check below is keyed to such words, not to one message:

- a stop said passed without stopping ("途经武汉未下车", "经过恩施没停"): the parts label
  it both ways (a stop in the older ones, none in the newer), so it is kept and asked;
- the time they have been back said beside the day read ("今天回来的…回来两天了",
  "回来好几天了"): the two disagree or the duration is vague, so the day is kept and asked;
- whether they came at all said open ("今天到没到他也不知道"): the day is asked.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cascade.returnee.evidence import Values
from cascade.returnee.provenance import Weak
from cascade.returnee.text import NUM, to_int

# --- via -------------------------------------------------------------------------------
# A place passed, then said not stopped at: "途经武汉未下车", "经过恩施没停", "路过合肥未停留".
_PASSED = re.compile(
    r"(?:途经|经过|路过|途中经过)\s*([\u4e00-\u9fff]{2,8}?)\s*[(（]?\s*(?:只是路过)?\s*"
    r"(?:未|没|没有|不)\s*(?:停留|停车|停|下车|下高速|逗留)"
)

# --- arrival ---------------------------------------------------------------------------
# How long they have been back: "回来两天了", "已经回来3天了", "来了好几天了".
_BACK_FOR = re.compile(rf"(?:回来|过来|来|到)了?\s*({NUM}|好几|几)\s*天了")
# Whether they came said open: "到没到", "回没回来", "来没来".
_CAME_OR_NOT = re.compile(r"([到来回])了?没(?:有)?\1")


def disagreements(work: str, values: Values, now: datetime) -> list[Weak]:
    """The fields a round-28 journey check asks in `work` (read at `now`)."""
    found: list[Weak] = []
    if any(_passed(work, stop) for stop in values.via):
        found.append(Weak("via", "a stop passed without stopping", keep=True))
    if values.arrival is not None:
        day = values.arrival.date() if isinstance(values.arrival, datetime) else values.arrival
        if _back_for_otherwise(work, day, now.date()):
            found.append(Weak("arrival", "back for a time the day does not fit", keep=True))
        if _CAME_OR_NOT.search(work):
            found.append(Weak("arrival", "whether they came is open", keep=False))
    return found


def _passed(work: str, stop: str) -> bool:
    return any(stop in said.group(1) or said.group(1) in stop for said in _PASSED.finditer(work))


def _back_for_otherwise(work: str, day: date, today: date) -> bool:
    """Whether a time they have been back is said that does not end today at `day`."""
    for said in _BACK_FOR.finditer(work):
        days = to_int(said.group(1))
        if days is None or today - timedelta(days=days) != day:
            return True
    return False
