"""Whether 200 people working at once get their answers in time: a load test through gunicorn.

    .venv/bin/python bench/load.py                           # SQLite, 200 users for 60 s
    .venv/bin/python bench/load.py --db postgres             # PostgreSQL, 127.0.0.1:5432
    .venv/bin/python bench/load.py --users 10 --seconds 10   # a quick look

In one run it:

1. prepares a scratch database in a child process: SQLite in a temporary directory, or the
   PostgreSQL database xw_bench_load (dropped and created again), migrated, with the demo
   county (`xuanwen demo`: 临海市, one user per role, a year of records of 古城街道 and 文化社区),
   the static files collected into the temporary directory (DEBUG is off: pages name them
   through the manifest), and an API token (one day) for each simulated user;
2. starts gunicorn on a free port of the loopback with 2 × cores + 1 sync workers, otherwise
   as production runs it, with DEBUG off over plain HTTP (as scripts/fuzz_api.sh does). It
   serves the application with one page beside its URLs, in a URLconf of this module's (the
   production URLconf is left alone): the signed-in empty page `bench/empty/`, the session and
   the user read and base.html rendered around nothing, as in bench/pages.py. It is the
   baseline: what any signed-in page costs under the same load before it does anything;
3. signs every user in through the login form (the form's CSRF token, then the password),
   the users taking the demo accounts in turn (admin, supervisor, staff, keeper,
   projectionist, viewer), as many at a time as there are workers: each sign-in checks a
   password, ~0.2 s of CPU on purpose, and 200 at once would only queue. Then a few users ask
   once for every kind of request below, so that every worker has compiled its templates
   before the clock starts, as on a server that has been up a while. Neither is timed in the
   goals;
4. lets the users work for 60 s, each in a thread of its own: a request, 1 to 3 s of thinking
   (2 s on average, drawn at random so that the users do not fall into step), the next; the
   first requests spread over the first think time. Each request is drawn by weight:

   - **empty page** (weight 1): GET /bench/empty/ with the session; 200, signed in (the top
     bar names the user: not the login page), and the whole page;
   - **home page** (1): GET /; 200, signed in, the user's unit code;
   - **activity list** (2): GET /activities/; 200, signed in, its "N 项活动";
   - **activity detail** (2): GET /activities/<id>/ of an activity in the user's scope; 200,
     signed in, its title;
   - **API activity list** (2): GET /api/v1/activities/ with the token; 200, JSON, a count,
     and every item in the user's scope;
   - **API activity detail** (2): GET /api/v1/activities/<id>/; 200, JSON, its id and title;
   - **API activity create** (1): POST /api/v1/activities/ with a valid body, by the writers
     only; 201, JSON, the title sent.

   The writers (admin, staff, keeper, projectionist) post to units of their own scope, each
   title new, so none is a duplicate; a reader draws again. A request counts if it started
   within the 60 s; an answer with another status, without its marker, or none at all
   (refused, dropped, 60 s without a word) is an error;
5. prints per kind of request its count, errors, p50, p95 and max, and p95 as a multiple of
   the empty page's; the load average before and after, the requests per second, and the CPU
   seconds gunicorn (its workers; not PostgreSQL's own processes) and the users' own process
   took over the run (they share the machine: a server short of CPU waits for it, and its
   times say so); then one `goal: … PASS` or `goal: … MISS` line per goal:

   - 0 errors;
   - p95 ≤ 500 ms for every kind of request.

Nothing asserts on time. The exit status is 1 only when something does not answer as it
should: the database cannot be prepared, the server does not start, or any request (sign-ins
included) is an error. The errors are then listed, with the end of the server's log.
"""

import argparse
import html
import http.client
import json
import math
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
PG_NAME = "xw_bench_load"
HOST = "127.0.0.1"
GOAL_P95_MS = 500.0
TIMEOUT = 60.0  # seconds without an answer before a request is an error
WARM_USERS_PER_WORKER = 3  # users asking once for every kind before the clock starts
WARM_UP = "warm-up"  # the tally's name of those requests: "warm-up, <kind>"
WHO = '<span class="who">'  # the top bar's name of the signed-in user: not the login page
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- The server's side: the empty page, and the application gunicorn serves ----------------


