"""The Bot API over HTTP: `/bot{token}/{method}` and `/file/bot{token}/{path}`.

Why this module exists: the bot's real aiogram session (and any other Bot API
client) must be able to point at the sandbox instead of api.telegram.org and
see no difference -- same URLs, same parameter encodings, same result objects,
same error codes and descriptions.  This module only speaks the protocol: it
decodes parameters, validates them the way Telegram does (text, entities,
keyboards, files) and calls `SandboxState`, which owns the world.

Every send, edit and delete goes through `SandboxState.before_outgoing` after
its chat is resolved: that is where rate limits and injected failures go.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from sandbox.entities import (
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    EntityParseError,
    detect_entities,
    normalize_entities,
    parse_html,
    strip_text,
    utf16_len,
)
from sandbox.errors import ApiError
from sandbox.markup import is_inline, parse_reply_markup
from sandbox.media import StoredFile, guess_mime_type, image_size
from sandbox.models import PRESENT_STATUSES, BotRecord, ChatRecord, OutgoingRequest
from sandbox.params import Params, Upload, read_params
from sandbox.state import TOKEN_RE, SandboxState

log = logging.getLogger(__name__)


@dataclass
class ServerFlags:
    """Mutable server-wide flags shared with the handlers."""

    closing: bool = False


STATE_KEY = web.AppKey("sandbox_state", SandboxState)
FLAGS_KEY = web.AppKey("sandbox_flags", ServerFlags)

_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Call:
    """One Bot API call being served."""

    state: SandboxState
    bot: BotRecord
    params: Params
    flags: ServerFlags = field(default_factory=ServerFlags)


Handler = Callable[[Call], Awaitable[Any]]
_METHODS: dict[str, Handler] = {}


def bot_method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler; method names are case-insensitive, as on Telegram."""

    def register(handler: Handler) -> Handler:
        _METHODS[name.lower()] = handler
        return handler

    return register


def method_names() -> list[str]:
    return sorted(_METHODS)


def setup_bot_api(app: web.Application) -> None:
    app.router.add_route("*", "/bot{token}/{method}", handle_method)
    app.router.add_route("*", "/bot{token}/", handle_missing_method)
    app.router.add_get("/file/bot{token}/{file_path:.+}", handle_file)


def ok_response(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result}, dumps=_dumps)


def error_response(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.error_code, dumps=_dumps)


