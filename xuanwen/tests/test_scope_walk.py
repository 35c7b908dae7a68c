"""The scope walker: every page and every API operation, for every persona, with every
parameter filled by something outside the persona's subtree, answers 404 and changes nothing.

It finds the routes itself: every URL pattern of the root resolver (through includes) and every
operation of the OpenAPI document. A new route whose path or query has a parameter name that
PARAMS below does not know makes these tests fail until PARAMS says how to make an in-scope and
an out-of-scope value for it; that is deliberate, so no new app escapes the walk.
"""

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from unittest import mock
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from xuanwen.accounts.models import MANAGE_ROLES, WRITE_ROLES, ApiToken, User
from xuanwen.activities.models import Activity, ActivityType, Attachment, Award, MediaCoverage
from xuanwen.api.api import api
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core.models import ImportJob
from xuanwen.core.text import pinyin_of
from xuanwen.plans.models import PlanItem, PlanSection, WorkPlan
from xuanwen.plans.tests.helpers import walk_fixtures as plan_walk_fixtures
from xuanwen.records.models import OwnedCatalogue
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.tests.walk import (
    GHOST_CODE,
    GHOST_ID,
    Values,
    discover,
    owned_kinds,
    records,
    register_forms,
    unit_codes,
)
from xuanwen.units import selectors as unit_selectors
from xuanwen.units.models import Unit
from xuanwen.units.services import unit_delete

# ---------------------------------------------------------------------------------------------
# How to fill a parameter. The apps of the core loop are described here; newer apps describe
# their own in xuanwen/<app>/tests/walk.py (see xuanwen/tests/walk.py), found by discover().
# ---------------------------------------------------------------------------------------------


def audit_ids(user: User) -> Values:
    """Entries as records of their unit, plus every deletion outside: restoring one through a
    scope hole would change the database, which the walk checks."""
    values = records(AuditEntry, "unit_code")(user)
    deletions = AuditEntry.objects.filter(action=Action.DELETE).values_list("pk", "unit_code")
    extra = [str(pk) for pk, code in deletions if not user.scope.contains(code)]
    outside = list(dict.fromkeys([*values.outside[:-1], *extra]))
    return Values(inside=values.inside, outside=[*outside, values.outside[-1]])


plan_ids = records(WorkPlan, "unit_id")
activity_ids = records(Activity, "unit_id")


def activity_fixtures(root: User, admin: User) -> None:
    """An activity in every unit, and a soft-deleted one in township A (outside for all)."""
    kind = ActivityType.objects.order_by("pk").first()
    for unit in Unit.objects.order_by("code"):
        Activity.objects.create(
            unit=unit, type=kind, title=f"{unit.name}活动", start_date=date(2025, 3, 1),
            end_date=date(2025, 3, 1),
        )  # fmt: skip
    Activity.objects.create(
        unit_id=Tree.TOWNSHIP_A, type=kind, title="已删除的活动", start_date=date(2025, 3, 2),
        end_date=date(2025, 3, 2), deleted_at=timezone.now(),
    )  # fmt: skip


def attachment_fixtures(root: User, admin: User) -> None:
    """A photo with its thumbnail, a coverage report and an award on one activity per unit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuanwen.activities import services as activity_services
    from xuanwen.activities.tests.helpers import image_bytes
    from xuanwen.core.files import check_upload

    for activity in Activity.objects.order_by("unit_id", "pk").distinct():
        if Attachment.objects.filter(activity__unit_id=activity.unit_id).exists():
            continue
        upload = check_upload(SimpleUploadedFile("photo.jpg", image_bytes()))
        activity_services.attachment_add(user=root, activity=activity, upload=upload)
        MediaCoverage.objects.create(
            activity=activity, outlet="临海新闻", level="county", date=date(2025, 3, 2)
        )
        Award.objects.create(
            activity=activity,
            name="优秀组织奖",
            level="county",
            winner_kind="team",
            winner="艺术团",
        )


def owned_kind_fixtures(root: User, admin: User) -> None:
    """A kind of every vocabulary owned by every unit (records.models): each unit's admin has
    one of their own, and another county's is outside."""
    for model in apps.get_models():
        if not issubclass(model, OwnedCatalogue):
            continue
        coded = any(f.name == "code" for f in model._meta.get_fields())
        for unit in Unit.objects.order_by("code"):
            extra = {"code": f"own-{unit.code}"} if coded else {}
            model._default_manager.create(name=f"{unit.name}自有{unit.code}", owner=unit, **extra)


