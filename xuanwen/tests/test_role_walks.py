"""One walk per role, on a phone (375 px) and a desk (1280 px), each step screenshotted:

- the village keeper records today's opening in two taps from the home page;
- township staff record an activity with its photo in one form;
- the county supervisor approves a submitted plan from the home page.

`make screenshots` runs these with SCREENSHOTS=docs/screenshots, which the README shows;
otherwise the pictures go to the test's temporary folder.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from xuanwen.accounts.models import Role
from xuanwen.activities.models import Activity
from xuanwen.activities.tests.helpers import image_bytes
from xuanwen.opening.models import OpeningLog
from xuanwen.opening.tests.helpers import bookhouse_kind, make_facility
from xuanwen.plans import services as plans
from xuanwen.plans.models import PlanStatus
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import Tree, frozen
from xuanwen.tests.browser import BROWSER_TEST, TODAY, log_in, people, watch_policies

pytestmark = BROWSER_TEST

SIZES = {"phone": {"width": 375, "height": 800}, "desk": {"width": 1280, "height": 860}}


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS", "") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Page, folder: Path, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


@pytest.fixture
def walk(browser: Browser, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = watch_policies(page)  # the chart's script included: no CSP violation
    yield request.param, page
    page.wait_for_timeout(100)
    context.close()
    assert not violations, "policy violations:\n" + "\n".join(violations)


@pytest.mark.parametrize("walk", list(SIZES), indirect=True)
@frozen(TODAY)
def test_each_role_does_the_everyday_thing_in_few_taps(
    live_server,
    walk,
    tmp_path: Path,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    size, page = walk
    folder = shots(tmp_path)
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the photo is stored, then removed with it
    who = people(
        keeper=(Tree.VILLAGE_A, Role.VILLAGE_ADMIN),
        staff=(Tree.TOWNSHIP_A, Role.STAFF),
        supervisor=(Tree.COUNTY, Role.SUPERVISOR),
    )
    base = live_server.url

    # The keeper: home → 登记今日开放 (one) → 保存 (two).
    room = make_facility(Tree.VILLAGE_A, bookhouse_kind(), name="文化社区农家书屋")
    log_in(page, base, "keeper")
    shoot(page, folder, f"keeper-1-home-{size}")
    page.click("text=登记今日开放")
    shoot(page, folder, f"keeper-2-form-{size}")
    page.click("#opening-form button.primary")
    page.wait_for_selector(".messages")
    shoot(page, folder, f"keeper-3-saved-{size}")
    assert OpeningLog.objects.filter(facility=room, date=TODAY).exists()

    # Staff: an activity with its photo, in one form.
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(image_bytes(size=(640, 480)))
    log_in(page, base, "staff")
    page.goto(f"{base}/activities/new/")
    page.fill("#id_title", "广场舞展演")
    page.select_option("#id_type", index=1)
    page.set_input_files("#id_photos", str(photo))
    page.locator("#id_photos").scroll_into_view_if_needed()
    shoot(page, folder, f"staff-1-activity-form-{size}")
    page.click("form.form button.primary")
    page.wait_for_selector(".messages")
    shoot(page, folder, f"staff-2-activity-saved-{size}")
    activity = Activity.objects.get(title="广场舞展演")
    assert activity.start_date == TODAY and activity.attachments.count() == 1
    # A list's card opens when tapped anywhere on it, not only on its title.
    page.goto(f"{base}/activities/")
    page.click(".rows li .meta", force=True)  # where the finger lands: the card's title link
    page.wait_for_url(f"{base}{activity.get_absolute_url()}")

    # The supervisor: the plan waiting is on the home page, approved there.
    plan, _item = plan_with_item(who["staff"], Tree.TOWNSHIP_A, "activities.count", target_min=5)
    plans.plan_submit(user=who["staff"], plan=plan)
    log_in(page, base, "supervisor")
    # This year's figures against last year's, with charts (activities, audience) drawn from our
    # own ECharts.
    page.locator("#year-figures .chart canvas").first.wait_for()
    shoot(page, folder, f"supervisor-1-home-{size}")
    page.click("#plans-waiting button.primary")
    page.wait_for_selector(".messages")
    shoot(page, folder, f"supervisor-2-approved-{size}")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
