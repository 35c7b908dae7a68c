"""Reporting up (#14): completeness, what a unit owes, approval in order, checks."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuanwen.activities.tests.helpers import make_activity
from xuanwen.indicators.periods import month_period
from xuanwen.reporting import selectors, services
from xuanwen.reporting.models import (
    ReportSet,
    RuleKind,
    Severity,
    SubmissionStatus,
    SubmissionWarning,
)
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Level, Unit

from .helpers import monthly_set, more_townships, submit

MARCH = month_period(2026, 3)


class CompletenessTest(BaseTestCase):
    """A county of 19 townships: 17 submit March on time, 1 late, 1 not at all."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.extra = more_townships(17)
        # February's deadline (the 10th) had passed when it was made: owed from March.
        with frozen(date(2026, 3, 15)):
            cls.report_set = monthly_set(cls.supervisor)
        on_time = [Tree.TOWNSHIP_A, *(u.code for u in cls.extra[:-1])]
        with frozen(date(2026, 4, 8)):
            for code in on_time:
                submit(cls.admin, cls.report_set, code, MARCH)
        with frozen(date(2026, 4, 15)):  # five days after the deadline of the 10th
            submit(cls.admin, cls.report_set, cls.extra[-1].code, MARCH)
        # Township B (大洋街道) submits nothing.

    def test_counts_and_names_the_missing_one(self) -> None:
        with frozen(date(2026, 4, 20)):
            county = Unit.objects.get(code=Tree.COUNTY)
            result = selectors.completeness(self.report_set, county, MARCH)
        total = result.total
        self.assertEqual(total.expected, 19)
        self.assertEqual((total.on_time, total.late, total.missing_count), (17, 1, 1))
        self.assertEqual(total.received, 18)
        self.assertEqual([u.name for u in total.missing], ["大洋街道"])
        self.assertEqual(len(result.rows), 19)  # a row per township

    def test_page_shows_it_and_links_each_figure(self) -> None:
        self.client.force_login(self.supervisor)
        with frozen(date(2026, 4, 20)):
            url = reverse("reporting:set", args=[self.report_set.pk])
            page = self.client.get(url, {"period": "2026-03"})
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("2026年3月", html)
        self.assertNotIn(">2026-03<", html)
        self.assertIn("大洋街道", html)
        stats = page.context["result"].total
        self.assertEqual((stats.expected, stats.on_time, stats.late), (19, 17, 1))
        listing = reverse("reporting:submissions", args=[self.report_set.pk])
        self.assertIn(f"{listing}?unit={Tree.COUNTY}&amp;period=2026-03&amp;which=late", html)
        late = self.client.get(listing, {"unit": Tree.COUNTY, "period": "2026-03", "which": "late"})
        self.assertEqual([s.unit.name for s in late.context["rows"]], ["第19镇"])

    def test_staff_of_the_missing_township_see_it_owed_on_their_home_page(self) -> None:
        self.client.force_login(self.staff_b)
        with frozen(date(2026, 4, 20)):
            home = self.client.get(reverse("home")).content.decode()
        self.assertIn("乡镇文化站月报 · 2026年3月", home)
        self.assertIn("已逾期", home)
        # Township A submitted March: it owes only what is not yet due (nothing ended since).
        self.client.force_login(self.staff_a)
        with frozen(date(2026, 4, 20)):
            home = self.client.get(reverse("home")).content.decode()
        self.assertNotIn("乡镇文化站月报 · 2026年3月", home)

    def test_and_in_their_notices_once_overdue(self) -> None:
        self.client.force_login(self.staff_b)
        with frozen(date(2026, 4, 20)):
            page = self.client.get(reverse("notices:list")).content.decode()
        self.assertIn("报表逾期未报：乡镇文化站月报", page)
        self.assertIn("2026年3月 · 应于 2026-04-10 前上报", page)
        with frozen(date(2026, 4, 5)):  # due, not yet overdue: the home card only
            page = self.client.get(reverse("notices:list")).content.decode()
        self.assertNotIn("报表逾期未报", page)

    def test_due_before_the_deadline(self) -> None:
        with frozen(date(2026, 4, 5)):
            owed = selectors.owed_by(Tree.TOWNSHIP_B, date(2026, 4, 5))
        march = [o for o in owed if o.period.key == "2026-03"]
        self.assertEqual(len(march), 1)
        self.assertFalse(march[0].overdue)

    def test_query_count_does_not_grow_with_the_townships(self) -> None:
        self.client.force_login(self.supervisor)
        url = reverse("reporting:set", args=[self.report_set.pk])
        with frozen(date(2026, 4, 20)):
            self.client.get(url, {"period": "2026-03"})  # warm the session and caches
            few = self._count(url)
            more_townships(20, first=40)
            with self.assertNumQueries(few):
                page = self.client.get(url, {"period": "2026-03"})
        self.assertEqual(page.context["result"].total.expected, 39)

    def _count(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url, {"period": "2026-03"})
        return len(ctx.captured_queries)

    def test_other_units_submissions_are_404(self) -> None:
        sub = self.report_set.submissions.get(unit_id=Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_b)
        page = self.client.get(reverse("reporting:submission", args=[sub.pk]))
        self.assertEqual(page.status_code, 404)
        self.client.force_login(self.outsider)
        page = self.client.get(reverse("reporting:set", args=[self.report_set.pk]))
        self.assertEqual(page.status_code, 404)


