"""The words for tower-file problems, as `towerbot import` prints them.

The people who fix tower files are officials with a spreadsheet or a text
editor, most of them reading Chinese: each problem is one line in Chinese by
default (English with `--lang en`), naming the unit and the YAML line or CSV
row, and a hint written in the file's own syntax — YAML keys for a YAML file,
CSV columns for a CSV file.
"""

from __future__ import annotations

from cascade.invariants import Violation

Templates = dict[str, str]

ZH: dict[str, Templates] = {
    "both": {
        "root-count": "塔群必须只有一个根单元（没有上级的单元），现有 {count} 个",
        "level-order": "级别 {level} 不低于上级 {parent}（级别 {parent_level}）；下级的 level 必须更大",
        "too-many-members": "有 {count} 人，三级单元最多 {max} 人：请拆分为两个单元",
        "code-duplicate": "编码重复；每个单元的 code 必须唯一",
        "bad-field": "字段有误：{field}",
        "unknown-kind": "kind「{kind}」不是已知的单元类型（可用：{known}）",
    },
    "yaml": {
        "parent-missing": "上级 {parent} 不存在",
        "no-commander": "没有指挥长；加上 `commander: {{name: 姓名, telegram_id: 数字}}`",
        "cycle": "成了自己的上级（循环）",
        "chat-duplicate": "chat_id {chat_id} 被另一个单元使用；每个群只对应一个单元",
        "unknown-key": "未知的键 `{key}:`（可用的键：{known}）",
        "unknown-person-key": "人员信息中未知的键 `{key}:`（可用的键：{known}）",
        "repeated-key": "键 `{key}:` 写了两次",
    },
    "csv": {
        "parent-missing": "上级 {parent} 不存在；改正该行的 parent 列，或为 {parent} 加一行",
        "no-commander": "没有指挥长；填写该行的 commander 和 commander_telegram_id 两列",
        "cycle": "成了自己的上级（循环）；改正 parent 列",
        "chat-duplicate": "chat_id 列的 {chat_id} 被另一行使用；每个群只对应一个单元",
        "unknown-column": "表头有未知的列 {key}（可用的列：{known}）",
        "row-length": "该行有 {count} 个字段，表头有 {expected} 个；检查逗号，含逗号的内容要加英文双引号",
    },
}

EN: dict[str, Templates] = {
    "both": {
        "root-count": "the tower must have exactly one root unit (one without parent); found {count}",
        "level-order": "level {level} is not below its parent {parent} (level {parent_level}); "
        "levels must increase downward",
        "too-many-members": "holds {count} people; a level-3 unit holds at most {max}: split it",
        "code-duplicate": "the code is used twice; codes must be unique",
        "bad-field": "bad field {field}",
        "unknown-kind": "kind {kind!s} is not a known unit kind (known: {known})",
    },
    "yaml": {
        "parent-missing": "its parent {parent} does not exist",
        "no-commander": "has no commander; add `commander: {{name: ..., telegram_id: ...}}`",
        "cycle": "is its own ancestor (a cycle of parents)",
        "chat-duplicate": "chat_id {chat_id} is used by another unit too; each group binds one unit",
        "unknown-key": "unknown key `{key}:` (known keys: {known})",
        "unknown-person-key": "unknown key `{key}:` in a person (known keys: {known})",
        "repeated-key": "key `{key}:` is given twice",
    },
    "csv": {
        "parent-missing": "its parent {parent} does not exist; fix the parent column or add a "
        "row for {parent}",
        "no-commander": "has no commander; fill the commander and commander_telegram_id columns",
        "cycle": "is its own ancestor (a cycle of parents); fix the parent column",
        "chat-duplicate": "chat_id {chat_id} is used by another row too; each group binds one unit",
        "unknown-column": "the header has an unknown column {key} (known columns: {known})",
        "row-length": "the row has {count} fields, the header {expected}; put text holding "
        'a comma in double quotes ("a,b")',
    },
}

HEADINGS = {
    "zh": "towerbot: {file} 有 {count} 处问题，未导入任何内容：",
    "en": "towerbot: {file} has {count} problem(s); nothing was imported:",
}


def describe(violation: Violation, fmt: str, lang: str = "zh") -> str:
    """One line: the unit, where it is in the file, what is wrong, how to fix it."""
    words = ZH if lang == "zh" else EN
    template = words.get(fmt, {}).get(violation.rule) or words["both"].get(violation.rule)
    where = _where(violation, lang)
    if template is None:
        return f"[{violation.unit}]{where} {violation.rule} {dict(violation.detail)}"
    try:
        text = template.format(**violation.detail)
    except (KeyError, IndexError):
        text = f"{violation.rule} {violation.detail}"
    return f"[{violation.unit}]{where}{'' if lang == 'zh' and where else ' '}{text}"


def _where(violation: Violation, lang: str) -> str:
    number = violation.line or violation.row
    if not number:
        return ""
    if lang == "zh":
        return f" 第 {number} 行："
    return f" line {number}:" if violation.line else f" row {number}:"


def heading(file: str, count: int, lang: str = "zh") -> str:
    return HEADINGS["zh" if lang == "zh" else "en"].format(file=file, count=count)
