"""The tower rules: every broken rule is reported, naming the unit that breaks it.

Tower files are edited by officials with a spreadsheet. When a file is wrong the
import must say which unit is wrong and why, and a sound file (the shipped
fixtures) must pass untouched. These tests break each rule of
`cascade/invariants.py` and `cascade/towerfile.py` on purpose, one at a time.
"""

from __future__ import annotations

import functools
import textwrap

import pytest

from cascade.invariants import TowerInvalid, Violation, check, ensure_valid
from cascade.tower import Person, Tower, Unit
from cascade.towerfile import load_csv, load_path, load_yaml
from fixtures import fixture_path

_next_id = iter(range(9_000_000_000, 9_100_000_000))


def person(name: str = "人") -> Person:
    return Person(name=name, telegram_id=next(_next_id))


def unit(code: str, level: int, parent: str | None = None, **extra: object) -> Unit:
    fields: dict[str, object] = {
        "code": code,
        "name": f"单元{code}",
        "level": level,
        "parent": parent,
        "commander": person(),
        "chat_id": -(10**12) - abs(hash(code)) % 10**9,
    }
    fields.update(extra)
    return Unit.model_validate(fields)


def sound_tower() -> list[Unit]:
    return [
        unit("hq", 0),
        unit("a", 2, "hq"),
        unit("a-1", 3, "a"),
        unit("a-2", 3, "a"),
        unit("b", 2, "hq"),
    ]


def rules_of(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.unit, v.rule) for v in violations}


def test_a_sound_tower_has_no_violation() -> None:
    assert check(Tower(sound_tower())) == []
    ensure_valid(Tower(sound_tower()))


@functools.cache
def shipped(name: str) -> tuple[Unit, ...]:
    return tuple(load_path(fixture_path(name)))  # parsing tashan takes about a second


@pytest.mark.parametrize("name", ["tashan", "futian-shangcheng", "changchun"])
def test_shipped_fixtures_load_without_violation(name: str) -> None:
    assert check(Tower(list(shipped(name)))) == []


def test_tashan_has_the_benchmark_shape() -> None:
    tower = Tower(list(shipped("tashan")))
    assert len(tower) == 237
    assert tower.root().code == "tashan"
    assert len(list(tower.walk("tashan"))) == 237


def test_two_roots_are_reported_with_their_codes() -> None:
    units = [*sound_tower(), unit("other", 0)]
    violations = check(Tower(units))
    (root_rule,) = [v for v in violations if v.rule == "root-count"]
    assert root_rule.unit == "hq,other"
    assert root_rule.detail == {"count": 2}
    with pytest.raises(TowerInvalid) as caught:
        ensure_valid(Tower(units))
    assert "root-count" in str(caught.value)
    assert caught.value.violations == violations


def test_missing_parent_names_the_orphan_and_the_parent() -> None:
    units = [*sound_tower(), unit("lost", 3, "nowhere")]
    violations = check(Tower(units))
    assert ("lost", "parent-missing") in rules_of(violations)
    (v,) = [v for v in violations if v.rule == "parent-missing"]
    assert v.detail == {"parent": "nowhere"}
    # An orphan is also a second root-less island, but never a second root.
    assert "root-count" not in {v.rule for v in violations}


@pytest.mark.parametrize("level", [2, 1])
def test_level_must_increase_downward(level: int) -> None:
    units = sound_tower()
    units[2] = unit("a-1", level, "a")
    violations = check(Tower(units))
    assert rules_of(violations) == {("a-1", "level-order")}
    assert violations[0].detail == {"level": level, "parent": "a", "parent_level": 2}
    assert "[a-1] level-order" in str(violations[0])


def test_every_unit_needs_a_commander() -> None:
    units = sound_tower()
    units[3] = unit("a-2", 3, "a", commander=None)
    assert rules_of(check(Tower(units))) == {("a-2", "no-commander")}


def _level3_with(members: int, children: int) -> list[Unit]:
    units = [
        unit("hq", 0),
        unit("big", 3, "hq", members=[person(f"m{i}") for i in range(members)]),
    ]
    units += [unit(f"big-{i}", 4, "big") for i in range(children)]
    return units


