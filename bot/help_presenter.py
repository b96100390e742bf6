"""Words of `/help` (and `/start` in a private chat): the command list a person may use.

The order and query commands and the people commands live in two locale files
(towerbot.ftl, people.ftl), so `/help` is their two blocks one under the other.
"""

from __future__ import annotations

from bot.i18n import Texts


def help_text(texts: Texts, locale: str) -> str:
    return texts.get(locale, "help") + "\n" + texts.get(locale, "help-people")
