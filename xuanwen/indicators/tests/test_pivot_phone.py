"""The pivot on a phone: it fits 375 px in Chinese and English, and drills with htmx."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from xuanwen.indicators.tests.helpers import make_activity
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, TODAY
from xuanwen.tests.test_phone_pages import Findings, personas, sign_in

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pivot_fits_a_phone_and_drills(
    live_server, phone: Page, tmp_path: Path, language: str
) -> None:
    personas()
    make_activity(Tree.VILLAGE_A, "培训", TODAY.replace(month=2, day=10))
    base, year = live_server.url, TODAY.year
    sign_in(phone, base, "supervisor", language)
    findings = Findings(tmp_path)
    for query in (f"unit={Tree.COUNTY}&period={year}", f"unit={Tree.TOWNSHIP_A}&period={year}-Q1"):
        assert findings.check(phone, base, f"/indicators/pivot/?{query}")
    findings.assert_none(language)
    # Down the tree and the calendar in place: the county's townships, then one's villages,
    # then its months.
    phone.goto(f"{base}/indicators/pivot/?unit={Tree.COUNTY}&period={year}")
    phone.locator("#pivot tbody a", has_text="古城街道").click()
    phone.locator("#pivot tbody td", has_text="文化社区").wait_for()
    phone.locator("#pivot thead a").first.click()
    phone.wait_for_url(f"**unit={Tree.TOWNSHIP_A}&period={year}-Q1")
    assert phone.locator("#pivot thead th").count() == 1 + 3 + 1  # the months and the quarter
