"""Round 23: a route typed as legs ("坐火车到杭州东 又坐动车到义乌"), its one stop read.

Reporters tell a journey leg by leg: a train or a flight to a city, then a bus, a
train or a taxi on from there to 义乌 ("坐火车到金华，又在金华坐公交到义乌", "飞机长春到
杭州 又坐大巴到义乌", "坐高铁到杭州东，杭州东转到义乌"). The route reader takes the stops
said with 经/途经/转 and leaves these empty, and the field is asked although the message
pins the stop down: the city where one leg ends and the next one begins. It is read only
when the route reader found no stop, exactly one leg ends before the leg on to 义乌, and
that city is neither the origin nor 义乌; a station or an airport is written as its city
(杭州东 → 杭州), as every part's labels write it. A leg said from the city again
with no vehicle ("凯里南到长沙南，长沙南到义乌") is read the same way.
"""

from __future__ import annotations

import re

from cascade.returnee.places import PlaceHit, apart, find_places

# After the city: its station or airport ("杭州东", "金华站", "杭州萧山机场").
_STATION = re.compile(r"(?:[东南西北]站?|站|火车站|高铁站)?(?:萧山|浦东|虹桥)?(?:机场)?")
# The next leg, on to 义乌: "又坐动车到义乌", "，再坐大巴来义乌", "又在金华坐公交到义乌",
# "杭州东转到义乌", "打车过来".
_ON_TO_YIWU = re.compile(
    r"\s*[，,]?\s*(?:又|再|然后|之后|后)?\s*(?:在\s*(?P<again>[\u4e00-\u9fff]{2,6}?)\s*)?"
    r"(?:坐|乘|搭|转|换乘|转乘|打车|打的)[^，,。；;\n]{0,6}?"
    r"(?:(?:到|来|回)\s*义乌|过来)"
)
# The next leg said from the same city again, with no vehicle: "长沙南到义乌".
_DIRECT_TO_YIWU = re.compile(r"\s*(?:到|至|—|-|→)\s*义乌")
_LEG_TO = re.compile(r"到\s*")


def _city_at(work: str, start: int) -> tuple[str, int] | None:
    """The city (with its province typed before it) named at `start`, and where it ends."""
    hits: list[PlaceHit] = find_places(work[start : start + 12])
    if not hits or hits[0].start != 0:
        return None
    first = hits[0]
    if first.place.kind == "province" and len(hits) > 1 and hits[1].start == first.end:
        first = hits[1]
        return work[start : start + first.end], start + first.end
    if first.place.kind == "province":
        return None
    return first.text, start + first.end


def _station_end(work: str, end: int) -> int:
    station = _STATION.match(work, end)
    return station.end() if station else end


def leg_stop(work: str, origin: str | None) -> str | None:
    """The one city where a leg said in `work` ends and the leg on to 义乌 begins."""
    stops = []
    for leg in _LEG_TO.finditer(work):
        city = _city_at(work, leg.end())
        if city is None:
            continue
        name, end = city
        after = _station_end(work, end)
        said_again = re.compile(rf"\s*[，,]\s*{re.escape(name[-2:])}").match(work, after)
        onward: re.Match[str] | None = None
        if said_again is not None:  # "到杭州东，杭州东转到义乌", "到长沙南，长沙南到义乌"
            after = _station_end(work, said_again.end())
            onward = _DIRECT_TO_YIWU.match(work, after)
        onward = onward or _ON_TO_YIWU.match(work, after)
        if onward is None:
            continue
        again = onward.groupdict().get("again")
        if again is not None and not again.startswith(name[-2:]):
            continue  # "到金华，又在杭州坐…": not one place
        stops.append(name)
    if len(set(stops)) != 1:
        return None
    stop = stops[0]
    if "义乌" in stop or (origin is not None and not apart(origin, stop)):
        return None
    return stop