async def handle_method(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    token = request.match_info["token"]
    try:
        if not TOKEN_RE.match(token):
            raise ApiError.unauthorized()
        bot = state.bot_by_token(token)
        if bot is None:
            raise ApiError.unauthorized()
        handler = _METHODS.get(request.match_info["method"].lower())
        if handler is None:
            raise ApiError.not_found()
        try:
            params = await read_params(request)
        except web.HTTPRequestEntityTooLarge:
            raise ApiError(413, "Request Entity Too Large") from None
        result = await handler(Call(state, bot, params, request.app[FLAGS_KEY]))
        return ok_response(result)
    except ApiError as error:
        return error_response(error)
    except Exception:
        log.exception("sandbox: %s failed", request.match_info.get("method"))
        return error_response(ApiError(500, "Internal Server Error"))


async def handle_missing_method(request: web.Request) -> web.Response:
    return error_response(ApiError.not_found())


async def handle_file(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    token = request.match_info["token"]
    if not TOKEN_RE.match(token) or state.bot_by_token(token) is None:
        return error_response(ApiError.unauthorized())
    stored = state.files_by_path.get(request.match_info["file_path"])
    if stored is None:
        return error_response(ApiError.not_found())
    return web.Response(
        body=stored.data,
        content_type=stored.mime_type or "application/octet-stream",
    )


# --------------------------------------------------------------------------- helpers


def _require_chat(call: Call, *, for_send: bool) -> ChatRecord:
    chat_ref = call.params.chat_id()
    if chat_ref is None:
        raise ApiError.bad_request("chat_id is empty")
    return call.state.resolve_chat(call.bot, chat_ref, for_send=for_send)


def _require_message_id(call: Call) -> int:
    message_id = call.params.get_int("message_id")
    if message_id is None:
        raise ApiError.bad_request("message identifier is not specified")
    return message_id


def _json_param(call: Call, name: str, what: str) -> Any:
    try:
        return call.params.get_json(name)
    except ValueError:
        raise ApiError.bad_request(f"can't parse {what} JSON object") from None


def _formatted(
    call: Call,
    *,
    text: str | None,
    entities_param: str,
    max_length: int,
    too_long: str,
) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode or explicit entities, trim, detect entities, check length."""
    assert text is not None
    parse_mode = (call.params.get_str("parse_mode") or "").strip().lower()
    resolve = call.state.mention_user
    try:
        if parse_mode and parse_mode != "none":
            if parse_mode != "html":
                if parse_mode in ("markdown", "markdownv2"):
                    raise ApiError.bad_request(
                        "can't parse entities: the sandbox supports parse_mode HTML only"
                    )
                raise ApiError.bad_request("unsupported parse_mode")
            plain, entities = parse_html(text, resolve)
        else:
            raw = _json_param(call, entities_param, "entities")
            plain, entities = text, normalize_entities(raw, text, resolve)
    except EntityParseError as error:
        raise ApiError.bad_request(f"can't parse entities: {error.reason}") from None
    plain, entities = strip_text(plain, entities)
    if utf16_len(plain) > max_length:
        raise ApiError.bad_request(too_long)
    return plain, detect_entities(plain, entities)


def _message_text(call: Call) -> tuple[str, list[dict[str, Any]]]:
    text = call.params.get_text("text")
    if text is None or not text.strip():
        raise ApiError.bad_request("message text is empty")
    plain, entities = _formatted(
        call,
        text=text,
        entities_param="entities",
        max_length=MAX_MESSAGE_LENGTH,
        too_long="message is too long",
    )
    if not plain:
        raise ApiError.bad_request("message text is empty")
    return plain, entities


def _caption(call: Call) -> tuple[str | None, list[dict[str, Any]]]:
    caption = call.params.get_text("caption")
    if caption is None:
        return None, []
    plain, entities = _formatted(
        call,
        text=caption,
        entities_param="caption_entities",
        max_length=MAX_CAPTION_LENGTH,
        too_long="message caption is too long",
    )
    return (plain or None), entities


def _reply_markup(call: Call, *, inline_only: bool = False) -> dict[str, Any] | None:
    markup = parse_reply_markup(call.params.raw("reply_markup"))
    if inline_only and markup is not None and not is_inline(markup):
        raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _reply_target(call: Call) -> tuple[int | None, bool]:
    """(message id to reply to, allow_sending_without_reply)."""
    params = call.params
    allow = params.get_bool("allow_sending_without_reply")
    if params.has("reply_parameters"):
        reply = _json_param(call, "reply_parameters", "reply parameters")
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise ApiError.bad_request("can't parse reply parameters JSON object")
        return reply["message_id"], bool(reply.get("allow_sending_without_reply", allow))
    return params.get_int("reply_to_message_id"), allow


async def _outgoing(
    call: Call, method: str, chat: ChatRecord, message_id: int | None = None
) -> None:
    await call.state.before_outgoing(OutgoingRequest(call.bot, method, chat, message_id))


def _upload(call: Call, name: str, kind: str) -> StoredFile:
    """The file of an InputFile parameter: a fresh upload or a known file_id."""
    value = call.params.input_file(name)
    if value is None:
        raise ApiError.bad_request(f"there is no {name} in the request")
    if isinstance(value, Upload):
        if not value.data:
            raise ApiError.bad_request("file must be non-empty")
        if kind == "photo":
            size = image_size(value.data)
            if size is None:
                raise ApiError.bad_request("IMAGE_PROCESS_FAILED")
            return call.state.store_upload(
                call.bot, "photo", value.data, mime_type="image/jpeg", width=size[0], height=size[1]
            )
        file_name = value.filename or "document"
        return call.state.store_upload(
            call.bot,
            "document",
            value.data,
            file_name=file_name,
            mime_type=guess_mime_type(file_name, value.content_type),
        )
    stored = call.state.files.get(value)
    if stored is not None:
        if stored.kind != kind:
            raise ApiError.bad_request(
                f"can't use file of type {stored.kind.title()} as {kind.title()}"
            )
        return stored
    if value.startswith(("http://", "https://")):
        raise ApiError.bad_request("failed to get HTTP URL content")
    raise ApiError.bad_request("wrong file identifier/HTTP URL specified")


# --------------------------------------------------------------------------- methods


@bot_method("getMe")
async def get_me(call: Call) -> Any:
    return call.bot.me_api()


@bot_method("logOut")
async def log_out(call: Call) -> Any:
    return True


@bot_method("getUpdates")
async def get_updates(call: Call) -> Any:
    params = call.params
    allowed = _allowed_updates(call)
    limit = params.get_int("limit")
    timeout = params.get_int("timeout") or 0
    return await call.state.get_updates(
        call.bot,
        offset=params.get_int("offset"),
        limit=100 if limit is None else limit,
        timeout=max(0, timeout),
        allowed_updates=allowed,
        closing=lambda: call.flags.closing,
    )


_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]*")


def _allowed_updates(call: Call) -> list[str] | None:
    allowed = _json_param(call, "allowed_updates", "allowed updates")
    if allowed is not None and not (
        isinstance(allowed, list) and all(isinstance(a, str) for a in allowed)
    ):
        raise ApiError.bad_request("can't parse allowed updates JSON object")
    return allowed


@bot_method("setWebhook")
async def set_webhook(call: Call) -> Any:
    """Like Telegram's own Bot API server in --local mode: http:// and any port are
    accepted (a webhook on 127.0.0.1), the rest is checked as on api.telegram.org."""
    params = call.params
    url = (params.get_str("url") or "").strip()
    secret = params.get_str("secret_token") or ""
    if url:
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError:
            raise ApiError.bad_request("invalid webhook URL specified") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if len(secret) > 256:
            raise ApiError.bad_request("secret token is too long")
        if not _SECRET_TOKEN_RE.fullmatch(secret):
            raise ApiError.bad_request("secret token contains unallowed characters")
    allowed = _allowed_updates(call)
    max_connections = params.get_int("max_connections")
    call.state.set_webhook(
        call.bot,
        url,
        secret_token=secret,
        max_connections=min(100, max(1, 40 if max_connections is None else max_connections)),
        allowed_updates=allowed,
        drop_pending_updates=params.get_bool("drop_pending_updates"),
        ip_address=params.get_str("ip_address") or None,
        has_custom_certificate=params.input_file("certificate") is not None,
    )
    return True


@bot_method("deleteWebhook")
async def delete_webhook(call: Call) -> Any:
    call.state.set_webhook(
        call.bot, "", drop_pending_updates=call.params.get_bool("drop_pending_updates")
    )
    return True


@bot_method("getWebhookInfo")
async def get_webhook_info(call: Call) -> Any:
    return call.state.webhook_info(call.bot)


_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPE_TYPES = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}


def _command_scope(call: Call) -> tuple[dict[str, Any] | None, str]:
    scope = _json_param(call, "scope", "BotCommandScope")
    if scope is not None:
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
            raise ApiError.bad_request("can't parse BotCommandScope JSON object")
        normalized: dict[str, Any] = {"type": scope["type"]}
        for key in _SCOPE_TYPES[scope["type"]]:
            if key not in scope:
                raise ApiError.bad_request("can't parse BotCommandScope JSON object")
            if key == "chat_id":
                chat = call.state.resolve_chat(call.bot, scope["chat_id"], for_send=False)
                normalized["chat_id"] = chat.id
            else:
                try:
                    normalized[key] = int(scope[key])
                except (TypeError, ValueError):
                    raise ApiError.bad_request("can't parse BotCommandScope JSON object") from None
        scope = normalized
    language_code = call.params.get_str("language_code") or ""
    if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
        raise ApiError.bad_request("invalid language code specified")
    return scope, language_code


@bot_method("setMyCommands")
async def set_my_commands(call: Call) -> Any:
    commands = _json_param(call, "commands", "commands")
    if not isinstance(commands, list):
        raise ApiError.bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise ApiError.bad_request("BOT_COMMANDS_TOO_MUCH")
    clean: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise ApiError.bad_request("can't parse commands JSON object")
        name = str(item.get("command", "")).lower().lstrip("/")
        description = str(item.get("description", "")).strip()
        if not _COMMAND_NAME_RE.match(name):
            raise ApiError.bad_request("BOT_COMMAND_INVALID")
        if not description or len(description) > 256:
            raise ApiError.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": name, "description": description})
    scope, language_code = _command_scope(call)
    call.state.set_my_commands(call.bot, clean, scope, language_code)
    return True


@bot_method("getMyCommands")
async def get_my_commands(call: Call) -> Any:
    scope, language_code = _command_scope(call)
    return call.state.get_my_commands(call.bot, scope, language_code)


@bot_method("deleteMyCommands")
async def delete_my_commands(call: Call) -> Any:
    scope, language_code = _command_scope(call)
    call.state.set_my_commands(call.bot, [], scope, language_code)
    return True


@bot_method("sendMessage")
async def send_message(call: Call) -> Any:
    text, entities = _message_text(call)
    markup = _reply_markup(call)
    reply_to, allow = _reply_target(call)
    chat = _require_chat(call, for_send=True)
    await _outgoing(call, "sendMessage", chat)
    return call.state.send_bot_message(
        call.bot,
        chat,
        text=text,
        entities=entities,
        reply_markup=markup,
        reply_to_message_id=reply_to,
        allow_sending_without_reply=allow,
        message_thread_id=call.params.get_int("message_thread_id"),
    )


async def _send_file(call: Call, method: str, param: str, kind: str) -> Any:
    caption, caption_entities = _caption(call)
    markup = _reply_markup(call)
    reply_to, allow = _reply_target(call)
    chat = _require_chat(call, for_send=True)
    stored = _upload(call, param, kind)
    await _outgoing(call, method, chat)
    return call.state.send_bot_message(
        call.bot,
        chat,
        caption=caption,
        caption_entities=caption_entities,
        reply_markup=markup,
        reply_to_message_id=reply_to,
        allow_sending_without_reply=allow,
        file=stored,
        message_thread_id=call.params.get_int("message_thread_id"),
    )


@bot_method("sendDocument")
async def send_document(call: Call) -> Any:
    return await _send_file(call, "sendDocument", "document", "document")


@bot_method("sendPhoto")
async def send_photo(call: Call) -> Any:
    return await _send_file(call, "sendPhoto", "photo", "photo")


def _no_inline_message(call: Call) -> None:
    if call.params.has("inline_message_id"):
        raise ApiError.bad_request("message to edit not found")


@bot_method("editMessageText")
async def edit_message_text(call: Call) -> Any:
    _no_inline_message(call)
    text, entities = _message_text(call)
    markup = _reply_markup(call, inline_only=True)
    chat = _require_chat(call, for_send=False)
    message_id = _require_message_id(call)
    await _outgoing(call, "editMessageText", chat, message_id)
    return call.state.edit_bot_message(
        call.bot, chat, message_id, text=text, entities=entities, reply_markup=markup
    )


@bot_method("editMessageCaption")
async def edit_message_caption(call: Call) -> Any:
    _no_inline_message(call)
    caption, caption_entities = _caption(call)
    markup = _reply_markup(call, inline_only=True)
    chat = _require_chat(call, for_send=False)
    message_id = _require_message_id(call)
    await _outgoing(call, "editMessageCaption", chat, message_id)
    return call.state.edit_bot_message(
        call.bot,
        chat,
        message_id,
        caption=caption,
        caption_entities=caption_entities,
        reply_markup=markup,
    )


@bot_method("editMessageReplyMarkup")
async def edit_message_reply_markup(call: Call) -> Any:
    _no_inline_message(call)
    markup = _reply_markup(call, inline_only=True)
    chat = _require_chat(call, for_send=False)
    message_id = _require_message_id(call)
    await _outgoing(call, "editMessageReplyMarkup", chat, message_id)
    return call.state.edit_bot_message(call.bot, chat, message_id, reply_markup=markup)


@bot_method("deleteMessage")
async def delete_message(call: Call) -> Any:
    chat = _require_chat(call, for_send=False)
    message_id = _require_message_id(call)
    await _outgoing(call, "deleteMessage", chat, message_id)
    call.state.delete_bot_message(call.bot, chat, message_id)
    return True


@bot_method("pinChatMessage")
async def pin_chat_message(call: Call) -> Any:
    chat = _require_chat(call, for_send=False)
    message_id = _require_message_id(call)
    await _outgoing(call, "pinChatMessage", chat, message_id)
    call.state.pin_bot_message(call.bot, chat, message_id, True)
    return True


@bot_method("unpinChatMessage")
async def unpin_chat_message(call: Call) -> Any:
    chat = _require_chat(call, for_send=False)
    message_id = call.params.get_int("message_id")
    await _outgoing(call, "unpinChatMessage", chat, message_id)
    call.state.pin_bot_message(call.bot, chat, message_id, False)
    return True


@bot_method("unpinAllChatMessages")
async def unpin_all_chat_messages(call: Call) -> Any:
    chat = _require_chat(call, for_send=False)
    await _outgoing(call, "unpinAllChatMessages", chat)
    call.state.pin_bot_message(call.bot, chat, None, False, all_messages=True)
    return True


@bot_method("setMessageReaction")
async def set_message_reaction(call: Call) -> Any:
    chat = _require_chat(call, for_send=False)
    message_id = _require_message_id(call)
    raw = call.params.values.get("reaction")
    reaction = _json_param(call, "reaction", "reaction") if raw not in (None, "") else []
    if not isinstance(reaction, list):
        raise ApiError.bad_request("reaction must be an array")
    await _outgoing(call, "setMessageReaction", chat, message_id)
    call.state.set_reaction(call.bot, chat, message_id, reaction)
    return True


@bot_method("answerCallbackQuery")
async def answer_callback_query(call: Call) -> Any:
    params = call.params
    query_id = params.get_str("callback_query_id")
    if query_id is None:
        raise ApiError.bad_request("query_id is empty")
    text = params.get_str("text")
    if text is not None and len(text) > 200:
        raise ApiError.bad_request("MESSAGE_TOO_LONG")
    call.state.answer_callback_query(
        call.bot,
        query_id,
        text=text,
        show_alert=params.get_bool("show_alert"),
        url=params.get_str("url"),
        cache_time=params.get_int("cache_time") or 0,
    )
    return True


_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


@bot_method("sendChatAction")
async def send_chat_action(call: Call) -> Any:
    action = call.params.get_str("action")
    if action not in _CHAT_ACTIONS:
        raise ApiError.bad_request("wrong parameter action in request")
    chat = _require_chat(call, for_send=True)
    call.state.check_bot_in_chat(call.bot, chat)
    return True


@bot_method("getFile")
async def get_file(call: Call) -> Any:
    file_id = call.params.get_str("file_id")
    if file_id is None:
        raise ApiError.bad_request("file_id is empty")
    stored = call.state.files.get(file_id)
    if stored is None:
        raise ApiError.bad_request("invalid file_id")
    return stored.file_api()


def _chat_for_bot(call: Call) -> ChatRecord:
    chat = _require_chat(call, for_send=False)
    if chat.type != "private":
        call.state.check_bot_in_chat(call.bot, chat)
    return chat


@bot_method("getChat")
async def get_chat(call: Call) -> Any:
    return call.state.chat_full_info(_chat_for_bot(call))


@bot_method("getChatMember")
async def get_chat_member(call: Call) -> Any:
    chat = _chat_for_bot(call)
    user_id = call.params.get_int("user_id")
    if user_id is None:
        raise ApiError.bad_request("user_id is empty")
    if user_id not in call.state.users and call.state.bot_by_id(user_id) is None:
        raise ApiError.bad_request("user not found")
    if chat.type == "private" and user_id not in (chat.id, call.bot.id):
        raise ApiError.bad_request("user not found")
    return call.state.chat_member_api(chat, user_id)


@bot_method("getChatAdministrators")
async def get_chat_administrators(call: Call) -> Any:
    chat = _chat_for_bot(call)
    if chat.type == "private":
        raise ApiError.bad_request("there are no administrators in the private chat")
    state = call.state
    ids = [uid for uid, status in chat.members.items() if status in ("creator", "administrator")]
    if state.member_status(chat, call.bot.id) == "administrator" and call.bot.id not in ids:
        ids.append(call.bot.id)
    return [state.chat_member_api(chat, uid) for uid in ids]


@bot_method("getChatMemberCount")
async def get_chat_member_count(call: Call) -> Any:
    chat = _chat_for_bot(call)
    state = call.state
    people = {uid for uid, status in chat.members.items() if status in PRESENT_STATUSES}
    bots = {
        b.id for b in state.bots.values() if state.member_status(chat, b.id) in PRESENT_STATUSES
    }
    return len(people | bots)


@bot_method("leaveChat")
async def leave_chat(call: Call) -> Any:
    chat = _require_chat(call, for_send=False)
    call.state.leave_chat(call.bot, chat)
    return True
