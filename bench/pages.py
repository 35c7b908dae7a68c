"""What users feel: the first view of each page, uncached, and whether it slows as data grows.

    .venv/bin/python bench/pages.py                      # SQLite, 50,000 and 1,000,000 activities
    .venv/bin/python bench/pages.py --db postgres        # the same on PostgreSQL, 127.0.0.1:5432
    .venv/bin/python bench/pages.py --sizes 5000 --seconds 1     # a quick look

For each size it runs a child process (Django is set up once per database) that:

1. prepares a database with one county (331082 临海市, imported with `units_import`), its
   admin and supervisor, N activities over the county's villages and the years 2006–2025,
   a facility in each of 200 villages, and the county's 2025 plan from the shipped template.
   The activities are written in bulk straight to the table (the services would take an hour
   for a million) in date order, as they accumulate in life, and their counters are then
   rebuilt with `counts.rebuild()`, which is what `xuanwen recount` does after a hand edit.
   A prepared database is kept for the next run: SQLite files under bench/out/ (gitignored),
   PostgreSQL databases named xw_bench_pages_<N>;
2. with DEBUG off and `CACHES` set to the dummy cache, requests each page in-process through
   Django's test client (the WSGI handler and all middleware, without a network): the bare
   view (`bench/bare/`: a view returning two bytes, no session), the signed-in empty page
   (`bench/empty/`: the session and the user read, base.html rendered around nothing) and the
   pages below, signed in as the county's supervisor. The pages take turns in short slots
   of repeated requests (so all share the machine's load), each slot's first request not
   counted; a page's time is the median of its requests in a round, and the median over
   rounds;
3. counts the SQL queries of one request of each page.

The parent prints one line per page and size, `name  req/s  ×bare  ×empty`, then one
`goal: … PASS` or `goal: … MISS` line per goal:

- lists and details ≥ 0.3× the empty page, at each size;
- plan progress and the indicator table ≥ 0.1× the empty page, at each size;
- the SQL queries of each page the same at every size;
- each list at the largest size within 1.5× of its time at the smallest.

Nothing asserts on time; the exit status is 1 only when a page does not answer as it should.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
COUNTY = "331082"
YEARS = (2006, 2025)  # the activities' dates run over these years
FACILITIES = 200
PLACES = ("村文化广场", "文化礼堂", "农家书屋", "学校操场", "老年活动中心")
GENERATION = 2  # bump when the generated data changes: older kept databases are rebuilt
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
# The activities' columns a generated row gives, in the order of COPY (also bench/rollup.py).
ACTIVITY_COLUMNS = (
    "unit_id", "type_id", "title", "start_date", "end_date", "organisers", "co_organisers",
    "place", "participants", "audience", "programmes", "funding", "description",
    "search_pinyin", "created_at", "updated_at",
)  # fmt: skip

# (name, url, kind): kind "list" and "detail" share the 0.3× goal, "heavy" the 0.1× one.
LISTS_GOAL, HEAVY_GOAL, GROWTH_GOAL = 0.3, 0.1, 1.5
SLOT = 0.25  # seconds of one page's repeated requests before the next page's turn


# --- The child: one database, one size ----------------------------------------------------


def bare(request: Any) -> Any:
    """The floor: a Django view that does nothing, behind the same middleware."""
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")


def empty(request: Any) -> Any:
    """The floor of any real page: the session and the user read, base.html around nothing."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    return login_required(lambda r: render(r, "base.html", {}))(request)


urlpatterns: list[Any] = []  # filled once Django is set up (this module is the URLconf)


