"""The sandbox's seams: migration is the state's public operation, faults and
limits use the state only through public methods, and the modules form no cycle.

A change to `SandboxState`'s insides must not silently break fault injection
(which used to reach into `_conversation`, `_queue_update` and `_changed`), and
the HTTP endpoints of faults and limits live with the other control routes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sandbox import SandboxState
from tests.support.sandbox_helpers import BASIC_GROUP_ID, CHIEF_ID

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def sandbox_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SANDBOX.glob("*.py"):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sandbox."):
                deps.add(node.module.split(".")[1])  # type: ignore[union-attr]
        graph[path.stem] = deps
    return graph


def test_sandbox_modules_import_each_other_without_a_cycle() -> None:
    graph = sandbox_imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join((*path, module))}"
        if module in done:
            return
        for dep in graph.get(module, ()):
            visit(dep, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
    assert "state" not in graph["faults"] and "state" not in graph["limits"]


def test_faults_and_limits_use_no_private_member_of_the_state() -> None:
    for name in ("faults", "limits"):
        text = (SANDBOX / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"state\._[a-z]", text), name
        # Their HTTP endpoints live in sandbox.control with the other control routes.
        assert "_ROUTES" not in text and "async def post_" not in text, name


def test_migration_is_a_public_operation_of_the_state(world: SandboxState) -> None:
    old = world.chats[BASIC_GROUP_ID]
    members = dict(old.members)
    new = world.migrate_chat(BASIC_GROUP_ID, -1009999999999, by_id=CHIEF_ID)
    assert BASIC_GROUP_ID not in world.chats
    assert world.chats[new.id] is new
    assert (new.type, new.title, new.members) == ("supergroup", old.title, members)
    assert [e["type"] for e in world.events][-2:] == ["migrate", "chat"]
