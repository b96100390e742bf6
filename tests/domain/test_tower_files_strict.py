"""Tower files are read strictly: a typo is an error with its line, never a silent drop.

`deputys:` instead of `deputies:` used to drop a unit's deputies without a word,
and `kind: vilage` was stored as a new kind. Officials fix files from the
problem list alone, so each problem names the unit and its YAML line or CSV
row, and all of them come in one run.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from cascade.invariants import TowerInvalid, Violation
from cascade.tower import Tower
from cascade.towerfile import MAX_YAML_NODES, canonical, check_csv, load_csv, load_yaml

TOWER = textwrap.dedent(
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
        kind: village
        chat_id: -101
        commander: {name: 李强, telegram_id: 6000000002}
        deputies:
          - {name: 张浩, telegram_id: 6000000003}
      - code: v2
        name: 村二
        level: 2
        kind: village
        chat_id: -102
        commander: {name: 赵六, telegram_id: 6000000004}
    """
)
CSV_HEAD = "code,parent,level,kind,name,commander,commander_telegram_id,chat_id,members\n"
CSV_ROOT = "hq,,0,hq,指挥部,王建,1,-100,\n"


def problems(text: str, loader=load_yaml) -> list[Violation]:  # type: ignore[no-untyped-def]
    with pytest.raises(TowerInvalid) as caught:
        loader(text)
    return caught.value.violations


def test_the_sound_file_loads() -> None:
    assert [u.code for u in load_yaml(TOWER)] == ["hq", "v1", "v2"]


def test_a_misspelled_key_names_unit_key_and_line() -> None:
    (violation,) = problems(TOWER.replace("deputies:", "deputys:"))
    assert (violation.unit, violation.rule, violation.line) == ("v1", "unknown-key", 13)
    assert violation.detail["key"] == "deputys"


def test_a_misspelled_kind_names_unit_kind_and_line() -> None:
    (violation,) = problems(
        TOWER.replace("kind: village\n    chat_id: -102", "kind: vilage\n    chat_id: -102")
    )
    assert (violation.unit, violation.rule, violation.line) == ("v2", "unknown-kind", 18)
    assert violation.detail["kind"] == "vilage"


def test_a_misspelled_person_key_and_a_repeated_key_are_errors() -> None:
    text = TOWER.replace(
        "{name: 张浩, telegram_id: 6000000003}", "{name: 张浩, telgram_id: 6000000003}"
    )
    text = text.replace("    chat_id: -102\n", "    chat_id: -102\n    chat_id: -103\n")
    found = {(v.unit, v.rule, v.line) for v in problems(text)}
    assert found == {("v1", "unknown-person-key", 14), ("v2", "repeated-key", 20)}


def test_every_problem_is_reported_in_one_run() -> None:
    text = (
        TOWER.replace("deputies:", "deputys:")  # a shape problem in v1
        .replace(
            "kind: village\n    chat_id: -102", "kind: vilage\n    chat_id: -101"
        )  # kind + chat twice
        .replace("level: 2\n    kind: vilage", "level: 0\n    kind: vilage")  # and a rule
    )
    rules = {(v.unit, v.rule) for v in problems(text)}
    assert rules == {
        ("v1", "unknown-key"),
        ("v2", "unknown-kind"),
        ("v2", "level-order"),
        ("v1", "chat-duplicate"),
        ("v2", "chat-duplicate"),
    }


def test_a_unit_that_cannot_be_read_still_has_every_problem_listed() -> None:
    # v2 lacks its level, misspells its kind and has a commander id that is not a
    # number: all three in one run, each at its own line (not the first alone).
    text = TOWER.replace(
        "level: 2\n    kind: village\n    chat_id: -102", "kind: vilage\n    chat_id: -102"
    ).replace("telegram_id: 6000000004", "telegram_id: x")
    found = {(v.unit, v.rule, v.line, v.detail.get("field", "")[:9]) for v in problems(text)}
    assert found == {
        ("v2", "bad-field", 15, "level: Fi"),
        ("v2", "unknown-kind", 17, ""),
        ("v2", "bad-field", 19, "commander"),
    }
    csv_row = "v1,hq,2,vilage,村一,李强,x,-101,\n"
    found = {(v.rule, v.row) for v in problems(CSV_HEAD + CSV_ROOT + csv_row, load_csv)}
    assert found == {("unknown-kind", 3), ("bad-field", 3)}


def test_rule_violations_carry_the_line_of_their_unit() -> None:
    text = TOWER.replace("    commander: {name: 赵六, telegram_id: 6000000004}\n", "")
    (violation,) = problems(text)
    assert (violation.unit, violation.rule, violation.line) == ("v2", "no-commander", 15)


def test_an_alias_bomb_is_refused_in_one_line_without_building_it() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    bomb = "\n".join(lines) + "\n"  # 9**10 values written out, about 1 KB on disk
    assert len(bomb) < 1200
    began = time.process_time()
    with pytest.raises(ValueError, match="aliases") as caught:
        load_yaml(bomb)
    assert "\n" not in str(caught.value)
    assert f"{MAX_YAML_NODES:,}" in str(caught.value)
    assert time.process_time() - began < 5  # refused before expansion, not after


