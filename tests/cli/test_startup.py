"""Bad starts end in one line and exit code 2, never a traceback or a hang.

An official starting the bot on a phone-tethered laptop sees only the terminal:
each mistake in a setting or in the database's place must name itself in one
line, and a Telegram server out of reach must be retried, not fatal. A hang is
caught by its cause: a database connection left open keeps a worker thread
alive after `main` returns, so every case checks that no such thread remains.
"""

from __future__ import annotations

import argparse
import sqlite3
import threading
from pathlib import Path

import aiosqlite
import pytest
from aiogram import Bot
from aiohttp import web

from bot.app import telegram_session
from bot.cli import build_parser, main
from bot.daily_job import parse_at
from bot.settings import Settings, environment_fields, variable_of
from bot.startup import NO_TOWER, StartRefused, wait_for_telegram
from fixtures import fixture_path

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc"
OTHER = "654321:ABCDEFGHIJKLMNOPQRSTUVWXYZabc"
ALIASES = [variable_of(m, f) for m, f, _ in environment_fields()]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)


def db_threads() -> list[threading.Thread]:
    """Database worker threads still alive once they have had time to end."""
    workers = [t for t in threading.enumerate() if "connection_worker" in t.name]
    for worker in workers:
        worker.join(timeout=10)
    return [t for t in workers if t.is_alive()]


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "tower.db"
    assert main(["import", str(fixture_path("tashan")), "--db", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("TOWERBOT_TZ", "Mars/Base", "IANA name like Asia/Shanghai"),
        ("TOWERBOT_RATE", "inf", "finite number"),
        ("TOWERBOT_CHAT_INTERVAL", "inf", "finite number"),
        ("TOWERBOT_RATE", "nan", "finite number"),
        ("TOWERBOT_GROUP_PER_MINUTE", "0", "greater than 0"),
        ("BOT_TOKEN", TOKEN + "\n", "line break"),
        ("BOT_TOKEN", "hello", "does not look like a bot token"),
        ("BOT_TOKENS", f"{TOKEN}@th-01", "repeats BOT_TOKEN"),
        ("BOT_TOKENS", f"{OTHER}@th-01;{OTHER}@th-02", "one token twice"),
        ("BOT_TOKENS", "garbage", "TOKEN@code1,code2"),
        ("TELEGRAM_API_URL", "https://api.telegram.org/bot", "without a path"),
        ("TELEGRAM_API_URL", "api.telegram.org", "http(s) address"),
        ("TOWERBOT_DAILY_AT", "8pm", "time of day like 20:00"),
        ("TOWERBOT_DAILY_AT", "24：00", "time of day like 20:00"),
        ("TOWERBOT_DAILY_AT", "０８：６０", "time of day like 20:00"),
        ("TOWERBOT_ADMINS", "王建", "comma-separated Telegram user ids"),
        ("TOWERBOT_DB", "", "is empty"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    imported: Path,
    variable: str,
    value: str,
    words: str,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TOWERBOT_DB", str(imported))
    monkeypatch.setenv(variable, value)
    assert main(["run"]) == 2
    line = one_line(capsys)
    assert line.startswith(f"towerbot: setting {variable} ")
    assert words in line
    assert TOKEN not in line and OTHER not in line
    assert not db_threads()


@pytest.mark.parametrize("spelling", ["08:30", "8:30", "08：30", "０８：３０", " 8：30 "])
def test_daily_at_is_read_by_the_jobs_own_parser(
    monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    # A Chinese keyboard types a full-width colon (and digits): the start check
    # accepts exactly what the evening job reads, one parser for both.
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TOWERBOT_DAILY_AT", spelling)
    settings = Settings()
    assert settings.daily_at == "08:30"
    assert parse_at(spelling) == parse_at(settings.daily_at) == (8, 30)


def test_a_missing_token_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    assert one_line(capsys) == "towerbot: setting BOT_TOKEN is not set"


def readonly_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """What SQLite reports for a file on a read-only mount (root can write any mode bits)."""
    original = aiosqlite.connect

    def connect(path: str, **kwargs: object) -> aiosqlite.Connection:
        return original(f"file:{path}?mode=ro", uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(aiosqlite, "connect", connect)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("directory", "is a directory"),
        ("missing-folder", "does not exist"),
        ("not-sqlite", "is not a SQLite database"),
        ("read-only", "cannot be written"),
    ],
)
@pytest.mark.parametrize("command", ["run", "import"])
def test_every_database_problem_is_one_line_and_an_exit(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    case: str,
    words: str,
    command: str,
) -> None:
    target = {
        "directory": tmp_path,
        "missing-folder": tmp_path / "nowhere" / "towerbot.db",
        "not-sqlite": fixture_path("tashan"),
        "read-only": imported,
    }[case]
    if case == "read-only":
        readonly_connect(monkeypatch)
    before = target.read_bytes() if target.is_file() else None
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TOWERBOT_DB", str(target))
    argv = ["run"] if command == "run" else ["import", str(fixture_path("tashan"))]
    assert main(argv) == 2
    line = one_line(capsys)
    assert line.startswith("towerbot: ") and words in line
    assert not db_threads()
    if before is not None:
        assert target.read_bytes() == before


def test_run_without_a_tower_says_how_to_import_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()  # an empty file is a valid, empty SQLite database
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TOWERBOT_DB", str(empty))
    assert main(["run"]) == 2
    assert one_line(capsys) == f"towerbot: {NO_TOWER}"
    assert not db_threads()


def test_extra_bot_serving_an_unknown_unit_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], imported: Path
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TOWERBOT_DB", str(imported))
    monkeypatch.setenv("BOT_TOKENS", f"{OTHER}@no-such-unit")
    assert main(["run"]) == 2
    line = one_line(capsys)
    assert "BOT_TOKENS" in line and "no-such-unit" in line
    assert OTHER not in line


async def test_unreachable_telegram_is_retried_with_growing_pauses() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    bot = Bot(TOKEN, session=telegram_session(url))
    lines: list[str] = []
    pauses: list[float] = []

    class GiveUp(Exception):
        pass

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 8:
            raise GiveUp

    try:
        with pytest.raises(GiveUp):
            await wait_for_telegram(bot, url, sleep=sleep, report=lines.append, longest_pause=30)
    finally:
        await bot.session.close()
    assert pauses == [1, 2, 4, 8, 16, 30, 30, 30]
    assert len(lines) == 8
    assert all("\n" not in line and TOKEN not in line for line in lines)
    assert lines[0].startswith(f"towerbot: cannot reach Telegram at {url} (")
    assert lines[0].endswith("retrying in 1 s")


async def test_a_refused_token_stops_the_start(aiohttp_free_port: int) -> None:
    async def unauthorized(request: web.Request) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", unauthorized)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", aiohttp_free_port).start()
    url = f"http://127.0.0.1:{aiohttp_free_port}"
    bot = Bot(TOKEN, session=telegram_session(url))
    try:
        with pytest.raises(StartRefused, match="refused the token"):
            await wait_for_telegram(bot, url, report=lambda line: None)
    finally:
        await bot.session.close()
        await runner.cleanup()


@pytest.fixture
def aiohttp_free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_help_lists_every_setting_with_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    for alias in ALIASES:
        assert alias in out
    assert "[default: Asia/Shanghai]" in out and "[default: 20:00]" in out
    assert "BOT_TOKEN" in Settings.model_fields["bot_token"].alias  # type: ignore[operator]


def test_every_argument_of_every_command_has_help() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) >= {
        "run",
        "import",
        "tree",
        "demo",
        "drill",
        "fixture",
        "parse-report",
    }
    helped = {c.dest for c in commands._choices_actions if c.help}
    assert helped == set(commands.choices)
    for name, sub in commands.choices.items():
        for action in sub._actions:
            assert action.help, f"towerbot {name} {action.dest} has no help"


def test_sqlite_error_names_are_what_the_translation_expects(tmp_path: Path) -> None:
    # explain_sqlite keys on sqlite_errorname (Python ≥ 3.11); guard the assumption.
    bad = tmp_path / "x.db"
    bad.write_text("not a database at all" * 20)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(bad).execute("PRAGMA user_version").fetchall()
    assert caught.value.sqlite_errorname == "SQLITE_NOTADB"


def test_the_environment_is_read_in_one_place() -> None:
    # Settings is the one configuration source: no module of the bot re-reads a
    # variable behind its back (bot/daily.py and bot/cli.py used to).
    root = Path(__file__).resolve().parents[2] / "bot"
    readers = [
        path.name
        for path in root.rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8")
        or "getenv" in path.read_text(encoding="utf-8")
    ]
    assert readers == []


def test_the_bot_takes_its_settings_whole() -> None:
    import inspect

    from bot.app import TowerBot

    parameters = inspect.signature(TowerBot).parameters
    assert list(parameters)[:2] == ["settings", "session"]
    for loose in ("admins", "limits", "timezone", "incident_policy", "daily_at", "db_path"):
        assert loose not in parameters