def empty(request: Any) -> Any:
    """The floor of any real page: the session and the user read, base.html around nothing."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    return login_required(lambda r: render(r, "base.html", {}))(request)


urlpatterns: list[Any] = []  # filled in server() once Django is set up (this is the URLconf)


def server() -> Any:
    """What gunicorn serves (`bench.load:server()`): xuanwen's WSGI application, with this
    module as the URLconf, which is the production one plus the empty page."""
    from django.conf import settings
    from django.urls import include, path

    from xuanwen.wsgi import application  # sets Django up

    urlpatterns[:] = [path("bench/empty/", empty), path("", include("xuanwen.urls"))]
    # Before the first request, so the resolver is built from this URLconf, never the other.
    settings.ROOT_URLCONF = __name__
    return application


# --- The child: the scratch database -------------------------------------------------------


def child_prepare(users: int) -> dict[str, Any]:
    """Migrate, collect the static files, load the demo, and make a token per simulated user;
    what the users need to know: their accounts, scopes, activities and tokens."""
    import io

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from xuanwen.accounts.models import WRITE_ROLES, User
    from xuanwen.accounts.permissions import can_write
    from xuanwen.activities import selectors
    from xuanwen.activities.models import ActivityType
    from xuanwen.demo.county import DEMO_PASSWORD, demo_logins
    from xuanwen.units.selectors import units_for
    from xuanwen.units.services import api_token_create

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("demo", stdout=io.StringIO())
    accounts = []
    for login in demo_logins():
        user = User.objects.get(username=login.username)
        writer = user.role in WRITE_ROLES
        codes = list(units_for(user).order_by("code").values_list("code", flat=True))
        writable = [c for c in codes if can_write(user, c)] if writer else []
        # A county holds hundreds of villages: thirty spread over them are enough to write in.
        writable = writable[:: max(1, len(writable) // 30)]
        seen = selectors.activity_search(user, selectors.ActivityFilter())
        accounts.append(
            {
                "username": user.username,
                "role": user.role,
                "unit": user.unit_id,
                "writer": writer,
                "units": writable,
                "activities": [list(a) for a in seen.values_list("pk", "title")[:40]],
            }
        )
    tokens = []
    for i in range(users):
        account = accounts[i % len(accounts)]
        user = User.objects.get(username=account["username"])
        _token, raw = api_token_create(actor=None, user=user, name=f"负载测试 {i + 1}", days=1)
        tokens.append(raw)
    return {
        "accounts": accounts,
        "tokens": tokens,
        "password": DEMO_PASSWORD,
        "types": list(ActivityType.objects.filter(active=True).values_list("pk", flat=True)),
    }


# --- The users -----------------------------------------------------------------------------


Check = Callable[[int, bytes], str | None]  # (status, body) → what is wrong, or None


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    check: Check
    body: bytes | None = None
    api: bool = False  # with the user's token rather than the session


def page_check(marker: str) -> Check:
    """A page: 200, signed in (not the login page), and `marker` in it."""

    def check(status: int, body: bytes) -> str | None:
        if status != 200:
            return f"answered {status}"
        for wanted in (WHO, marker):
            if wanted.encode() not in body:
                return f"lacks {wanted!r}"
        return None

    return check


def json_check(status_wanted: int, judge: Callable[[Any], str | None]) -> Check:
    """An API answer: the status, JSON, and what `judge` says of it."""

    def check(status: int, body: bytes) -> str | None:
        if status != status_wanted:
            return f"answered {status}: {readable(body)}"
        try:
            data = json.loads(body)
        except ValueError:
            return "answered something not JSON"
        return judge(data)

    return check


def readable(body: bytes) -> str:
    """The start of an answer, its JSON's Chinese shown as such rather than as \\u escapes."""
    try:
        text = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        text = body.decode(errors="replace")
    return text[:200]


