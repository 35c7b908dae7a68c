"""Township staff take the roll call of a training session on a phone (see
xuanwen/tests/test_browser.py for the browser set-up)."""

from pathlib import Path

from playwright.sync_api import Page

from xuanwen.accounts.models import Role
from xuanwen.teams.models import Attendance, Trainee
from xuanwen.testing import Tree
from xuanwen.tests.browser import BROWSER_TEST, log_in, people

from .helpers import make_person, make_training

pytestmark = BROWSER_TEST


def fits(page: Page, shots: Path, name: str) -> None:
    """No sideways scrolling at 375 px; a screenshot kept in pytest's temporary directory."""
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{name} scrolls"


def test_township_staff_take_the_roll_call_on_a_phone(
    live_server,
    phone: Page,
    tmp_path: Path,
) -> None:
    people(staff=(Tree.TOWNSHIP_A, Role.STAFF))
    tc = make_training(Tree.TOWNSHIP_A, sessions=1, title="古城街道文艺骨干暨广场舞带头人培训班")
    session = tc.sessions.get()
    names = ["王秀英", "李桂兰", "张建国", "欧阳春花"]
    trainees = [
        Trainee.objects.create(
            training_class=tc,
            person=make_person(Tree.VILLAGE_A if i % 2 else Tree.TOWNSHIP_A, name=n),
        )
        for i, n in enumerate(names)
    ]
    base = live_server.url

    log_in(phone, base, "staff")
    phone.goto(f"{base}/training/training-sessions/{session.pk}/attendance/")
    assert phone.locator(".roll input[type=checkbox]").count() == 4
    # Each name's whole row is the tap target (the box itself is small inside it).
    heights = phone.eval_on_selector_all(
        ".roll label", "els => els.map(el => el.getBoundingClientRect().height)"
    )
    assert min(heights) >= 44
    phone.click(f"text={names[0]}")  # a tap on the name ticks its box
    phone.check(f"input[name=present][value='{trainees[2].pk}']")
    phone.check(f"input[name=present][value='{trainees[3].pk}']")
    fits(phone, tmp_path, "training-roll-call")
    phone.click("form.form button.primary")
    phone.wait_for_url(f"{base}{tc.get_absolute_url()}#sessions")
    assert "已保存出勤：3 人" in phone.inner_text(".messages")
    fits(phone, tmp_path, "training-detail")

    present = set(Attendance.objects.filter(session=session).values_list("trainee_id", flat=True))
    assert present == {trainees[0].pk, trainees[2].pk, trainees[3].pk}

    # Reopened, the page shows the roll as saved; unticking one saves the absence.
    phone.goto(f"{base}/training/training-sessions/{session.pk}/attendance/")
    assert phone.is_checked(f"input[name=present][value='{trainees[0].pk}']")
    phone.uncheck(f"input[name=present][value='{trainees[3].pk}']")
    phone.click("form.form button.primary")
    phone.wait_for_url(f"{base}{tc.get_absolute_url()}#sessions")
    present = set(Attendance.objects.filter(session=session).values_list("trainee_id", flat=True))
    assert present == {trainees[0].pk, trainees[2].pk}
