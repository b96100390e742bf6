"""Round 28 (parserb): a supplement names its household by the origin reported before.

"补充：刚才报的那户湖南衡阳的不是三个人是四个", "前天到的安徽六安那两户，第一户住…": the
place is how the reporter points at a household already reported, not a new report of
where it came from. The older parts label that place as the origin, tuned30 leaves it to
ask; it is kept and asked, so a place that is not the origin is never given silently.
"""

from __future__ import annotations

import re

from cascade.returnee.provenance import Weak

# The message adds to or corrects a report made before.
_SUPPLEMENT = re.compile(r"补充|再补|补报|追加|(?:刚才|之前|昨天|前面|上面|上午)(?:报|说|登记)的")
# A household pointed at: "那户", "那家", "那两户".
_THAT_HOUSEHOLD = r"那(?:两|几|一)?\s*[户家]"


def disagreements(work: str, origin: str | None) -> list[Weak]:
    """The origin asked (kept) when `work` is a supplement that points at a household by it."""
    if origin is None or not _SUPPLEMENT.search(work):
        return []
    place = re.escape(origin)
    pointed = re.search(
        rf"{_THAT_HOUSEHOLD}\s*(?:是)?\s*{place}|{place}\s*(?:的|来的|回来的)?\s*{_THAT_HOUSEHOLD}",
        work,
    )
    return [] if pointed is None else [Weak("origin", "a household reported before", keep=True)]
