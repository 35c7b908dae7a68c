"""A village keeper records a day's opening on a phone (see xuanwen/tests/test_browser.py)."""

from datetime import date, time
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page

from xuanwen.accounts.models import Role
from xuanwen.opening.models import OpeningLog
from xuanwen.testing import Tree, frozen
from xuanwen.tests.browser import BROWSER_TEST, TODAY, check, log_in, people

from .helpers import bookhouse_kind, log, make_facility

pytestmark = BROWSER_TEST


@frozen(TODAY)
def test_a_village_keeper_records_a_days_opening_on_a_phone(
    live_server,
    phone: Page,
    tmp_path: Path,
) -> None:
    people(keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN), staff=(Tree.TOWNSHIP_A, Role.STAFF))
    room = make_facility(Tree.VILLAGE_A, bookhouse_kind(), name="文化社区农家书屋")
    log(room, date(2026, 3, 2), "2.5")
    base = live_server.url

    log_in(phone, base, "keeper")
    phone.goto(f"{base}/opening/new/")
    # Everything is filled in: the keeper's facility, today, the usual hours.
    assert phone.input_value("#id_hours") == "2.5"
    phone.fill("#id_visitors", "18")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    check(phone, tmp_path, "opening-new")
    phone.click("#opening-form button.primary")
    # Back on the form of the same day, which lists the session and takes another.
    phone.wait_for_url(f"{base}/opening/new/?facility={room.pk}&date={TODAY:%Y-%m-%d}")
    assert "已登记" in phone.inner_text(".messages")
    assert "共 1 场 2.5 小时" in phone.inner_text(".sessions-today")
    check(phone, tmp_path, "opening-saved")
    saved = OpeningLog.objects.get(facility=room, date=TODAY)
    assert (saved.hours, saved.visitors) == (Decimal("2.5"), 18)
    # A second session of the day, in the afternoon: both kept, their hours added up.
    OpeningLog.objects.filter(pk=saved.pk).update(
        start=time(8, 30), end=time(11, 0), hours=Decimal("2.5")
    )
    phone.reload()
    phone.fill("#id_start", "14:00")
    phone.fill("#id_end", "17:30")
    phone.click("#opening-form button.primary")
    phone.wait_for_selector(".messages")
    assert "共 2 场 6 小时" in phone.inner_text(".sessions-today")
    check(phone, tmp_path, "opening-two-sessions")
    phone.goto(f"{base}/opening/?facility={room.pk}")
    check(phone, tmp_path, "opening-list")

    phone.goto(f"{base}/opening/week/")
    phone.fill("#id_d0_hours", "3")
    check(phone, tmp_path, "opening-week")
    phone.click("#week-form button.primary")
    phone.wait_for_selector(".messages")

    log_in(phone, base, "staff")
    phone.goto(f"{base}/opening/compliance/?period=2026")
    check(phone, tmp_path, "opening-compliance")
    phone.goto(f"{base}/opening/compliance/{room.pk}/?period=2026-03")
    check(phone, tmp_path, "opening-facility")
    phone.goto(f"{base}/workdays/")
    check(phone, tmp_path, "workdays")
