"""Requests per second of the activity list (and a plan's progress page) against a bare view.

    .venv/bin/python bench/pages.py                    # 50,000 activities, 200 requests / 10 s
    .venv/bin/python bench/pages.py --activities 5000 --requests 50

In one run it:

1. creates a fresh temporary SQLite database (SQLITE_PATH, set before django.setup()),
   migrates it, imports the county 331082 (临海市) with `units_import`, creates its admin and
   supervisor, and records N activities spread over the county's villages and the year 2025
   (through `services.activities_import`); if the plans app has a progress page, the admin
   also makes the county's 2025 plan from the shipped template, whose items measure
   activities;
2. collects the static files and starts gunicorn (one sync worker) on 127.0.0.1 with
   DEBUG off, serving the project's URLs plus two baselines: the bare view (`/bench/bare/`: a
   Django view returning a two-byte HttpResponse through the same middleware) and the empty
   page (`/bench/empty/`: signed in, so the session and the user are read, and the site's
   base template rendered around nothing: the floor of every real page);
3. logs the supervisor in through the login page, like a browser (session cookie, CSRF);
4. in turn, twice, requests each page over loopback, one request at a time, up to --requests
   requests or --seconds seconds each, after a few unmeasured warm-up requests, and keeps the
   better of the two rounds;
5. prints requests per second of each page, each page's ratio to the bare view and to the
   empty page, and the goal (list ≥ 0.3× bare) with PASS or MISS.

The list's content is kept per version of the data (core.versioned), so "activity list" is
the page as users mostly meet it: rendered once since the last change. "list, uncached" asks
for a new query string each time, so its content is rendered on every request, as on the
first view of a page or right after a change (its count is still kept). Likewise "progress,
uncached" asks for the plan's progress as of another day each time.

The server and this client share the machine, and the bare view pays the same costs of
loopback, gunicorn and middleware, which is what makes the ratio meaningful. Always SQLite:
DATABASE_URL is ignored. Nothing asserts on time; the exit status is 1 only when a page does
not answer as it should (not 200, or not the expected page).
"""

import argparse
import http.client
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "331082"
PASSWORD = "bench-password-1"
GOAL_RATIO = 0.3
WARM_UP = 5
numbers = itertools.count()


# --- The server side: gunicorn imports this module as "pages" -------------------------------


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: a Django view that does nothing, behind the same middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def empty(request: HttpRequest) -> HttpResponse:
    """The floor of any real page: a signed-in user (session and user read) and the site's
    base template around nothing."""
    return render(request, "base.html", {})


# Filled once Django is set up (include() imports the project's URLconf at once).
urlpatterns: list[Any] = []

_wsgi: Any = None


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """gunicorn's entry point: the project's WSGI app, with this module as its URLconf."""
    global _wsgi
    if _wsgi is None:
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        _wsgi = get_wsgi_application()
        urlpatterns[:] = [
            path("bench/bare/", bare),
            path("bench/empty/", empty),
            path("", include("xuanwen.urls")),
        ]
        settings.ROOT_URLCONF = __name__
    return _wsgi(environ, start_response)


# --- The client side -----------------------------------------------------------------------