@dataclass
class Tally:
    """What users saw: the seconds of each kind's requests, and the errors."""

    took: dict[str, list[float]] = field(default_factory=dict)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, request, what)

    def add(self, kind: str, request: str, seconds: float, problem: str | None) -> None:
        self.took.setdefault(kind, []).append(seconds)
        if problem:
            self.errors.append((kind, request, problem))


class Person:
    """One simulated user: a demo account, a browser's cookies and an API token."""

    def __init__(
        self,
        index: int,
        account: dict[str, Any],
        secrets: tuple[str, str],  # (password, API token)
        port: int,
        types: list[int],
    ) -> None:
        self.index = index
        self.account = account
        self.password, self.token = secrets
        self.port = port
        self.types = types
        self.cookies: dict[str, str] = {}
        self.writes = 0
        self.random = random.Random(index)  # each user's draws the same from run to run
        self.tally = Tally()

    # The HTTP exchange, timed from the connection to the last byte of the answer.
    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        # A connection per request: gunicorn's sync workers close each one after the answer.
        connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for line in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, data, seconds

    def ask(self, kind: str, request: Request, tally: Tally) -> None:
        """Make the request and note its time and what was wrong with the answer, if anything."""
        headers = {}
        if request.api:
            headers["Authorization"] = f"Bearer {self.token}"
        if request.body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            status, body, seconds = self.send(request.method, request.path, request.body, headers)
        except (OSError, http.client.HTTPException) as exc:
            seconds = time.perf_counter() - started
            problem: str | None = f"no answer: {type(exc).__name__}: {exc}"
        else:
            problem = request.check(status, body)
        tally.add(kind, f"{request.method} {request.path}", seconds, problem)

    def sign_in(self, tally: Tally) -> None:
        """Through the login form, as a browser: the page (and its CSRF token), then the post."""
        started = time.perf_counter()
        try:
            status, body, _seconds = self.send("GET", "/login/")
            token = CSRF_FIELD.search(body)
            if status != 200 or token is None:
                problem: str | None = f"the login page answered {status}"
            else:
                form = urlencode(
                    {
                        "csrfmiddlewaretoken": token.group(1).decode(),
                        "username": self.account["username"],
                        "password": self.password,
                        "next": "",
                    }
                ).encode()
                headers = {"Content-Type": "application/x-www-form-urlencoded"}
                status, body, _seconds = self.send("POST", "/login/", form, headers)
                signed_in = status == 302 and "sessionid" in self.cookies
                problem = None if signed_in else f"signing in answered {status}"
        except (OSError, http.client.HTTPException) as exc:
            problem = f"no answer: {type(exc).__name__}: {exc}"
        tally.add("sign in", "GET+POST /login/", time.perf_counter() - started, problem)

    # The kinds of request; None when this user cannot make one (a reader does not write).
    def empty_page(self) -> Request | None:
        return Request("GET", "/bench/empty/", page_check("</html>"))

    def home_page(self) -> Request | None:
        return Request("GET", "/", page_check(f'<span class="code">{self.account["unit"]}</span>'))

    def activity_list(self) -> Request | None:
        return Request("GET", "/activities/", page_check("项活动"))

    def activity_detail(self) -> Request | None:
        if not self.account["activities"]:
            return None
        pk, title = self.random.choice(self.account["activities"])
        return Request("GET", f"/activities/{pk}/", page_check(html.escape(title)))

    def api_activity_list(self) -> Request | None:
        scope = self.account["unit"]

        def judge(data: Any) -> str | None:
            if not isinstance(data.get("count"), int) or not isinstance(data.get("items"), list):
                return "no count or items"
            outside = [i["unit"] for i in data["items"] if not i["unit"].startswith(scope)]
            return f"an item of {outside[0]}, outside {scope}" if outside else None

        return Request("GET", "/api/v1/activities/", json_check(200, judge), api=True)

    def api_activity_detail(self) -> Request | None:
        if not self.account["activities"]:
            return None
        pk, title = self.random.choice(self.account["activities"])

        def judge(data: Any) -> str | None:
            ok = data.get("id") == pk and data.get("title") == title
            return None if ok else f"another activity: {data.get('id')} {data.get('title')}"

        return Request("GET", f"/api/v1/activities/{pk}/", json_check(200, judge), api=True)

    def api_activity_create(self) -> Request | None:
        if not self.account["writer"] or not self.account["units"]:
            return None
        self.writes += 1
        # New for each write (user and count), so never the duplicate the rules refuse.
        title = f"负载测试第{self.index + 1}号第{self.writes}场"
        body = {
            "unit": self.random.choice(self.account["units"]),
            "type": self.random.choice(self.types),
            "title": title,
            # This past year's, as the lists show first.
            "start_date": (date.today() - timedelta(days=self.random.randrange(365))).isoformat(),
            "place": "文化礼堂",
            "participants": self.random.randrange(5, 80),
            "audience": self.random.randrange(20, 500),
            "funding": "fiscal",
        }

        def judge(data: Any) -> str | None:
            ok = isinstance(data.get("id"), int) and data.get("title") == title
            return None if ok else f"not the activity sent: {str(data)[:200]}"

        payload = json.dumps(body).encode()
        return Request("POST", "/api/v1/activities/", json_check(201, judge), payload, api=True)

    def draw(self) -> tuple[str, Request]:
        """A kind of request by weight, drawn again until this user can make it."""
        while True:
            (name,) = self.random.choices([k[0] for k in KINDS], [k[1] for k in KINDS])
            request = KIND_MAKERS[name](self)
            if request is not None:
                return name, request


