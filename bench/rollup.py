"""National roll-ups answered live: the whole tree and millions of activities, through the API.

    .venv/bin/python bench/rollup.py                          # 1,000,000 and 10,000,000
    .venv/bin/python bench/rollup.py --reuse                  # the kept databases, if current
    .venv/bin/python bench/rollup.py --sizes 100000 --runs 5  # a quick look

Always PostgreSQL (127.0.0.1:5432). For each size a child process (Django set up once per
database):

1. prepares `xuanwen_rollup_<size>_g<GENERATION>` (1m, 10m …), kept for the next run with
   `--reuse` (without it the database is dropped and built again; a schema change bumps
   GENERATION, so an old database is never measured; 10 M takes about 25 minutes on 2 busy
   cores and 12 GB): migrates it, loads
   the whole country (41,352 townships, 620,573 villages) with `units_import`, then the
   activities with one COPY over every village and the years 2016–2025 (one in ten runs over
   several days, some across a month's end), with the indexes dropped during the load and
   built after it, and the kept counts and tallies (activities.counts) computed from the
   loaded rows by one INSERT … SELECT per tree level, what `xuanwen recount` computes; then
   VACUUM ANALYZE (what autovacuum would do after a load this size). Prints the load time;
2. with DEBUG off and the dummy cache (nothing cached in the app), asks the API for one
   indicator (activities.count) by child: the whole country by province (a national user),
   a province by city and a county by township (their supervisors), each for a year, a
   quarter and a month, and a county's assessment (its townships on a 40-item scheme, scored
   live). Each roll-up is
   first asked once cold (its first run is reported) and then `--runs` times in turn with the
   others (the median is reported); beside each, a bare `SELECT count(*)` of the activities
   it counts, timed the same way;
3. prints EXPLAIN (ANALYZE, BUFFERS) of the SQL the API ran for the province's and the
   county's year, and of a date-range roll-up that reads the activities themselves;
4. asks the same roll-ups from 4 concurrent clients (threads, each its own connection) and
   reports each one's 95th percentile.

Between the roll-ups it also times the API's floor: one unit read by its key. Growth from
the smallest size to the largest is judged in units of that floor (as bench/pages.py judges
pages against the empty page), so that a busier machine during one run does not pass for
growth; the raw ratio is printed beside it.

The parent prints the table and one `goal: … PASS|MISS` line per goal: every roll-up
≤ 0.1 s alone and ≤ 0.3 s p95 with 4 clients, an Index Only Scan in each EXPLAIN, and each
roll-up at the largest size within 1.5× of its time at the smallest (in floors). Nothing
asserts on time.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# The benches beside this one (bench/ is on the path).
from assessment import county_scheme
from load import percentile
from pages import ACTIVITY_COLUMNS, Goals, child_env

ROOT = Path(__file__).resolve().parent.parent
GENERATION = 1  # bump when the schema or the generated data changes: kept databases rebuild
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
YEARS = (2016, 2025)
INDICATOR = "activities.count"
PROVINCE, COUNTY = "33", "331082"
PERIODS = ("2025", "2025-Q4", "2025-12")
RANGE = "2025-01-01..2025-12-30"  # not whole months: read from the activities themselves
ALONE_GOAL, CONCURRENT_GOAL, GROWTH_GOAL = 0.1, 0.3, 1.5
ASSESSMENT_GOAL = 1.0  # one county's assessment (its townships on a 40-item scheme), seconds
CLIENTS = 4


def db_name(size: int) -> str:
    return (
        f"xuanwen_rollup_{size // 1_000_000}m_g{GENERATION}"
        if size % 1_000_000 == 0
        else (f"xuanwen_rollup_{size}_g{GENERATION}")
    )


# --- The child: one database, one size ----------------------------------------------------


def prepared(size: int, reuse: bool) -> float | None:
    """Point Django at the size's database, building it unless kept; the load's seconds."""
    import psycopg

    name = db_name(size)
    os.environ["DATABASE_URL"] = PG_URL.format(name=name)
    with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}"')
        fresh = not exists or not reuse
        if fresh:
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from xuanwen.accounts.models import User

    if not fresh and User.objects.filter(username="rollup-nation").exists():
        return None
    started = time.perf_counter()
    generate(size)
    return time.perf_counter() - started


def generate(size: int) -> None:
    from django.db import connection, transaction

    from xuanwen.accounts.models import Role, User
    from xuanwen.activities.models import Activity, ActivityCount, ActivityTally, ActivityType
    from xuanwen.core import clock, tree
    from xuanwen.units.models import Unit
    from xuanwen.units.services import units_import, user_create

    step = time.perf_counter()
    units_import(target=None)
    log(f"units: {Unit.objects.count():,} in {time.perf_counter() - step:.0f} s")
    User.objects.create(username="rollup-nation", name="全国用户", is_superuser=True)
    for username, code in (("rollup-province", PROVINCE), ("rollup-county", COUNTY)):
        user_create(actor=None, username=username, name="测试主管",
                    unit=Unit.objects.get(code=code), role=Role.SUPERVISOR,
                    check_password=False)  # fmt: skip
    villages = list(
        Unit.objects.filter(code__regex=r"^\d{12}$").order_by("code").values_list("code", flat=True)
    )
    types = list(
        ActivityType.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)
    )
    first = date(YEARS[0], 1, 1)
    days = (date(YEARS[1], 12, 31) - first).days + 1
    stamp = connection.ops.adapt_datetimefield_value(clock.now())
    columns = ACTIVITY_COLUMNS
    tables = [Activity._meta.db_table, ActivityTally._meta.db_table, ActivityCount._meta.db_table]
    step = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Indexes are built after the load (one sort each) rather than row by row.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " AND indexname NOT LIKE '%%_pkey'",
            [tables],
        )
        indexes = [(n, d) for n, d in cursor.fetchall() if " UNIQUE " not in d]
        for index_name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{index_name}"')
        # The foreign keys hold by construction (every village and type exists).
        cursor.execute("SET LOCAL session_replication_role = replica")
        names = ", ".join(columns)
        with cursor.cursor.copy(f"COPY {tables[0]} ({names}) FROM STDIN") as copy:
            for i in range(size):
                village = villages[(i * 7919) % len(villages)]
                day = first + timedelta(days=i * days // size)
                # One in ten runs over 1–6 more days, so some cross a month's end.
                end = day + timedelta(days=(i // 10) % 6 + 1) if i % 10 == 0 else day
                copy.write_row((
                    village, types[i % len(types)], f"活动{i}", day, end, "", "", "",
                    10 + i % 90, 50 + (i * 13) % 950, i % 12, "", "", "", stamp, stamp,
                ))  # fmt: skip
        log(f"COPY {size:,} activities: {time.perf_counter() - step:.0f} s")
        step = time.perf_counter()
        # The kept counts and tallies (activities.counts), each activity in its unit's row
        # and each ancestor's: one INSERT … SELECT per level.
        for length in tree.LEVEL_LENGTHS:
            cursor.execute(
                f"INSERT INTO {tables[1]} (path, type_id, start_month, end_month, live,"
                " participants, audience, programmes, covered)"
                f" SELECT substr(unit_id, 1, {length}), type_id,"
                " date_trunc('month', start_date)::date, date_trunc('month', end_date)::date,"
                " count(*), sum(participants), sum(audience), sum(programmes), 0"
                f" FROM {tables[0]} WHERE deleted_at IS NULL AND length(unit_id) >= {length}"
                " GROUP BY 1, 2, 3, 4"
            )
            cursor.execute(
                f"INSERT INTO {tables[2]} (path, type_id, live)"
                f" SELECT substr(unit_id, 1, {length}), type_id, count(*) FROM {tables[0]}"
                f" WHERE deleted_at IS NULL AND length(unit_id) >= {length} GROUP BY 1, 2"
            )
        log(f"tallies: {time.perf_counter() - step:.0f} s")
        step = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _index_name, definition in indexes:
            cursor.execute(definition)
        log(f"indexes: {time.perf_counter() - step:.0f} s")
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the visibility map that index-only scans need
    log(f"vacuum analyze: {time.perf_counter() - step:.0f} s")


def log(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


class Rollup:
    """One roll-up asked through the API, and the bare count of the rows it covers."""

    def __init__(self, label: str, username: str, unit: str, period: str) -> None:
        from xuanwen.indicators.periods import parse_period

        self.label, self.username, self.unit = label, username, unit
        self.url = f"/api/v1/indicators/{INDICATOR}/values?unit={unit}&period={period}&by=child"
        p = parse_period(period)
        self.period = p
        self.count_sql, self.count_params = bare_count(unit, p.start, p.end)


def bare_count(unit: str, start: date, end: date) -> tuple[str, list[Any]]:
    from xuanwen.activities.models import Activity
    from xuanwen.core import tree

    qs = Activity.objects.filter(tree.subtree_q(unit, "unit_id"), end_date__gte=start,
                                 start_date__lte=end).values("pk")  # fmt: skip
    sql, params = qs.query.sql_with_params()
    return f"SELECT count(*) FROM ({sql}) AS rows", list(params)


def child(size: int, reuse: bool, runs: int) -> dict[str, Any]:
    load = prepared(size, reuse)
    from django.db import connection, connections
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from xuanwen.accounts.models import User
    from xuanwen.accounts.services import token_create

    rollups = [
        Rollup(f"{scope} {period}", user, unit, period)
        for scope, user, unit in (
            ("country by province", "rollup-nation", ""),
            ("province by city", "rollup-province", PROVINCE),
            ("county by township", "rollup-county", COUNTY),
        )
        for period in PERIODS
    ]
    extra = [Rollup(f"province range {RANGE}", "rollup-province", PROVINCE, RANGE),
             Rollup(f"county range {RANGE}", "rollup-county", COUNTY, RANGE)]  # fmt: skip
    tokens = {u.username: token_create(user=u)[1] for u in User.objects.filter(
        username__in=["rollup-nation", "rollup-province", "rollup-county"])}  # fmt: skip
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    def ask(client: Any, r: Rollup) -> float:
        begun = time.perf_counter()
        response = client.get(r.url, HTTP_AUTHORIZATION=f"Bearer {tokens[r.username]}")
        took = time.perf_counter() - begun
        if response.status_code != 200 or not response.json().get("children"):
            raise RuntimeError(
                f"{r.url} answered {response.status_code}: {response.content[:300]!r}"
            )
        return took

    def ask_floor(client: Any) -> float:
        """The floor of an API request in this run: one unit read by its key (the token
        checked, the JSON written), taken between the roll-ups so it shares their load."""
        begun = time.perf_counter()
        response = client.get(f"/api/v1/units/{PROVINCE}/",
                              HTTP_AUTHORIZATION=f"Bearer {tokens['rollup-nation']}")  # fmt: skip
        if response.status_code != 200:
            raise RuntimeError(f"the floor answered {response.status_code}")
        return time.perf_counter() - begun

    def count(r: Rollup) -> float:
        begun = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(r.count_sql, r.count_params)
            cursor.fetchone()
        return time.perf_counter() - begun

    out: dict[str, Any] = {"size": size, "load": load, "alone": {}, "explain": {}}
    with override_settings(CACHES=dummy, DEBUG=False):
        client = Client()
        # Django's own first request (imports, URL map) is not any roll-up's.
        client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Bearer {tokens['rollup-nation']}")
        todo = rollups + extra
        firsts = {r.label: (ask(client, r), count(r)) for r in todo}
        times: dict[str, list[tuple[float, float]]] = {r.label: [] for r in todo}
        floor: list[float] = []
        for _run in range(runs):
            for r in todo:
                times[r.label].append((ask(client, r), count(r)))
                floor.append(ask_floor(client))
        out["floor"] = statistics.median(floor)
        for r in todo:
            api = statistics.median(t for t, _c in times[r.label])
            bare = statistics.median(c for _t, c in times[r.label])
            out["alone"][r.label] = {"first": firsts[r.label][0], "median": api,
                                     "count_first": firsts[r.label][1], "count_median": bare,
                                     "goal": r in rollups}  # fmt: skip
        out["assessment"] = county_assessment(client, runs)
        # EXPLAIN the SQL the API ran, as it ran it.
        for r in (rollups[0], rollups[3], rollups[6], *extra):
            with CaptureQueriesContext(connection) as ctx:
                ask(client, r)
            tables = ("activitytally", "activities_activity")
            heaviest = [
                q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in tables)
            ]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + heaviest[-1])
                out["explain"][r.label] = "\n".join(row[0] for row in cursor.fetchall())
        # The same roll-ups from 4 clients at once, each thread its own connection.
        per: dict[str, list[float]] = {r.label: [] for r in rollups}
        lock = threading.Lock()

        def client_life(offset: int) -> None:
            mine = Client()
            try:
                for n in range(runs * len(rollups)):
                    r = rollups[(n + offset * 3) % len(rollups)]
                    took = ask(mine, r)
                    with lock:
                        per[r.label].append(took)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=client_life, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out["p95"] = {label: percentile(sorted(ts), 95) for label, ts in per.items()}
    return out


# --- The parent: every size, then the goals ------------------------------------------------


def county_assessment(client: Any, runs: int) -> dict[str, float]:
    """One county's assessment through the API, uncached: its townships scored live on a
    40-item scheme of the year (bench/assessment.py's), first request and median. The scheme
    is made once per kept database."""
    from xuanwen.accounts.models import User
    from xuanwen.accounts.services import token_create
    from xuanwen.assessment.models import Scheme

    year = int(PERIODS[0])
    scheme = Scheme.objects.filter(owner_id=COUNTY, year=year).first() or county_scheme(
        COUNTY, year
    )
    _token, raw = token_create(user=User.objects.get(username="bench"))
    url = f"/api/v1/assessment/schemes/{scheme.pk}/scores/"

    def once() -> float:
        begun = time.perf_counter()
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        took = time.perf_counter() - begun
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return took

    first = once()
    return {"first": first, "median": statistics.median(once() for _ in range(max(runs, 3)))}


def report(results: list[dict[str, Any]]) -> bool:
    goal = Goals()

    for r in results:
        load = f"loaded in {r['load']:.0f} s" if r["load"] is not None else "kept database"
        print(f"\n{r['size']:,} activities, PostgreSQL, through the API, dummy cache ({load})")
        print(f"{'roll-up':<40}{'first':>8}{'median':>8}{'p95×4':>8}   count(*) first/median")
        for label, t in r["alone"].items():
            p95 = r["p95"].get(label)
            p95_text = f"{p95:8.3f}" if p95 is not None else f"{'':>8}"
            print(f"{label:<40}{t['first']:8.3f}{t['median']:8.3f}{p95_text}"
                  f"   {t['count_first']:.3f}/{t['count_median']:.3f}")  # fmt: skip
        print(f"{'floor: one unit through the API':<40}{'':>8}{r['floor']:8.3f}")
        a = r["assessment"]
        print(f"{'county assessment, 40 items':<40}{a['first']:8.3f}{a['median']:8.3f}")
        for label, plan in r["explain"].items():
            print(f"\nEXPLAIN (ANALYZE, BUFFERS), {label}:\n{plan}")
    print()
    for r in results:
        goals = {k: v for k, v in r["alone"].items() if v["goal"]}
        worst = max(goals, key=lambda k: goals[k]["median"])
        goal(f"every roll-up ≤ {ALONE_GOAL} s alone at {r['size']:,} "
             f"(slowest {worst} {goals[worst]['median']:.3f} s)",
             goals[worst]["median"] <= ALONE_GOAL)  # fmt: skip
        worst = max(r["p95"], key=lambda k: r["p95"][k])
        goal(f"every roll-up ≤ {CONCURRENT_GOAL} s p95 with {CLIENTS} clients at {r['size']:,} "
             f"(slowest {worst} {r['p95'][worst]:.3f} s)",
             r["p95"][worst] <= CONCURRENT_GOAL)  # fmt: skip
        for label, plan in r["explain"].items():
            goal(f"Index Only Scan in the EXPLAIN of {label} at {r['size']:,}",
                 "Index Only Scan" in plan)  # fmt: skip
        a = r["assessment"]
        goal(f"one county's assessment ≤ {ASSESSMENT_GOAL} s at {r['size']:,} "
             f"({a['median']:.3f} s median, {a['first']:.3f} s first)",
             a["median"] <= ASSESSMENT_GOAL)  # fmt: skip
    if len(results) > 1:
        # Each roll-up's time in units of the API's floor measured in the same run, so that a
        # busier machine during one size's run does not pass for growth (the raw ratio is
        # printed beside it).
        small, large = results[0], results[-1]
        for label, t in large["alone"].items():
            if not t["goal"]:
                continue
            before = small["alone"][label]["median"]
            growth = (t["median"] / large["floor"]) / (before / small["floor"])
            goal(f"{label} at {large['size']:,} within {GROWTH_GOAL}× of {small['size']:,} "
                 f"({growth:.2f}× in floors; raw {t['median']:.3f} s / {before:.3f} s "
                 f"= {t['median'] / before:.2f}×)",
                 growth <= GROWTH_GOAL)  # fmt: skip
    return goal.ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000000,10000000", help="activities, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each roll-up")
    parser.add_argument("--reuse", action="store_true", help="measure the kept databases")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    env = child_env()
    if args.child:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.child, args.reuse, args.runs)))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size:,} activities …", file=sys.stderr, flush=True)
        command = [sys.executable, __file__, "--child", str(size), "--runs", str(args.runs)]
        done = subprocess.run(command + (["--reuse"] if args.reuse else []),
                              env={**os.environ, **env}, stdout=subprocess.PIPE, text=True,
                              check=False)  # fmt: skip
        if done.returncode != 0:
            print(f"WRONG: the run with {size:,} activities failed", file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