def test_level3_unit_with_30_people_is_fine() -> None:
    # commander + 29 members = 30
    assert check(Tower(_level3_with(members=29, children=0))) == []


def test_level3_unit_over_30_members_is_refused() -> None:
    violations = check(Tower(_level3_with(members=30, children=0)))
    assert rules_of(violations) == {("big", "too-many-members")}
    assert violations[0].detail == {"count": 31, "max": 30}


def test_child_commanders_count_as_members_of_the_parent() -> None:
    # 1 commander + 25 members + 5 child commanders (not listed) = 31 people.
    violations = check(Tower(_level3_with(members=25, children=5)))
    assert rules_of(violations) == {("big", "too-many-members")}
    assert violations[0].detail["count"] == 31


def test_child_commander_listed_again_is_counted_once() -> None:
    units = _level3_with(members=24, children=5)
    big = units[1]
    # List every child commander under the parent too: still 30 distinct people.
    big.members.extend(u.commander for u in units[2:] if u.commander is not None)
    assert check(Tower(units)) == []


def test_people_without_telegram_id_each_count() -> None:
    units = _level3_with(members=0, children=0)
    units[1].members = [Person(name=f"待加入{i}") for i in range(30)]
    violations = check(Tower(units))
    assert rules_of(violations) == {("big", "too-many-members")}
    assert violations[0].detail["count"] == 31


def test_member_cap_is_configurable() -> None:
    units = _level3_with(members=5, children=0)
    assert check(Tower(units), max_bottom_members=6) == []
    assert rules_of(check(Tower(units), max_bottom_members=5)) == {("big", "too-many-members")}


def test_cycle_is_reported() -> None:
    units = [
        *sound_tower(),
        unit("x", 2, "y"),
        unit("y", 3, "x"),
    ]
    violations = check(Tower(units))
    cycles = [v for v in violations if v.rule == "cycle"]
    assert len(cycles) == 1
    assert cycles[0].unit in {"x", "y"}


def test_cycle_without_any_root() -> None:
    units = [unit("x", 1, "y"), unit("y", 2, "x")]
    violations = check(Tower(units))
    assert ("-", "root-count") in rules_of(violations)
    assert any(v.rule == "cycle" for v in violations)


def test_self_parent_is_a_cycle() -> None:
    units = [*sound_tower(), unit("self", 3, "self")]
    assert ("self", "cycle") in rules_of(check(Tower(units)))


def test_duplicate_chat_ids_name_both_units() -> None:
    units = sound_tower()
    units[4] = unit("b", 2, "hq", chat_id=units[1].chat_id)
    violations = check(Tower(units))
    assert rules_of(violations) == {("a", "chat-duplicate"), ("b", "chat-duplicate")}
    assert all(v.detail == {"chat_id": units[1].chat_id} for v in violations)


def test_units_without_chat_are_not_duplicates() -> None:
    units = sound_tower()
    units[3] = unit("a-2", 3, "a", chat_id=None)
    units[4] = unit("b", 2, "hq", chat_id=None)
    assert check(Tower(units)) == []


# ---------------------------------------------------------------- tower files


YAML_TOWER = textwrap.dedent(
    """\
    code: hq
    name: 指挥部
    level: 0
    chat_id: -100
    commander: {name: 王建, telegram_id: 6000000001}
    units:
      - code: v1
        name: 村一
        level: 2
        chat_id: -101
        commander: {name: 李强, telegram_id: 6000000002}
        members: [{name: 张红, telegram_id: 6000000003, roles: [health]}]
        units:
          - code: v1-1
            name: 组一
            level: 3
            chat_id: -102
            commander: {name: 周海, telegram_id: 6000000004}
      - code: v2
        name: 村二
        level: 2
        chat_id: -103
        commander: {name: 赵六, telegram_id: 6000000005}
    """
)


def test_yaml_tower_loads_parents_first_with_parent_links() -> None:
    units = load_yaml(YAML_TOWER)
    assert [(u.code, u.parent) for u in units] == [
        ("hq", None),
        ("v1", "hq"),
        ("v1-1", "v1"),
        ("v2", "hq"),
    ]
    assert units[1].members[0].roles == ["health"]
    assert check(Tower(units)) == []


