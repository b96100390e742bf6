"""compose.yaml runs what the CLI and the Dockerfile provide (issue 14, item 6).

There is no Docker daemon in CI, so the file is checked by reading it: the
services are PostgreSQL, two webhook workers and a sender, built from the
Dockerfile; each command is one the CLI accepts; each variable is a setting the
bot reads; the database URL names the PostgreSQL service, its user and database.
The image installs what the running bot needs of what `.ci/run` installs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.cli import build_parser
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _aliases() -> set[str]:
    names = {str(f.alias) for f in Settings.model_fields.values() if f.alias}
    for field in Settings.model_fields.values():  # the nested settings' own variables
        model = field.annotation
        if isinstance(model, type) and hasattr(model, "model_fields"):
            names |= {str(f.alias) for f in model.model_fields.values() if f.alias}
    return names


def _filled(value: str) -> str:
    """A compose value with ${VAR...} put in as a plain word, as an operator's shell would."""
    return re.sub(r"\$\{([A-Z_]+)[^}]*\}", lambda m: m.group(1).lower(), value)


def test_postgres_two_webhook_workers_and_a_sender_from_the_dockerfile() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "worker-1", "worker-2", "sender"}
    assert str(services["postgres"]["image"]).startswith("postgres:")
    commands = {}
    for name in ("worker-1", "worker-2", "sender"):
        service = services[name]
        assert service["build"] == "." and (ROOT / "Dockerfile").is_file()
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        command = service["command"]
        assert command[0] == "towerbot"
        args = build_parser().parse_args(command[1:])
        commands[name] = (args.command, getattr(args, "webhook", False))
    assert commands == {
        "worker-1": ("run", True),
        "worker-2": ("run", True),
        "sender": ("send", False),
    }


def test_every_variable_is_a_setting_and_the_url_names_the_database_service() -> None:
    services = _compose()["services"]
    postgres = services["postgres"]["environment"]
    known = _aliases()
    for name in ("worker-1", "worker-2", "sender"):
        env = services[name]["environment"]
        assert set(env) <= known, set(env) - known
        url = urlsplit(_filled(env["TOWERBOT_DB"]))
        assert url.scheme == "postgresql"
        assert (url.hostname, url.port) == ("postgres", 5432)
        assert url.username == postgres["POSTGRES_USER"]
        assert url.path.lstrip("/") == postgres["POSTGRES_DB"]
        assert _filled(postgres["POSTGRES_PASSWORD"]) == url.password
    ports = {services[n]["ports"][0] for n in ("worker-1", "worker-2")}
    assert len(ports) == 2 and all(p.startswith("127.0.0.1:") for p in ports)
    listen = services["worker-1"]["environment"]["TOWERBOT_WEBHOOK_LISTEN"]
    assert all(p.endswith(":" + listen.rpartition(":")[2]) for p in ports)


def test_the_image_has_the_font_and_the_backup_tool() -> None:
    # .ci/run installs the CJK font (charts in Chinese) and PostgreSQL (the tests'
    # server); the image needs the font and, for `towerbot backup` of the compose
    # database, pg_dump: postgresql-client. Chromium is the tests' alone.
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    installs = re.findall(r"apt-get install -y --no-install-recommends ([a-z0-9 .-]+)", dockerfile)
    packages = {p for line in installs for p in line.split()}
    assert "fonts-noto-cjk fontconfig" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert packages == {"fonts-noto-cjk", "fontconfig", "postgresql-client"}