# (name, weight): the mix of a user's requests; KIND_MAKERS makes each.
KINDS: list[tuple[str, int]] = [
    ("empty page", 1),
    ("home page", 1),
    ("activity list", 2),
    ("activity detail", 2),
    ("API activity list", 2),
    ("API activity detail", 2),
    ("API activity create", 1),
]
KIND_MAKERS: dict[str, Callable[[Person], Request | None]] = {
    "empty page": Person.empty_page,
    "home page": Person.home_page,
    "activity list": Person.activity_list,
    "activity detail": Person.activity_detail,
    "API activity list": Person.api_activity_list,
    "API activity detail": Person.api_activity_detail,
    "API activity create": Person.api_activity_create,
}


# --- The parent: database, server, users, report -------------------------------------------


def server_env(db: str, folder: Path) -> dict[str, str]:
    """The environment of the child and the server: production's settings over plain HTTP on
    the loopback (as scripts/fuzz_api.sh), the scratch database and folders."""
    env = {
        **os.environ,
        # This checkout's code ahead of an installed one, and `bench.load` importable.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "xuanwen.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
    }
    if db == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    else:
        env["DATABASE_URL"] = PG_URL.format(name=PG_NAME)
    return env


def make_database(db: str, drop_only: bool = False) -> None:
    """PostgreSQL: the scratch database dropped (and made again, unless `drop_only`)."""
    if db != "postgres":
        return
    import psycopg

    with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')


def free_port() -> int:
    """A port the kernel picks; released at once for gunicorn to take."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> bool:
    """Whether the server answers its login page within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass  # not listening yet
        finally:
            connection.close()
        time.sleep(0.2)
    return False


def before_the_run(users: list[Person], workers: int) -> Tally:
    """Sign every user in, then warm every worker up; one tally of both."""
    tally = Tally()
    lock = threading.Lock()

    def sign_in(user: Person) -> None:
        mine = Tally()
        user.sign_in(mine)
        with lock:
            merge(tally, mine)

    def warm(user: Person) -> None:
        mine = Tally()
        for name, _weight in KINDS:
            request = KIND_MAKERS[name](user)
            if request is not None:
                user.ask(f"{WARM_UP}, {name}", request, mine)
        with lock:
            merge(tally, mine)

    # As many at a time as there are workers: more would only wait in gunicorn's queue.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(sign_in, users))
    signed_in = [u for u in users if "sessionid" in u.cookies]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(warm, signed_in[: WARM_USERS_PER_WORKER * workers]))
    return tally