def prepared(size: int, db: str) -> None:
    """Point Django at the size's database, building it if it is not there yet."""
    if db == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"pages-{size}-g{GENERATION}.sqlite3"
        os.environ["SQLITE_PATH"] = str(path)
        os.environ.pop("DATABASE_URL", None)
        fresh = not path.exists()
    else:
        import psycopg

        name = f"xw_bench_pages_{size}_g{GENERATION}"
        os.environ["DATABASE_URL"] = PG_URL.format(name=name)
        with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
            fresh = not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if fresh:
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG off: the manifest
    from xuanwen.accounts.models import User

    if fresh or not User.objects.filter(username="bench-supervisor").exists():
        started = time.perf_counter()
        generate(size)
        print(f"  {size:,} activities generated in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)  # fmt: skip


def generate(size: int) -> None:
    """The county, its users, `size` activities, facilities and the 2025 plan."""
    from django.db import connection, transaction

    from xuanwen.accounts.models import Role
    from xuanwen.activities import counts
    from xuanwen.activities.models import Activity, ActivityType
    from xuanwen.core import clock
    from xuanwen.core.text import pinyin_of
    from xuanwen.facilities import services as facilities
    from xuanwen.facilities.models import FacilityKind
    from xuanwen.plans import services as plans
    from xuanwen.units.models import Unit
    from xuanwen.units.services import units_import, user_create

    units_import(target=COUNTY)
    county = Unit.objects.get(code=COUNTY)
    admin = user_create(
        actor=None,
        username="bench-admin",
        name="测试管理员",
        unit=county,
        role=Role.ADMIN,
        check_password=False,
    )
    user_create(
        actor=None,
        username="bench-supervisor",
        name="测试主管",
        unit=county,
        role=Role.SUPERVISOR,
        check_password=False,
    )
    villages = list(Unit.objects.filter(code__startswith=COUNTY, code__regex=r"^\d{12}$"))
    types = list(ActivityType.objects.filter(active=True).order_by("pk"))
    first, last = date(YEARS[0], 1, 1), date(YEARS[1], 12, 31)
    days = (last - first).days + 1
    pinyin = {v.pk: " ".join(pinyin_of(f"{v.name}文化活动")) for v in villages}
    stamp = connection.ops.adapt_datetimefield_value(clock.now())
    columns = ACTIVITY_COLUMNS

    def row(i: int) -> tuple[Any, ...]:
        village = villages[(i * 7919) % len(villages)]
        day = first + timedelta(days=i * days // size)
        return (
            village.pk, types[i % len(types)].pk, f"{village.name}文化活动第{i + 1}期",
            day, day, "", "", PLACES[(i // 3) % len(PLACES)], 10 + i % 90,
            50 + (i * 13) % 950, i % 12, "", "", pinyin[village.pk], stamp, stamp,
        )  # fmt: skip

    table = Activity._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                names = ", ".join(columns)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for i in range(size):
                        copy.write_row(row(i))
            else:
                sql = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                )
                for start in range(0, size, 50_000):
                    batch = range(start, min(start + 50_000, size))
                    cursor.executemany(sql, [row(i) for i in batch])
        counts.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would do after a load this size
    kind = FacilityKind.objects.order_by("pk").first()
    assert kind is not None
    for village in villages[:FACILITIES]:
        facilities.facility_create(
            user=admin,
            data=facilities.FacilityData(unit=village, kind=kind, name=f"{village.name}文化室"),
        )
    plans.plan_create(
        user=admin,
        data=plans.PlanData(unit=county, kind="year", year=YEARS[1]),
        template="township_station_year",
    )


def pages() -> list[tuple[str, str, str, bytes]]:
    """(name, url, kind, a marker the answer must hold)."""
    from xuanwen.activities.models import Activity, ActivityType
    from xuanwen.plans.models import WorkPlan

    kind = ActivityType.objects.order_by("pk")[2]
    middle = Activity.objects.order_by("pk").values_list("pk", flat=True)
    some = middle[middle.count() // 2]
    plan = WorkPlan.objects.get(unit_id=COUNTY, year=YEARS[1])
    return [
        ("bare view", "/bench/bare/", "floor", b"ok"),
        ("empty page", "/bench/empty/", "floor", b"</html>"),
        ("activity list", "/activities/", "list", "项活动".encode()),
        ("list, type + text", f"/activities/?type={kind.pk}&q=礼堂", "list", b'class="title"'),
        ("list, last page", "/activities/?at=last", "list", "项活动".encode()),
        ("activity detail", f"/activities/{some}/", "detail", b"<h1"),
        ("facility list", "/facilities/", "list", b'class="title"'),
        ("plan progress", f"/plans/{plan.pk}/progress/", "heavy", b"progress-table"),
        ("dashboard (home)", "/", "heavy", b'id="rankings"'),
        (
            "indicators by child",
            f"/indicators/?unit={COUNTY}&period={YEARS[1]}&by=child",
            "heavy",
            b"<table",
        ),
    ]


def child(size: int, db: str, seconds: float, rounds: int) -> dict[str, Any]:
    prepared(size, db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches, include, path

    from xuanwen.accounts.models import User

    urlpatterns[:] = [
        path("bench/bare/", bare),
        path("bench/empty/", empty),
        path("", include("xuanwen.urls")),
    ]
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(ROOT_URLCONF=__name__, CACHES=dummy, DEBUG=False):
        clear_url_caches()
        assert not settings.DEBUG
        signed_in = Client()
        signed_in.force_login(User.objects.get(username="bench-supervisor"))
        anonymous = Client()
        todo = pages()

        def get(name: str, url: str, marker: bytes) -> None:
            client = anonymous if name == "bare view" else signed_in
            response = client.get(url)
            if response.status_code != 200 or marker not in response.content:
                raise RuntimeError(f"{name}: {url} answered {response.status_code}")

        queries: dict[str, int] = {}
        for name, url, _kind, marker in todo:
            get(name, url, marker)  # warm: imports, templates, the database's cache
            with CaptureQueriesContext(connection) as ctx:
                get(name, url, marker)
            queries[name] = len(ctx.captured_queries)
        # Each page is asked in short slots of repeated requests, the pages taking turns,
        # so a page and the empty page it is compared with share the machine's load over the
        # round (one long stretch per page gave each its own stretch of a busy machine). A
        # slot's first request is not counted: every page is timed warm, as the empty page is
        # (timing one request after another page's would charge it that page's cold caches).
        # A round's time per page is the median of its requests; the rate is from the median
        # round.
        medians: dict[str, list[float]] = {name: [] for name, _u, _k, _m in todo}
        for _round in range(rounds):
            took: dict[str, list[float]] = {name: [] for name in medians}
            started = time.perf_counter()
            while time.perf_counter() - started < seconds * len(todo) / rounds:
                for name, url, _kind, marker in todo:
                    get(name, url, marker)
                    slot = time.perf_counter()
                    while (begun := time.perf_counter()) - slot < SLOT or len(took[name]) < 3:
                        get(name, url, marker)
                        took[name].append(time.perf_counter() - begun)
            for name, times in took.items():
                medians[name].append(statistics.median(times))
        rates = {name: 1 / statistics.median(m) for name, m in medians.items()}
    return {
        "size": size,
        "rates": rates,
        "queries": queries,
        "kinds": {name: kind for name, _url, kind, _m in todo},
    }


# --- The parent: every size, then the goals ------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


class Goals:
    """Prints one `goal: … PASS|MISS` line per goal and keeps whether all passed (also used by
    bench/rollup.py)."""

    def __init__(self) -> None:
        self.ok = True

    def __call__(self, text: str, passed: bool) -> None:
        self.ok &= passed
        print(f"goal: {text}  {verdict(passed)}")


def report(results: list[dict[str, Any]], db: str) -> bool:
    """Print the table and the goals; True when every goal passes."""
    sizes = [r["size"] for r in results]
    kinds: dict[str, str] = results[0]["kinds"]
    print(f"\npages, {db}, in-process, CACHES dummy, median request")
    for r in results:
        rates = r["rates"]
        floor, empty_page = rates["bare view"], rates["empty page"]
        print(f"\n{r['size']:,} activities          req/s   ×bare  ×empty  queries")
        for name, rate in rates.items():
            print(
                f"{name:<24}{rate:8.1f}  {rate / floor:6.2f}  {rate / empty_page:6.2f}"
                f"  {r['queries'][name]:5d}"
            )
    print()
    goal = Goals()

    for r in results:
        empty_page = r["rates"]["empty page"]
        ratios = {n: v / empty_page for n, v in r["rates"].items()}
        light = [n for n, k in kinds.items() if k in ("list", "detail")]
        heavy = [n for n, k in kinds.items() if k == "heavy"]
        worst = min(light, key=lambda n: ratios[n])
        goal(
            f"lists and details ≥ {LISTS_GOAL}× empty at {r['size']:,} "
            f"(lowest {worst} {ratios[worst]:.2f}×)",
            ratios[worst] >= LISTS_GOAL,
        )
        worst = min(heavy, key=lambda n: ratios[n])
        goal(
            f"plan progress and indicator table ≥ {HEAVY_GOAL}× empty at {r['size']:,} "
            f"(lowest {worst} {ratios[worst]:.2f}×)",
            ratios[worst] >= HEAVY_GOAL,
        )
    varying = [name for name in kinds if len({r["queries"][name] for r in results}) > 1]
    goal(
        "SQL queries per page the same at "
        + " and ".join(f"{s:,}" for s in sizes)
        + (f" (differ: {', '.join(varying)})" if varying else ""),
        not varying,
    )
    if len(results) > 1:
        small, large = results[0], results[-1]
        lists = [n for n, k in kinds.items() if k == "list"]
        # Time per request relative to the empty page of the same run, so that a busier
        # machine during one size's run does not pass for growth.
        growth = {
            n: (small["rates"][n] / small["rates"]["empty page"])
            / (large["rates"][n] / large["rates"]["empty page"])
            for n in lists
        }
        worst = max(lists, key=lambda n: growth[n])
        goal(
            f"each list at {large['size']:,} within {GROWTH_GOAL}× its time at "
            f"{small['size']:,} (most {worst} {growth[worst]:.2f}×)",
            growth[worst] <= GROWTH_GOAL,
        )
    return goal.ok


def child_env() -> dict[str, str]:
    """The settings of a child that serves requests in-process: DEBUG off as in production, a
    throwaway key, the test client's host, no HTTPS redirects, static files under bench/out/
    (also used by bench/rollup.py)."""
    return {
        "DJANGO_SETTINGS_MODULE": "xuanwen.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(OUT / "static"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sizes", default="50000,1000000", help="activities, comma-separated")
    parser.add_argument("--seconds", type=float, default=4.0, help="per page and size")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    env = child_env()
    if args.child:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.child, args.db, args.seconds, args.rounds)))
        return 0

    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size:,} activities, {args.db} …", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--db", args.db,
             "--seconds", str(args.seconds), "--rounds", str(args.rounds)],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"WRONG: the run with {size:,} activities failed", file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report(results, args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
