"""`xuanwen demo`: the demo county and one login per role, idempotent, every login works."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from xuanwen.accounts.models import User
from xuanwen.demo.county import DEMO_PASSWORD, demo_logins
from xuanwen.testing import frozen, temporary_media
from xuanwen.units.models import Unit


class DemoTestCase(TestCase):
    """No shared tree here: the demo starts from an empty database."""

    def setUp(self) -> None:
        temporary_media(self)  # the demo's photos and their thumbnails

    def load_demo(self) -> str:
        """Runs `xuanwen demo` and gives what it printed."""
        out = StringIO()
        call_command("demo", stdout=out)
        return out.getvalue()


class DemoCommandTests(DemoTestCase):
    def test_it_loads_the_demo_twice_to_the_same_state(self) -> None:
        first = self.load_demo()
        assert "共 700 处变更" in first
        assert DEMO_PASSWORD in first
        assert (User.objects.count(), Unit.objects.count()) == (6, 700)
        # A visitor changes a demo user; the second run puts it back.
        User.objects.filter(username="staff").update(is_active=False, role="viewer", name="")
        second = self.load_demo()
        assert "共 0 处变更" in second
        assert (User.objects.count(), Unit.objects.count()) == (6, 700)

        for login in demo_logins():
            assert login.username in second
            user = User.objects.get(username=login.username)
            assert (user.role, user.unit_id, user.is_active) == (login.role, login.unit_code, True)
            # Every demo user has a 姓名, and the top bar shows it rather than the login name.
            assert user.name == login.name and login.name and login.name in second
            r = self.client.post("/login/", {"username": login.username, "password": DEMO_PASSWORD})
            self.assertRedirects(r, "/", fetch_redirect_response=False)
            r = self.client.get("/")
            self.assertContains(r, Unit.objects.get(code=login.unit_code).name)
            self.assertContains(r, f'<span class="who">{login.name} · ')
            self.client.logout()


# The demo's records are the year before the day it is loaded. Compliance is judged only
# against a known working-day calendar, so the test loads it on a day of the last year the
# built-in calendar knows.
DEMO_DAY = date(2026, 11, 27)


def record_counts() -> tuple[int, ...]:
    """How many facilities, opening logs, activities and duty completions there are."""
    from xuanwen.activities.models import Activity
    from xuanwen.duties.models import DutyCompletion
    from xuanwen.facilities.models import Facility
    from xuanwen.opening.models import OpeningLog

    return (
        Facility.objects.count(),
        OpeningLog.objects.count(),
        Activity.objects.count(),
        DutyCompletion.objects.count(),
    )


@frozen(DEMO_DAY)
class DemoRecordsTests(DemoTestCase):
    def test_the_demo_has_records_on_every_page_and_loads_them_once(self) -> None:
        from xuanwen.facilities.models import Facility
        from xuanwen.reporting.models import ReportSet, Submission

        assert "演示记录" in self.load_demo()
        counts = record_counts()
        assert all(counts), counts
        self.load_demo()
        assert record_counts() == counts

        # The staff's home page shows the overdue blackboard; the station's compliance page
        # names the short Wednesday; the plan's progress counts the training classes.
        self.client.post("/login/", {"username": "staff", "password": DEMO_PASSWORD})
        home = self.client.get("/")
        self.assertContains(home, "黑板报")
        station = Facility.objects.get(name="古城街道综合文化站")
        page = self.client.get(f"/opening/compliance/{station.pk}/")
        self.assertContains(page, "仅开放 2.5 小时")
        for url in (
            "/facilities/", "/duties/", "/teams/", "/bookhouses/", "/plans/", "/designations/",
        ):  # fmt: skip
            assert self.client.get(url).status_code == 200, url
        self.assertContains(self.client.get("/households/", {"undated": "on"}), "陈阿婆")
        # Reporting: the supervisor's completeness page names townships that have not reported.
        self.client.post("/login/", {"username": "supervisor", "password": DEMO_PASSWORD})
        report_set = ReportSet.objects.get(name="乡镇综合文化站月报")
        assert Submission.objects.filter(report_set=report_set, status="approved").count() == 2
        page = self.client.get(f"/reporting/sets/{report_set.pk}/")
        self.assertContains(page, "未上报单位")
        assert page.context["result"].total.received == 1
        # Assessment: this year's scheme, scored and published, on the home card and its pages.
        from xuanwen.accounts.models import User
        from xuanwen.assessment.models import Run

        self.client.force_login(User.objects.get(username="supervisor"))
        run = Run.objects.get()
        assert run.published and run.results.count() > 1
        self.assertContains(self.client.get("/"), "考核排名")
        self.assertContains(self.client.get(f"/assessment/runs/{run.pk}/"), "古城街道")
        mine = run.results.get(unit_id="331082001")
        self.assertContains(
            self.client.get(f"/assessment/results/{mine.pk}/"), "获市级文化工作表彰"
        )
