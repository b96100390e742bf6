"""The aiogram side of towerbot: routers, middleware, texts, the outbox sender
and the `towerbot` command. It adapts Telegram to the domain in `cascade`."""

from bot.lazy_schemas import defer_aiogram_schemas

defer_aiogram_schemas()  # before any module of the bot imports aiogram (see bot/lazy_schemas.py)