def test_a_self_containing_alias_is_refused() -> None:
    with pytest.raises(ValueError, match="aliases"):
        load_yaml("code: &a [*a]\n")


def test_harmless_aliases_still_load() -> None:
    text = TOWER.replace(
        "commander: {name: 王建, telegram_id: 6000000001}",
        "commander: &boss {name: 王建, telegram_id: 6000000001}",
    )
    assert load_yaml(text)[0].commander is not None


@pytest.mark.parametrize(
    ("row", "count"),
    [("v1,hq,2,village,村一", 5), ("v1,hq,2,village,村一,李强,2,-101,,extra,more", 11)],
)
def test_short_and_long_csv_rows_are_named_by_row(row: str, count: int) -> None:
    (violation,) = problems(CSV_HEAD + CSV_ROOT + row + "\n", load_csv)
    assert (violation.unit, violation.rule, violation.row) == ("v1", "row-length", 3)
    assert violation.detail == {"count": count, "expected": 9}


def test_csv_unknown_kind_and_column_are_errors_with_rows() -> None:
    text = (
        CSV_HEAD.replace(",members", ",members,phone")
        + CSV_ROOT.replace("-100,", "-100,,")
        + "v1,hq,2,vilage,村一,李强,2,-101,,\n"
    )
    found = {(v.unit, v.rule, v.row) for v in problems(text, load_csv)}
    assert found == {("-", "unknown-column", 1), ("v1", "unknown-kind", 3)}


def test_csv_rule_problems_carry_their_row() -> None:
    text = (
        CSV_HEAD + CSV_ROOT + "v1,nope,2,village,村一,李强,2,-101,\nv2,hq,2,village,村二,,,-102,\n"
    )
    found = {(v.unit, v.rule, v.row) for v in problems(text, load_csv)}
    assert found == {("v1", "parent-missing", 3), ("v2", "no-commander", 4)}


def test_a_child_commander_listed_again_in_the_parent_is_dropped_from_the_stored_form() -> None:
    text = TOWER.replace(
        "commander: {name: 王建, telegram_id: 6000000001}\n",
        "commander: {name: 王建, telegram_id: 6000000001}\n"
        "members:\n  - {name: 李强, telegram_id: 6000000002}\n  - {name: 钱七, telegram_id: 6000000009}\n",
    )
    plain = canonical(Tower(load_yaml(TOWER)))
    listed = canonical(Tower(load_yaml(text)))
    assert [m.name for m in listed[0].members] == ["钱七"]
    assert [u.model_dump() for u in listed[1:]] == [u.model_dump() for u in plain[1:]]
    # With roles the listing says something the rule does not: it is kept.
    with_roles = text.replace(
        "{name: 李强, telegram_id: 6000000002}",
        "{name: 李强, telegram_id: 6000000002, roles: [health]}",
    )
    assert [m.name for m in canonical(Tower(load_yaml(with_roles)))[0].members] == ["李强", "钱七"]


def test_a_csv_read_a_row_at_a_time_reports_and_stores_what_the_whole_read_does(
    tmp_path: Path,
) -> None:
    """`towerbot import` reads a CSV a row at a time (a city would not fit as models):
    the same problems, all at once, and the same units as stored."""
    bad = (
        CSV_HEAD
        + CSV_ROOT
        + "v1,nope,2,village,村一,李强,2,-101,\n"
        + "v2,hq,2,vilage,村二,,,-102,\n"
        + "v3,hq,2,village,村三\n"
        + "v4,hq,1,village,村四,赵六,4,-101,\n"
    )
    file = tmp_path / "bad.csv"
    file.write_text(bad, encoding="utf-8")
    with pytest.raises(TowerInvalid) as whole:
        load_csv(bad)
    with pytest.raises(TowerInvalid) as streamed:
        check_csv(file)
    assert len(streamed.value.violations) == 6  # the chat id twice: both rows named
    assert streamed.value.violations == whole.value.violations

    sound = (
        CSV_HEAD
        + "hq,,0,hq,指挥部,王建,1,-100,李强:2;钱七:9:health\n"
        + "v1,hq,2,village,村一,李强,2,-101,张三:3;李四:\n"
        + "v1-1,v1,3,grid,网格,张三,3,-103,王五:5\n"
        + "v2,hq,2,village,村二,赵六,6,-102,\n"
    )
    file.write_text(sound, encoding="utf-8")
    tower = check_csv(file)
    assert tower.violations() == []
    stored = canonical(Tower(load_csv(sound)))
    assert [(code, chain) for code, chain in tower.walk()] == [
        ("hq", ("hq",)),
        ("v1", ("hq", "v1")),
        ("v1-1", ("hq", "v1", "v1-1")),
        ("v2", ("hq", "v2")),
    ]
    assert [tower.unit(code) for code, _ in tower.walk()] == stored
    assert [m.name for m in stored[0].members] == ["钱七"]  # 李强 is a member by the rule
