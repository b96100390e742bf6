"""The access matrix: every command and button against every kind of actor.

The unit is 塔山村 (ts-01, level 2, under HQ, with units below). For each actor
a fresh tower (HQ's count order #1 already sent, and order #2 issued by ts-01's
commander) gets every command in ts-01's group; each outcome is "ok" (done or
answered) or "no" (one polite refusal line). A refused command stores nothing
but its refusal line (every table and form as before); an allowed one stores
its effect (`WRITES`), or only its answer where it reads. Every button is
pressed in a tower of its own, brought to where the button shows
(tests/support/buttons.py):
"ok" must change what is stored (or close its dialog), "no" is one short
answer to the press with the database and the open forms exactly as before,
and the button then still works for its owner. The expected table is
DESIGN.md's rules and docs/commands.md's where DESIGN.md says nothing:

- orders, /cancel and /invite: the unit's commander, a deputy, or an HQ admin;
- "收到" and answers: the unit's commander or a deputy (not an admin);
- queries: members of the unit or of a unit above it (a child's commander sits
  in its parent), HQ admins; /export: their commanders and deputies;
- /returnee: members of the unit; /colour of a unit below: its superiors;
- /bind: HQ admins; /whoami and /help: everyone;
- /report: like "收到" (the unit's commander or a deputy);
- /member (list, or a change up to its confirmation): commanders or deputies of
  the unit or a unit above it, HQ admins;
- /card: the person, people of the same unit, commanders up the chain, HQ admins;
- the /order form's buttons: the person who opened it; /member's 确认/取消: the
  person who asked for the change; a returnee draft's 确认上报/取消: the reporter,
  the unit's commander or a deputy, HQ admins; the /returnee form's 跳过: the
  reporter; disposition and 落实: the commander or a deputy of the unit above
  the reporting unit, HQ admins, and in a higher unit's group (HQ's) its
  commander or deputy and HQ admins once the incident climbed there, nobody
  before; moving a live unit's group (确认/取消): the
  unit's commander or an HQ admin.

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
from aiogram.types import Message

from tests.support import buttons
from tests.support.buttons import Button, state_of
from tests.support.pgserver import Engine
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
    "/order": {A, C, D},  # the guided form opens
    "/cancel 2": {A, C, D},
    "/order 15m notice 全员到岗": {A, C, D},
    "/report 1 12": {C, D},
    "/member list": {A, C, D, AN},
    "/member add 张三": {A, C, D, AN},  # "ok" is the preview; nobody confirms it
    # M and S by the rule that a child's commander is a member of the parent: 任宁 sits
    # in ts-01, 张东 in HQ, as 李强 does in both.
    "/card 李强": {A, C, D, M, S, AN},
}
# What an allowed command stores beyond its answer: a write must change these tables.
# Every other row reads, or answers without a change (/report of a unit whose number
# its units below sum up, /bind of a group to its own unit, /member's preview before
# its 确认): allowed, it stores its answer in the outbox and nothing else.
WRITES: dict[str, set[str]] = {
    "/returnee 租客老李带5位家人从湖南回来，住溪西村12号": {"incidents"},
    "/invite": {"invites"},
    "/colour ts-01-01 yellow 演练": {"unit_colours", "colour_log"},
    "/order": {"form_states"},
    "/cancel 2": {"orders"},
    "/order 15m notice 全员到岗": {"orders", "order_units"},
    "/score 田晓强 +1 调解租客纠纷": {"score_log"},
}
ANSWER_TABLES = {"outbox", "message_refs"}  # an answer, and the record of what it was
# Every button, set up in a fresh tower as people meet it (tests/support/buttons.py),
# pressed by each actor; after a refusal its owner presses it and it still works.
BUTTONS: dict[str, tuple[Button, set[str]]] = {
    "收到": (Button(buttons.ack, C), {C, D}),
    # The guided /order form is its opener's alone, at every step.
    "form kind": (Button(buttons.form_kind, C), {C}),
    "form duration": (Button(buttons.form_duration, C), {C}),
    "form 下达": (Button(buttons.form_confirm, C), {C}),
    "form 取消": (Button(buttons.form_cancel, C), {C}),
    # A returnee draft (reported by 任宁 in 塔山村): the reporter, or whoever
    # answers for the unit.
    "draft 确认": (Button(buttons.draft_confirm, M), {M, C, D, A}),
    "draft 取消": (Button(buttons.draft_discard, M), {M, C, D, A}),
    "returnee form 跳过": (Button(buttons.returnee_skip, M), {M}),
    # An incident of ts-01-01, alerted in 塔山村's group: its commander or deputy, an admin.
    "disposition": (Button(buttons.disposition, C), {A, C, D}),
    # HQ's commander in his own group: once the incident climbed there (20 minutes
    # without a decision) HQ decides too; before, the press is not HQ's to make.
    "disposition in HQ, escalated": (Button(buttons.escalated_disposition, AN), {A, AN}),
    "disposition in HQ, not escalated": (Button(buttons.early_disposition_in_hq, None), set()),
    "落实": (Button(buttons.carried_out, C), {A, C, D}),
    # A /member change: the one who asked for it.
    "/member 确认": (Button(buttons.member_confirm, C), {C}),
    "/member 取消": (Button(buttons.member_cancel, C, changes_state=False), {C}),
    # Moving 塔山村 (its group live) to a new group: its commander or an HQ admin.
    "move 确认": (Button(buttons.move_confirm, C), {A, C}),
    "move 取消": (Button(buttons.move_cancel, C, changes_state=False), {A, C}),
}
REFUSAL = ("只有", "只能查看", "不能给自己", "不是您发起的", "不归本群")


def refuses(text: str) -> bool:
    return any(marker in text for marker in REFUSAL)


def _answers(call: object, message_id: int, user: int) -> bool:
    """A reply to the person's message, or something sent to them privately."""
    reply = getattr(call, "reply_parameters", None)
    return (reply is not None and reply.message_id == message_id) or getattr(
        call, "chat_id", None
    ) == user