def merge(into: Tally, tally: Tally) -> None:
    for kind, times in tally.took.items():
        into.took.setdefault(kind, []).extend(times)
    into.errors.extend(tally.errors)


def work(users: list[Person], seconds: float, think: float) -> tuple[Tally, float]:
    """Every user working in a thread of its own for `seconds`; their tallies and the span
    from the clock's start to the last answer."""
    start = time.monotonic() + 0.5  # once every thread is started
    end = start + seconds

    def life(user: Person) -> None:
        # The first requests spread over the first think time, as people who sat down apart.
        time.sleep(max(0.0, start - time.monotonic()) + user.random.uniform(0, think))
        while time.monotonic() < end:
            name, request = user.draw()
            user.ask(name, request, user.tally)
            pause = user.random.uniform(think / 2, think * 3 / 2)
            # Not past the end: the span (and the rate) would count a last idle think.
            time.sleep(max(0.0, min(pause, end - time.monotonic())))

    threads = [threading.Thread(target=life, args=(u,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally = Tally()
    for user in users:
        merge(tally, user.tally)
    return tally, time.monotonic() - start


def cpu_seconds(pid: int) -> float | None:
    """The CPU seconds (user and system) of a process and its children, from /proc; None if
    unknown. Of the server: whether it had the machine to itself or shared it."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0.0
        for each in [pid, *map(int, children)]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return total


def percentile(sorted_times: list[float], p: float) -> float:
    """The nearest-rank percentile of times in ascending order."""
    return sorted_times[max(0, math.ceil(p / 100 * len(sorted_times)) - 1)]


@dataclass(frozen=True)
class Row:
    count: int
    errors: int
    p50: float
    p95: float
    max: float


def row_of(times: list[float], errors: int) -> Row:
    ordered = sorted(times) or [math.nan]
    return Row(len(times), errors, percentile(ordered, 50), percentile(ordered, 95), ordered[-1])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


@dataclass(frozen=True)
class Outcome:
    """A run's tallies and what was measured around them."""

    before: Tally  # the sign-ins and the warm-up
    run: Tally
    span: float  # seconds from the clock's start to the last answer
    load_before: float  # the 1-minute load average before the bench started anything
    client_cpu: float  # CPU seconds of this process (the users) over the run
    server_cpu: float | None  # of gunicorn and its workers over the run, if known


def report(db: str, o: Outcome) -> None:
    """Print the table, the figures around it and the goals."""
    errors = Counter(kind for kind, _request, _what in o.run.errors)
    rows = {name: row_of(o.run.took.get(name, []), errors[name]) for name, _w in KINDS}
    everything = row_of([t for times in o.run.took.values() for t in times], len(o.run.errors))
    empty_p95 = rows["empty page"].p95
    cores = os.cpu_count() or 1
    print(f"\nload average before: {o.load_before:.1f} on {cores} cores")
    print(f"{'request':<22}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'p95 ×empty':>12}")  # fmt: skip
    for name, row in [*rows.items(), ("all requests", everything)]:
        if not row.count:
            print(f"{name:<22}{0:7d}")
            continue
        print(
            f"{name:<22}{row.count:7,d}{row.errors:8,d}{row.p50 * 1000:9.0f}"
            f"{row.p95 * 1000:9.0f}{row.max * 1000:9.0f}{row.p95 / empty_p95:12.2f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    signed = row_of(o.before.took.get("sign in", []), 0)
    warmed = sum(len(t) for k, t in o.before.took.items() if k.startswith(WARM_UP))
    print(
        f"before the run: {signed.count:,} sign-ins (p50 {signed.p50 * 1000:.0f} ms, p95 "
        f"{signed.p95 * 1000:.0f} ms), {warmed:,} warm-up requests, {len(o.before.errors):,} "
        "errors"
    )
    server = f"gunicorn {o.server_cpu:.0f} s, " if o.server_cpu is not None else ""
    print(
        f"{everything.count / o.span:.1f} requests/s over {o.span:.1f} s; CPU: {server}the "
        f"users' process {o.client_cpu:.0f} s, of {o.span * cores:.0f} s on {cores} cores\n"
    )
    print(
        f"goal: 0 errors on {db} ({len(o.run.errors):,} of {everything.count:,} requests in the "
        f"run, {len(o.before.errors):,} of {signed.count + warmed:,} before it)  "
        f"{verdict(not o.run.errors and not o.before.errors)}"
    )
    worst = max(rows, key=lambda n: rows[n].p95 if rows[n].count else -1.0)
    passed = all(r.p95 <= GOAL_P95_MS / 1000 for r in rows.values() if r.count)
    print(
        f"goal: p95 ≤ {GOAL_P95_MS:.0f} ms for every kind of request on {db} (worst {worst} "
        f"{rows[worst].p95 * 1000:.0f} ms; all requests {everything.p95 * 1000:.0f} ms; empty "
        f"page {empty_p95 * 1000:.0f} ms)  {verdict(passed)}"
    )


def list_errors(tally: Tally, log: Path) -> None:
    """Each distinct error once, with how often and an example; then the server log's end."""
    seen = Counter((kind, what) for kind, _request, what in tally.errors)
    example = {(kind, what): request for kind, request, what in tally.errors}
    for (kind, what), times in seen.most_common(20):
        print(f"WRONG: {kind}: {example[kind, what]} {what} (×{times})")
    if log.exists():
        tail = log.read_text(errors="replace").splitlines()[-30:]
        if tail:
            print("the server's log ends:\n  " + "\n  ".join(tail))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0, help="of the timed run")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between requests")
    workers = 2 * (os.cpu_count() or 1) + 1
    parser.add_argument("--workers", type=int, default=workers, help="gunicorn's (2 × cores + 1)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child_prepare(args.child)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="xuanwen-load-"))
    try:
        return bench(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        make_database(args.db, drop_only=True)


def bench(args: argparse.Namespace, folder: Path) -> int:
    load_before = os.getloadavg()[0]  # what else the machine was doing before we began
    print(
        f"load — {args.db}, {args.users} users, {args.think:g} s think time, {args.seconds:g} s, "
        f"gunicorn with {args.workers} workers"
    )
    env = server_env(args.db, folder)
    make_database(args.db)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(args.users)],
        env=env, stdout=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        print("WRONG: the scratch database could not be prepared")
        return 1
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  database prepared in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    port, log = free_port(), folder / "server.log"
    command = [
        sys.executable, "-m", "gunicorn", "bench.load:server()",
        "--bind", f"{HOST}:{port}", "--workers", str(args.workers),
        "--error-logfile", str(log), "--capture-output",
        # Not the default control socket in the home directory: another gunicorn there (the CI's
        # fuzzing, a second run) would have its socket taken over.
        "--no-control-socket",
    ]  # fmt: skip
    with subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL) as gunicorn:
        try:
            if not wait_ready(port, gunicorn):
                print("WRONG: gunicorn did not answer")
                list_errors(Tally(), log)
                return 1
            accounts = facts["accounts"]
            users = [
                Person(
                    i,
                    accounts[i % len(accounts)],
                    (facts["password"], facts["tokens"][i]),
                    port,
                    facts["types"],
                )
                for i in range(args.users)
            ]
            started = time.perf_counter()
            before = before_the_run(users, args.workers)
            print(
                f"  users signed in and workers warmed in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            client, server = time.process_time(), cpu_seconds(gunicorn.pid)
            run, span = work(users, args.seconds, args.think)
            client, server_after = time.process_time() - client, cpu_seconds(gunicorn.pid)
        finally:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
    spent = server_after - server if server is not None and server_after is not None else None
    report(args.db, Outcome(before, run, span, load_before, client, spent))
    if run.errors or before.errors:
        list_errors(Tally(errors=before.errors + run.errors), log)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
