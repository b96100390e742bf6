"""towerbot's performance suite: runnable measurements, not tests.

Why this package exists: "the sender keeps to Telegram's limits and still uses
them fully" is a claim about time, which unit tests (moved clocks, tiny worlds)
cannot settle.  Each module here runs one scenario against the local sandbox,
prints its numbers and stops by itself; `benchmarks/RESULTS.md` records the
command and the numbers of each run.
"""
