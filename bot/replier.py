"""Answers to people, written to the outbox like every other message.

Handlers never call `send_message`: a reply, a refusal or a query result is
queued here and the sender delivers it under the same limits and retries.
"""

from __future__ import annotations

from bot.context import ChatContext
from bot.i18n import Texts
from cascade.errors import Refused
from cascade.outgoing import Button, OutgoingMessage, Priority
from cascade.ports import UnitOfWorkFactory


class Replier:
    def __init__(self, uow: UnitOfWorkFactory, texts: Texts) -> None:
        self.uow = uow
        self.texts = texts

    async def text(
        self,
        ctx: ChatContext,
        text: str,
        buttons: list[list[Button]] | None = None,
        force_reply: bool = False,
    ) -> None:
        async with self.uow() as tx:
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=ctx.chat_id,
                    text=text,
                    buttons=buttons or [],
                    force_reply=force_reply,
                    reply_to_message_id=ctx.message_id,
                    priority=Priority.INTERACTIVE,
                )
            )

    async def file(
        self, ctx: ChatContext, data: bytes, filename: str, caption: str, photo: bool = False
    ) -> None:
        """A document (or, with `photo`, a picture) with an HTML caption."""
        async with self.uow() as tx:
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=ctx.chat_id,
                    text=caption,
                    document=data,
                    filename=filename,
                    photo=photo,
                    reply_to_message_id=ctx.message_id,
                    priority=Priority.INTERACTIVE,
                )
            )

    async def say(self, ctx: ChatContext, key: str, **params: object) -> None:
        await self.text(ctx, self.texts.get(ctx.locale, key, **params))

    def refusal(self, ctx: ChatContext, refused: Refused) -> str:
        return self.texts.get(ctx.locale, f"error-{refused.key}", **refused.params)

    async def refuse(self, ctx: ChatContext, refused: Refused) -> None:
        await self.text(ctx, self.refusal(ctx, refused))
