"""`towerbot import`: all problems at once, in the reader's language and the file's syntax.

A failed import must leave the database exactly as it was (or not create it),
and re-importing a file that only lists a child commander again among the
parent's members must change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from fixtures import fixture_path

CSV = (
    "code,parent,level,kind,name,commander,commander_telegram_id,chat_id\n"
    "hq,,0,hq,指挥部,王建,1,-100\n"
    "v1,hq,2,vilage,村一,李强,2,-101\n"
    "v2,hq,2,village,村二,,,-102\n"
    "v3,hq,2,village\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["import", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_csv_problems_in_chinese_with_csv_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "tower.csv"
    file.write_text(CSV, encoding="utf-8")
    code, _, err = run(capsys, str(file), "--db", str(tmp_path / "t.db"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"towerbot: {file} 有 3 处问题，未导入任何内容："
    assert lines[1:] == [
        "  - [v1] 第 3 行：kind「vilage」不是已知的单元类型（可用：unit, hq, community, village, "
        "compound, street, enterprise, industrial_park, building, shop_row, workshop, landlord, "
        "grid, villager_group, work_team）",
        "  - [v2] 第 4 行：没有指挥长；填写该行的 commander 和 commander_telegram_id 两列",
        "  - [v3] 第 5 行：该行有 4 个字段，表头有 8 个；检查逗号，含逗号的内容要加英文双引号",
    ]
    assert "commander: {" not in err  # no YAML advice for a CSV file
    assert not (tmp_path / "t.db").exists()


def test_english_on_request_with_yaml_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_path("changchun").read_text(encoding="utf-8")
    first_commander = next(
        line for line in text.splitlines() if "commander:" in line and line.startswith("  ")
    )
    file = tmp_path / "tower.yaml"
    file.write_text(
        text.replace(first_commander, first_commander.replace("commander:", "comander:"), 1),
        encoding="utf-8",
    )
    code, _, err = run(capsys, str(file), "--db", str(tmp_path / "t.db"), "--lang", "en")
    assert code == 1
    assert err.splitlines()[0] == f"towerbot: {file} has 2 problem(s); nothing was imported:"
    assert "unknown key `comander:`" in err
    assert "add `commander: {name: ..., telegram_id: ...}`" in err
    assert " line " in err


def test_a_failed_import_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.db"
    assert run(capsys, str(fixture_path("tashan")), "--db", str(db))[0] == 0
    before = db.read_bytes()
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        fixture_path("tashan").read_text(encoding="utf-8").replace("kind: village", "kind: vilage"),
        encoding="utf-8",
    )
    assert run(capsys, str(broken), "--db", str(db))[0] == 1
    assert db.read_bytes() == before
    code, out, _ = run(capsys, str(fixture_path("tashan")), "--db", str(db))
    assert code == 0 and "0 added, 0 updated, 0 removed, 237 unchanged" in out


def test_listing_a_child_commander_among_the_parents_members_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_path("tashan").read_text(encoding="utf-8")
    db = tmp_path / "t.db"
    plain = tmp_path / "plain.yaml"
    plain.write_text(text, encoding="utf-8")
    assert run(capsys, str(plain), "--db", str(db))[0] == 0
    # 李强 commands ts-01; list him again among HQ's members.
    listed = tmp_path / "listed.yaml"
    listed.write_text(
        text.replace(
            "members:\n  - {name: 张红,",
            "members:\n  - {name: 李强, telegram_id: 6000000007}\n  - {name: 张红,",
            1,
        ),
        encoding="utf-8",
    )
    assert listed.read_text(encoding="utf-8") != text
    code, out, _ = run(capsys, str(listed), "--db", str(db))
    assert code == 0 and "0 added, 0 updated, 0 removed, 237 unchanged" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            "a: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
                for i in range(9)
            ),
            "aliases",
        ),
        ("code: [unclosed\n", "YAML syntax error"),
    ],
)
def test_hostile_or_broken_yaml_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    file = tmp_path / "t.yaml"
    file.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, str(file), "--db", str(tmp_path / "t.db"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and words in err


def test_a_file_not_in_utf8_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(CSV.encode("gbk"))
    code, _, err = run(capsys, str(file), "--db", str(tmp_path / "t.db"))
    assert code == 1 and "UTF-8" in err and len(err.strip().splitlines()) == 1


def test_a_csv_reimport_changes_exactly_what_changed_or_nothing_when_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = "code,parent,level,kind,name,commander,commander_telegram_id,chat_id,members\n"
    rows = [
        "hq,,0,hq,指挥部,王建,1,-100,\n",
        "v1,hq,2,village,村一,李强,2,-101,张三:3\n",
        "v2,hq,2,village,村二,赵六,6,-102,\n",
        "v3,hq,2,village,村三,钱七,7,-103,\n",
    ]
    file = tmp_path / "tower.csv"
    db = tmp_path / "t.db"
    file.write_text(head + "".join(rows), encoding="utf-8")
    code, out, _ = run(capsys, str(file), "--db", str(db))
    assert code == 0 and "4 added, 0 updated, 0 removed, 0 unchanged" in out
    before = db.read_bytes()
    # v2 takes v3's chat id and v3 leaves, while v1 breaks a rule: nothing changes.
    broken = [rows[0], rows[1].replace(",2,village", ",0,village"), rows[2].replace("-102", "-103")]
    file.write_text(head + "".join(broken), encoding="utf-8")
    code, _, err = run(capsys, str(file), "--db", str(db))
    assert code == 1 and "[v1]" in err
    assert db.read_bytes() == before
    edited = [rows[0], rows[1], rows[2].replace("-102", "-103")]
    file.write_text(head + "".join(edited), encoding="utf-8")
    code, out, _ = run(capsys, str(file), "--db", str(db))
    assert code == 0 and "0 added, 1 updated, 1 removed, 2 unchanged" in out
