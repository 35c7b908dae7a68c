"""Every GET page the scope walk visits, at phone width, in Chinese and in English.

The pages are found the way the scope walker finds them (test_scope_walk.py): every URL
pattern, its path parameters filled with a record inside the reader's subtree by the factories
the apps declare in their `tests/walk.py`, over the walk's own fixtures. So a new app's pages,
its detail and edit pages included, are checked without anyone adding them here.

A township's staff member (who may write) opens each page; the pages they may not open (a
county admin's forms, a record of the county's own) are opened by the county's admin. None
may scroll sideways at 375 px, every control outside running text must be at least 44 px tall
(a fingertip), and the top bar's sections keep to one row. The homes, whose cards speak only
when there is something to say, are checked again with every card of every role showing.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import URLPattern
from playwright.sync_api import Page

from xuanwen.accounts.models import User
from xuanwen.assessment import services as assessment_services
from xuanwen.assessment.tests.helpers import make_scheme
from xuanwen.bookhouses.tests.helpers import add_loan, make_bookhouse
from xuanwen.duties.tests.helpers import make_duty
from xuanwen.facilities.models import Facility
from xuanwen.opening.tests.helpers import make_facility
from xuanwen.plans import services as plan_services
from xuanwen.plans.tests.helpers import make_plan, plan_with_item
from xuanwen.reporting.models import ReportSet
from xuanwen.reporting.tests.helpers import monthly_set
from xuanwen.testing import PERSONA_NAMES, PERSONAS, Tree, frozen, make_tree
from xuanwen.tests.browser import BROWSER_TEST, PASSWORD, TODAY, log_in
from xuanwen.tests.test_scope_walk import (
    FIXTURES,
    ROUTE_PARAM,
    SKIPPED_ROUTES,
    Route,
    lookup,
    resolver_routes,
)

pytestmark = BROWSER_TEST

# Controls outside running text smaller than a fingertip; a checkbox or radio inside its label
# is tapped through the label, which must be tall enough itself.
SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input, select, textarea, label')]
  .filter(el => el.type !== 'hidden' && !el.closest('p'))
  .filter(el => !(['checkbox', 'radio'].includes(el.type) && el.closest('label')))
  .filter(el => el.tagName !== 'LABEL' || el.querySelector('[type=checkbox], [type=radio]'))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && r.height > 0 && r.height < 44)
  .map(([el, r]) => `${el.tagName} "${(el.textContent || el.name || '').trim().slice(0, 20)}" `
                    + `${Math.round(r.width)}x${Math.round(r.height)}`)"""

# What sticks out past the screen's right edge: the innermost such elements, to name in the
# failure (a table's cell, a long word …).
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > 376)
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > 376))
  .slice(0, 3)
  .map(el => `${el.tagName}.${el.className} "${(el.textContent || '').trim().slice(0, 20)}" `
             + `right ${Math.round(el.getBoundingClientRect().right)}`)"""

# How many rows the top bar's visible section links take.
NAV_ROWS = """() => new Set([...document.querySelectorAll('.nav a')]
  .map(a => a.getBoundingClientRect()).filter(r => r.width > 0).map(r => Math.round(r.top))).size"""

# Paths that are not pages a person reads: downloads, htmx fragments, redirects.
NOT_PAGES = (".xlsx", ".zip", ".json", "/units/", "choices/", "/export")


def page_routes() -> Iterator[Route]:
    """The walked pages a GET may show: "/activities/", "/activities/{pk}/edit/" …"""
    for route, pattern, namespaces in resolver_routes():
        if route in SKIPPED_ROUTES or route.startswith(("api/", "static/")):
            continue
        if not isinstance(pattern, URLPattern) or (not namespaces and route):
            continue  # the project's own unnamespaced helpers (i18n …)
        template = "/" + ROUTE_PARAM.sub(r"{\g<name>}", route)
        if template.endswith(NOT_PAGES):
            continue
        params = [m["name"] for m in ROUTE_PARAM.finditer(route)]
        yield Route("page", template, ["GET"], params)


def filled(route: Route, user: User) -> str | None:
    """The route's path with each parameter naming a record inside the user's subtree, or None
    when the walk's fixtures have none for this user."""
    values: dict[str, str] = {}
    for name in route.path_params:
        factory = lookup(route, name)[1]
        inside = factory(user).inside if factory else None
        if inside is None:
            return None
        values[name] = inside
    return route.template.format(**values)


