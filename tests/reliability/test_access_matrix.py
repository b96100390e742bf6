"""The access matrix: every command and button against every kind of actor.

The unit is 塔山村 (ts-01, level 2, under HQ, with units below). For each actor
a fresh tower (HQ's count order #1 already sent, and order #2 issued by ts-01's
commander) gets every command in ts-01's group and a "收到" press on the copy of
order #1; each outcome is "ok" (done or answered) or "no" (one polite refusal
line). The expected table is DESIGN.md's rules:

- orders, /cancel and /invite: the unit's commander, a deputy, or an HQ admin;
- "收到" and answers: the unit's commander or a deputy (not an admin);
- queries: members of the unit or of a unit above it (a child's commander sits
  in its parent), HQ admins; /export: their commanders and deputies;
- /returnee: members of the unit; /colour of a unit below: its superiors;
- /bind: HQ admins; /whoami and /help: everyone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.methods import AnswerCallbackQuery

from tests.support.tgfake import DEFAULT_ORDER, TS01_CHAT, TS01_COMMANDER, Harness, make_harness

ACTORS = {
    "admin": 6000000005,  # 王嘉峰: a plain HQ member listed as HQ admin
    "commander": 6000000007,  # 李强
    "deputy": 6000000008,  # 张浩良
    "member": 6000000009,  # 任宁: commander of ts-01-01, so a member of ts-01
    "sibling": 6000000118,  # 张东: commander of ts-02
    "ancestor": 6000000001,  # 王建: HQ's commander
    "outsider": 6999999999,
}
A, C, D, M, S, AN, _OUTSIDER = list(ACTORS)
QUERY = {A, C, D, M, S, AN}  # the sibling's chief sits in HQ, above ts-01
MATRIX: dict[str, set[str]] = {
    "/status": QUERY,
    "/pending": QUERY,
    "/tree": QUERY,
    "/chart 1": QUERY,
    "/stats": QUERY,
    "/map": QUERY,
    "/daily": QUERY,
    "/incidents": QUERY,
    "/export 1": {A, C, D, AN},
    "/whoami": set(ACTORS),
    "/help": set(ACTORS),
    "/returnee 租客老李带5位家人从湖南回来，住溪西村12号": {A, C, D, M},
    "/invite": {A, C, D},
    "/colour ts-01-01 yellow 演练": {A, C, D, AN},
    "/bind ts-01": {A},
    "press 收到": {C, D},
    "/cancel 2": {A, C, D},
    "/order 15m notice 全员到岗": {A, C, D},
}
REFUSAL = "只有"


def _answers(call: object, message_id: int, user: int) -> bool:
    """A reply to the person's message, or something sent to them privately."""
    reply = getattr(call, "reply_parameters", None)
    return (reply is not None and reply.message_id == message_id) or getattr(
        call, "chat_id", None
    ) == user


async def _outcome(h: Harness, command: str, user: int) -> str:
    before = len(h.session.calls)
    if command == "press 收到":
        await h.press(h.copy_in(TS01_CHAT), user, "ack:1")
        await h.drain()
        answers = [c for c in h.session.calls[before:] if isinstance(c, AnswerCallbackQuery)]
        assert len(answers) == 1, answers
        return "no" if REFUSAL in (answers[0].text or "") else "ok"
    sent = await h.send(TS01_CHAT, user, command)
    await h.drain()
    new = [c for c in h.session.calls[before:] if _answers(c, sent.message_id, user)]
    assert new, f"{command} from {user}: no reply at all"
    texts = [getattr(c, "text", None) or getattr(c, "caption", None) or "" for c in new]
    refused = [t for t in texts if REFUSAL in t]
    if refused:
        assert len(new) == 1, (command, user, texts)  # a refusal is one line, nothing else
        return "no"
    return "ok"


@pytest.mark.parametrize("actor", list(ACTORS))
async def test_access_matrix(tmp_path: Path, actor: str) -> None:
    user = ACTORS[actor]
    h = await make_harness(tmp_path, issued=DEFAULT_ORDER)
    try:
        await h.send(TS01_CHAT, TS01_COMMANDER, "/order 1h notice 村内自查")  # order #2
        await h.drain()
        wrong = {}
        for command, allowed in MATRIX.items():
            got = await _outcome(h, command, user)
            want = "ok" if actor in allowed else "no"
            if got != want:
                wrong[command] = f"expected {want}, got {got}"
        assert wrong == {}, f"{actor}: {wrong}"
    finally:
        await h.app.stop()
