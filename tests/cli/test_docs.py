"""The README and docs stand alone and list every command that exists.

A person who clones the repository has neither ../shared nor the authors at
hand: the README and docs/ must name every chat command the routers answer,
every terminal command and every setting, and /help and the command menu must
list every chat command too. New commands fail this test until they are
documented, which keeps the tables complete as the bot grows.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from aiogram import Router
from aiogram.filters import Command, CommandStart

from bot.app import COMMANDS
from bot.cli import build_parser
from bot.i18n import Texts
from bot.routers import all_routers
from bot.settings import environment_fields, variable_of

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")}


def routed_commands() -> set[str]:
    """The first name of every command filter the routers register (aliases aside)."""
    names: set[str] = set()

    def walk(router: Router) -> None:
        for observer in router.observers.values():
            for handler in observer.handlers:
                for flt in handler.filters or []:
                    command = flt.callback
                    if isinstance(command, Command) and not isinstance(command, CommandStart):
                        first = command.commands[0]
                        names.add(first if isinstance(first, str) else first.pattern)
        for sub in router.sub_routers:
            walk(sub)

    for router in all_routers():
        walk(router)
    return names


def test_the_routers_answer_the_commands_we_know() -> None:
    assert {"order", "status", "bind", "help"} <= routed_commands()


def test_menu_and_help_list_every_command() -> None:
    texts = Texts()
    assert routed_commands() <= set(COMMANDS)
    for locale in ("zh-Hans", "en"):
        help_text = texts.plain(locale, "help")
        for command in COMMANDS:
            assert f"cmd-{command}" in texts.keys(locale), (locale, command)
            if command != "help":  # the list need not name itself
                assert f"/{command}" in help_text, (locale, command)


def test_readme_and_command_reference_list_every_command() -> None:
    for command in COMMANDS:
        pattern = re.compile(rf"`/{command}\b")
        assert pattern.search(README), f"/{command} missing from README's table"
        assert pattern.search(DOCS["commands.md"]), f"/{command} missing from docs/commands.md"


def test_every_terminal_command_and_setting_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in sub.choices:
        assert f"towerbot {name}" in DOCS["commands.md"], name
    for model, field, _ in environment_fields():
        variable = variable_of(model, field)
        assert f"`{variable}`" in README, variable
        assert f"`{variable}`" in DOCS["commands.md"], variable


def test_nothing_links_outside_the_repository() -> None:
    for name, text in {"README.md": README, **DOCS}.items():
        assert "../shared" not in text, name
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if "://" in target:
                continue
            base = ROOT if name == "README.md" else ROOT / "docs"
            assert (base / target).exists(), f"{name} links to missing {target}"


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    block = README.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert commands == [
        'pip install -e ".[dev]" && towerbot demo',
        'pip install -e ".[dev]" && python -m pytest',
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "python -m pytest"
    for check in (
        "ruff check .",
        "ruff format --check .",
        "mypy cascade storage bot sandbox fixtures",
    ):
        assert check in ci


def test_test_folders_borrow_nothing_through_sys_path() -> None:
    # Shared fakes live in tests/support (imported as tests.support.*); a conftest
    # that edits sys.path to reach another folder's helpers would hide that.
    for conftest in (ROOT / "tests").rglob("conftest.py"):
        assert "sys.path" not in conftest.read_text(encoding="utf-8"), conftest