def personas() -> dict[str, User]:
    """BaseTestCase's tree and personas, made here: a live server's test runs in its own
    transaction."""
    units = make_tree()
    return {
        username: User.objects.create_user(
            username=username,
            password=PASSWORD,
            unit=units[code],
            role=role,
            name=PERSONA_NAMES[username],
        )
        for username, (code, role) in PERSONAS.items()
    }


def walk_people() -> dict[str, User]:
    """The personas and the scope walk's fixtures."""
    people = personas()
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    for make in FIXTURES:
        make(root, people["admin"])
    return people


class Findings:
    """What the checks found, page by page."""

    def __init__(self, shots: Path) -> None:
        self.shots = shots
        self.checked: list[str] = []
        self.too_wide: list[str] = []
        self.small: list[str] = []
        self.two_rows: list[str] = []
        self.passed_over: list[str] = []  # answered with a redirect, a refusal or a file

    def check(self, phone: Page, base: str, path: str) -> bool:
        """Check one page; False when this user is not shown it (another role's page, a
        POST-only action, a redirect, a download)."""
        response = phone.request.get(base + path, max_redirects=0)  # no render for a 405
        if response.status in (302, 403, 405):
            return False
        assert response.status == 200, f"{path} → {response.status}"
        if not response.headers.get("content-type", "").startswith("text/html"):
            return False  # a photo, a thumbnail, a file
        phone.goto(base + path)
        self.checked.append(path)
        found = len(self.too_wide) + len(self.small) + len(self.two_rows)
        scroll = phone.evaluate("document.documentElement.scrollWidth")
        if scroll > 375:
            culprits = "; ".join(phone.evaluate(STICKING_OUT))
            self.too_wide.append(f"{path}: {scroll} px ({culprits})")
        self.small.extend(f"{path}: {target}" for target in phone.evaluate(SMALL_TARGETS))
        # The sections make one row (the rest are behind 更多), not two or three.
        rows = phone.evaluate(NAV_ROWS)
        if rows > 1:  # 0: a fragment without the bar
            self.two_rows.append(f"{path}: {rows} rows")
        if len(self.too_wide) + len(self.small) + len(self.two_rows) > found:
            name = path.strip("/").replace("/", "-") or "home"
            phone.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)
        return True

    def assert_none(self, language: str) -> None:
        wraps = f"the top bar's sections wrap on a phone ({language}):\n"
        assert not self.two_rows, wraps + "\n".join(self.two_rows)
        wide = f"pages scroll sideways at 375 px ({language}):\n"
        assert not self.too_wide, wide + "\n".join(self.too_wide)
        assert not self.small, f"tap targets under 44 px ({language}):\n" + "\n".join(self.small)


def sign_in(phone: Page, base: str, username: str, language: str) -> None:
    log_in(phone, base, username)
    # The language as a user who switched it (the cookie) sees it; sign-in clears cookies.
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}
    phone.context.add_cookies([cookie])  # type: ignore[list-item]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_walked_page_fits_a_phone(live_server, phone, tmp_path: Path, language: str) -> None:
    # The fixtures' photos go to the test's own folder, removed with it.
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        findings = walk_pages(phone, live_server.url, tmp_path, language)
    with_record = [p for p in findings.checked if any(c.isdigit() for c in p)]
    print(f"{len(findings.checked)} pages checked in {language}, {len(with_record)} with a record")
    print("not shown to either:", ", ".join(findings.passed_over))
    assert len(findings.checked) > 60 and len(with_record) > 30, findings.checked
    findings.assert_none(language)


