"""Masking personal data for group messages.

Names, phone numbers, ID numbers and exact addresses never appear in a group:
groups are large and screenshots travel. Full details go only to commanders up
the chain, in private chats, and to exports.
"""

from __future__ import annotations

import re

from cascade.list_entries import MARKS, NAME, is_name
from cascade.returnee import ReturneeReport
from cascade.returnee.people import SURNAMES

_DIGITS = re.compile(r"\d+")
_HOUSE = re.compile(r"(\d+)(号|幢|栋|单元|室|楼|层|户)")
# A Chinese name with other characters around it, none of them Chinese: 李四<b>, (张三), 王五"
# (the name masked, its neighbours shown as any text of an address is). Not a numbered
# word (2单元, 单元2): no digit before it, none right after it.
_WRAPPED_NAME = re.compile(r"([^\u4e00-\u9fff\d]*?)([\u4e00-\u9fff]{2,4})((?!\d)[^\u4e00-\u9fff]*)")


def phone(value: str) -> str:
    """138****5678."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def id_number(value: str) -> str:
    """First 4 and last 2 characters kept: 3301************12."""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def name(value: str) -> str:
    """The surname (or 老/小 + one character) kept: 李*, 老*, 欧阳**."""
    if not value:
        return value
    keep = 2 if value[0] in "老小阿" or len(value) >= 4 else 1
    keep = min(keep, max(1, len(value) - 1))
    return value[:keep] + "*" * (len(value) - keep)


def address(value: str) -> str:
    """Street or village kept, house, building and room numbers hidden: 溪西村**号."""
    masked = _HOUSE.sub(lambda m: "*" * len(m.group(1)) + m.group(2), value)
    return _DIGITS.sub(lambda m: "*" * len(m.group(0)), masked)


def list_entry(value: str) -> str:
    """A list answer's entry as its group is shown it: each piece between its marks (、,
    a comma, "and") that reads like a name by its surname or initials (张*, Z**** S**),
    every number hidden (house numbers, phones, ID numbers: 溪西村**号). The marks stay,
    so what was one entry or several still shows."""
    shown = []
    for index, piece in enumerate(re.split(f"({MARKS.pattern})", value)):
        if index % 2:
            shown.append(piece)
        elif NAME.fullmatch(piece):
            shown.append(name(piece))
        elif is_name(piece):
            shown.append(initials(piece))
        else:
            shown.append(_wrapped(piece))
    return "".join(shown)


def _wrapped(piece: str) -> str:
    """A piece masked as an address, its name masked too where one is wrapped in other
    characters (李四<b> → 李*<b>): what trails a name never shows it."""
    found = _WRAPPED_NAME.fullmatch(piece)
    if found is None or not is_name(found.group(2)) or found.group(2)[0] not in SURNAMES:
        return address(piece)
    before, core, after = found.groups()
    return address(before) + name(core) + address(after)


def initials(value: str) -> str:
    """An English name by its words' initials: Zhang San → Z**** S**."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in value.split())


def personal_values(report: ReturneeReport) -> list[str]:
    """Every piece of the report that must never appear in a group message."""
    values = [*report.names, *report.id_numbers]
    if report.phone:
        values.append(report.phone)
    if report.address and _DIGITS.search(report.address):
        values.append(report.address)
    return [v for v in values if v]


def scrub(text: str, report: ReturneeReport) -> str:
    """`text` (e.g. the reporter's own words) with every personal value masked."""
    for value in sorted(personal_values(report), key=len, reverse=True):
        if value == report.phone:
            replacement = phone(value)
        elif value in report.id_numbers:
            replacement = id_number(value)
        elif value == report.address:
            replacement = address(value)
        else:
            replacement = name(value)
        text = text.replace(value, replacement)
    text = re.sub(r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}", lambda m: phone(m.group(0)), text)
    text = re.sub(r"(?<!\d)0\d{2,3}[\s-]?[2-8]\d{6,7}(?!\d)", lambda m: phone(m.group(0)), text)
    return re.sub(r"\d{17}[\dXx]", lambda m: id_number(m.group(0)), text)
