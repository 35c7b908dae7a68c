"""The browser set-up the phone-width tests share: Debian's Chromium driven through Playwright.

Loaded as a pytest plugin (the root conftest names it), so the `browser` and `phone` fixtures
are there for every test module without importing them; a module marks itself with
`pytestmark = BROWSER_TEST` and signs its people in with `log_in`.
Screenshots go to pytest's temporary directory and their paths are printed (`pytest -s -m
browser` shows them); the browsers Playwright would download are not used.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from xuanwen.accounts.models import Role, User
from xuanwen.testing import Tree, make_tree

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
PHONE = {"width": 375, "height": 800}
# The day the phone-width tests open their pages on (with `frozen(TODAY)`): forms fill in
# today, and records are judged against it.
TODAY = date(2026, 11, 27)

BROWSER_TEST = [
    pytest.mark.browser,
    # A transactional test empties the database when it ends. serialized_rollback keeps what the
    # migrations put in (default activity types) for the transactional tests after it, and it must
    # be on every such test: a plain flush recreates content types under new ids, which the next
    # serialized restore then collides with.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]

# Every visible control outside running text, with its size (links inside a sentence may be
# smaller, as WCAG allows).
SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.closest('p'))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && r.height > 0 && (r.width < 44 || r.height < 44))
  .map(([el, r]) => `${el.tagName} "${(el.textContent || el.name || '').trim()}" `
                    + `${Math.round(r.width)}x${Math.round(r.height)}`)"""


def people(**who: tuple[str, str]) -> dict[str, User]:
    """The test tree and a user per name, `name=(unit code, role)`, signing in with PASSWORD.

    A browser test runs against a live server in its own transaction, so it cannot use
    BaseTestCase's personas; it names the few people its story needs.
    """
    units = make_tree()
    return {
        name: User.objects.create_user(
            username=name, password=PASSWORD, unit=units[code], role=role
        )
        for name, (code, role) in who.items()
    }


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread, and Django refuses ORM calls from
    # a thread with a running loop unless told it is deliberate. Set only while a browser is open
    # (monkeypatch undoes it after the browser has closed): in the environment of the whole run
    # it would leak into other tests, e.g. failing `check --deploy` (async.E001) in subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()
        # ORM calls made while the browser was open kept their connections apart from the
        # thread's (asgiref's Local sees Playwright's loop running); closed here, inside the
        # same block, or PostgreSQL finds them still open when it drops the test database.
        connections.close_all()


# What Chromium says when a page breaks the site's policies (settings.SECURE_CSP and
# PERMISSIONS_POLICY): "Refused to execute inline event handler because it violates the
# following Content Security Policy directive …", or a Permissions-Policy header it cannot read.
POLICY_MESSAGES = ("Content Security Policy", "Permissions-Policy", "Permissions policy")
# The same violations as the page itself sees them, reported to the test through a binding
# (Playwright's init scripts and bindings are not subject to the page's policy).
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) =>
  window.reportPolicyViolation(
    `${e.disposition} ${e.effectiveDirective}: ${e.blockedURI || "inline"} in ${e.documentURI}`
    + (e.lineNumber ? `:${e.lineNumber}` : "")));"""


def watch_policies(page: Page) -> list[str]:
    """Every policy violation, console report of one and uncaught script error on the page's
    context from now on, as lines for an assertion message."""
    found: list[str] = []

    def violation(line: str) -> None:  # a function of ours: Playwright tags it
        found.append(line)

    def console(message: ConsoleMessage) -> None:
        if any(words in message.text for words in POLICY_MESSAGES):
            found.append(f"console: {message.text}")

    page.context.expose_function("reportPolicyViolation", violation)
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on("console", console)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    # A Chinese phone: Accept-Language decides the language until the user switches.
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Every walk doubles as the check that no page breaks the Content-Security-Policy: an inline
    # script or handler, an injected style or a foreign source fails the test that met it.
    violations = watch_policies(page)
    yield page
    page.wait_for_timeout(100)  # a violation is reported a moment after the page met it
    context.close()
    assert not violations, "policy violations:\n" + "\n".join(violations)


def check(page: Page, shots: Path, name: str) -> None:
    """The page fits the screen, its controls are tap-sized; keep a screenshot of it."""
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    assert scroll_width <= inner_width, f"{name} scrolls sideways: {scroll_width} > {inner_width}"
    assert page.evaluate(SMALL_TARGETS) == [], f"{name} has tap targets under 44 px"


def keeper_opens_entry(live_server: Any, phone: Page, shots: Path, app: str, shot: str) -> str:
    """How a register's phone story begins: a village keeper (of Tree.VILLAGE_A) signs in and
    opens the register's entry form, `/<app>/new/`, which must fit the screen (`<shot>-form`).
    Gives the live server's address."""
    people(keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN))
    base: str = live_server.url
    log_in(phone, base, "keeper")
    phone.goto(f"{base}/{app}/new/")
    check(phone, shots, f"{shot}-form")
    return base


def save_entry(phone: Page, base: str, app: str) -> None:
    """Send the entry form and wait for the new record's page (`/<app>/<pk>/`)."""
    phone.click("button.primary")
    phone.wait_for_url(f"{base}/{app}/*/")


def log_in(page: Page, base: str, username: str) -> None:
    """Log in as `username`; whoever was logged in on this page before is logged out first."""
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