async def _outcome(h: Harness, command: str, user: int, chat: int = TS01_CHAT) -> str:
    """ "ok" (done or answered, and stored) or "no" (one refusal line, nothing stored)."""
    before, calls = await state_of(h), len(h.session.calls)
    sent = await h.send(chat, user, command)
    await h.drain()
    after = await state_of(h)
    new = [c for c in h.session.calls[calls:] if _answers(c, sent.message_id, user)]
    assert new, f"{command} from {user}: no reply at all"
    texts = [getattr(c, "text", None) or getattr(c, "caption", None) or "" for c in new]
    in_group = [t for c, t in zip(new, texts, strict=True) if getattr(c, "chat_id", None) == chat]
    assert not any(TENANT_PHONE in t for t in in_group), (command, user)  # masked in groups
    changed = {table for table in after if after[table] != before[table]}
    added = set(after["outbox"]) - set(before["outbox"])
    refused = [t for t in texts if refuses(t)]
    if refused:
        assert len(new) == 1, (command, user, texts)  # a refusal is one line, nothing else
        # ... and stores nothing but that line: every table and form as before.
        assert changed == {"outbox"}, (command, user, changed)
        assert len(added) == 1 and set(before["outbox"]) <= set(after["outbox"]), command
        return "no"
    assert added, (command, user)  # the answer went through the outbox
    if command in WRITES:
        assert WRITES[command] <= changed, (command, user, changed)  # answered, not done
    else:
        assert changed <= ANSWER_TABLES, (command, user, changed)  # a read wrote something
    return "ok"


@pytest.mark.parametrize("actor", list(ACTORS))
async def test_access_matrix(engine: Engine, tmp_path: Path, actor: str) -> None:
    user = ACTORS[actor]
    h = await make_harness(tmp_path, issued=DEFAULT_ORDER, engine=engine)
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


async def _press(h: Harness, on: Message, data: str, user: int, changes_state: bool) -> str:
    """ "ok" (the press took effect) or "no" (one short refusal, nothing changed)."""
    before, calls = await state_of(h), len(h.session.calls)
    await h.press(on, user, data)
    await h.drain()
    new = h.session.calls[calls:]
    answers = [c for c in new if isinstance(c, AnswerCallbackQuery)]
    assert len(answers) == 1, (data, user, new)
    text = answers[0].text or ""
    after = await state_of(h)
    if refuses(text):
        assert len(text) <= 200, text  # Telegram shows at most 200 characters
        assert new == answers, (data, user, new)  # the refusal is the answer, nothing else
        changed = {k for k in after if after[k] != before[k]}
        assert changed == set(), (data, user, text, changed)
        return "no"
    if changes_state:
        assert after != before, (data, user, text)  # answered, but nothing happened
    return "ok"


# Every actor on both engines: who may press is decided in the services and the SQL
# behind them, which differ by engine (about 80 s more on PostgreSQL).
BUTTON_RUNS = [(engine, actor) for engine in ("sqlite", "postgresql") for actor in ACTORS]


@pytest.mark.parametrize(("engine", "actor"), BUTTON_RUNS, indirect=["engine"])
async def test_access_matrix_of_buttons(engine: Engine, tmp_path: Path, actor: str) -> None:
    user = ACTORS[actor]
    wrong = {}
    for index, (name, (button, allowed)) in enumerate(BUTTONS.items()):
        work = tmp_path / str(index)
        work.mkdir()
        h = await make_harness(work, issued=DEFAULT_ORDER, engine=engine)
        try:
            on, data = await button.setup(h)
            got = await _press(h, on, data, user, button.changes_state)
            want = "ok" if actor in allowed else "no"
            if got != want:
                wrong[name] = f"expected {want}, got {got}"
            elif got == "no" and button.owner is not None:
                # The refusal used nothing up: the button's owner presses it and it works.
                again = await _press(h, on, data, ACTORS[button.owner], button.changes_state)
                if again != "ok":
                    wrong[name] = f"refused, and then refused its owner too: {again}"
        finally:
            await h.app.stop()
    assert wrong == {}, f"{actor}: {wrong}"


@pytest.mark.parametrize("actor", list(CC_ACTORS))
async def test_access_matrix_in_a_landlords_group(
    engine: Engine, tmp_path: Path, actor: str
) -> None:
    user = CC_ACTORS[actor]
    h = await make_harness(
        tmp_path, tower="changchun", admins=frozenset({CC_ACTORS["admin"]}), engine=engine
    )
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