@frozen(date(2026, 4, 5))
class ApprovalOrderTest(BaseTestCase):
    """The county's own summary waits for every township that owes the set."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report_set = monthly_set(cls.supervisor, levels=[Level.COUNTY, Level.TOWNSHIP])

    def test_county_cannot_approve_march_before_its_townships(self) -> None:
        a = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        b = submit(self.staff_b, self.report_set, Tree.TOWNSHIP_B, MARCH)
        services.submission_approve(user=self.supervisor, submission=a)
        # Submitting the county's summary is refused while B is not approved, naming B.
        with self.assertRaisesMessage(ValidationError, "大洋街道的上报尚未批准"):
            submit(self.admin, self.report_set, Tree.COUNTY, MARCH)
        services.submission_approve(user=self.supervisor, submission=b)
        county = submit(self.admin, self.report_set, Tree.COUNTY, MARCH)
        # B unlocked again (say to fix a figure): the county may not approve its summary now.
        services.submission_unlock(user=self.supervisor, submission=b, reason="数据有误")
        with self.assertRaisesMessage(ValidationError, "大洋街道的上报尚未批准"):
            services.submission_approve(user=self.supervisor, submission=county)
        b = submit(self.staff_b, self.report_set, Tree.TOWNSHIP_B, MARCH)
        services.submission_approve(user=self.supervisor, submission=b)
        county = services.submission_approve(user=self.supervisor, submission=county)
        self.assertEqual(county.status, SubmissionStatus.APPROVED)
        self.assertAudited("approve", county)

    def test_only_the_level_above_approves(self) -> None:
        a = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        for user in (self.staff_a, self.staff_b, self.viewer, self.outsider):
            with self.assertRaises(PermissionDenied):
                services.submission_approve(user=user, submission=a)

    def test_return_needs_a_reason_and_the_unit_submits_again(self) -> None:
        a = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        with self.assertRaisesMessage(ValidationError, "请填写退回原因"):
            services.submission_return(user=self.supervisor, submission=a, reason=" ")
        a = services.submission_return(user=self.supervisor, submission=a, reason="观众人数偏高")
        self.assertEqual(a.status, SubmissionStatus.RETURNED)
        owed = selectors.owed_by(Tree.TOWNSHIP_A, date(2026, 4, 5))
        self.assertEqual([o.submission for o in owed if o.period.key == "2026-03"], [a])
        again = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        self.assertEqual(again.status, SubmissionStatus.SUBMITTED)
        self.assertEqual(again.return_reason, "")


@frozen(date(2026, 4, 5))
class RulesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report_set = monthly_set(cls.supervisor)
        for day in (3, 9, 20):
            make_activity(
                Tree.TOWNSHIP_A, start_date=date(2026, 3, day), audience=400, participants=30
            )

    def rule(self, **fields: Any) -> None:
        services.rule_create(
            user=self.supervisor, report_set=self.report_set, data=services.RuleData(**fields)
        )

    def test_a_blocking_rule_stops_the_submission_and_names_the_figure(self) -> None:
        self.rule(
            kind=RuleKind.NOT_ABOVE_LIMIT,
            left="activities.count",
            limit=2,
            level=Level.TOWNSHIP,
            severity=Severity.BLOCKING,
        )
        with self.assertRaisesMessage(ValidationError, "活动总次数（3 次）超过了上限 2 次"):
            submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        self.assertFalse(self.report_set.submissions.exists())

    def test_a_warning_lets_it_through_and_is_recorded(self) -> None:
        self.rule(
            kind=RuleKind.NOT_ABOVE_INDICATOR,
            left="activities.audience",
            right="activities.participants",
            severity=Severity.WARNING,
        )
        sub = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        self.assertEqual(sub.status, SubmissionStatus.SUBMITTED)
        self.assertEqual(sub.values["activities.count"], 3)
        self.assertEqual(sub.values["activities.audience"], 1200)
        warning = SubmissionWarning.objects.get(submission=sub)
        self.assertIn("活动观众人次（1200 人次）超过了活动参与人次（90 人次）", warning.message)
        self.assertTrue(sub.on_time)

    def test_a_rule_for_another_level_does_not_apply(self) -> None:
        self.rule(
            kind=RuleKind.NOT_ABOVE_LIMIT,
            left="activities.count",
            limit=0,
            level=Level.VILLAGE,
            severity=Severity.BLOCKING,
        )
        submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)

    def test_rule_indicators_must_be_the_sets(self) -> None:
        with self.assertRaises(ValidationError):
            self.rule(kind=RuleKind.NOT_ABOVE_LIMIT, left="nope", limit=1)

    def test_a_report_set_names_known_indicators_and_levels(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            monthly_set(self.supervisor, indicators=["nope.count"], levels=[9])
        self.assertEqual(set(caught.exception.message_dict), {"indicators", "levels"})
        with self.assertRaises(PermissionDenied):
            monthly_set(self.staff_a)


@frozen(date(2026, 4, 5))
class DefiningPagesTest(BaseTestCase):
    def test_a_supervisor_defines_a_set_and_its_rules_on_pages(self) -> None:
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(reverse("reporting:set_new")).status_code, 403)
        self.client.force_login(self.supervisor)
        page = self.client.post(
            reverse("reporting:set_new"),
            {
                "name": "季报",
                "levels": ["4"],
                "frequency": "quarter",
                "deadline_days": "15",
                "lock_days": "0",
                "indicators": ["activities.count", "activities.audience"],
                "active": "on",
            },
        )
        report_set = ReportSet.objects.get(name="季报")
        self.assertRedirects(page, reverse("reporting:set", args=[report_set.pk]))
        self.assertEqual((report_set.levels, report_set.owner_id), ([4], Tree.COUNTY))
        page = self.client.post(
            reverse("reporting:rule_add", args=[report_set.pk]),
            {"kind": "le_limit", "left": "activities.count", "limit": "30", "level": "4",
             "severity": "blocking"},
        )  # fmt: skip
        self.assertEqual(report_set.rules.get().limit, 30)
        edit = self.client.get(reverse("reporting:set_edit", args=[report_set.pk]))
        self.assertContains(edit, "指标不超过上限 · 阻止上报 · 乡镇街道")
        # The quarter's page reads its periods in words.
        page = self.client.get(reverse("reporting:set", args=[report_set.pk]))
        self.assertContains(page, "2026年第一季度")