class Client:
    """Plain HTTP/1.1 over loopback, a new connection per request (gunicorn's sync worker
    closes each), carrying cookies like a browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, url: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, url, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers), content
        finally:
            conn.close()

    def login(self, username: str, password: str) -> bool:
        _status, _headers, page = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            return False
        status, _headers, _ = self.request(
            "POST",
            "/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": match[1].decode(),
            },
        )
        return status == 302 and "sessionid" in self.cookies


def fill(url: str) -> str:
    """The url with "{n}" a number and "{day}" a date, both new for each request of the run."""
    n = next(numbers)
    return url.format(n=n, day=date(2025, 1, 1) + timedelta(days=n))


def measure(client: Client, url: str, marker: bytes, requests: int, seconds: float) -> float:
    """Requests per second of `url`, one at a time; raises if an answer is not the page.

    See `fill` for the placeholders a url may hold.
    """
    for _ in range(WARM_UP):
        check(client, fill(url), marker)
    done = 0
    started = time.perf_counter()
    while done < requests and time.perf_counter() - started < seconds:
        check(client, fill(url), marker)
        done += 1
    return done / (time.perf_counter() - started)


def check(client: Client, url: str, marker: bytes) -> None:
    status, _headers, content = client.request("GET", url)
    if status != 200 or marker not in content:
        raise RuntimeError(f"{url} answered {status} without {marker!r}")


# --- Data ----------------------------------------------------------------------------------


def load_data(count: int) -> tuple[Any, Any, int | None]:
    """The county, its admin and supervisor, `count` activities and (if possible) a plan."""
    from django.urls import NoReverseMatch, reverse

    from xuanwen.accounts.models import Role, User
    from xuanwen.activities.models import ActivityType
    from xuanwen.activities.services import ActivityData, activities_import
    from xuanwen.units.models import Unit
    from xuanwen.units.services import units_import

    units_import(target=COUNTY)
    admin = User.objects.create_user(
        username="bench-admin", password=PASSWORD, unit_id=COUNTY, role=Role.ADMIN
    )
    supervisor = User.objects.create_user(
        username="bench-supervisor", password=PASSWORD, unit_id=COUNTY, role=Role.SUPERVISOR
    )
    villages = list(Unit.objects.filter(code__startswith=COUNTY, code__regex=r"^\d{12}$"))
    types = list(ActivityType.objects.filter(active=True))
    first = date(2025, 1, 1)
    rows = []
    for i in range(count):
        unit = villages[i % len(villages)]
        start = first + timedelta(days=(i * 11) % 365)
        rows.append(
            ActivityData(
                unit=unit,
                type=types[i % len(types)],
                title=f"{unit.name}文化活动第{i + 1}期",
                start_date=start,
                end_date=start,
                place="村文化广场",
                participants=10 + i % 90,
                audience=50 + (i * 13) % 950,
            )
        )
    started = time.perf_counter()
    activities_import(user=admin, rows=rows, source="bench")
    print(f"  {count:,} activities recorded in {time.perf_counter() - started:.1f} s")

    plan_id = None
    try:
        reverse("plans:progress", args=[1])
    except NoReverseMatch:
        return admin, supervisor, None
    from xuanwen.plans import services as plans

    plan = plans.plan_create(
        user=admin,
        data=plans.PlanData(unit=Unit.objects.get(code=COUNTY), kind="year", year=2025),
        template="township_station_year",
    )
    plan_id = plan.pk
    return admin, supervisor, plan_id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 60 s")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200, help="at most, per page and round")
    parser.add_argument("--seconds", type=float, default=10.0, help="at most, per page and round")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="xuanwen-bench-")
    tmp = Path(workdir.name)
    env = {
        "DJANGO_SETTINGS_MODULE": "xuanwen.settings",
        "SQLITE_PATH": str(tmp / "bench.sqlite3"),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        # Production settings, except HTTPS: this is plain HTTP on loopback.
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command

    print(f"pages — {args.activities:,} activities in {COUNTY}, SQLite {env['SQLITE_PATH']}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    _admin, supervisor, plan_id = load_data(args.activities)

    port = free_port()
    log = tmp / "gunicorn.log"
    server_env = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}"}
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "pages:application",
            ],
            env=server_env,
            cwd=str(ROOT),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    failed = False
    results: dict[str, float] = {}
    try:
        wait_for(port, server, log)
        client = Client(port)
        if not client.login(supervisor.username, PASSWORD):
            print("WRONG: the supervisor could not log in")
            return 1
        pages: list[tuple[str, str, bytes]] = [
            ("bare view", "/bench/bare/", b"ok"),
            ("empty page", "/bench/empty/", b"</html>"),
            # The list's count line, e.g. "共 50000 项活动": the real page, not the login form.
            ("activity list", "/activities/", f"{args.activities} ".encode()),
            # A new query string each request: the list's parts are rendered every time, as on
            # the first view of a page or after any change to the data (the count is kept).
            ("list, uncached", "/activities/?v={n}", f"{args.activities} ".encode()),
        ]
        if plan_id is not None:
            progress = f"/plans/{plan_id}/progress/"
            pages.append(("plan progress", progress, b"progress-table"))
            # Each request another day to look back from: the targets are computed every time.
            pages.append(("progress, uncached", progress + "?as_of={day}", b"progress-table"))
        for _round in range(2):
            for name, url, marker in pages:
                try:
                    rate = measure(client, url, marker, args.requests, args.seconds)
                except RuntimeError as exc:
                    print(f"WRONG: {exc}")
                    failed = True
                    continue
                results[name] = max(results.get(name, 0.0), rate)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        workdir.cleanup()

    print()
    print(f"best of 2 rounds, ≤ {args.requests} requests or {args.seconds:.0f} s each, 1 at a time")
    floor = results.get("bare view")
    empty_page = results.get("empty page")
    for name, rate in results.items():
        versus = f"{rate / floor:5.2f} × bare" if floor else ""
        if empty_page and name not in ("bare view", "empty page"):
            versus += f"   {rate / empty_page:5.2f} × empty page"
        print(f"{name:<18} {rate:8.1f} req/s   {versus}")
    if plan_id is None:
        print("plan progress  (skipped: no plans:progress page in this checkout)")
    print()
    if floor and "activity list" in results:
        ratio = results["activity list"] / floor
        print(f"goal: list ≥ {GOAL_RATIO}× bare view   {verdict(ratio >= GOAL_RATIO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
