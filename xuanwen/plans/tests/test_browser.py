"""Plans and indicators in a real browser at phone width (see xuanwen/tests/test_browser.py)."""

from datetime import date
from pathlib import Path

from playwright.sync_api import Page

from xuanwen.accounts.models import Role
from xuanwen.indicators.tests.helpers import make_activity
from xuanwen.testing import Tree, frozen
from xuanwen.tests.browser import BROWSER_TEST, TODAY, check, log_in, people

pytestmark = BROWSER_TEST


@frozen(TODAY)
def test_a_station_writes_its_plan_on_a_phone(live_server, phone: Page, tmp_path: Path) -> None:
    people(staff=(Tree.TOWNSHIP_A, Role.STAFF), boss=(Tree.COUNTY, Role.SUPERVISOR))
    year = TODAY.year
    for month in (2, 3):
        make_activity(Tree.TOWNSHIP_A, "培训", date(year, month, 1), audience=40)
    base = live_server.url

    log_in(phone, base, "staff")
    phone.goto(f"{base}/plans/new/")
    check(phone, tmp_path, "plan-new")
    phone.click("button.primary")
    phone.wait_for_selector("#plan-content")
    assert "综合文化站" in phone.inner_text("h1")
    check(phone, tmp_path, "plan-detail")

    # Editing an item swaps a form in place (htmx) and saving swaps the content back.
    first = phone.locator(".plan-items > li").first
    first.locator("a", has_text="编辑").click()
    first.locator("textarea").fill("组织开展元旦春节慰问演出。")
    check(phone, tmp_path, "plan-item-edit")
    first.locator("button.primary").click()
    phone.locator(".plan-items > li", has_text="组织开展元旦春节慰问演出。").wait_for()

    phone.goto(phone.url + "progress/")
    assert phone.locator("a.actual", has_text="2").count() >= 1
    check(phone, tmp_path, "plan-progress")

    log_in(phone, base, "boss")
    phone.goto(f"{base}/indicators/?unit={Tree.COUNTY}&by=child")
    check(phone, tmp_path, "indicators-by-child")
    phone.goto(f"{base}/indicators/")
    check(phone, tmp_path, "indicators")
