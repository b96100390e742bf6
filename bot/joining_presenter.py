"""Words and documents for joining: the `/invite` sheet and caption, the move question, bind and claim.

The sheet is a CSV a commander opens in a spreadsheet on a phone or a PC: one row
per unit with its `?startgroup=` link, then one row per empty person slot with
its `?start=` link. UTF-8 with a byte-order mark, so Excel shows the Chinese
names. The router only asks the joining service and sends what is built here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.callbacks import MoveCallback
from bot.formatting import Formatter
from bot.i18n import Texts
from cascade.invites import Slot
from cascade.joining import InviteLine
from cascade.outgoing import Button, Rendered
from cascade.tower import UnitRef

SHEET_HEADER = ["code", "name", "level", "group_link", "person", "position", "person_link"]


@dataclass(frozen=True)
class InviteFile:
    """The `/invite` document as sent: its bytes, file name and caption."""

    data: bytes
    filename: str
    caption: str


def invite_none(texts: Texts, locale: str, here: UnitRef | None) -> str:
    return texts.get(locale, "invite-none", unit=here.name if here else "")


def invite_file(
    texts: Texts,
    locale: str,
    bot_username: str | None,
    sheet: list[InviteLine],
    asked: str | None,
    here: UnitRef | None,
) -> InviteFile:
    """The sheet for the units below `here` (or below the `asked` code inside it)."""
    base = f"https://t.me/{bot_username}"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SHEET_HEADER)
    people = 0
    for line in sheet:
        unit = line.unit
        group_link = f"{base}?startgroup={line.group_token}"
        writer.writerow([unit.code, unit.name, unit.level, group_link, "", "", ""])
        for slot, token in line.people:
            people += 1
            writer.writerow(
                [
                    unit.code,
                    unit.name,
                    unit.level,
                    "",
                    slot.name,
                    slot.position.value,
                    f"{base}?start={token}",
                ]
            )
    caption = texts.get(
        locale,
        "invite-caption",
        unit=here.name if here else "",
        count=len(sheet),
        people=people,
    )
    name = asked or (here.code if here else "tower")
    return InviteFile(buffer.getvalue().encode("utf-8-sig"), f"invites-{name}.csv", caption)


def move_question(texts: Texts, locale: str, unit: UnitRef) -> Rendered:
    """A unit whose group is live moves here only once its commander presses "confirm"."""
    buttons = [
        [
            Button(
                text=texts.plain(locale, "move-confirm"),
                callback_data=MoveCallback(code=unit.code, go=True).pack(),
            ),
            Button(
                text=texts.plain(locale, "move-cancel"),
                callback_data=MoveCallback(code=unit.code, go=False).pack(),
            ),
        ]
    ]
    return Rendered(text=texts.get(locale, "move-ask", unit=unit.name), buttons=buttons)


def bound_text(texts: Texts, fmt: Formatter, locale: str, unit: UnitRef) -> str:
    """The group is now the unit's (its level in the unit's own language, as before)."""
    return texts.get(locale, "bind-done", unit=unit.name, level=fmt.level(unit.locale, unit.level))


def claimed_text(texts: Texts, locale: str, unit: UnitRef, slot: Slot) -> str:
    position = texts.get(locale, f"position-{slot.position.value}")
    return texts.get(locale, "claim-done", unit=unit.name, position=position, name=slot.name)
