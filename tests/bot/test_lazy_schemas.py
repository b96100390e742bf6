"""aiogram's types built on first use (bot/lazy_schemas.py) read and write exactly
what the eagerly built ones do.

Each side runs in a fresh interpreter, as the choice is made once, when aiogram is
first imported: one imports the bot first (deferred), the other aiogram first
(aiogram's own eager build). Both parse the same updates, build the same calls and
read the same results; their dumps must be identical.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Runs in the child: `FIRST` is the import that decides how aiogram's types are built.
PROGRAM = r"""
import json, sys
exec(sys.argv[1])
from aiogram.methods import EditMessageText, SendMessage, SetMessageReaction
from aiogram.types import (
    ChatFullInfo, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReactionTypeEmoji,
    ReplyParameters, Update,
)
from aiogram.client.session.aiohttp import AiohttpSession
from pydantic import ValidationError

never_used_built = ChatFullInfo.__pydantic_complete__
copy = {
    "message_id": 5, "date": 1700000000, "chat": {"id": -1002000000001, "type": "supergroup",
    "title": "义乌市"}, "from": {"id": 7000000099, "is_bot": True, "first_name": "towerbot"},
    "text": "📢 统计外地返回人数 (收到)", "entities": [{"type": "bold", "offset": 0, "length": 2}],
    "reply_markup": {"inline_keyboard": [[{"text": "收到", "callback_data": "ack:1"}]]},
}
updates = [
    {"update_id": 1, "callback_query": {"id": "q1", "from": {"id": 9, "is_bot": False,
     "first_name": "张"}, "chat_instance": "c", "data": "ack:1", "message": copy}},
    {"update_id": 2, "message": {"message_id": 6, "date": 1700000001, "chat": copy["chat"],
     "from": {"id": 9, "is_bot": False, "first_name": "张", "language_code": "zh-hans"},
     "text": "12", "reply_to_message": copy}},
    {"update_id": 3, "my_chat_member": {"chat": copy["chat"], "from": {"id": 9, "is_bot": False,
     "first_name": "张"}, "date": 1700000002,
     "old_chat_member": {"status": "left", "user": copy["from"]},
     "new_chat_member": {"status": "member", "user": copy["from"]}}},
    {"update_id": 4, "message": {"message_id": 7, "date": 1700000003, "chat": {"id": 9,
     "type": "private", "first_name": "张"}, "from": {"id": 9, "is_bot": False,
     "first_name": "张"}, "text": "/start", "entities": [{"type": "bot_command", "offset": 0,
     "length": 6}]}},
]
out = [Update.model_validate(u).model_dump(mode="json", exclude_none=True) for u in updates]
try:  # an administrator without its required rights is refused the same way
    Update.model_validate({"update_id": 5, "my_chat_member": {**updates[2]["my_chat_member"],
                           "new_chat_member": {"status": "administrator", "user": copy["from"]}}})
except ValidationError as refused:
    out.append([[e["type"], list(e["loc"])] for e in refused.errors()])
markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="收到", callback_data="ack:1")]])
calls = [
    SendMessage(chat_id=-1002000000001, text="<b>义乌</b>", parse_mode="HTML", reply_markup=markup,
                reply_parameters=ReplyParameters(message_id=5)),
    EditMessageText(chat_id=-1002000000001, message_id=5, text="📊", reply_markup=markup),
    SetMessageReaction(chat_id=-1002000000001, message_id=6,
                       reaction=[ReactionTypeEmoji(emoji="👍")]),
]
out += [c.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for c in calls]

# The result parsed as aiogram's own session parses a server's answer (no request is made).
answer = json.dumps({"ok": True, "result": copy})
result = AiohttpSession().check_response(None, calls[0], 200, answer).result
out.append(result.model_dump(mode="json", exclude_none=True))
print(json.dumps({"never_used_built": never_used_built, "out": out}, ensure_ascii=False))
"""


def _child(program: str, *args: str, timeout: float = 120) -> dict[str, Any]:
    """What `program` prints (JSON), run in a fresh interpreter on this checkout."""
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_types_built_on_first_use_read_and_write_what_eager_ones_do() -> None:
    deferred = _child(PROGRAM, "import bot")
    eager = _child(PROGRAM, "import aiogram")
    assert deferred["out"] == eager["out"]
    # The bot's way left a type it never used unbuilt; aiogram's own built it at import.
    assert deferred["never_used_built"] is False
    assert eager["never_used_built"] is True


# Runs in the child: builds every type and method model aiogram has, as first use would.
EVERY_MODEL = r"""
import inspect, json
import bot  # the deferred way
import aiogram.methods, aiogram.types
from pydantic import BaseModel

failed, built = [], 0
for module in (aiogram.types, aiogram.methods):
    for name, cls in sorted(vars(module).items()):
        if inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__.startswith("aiogram."):
            try:
                cls.model_rebuild(raise_errors=True)  # what pydantic does on first use
                if not cls.__pydantic_complete__:
                    raise RuntimeError("not complete")
                built += 1
            except Exception as exc:
                failed.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
print(json.dumps({"built": built, "failed": failed}))
"""


def test_every_type_and_method_deferred_can_still_be_built() -> None:
    """A type the bot meets only rarely (a reaction update, a boost, a paid media
    message) must build when it first comes, not fail then: every model of
    aiogram.types and aiogram.methods is built in a process that deferred them."""
    result = _child(EVERY_MODEL, timeout=300)
    assert result["failed"] == []
    assert result["built"] > 550  # 591 types and methods in aiogram 3.31
