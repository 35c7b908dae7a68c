"""The designation pages on a 375 px phone: a village keeper records the village's 文化示范村
designation and finds it on the list, without sideways scrolling."""

from pathlib import Path

from playwright.sync_api import Page

from xuanwen.accounts.models import Role
from xuanwen.designations.models import Designation
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, check, log_in, people

pytestmark = BROWSER_TEST


def test_keeper_records_a_designation_on_a_phone(live_server, phone: Page, tmp_path: Path) -> None:
    people(keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN))
    base = live_server.url
    log_in(phone, base, "keeper")

    phone.goto(f"{base}/designations/new/")
    check(phone, tmp_path, "designation-form")
    phone.select_option("#id_kind", label="文化示范村")
    phone.select_option("#id_level", label="县级")
    phone.fill("#id_designated_on", "2026-05-20")
    phone.fill("#id_document_no", "临文〔2026〕12号")
    phone.click("button.primary")
    phone.wait_for_url(f"{base}/designations/*/")
    assert "文化示范村" in phone.inner_text("h1")
    check(phone, tmp_path, "designation-detail")

    phone.goto(f"{base}/designations/")
    assert "临文〔2026〕12号" in phone.inner_text("#results")
    check(phone, tmp_path, "designation-list")
    designation = Designation.objects.get()
    assert (designation.unit_id, designation.level) == (Tree.VILLAGE_A, "county")
