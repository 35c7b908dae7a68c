"""Time `units_import` of the whole country against the floor of a bare sqlite3 insert.

    .venv/bin/python bench/units_import.py            # the whole country (665k units)
    .venv/bin/python bench/units_import.py --quick    # one province (33, 浙江省), a fast check

In one run it:

1. creates a fresh temporary SQLite database (SQLITE_PATH, set before django.setup()), migrates
   it quietly and times `units_import(target=None)` (or the province with --quick);
2. measures the floor: the same rows (code, name, parent code, pinyin, initials), already in
   memory, inserted by one bare `sqlite3` executemany into a plain table with no indexes in
   another fresh file with the same PRAGMAs (WAL, synchronous=NORMAL), in one transaction;
3. prints both times, their ratio and the goals (≤ 30 s, ≤ 3× the floor) with PASS or MISS;
4. times a second import, which must report 0 changes (unless --no-rerun).

Always SQLite: DATABASE_URL is ignored. Nothing here asserts on time; the exit status is 1
only when the import is wrong (wrong count, or a re-run that changes something).
"""

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 30.0
GOAL_RATIO = 3.0
QUICK_TARGET = "33"
PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"

Row = tuple[str, str, str | None, str, str]


def floor_rows(prefix: str) -> list[Row]:
    """The rows units_import writes for `prefix` (a province here, so no ancestors)."""
    from xuanwen.core import tree
    from xuanwen.units import divisions

    return [
        (d.code, d.name, tree.parent_code(d.code), d.pinyin, d.initials)
        for d in divisions.iter_divisions(prefix)
    ]


def time_floor(rows: list[Row], path: Path) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.executescript(PRAGMAS)
        conn.execute(
            "CREATE TABLE unit (code TEXT, name TEXT, parent TEXT, pinyin TEXT, initials TEXT)"
        )
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO unit VALUES (?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        (count,) = conn.execute("SELECT count(*) FROM unit").fetchone()
        assert count == len(rows)
    finally:
        conn.close()
    return elapsed


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help=f"one province ({QUICK_TARGET}) instead of all"
    )
    parser.add_argument("--no-rerun", action="store_true", help="skip the idempotent re-run")
    args = parser.parse_args()
    target = QUICK_TARGET if args.quick else None

    workdir = tempfile.TemporaryDirectory(prefix="xuanwen-bench-")
    db_path = Path(workdir.name) / "import.sqlite3"
    floor_path = Path(workdir.name) / "floor.sqlite3"
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanwen.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from xuanwen.units.models import Unit
    from xuanwen.units.services import units_import

    call_command("migrate", verbosity=0, interactive=False)
    connection.close()  # the import opens its own connection, as the command would

    what = f"province {QUICK_TARGET}" if target else "whole country"
    print(f"units_import({target!r}) — {what}, SQLite {db_path}")
    started = time.perf_counter()
    report = units_import(target=target)
    import_time = time.perf_counter() - started
    for line in report.lines():
        print(f"  {line}")
    created = sum(report.created.values())
    in_db = Unit.objects.count()
    failed = False
    if created != in_db:
        print(f"WRONG: the report says {created} created, the table has {in_db}")
        failed = True

    rerun_time = None
    if not args.no_rerun:
        started = time.perf_counter()
        again = units_import(target=target)
        rerun_time = time.perf_counter() - started
        if again.changes:
            print(f"WRONG: the re-run reports {again.changes} changes")
            failed = True
    connection.close()

    rows = floor_rows(QUICK_TARGET if target else "")
    if len(rows) != in_db:
        print(f"WRONG: {len(rows)} rows in the data, {in_db} units imported")
        failed = True
    floor_time = time_floor(rows, floor_path)
    workdir.cleanup()

    ratio = import_time / floor_time
    print()
    print(f"import     {import_time:7.2f} s   ({in_db:,} units)")
    print(f"floor      {floor_time:7.2f} s   (bare sqlite3 executemany, no indexes)")
    print(f"ratio      {ratio:7.2f} ×")
    if rerun_time is not None:
        print(f"re-run     {rerun_time:7.2f} s   (0 changes expected)")
    print()
    print(f"goal: import ≤ {GOAL_SECONDS:.0f} s     {verdict(import_time <= GOAL_SECONDS)}")
    print(f"goal: import ≤ {GOAL_RATIO:.0f}× floor  {verdict(ratio <= GOAL_RATIO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
