"""Reading tower files: nested YAML for hand-written towers, flat CSV for cities.

Both formats become the same list of `Unit`s. The officials who edit these files
fix them from the problem list alone, so the reading is strict and complete:
an unknown key or kind is an error (a misspelled `deputys:` would otherwise drop
a unit's deputies without a word), every problem of the file is reported in one
run — shape problems and the tower's rules together — and each names the unit
and the YAML line or the CSV row where it sits. YAML aliases are expanded only
up to a bound, so a small hostile file cannot make the loader build gigabytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cascade.checked_tower import CheckedTower, canonical_unit
from cascade.invariants import TowerInvalid, UnitFacts, Violation, check_facts
from cascade.tower import Person, Role, Tower, Unit

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
CSV_OPTIONAL = ("members", "locale")
# The keys a file may use are the models' own fields: a field added to the model
# is accepted by the files at once, a misspelled key never.
UNIT_KEYS = (*(name for name in Unit.model_fields if name != "parent"), "units")
PERSON_KEYS = tuple(Person.model_fields)
UNIT_KINDS = (
    "unit",
    "hq",
    "community",
    "village",
    "compound",
    "street",
    "enterprise",
    "industrial_park",
    "building",
    "shop_row",
    "workshop",
    "landlord",
    "grid",
    "villager_group",
    "work_team",
)
# A tower of 40,000 units is about 300,000 YAML nodes written out; aliases may
# repeat shared pieces, but the expanded document stays within this bound.
MAX_YAML_NODES = 2_000_000


def load_path(path: Path) -> list[Unit]:
    """Units from a `.yaml`/`.yml` or `.csv` file, chosen by extension."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise ValueError(f"{path}: unknown tower file type (use .yaml, .yml or .csv)")
    text = path.read_text(encoding="utf-8-sig")
    return load_csv(text) if suffix == ".csv" else load_yaml(text)


# ---------------------------------------------------------------- YAML


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]
    repeated: list[tuple[Any, int]]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping line numbers and refusing repeated keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.repeated = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        line = key_node.start_mark.line + 1
        try:
            if key in mapping:
                mapping.repeated.append((key, line))
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        mapping[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        mapping.key_lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes the document has once every alias is written out, capped at `limit + 1`
    (a node that contains itself counts as endless)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = min(1 + sum(sizes[id(k)] for k in kids), limit + 1)
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            return limit + 1
        open_nodes.add(id(node))
        stack.append((node, True))
        for kid in kids:
            if id(kid) in open_nodes:
                return limit + 1
            if id(kid) not in sizes:
                stack.append((kid, False))
    return sizes[id(root)]


def _parse_yaml(text: str) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            raise ValueError(
                f"the file's aliases (&name / *name) expand to more than {MAX_YAML_NODES:,} "
                "values; a tower file needs no aliases: write the units out"
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]


def load_yaml(text: str) -> list[Unit]:
    """Units of a nested YAML tower, parents before children."""
    try:
        data = _parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"YAML syntax error: {' '.join(str(exc).split())}") from exc
    except RecursionError:
        raise ValueError("YAML nested too deeply to be a tower file") from None
    if not isinstance(data, dict):
        raise ValueError("a YAML tower starts with one mapping: the root unit")
    units: list[Unit] = []
    problems: list[Violation] = []
    lines: dict[str, int] = {}
    failed: set[str] = set()
    stack: list[tuple[dict[Any, Any], str | None]] = [(data, None)]
    while stack:
        node, parent = stack.pop()
        code = str(node.get("code", "?"))
        line = getattr(node, "line", 0) or None
        lines.setdefault(code, line or 0)
        problems.extend(_yaml_keys(node, code))
        fields = {k: v for k, v in node.items() if k in UNIT_KEYS and k != "units"}
        fields["parent"] = parent
        kind = fields.get("kind", "unit")
        if isinstance(kind, str) and kind not in UNIT_KINDS:
            problems.append(_kind(code, kind, line=_key_line(node, "kind")))
        unit: Unit | None = None
        try:
            unit = Unit.model_validate(fields)
        except ValidationError as exc:
            problems.extend(_shapes(code, exc, partial(_field_line, node)))
        if unit is None:
            failed.add(code)
        else:
            # Checked against the tower's rules even with an unknown key or kind,
            # so the first run lists every problem.
            units.append(unit)
        children = node.get("units") or []
        if not isinstance(children, list):
            problems.append(
                Violation(
                    unit=code,
                    rule="bad-field",
                    detail={"field": "units"},
                    line=_key_line(node, "units"),
                )
            )
            continue
        for child in reversed(children):
            if isinstance(child, dict):
                stack.append((child, code))
            else:
                problems.append(
                    Violation(
                        unit=code,
                        rule="bad-field",
                        detail={"field": "units"},
                        line=_key_line(node, "units"),
                    )
                )
    _finish(
        [UnitFacts.of(u) for u in units],
        problems,
        failed,
        lambda code: {"line": lines.get(code) or None},
    )
    return units


