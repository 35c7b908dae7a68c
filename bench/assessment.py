"""Time the year-end assessment of every township of a province, beside a bare count.

    .venv/bin/python bench/assessment.py                       # SQLite, province 33 (浙江省)
    .venv/bin/python bench/assessment.py --db postgres         # PostgreSQL, 127.0.0.1:5432
    .venv/bin/python bench/assessment.py --per-township 10     # fewer records, a quick look

In one run it:

1. prepares a scratch database: SQLite in a temporary directory, or the PostgreSQL database of
   `--url` (dropped and created again), migrated, with the province's whole subtree imported
   from the real division data (`units_import`: 浙江省 has ~1,360 townships and ~20,000
   villages);
2. loads three years (YEARS) of records, fast: `--per-township` activities a township a year,
   spread over its villages and the types, with participants and audience, inserted in one
   transaction (COPY on PostgreSQL, executemany on SQLite), and a late monthly report for
   every third township each year;
3. makes a 40-item scheme of the province's townships for the last year (`forty_items`: every
   rule, over activity counts by type, sums, rates, late reports, overdue duties, opening
   compliance and other registers' indicators) and times, uncached, the median of three:
   - **baseline**: a bare `SELECT count(*)` of the province's activities of that year (the
     rows the activity indicators read);
   - **compute**: `scoring.compute` (every township's lines, ranks, grades, rewards);
   - **store**: a whole scoring run (`services.compute_and_store`: the same, then every
     township's result saved), once;
   - **county API**: one county's assessment through the API (`county_scheme` then
     `GET /api/v1/assessment/schemes/{id}/scores/` with a token, in-process), the call the
     roll-up bench reuses (`county_assessment_seconds`);
4. prints each figure with its ratio to the baseline, the SQL queries of `compute` (the same
   for 1 township or 1,360) and one `goal: … PASS|MISS` line per goal:
   - the province's compute ≤ GOAL_PROVINCE s;
   - one county's assessment through the API ≤ GOAL_COUNTY s.

Nothing asserts on time; the exit status is 1 only when the database cannot be prepared or a
result is wrong (not one result per township).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "33"
YEARS = (2024, 2025, 2026)
GOAL_PROVINCE = 10.0
GOAL_COUNTY = 1.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xw_bench_assessment"


def prepare(db: str, url: str, workdir: str) -> None:
    """Point Django at a fresh scratch database and migrate it."""
    if db == "postgres":
        import psycopg

        name = url.rsplit("/", 1)[1]
        server = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(workdir) / "assessment.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanwen.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load(province: str, per_township: int) -> int:
    """The province's units and three years of records; gives the activities inserted."""
    from django.db import connection, transaction

    from xuanwen.activities.models import Activity, ActivityType
    from xuanwen.core import clock
    from xuanwen.reporting.models import ReportSet, Submission, SubmissionStatus
    from xuanwen.units.models import Level, Unit
    from xuanwen.units.services import units_import

    units_import(target=province)
    codes = list(Unit.objects.filter(code__startswith=province).values_list("code", flat=True))
    townships = sorted(c for c in codes if len(c) == 9)
    villages: dict[str, list[str]] = {}
    for c in codes:
        if len(c) == 12:
            villages.setdefault(c[:9], []).append(c)
    types = list(ActivityType.objects.order_by("pk").values_list("pk", flat=True))
    stamp = connection.ops.adapt_datetimefield_value(clock.now())
    columns = (
        "unit_id", "type_id", "title", "start_date", "end_date", "organisers", "co_organisers",
        "place", "participants", "audience", "programmes", "funding", "description",
        "search_pinyin", "created_at", "updated_at",
    )  # fmt: skip

    def rows() -> Any:
        i = 0
        for year in YEARS:
            for t in townships:
                under = villages.get(t) or [t]
                for k in range(per_township):
                    day = date(year, 1, 1) + timedelta(days=(k * 37 + i) % 365)
                    unit = under[k % len(under)] if k % 4 else t
                    yield (
                        unit, types[(i + k) % len(types)], f"活动{i}", day,
                        day + timedelta(days=k % 3), "", "", "", 10 + k % 90, 50 + i % 950,
                        k % 12, "", "", "", stamp, stamp,
                    )  # fmt: skip
                    i += 1

    table = Activity._meta.db_table
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch: list[Any] = []
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            cursor.executemany(sql, batch)
            count += len(batch)
        owner = Unit.objects.get(code=province)
        report_set = ReportSet.objects.create(
            owner=owner, name="月报", levels=[Level.TOWNSHIP], indicators=["activities.count"]
        )
        Submission.objects.bulk_create(
            (
                Submission(
                    report_set=report_set,
                    unit_id=t,
                    period_key=f"{year}-03",
                    period_start=date(year, 3, 1),
                    period_end=date(year, 3, 31),
                    status=SubmissionStatus.SUBMITTED,
                    on_time=False,
                )
                for year in YEARS
                for t in townships[::3]
            ),
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would do after a load this size
    return count


def forty_items() -> "list[Any]":
    """A 40-item scheme's items: every rule, over indicators of most sources."""
    from xuanwen.activities.models import ActivityType
    from xuanwen.assessment.models import ItemRule
    from xuanwen.assessment.services import ItemData

    codes = [
        "activities.count", "activities.participants", "activities.audience",
        "activities.programmes", "activities.villages", "activities.coverage_rate",
        "awards.count", "reporting.late", "duties.overdue_periods", "duties.on_time_rate",
        "opening.compliance_rate", "opening.days", "training.classes", "honours.count",
        "facilities.count", "households.count", "designations.count", "bookhouses.loans",
    ]  # fmt: skip
    codes += [f"activities.type.{pk}" for pk in ActivityType.objects.values_list("pk", flat=True)]
    codes = (codes * 3)[:40]
    rules = (ItemRule.PROPORTIONAL, ItemRule.THRESHOLD, ItemRule.PER_OCCURRENCE, ItemRule.DEDUCTION)
    deducted = {"reporting.late", "duties.overdue_periods"}
    return [
        ItemData(
            name=f"第{i + 1}项",
            indicator=code,
            rule=ItemRule.DEDUCTION if code in deducted else rules[i % 3],
            points=Decimal("2.5"),
            target=Decimal(6),
            per=Decimal("0.5"),
        )
        for i, code in enumerate(codes)
    ]


def scheme_for(owner_code: str, year: int, name: str) -> Any:
    """A 40-item scheme of `owner_code`'s townships (by a superuser made for the bench)."""
    from xuanwen.accounts.models import User
    from xuanwen.assessment import services
    from xuanwen.units.models import Level, Unit

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        username="bench", password=None
    )
    data = services.SchemeData(
        owner=Unit.objects.get(code=owner_code), name=name, year=year,
        level=Level.TOWNSHIP, items=forty_items(),
    )  # fmt: skip
    return services.scheme_create(user=user, data=data)


