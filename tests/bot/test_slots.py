"""The runner's handling slots (bot/slots.py): first come first served, and their
number lowered while the server has a backlog, raised again once it has not.

No timings: each step is driven by events the handlers wait on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.slots import Slots


async def _until(done: Callable[[], bool]) -> None:
    """Let the other tasks run until `done()` (a few loop turns at most)."""
    for _ in range(100):
        if done():
            return
        await asyncio.sleep(0)
    raise AssertionError("never came")


async def test_slots_are_handed_in_the_order_asked_and_never_beyond_their_number() -> None:
    slots, started, release = Slots(2), [], asyncio.Event()

    async def work(name: str) -> None:
        async with slots.hold():
            started.append(name)
            await release.wait()

    tasks = [asyncio.create_task(work(n)) for n in "abcd"]
    await _until(lambda: len(started) == 2)
    await asyncio.sleep(0)
    assert started == ["a", "b"] and slots.in_use == 2
    release.set()
    await asyncio.gather(*tasks)
    assert started == ["a", "b", "c", "d"] and slots.in_use == 0


async def test_fewer_slots_take_none_back_and_more_hand_on_at_once() -> None:
    slots, started = Slots(3), []
    gates = {n: asyncio.Event() for n in "abcdef"}

    async def work(name: str) -> None:
        async with slots.hold():
            started.append(name)
            await gates[name].wait()

    tasks = [asyncio.create_task(work(n)) for n in "abcdef"]
    await _until(lambda: len(started) == 3)
    slots.resize(1)  # the three in use go on
    gates["a"].set()
    gates["b"].set()
    await _until(lambda: slots.in_use == 1)
    assert started == ["a", "b", "c"]  # two freed, none handed on: one is in use
    gates["c"].set()
    await _until(lambda: len(started) == 4)
    assert started[3] == "d" and slots.in_use == 1
    slots.resize(0)  # never below one: the storm's answers still go on
    assert slots.capacity == 1
    slots.resize(3)
    assert slots.in_use == 3  # two handed on at once
    await _until(lambda: len(started) == 6)
    assert started == ["a", "b", "c", "d", "e", "f"]
    for gate in gates.values():
        gate.set()
    await asyncio.gather(*tasks)


async def test_a_waiter_cancelled_gives_up_its_place_or_its_slot() -> None:
    slots = Slots(1)
    holding = slots.hold()
    await holding.__aenter__()
    waiting = asyncio.create_task(slots.hold().__aenter__())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    handed = asyncio.create_task(slots.hold().__aenter__())
    await asyncio.sleep(0)
    await holding.__aexit__(None, None, None)  # handed to the waiter, then cancelled
    handed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await handed
    assert slots.in_use == 0
    async with slots.hold():
        assert slots.in_use == 1
