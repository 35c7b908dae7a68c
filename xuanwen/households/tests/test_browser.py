"""The household pages on a 375 px phone: a village keeper records a 文化大户 of the village,
finds it in the list, and an undated one is marked 待补日期, without sideways scrolling."""

from pathlib import Path

from playwright.sync_api import Page

from xuanwen.households.models import Household
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, check, keeper_opens_entry, save_entry

pytestmark = BROWSER_TEST


def test_keeper_records_a_household_on_a_phone(live_server, phone: Page, tmp_path: Path) -> None:
    base = keeper_opens_entry(live_server, phone, tmp_path, "households", "household")
    phone.select_option("#id_kind", label="文化大户")
    phone.fill("#id_head", "张秀兰")
    phone.fill("#id_speciality", "剪纸")
    phone.fill("#id_members", "3")
    save_entry(phone, base, "households")
    assert "张秀兰" in phone.inner_text("h1")
    # No designation date yet: the page says it counts in no period.
    assert "待补日期" in phone.inner_text("dl.facts")
    check(phone, tmp_path, "household-detail")

    phone.goto(f"{base}/households/?undated=on")
    assert "张秀兰" in phone.inner_text("#results")
    check(phone, tmp_path, "household-list")
    household = Household.objects.get()
    assert (household.unit_id, household.kind.code, household.members) == (
        Tree.VILLAGE_A,
        "major",
        3,
    )
