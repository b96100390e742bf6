"""The control API: acting as people and reading what the bot did, under `/control/`.

Why this module exists: end-to-end tests, drills and the demo's web chat page
run in other processes (or at least other code) than the sandbox, and need to
register people and groups, type messages, press buttons, add or remove the
bot, and then read every chat as a person would see it.  These JSON endpoints
are thin wrappers over the same-named `SandboxState` methods (which in-process
tests call directly); request bodies are validated with pydantic so a mistake in
a script gets a clear 400 instead of a half-made world.

Endpoints (JSON in, JSON out; errors are `{"error": "..."}` with 400/404):
  POST /control/bots                  {token, first_name?, username?, can_read_all_group_messages?}
  POST /control/users                 {id, first_name, last_name?, username?, language_code?,
                                       private_chat?}
  POST /control/chats                 {id, title, type, members?, admins?, creator_id?, username?,
                                       bot_status?, parent_id?, level?, unit_code?}
  POST /control/chats/bulk            {chats: [...], users: [...]}
  GET  /control/chats                 every chat (with members, parent_id, level, unit_code)
  GET  /control/users                 every registered person
  POST /control/messages              {chat_id, from_id, text, reply_to_message_id?, bot_id?}
  POST /control/callbacks             {chat_id, message_id, from_id, data, bot_id?}
  GET  /control/chats/{chat_id}/messages[?bot_id=]
  GET  /control/callback_answers/{callback_query_id}
  GET  /control/bot_commands
  POST /control/chat_member           {chat_id, user_id, status, by_id?, chat_type?, title?}
  GET  /control/updates/{bot_id}      updates queued and not yet fetched (debugging)
  GET  /control/events?after=N&timeout=S   change events, long-polled (for a web page)
  GET  /control/sent?after=N&timeout=S&limit=L   messages bots sent after N, long-polled
                                      ({seq, chat_id, message_id, bot_id, data, mentions, at};
                                      drills)
  POST /control/actions               {actions: [{chat_id, from_id, text?, reply_to_message_id?,
                                       data?, message_id?}, ...]} many people at once: with
                                       `data` a button press on `message_id`, else a message;
                                       answers one result or {"error": ...} per action
  POST /control/reset
  POST /control/limits  GET /control/limits  GET|DELETE /control/stats   (sandbox.limits' rules)
  POST /control/faults  GET /control/faults  DELETE /control/faults[/{chat_id}]  (sandbox.faults'
                                       kinds; migrate is SandboxState.migrate_chat)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox.api import STATE_KEY
from sandbox.errors import ControlError
from sandbox.faults import FaultKind
from sandbox.limits import SandboxLimits
from sandbox.state import SandboxState

_dumps = functools.partial(json.dumps, ensure_ascii=False)

M = TypeVar("M", bound=BaseModel)

Status = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BotIn(_Body):
    token: str
    first_name: str | None = None
    username: str | None = None
    can_read_all_group_messages: bool = False


class UserIn(_Body):
    id: int = Field(gt=0)
    first_name: str = Field(min_length=1)
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    private_chat: bool = False


class ChatIn(_Body):
    id: int
    title: str | None = None
    type: Literal["private", "group", "supergroup"] = "group"
    members: list[int] = Field(default_factory=list)
    admins: list[int] = Field(default_factory=list)
    creator_id: int | None = None
    username: str | None = None
    is_forum: bool = False
    bot_status: Status = "member"
    parent_id: int | None = None  # the tower placement, read by the web chat page
    level: int | None = None
    unit_code: str | None = None


class BulkIn(_Body):
    chats: list[ChatIn] = Field(default_factory=list)
    users: list[UserIn] = Field(default_factory=list)


class MessageIn(_Body):
    chat_id: int
    from_id: int
    text: str
    reply_to_message_id: int | None = None
    bot_id: int | None = None


class CallbackIn(_Body):
    chat_id: int
    message_id: int
    from_id: int
    data: str
    bot_id: int | None = None


class ChatMemberIn(_Body):
    chat_id: int
    user_id: int
    status: Status
    by_id: int | None = None
    chat_type: Literal["private", "group", "supergroup"] | None = None
    title: str | None = None


class ActionIn(_Body):
    chat_id: int
    from_id: int
    text: str | None = None
    reply_to_message_id: int | None = None
    data: str | None = None
    message_id: int | None = None


class ActionsIn(_Body):
    actions: list[ActionIn]


Route = Callable[[web.Request, SandboxState], Awaitable[Any]]


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def _endpoint(route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    @functools.wraps(route)
    async def handler(request: web.Request) -> web.Response:
        try:
            return _json(await route(request, request.app[STATE_KEY]))
        except ControlError as error:
            return _json({"error": error.message}, error.status)
        except ValidationError as error:
            return _json({"error": error.errors(include_url=False)}, 400)

    return handler


async def _body(request: web.Request, model: type[M]) -> M:
    try:
        data = await request.json()
    except ValueError:
        raise ControlError("the body must be a JSON object") from None
    return model.model_validate(data)


def _int_param(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        raise ControlError(f"{name} must be an integer") from None


def _optional_int_query(request: web.Request, name: str) -> int | None:
    value = request.query.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ControlError(f"{name} must be an integer") from None


async def post_bot(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, BotIn)
    bot = state.add_bot(
        body.token,
        first_name=body.first_name,
        username=body.username,
        can_read_all_group_messages=body.can_read_all_group_messages,
    )
    return bot.me_api()


async def post_user(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, UserIn)
    return state.add_user(**body.model_dump())


async def post_chat(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, ChatIn)
    return state.add_chat(**body.model_dump())


async def post_bulk(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, BulkIn)
    return state.add_bulk(
        chats=[c.model_dump() for c in body.chats], users=[u.model_dump() for u in body.users]
    )


async def get_chats(request: web.Request, state: SandboxState) -> Any:
    return [
        {
            **state.chat_api(chat),
            "members": {str(k): v for k, v in chat.members.items()},
            "parent_id": chat.parent_id,
            "level": chat.level,
            "unit_code": chat.unit_code,
        }
        for chat in state.chats.values()
    ]


async def get_users(request: web.Request, state: SandboxState) -> Any:
    return [user.api() for user in state.users.values()]


async def post_message(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, MessageIn)
    return state.post_message(
        body.chat_id,
        body.from_id,
        body.text,
        body.reply_to_message_id,
        bot_id=body.bot_id,
    )


async def post_callback(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, CallbackIn)
    query_id = state.press_button(
        body.chat_id, body.message_id, body.from_id, body.data, bot_id=body.bot_id
    )
    return {"callback_query_id": query_id}


async def get_chat_messages(request: web.Request, state: SandboxState) -> Any:
    chat_id = _int_param(request, "chat_id")
    if chat_id not in state.chats:
        raise ControlError(f"chat {chat_id} not found", 404)
    return state.chat_messages(chat_id, bot_id=_optional_int_query(request, "bot_id"))


async def get_callback_answer(request: web.Request, state: SandboxState) -> Any:
    query_id = request.match_info["callback_query_id"]
    answer = state.callback_answer(query_id)
    if answer is None:
        known = query_id in state.callbacks
        raise ControlError("not answered yet" if known else "unknown callback query", 404)
    return answer


async def get_bot_commands(request: web.Request, state: SandboxState) -> Any:
    return state.bot_commands(bot_id=_optional_int_query(request, "bot_id"))


async def post_chat_member(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, ChatMemberIn)
    return state.set_chat_member(
        body.chat_id,
        body.user_id,
        body.status,
        body.by_id,
        chat_type=body.chat_type,
        title=body.title,
    )


async def get_updates(request: web.Request, state: SandboxState) -> Any:
    bot = state.bot_by_id(_int_param(request, "bot_id"))
    if bot is None:
        raise ControlError("unknown bot", 404)
    return list(bot.updates)


async def get_events(request: web.Request, state: SandboxState) -> Any:
    after = _optional_int_query(request, "after") or 0
    try:
        timeout = min(float(request.query.get("timeout", "0")), 60.0)
    except ValueError:
        raise ControlError("timeout must be a number") from None
    try:
        return await state.wait_for(lambda: state.events_after(after), timeout)
    except TimeoutError:
        return []


async def get_sent(request: web.Request, state: SandboxState) -> Any:
    after = _optional_int_query(request, "after") or 0
    limit = _optional_int_query(request, "limit") or 5000
    try:
        timeout = min(float(request.query.get("timeout", "0")), 60.0)
    except ValueError:
        raise ControlError("timeout must be a number") from None
    try:
        return await state.wait_for(lambda: state.sent_after(after, limit), timeout)
    except TimeoutError:
        return []


async def post_actions(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, ActionsIn)
    results: list[Any] = []
    for action in body.actions:
        try:
            if action.data is not None:
                if action.message_id is None:
                    raise ControlError("a button press needs message_id")
                query_id = state.press_button(
                    action.chat_id, action.message_id, action.from_id, action.data
                )
                results.append({"callback_query_id": query_id})
            else:
                results.append(
                    state.post_message(
                        action.chat_id,
                        action.from_id,
                        action.text or "",
                        action.reply_to_message_id,
                    )["message_id"]
                )
        except ControlError as exc:
            results.append({"error": str(exc)})
    return results


async def post_reset(request: web.Request, state: SandboxState) -> Any:
    state.reset()
    return {"ok": True}


# ---------------------------------------------------------------------- faults


class FaultIn(BaseModel):
    """Body of POST /control/faults."""

    model_config = ConfigDict(extra="forbid")

    chat_id: int
    kind: FaultKind
    to_chat_id: int | None = None
    count: int = Field(1, ge=1)
    status: Literal[500, 502] = 502
    seconds: float = Field(1.0, gt=0, le=600)
    bot_id: int | None = None
    by_id: int | None = None


async def post_fault(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, FaultIn)
    return state.faults.inject(
        body.chat_id,
        body.kind,
        to_chat_id=body.to_chat_id,
        count=body.count,
        status=body.status,
        seconds=body.seconds,
        bot_id=body.bot_id,
        by_id=body.by_id,
    )


async def get_faults(request: web.Request, state: SandboxState) -> Any:
    return state.faults.active()


async def delete_chat_faults(request: web.Request, state: SandboxState) -> Any:
    return {"cleared": state.faults.clear(_int_param(request, "chat_id"))}


async def delete_all_faults(request: web.Request, state: SandboxState) -> Any:
    return {"cleared": state.faults.clear()}


# ---------------------------------------------------------------------- limits


class LimitsIn(BaseModel):
    """Body of POST /control/limits; omitted limits take Telegram's values."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    per_second: float = Field(30.0, gt=0)
    chat_per_second: float = Field(1.0, gt=0)
    group_per_minute: int = Field(20, gt=0)
    paid_per_second: float = Field(1000.0, gt=0)
    scale: float = Field(1.0, gt=0)

    def limits(self) -> SandboxLimits | None:
        if not self.enabled:
            return None
        return SandboxLimits(
            per_second=self.per_second,
            chat_per_second=self.chat_per_second,
            group_per_minute=self.group_per_minute,
            paid_per_second=self.paid_per_second,
        ).scaled(self.scale)


