"""The UI shell in a real browser at phone width: nothing scrolls sideways, taps are big enough.

Drives Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`) through Playwright; the
browsers Playwright would download are not used. Screenshots go to pytest's temporary directory
and their paths are printed (`pytest -s -m browser` shows them).
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from xuanwen.accounts.models import Role, User
from xuanwen.testing import COUNTY, TOWNSHIP_A, VILLAGE_A, make_tree

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

pytestmark = [
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


@pytest.fixture
def people() -> dict[str, User]:
    units = make_tree()
    return {
        "keeper": User.objects.create_user(
            username="keeper", password=PASSWORD, unit=units[VILLAGE_A], role=Role.VILLAGE_ADMIN
        ),
        "supervisor": User.objects.create_user(
            username="supervisor", password=PASSWORD, unit=units[COUNTY], role=Role.SUPERVISOR
        ),
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


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    # A Chinese phone: Accept-Language decides the language until the user switches.
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check(page: Page, shots: Path, name: str) -> None:
    """The page fits the screen, its controls are tap-sized; keep a screenshot of it."""
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    assert scroll_width <= inner_width, f"{name} scrolls sideways: {scroll_width} > {inner_width}"
    assert page.evaluate(SMALL_TARGETS) == [], f"{name} has tap targets under 44 px"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_village_keeper_on_a_phone(
    live_server, people: dict[str, User], phone: Page, tmp_path: Path
) -> None:
    base = live_server.url
    phone.goto(f"{base}/login/")
    check(phone, tmp_path, "login")

    log_in(phone, base, "keeper")
    assert "文化社区" in phone.inner_text("h1")
    check(phone, tmp_path, "home")

    # The picker on the home page answers through htmx while typing pinyin initials.
    phone.fill("input[type=search]", "whsq")
    result = phone.locator("#picker-results a", has_text="文化社区")
    result.wait_for()
    check(phone, tmp_path, "home-picker")

    result.click()
    phone.wait_for_url(f"{base}/units/{VILLAGE_A}/")
    assert "文化社区" in phone.inner_text("h1")
    check(phone, tmp_path, "unit")

    # Outside the keeper's village there is nothing to find.
    phone.goto(f"{base}/units/search/?q=lhs")
    assert phone.locator(".results a").count() == 0
    check(phone, tmp_path, "picker-page")


def test_county_supervisor_on_a_phone_in_both_languages(
    live_server, people: dict[str, User], phone: Page, tmp_path: Path
) -> None:
    base = live_server.url
    log_in(phone, base, "supervisor")
    assert phone.locator("table.children a", has_text="古城街道").count() == 1
    check(phone, tmp_path, "county-home")

    phone.goto(f"{base}/units/search/")
    phone.fill("input[type=search]", "lhs")
    phone.locator("#picker-results a", has_text="临海市").wait_for()
    check(phone, tmp_path, "county-picker")

    phone.goto(f"{base}/units/{TOWNSHIP_A}/")
    assert phone.locator(".crumbs a", has_text="临海市").count() == 1
    check(phone, tmp_path, "township")

    phone.goto(f"{base}/audit/")
    check(phone, tmp_path, "audit")

    # The language switch in the top bar turns the same page into English, and back.
    phone.click("button[name=language][value=en]")
    phone.wait_for_load_state()
    assert phone.get_attribute("html", "lang") == "en"
    assert phone.locator(".nav a", has_text="Home").count() == 1
    assert phone.inner_text("h1") == "Audit log"
    check(phone, tmp_path, "audit-en")

    phone.goto(f"{base}/units/{TOWNSHIP_A}/")
    check(phone, tmp_path, "township-en")

    phone.click("button[name=language][value=zh-hans]")
    phone.wait_for_load_state()
    assert phone.get_attribute("html", "lang") == "zh-hans"
    assert phone.locator(".nav a", has_text="首页").count() == 1