activity_type_ids = owned_kinds(ActivityType)


def indicator_codes(user: User) -> Values:
    """Indicators are not records of a unit: any known code is "inside", an unknown one not."""
    return Values(inside="activities.count", outside=["no.such.indicator"])


def import_job_fixtures(root: User, admin: User) -> None:
    """A finished import job of every user: a job is its user's own, whatever the units."""
    for user in User.objects.order_by("pk"):
        ImportJob.objects.create(
            user=user, flow="activities", file="imports/walk.xlsx", filename="walk.xlsx",
            step=ImportJob.Step.SAVE, state=ImportJob.State.DONE, result={"message": "已导入。"},
        )  # fmt: skip


def import_job_ids(user: User) -> Values:
    """The user's own job inside; another user's (a superuser's included) outside."""
    mine = ImportJob.objects.filter(user=user).order_by("pk").values_list("pk", flat=True)
    others = ImportJob.objects.exclude(user=user).order_by("pk").values_list("pk", flat=True)
    return Values(inside=str(mine[0]) if mine else None, outside=[str(others[0]), GHOST_ID])


def audit_fixtures(root: User, admin: User) -> None:
    """One audit entry per unit, deleted villages that could be restored, and a country-wide
    import that only superusers see."""
    for unit in Unit.objects.all():
        audit_record(
            actor=admin, action=Action.UPDATE, obj=unit, unit_code=unit.code,
            before=snapshot(unit), after=snapshot(unit),
        )  # fmt: skip
    # Restorable: a scope hole in restore would bring them back, which the walk would see.
    for parent in (Tree.TOWNSHIP_A, Tree.TOWNSHIP_B, Tree.OTHER_TOWNSHIP):
        full, initials = pinyin_of("测试社区")
        unit = Unit.objects.create(
            code=f"{parent}099", name="测试社区", parent_id=parent, pinyin=full, initials=initials
        )
        unit_delete(user=root, unit=unit)
    audit_record(
        actor=None, action=Action.IMPORT, obj=Unit(code="", name="全国"), unit_code="",
        after={"created": {"村社区": 1}},
    )  # fmt: skip


# Records for the walk to aim at, made once per test class: fixtures(root, admin) where root is
# a superuser. Every factory in PARAMS needs rows inside every persona's subtree (at least one
# per unit of the shared tree) and outside it.
FIXTURES: list[Callable[[User, User], None]] = [
    owned_kind_fixtures,
    audit_fixtures,
    plan_walk_fixtures,
    activity_fixtures,
    attachment_fixtures,
    import_job_fixtures,
]
_app_fixtures, _app_params, _app_form_pages = discover()
FIXTURES += _app_fixtures