async def post_limits(request: web.Request, state: SandboxState) -> Any:
    body = await _body(request, LimitsIn)
    state.set_limits(body.limits())
    return state.limiter.view()


async def get_limits(request: web.Request, state: SandboxState) -> Any:
    return state.limiter.view()


def _json_keys(counts: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in counts.items()}


async def get_stats(request: web.Request, state: SandboxState) -> Any:
    stats = state.limiter.stats()
    stats["accepted"]["by_chat"] = _json_keys(stats["accepted"]["by_chat"])
    stats["too_many_requests"]["by_chat"] = _json_keys(stats["too_many_requests"]["by_chat"])
    faults = state.faults.stats()
    faults["by_chat"] = _json_keys(faults["by_chat"])
    stats["faults"] = faults
    return stats


async def delete_stats(request: web.Request, state: SandboxState) -> Any:
    state.limiter.reset_stats()
    state.faults.reset_stats()
    return {"ok": True}


def setup_control(app: web.Application) -> None:
    routes: list[tuple[str, str, Route]] = [
        ("POST", "/control/bots", post_bot),
        ("POST", "/control/users", post_user),
        ("POST", "/control/chats", post_chat),
        ("POST", "/control/chats/bulk", post_bulk),
        ("GET", "/control/chats", get_chats),
        ("GET", "/control/users", get_users),
        ("POST", "/control/messages", post_message),
        ("POST", "/control/callbacks", post_callback),
        ("GET", "/control/chats/{chat_id}/messages", get_chat_messages),
        ("GET", "/control/callback_answers/{callback_query_id}", get_callback_answer),
        ("GET", "/control/bot_commands", get_bot_commands),
        ("POST", "/control/chat_member", post_chat_member),
        ("GET", "/control/updates/{bot_id}", get_updates),
        ("GET", "/control/events", get_events),
        ("GET", "/control/sent", get_sent),
        ("POST", "/control/actions", post_actions),
        ("POST", "/control/reset", post_reset),
        ("POST", "/control/faults", post_fault),
        ("GET", "/control/faults", get_faults),
        ("DELETE", "/control/faults/{chat_id}", delete_chat_faults),
        ("DELETE", "/control/faults", delete_all_faults),
        ("POST", "/control/limits", post_limits),
        ("GET", "/control/limits", get_limits),
        ("GET", "/control/stats", get_stats),
        ("DELETE", "/control/stats", delete_stats),
    ]
    for method, path, route in routes:
        app.router.add_route(method, path, _endpoint(route))
