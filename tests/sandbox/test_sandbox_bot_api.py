"""The real aiogram Bot, over HTTP, against a running sandbox."""

from __future__ import annotations

import struct
import zlib

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BufferedInputFile,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyParameters,
)

from sandbox import SandboxState
from tests.support.sandbox_helpers import (
    BASIC_GROUP_ID,
    BOT_ID,
    BOT_USERNAME,
    CHIEF_ID,
    GROUP_ID,
    MEMBER_ID,
)


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d) for t, d in buttons]]
    )


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.id > 2**32
    assert me.is_bot is True
    assert me.first_name == "Towerbot"
    assert me.username == BOT_USERNAME
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False


async def test_html_entities_are_utf16(bot: Bot, world: SandboxState) -> None:
    html = (
        '<b>收到</b>！👍 <a href="tg://user?id=6000000001">王建</a> 完成 <i>27/27 ✅</i> &lt;ok&gt;'
    )
    message = await bot.send_message(GROUP_ID, html, parse_mode="HTML")
    assert message.text == "收到！👍 王建 完成 27/27 ✅ <ok>"
    # Hand count in UTF-16 units: 收到 0-1, ！ 2, 👍 3-4 (surrogate pair), space 5,
    # 王建 6-7, " 完成 " 8-11, "27/27 ✅" 12-18 (✅ U+2705 is one unit).
    entities = [(x.type, x.offset, x.length) for x in message.entities or []]
    assert entities == [("bold", 0, 2), ("text_mention", 6, 2), ("italic", 12, 7)]
    mention = message.entities[1]
    assert mention.user is not None
    assert mention.user.id == CHIEF_ID
    assert mention.user.first_name == "王建"
    # the same offsets, computed independently from the UTF-16 encoding
    encoded = message.text.encode("utf-16-le")
    assert encoded[6 * 2 : 8 * 2].decode("utf-16-le") == "王建"
    assert encoded[12 * 2 : 19 * 2].decode("utf-16-le") == "27/27 ✅"
    assert message.chat.id == GROUP_ID
    assert message.from_user is not None and message.from_user.id == BOT_ID
    stored = world.bot_messages(GROUP_ID)
    assert stored[-1]["text"] == message.text
    assert stored[-1]["entities"][0] == {"offset": 0, "length": 2, "type": "bold"}


async def test_mention_of_unknown_user_uses_link_text(bot: Bot, world: SandboxState) -> None:
    message = await bot.send_message(
        GROUP_ID, '<a href="tg://user?id=7000000009">新人</a>', parse_mode="HTML"
    )
    assert message.entities is not None
    user = message.entities[0].user
    assert user is not None and (user.id, user.first_name) == (7000000009, "新人")


async def test_plain_text_gets_detected_entities(bot: Bot, world: SandboxState) -> None:
    message = await bot.send_message(GROUP_ID, "用 /report@towerbot_sandbox_bot 上报")
    assert [(x.type, x.offset, x.length) for x in message.entities or []] == [
        ("bot_command", 2, 28)
    ]


