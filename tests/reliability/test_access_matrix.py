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
- /bind: HQ admins; /whoami and /help: everyone;
- /report: like "收到" (the unit's commander or a deputy);
- /member (list, or a change up to its confirmation): commanders or deputies of
  the unit or a unit above it, HQ admins;
- /card: the person, people of the same unit, commanders up the chain, HQ admins.

/score and /rank need landlords, so a second table runs them (and /card) on
changchun, in a landlord's group (cc-01-01-01, level 4): /score by commanders at
level 2 or above in the landlord's chain and HQ admins, never by the landlord;
/rank by members of the unit or a unit above it; a card shown in a group never
carries the whole phone number.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.methods import AnswerCallbackQuery

from tests.support.tgfake import DEFAULT_ORDER, TS01_CHAT, TS01_COMMANDER, Harness, make_harness

CC_ACTORS = {
    "admin": 6000020002,  # 傅艳: HQ deputy, listed as HQ admin
    "landlord": 6000020013,  # 田晓强: commander of cc-01-01-01
    "tenant": 6000020014,  # 刘美凤: a member of cc-01-01-01
    "sibling": 6000020017,  # 俞慧燕: the landlord of cc-01-01-02
    "level3": 6000020011,  # 戴荣林: commander of cc-01-01
    "level2": 6000020007,  # 何建军: commander of cc-01
    "level1": 6000020003,  # the community's commander
    "top": 6000020001,  # 王家杰: HQ's commander
    "other_team": 6000020053,  # 徐光松: commander of cc-02, another level-2 chain
    "outsider": 6999999999,
}
HOUSE_CHAT = -1002000020005
TENANT_PHONE = "13900020014"
CC_QUERY = set(CC_ACTORS) - {"outsider"}  # the other team's chief sits in the community
CC_MATRIX: dict[str, set[str]] = {
    "/score 田晓强 +1 调解租客纠纷": {"admin", "level2", "level1", "top"},
    "/rank": CC_QUERY,
    "/card 刘美凤": {"admin", "landlord", "tenant", "level3", "level2", "level1", "top"},
}

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
    "/report 1 12": {C, D},
    "/member list": {A, C, D, AN},
    "/member add 张三": {A, C, D, AN},  # "ok" is the preview; nobody confirms it
    # M and S by the rule that a child's commander is a member of the parent: 任宁 sits
    # in ts-01, 张东 in HQ, as 李强 does in both.
    "/card 李强": {A, C, D, M, S, AN},
}
REFUSAL = ("只有", "只能查看", "不能给自己")


def refuses(text: str) -> bool:
    return any(marker in text for marker in REFUSAL)


def _answers(call: object, message_id: int, user: int) -> bool:
    """A reply to the person's message, or something sent to them privately."""
    reply = getattr(call, "reply_parameters", None)
    return (reply is not None and reply.message_id == message_id) or getattr(
        call, "chat_id", None
    ) == user


async def _outcome(h: Harness, command: str, user: int, chat: int = TS01_CHAT) -> str:
    before = len(h.session.calls)
    if command == "press 收到":
        await h.press(h.copy_in(TS01_CHAT), user, "ack:1")
        await h.drain()
        answers = [c for c in h.session.calls[before:] if isinstance(c, AnswerCallbackQuery)]
        assert len(answers) == 1, answers
        return "no" if refuses(answers[0].text or "") else "ok"
    sent = await h.send(chat, user, command)
    await h.drain()
    new = [c for c in h.session.calls[before:] if _answers(c, sent.message_id, user)]
    assert new, f"{command} from {user}: no reply at all"
    texts = [getattr(c, "text", None) or getattr(c, "caption", None) or "" for c in new]
    in_group = [t for c, t in zip(new, texts, strict=True) if getattr(c, "chat_id", None) == chat]
    assert not any(TENANT_PHONE in t for t in in_group), (command, user)  # masked in groups
    refused = [t for t in texts if refuses(t)]
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


@pytest.mark.parametrize("actor", list(CC_ACTORS))
async def test_access_matrix_in_a_landlords_group(tmp_path: Path, actor: str) -> None:
    user = CC_ACTORS[actor]
    h = await make_harness(tmp_path, tower="changchun", admins=frozenset({CC_ACTORS["admin"]}))
    try:
        wrong = {}
        for command, allowed in CC_MATRIX.items():
            got = await _outcome(h, command, user, HOUSE_CHAT)
            want = "ok" if actor in allowed else "no"
            if got != want:
                wrong[command] = f"expected {want}, got {got}"
        assert wrong == {}, f"{actor}: {wrong}"
    finally:
        await h.app.stop()
