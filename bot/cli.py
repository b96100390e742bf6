"""The `towerbot` command: run, import, tree, demo, drill, fixture, parse-report.

Every failure a person can cause (a bad file, a missing setting) ends with one
clear line and a non-zero exit code, not a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.people_settings import PeopleSettings
from bot.settings import SenderLimits, Settings, StoreSettings, explain, settings_help
from bot.towerfile_words import describe, heading
from cascade.checked_tower import CheckedTower
from cascade.invariants import TowerInvalid
from cascade.towerfile import check_csv, load_path
from storage.db import Database, DatabaseUnavailable
from storage.importer import import_tower
from storage.pg import is_url

EPILOG = "每个命令的帮助 / help of one command: towerbot COMMAND --help"


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and every argument, each with its help text."""
    parser = argparse.ArgumentParser(
        prog="towerbot", description="塔群机器人 / tower-of-groups bot", epilog=EPILOG
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="run the bot (settings from the environment)",
        description="Run the bot with long polling (or, with --webhook, take Telegram's "
        "webhook behind an HTTPS proxy); settings come from the environment.",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook on TOWERBOT_WEBHOOK_LISTEN instead of polling "
        "(needs TOWERBOT_WEBHOOK_URL and TOWERBOT_WEBHOOK_SECRET)",
    )
    sub.add_parser(
        "send",
        help="only send: drain the outbox for every bot token (settings from the environment)",
        description="A process that only sends: for each bot token it waits for the token's "
        "lease and drains the outbox while it holds it. With PostgreSQL, run one beside the "
        "`run --webhook` workers (they take over a token's sending within seconds if it dies).",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp = sub.add_parser("import", help="load a tower file (.yaml or .csv) into the database")
    imp.add_argument("file", type=Path, help="the tower file: nested .yaml/.yml or flat .csv")
    imp.add_argument("--db", default=None, help=DB_HELP)
    imp.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the problems found in the file (default: zh, Chinese)",
    )
    tree = sub.add_parser("tree", help="print the tower (or the subtree of CODE)")
    tree.add_argument("code", nargs="?", help="a unit's code: print only its subtree")
    tree.add_argument("--db", default=None, help=DB_HELP)
    demo = sub.add_parser("demo", help="the sandbox chat page with the Tashan tower and the bot")
    demo.add_argument("--port", type=int, default=8080, help="the page's port (default: 8080)")
    demo.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; 0.0.0.0 in a container)",
    )
    demo.add_argument(
        "--fixture", default="tashan", help="the tower: a shipped fixture name or a tower file"
    )
    demo.add_argument("--db", default=None, help=SCRATCH_DB_HELP)
    drill = sub.add_parser("drill", help="simulate an order loop through the sandbox")
    drill.add_argument("fixture", help="a shipped fixture name (tashan) or a tower file")
    drill.add_argument("--speed", type=float, default=1.0, help="time runs N times faster")
    drill.add_argument("--seed", type=int, default=1, help="random seed of the simulated people")
    drill.add_argument(
        "--kind", choices=("notice", "count", "list"), default="count", help="the order's kind"
    )
    drill.add_argument("--silent", type=float, default=0.0, help="share of units that never answer")
    drill.add_argument(
        "--people",
        default="",
        help="answer delays, e.g. chief=60,leaf=120,sigma=0.6,remind=30 (seconds)",
    )
    drill.add_argument("--paid", action="store_true", help="paid broadcast (up to 1,000/s)")
    drill.add_argument("--out", type=Path, default=Path("."), help="where the JSON and PNG go")
    drill.add_argument(
        "--verbose", action="store_true", help="also print the timing and sender figures"
    )
    drill.add_argument(
        "--processes",
        action="store_true",
        help="the sandbox and the bot each in a process of their own (this one plays the "
        "people); on PostgreSQL (--db URL) each token's bot is a worker process of its own",
    )
    drill.add_argument(
        "--tokens", type=int, default=1, help="bots sharing the tower (1-4; needs --processes)"
    )
    drill.add_argument("--db", default=None, help=SCRATCH_DB_HELP)
    fixture = sub.add_parser("fixture", help="generate a large tower file")
    fixture.add_argument("name", choices=("yiwu",), help="which tower to generate")
    fixture.add_argument("--seed", type=int, default=1, help="random seed of names and numbers")
    fixture.add_argument("-o", "--output", default="yiwu.csv", help="the CSV file to write")
    back = sub.add_parser(
        "backup",
        help="copy the database to PATH while the bot runs (SQLite online backup; "
        "pg_dump for PostgreSQL)",
        description="Restore (SQLite): stop the bot, copy PATH over the database file, delete "
        "its -wal and -shm files, start the bot. Restore (PostgreSQL, a pg_dump custom-format "
        "file): stop the workers, pg_restore --clean --if-exists -d URL PATH, start them.",
    )
    back.add_argument("path", type=Path, help="the new file to write (must not exist)")
    back.add_argument("--db", default=None, help=DB_HELP)
    move = sub.add_parser(
        "migrate-db",
        help="copy a tower's SQLite file into an empty PostgreSQL database",
        description="Copies every table (tower, orders, answers, incidents, scores, outbox) "
        "in one consistent read, so the bot may keep running until you switch TOWERBOT_DB. "
        "The PostgreSQL database must be empty.",
    )
    move.add_argument("sqlite_file", type=Path, help="the SQLite database file (TOWERBOT_DB)")
    move.add_argument("postgres_url", help="postgresql://USER:PASSWORD@HOST:5432/DBNAME")
    parse = sub.add_parser("parse-report", help="show what the bot understands of a report")
    parse.add_argument("text", help="the report as a person would type it")
    parse.add_argument("--now", default=None, help="ISO date-time for relative words")
    return parser


