"""The garbage collector tuned for a bot process, called once it has started.

Why: the bot's heap is large and mostly permanent (aiogram's and pydantic's
models and schemas, the texts, the dispatcher), and every update allocates
hundreds of short-lived objects. With Python's defaults a young collection ran
every 700 allocations, and each full collection walked the whole permanent heap:
on a 3,600-unit answer storm through the dispatcher, 21 full collections took
~10 s of a 40 s run (a third of the storm) and held `/status` for up to a second
(benchmarks/RESULTS.md, "per update"). So, once started, what exists is moved out
of the collector's sight (`gc.freeze`), and young collections run every
`YOUNG` allocations; cyclic garbage is still collected, a little later, and peak
memory stayed the same in that run.

Called by the processes that serve updates (`towerbot run`, the drill's bot
process, the dispatcher benchmark), not by TowerBot itself: tests start hundreds
of bots in one process and would freeze each one's leftovers for good.
"""

from __future__ import annotations

import gc

# Allocations (net of frees) between young collections: Python's default is 700.
YOUNG = 20_000


def settle() -> None:
    """Collect once, freeze what survives, and space out young collections."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
