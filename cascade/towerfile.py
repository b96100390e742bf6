"""Reading tower files: nested YAML for hand-written towers, flat CSV for cities.

Both formats become the same list of `Unit`s; shape errors are reported with the
unit code (or CSV line) so that the person editing the file can find them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cascade.invariants import TowerInvalid, Violation
from cascade.tower import Person, Role, Unit

CSV_COLUMNS = (
    "code",
    "parent",
    "level",
    "kind",
    "name",
    "commander",
    "commander_telegram_id",
    "chat_id",
)


def load_path(path: Path) -> list[Unit]:
    """Units from a `.yaml`/`.yml` or `.csv` file, chosen by extension."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return load_csv(text)
    if path.suffix.lower() in (".yaml", ".yml"):
        return load_yaml(text)
    raise ValueError(f"{path}: unknown tower file type (use .yaml, .yml or .csv)")


def load_yaml(text: str) -> list[Unit]:
    """Units of a nested YAML tower, parents before children."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"YAML syntax error: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("a YAML tower starts with one mapping: the root unit")
    units: list[Unit] = []
    problems: list[Violation] = []
    stack: list[tuple[dict[str, Any], str | None]] = [(data, None)]
    while stack:
        node, parent = stack.pop()
        code = str(node.get("code", "?"))
        fields = {k: v for k, v in node.items() if k != "units"}
        fields["parent"] = parent
        try:
            units.append(Unit.model_validate(fields))
        except ValidationError as exc:
            problems.append(_shape(code, exc))
            continue
        children = node.get("units") or []
        if not isinstance(children, list):
            problems.append(Violation(unit=code, rule="bad-field", detail={"field": "units"}))
            continue
        for child in reversed(children):
            if isinstance(child, dict):
                stack.append((child, code))
            else:
                problems.append(Violation(unit=code, rule="bad-field", detail={"field": "units"}))
    _finish(units, problems)
    return units


def load_csv(text: str) -> list[Unit]:
    """Units of a flat CSV tower (optional `members` column: `name:id[:role+role];...`)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"CSV header lacks the columns: {', '.join(missing)}")
    units: list[Unit] = []
    problems: list[Violation] = []
    for line_no, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip() or f"line-{line_no}"
        try:
            units.append(_unit_from_row(row))
        except ValidationError as exc:
            problems.append(_shape(code, exc))
        except ValueError as exc:
            problems.append(Violation(unit=code, rule="bad-field", detail={"field": str(exc)}))
    _finish(units, problems)
    return units


def _unit_from_row(row: dict[str, str]) -> Unit:
    commander_name = (row.get("commander") or "").strip()
    tid = _optional_int(row.get("commander_telegram_id"))
    commander = Person(name=commander_name, telegram_id=tid) if commander_name else None
    return Unit(
        code=row["code"].strip(),
        parent=(row.get("parent") or "").strip() or None,
        level=int(row["level"]),
        kind=(row.get("kind") or "unit").strip(),
        name=row["name"].strip(),
        commander=commander,
        chat_id=_optional_int(row.get("chat_id")),
        members=list(_members(row.get("members") or "")),
    )


def _members(cell: str) -> Iterable[Person]:
    for entry in filter(None, (part.strip() for part in cell.split(";"))):
        name, _, rest = entry.partition(":")
        tid, _, roles = rest.partition(":")
        yield Person(
            name=name,
            telegram_id=_optional_int(tid),
            roles=[Role(r) for r in roles.split("+") if r],
        )


def _optional_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def _shape(code: str, exc: ValidationError) -> Violation:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "-"
    return Violation(unit=code, rule="bad-field", detail={"field": f"{where}: {first['msg']}"})


def _finish(units: list[Unit], problems: list[Violation]) -> None:
    seen: set[str] = set()
    for unit in units:
        if unit.code in seen:
            problems.append(Violation(unit=unit.code, rule="code-duplicate"))
        seen.add(unit.code)
    if problems:
        raise TowerInvalid(problems)
