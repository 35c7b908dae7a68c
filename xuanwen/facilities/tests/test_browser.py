"""The facility pages on a 375 px phone: a village keeper records the village's bookhouse,
adds a room inline and sees the area standard, without sideways scrolling."""

from pathlib import Path

from playwright.sync_api import Page

from xuanwen.facilities.models import Facility, Room
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, check, keeper_opens_entry, save_entry

pytestmark = BROWSER_TEST


def test_keeper_records_a_bookhouse_on_a_phone(live_server, phone: Page, tmp_path: Path) -> None:
    base = keeper_opens_entry(live_server, phone, tmp_path, "facilities", "facility")
    phone.select_option("#id_kind", label="农家书屋")
    phone.fill("#id_name", "文化社区农家书屋")
    phone.fill("#id_area", "18")
    save_entry(phone, base, "facilities")
    assert "文化社区农家书屋" in phone.inner_text("h1")
    assert "未达标" in phone.inner_text("#standards")
    check(phone, tmp_path, "facility-detail")

    # A room added inline through htmx: the section is replaced, the page stays.
    phone.click("#rooms summary")
    phone.fill("#id_room-name", "阅览室")
    phone.click("#rooms button.primary")
    phone.locator("#rooms .rows", has_text="阅览室").wait_for()
    check(phone, tmp_path, "facility-room")

    phone.goto(f"{base}/facilities/")
    check(phone, tmp_path, "facility-list")
    facility = Facility.objects.get()
    assert facility.unit_id == Tree.VILLAGE_A
    assert Room.objects.filter(facility=facility, name="阅览室").exists()