def walk_pages(phone: Page, base: str, shots: Path, language: str) -> Findings:
    """Every walked page, each opened once: by the township's staff, and what they are not
    shown by the county's admin; one signed-in page per person, reused from page to page."""
    people = walk_people()
    findings = Findings(shots)
    left: list[Route] = []
    sign_in(phone, base, "staff_a", language)
    for route in page_routes():
        path = filled(route, people["staff_a"])
        if path is None or not findings.check(phone, base, path):
            left.append(route)
    sign_in(phone, base, "admin", language)
    for route in left:
        path = filled(route, people["admin"])
        if path is None or not findings.check(phone, base, path):
            findings.passed_over.append(route.template)
    return findings


def busy_homes(people: dict[str, User]) -> None:
    """Something for every home card to say on TODAY: a plan awaiting approval, one returned,
    this year's approved plan behind, duties and a loan overdue, a facility never opened."""
    staff, supervisor = people["staff_a"], people["supervisor"]
    plan, _item = plan_with_item(staff, Tree.TOWNSHIP_A, "activities.count", target_min=10)
    plan_services.plan_submit(user=staff, plan=plan)
    plan_services.plan_approve(user=supervisor, plan=plan)
    returned = make_plan(staff, Tree.TOWNSHIP_A, kind="quarter", index=4, template="")
    section = plan_services.section_create(user=staff, plan=returned, title="重点工作")
    plan_services.item_create(
        user=staff, section=section, data=plan_services.ItemData(text="开展活动")
    )
    plan_services.plan_submit(user=staff, plan=returned)
    plan_services.plan_return(user=supervisor, plan=returned, note="请补充经费安排")
    awaiting, _item = plan_with_item(
        people["staff_b"], Tree.TOWNSHIP_B, "activities.count", target_min=5
    )
    plan_services.plan_submit(user=people["staff_b"], plan=awaiting)
    start = TODAY.replace(month=10, day=1)
    make_duty(staff, Tree.TOWNSHIP_A, role="staff", start_date=start)
    make_duty(staff, Tree.VILLAGE_A, name="宣传橱窗", role="village_admin", start_date=start)
    house = make_bookhouse(Tree.VILLAGE_A)
    add_loan(house, "王芳", lent_on=start, due_on=start.replace(day=31))
    make_facility(Tree.VILLAGE_A2, name="井头社区文化室")
    Facility.objects.update(created_at=datetime(2026, 3, 2, tzinfo=UTC))
    # The dashboard's reports owed: the county's monthly report, made in spring, October's
    # not sent by township B.
    monthly_set(supervisor)
    ReportSet.objects.update(created_at=datetime(2026, 3, 2, tzinfo=UTC))
    ranked = make_scheme(supervisor)  # the assessment card: a published ranking
    assessment_services.run_publish(
        user=supervisor, run=assessment_services.score_request(user=supervisor, scheme=ranked)
    )


# The home cards each role is to see (their ids in the page), so the check is not of empty homes.
HOME_CARDS = {
    "keeper": ["duties-overdue", "loans-due"],
    "staff_a": [
        "plans-waiting",
        "plan-items-lagging",
        "duties-overdue",
        "loans-due",
        "rankings",
    ],
    "supervisor": [
        "plans-waiting",
        "opening-behind",
        "duties-behind",
        "year-figures",
        "plans-progress",
        "reporting-children",
        "rankings",
        "assessment-ranking",
    ],
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_home_card_fits_a_phone(live_server, phone, tmp_path: Path, language: str) -> None:
    """The walk's fixtures leave most home cards silent; here each role's home has all its
    cards, and the notices page its derived notices."""
    base = live_server.url
    findings = Findings(tmp_path)
    with frozen(TODAY):
        busy_homes(personas())
        for username, cards in HOME_CARDS.items():
            sign_in(phone, base, username, language)
            for path in ("/", "/notices/"):
                assert findings.check(phone, base, path)
            phone.goto(base + "/")
            shown = [card for card in cards if phone.locator(f"#{card}").count()]
            assert shown == cards, (username, shown)
    findings.assert_none(language)