def test_yaml_duplicate_code_is_reported() -> None:
    text = YAML_TOWER.replace("code: v2", "code: v1")
    with pytest.raises(TowerInvalid) as caught:
        load_yaml(text)
    assert rules_of(caught.value.violations) == {("v1", "code-duplicate")}


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (("level: 3", "level: 9"), "level"),
        (("name: 组一", "name: ''"), "name"),
        (("code: v1-1", "code: 'bad code'"), "code"),
        (("telegram_id: 6000000004", "telegram_id: abc"), "commander"),
    ],
)
def test_yaml_bad_field_names_the_unit_and_field(edit: tuple[str, str], field: str) -> None:
    text = YAML_TOWER.replace(*edit)
    with pytest.raises(TowerInvalid) as caught:
        load_yaml(text)
    (violation,) = caught.value.violations
    assert violation.rule == "bad-field"
    assert violation.unit in {"v1-1", "bad code"}
    assert str(violation.detail["field"]).startswith(field)


def test_yaml_units_must_be_a_list() -> None:
    text = YAML_TOWER.replace("  - code: v2", "  - code: v2\n    units: 5")
    with pytest.raises(TowerInvalid) as caught:
        load_yaml(text)
    assert rules_of(caught.value.violations) == {("v2", "bad-field")}
    assert caught.value.violations[0].detail == {"field": "units"}


def test_yaml_units_list_with_a_scalar_entry() -> None:
    text = YAML_TOWER.replace("  - code: v2", "  - oops\n  - code: v2")
    with pytest.raises(TowerInvalid) as caught:
        load_yaml(text)
    assert rules_of(caught.value.violations) == {("hq", "bad-field")}


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "code: [unclosed\n"])
def test_yaml_that_is_not_one_mapping_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        load_yaml(text)


CSV_HEAD = "code,parent,level,kind,name,commander,commander_telegram_id,chat_id,members\n"


def test_csv_tower_loads() -> None:
    text = CSV_HEAD + (
        "hq,,0,hq,指挥部,王建,6000000001,-100,\n"
        "v1,hq,2,village,村一,李强,6000000002,-101,张红:6000000003:health+admin;无号\n"
    )
    units = load_csv(text)
    assert [(u.code, u.parent, u.level) for u in units] == [("hq", None, 0), ("v1", "hq", 2)]
    assert units[1].members[0].roles == ["health", "admin"]
    assert units[1].members[1].telegram_id is None
    assert check(Tower(units)) == []


def test_csv_duplicate_code_is_reported() -> None:
    text = CSV_HEAD + (
        "hq,,0,hq,指挥部,王建,1,-100,\nv1,hq,2,village,村一,李强,2,-101,\nv1,hq,2,village,村二,赵,3,-102,\n"
    )
    with pytest.raises(TowerInvalid) as caught:
        load_csv(text)
    assert rules_of(caught.value.violations) == {("v1", "code-duplicate")}


@pytest.mark.parametrize(
    ("row", "unit_code"),
    [
        ("v1,hq,x,village,村一,李强,2,-101,", "v1"),
        ("v1,hq,2,village,村一,李强,abc,-101,", "v1"),
        ("v1,hq,2,village,村一,李强,2,-101,张红:1:flying", "v1"),
        ("v1,hq,7,village,村一,李强,2,-101,", "v1"),
        ("v1,hq,2,village,,李强,2,-101,", "v1"),
        (",hq,2,village,村一,李强,2,-101,", "line-3"),
    ],
)
def test_csv_bad_field_names_the_unit(row: str, unit_code: str) -> None:
    text = CSV_HEAD + "hq,,0,hq,指挥部,王建,1,-100,\n" + row + "\n"
    with pytest.raises(TowerInvalid) as caught:
        load_csv(text)
    (violation,) = caught.value.violations
    assert (violation.unit, violation.rule) == (unit_code, "bad-field")


def test_csv_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="chat_id"):
        load_csv("code,parent,level,kind,name,commander,commander_telegram_id\n")


def test_unknown_file_type_is_refused(tmp_path) -> None:
    path = tmp_path / "tower.txt"
    path.write_text("code: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown tower file type"):
        load_path(path)
