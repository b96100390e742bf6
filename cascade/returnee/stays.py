"""Round 23: a stay on the way ("路上在江西九江亲戚家隔离了14天"), its place read as the stop.

Families driving back tell where they slept, were quarantined or picked someone up on
the way ("在福建厦门亲戚家住了两天", "在福州接了他表哥", "昨晚在江西上饶住了一晚"), and every
part's labels write that place as a stop, as typed. The route reader reads stops said with
经/途经/转 and leaves these empty. A careful reader reads the place only when it pins the
stop down: the route reader found none, the message says exactly one such place (在 X,
then a stay, a quarantine or a pick-up in the same clause), and X is neither the origin
nor 义乌 nor a place they live, study or work in (在杭州读书, 在东莞打工 are no stops).
"""

from __future__ import annotations

import re

from cascade.returnee.places import apart, find_places

_AT = re.compile(r"在\s*")
# What they did there, in the same clause: slept, stayed, were quarantined, picked up.
_STAYED = re.compile(
    r"[^，,。；;\n]{0,12}?(?:住了|住一|又住|歇了|过了一夜|过夜|待了|呆了|隔离了?|接了|装了?货)"
)
# Living, studying or working there is where the journey starts, not a stop.
_LIVES = re.compile(r"[^，,。；;\n]{0,6}?(?:读书|读研|上学|打工|工作|上班|过年|老家|家里过)")
# A stay of a month or more is where they lived ("在江西九江待了一个月才过来"): a start.
_MONTHS = re.compile(r"[^，,。；;\n]{0,12}?(?:个月|一月|多月)")
# More places said with it ("在河北石家庄和安徽合肥各住一晚"): the stops are not one.
_MORE_PLACES = re.compile(r"\s*(?:和|、|及|与|跟|还有)")


def _place_at(work: str, start: int) -> tuple[str, int] | None:
    """The place named at `start` (a province and its city typed together are one)."""
    hits = find_places(work[start : start + 12])
    if not hits or hits[0].start != 0:
        return None
    end = hits[0].end
    for hit in hits[1:]:  # "江西九江瑞昌": the province, the city and the county typed together
        if hit.start != end:
            break
        end = hit.end
    return work[start : start + end].replace(" ", ""), start + end


def stay_stop(work: str, origin: str | None) -> str | None:
    """The one place `work` says they stayed, were quarantined or picked someone up in."""
    stops = []
    for at in _AT.finditer(work):
        place = _place_at(work, at.end())
        if place is None:
            continue
        name, end = place
        if _MORE_PLACES.match(work, end):
            return None
        if _STAYED.match(work, end) and not (_LIVES.match(work, end) or _MONTHS.match(work, end)):
            stops.append(name)
    if len(stops) != 1:
        return None
    stop = stops[0]
    if "义乌" in stop or (origin is not None and not apart(origin, stop)):
        return None
    if re.search(rf"从[^，,。；;\n]{{0,4}}{re.escape(stop[-2:])}", work):
        return None  # "从湖北荆州过来…在荆州已经隔离了14天": the start, not a stop
    return stop
