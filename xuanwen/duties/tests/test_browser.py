"""The township staff member records an overdue blackboard issue on a phone, from the home
page's card, with a photo (see xuanwen/tests/test_browser.py)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from xuanwen.accounts.models import Role
from xuanwen.activities.tests.helpers import image_bytes
from xuanwen.duties import cycles, services
from xuanwen.duties.models import Cycle, DutyCompletion, EvidenceKind
from xuanwen.testing import Tree, frozen
from xuanwen.tests.browser import BROWSER_TEST, TODAY, check, log_in, people

pytestmark = BROWSER_TEST


@frozen(TODAY)
def test_township_staff_records_an_overdue_blackboard_issue_with_a_photo_on_a_phone(
    live_server,
    phone: Page,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff = people(staff=(Tree.TOWNSHIP_A, Role.STAFF))["staff"]
    # The duty began with the previous half-month, which has passed without an issue: exactly
    # one overdue period.
    current = cycles.period_of(Cycle.HALF_MONTHLY, None, TODAY)
    missed = cycles.period_of(Cycle.HALF_MONTHLY, None, current.start - timedelta(days=1))
    duty = services.duty_create(
        user=staff,
        data=services.DutyData(
            unit=staff.unit,
            name="黑板报",
            cycle=Cycle.HALF_MONTHLY,
            start_date=missed.start,
            needs_photo=True,
            role=Role.STAFF,
        ),
    )
    base = live_server.url

    log_in(phone, base, "staff")
    card = phone.locator("#duties-overdue")
    assert missed.label in card.inner_text()
    check(phone, tmp_path, "duties-home-card")
    card.locator("a.button.primary", has_text="登记完成").click()
    phone.wait_for_url(f"{base}/duties/{duty.pk}/complete/?period={missed.key}")
    assert f"补记{missed.label}" in phone.inner_text("main")

    phone.set_input_files(
        "#id_files",
        files=[{"name": "黑板报.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}],
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    check(phone, tmp_path, "duties-complete")
    phone.click("form.form button.primary")
    phone.wait_for_url(f"{base}/duties/{duty.pk}/")
    assert "已登记" in phone.inner_text(".messages")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    check(phone, tmp_path, "duties-detail")

    saved = DutyCompletion.objects.get(duty=duty)
    assert (saved.done_on, saved.period_start, saved.done_by) == (TODAY, missed.start, staff)
    photo = saved.evidence.get()
    assert photo.kind == EvidenceKind.PHOTO
    assert Path(photo.file.path).is_file()

    # Done: the home page has nothing overdue left to show.
    phone.goto(f"{base}/")
    assert phone.locator("#duties-overdue").count() == 0
