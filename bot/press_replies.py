"""What the bot says for a press it answered early, in the chat's language.

Why a module of its own: bot/press_watch.py decides when a press is answered and
by whom; this is the wording and the delivery. The early toast is neutral and
true ("⏳ 已收到点击，正在处理…": nothing is claimed about the outcome). A
handler's later answer that is the only sign of its outcome (a refusal, an alert)
is queued in the outbox like every other message (the one sender delivers it),
replying to the pressed message and naming the person, since in a group anyone
could have pressed. When the database refuses writes (the answer is then the
"暂时无法保存" alert of bot/errors.py), the outbox cannot take it either: like that
alert for a message, it is sent straight through the Bot API, never only logged.

The chat's language is its unit's (bot/context.py's rule). The poller reads it for
all the presses of a batch at once while the batch is stored (`languages`: one
statement, on a connection of its own) and the toast carries it: read for each
press when its toast was due, through the reads every update makes before its
handler, the presses fetched in a storm queued there for it (benchmarks/RESULTS.md,
"the take-in in a thread of its own"). It is the chat's language as the press came
in. A press whose chat was not read so (a webhook's, a failed read) has it read
when its toast is due, with the others due together (storage/update_reads.py); a
late answer, told after its handler ran, always reads it then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.types import ReplyParameters

from bot.context import chat_locale, locale_of
from bot.errors import cannot_write
from bot.html import mention
from bot.i18n import Texts
from bot.press_watch import Press
from cascade.outgoing import OutgoingMessage, Priority
from cascade.ports import UnitOfWorkFactory
from storage.conn import DatabaseError
from storage.update_reads import Lookup, UpdateQuestion, UpdateReader, unit_locales

log = logging.getLogger(__name__)


class PressReplies:
    def __init__(
        self,
        bot_id: int,
        texts: Texts,
        reader: UpdateReader,
        uow: UnitOfWorkFactory,
        chats: Lookup,
    ) -> None:
        """`reader` reads a press's chat when its answer is due; `chats` is the
        connection `languages` reads a batch's chats on."""
        self.bot_id = bot_id
        self.texts = texts
        self.reader = reader
        self.uow = uow
        self.chats = chats

    async def languages(self, presses: Sequence[Press]) -> list[Press]:
        """`presses` (taken in together) with the language of each one's chat read, in
        one statement; as they were if it cannot be read now (their toasts read it)."""
        chats = [press.chat_id for press in presses if press.chat_id is not None]
        if not chats:
            return list(presses)
        try:
            async with self.chats() as conn:
                units = await unit_locales(conn, chats)
        except DatabaseError as exc:
            log.warning("%d presses: their chats' languages not read (%s)", len(presses), exc)
            return list(presses)
        return [
            press._replace(chat_read=True, unit_locale=units.get(press.chat_id))
            if press.chat_id is not None
            else press
            for press in presses
        ]

    async def locale(self, press: Press) -> str:
        """The chat's language (the person's where its unit cannot be read now)."""
        if press.chat_id is None:
            return self.texts.pick(press.language)
        question = UpdateQuestion(self.bot_id, press.update_id, None, chat_id=press.chat_id)
        try:
            reads = await self.reader.read(question)
        except DatabaseError as exc:
            log.warning("press %s: its chat's language not read (%s)", press.query_id, exc)
            return self.texts.pick(press.language)
        return chat_locale(self.texts, reads.unit, press.language)

    async def toast(self, press: Press) -> str:
        """The early answer: the press arrived and is being handled (in its chat's
        language as read when it was taken in, if it was)."""
        if press.chat_read:
            locale = locale_of(self.texts, press.unit_locale, press.language)
        else:
            locale = await self.locale(press)
        return self.texts.plain(locale, "press-early")

    async def tell(self, bot: Bot, press: Press, text: str) -> None:
        """A late answer `text` (plain) as a chat message naming the person."""
        if press.chat_id is None:  # a press with no message has no chat to tell
            log.warning("press %s: late answer with no chat to tell: %s", press.query_id, text)
            return
        locale = await self.locale(press)
        who = mention(press.name, press.user_id)
        message = OutgoingMessage(
            chat_id=press.chat_id,
            text=self.texts.get(locale, "press-late", who=who, text=text),
            reply_to_message_id=press.message_id,
            priority=Priority.INTERACTIVE,
        )
        try:
            async with self.uow() as tx:
                await tx.outbox.add(message)
        except DatabaseError as exc:
            if not cannot_write(exc):
                raise
            log.warning("press %s: outbox refused its late answer (%s); sent", press.query_id, exc)
            reply = None
            if press.message_id is not None:
                reply = ReplyParameters(
                    message_id=press.message_id, allow_sending_without_reply=True
                )
            await bot.send_message(
                press.chat_id, message.text, parse_mode="HTML", reply_parameters=reply
            )