# How to fill each parameter: a factory of in-scope and out-of-scope values, or None for a
# parameter that names no record (it is left out of the request).
#
# A path parameter is keyed by the path segment before it and its name: `/units/<code>/` and
# `/api/v1/units/{code}/` are "units:code", `/activities/attachments/<int:pk>/` is
# "attachments:pk", so that an id is never mistaken for another model's. A query parameter or a
# field of a JSON request body is keyed by its plain name, or by "segment:name" with the last
# fixed segment of the path, which wins.
#
# Out of scope, a parameter naming a record answers 404 (405 where the route does not take the
# method at all); a query parameter of a list may instead answer an empty list.
PARAMS: dict[str, Callable[[User], Values] | None] = {
    "units:code": unit_codes,
    "audit:pk": audit_ids,
    "audit:entry_id": audit_ids,
    "plans:pk": plan_ids,
    "plans:plan_id": plan_ids,
    "sections:pk": records(PlanSection, "plan__unit_id"),
    "items:pk": records(PlanItem, "section__plan__unit_id"),
    "indicators:code": indicator_codes,
    "imports:pk": import_job_ids,  # a big import's job: its user's own
    "activities:activity_id": activity_ids,  # the activities API
    "activities:pk": activity_ids,  # the activity pages
    "attachments:pk": records(Attachment, "activity__unit_id"),
    "coverage:pk": records(MediaCoverage, "activity__unit_id"),
    "awards:pk": records(Award, "activity__unit_id"),
    "coverage:coverage_id": records(MediaCoverage, "activity__unit_id"),  # the API
    "awards:award_id": records(Award, "activity__unit_id"),
    "types:pk": activity_type_ids,
    "activities:type": None,  # an activity type id (list filter and body field)
    "activities:start": None,
    "activities:end": None,
    # query parameters and body fields
    "parent": unit_codes,
    "unit": unit_codes,
    "unit_code": unit_codes,
    "q": None,
    "page": None,
    "page_size": None,
    "period": None,  # indicators: "2026", "2026-H1" …
    "by": None,
    "year": None,
    "status": None,
    "as_of": None,
}
PARAMS.update(_app_params)

# API reads that are not records of a unit, so a user without a unit may read them too.
UNSCOPED_READS: dict[str, str] = {
    "/api/v1/activities/types/": "the activity types, shared by the whole country",
    "/api/v1/indicators/": "the indicators' definitions, not their values",
    "/api/v1/workdays/": "the years of the national work calendar",
    "/api/v1/workdays/days/": "the national work calendar's days",
    "/api/v1/facilities/kinds/": "the facility kinds and their opening standards",
    "/api/v1/teams/genres/": "the team genres, shared by the whole country",
    "/api/v1/households/kinds/": "the culture household kinds, shared by the whole country",
    "/api/v1/designations/kinds/": "the designation kinds, shared by the whole country",
}

# Routes that hold no domain data, each with the reason it is not walked.
SKIPPED_ROUTES = {
    "login/": "the sign-in page: anonymous by design, no records",
    "logout/": "signs the session out, no records",
    "i18n/setlang/": "Django's set_language: stores the UI language in a cookie",
    "api/v1/openapi.json": "the API's own schema, read below to find the operations",
    "api/v1/": "django-ninja's root marker, always 404",
    "api/v1/<path:rest>": "catch-all JSON 404 for unknown API paths",
}
STATIC_PREFIX = settings.STATIC_URL.lstrip("/")  # static files (only routed under DEBUG)

# Pages whose GET is a form for a write → the roles that may write there. In scope, those roles
# get the form (200 or 302) and every other role 403. Every other page answers every persona
# 200 or 302.
FORM_PAGES: dict[str, frozenset[str]] = {
    "/units/{code}/edit/": MANAGE_ROLES,  # the rename form
    **register_forms("activities"),  # the entry form, the Excel upload form and template
    "/activities/types/": MANAGE_ROLES,  # adding activity types
    "/plans/new/": WRITE_ROLES,  # a new plan
    "/plans/import/": WRITE_ROLES,  # the data export's import
    "/plans/import/template.xlsx": WRITE_ROLES,
}
FORM_PAGES.update(_app_form_pages)

# A "valid-looking" form body for page POSTs (the walker cannot read a view's form).
PAGE_POST_BODY = {"name": "越权改名"}

# Models never compared: sessions-like bookkeeping that a request may legitimately write.
IGNORED_MODELS = {"accounts.loginattempt"}
IGNORED_FIELDS = {"accounts.user": {"last_login"}, "accounts.apitoken": {"last_used_at"}}


# ---------------------------------------------------------------------------------------------
# Finding the routes.
# ---------------------------------------------------------------------------------------------

ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
API_PARAM = re.compile(r"{(?P<name>[^}:]+)}")