DB_HELP = "SQLite file or postgresql:// URL (default: $TOWERBOT_DB or towerbot.db)"
SCRATCH_DB_HELP = "an empty database to use: postgresql:// URL or new file (default: a temp file)"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return _command(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `towerbot tree | head`
        return 0
    except DatabaseUnavailable as exc:
        line = str(exc)
        print(line if line.startswith("towerbot:") else f"towerbot: {line}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(explain(exc, StoreSettings), file=sys.stderr)
        return 2


def _command(args: argparse.Namespace) -> int:
    if args.command == "run":
        return _run(args.webhook)
    if args.command == "send":
        return _run(send_only=True)
    if args.command == "import":
        return asyncio.run(_import(args.file, _db_path(args.db), args.lang))
    if args.command == "tree":
        db_path = _db_path(args.db)
        if not is_url(db_path) and not Path(db_path).exists():
            print(
                f"towerbot: no database at {db_path}; run `towerbot import FILE` first",
                file=sys.stderr,
            )
            return 2
        return asyncio.run(_tree(args.code, db_path))
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(args.fixture, args.port, args.host, args.db))
    if args.command == "drill":
        return _drill(args)
    if args.command == "fixture":
        from fixtures import yiwu

        return yiwu.main(["--seed", str(args.seed), "-o", args.output])
    if args.command == "backup":
        return _backup(_db_path(args.db), args.path)
    if args.command == "migrate-db":
        if not args.sqlite_file.is_file():
            print(f"towerbot: no SQLite database at {args.sqlite_file}", file=sys.stderr)
            return 2
        return asyncio.run(_migrate_db(args.sqlite_file, args.postgres_url))
    if args.command == "parse-report":
        from bot.parse_report import main as parse_report

        return parse_report(args.text, args.now)
    return 2


def _backup(source: str, path: Path) -> int:
    """SQLite's online backup, or pg_dump for a postgresql:// database."""
    from storage.backup import BackupFailed, backup, backup_postgres
    from storage.db import _safe_url

    try:
        if is_url(source):
            size = backup_postgres(source, path, _safe_url(source))
            print(f"towerbot: pg_dump written to {path} ({size:,} bytes, custom format)")
            return 0
        size = backup(source, path)
    except BackupFailed as exc:
        print(f"towerbot: {exc}", file=sys.stderr)
        return 2
    print(f"towerbot: backup written to {path} ({size:,} bytes, integrity ok)")
    return 0


def _drill(args: argparse.Namespace) -> int:
    from bot.drill import DrillOptions, PeopleModel, run_drill

    if not 0 <= args.silent < 1 or args.speed <= 0:
        print("towerbot: --silent must be in [0, 1) and --speed above 0", file=sys.stderr)
        return 2
    if not 1 <= args.tokens <= 4 or (args.tokens > 1 and not args.processes):
        print("towerbot: --tokens takes 1 to 4, and more than 1 needs --processes", file=sys.stderr)
        return 2
    try:
        people = PeopleModel.parse(args.people)
    except ValueError as exc:
        print(f"towerbot: --people: {exc}", file=sys.stderr)
        return 2
    try:
        options = DrillOptions(
            fixture=args.fixture,
            speed=args.speed,
            seed=args.seed,
            kind=args.kind,
            silent=args.silent,
            people=people,
            paid=args.paid,
            out=args.out,
            verbose=args.verbose,
            db=args.db,
        )
        if args.processes:
            from bot.drill_procs import run_drill_processes

            return asyncio.run(run_drill_processes(options, args.tokens))
        return asyncio.run(run_drill(options))
    except FileNotFoundError as exc:
        print(f"towerbot: {exc}", file=sys.stderr)
        return 2


def _db_path(option: str | None) -> str:
    """`--db` if given, else the one configuration source (TOWERBOT_DB or its default)."""
    if option is not None:
        return option
    return str(StoreSettings().db)


def _run(webhook: bool = False, send_only: bool = False) -> int:
    # The nested models first: Settings reads them as its parts, and their own
    # models name their variables.
    for model in (SenderLimits, PeopleSettings, Settings):
        try:
            model()
        except ValidationError as exc:
            print(explain(exc, model), file=sys.stderr)
            return 2
    settings = Settings()  # type: ignore[call-arg]
    missing = settings.webhook_missing() if webhook else None
    if missing is not None:
        print(missing, file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.INFO)
    # The scheduler logs every run of its 3-second jobs at INFO: only its warnings.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return asyncio.run(_serve(settings, webhook, send_only))


async def _serve(settings: Settings, webhook: bool = False, send_only: bool = False) -> int:
    """The primary bot (HQ, the rest of the tower, timers) and any extra bots.

    One process per SQLite file (the `run` lease refuses a second one). On
    PostgreSQL several `run --webhook` workers and `send` processes share the
    database: timers are claimed row by row and each token's sending by its lease;
    only a polling `run` stays alone (Telegram gives one poller the updates)."""
    from bot import heap
    from bot.app import TowerBot, telegram_session
    from bot.startup import StartRefused, check_tower, wait_for_telegram
    from cascade.outgoing import Lane
    from storage.lease import LeaseHeld, RunLease

    extra = settings.extra_bots()
    shared = Database(settings.db)
    await shared.open()
    lease = RunLease(shared)
    alone = not shared.is_postgres or not (webhook or send_only)
    try:
        if alone:
            await lease.take()  # one running instance per database
    except LeaseHeld as held:
        print(f"towerbot: {held}", file=sys.stderr)
        await shared.close()
        return 2
    # The run lease's renewal runs beside the bots; losing the lease stops them.
    keepers = [asyncio.create_task(lease.keep(), name="lease")] if alone else []
    bots: list[TowerBot] = []
    try:
        await check_tower(shared, [code for _, codes in extra for code in codes])
        bots.append(
            TowerBot(
                settings,
                telegram_session(settings.telegram_api_url),
                db=shared,
                lane=Lane(avoid=[code for _, codes in extra for code in codes]),
                sender_lease=True,
            )
        )
        for token, codes in extra:
            bots.append(
                TowerBot(
                    settings,
                    telegram_session(settings.telegram_api_url),
                    token=token,
                    db=shared,
                    lane=Lane(serves=codes),
                    runs_timers=False,
                    sender_lease=True,
                )
            )
        for bot in bots:
            await wait_for_telegram(bot.bot, settings.telegram_api_url)
        heap.settle()  # the bots are built: what exists now lives as long as the process
        if send_only:
            await asyncio.gather(*keepers, *(bot.run_sending() for bot in bots))
        elif webhook:
            from bot.webhook import WebhookPlan, serve_webhook

            await asyncio.gather(*keepers, serve_webhook(bots, WebhookPlan.from_settings(settings)))
        else:
            await asyncio.gather(*keepers, *(bot.run_forever() for bot in bots))
    except StartRefused as refused:
        print(refused, file=sys.stderr)
        return 2
    finally:
        for keeper in keepers:
            keeper.cancel()
        for bot in bots:
            await bot.bot.session.close()
        if alone:
            await lease.release()
        await shared.close()
    return 0


async def _migrate_db(source_file: Path, url: str) -> int:
    """SQLite file → empty PostgreSQL database; every refusal in one line."""
    from storage.copy import TargetNotEmpty, copy_tower
    from storage.db import _safe_url

    source, target = Database(source_file), Database(url)
    if source.is_postgres or not target.is_postgres:
        print(
            "towerbot: migrate-db copies a SQLite file into a postgresql:// database",
            file=sys.stderr,
        )
        return 2
    async with source, target:
        try:
            copied = await copy_tower(source, target)
        except TargetNotEmpty as exc:
            print(
                f"towerbot: {target!r} is not empty ({exc}); give an empty database",
                file=sys.stderr,
            )
            return 2
    print(
        f"towerbot: copied {copied.total:,} rows in {len(copied.rows)} tables from "
        f"{source_file} to {_safe_url(url)}; now set TOWERBOT_DB to it"
    )
    return 0


async def _import(file: Path, db_path: str, lang: str = "zh") -> int:
    """Check the whole file first; the database is opened only for a sound tower,
    and the import is one transaction, so a failed import changes nothing."""
    fmt = "csv" if file.suffix.lower() == ".csv" else "yaml"
    try:
        # A CSV (a city) is read and checked a row at a time; YAML towers are small.
        tower = check_csv(file) if fmt == "csv" else CheckedTower.of(load_path(file))
    except (FileNotFoundError, IsADirectoryError):
        print(f"towerbot: no such file: {file}", file=sys.stderr)
        return 2
    except PermissionError:
        print(f"towerbot: {file} cannot be read (permission)", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(
            f"towerbot: {file} is not UTF-8 text; save it as UTF-8 (Excel: 「CSV UTF-8」)",
            file=sys.stderr,
        )
        return 1
    except TowerInvalid as exc:
        return _problems(file, fmt, lang, exc)
    except ValueError as exc:
        print(f"towerbot: {file}: {exc}", file=sys.stderr)
        return 1
    async with Database(db_path) as db:
        try:
            stats = await import_tower(db, tower)
        except TowerInvalid as exc:
            return _problems(file, fmt, lang, exc)
    print(
        f"{file}: {stats.added} added, {stats.updated} updated, {stats.removed} removed, "
        f"{stats.unchanged} unchanged ({db_path})"
    )
    return 0


def _problems(file: Path, fmt: str, lang: str, exc: TowerInvalid) -> int:
    """Every problem of the file at once, one line each."""
    print(heading(str(file), len(exc.violations), lang), file=sys.stderr)
    for violation in exc.violations:
        print(f"  - {describe(violation, fmt, lang)}", file=sys.stderr)
    return 1


async def _tree(code: str | None, db_path: str) -> int:
    async with Database(db_path) as db, db.transaction() as tx:
        units = [u for u in await tx.tower.all_refs()]
        tower_units = {u.code: u for u in units}
    if not units:
        print("towerbot: the database holds no tower; run `towerbot import FILE`", file=sys.stderr)
        return 2
    if code is not None and code not in tower_units:
        print(f"towerbot: no unit with code {code!r}", file=sys.stderr)
        return 2
    depth: dict[str, int] = {}
    start = code or next(u.code for u in units if u.parent is None)
    for unit in units:  # stored in path order: parents before children
        if unit.code == start:
            depth[unit.code] = 0
        elif unit.parent in depth:
            depth[unit.code] = depth[unit.parent] + 1
        else:
            continue
        chat = str(unit.chat_id) if unit.chat_id is not None else "未绑定群"
        print(
            f"{'  ' * depth[unit.code]}{unit.name} [{unit.code}] L{unit.level} {unit.kind} · "
            f"指挥长 {unit.commander_name or '—'} · 群 {chat}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
