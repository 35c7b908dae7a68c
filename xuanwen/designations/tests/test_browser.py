"""The designation pages on a 375 px phone: a village keeper records the village's 文化示范村
designation and finds it on the list, without sideways scrolling."""

from pathlib import Path

from playwright.sync_api import Page

from xuanwen.designations.models import Designation
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, check, keeper_opens_entry, save_entry

pytestmark = BROWSER_TEST


def test_keeper_records_a_designation_on_a_phone(live_server, phone: Page, tmp_path: Path) -> None:
    base = keeper_opens_entry(live_server, phone, tmp_path, "designations", "designation")
    phone.select_option("#id_kind", label="文化示范村")
    phone.select_option("#id_level", label="县级")
    phone.fill("#id_designated_on", "2026-05-20")
    phone.fill("#id_document_no", "临文〔2026〕12号")
    save_entry(phone, base, "designations")
    assert "文化示范村" in phone.inner_text("h1")
    check(phone, tmp_path, "designation-detail")

    phone.goto(f"{base}/designations/")
    assert "临文〔2026〕12号" in phone.inner_text("#results")
    check(phone, tmp_path, "designation-list")
    designation = Designation.objects.get()
    assert (designation.unit_id, designation.level) == (Tree.VILLAGE_A, "county")
