"""Stopping `towerbot drill --processes` from outside: no traceback, no orphans.

A long drill is bounded with `timeout`, which sends SIGTERM to the drill and then
to its whole process group. The sandbox and the bot once sat in that group, took
the signal on their own and died under the simulated people, and the drill ended
in a traceback instead of its report. Here the drill runs as the CLI does, in a
process group of its own (as under `timeout`): SIGTERM to the group mid-run must
end it with the loop report written and its children gone, and a drill killed
outright (SIGKILL, no chance to clean up) must not leave its children running.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIDS = re.compile(r"进程：机器人 ([\d、]+)、沙盒 (\d+)、模拟人员 (\d+)")
ARGS = ("--speed", "30", "--seed", "2", "--out")
PROGRESS = re.compile(r"进度 (\d+)/(\d+)")


class Drill:
    """`python -m bot.cli drill tashan --processes` in a process group of its own,
    its output collected as it comes (progress lines end in a carriage return)."""

    def __init__(self, out: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "drill", "tashan", "--processes", *ARGS, str(out)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._stdout = bytearray()
        self._stderr = bytearray()
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self._stdout)),
            threading.Thread(target=self._read, args=(self.process.stderr, self._stderr)),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: object, into: bytearray) -> None:
        assert hasattr(stream, "read1")
        while chunk := stream.read1(4096):
            into.extend(chunk)

    @property
    def stdout(self) -> str:
        return self._stdout.decode("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self._stderr.decode("utf-8", errors="replace")

    def wait_for(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"the drill ended early:\n{self.stderr}"
            assert time.monotonic() < deadline, f"{what} not seen in {seconds}s:\n{self.stdout}"
            time.sleep(0.1)

    def children(self) -> list[int]:
        """The bot's and the sandbox's pids, as the drill prints them."""
        self.wait_for(lambda: PIDS.search(self.stdout) is not None, 120, "the process line")
        match = PIDS.search(self.stdout)
        assert match is not None
        assert int(match.group(3)) == self.process.pid
        return [int(pid) for pid in match.group(1).split("、")] + [int(match.group(2))]

    def done(self) -> int:
        found = PROGRESS.findall(self.stdout)
        return int(found[-1][0]) if found else 0

    def finish(self, seconds: float) -> int:
        code = self.process.wait(seconds)
        for reader in self._readers:
            reader.join(10)
        return code


@contextmanager
def drill(out: Path) -> Iterator[Drill]:
    """A drill that, whatever the test does, is not left running."""
    run = Drill(out)
    try:
        yield run
    finally:
        if run.process.poll() is None:
            run.process.kill()
        run.finish(30)


def running(pid: int) -> bool:
    """Whether `pid` is alive (a zombie waiting to be reaped has stopped running)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def all_gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_sigterm_to_the_group_mid_run_reports_the_loop_and_stops_the_children(
    tmp_path: Path,
) -> None:
    with drill(tmp_path) as run:
        children = run.children()
        run.wait_for(lambda: run.done() >= 10, 120, "ten units done")
        stopped_at = run.done()
        os.killpg(run.process.pid, signal.SIGTERM)  # what `timeout` does, after the drill
        code = run.finish(120)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert code == 0, run.stderr
    assert "收到 SIGTERM" in run.stdout and "演练提前结束" in run.stdout
    report = json.loads((tmp_path / "drill-report.json").read_text(encoding="utf-8"))
    assert report["performance"]["stopped_early_at_simulated_seconds"] is not None
    assert stopped_at <= report["done"] < report["targets"]
    assert report["totals_match"]
    assert (tmp_path / "drill-chart.png").exists()
    assert all_gone(children, 0), "a child of the drill outlived it"


def test_children_of_a_killed_drill_stop_by_themselves(tmp_path: Path) -> None:
    with drill(tmp_path) as run:
        children = run.children()
        assert all(running(pid) for pid in children)
        run.process.kill()  # no signal handler, no clean-up: only the children can notice
        run.finish(30)
    assert all_gone(children, 15), "a child of the killed drill still runs"
