"""The UI shell in a real browser at phone width: nothing scrolls sideways, taps are big enough.

Drives Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`) through Playwright; the
set-up every browser test shares (fixtures, marks, `check`, `log_in`) is in tests/browser.py.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from xuanwen.accounts.models import Role, User
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, check, log_in
from xuanwen.tests.browser import people as make_people

pytestmark = BROWSER_TEST


@pytest.fixture
def people() -> dict[str, User]:
    return make_people(
        keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN), supervisor=(Tree.COUNTY, Role.SUPERVISOR)
    )


def switch_language(page: Page, code: str, home: str) -> None:
    """Switch with the top bar's button: the page comes back in that language."""
    page.click(f"button[name=language][value={code}]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == code
    assert page.locator(".nav a", has_text=home).count() == 1


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
    phone.wait_for_url(f"{base}/units/{Tree.VILLAGE_A}/")
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
    check(phone, tmp_path, "county-home")
    # The townships are on the county's own page, one tap from home (not listed on it).
    phone.click("text=本单位的下级单位、记录和指标")
    assert phone.locator("table.children a", has_text="古城街道").count() == 1

    phone.goto(f"{base}/units/search/")
    phone.fill("input[type=search]", "lhs")
    phone.locator("#picker-results a", has_text="临海市").wait_for()
    check(phone, tmp_path, "county-picker")

    phone.goto(f"{base}/units/{Tree.TOWNSHIP_A}/")
    assert phone.locator(".crumbs a", has_text="临海市").count() == 1
    check(phone, tmp_path, "township")

    phone.goto(f"{base}/audit/")
    check(phone, tmp_path, "audit")

    # The language switch in the top bar turns the same page into English, and back.
    switch_language(phone, "en", home="Home")
    assert phone.inner_text("h1") == "Audit log"
    check(phone, tmp_path, "audit-en")

    phone.goto(f"{base}/units/{Tree.TOWNSHIP_A}/")
    check(phone, tmp_path, "township-en")

    switch_language(phone, "zh-hans", home="首页")