async def test_inline_keyboard_round_trip(bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_message(
        GROUP_ID, "通知：立即排查", reply_markup=keyboard(("收到", "ack:o1"), ("详情", "info:o1"))
    )
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "ack:o1"

    query_id = world.press_button(GROUP_ID, sent.message_id, MEMBER_ID, "ack:o1")
    updates = await bot.get_updates(timeout=1)
    assert len(updates) == 1
    callback = updates[0].callback_query
    assert callback is not None
    assert callback.id == query_id
    assert callback.data == "ack:o1"
    assert callback.from_user.id == MEMBER_ID
    assert callback.message is not None and callback.message.message_id == sent.message_id
    assert callback.chat_instance

    assert world.callback_answer(query_id) is None
    assert await bot.answer_callback_query(query_id, text="已收到", show_alert=True) is True
    answer = world.callback_answer(query_id)
    assert answer is not None
    assert (answer["text"], answer["show_alert"]) == ("已收到", True)


async def test_edit_message_text(bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_message(GROUP_ID, "进度 0/12", reply_markup=keyboard(("收到", "ack")))
    edited = await bot.edit_message_text(
        "进度 <b>3/12</b>",
        chat_id=GROUP_ID,
        message_id=sent.message_id,
        parse_mode="HTML",
        reply_markup=keyboard(("收到", "ack")),
    )
    assert not isinstance(edited, bool)
    assert edited.text == "进度 3/12"
    assert edited.edit_date is not None
    assert edited.reply_markup is not None
    view = world.message(GROUP_ID, sent.message_id)
    assert view is not None
    assert view["edit_count"] == 1
    assert view["entities"] == [{"offset": 3, "length": 4, "type": "bold"}]
    # an edit without reply_markup removes the keyboard, as on Telegram
    await bot.edit_message_text("进度 4/12", chat_id=GROUP_ID, message_id=sent.message_id)
    view = world.message(GROUP_ID, sent.message_id)
    assert view is not None
    assert (view["edit_count"], view["reply_markup"]) == (2, None)


async def test_edit_reply_markup_and_delete(bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_message(GROUP_ID, "通知", reply_markup=keyboard(("收到", "ack")))
    edited = await bot.edit_message_reply_markup(
        chat_id=GROUP_ID, message_id=sent.message_id, reply_markup=keyboard(("已收到 ✓", "done"))
    )
    assert not isinstance(edited, bool)
    assert edited.reply_markup is not None
    assert edited.reply_markup.inline_keyboard[0][0].text == "已收到 ✓"
    assert await bot.delete_message(GROUP_ID, sent.message_id) is True
    view = world.message(GROUP_ID, sent.message_id)
    assert view is not None and view["deleted"] is True


async def test_reply_parameters_and_legacy_reply(bot: Bot, world: SandboxState) -> None:
    order = await bot.send_message(GROUP_ID, "上报人数")
    answer = world.post_message(GROUP_ID, MEMBER_ID, "12", reply_to_message_id=order.message_id)
    reply = await bot.send_message(
        GROUP_ID, "已记录 12", reply_parameters=ReplyParameters(message_id=answer["message_id"])
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == answer["message_id"]
    assert reply.reply_to_message.text == "12"
    view = world.message(GROUP_ID, reply.message_id)
    assert view is not None and view["reply_to_message_id"] == answer["message_id"]


async def test_force_reply_is_kept_but_not_echoed(bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_message(CHIEF_ID, "请输入人数", reply_markup=ForceReply())
    assert sent.reply_markup is None
    view = world.message(CHIEF_ID, sent.message_id)
    assert view is not None and view["reply_keyboard"] == {"force_reply": True}
    assert sent.chat.type == "private" and sent.chat.id == CHIEF_ID


async def test_send_document_and_download(bot: Bot, world: SandboxState) -> None:
    data = "单位,人数\n塔山村,12\n".encode()
    sent = await bot.send_document(
        GROUP_ID,
        BufferedInputFile(data, filename="order-1.csv"),
        caption="<b>导出</b> 订单 1",
        parse_mode="HTML",
    )
    document = sent.document
    assert document is not None
    assert document.file_name == "order-1.csv"
    assert document.mime_type == "text/csv"
    assert document.file_size == len(data)
    assert sent.caption == "导出 订单 1"
    assert [(x.type, x.offset, x.length) for x in sent.caption_entities or []] == [("bold", 0, 2)]
    file = await bot.get_file(document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == data
    view = world.bot_messages(GROUP_ID)[-1]
    assert view["document"]["file_name"] == "order-1.csv"
    # sending the file again by file_id
    again = await bot.send_document(BASIC_GROUP_ID, document.file_id)
    assert again.document is not None and again.document.file_id == document.file_id


async def test_send_photo(bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_photo(
        GROUP_ID, BufferedInputFile(tiny_png(40, 30), filename="chart.png"), caption="完成曲线"
    )
    assert sent.photo is not None
    assert (sent.photo[-1].width, sent.photo[-1].height) == (40, 30)
    assert sent.caption == "完成曲线"
    file = await bot.get_file(sent.photo[-1].file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == tiny_png(40, 30)


async def test_my_commands_by_scope_and_language(bot: Bot, world: SandboxState) -> None:
    zh = [
        BotCommand(command="order", description="下达指令"),
        BotCommand(command="status", description="进度"),
    ]
    en = [BotCommand(command="order", description="Issue an order")]
    assert await bot.set_my_commands(zh, scope=BotCommandScopeAllGroupChats(), language_code="zh")
    assert await bot.set_my_commands(en)
    assert await bot.set_my_commands(en, scope=BotCommandScopeChat(chat_id=GROUP_ID))
    got = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats(), language_code="zh")
    assert [(c.command, c.description) for c in got] == [("order", "下达指令"), ("status", "进度")]
    assert await bot.get_my_commands(language_code="zh") == []
    stored = {(entry["scope"]["type"], entry["language_code"]) for entry in world.bot_commands()}
    assert stored == {("all_group_chats", "zh"), ("default", ""), ("chat", "")}
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == []


async def test_chat_queries_and_leaving(bot: Bot, world: SandboxState) -> None:
    chat = await bot.get_chat(GROUP_ID)
    assert (chat.id, chat.type, chat.title) == (GROUP_ID, "supergroup", "塔山区块指挥部")
    private = await bot.get_chat(CHIEF_ID)
    assert (private.type, private.first_name, private.username) == ("private", "王建", "wangjian")
    assert (await bot.get_chat_member(GROUP_ID, MEMBER_ID)).status == "member"
    assert (await bot.get_chat_member(GROUP_ID, CHIEF_ID)).status == "creator"
    assert (await bot.get_chat_member(BASIC_GROUP_ID, 6000000003)).status == "left"
    assert (await bot.get_chat_member(GROUP_ID, BOT_ID)).status == "member"
    admins = await bot.get_chat_administrators(GROUP_ID)
    assert [a.user.id for a in admins] == [CHIEF_ID]
    assert await bot.get_chat_member_count(GROUP_ID) == 3
    assert await bot.send_chat_action(GROUP_ID, "typing") is True

    assert await bot.leave_chat(BASIC_GROUP_ID) is True
    updates = await bot.get_updates(timeout=0)
    left = updates[-1].my_chat_member
    assert left is not None
    assert (left.old_chat_member.status, left.new_chat_member.status) == ("member", "left")
    assert (await bot.get_chat_member(GROUP_ID, BOT_ID)).status == "member"


async def test_username_chat_id(bot: Bot, world: SandboxState) -> None:
    world.add_chat(-1002000000009, "公开群", "supergroup", username="tashan_public")
    message = await bot.send_message("@tashan_public", "你好")
    assert message.chat.id == -1002000000009


async def test_private_conversations_number_their_own_messages(
    bot: Bot, world: SandboxState
) -> None:
    first = world.post_message(CHIEF_ID, CHIEF_ID, "/start")
    reply = await bot.send_message(CHIEF_ID, "欢迎")
    assert (first["message_id"], reply.message_id) == (1, 2)
    assert [m["text"] for m in world.chat_messages(CHIEF_ID)] == ["/start", "欢迎"]
    assert first["chat"] == {
        "id": CHIEF_ID,
        "first_name": "王建",
        "username": "wangjian",
        "type": "private",
    }


async def test_explicit_entities_without_parse_mode(bot: Bot, world: SandboxState) -> None:
    message = await bot.send_message(
        GROUP_ID,
        "👍 收到 https://example.com",
        entities=[
            MessageEntity(type="bold", offset=3, length=2),
            MessageEntity(type="italic", offset=0, length=99),  # clipped to the text
        ],
    )
    assert [(x.type, x.offset, x.length) for x in message.entities or []] == [
        ("italic", 0, 25),
        ("bold", 3, 2),
        ("url", 6, 19),
    ]


def test_module_entry_point_defaults() -> None:
    from sandbox.__main__ import parse_args

    args = parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8081)


async def test_pinning_needs_admin_rights(bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_message(GROUP_ID, "进度")
    with pytest.raises(TelegramBadRequest):
        await bot.pin_chat_message(GROUP_ID, sent.message_id)
    world.set_chat_member(GROUP_ID, BOT_ID, "administrator", by_id=CHIEF_ID)
    assert await bot.pin_chat_message(GROUP_ID, sent.message_id) is True
    assert world.message(GROUP_ID, sent.message_id)["pinned"] is True
    assert await bot.unpin_chat_message(GROUP_ID) is True
    assert world.message(GROUP_ID, sent.message_id)["pinned"] is False