@dataclass
class Route:
    kind: str  # "page" or "api"
    template: str  # "/units/{code}/edit/"
    methods: list[str]
    path_params: list[str]
    query_params: list[str] = field(default_factory=list)
    body: dict[str, Any] | None = None  # the JSON schema of the request body
    body_type: str = ""

    def key(self, name: str) -> list[str]:
        """The PARAMS keys that may fill parameter `name`, most specific first."""
        segments = self.template.strip("/").split("/")
        if name in self.path_params:
            at = segments.index(f"{{{name}}}")
            return [f"{segments[at - 1]}:{name}"] if at else [name]
        fixed = [s for s in segments if not s.startswith("{")]
        return [f"{fixed[-1]}:{name}", name] if fixed else [name]

    def __str__(self) -> str:
        return f"{self.kind} {self.template}"


def resolver_routes() -> Iterator[tuple[str, URLPattern, tuple[str, ...]]]:
    """(route string, pattern, namespaces) for every URL pattern, through includes."""

    def walk(
        patterns: list[Any], prefix: str, namespaces: tuple[str, ...]
    ) -> Iterator[tuple[str, URLPattern, tuple[str, ...]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = (*namespaces, p.namespace) if p.namespace else namespaces
                if not isinstance(p.pattern, RoutePattern):
                    raise AssertionError(f"use path(), not re_path(): {prefix}{p.pattern}")
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            else:
                yield prefix + str(p.pattern), p, namespaces

    yield from walk(get_resolver().url_patterns, "", ())


def lookup(route: Route, name: str) -> tuple[bool, Callable[[User], Values] | None]:
    """(known, factory) for parameter `name` of `route`."""
    for key in route.key(name):
        if key in PARAMS:
            return True, PARAMS[key]
    return False, None


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A minimal valid value for a JSON schema (enough for the walker's request bodies)."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for combo in ("anyOf", "oneOf", "allOf"):
        if combo in schema:
            options = [s for s in schema[combo] if s.get("type") != "null"]
            return example(options[0], components)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: example(sub, components) for name, sub in props.items()}
    if kind == "array":
        return [example(schema["items"], components)] if schema.get("minItems") else []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return True
    fmt = schema.get("format", "")
    samples = {
        "date": "2025-03-01",
        "date-time": "2025-03-01T10:00:00+08:00",
        "time": "10:00:00",
        "email": "test@example.org",
        "uri": "https://example.org/",
        "uuid": "00000000-0000-4000-8000-000000000000",
    }
    if fmt in samples:
        return samples[fmt]
    return "测试".ljust(int(schema.get("minLength", 2)), "测")


# ---------------------------------------------------------------------------------------------
# The tests.
# ---------------------------------------------------------------------------------------------


def plain_error_pages() -> list[dict[str, Any]]:
    """The project's template settings with one-line 403 and 404 pages: thousands of refusals
    are rendered in a walk, and their status, not their looks, is what it checks."""
    templates = copy.deepcopy(settings.TEMPLATES)
    engine = templates[0]
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {"404.html": "404", "403.html": "403 {{ exception }}"},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return templates


# Cookie sessions and plain error pages: thousands of requests, each without a session query
# or a full page around its refusal.
@override_settings(
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    TEMPLATES=plain_error_pages(),
)
class ScopeWalkTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        root = User.objects.create_superuser(username="root", password=cls.password)
        for make in FIXTURES:
            make(root, cls.admin)

    # --- discovery ---------------------------------------------------------------------------

    def openapi(self) -> dict[str, Any]:
        r = self.client.get("/api/v1/openapi.json", **self.bearer(self.admin))
        assert r.status_code == 200, r.content
        return r.json()

    def routes(self) -> list[Route]:
        """Every walked route; fails on any parameter PARAMS does not know."""
        schema = self.openapi()
        components = schema.get("components", {}).get("schemas", {})
        routes: list[Route] = []
        api_templates: set[str] = set()

        for route, pattern, namespaces in resolver_routes():
            if route in SKIPPED_ROUTES or route.startswith(STATIC_PREFIX):
                continue
            if not isinstance(pattern.pattern, RoutePattern):
                raise AssertionError(f"use path(), not re_path(): {route}")
            template = "/" + ROUTE_PARAM.sub(r"{\g<name>}", route)
            if api.urls_namespace in namespaces:
                api_templates.add(template)  # walked through its OpenAPI operations
                continue
            params = [m["name"] for m in ROUTE_PARAM.finditer(route)]
            routes.append(Route("page", template, ["GET", "POST"], params))

        hidden = api_templates - set(schema["paths"])
        assert not hidden, f"API routes missing from the OpenAPI document: {sorted(hidden)}"

        for template, operations in schema["paths"].items():
            for method, op in operations.items():
                params = op.get("parameters", [])
                route = Route(
                    "api",
                    template,
                    [method.upper()],
                    [p["name"] for p in params if p["in"] == "path"],
                    [p["name"] for p in params if p["in"] == "query"],
                )
                content = (op.get("requestBody") or {}).get("content", {})
                if content:
                    route.body_type = next(iter(content))
                    route.body = example(content[route.body_type]["schema"], components)
                    assert route.body_type == "application/json", (
                        f"{method.upper()} {template}: teach the walker to send {route.body_type}"
                    )
                routes.append(route)

        unknown = sorted(
            {
                f"{r}: {name} (key {r.key(name)[0]!r})"
                for r in routes
                for name in [*r.path_params, *r.query_params]
                if not lookup(r, name)[0]
            }
        )
        assert not unknown, (
            "The scope walker does not know how to fill these parameters; add them to PARAMS "
            f"in {__name__}: {unknown}"
        )
        neutral_in_path = [
            f"{r}: {n}" for r in routes for n in r.path_params if lookup(r, n)[1] is None
        ]
        assert not neutral_in_path, f"path parameters must name a record: {neutral_in_path}"
        return routes

    # --- requests ----------------------------------------------------------------------------

    def login(self, user: User) -> dict[str, Any]:
        """Sign `user` in for pages and return the API headers for them.

        Each persona keeps its own client, signed in once: a sign-in writes last_login, and a
        write between probes makes the next probe read every watched table again."""
        if user.pk not in self._clients:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            self._clients[user.pk] = client
            self._tokens[user.pk] = self.bearer(user)
            # A token records its use at most once a minute, but every probe is rolled back,
            # so each API probe would write it again and make the next one read every watched
            # table. Marked as used ahead of the walk, it is not written during it.
            ApiToken.objects.filter(user=user).update(
                last_used_at=timezone.now() + timedelta(days=1)
            )
        self.client = self._clients[user.pk]
        return self._tokens[user.pk]

    def setUp(self) -> None:
        self._tokens: dict[int, dict[str, Any]] = {}
        self._clients: dict[int, Client] = {}
        self._baseline: list[list[tuple[Any, ...]]] = []
        self._baseline_count = -1
        # A 500 is a finding like any other status: report it with the rest, do not stop.
        self.client.raise_request_exception = False

    def send(
        self, route: Route, method: str, values: dict[str, str], headers: dict[str, Any]
    ) -> tuple[str, HttpResponse]:
        path = API_PARAM.sub(lambda m: values[m["name"]], route.template)
        query = {n: values[n] for n in route.query_params if n in values}
        if route.kind == "page":
            if method == "GET":
                return path, self.client.get(path, query)
            return path, self.client.post(path, PAGE_POST_BODY)
        if query:
            path += "?" + urlencode(query)
        body = dict(route.body) if isinstance(route.body, dict) else route.body
        if isinstance(body, dict):
            for k in body.keys() & values.keys():
                body[k] = int(values[k]) if isinstance(body[k], int) else values[k]
        data = json.dumps(body, ensure_ascii=False) if body is not None else ""
        response = self.client.generic(
            method, path, data.encode(), content_type="application/json", **headers
        )
        return f"{path} {data}".strip(), response

    def scoped_names(self, route: Route) -> list[str]:
        names = [*route.path_params, *route.query_params]
        if isinstance(route.body, dict):
            names += list(route.body)  # a body field that names a record is walked too
        return [n for n in names if lookup(route, n)[1] is not None]

    def fill(self, route: Route, user: User) -> dict[str, Values]:
        out = {}
        for name in self.scoped_names(route):
            factory = lookup(route, name)[1]
            assert factory is not None
            out[name] = factory(user)
        return out

    # --- the walks ---------------------------------------------------------------------------

    def test_it_knows_every_parameter_and_skips_nothing_else(self) -> None:
        routes = self.routes()
        templates = {r.template for r in routes}
        # The walk reaches the foundation's scoped routes, pages and API alike.
        for expected in (
            "/units/{code}/",
            "/units/{code}/edit/",
            "/units/{code}/delete/",
            "/audit/{pk}/",
            "/audit/{pk}/restore/",
            "/api/v1/units/{code}/",
            "/api/v1/audit/{entry_id}/restore/",
            # The data exports (records.excel.DataBook), each with its list's filters.
            "/activities/data.xlsx",
            "/facilities/data.xlsx",
            "/households/data.xlsx",
            "/teams/data.xlsx",
            "/training/data.xlsx",
            "/plans/data.xlsx",
            "/duties/data.xlsx",
            "/duties/completions/data.xlsx",
            # The data packages (records.package), the same with the photos and files.
            "/activities/data.zip",
            "/facilities/data.zip",
            "/duties/completions/data.zip",
            "/plans/import/",
        ):
            assert expected in templates, expected
        # Every skip entry still names a route (no stale reasons).
        existing = {route for route, _pattern, _ns in resolver_routes()}
        assert set(SKIPPED_ROUTES) <= existing, set(SKIPPED_ROUTES) - existing

    def test_it_answers_404_outside_the_scope_and_changes_nothing(self) -> None:
        failures, requests = self.walk_outside(self.routes(), self.personas())
        assert requests > 500, requests  # the walk really walked
        assert not failures, "\n".join(failures)

    def test_it_notices_a_scope_hole(self) -> None:
        """The walk is not vacuous: with the units' scope check gone, it reports the leak."""

        def leaky(user: User, code: str) -> Unit:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise Http404
            return unit

        units = [r for r in self.routes() if r.template.startswith(("/units/", "/api/v1/units/"))]
        with mock.patch.object(unit_selectors, "get_unit_for_user", leaky):
            failures, _requests = self.walk_outside(units, [self.staff_a])
        report = "\n".join(failures)
        assert (
            f"staff_a: GET /units/{Tree.TOWNSHIP_B}/ (code={Tree.TOWNSHIP_B}) → 200, not 404"
            in report
        )
        # The rename is still refused by the service, but with a 403 that confirms the unit.
        assert f"staff_a: PATCH /api/v1/units/{Tree.TOWNSHIP_B}/" in report
        assert "→ 403, not 404" in report

    def test_a_user_bound_to_no_unit_sees_nothing_and_changes_nothing(self) -> None:
        """Staff bound to no unit: every value of every parameter is outside their scope, every
        list answers 200 with no rows, every write is refused with a Chinese message, and
        nothing answers 5xx or changes the database."""
        routes = self.routes()
        failures, requests = self.walk_outside(routes, [self.unbound])
        assert requests > 100, requests
        headers = self.login(self.unbound)
        # Every record of the fixtures is named after its unit ("文化社区活动" …), and a page
        # that listed a unit (a filter's select) would name it too.
        names = [n for n in Unit.objects.values_list("name", flat=True) if n != "全国"]
        for route in routes:
            if self.scoped_names(route):
                continue  # walked above, every value outside
            for method in route.methods:
                label, r, changed = self.probe(route, method, {}, headers)
                where = f"unbound: {method} {label}"
                status, body = r.status_code, json_body(r)
                raw = b"".join(r.streaming_content) if r.streaming else r.content  # type: ignore[attr-defined]
                text = raw.decode(errors="replace")
                if changed:
                    failures.append(f"{where} changed the database")
                if status >= 500:
                    failures.append(f"{where} → {status}")
                elif route.kind == "api" and method == "GET":
                    if (status != 200 or not empty(body)) and route.template not in UNSCOPED_READS:
                        failures.append(f"{where} → {status} {text[:200]}")
                elif route.kind == "page" and route.template in FORM_PAGES:
                    # A form for a write: refused, whichever role, for there is nowhere to write.
                    refused = status == 403 and re.search(r"[\u4e00-\u9fff]", text)
                    if not refused and not (method == "POST" and status == 405):
                        failures.append(f"{where} → {status}, not 403 with a Chinese message")
                elif route.kind == "page":
                    # Any other page: read (200, or a redirect) with no record in it, or refused.
                    shown = [n for n in names if n in text]
                    if status not in (200, 302, 403, 405) or shown:
                        failures.append(f"{where} → {status}, shows {shown}")
                elif status == 403:
                    detail = body.get("detail", "") if isinstance(body, dict) else ""
                    if not re.search(r"[\u4e00-\u9fff]", detail):
                        failures.append(f"{where} → 403 without a Chinese message")
                elif status not in (404, 405):
                    failures.append(f"{where} → {status}, not 403")
        assert not failures, "\n".join(failures)

    def walk_outside(self, routes: list[Route], personas: list[User]) -> tuple[list[str], int]:
        """Every route, persona, method and scoped parameter with values outside the scope:
        (failures, number of requests)."""
        failures: list[str] = []
        requests = 0
        for route in routes:
            for user in personas:
                headers = self.login(user)
                values = self.fill(route, user)
                # Parameters not under test take an in-scope value (or, lacking one, nothing).
                base = {n: v.inside or v.outside[-1] for n, v in values.items()}
                for method in route.methods:
                    for name, vals in values.items():
                        ghost, *others = reversed(vals.outside)
                        for value in [ghost, *others]:
                            label, r, changed = self.probe(
                                route, method, {**base, name: value}, headers
                            )
                            requests += 1
                            status, body = r.status_code, json_body(r)
                            where = f"{user.username}: {method} {label} ({name}={value})"
                            if value == ghost and status == 405 and not changed:
                                # The value that names nothing comes first: a method the route
                                # does not take is refused before any lookup, alike for every
                                # object, which reveals nothing; the rest need not be asked.
                                break
                            detail = body.get("detail") if isinstance(body, dict) else None
                            if name in route.query_params and status == 200 and empty(body):
                                pass  # a list filtered to something out of reach: empty
                            elif status != 404:
                                failures.append(f"{where} → {status}, not 404")
                            elif status == 404 and route.kind == "api" and not detail:
                                failures.append(f"{where} → 404 without a JSON detail")
                            if changed:
                                failures.append(f"{where} changed the database")
        return failures, requests

    def probe(
        self, route: Route, method: str, values: dict[str, str], headers: dict[str, Any]
    ) -> tuple[str, HttpResponse, bool]:
        """Send one request in a savepoint that is rolled back, so a leak cannot spread to
        the next request; (label, response, whether the database changed)."""
        with transaction.atomic():
            count = change_count()
            if count != self._baseline_count:
                # Something outside the probes wrote (a sign-in's token) or a probe did and was
                # rolled back: take the watched tables' rows again as the state to compare with.
                self._baseline, self._baseline_count = db_state(), count
            label, r = self.send(route, method, values, headers)
            # Reading every watched table costs ~50 queries: only when the database's own
            # count of row changes moved (a write that may be one of the ignored fields).
            wrote = change_count() != count
            changed = wrote and db_state() != self._baseline
            transaction.set_rollback(True)
        if wrote:
            # Rolled back: the rows are the baseline's again, whatever the count says.
            self._baseline_count = change_count()
        return label, r, changed

    def test_it_serves_reads_inside_the_scope(self) -> None:
        failures: list[str] = []
        for route in self.routes():
            if "GET" not in route.methods:
                continue
            for user in self.personas():
                headers = self.login(user)
                values = self.fill(route, user)
                missing = [n for n, v in values.items() if v.inside is None]
                if missing:
                    failures.append(f"{user.username}: no in-scope value for {missing} ({route})")
                    continue
                filled = {n: v.inside for n, v in values.items() if v.inside is not None}
                label, r = self.send(route, "GET", filled, headers)
                if r.status_code == 405 and route.kind == "page":
                    continue  # a POST-only page (delete, restore)
                ok = {200, 302}
                if route.template in FORM_PAGES and user.role not in FORM_PAGES[route.template]:
                    ok = {403}
                if r.status_code not in ok:
                    failures.append(f"{user.username}: GET {label} → {r.status_code}")
                if "Content-Security-Policy" not in r.headers:  # every page and operation
                    failures.append(f"{user.username}: GET {label} has no Content-Security-Policy")
        assert not failures, "\n".join(failures)

    def test_it_requires_a_sign_in_for_every_page_and_a_token_for_every_operation(self) -> None:
        routes = self.routes()
        self.client.logout()
        failures = []
        for route in routes:
            values = {}
            for name in [*route.path_params, *route.query_params]:
                factory = lookup(route, name)[1]
                values[name] = factory(self.admin).inside or "1" if factory else "1"
            for method in route.methods:
                label, r, changed = self.probe(route, method, values, {})
                if route.kind == "page":
                    ok = r.status_code == 302 and r["Location"].startswith("/login/?next=")
                else:
                    ok = r.status_code == 401 and "detail" in json_body(r)
                if not ok or changed:
                    failures.append(f"anonymous {method} {label} → {r.status_code} {changed=}")
        assert not failures, "\n".join(failures)
        r = self.client.get("/api/v1/no-such-thing/", **self.bearer(self.admin))
        assert r.status_code == 404
        assert "detail" in r.json()

    def test_it_sees_the_fixture_it_walks_with(self) -> None:
        # The oracle agrees with the tree: staff_a's outside has the county above, township B
        # beside and a township of the other county, and township B's deleted village's
        # audit entry; never anything of township A.
        vals = unit_codes(self.staff_a)
        assert vals.outside == [Tree.COUNTY, Tree.TOWNSHIP_B, Tree.OTHER_TOWNSHIP, GHOST_CODE]
        assert vals.inside == Tree.TOWNSHIP_A
        b_delete = AuditEntry.objects.get(action=Action.DELETE, unit_code=f"{Tree.TOWNSHIP_B}099")
        assert str(b_delete.pk) in audit_ids(self.staff_a).outside
        assert str(b_delete.pk) not in audit_ids(self.admin).outside


def json_body(r: HttpResponse) -> Any:
    return r.json() if r.get("Content-Type", "").startswith("application/json") else None


def empty(body: Any) -> bool:
    """A JSON list answer with nothing in it (paginated or not)."""
    if isinstance(body, dict) and "items" in body:
        return body["items"] == [] and not body.get("count")
    return body == []


def watched_tables() -> list[str]:
    """One SELECT per xuanwen model (deleted rows too), built once."""
    if not _TABLES:
        qn = connection.ops.quote_name
        for model in apps.get_models():
            label = model._meta.label_lower
            if not model.__module__.startswith("xuanwen.") or label in IGNORED_MODELS:
                continue
            skip = IGNORED_FIELDS.get(label, set())
            cols = [qn(f.column) for f in model._meta.concrete_fields if f.name not in skip]
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            _TABLES.append(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {pk}")  # noqa: S608
    return _TABLES


_TABLES: list[str] = []


def change_count() -> int:
    """How many rows this connection's transaction (PostgreSQL) or this connection (SQLite)
    has inserted, updated or deleted so far: it moves with any write, rolled back or not."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


def db_state() -> list[list[tuple[Any, ...]]]:
    """Every row of every watched table, for a before/after comparison (raw SQL: it runs
    twice per request, and the ORM's overhead would double the walk's time)."""
    with connection.cursor() as cursor:
        out = []
        for sql in watched_tables():
            cursor.execute(sql)
            out.append(cursor.fetchall())
        return out
