"""The aiogram side of towerbot: routers, middleware, texts, the outbox sender
and the `towerbot` command. It adapts Telegram to the domain in `cascade`."""