def _yaml_keys(node: dict[Any, Any], code: str) -> Iterable[Violation]:
    """Unknown or repeated keys of a unit and of the people in it."""
    yield from _mapping_keys(node, code, UNIT_KEYS, "unknown-key")
    people: list[Any] = [node.get("commander")]
    for many in ("deputies", "members"):
        if isinstance(node.get(many), list):
            people.extend(node[many])
    for person in people:
        if isinstance(person, dict):
            yield from _mapping_keys(person, code, PERSON_KEYS, "unknown-person-key")


def _mapping_keys(
    node: dict[Any, Any], code: str, known: Iterable[str], unknown_rule: str
) -> Iterable[Violation]:
    """Repeated keys of one YAML mapping, and keys outside `known`."""
    for key, line in getattr(node, "repeated", []):
        yield Violation(unit=code, rule="repeated-key", detail={"key": str(key)}, line=line)
    for key in node:
        if key not in known:
            yield Violation(
                unit=code,
                rule=unknown_rule,
                detail={"key": str(key), "known": ", ".join(known)},
                line=_key_line(node, key),
            )


def _key_line(node: Any, key: Any) -> int | None:
    lines = getattr(node, "key_lines", None)
    if lines and key in lines:
        return int(lines[key])
    return getattr(node, "line", None) or None


def _field_line(node: dict[Any, Any], loc: tuple[int | str, ...]) -> int | None:
    """The line of the value a validation error's `loc` points at (as deep as known)."""
    current: Any = node
    line = _key_line(node, loc[0]) if loc else getattr(node, "line", None)
    for part in loc:
        try:
            nxt = current[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, dict):
            line = _key_line(current, part) or line
        elif getattr(nxt, "line", None):
            line = nxt.line
        current = nxt
    return line


# ---------------------------------------------------------------- CSV


def load_csv(text: str) -> list[Unit]:
    """Units of a flat CSV tower (optional `members` column: `name:id[:role+role];...`)."""
    problems: list[Violation] = []
    failed: set[str] = set()
    rows: dict[str, int] = {}
    units = list(_csv_units(io.StringIO(text), problems, failed, rows))
    _finish([UnitFacts.of(u) for u in units], problems, failed, _rows_place(rows))
    return units


def check_csv(path: Path) -> CheckedTower:
    """A CSV tower read and checked a row at a time: every problem of the file at
    once, as `load_csv`, without holding a city's units and people as models."""
    problems: list[Violation] = []
    failed: set[str] = set()
    rows: dict[str, int] = {}
    tower = CheckedTower()
    with path.open(encoding="utf-8-sig", newline="") as lines:
        for unit in _csv_units(lines, problems, failed, rows):
            tower.add(unit)
    _finish(tower.facts, problems, failed, _rows_place(rows))
    return tower


def _rows_place(rows: dict[str, int]) -> Callable[[str], dict[str, int | None]]:
    return lambda code: {"row": rows.get(code)}


def _csv_units(
    lines: Iterable[str], problems: list[Violation], failed: set[str], rows: dict[str, int]
) -> Iterator[Unit]:
    """The units of CSV `lines` one by one; each row's problem goes to `problems`,
    a refused row's code to `failed`, each code's first row number to `rows`."""
    reader = csv.reader(lines)
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"CSV header lacks the columns: {', '.join(missing)}")
    for column in header:
        if column not in CSV_COLUMNS + CSV_OPTIONAL:
            problems.append(
                Violation(
                    unit="-",
                    rule="unknown-column",
                    detail={"key": column, "known": ",".join(CSV_COLUMNS + CSV_OPTIONAL)},
                    row=1,
                )
            )
    for row_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line, as spreadsheets leave at the end
        row = dict(zip(header, cells, strict=False))
        code = (row.get("code") or "").strip() or f"line-{row_no}"
        rows.setdefault(code, row_no)
        if len(cells) != len(header):
            problems.append(
                Violation(
                    unit=code,
                    rule="row-length",
                    detail={"count": len(cells), "expected": len(header)},
                    row=row_no,
                )
            )
            failed.add(code)
            continue
        kind = (row.get("kind") or "unit").strip() or "unit"
        if kind not in UNIT_KINDS:
            problems.append(_kind(code, kind, row=row_no))
        try:
            unit = _unit_from_row(row)
        except ValidationError as exc:
            problems.extend(_shapes(code, exc, row=row_no))
            failed.add(code)
            continue
        except ValueError as exc:
            problems.append(
                Violation(unit=code, rule="bad-field", detail={"field": str(exc)}, row=row_no)
            )
            failed.add(code)
            continue
        yield unit


