"""Time `units_import` of the whole country against the floor of a bare sqlite3 insert.

    .venv/bin/python bench/units_import.py            # the whole country (665k units)
    .venv/bin/python bench/units_import.py --quick    # one province (33, 浙江省), a fast check

In one run it:

1. creates a fresh temporary SQLite database (SQLITE_PATH, set before django.setup()), migrates
   it quietly and times `units_import(target=None)` (or the province with --quick);
2. measures the floor: the same rows (code, name, parent code, pinyin, initials), already in
   memory, inserted by one bare `sqlite3` executemany into a plain table with no indexes in
   another fresh file with the same PRAGMAs (WAL, synchronous=NORMAL), in one transaction
   (the median of three runs: one before the import, two after);
3. prints both times, their ratio and the goals (≤ 30 s, ≤ 3× the floor) with PASS or MISS;
4. times a second import, which must report 0 changes (unless --no-rerun).

Untimed, it checks that the imported table holds exactly the floor's rows. Always SQLite:
DATABASE_URL is ignored. Nothing here asserts on time; the exit status is 1 only when the
import is wrong (rows that differ from the data, or a re-run that changes something).
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


class Timer:
    """Wall-clock and CPU time of this process.

    The CPU time shows how much other load slowed the wall clock on a shared machine.
    """

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s   (CPU {self.cpu:5.2f} s)"


def floor_rows(prefix: str) -> list[Row]:
    """The rows units_import writes for `prefix` (a province here, so no ancestors)."""
    from xuanwen.core import tree
    from xuanwen.units import divisions

    return [
        (d.code, d.name, tree.parent_code(d.code), d.pinyin, d.initials)
        for d in divisions.iter_divisions(prefix)
    ]


def time_floor(rows: list[Row], path: Path) -> Timer:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.executescript(PRAGMAS)
        conn.execute(
            "CREATE TABLE unit (code TEXT, name TEXT, parent TEXT, pinyin TEXT, initials TEXT)"
        )
        with Timer() as timer:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO unit VALUES (?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        (count,) = conn.execute("SELECT count(*) FROM unit").fetchone()
        assert count == len(rows)
    finally:
        conn.close()
    return timer


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
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanwen.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from xuanwen.units.services import units_import

    call_command("migrate", verbosity=0, interactive=False)
    connection.close()  # the import opens its own connection, as the command does

    # This machine's speed drifts from one minute to the next, so the floor is run three
    # times, once before the import and twice after, each into a fresh file; the median counts.
    # The floor's rows are not kept in memory during the import.
    floor_files = (Path(workdir.name) / f"floor{i}.sqlite3" for i in range(3))
    floors = [time_floor(floor_rows(target or ""), next(floor_files))]

    what = f"province {QUICK_TARGET}" if target else "the whole country"
    print(f"units_import(target={target!r}): {what}, into a fresh SQLite database")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with Timer() as imported:
        report = units_import(target=target)
    for line in report.lines():
        print(f"  {line}")

    # Not timed: the table must hold exactly the floor's rows.
    failed = False
    rows = floor_rows(target or "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, name, parent_id, pinyin, initials FROM units_unit ORDER BY code"
        )
        in_db = cursor.fetchall()
    if in_db != rows:
        print(f"WRONG: the table ({len(in_db)} rows) differs from the data ({len(rows)} rows)")
        failed = True
    if sum(report.created.values()) != len(rows):
        print(f"WRONG: the report says {sum(report.created.values())} created")
        failed = True
    floors += [time_floor(rows, path) for path in floor_files]

    rerun = None
    if not args.no_rerun:
        with Timer() as rerun:
            again = units_import(target=target)
        if again.changes:
            print(f"WRONG: the re-run reports {again.changes} changes")
            failed = True
    connection.close()
    workdir.cleanup()

    floors.sort(key=lambda t: t.wall)
    floor = floors[len(floors) // 2]
    ratio = imported.wall / floor.wall
    spread = f"{floors[0].wall:.2f}–{floors[-1].wall:.2f} s"
    print()
    print(f"import    {imported}   {len(rows):,} units")
    print(f"floor     {floor}   median of 3 ({spread}): bare sqlite3 executemany")
    print(f"ratio     {ratio:7.2f} ×")
    if rerun is not None:
        print(f"re-run    {rerun}   {again.changes} changes")
    print()
    if target:
        print("(the goals are for the whole country; run without --quick)")
    print(f"goal: import ≤ {GOAL_SECONDS:.0f} s       {verdict(imported.wall <= GOAL_SECONDS)}")
    print(f"goal: import ≤ {GOAL_RATIO:.0f}× floor    {verdict(ratio <= GOAL_RATIO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
