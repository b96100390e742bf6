"""`towerbot import`, `tree` and `run` with a postgresql:// URL for `--db`/`TOWERBOT_DB`.

The commands take a URL wherever they take a file; a server that cannot be used
is one line and exit code 2, like a database file that cannot be used, and the
line never shows the password.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.cli import main
from fixtures import fixture_path
from tests.support.pgserver import PgServer, free_port

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc"


def test_import_and_tree_on_a_postgres_url(
    pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = asyncio.run(pg_server.create_database())
    try:
        assert main(["import", str(fixture_path("tashan")), "--db", url]) == 0
        assert "237 added" in capsys.readouterr().out
        assert main(["import", str(fixture_path("tashan")), "--db", url]) == 0
        assert "0 added, 0 updated, 0 removed, 237 unchanged" in capsys.readouterr().out
        assert main(["tree", "ts-01", "--db", url]) == 0
        tree = capsys.readouterr().out
        assert "塔山村" in tree and "塔山村第一村民小组" in tree
    finally:
        asyncio.run(pg_server.drop_database(url))


@pytest.mark.parametrize("command", ["run", "import", "tree"])
def test_an_unreachable_server_is_one_line_and_an_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    url = f"postgresql://towerbot:s3cret@127.0.0.1:{free_port()}/towerbot"
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TOWERBOT_DB", url)
    argv = {"run": ["run"], "import": ["import", str(fixture_path("tashan"))], "tree": ["tree"]}
    assert main(argv[command]) == 2
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("towerbot: ") and "cannot use PostgreSQL" in lines[0]
    assert "s3cret" not in lines[0]
