"""People listed one by one: "老郑（河南）、老冯（河南）、小樊（山东）", "1.吴丽 2.吴强 3.赵小军".

A roster counts its people even when a name is not one the name reader knows
(an uncommon surname, a full name without a title): each bracketed or numbered
item is one person. The roster's size is the count unless a number of people
said in the message disagrees with it; then the count is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cascade.returnee.places import lookup
from cascade.returnee.text import HAN, NUM, to_int

# An item with a note in brackets: "老郑(河南)", "小樊【山东】" (full-width brackets are
# normalised to ASCII before this runs).
_NOTED = rf"(?<![{HAN}\d])[{HAN}]{{2,4}}\s*[(\[【][^()\[\]【】]{{1,8}}[)\]】]"
_NOTED_LIST = re.compile(rf"{_NOTED}(?:\s*(?:、|,|;|\s)\s*{_NOTED})+")
_NOTED_ITEM = re.compile(_NOTED)
# Numbered items: "1.吴丽 2.吴强", "(1)周磊 (2)郑敏", "1、张三，2、李四".
_NUMBERED = re.compile(
    rf"(?:(?<![\d./])(\d{{1,2}})\s*[.、)]|\((\d{{1,2}})\))\s*(?=[{HAN}]{{2,4}}(?![{HAN}]))"
)
# A list inside brackets: "(杨某、何某、曾某)", "【徐平、徐安】".
_BRACKETED = re.compile(rf"[(\[【]\s*([{HAN}]{{2,4}}(?:\s*[、,]\s*[{HAN}]{{2,4}})+)\s*[)\]】]")
# A number of people said outright: "5名", "三个人", "共4人".
_SAID = re.compile(rf"(?<![\d第])({NUM})\s*(?:个人|名|位|人)(?!员)")


def roster_size(text: str) -> int | None:
    """How many people a bracketed or numbered list in `text` names (2 or more), or None."""
    sizes = [len(_NOTED_ITEM.findall(match.group())) for match in _NOTED_LIST.finditer(text)]
    for match in _BRACKETED.finditer(text):
        items = re.split(r"\s*[、,]\s*", match.group(1))
        if not any(lookup(item) is not None for item in items):  # "(湖南、江西)": places
            sizes.append(len(items))
    numbers = [int(match.group(1) or match.group(2)) for match in _NUMBERED.finditer(text)]
    if len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1)):
        sizes.append(len(numbers))
    return max(sizes) if sizes else None


_COUNT_HEADER = re.compile(r"人数|人口|几人|人员数")


def table_count(text: str) -> tuple[bool, int | None]:
    """A table with a 人数 column ("姓名|人数|来源地\n小潘|2|湖南益阳"): whether there is
    one, and the sum of that column over its rows (None when a cell cannot be read)."""
    barred = [line for line in text.split("\n") if "|" in line]
    spaced = [line.strip() for line in text.split("\n") if line.strip() and "|" not in line]
    for lines, split in ((barred, _cells), (spaced, _spaced_cells)):
        found, total = _column_sum(lines, split)
        if found:
            return True, total
    return False, None


def _column_sum(lines: list[str], split: Callable[[str], list[str]]) -> tuple[bool, int | None]:
    for i, line in enumerate(lines):
        header = split(line)
        if len(header) < 2:
            continue
        column = next((k for k, cell in enumerate(header) if _COUNT_HEADER.search(cell)), None)
        if column is None or (split is _spaced_cells and header[column] != "人数"):
            continue
        total = 0
        rows = [split(row) for row in lines[i + 1 :]]
        if not rows and split is _spaced_cells:
            continue  # "登记表 人数 4 来源 …": one line of labels and values, not a table
        for cells in rows:
            if len(cells) != len(header):
                return True, None
            value = to_int(re.sub(r"\s*(?:个人|个|名|位|口人|口|人)$", "", cells[column]))
            if value is None:
                return True, None
            total += value
        return True, total if rows else None
    return False, None


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]  # a blanked cell stays a cell


def _spaced_cells(line: str) -> list[str]:
    """Round 8: a table typed with spaces, "序号 姓名 人数 来源" over "1 张某 2 安徽"."""
    return line.split()


def roster_count(text: str, count: int | None) -> int | None:
    """The count once a roster is weighed: its size, unless a number said disagrees (None)."""
    tabled, total = table_count(text)
    if tabled:
        return total  # the column was read cell by cell, or the count is asked
    items = numbered_lines_total(text)
    if items is not None:
        return items
    return _roster_weighed(text, count)


_ITEM_LINE = re.compile(r"\s*(?:#\s*)?(\d{1,2})\s*[.、)]\s*(?!\d)")
_TOTAL_WORD = re.compile(r"共|总共|一共|合计|总计")


def numbered_lines_total(text: str) -> int | None:
    """Round 17: a list typed one household a line, numbered from 1, each line with one
    number of people ("1. …楼西塘村 26号 2人 河南商丘…\n2. …40号 1人…" is 3), and no total
    said besides; None otherwise."""
    lines = [line for line in text.split("\n") if line.strip()]
    numbered = [(line, _ITEM_LINE.match(line)) for line in lines]
    items = [(line, match) for line, match in numbered if match is not None]
    if len(items) < 2 or [int(match.group(1)) for _line, match in items] != list(
        range(1, len(items) + 1)
    ):
        return None
    if any(_SAID.search(line) for line, match in numbered if match is None):
        return None  # a number of people said outside the items
    if _TOTAL_WORD.search(text):
        return None
    total = 0
    for line, match in items:
        said = [to_int(found.group(1)) for found in _SAID.finditer(line, match.end())]
        if len(said) != 1 or said[0] is None:
            return None
        total += said[0]
    return total


_NAME_HEADER = ("姓名", "名字")
_NAME_CELL = re.compile(rf"[{HAN}]{{2,4}}")


def named_rows(text: str) -> int | None:
    """Round 22: a table pasted one person a row ("序号 姓名 电话 籍贯\n1 王建军 136… 河南周口\n2
    刘秀梅 …"), with a 姓名 column and no 人数 column: its rows are its people. Read only
    when every row under the header has as many cells as the header and a name (2-4
    characters, not a place) in the 姓名 column, no line after them looks like a row cut
    or run over, and no number of people is said elsewhere; None otherwise. `text` is the message before phones are blanked: a phone
    is a cell."""
    lines = [line.split() for line in text.split("\n")]
    for i, header in enumerate(lines):
        if len(header) < 3 or any(_COUNT_HEADER.search(cell) for cell in header):
            continue
        column = next((k for k, cell in enumerate(header) if cell in _NAME_HEADER), None)
        if column is None:
            continue
        rows = 0
        for cells in lines[i + 1 :]:
            if len(cells) != len(header):
                break
            name = cells[column]
            if not _NAME_CELL.fullmatch(name) or lookup(name) is not None:
                return None
            rows += 1
        after = lines[i + 1 + rows :]
        if any(len(cells) >= max(3, len(header) - 1) for cells in after):
            return None  # a row cut or run over ("2/20 上午"): which rows are people?
        outside = " ".join(" ".join(cells) for cells in lines[:i] + after)
        if not rows or _SAID.search(outside):
            return None
        return rows
    return None


def _roster_weighed(text: str, count: int | None) -> int | None:
    """The roster's size as the count, unless a number said disagrees (None)."""
    size = roster_size(text)
    if size is None:
        return count
    said = {to_int(match.group(1)) for match in _SAID.finditer(text)}
    if said and said != {size}:
        return None  # "5名（杨某、何某、曾某、彭某）": which is right?
    return size