def county_scheme(county_code: str, year: int) -> Any:
    """One county's 40-item township scheme: what the roll-up bench times through the API."""
    return scheme_for(county_code, year, f"{county_code} {year}年考核")


def county_assessment_seconds(scheme_id: int) -> float:
    """One uncached `GET /api/v1/assessment/schemes/{id}/scores/` by the bench's superuser,
    in-process through the whole API stack; its wall time in seconds."""
    return api_get_seconds(f"/api/v1/assessment/schemes/{scheme_id}/scores/")


def api_get_seconds(path: str) -> float:
    from django.test import Client

    from xuanwen.accounts.models import User
    from xuanwen.accounts.services import token_create

    _token, raw = token_create(user=User.objects.get(username="bench"))
    client = Client()
    started = time.perf_counter()
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return took


def median(fn: Callable[[], object], times: int = 3) -> float:
    took = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        took.append(time.perf_counter() - started)
    return statistics.median(took)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", default=DEFAULT_URL, help="the PostgreSQL scratch database")
    parser.add_argument("--province", default=PROVINCE)
    parser.add_argument("--per-township", type=int, default=20, help="activities a year")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory(prefix="xuanwen-bench-")
    try:
        prepare(args.db, args.url, workdir.name)
    except Exception as exc:
        print(f"cannot prepare the database: {exc}")
        return 1

    from django.db import connection

    from xuanwen.activities.models import Activity
    from xuanwen.assessment import scoring, services
    from xuanwen.assessment.models import Run
    from xuanwen.core import tree
    from xuanwen.units.models import Unit

    started = time.perf_counter()
    inserted = load(args.province, args.per_township)
    year = YEARS[-1]
    scheme = scheme_for(args.province, year, f"{year}年乡镇综合文化站考核")
    townships = len(scoring.scored_units(scheme))
    print(f"{connection.vendor}: province {args.province}, {townships} townships, "
          f"{inserted} activities over {YEARS[0]}–{year}, loaded in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    rows = Activity.objects.filter(
        tree.subtree_q(args.province, "unit_id"),
        start_date__lte=date(year, 12, 31), end_date__gte=date(year, 1, 1),
    )  # fmt: skip
    baseline = median(lambda: rows.count())
    compute = median(lambda: scoring.compute(scheme))
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        scores = scoring.compute(scheme)
    run = Run.objects.create(scheme=scheme, version=1)
    store = median(lambda: services.compute_and_store(run), times=1)
    failed = len(scores) != townships or run.results.count() != townships

    county = (
        Unit.objects.filter(code__startswith=args.province, code__regex=r"^\d{6}$")
        .order_by("code")
        .first()
    )
    assert county is not None
    county_id = county_scheme(county.code, year).pk
    county_units = len(scoring.scored_units(scheme.__class__.objects.get(pk=county_id)))
    api_get_seconds("/api/v1/assessment/schemes/")  # a server that has been up: code loaded
    county_api = median(lambda: county_assessment_seconds(county_id))

    def line(label: str, seconds: float) -> None:
        print(f"  {label:<44} {seconds:8.3f} s   {seconds / baseline:8.1f}× baseline")

    line(f"baseline: count(*) of {rows.count()} activities of {year}", baseline)
    line(f"compute: {townships} townships × 40 items ({len(queries)} queries)", compute)
    line(f"store: a scoring run, {townships} results saved", store)
    line(f"county API: {county.name}, {county_units} townships", county_api)
    print(
        f"goal: the province's compute ≤ {GOAL_PROVINCE:.0f} s: {verdict(compute <= GOAL_PROVINCE)}"
    )
    print(f"goal: one county's assessment through the API ≤ {GOAL_COUNTY:.0f} s: "
          f"{verdict(county_api <= GOAL_COUNTY)}")  # fmt: skip
    if failed:
        print("WRONG: not one result per township")
    workdir.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