def _unit_from_row(row: dict[str, str]) -> Unit:
    commander_name = (row.get("commander") or "").strip()
    tid = _optional_int(row.get("commander_telegram_id"), "commander_telegram_id")
    commander = Person(name=commander_name, telegram_id=tid) if commander_name else None
    extra = {"locale": row["locale"].strip()} if (row.get("locale") or "").strip() else {}
    return Unit.model_validate(
        {
            "code": row["code"].strip(),
            "parent": (row.get("parent") or "").strip() or None,
            "level": _required_int(row.get("level"), "level"),
            "kind": (row.get("kind") or "unit").strip() or "unit",
            "name": row["name"].strip(),
            "commander": commander,
            "chat_id": _optional_int(row.get("chat_id"), "chat_id"),
            "members": list(_members(row.get("members") or "")),
            **extra,
        }
    )


def _members(cell: str) -> Iterable[Person]:
    for entry in filter(None, (part.strip() for part in cell.split(";"))):
        name, _, rest = entry.partition(":")
        tid, _, roles = rest.partition(":")
        unknown = [r for r in roles.split("+") if r and r not in Role.__members__.values()]
        if unknown:
            raise ValueError(
                f"members: role {unknown[0]!r} of {name}; roles are "
                + "+".join(r.value for r in Role)
            )
        yield Person(
            name=name,
            telegram_id=_optional_int(tid, "members"),
            roles=[Role(r) for r in roles.split("+") if r],
        )


def _optional_int(value: str | None, column: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{column}: {value!r} is not a whole number") from None


def _required_int(value: str | None, column: str) -> int:
    number = _optional_int(value, column)
    if number is None:
        raise ValueError(f"{column}: empty; write a whole number")
    return number


# ---------------------------------------------------------------- both


def _shapes(
    code: str,
    exc: ValidationError,
    line_of: Callable[[tuple[int | str, ...]], int | None] | None = None,
    row: int | None = None,
) -> list[Violation]:
    """Every field a unit got wrong, each at its own line (YAML) or the row (CSV)."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "-"
        problems.append(
            Violation(
                unit=code,
                rule="bad-field",
                detail={"field": f"{where}: {error['msg'].removeprefix('Value error, ')}"},
                line=line_of(error["loc"]) if line_of else None,
                row=row,
            )
        )
    return problems


def _kind(code: str, kind: str, line: int | None = None, row: int | None = None) -> Violation:
    return Violation(
        unit=code,
        rule="unknown-kind",
        detail={"kind": kind, "known": ", ".join(UNIT_KINDS)},
        line=line,
        row=row,
    )


def _finish(
    units: list[UnitFacts],
    problems: list[Violation],
    failed: set[str],
    place: Any,
) -> None:
    """Add the tower's rules to the shape problems and raise them all at once.

    Rules that only fail because a unit was already refused (its children's
    parent "missing", no root when the root was refused) are left out: the
    refused unit's own problem says what to fix."""
    seen: set[str] = set()
    for unit in units:
        if unit.code in seen or unit.code in failed:
            problems.append(Violation(unit=unit.code, rule="code-duplicate", **place(unit.code)))
        seen.add(unit.code)
    for violation in check_facts({unit.code: unit for unit in units}):
        if violation.rule == "parent-missing" and violation.detail.get("parent") in failed:
            continue
        if violation.rule == "root-count" and failed:
            continue
        if violation.line is None and violation.row is None:
            violation = violation.model_copy(update=place(violation.unit))
        problems.append(violation)
    if problems:
        # In file order, as the person fixing it reads the file.
        raise TowerInvalid(sorted(problems, key=lambda v: v.line or v.row or 0))


def canonical(tower: Tower) -> list[Unit]:
    """The units as stored, parents before children (see `canonical_unit`)."""
    return [
        canonical_unit(unit, [tower.units[c].commander for c in tower.children.get(unit.code, [])])
        for unit in tower.walk()
    ]
