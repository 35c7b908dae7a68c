"""An approved March locks the township's March records: edit, import, delete and restore are
refused with a clear message until an approver unlocks it (audited)."""

import dataclasses
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanwen.activities import services as activity_services
from xuanwen.activities.excel import XLSX_MIME
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.tests.helpers import make_activity
from xuanwen.activities.tests.test_excel import row, xlsx
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.indicators.periods import month_period
from xuanwen.reporting import services
from xuanwen.reporting.models import SubmissionStatus, Unlock
from xuanwen.testing import BaseTestCase, Tree, frozen, temporary_media
from xuanwen.units.models import Unit

from .helpers import monthly_set, submit

MARCH = month_period(2026, 3)
LOCKED = "2026年3月的上报已批准，该月记录已锁定；如需修改请联系临海市解锁。"


def data_of(activity: Activity, **changes: Any) -> activity_services.ActivityData:
    values = {
        "unit": activity.unit,
        "type": activity.type,
        "title": activity.title,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "place": activity.place,
        "audience": activity.audience,
    }
    values.update(changes)
    return activity_services.ActivityData(**values)


@frozen(date(2026, 4, 12))
class LockTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report_set = monthly_set(cls.supervisor)

    def setUp(self) -> None:
        temporary_media(self)
        self.march = make_activity(Tree.TOWNSHIP_A, title="三月演出", start_date=date(2026, 3, 15))
        self.village = make_activity(Tree.VILLAGE_A, title="村里演出", start_date=date(2026, 3, 20))
        self.deleted = make_activity(Tree.TOWNSHIP_A, title="删掉的", start_date=date(2026, 3, 5))
        activity_services.activity_delete(user=self.staff_a, activity=self.deleted)
        self.entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(self.deleted.pk))
        self.april = make_activity(Tree.TOWNSHIP_A, title="四月演出", start_date=date(2026, 4, 2))
        self.submission = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        self.submission = services.submission_approve(
            user=self.supervisor, submission=self.submission
        )

    def assert_locked(self, do: Any) -> None:
        with self.assertRaisesMessage(ValidationError, LOCKED):
            do()

    def test_edit_delete_and_restore_are_refused_then_allowed_after_unlock(self) -> None:
        march = self.march
        edit = lambda: activity_services.activity_update(  # noqa: E731
            user=self.staff_a, activity=march, data=data_of(march, audience=999)
        )
        self.assert_locked(edit)
        # Moving it out of March is a change of March too.
        self.assert_locked(
            lambda: activity_services.activity_update(
                user=self.staff_a,
                activity=Activity.objects.get(pk=march.pk),
                data=data_of(march, start_date=date(2026, 4, 3), end_date=date(2026, 4, 3)),
            )
        )
        # A village's activity counts in its township's report: locked too.
        village = self.village
        self.assert_locked(
            lambda: activity_services.activity_delete(user=self.keeper, activity=village)
        )
        self.assert_locked(
            lambda: activity_services.activity_delete(user=self.staff_a, activity=march)
        )
        self.assert_locked(lambda: audit_restore(user=self.admin, entry=self.entry))
        march.refresh_from_db()
        self.assertEqual((march.audience, march.deleted_at), (0, None))
        # April is open; another township's March is too.
        april = self.april
        activity_services.activity_update(
            user=self.staff_a, activity=april, data=data_of(april, audience=5)
        )
        other = make_activity(Tree.TOWNSHIP_B, start_date=date(2026, 3, 15))
        activity_services.activity_delete(user=self.staff_b, activity=other)

        services.submission_unlock(user=self.supervisor, submission=self.submission, reason="补录")
        self.assertTrue(Unlock.objects.filter(submission=self.submission, reason="补录").exists())
        self.assertTrue(
            AuditEntry.objects.filter(
                action=Action.RETURN, model="reporting.submission", after__unlocked="补录"
            ).exists()
        )
        edit()
        march = Activity.objects.get(pk=march.pk)
        self.assertEqual(march.audience, 999)
        audit_restore(user=self.admin, entry=self.entry)
        activity_services.activity_delete(user=self.staff_a, activity=march)
        self.assertFalse(Activity.objects.filter(pk=march.pk).exists())

    def test_a_multi_day_activity_touching_march_is_locked(self) -> None:
        kind = ActivityType.objects.get(name="文艺演出")
        unit = Unit.objects.get(code=Tree.TOWNSHIP_A)
        data = activity_services.ActivityData(
            unit=unit,
            type=kind,
            title="跨月展览",
            start_date=date(2026, 2, 25),
            end_date=date(2026, 3, 2),
        )
        self.assert_locked(lambda: activity_services.activity_create(user=self.staff_a, data=data))
        feb = dataclasses.replace(data, end_date=date(2026, 2, 28))
        activity_services.activity_create(user=self.staff_a, data=feb)

    def test_the_whole_import_is_refused_naming_the_row(self) -> None:
        self.client.force_login(self.staff_a)
        rows = [
            row(unit=Tree.TOWNSHIP_A, title="四月一", start_date=date(2026, 4, 1)),
            row(unit=Tree.VILLAGE_A, title="三月一", start_date=date(2026, 3, 9)),
        ]
        upload = SimpleUploadedFile("活动.xlsx", xlsx(rows), content_type=XLSX_MIME)
        page = self.client.post(reverse("activities:import"), {"file": upload})
        problems = [str(p) for p in page.context.get("problems") or []]
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("第 3 行", problems[0])
        self.assertIn(LOCKED, problems[0])
        self.assertFalse(Activity.objects.filter(title__in=["四月一", "三月一"]).exists())

    def test_the_pages_say_why(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.post(reverse("activities:delete", args=[self.march.pk]), follow=True)
        self.assertContains(page, LOCKED)
        self.assertTrue(Activity.objects.filter(pk=self.march.pk).exists())
        self.client.force_login(self.admin)
        page = self.client.post(f"/audit/{self.entry.pk}/restore/", follow=True)
        self.assertContains(page, LOCKED)

    def test_an_unlock_needs_the_approver_and_a_reason(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.submission_unlock(user=self.staff_a, submission=self.submission, reason="x")
        with self.assertRaisesMessage(ValidationError, "请填写解锁原因"):
            services.submission_unlock(user=self.supervisor, submission=self.submission, reason="")
        # The return reason the unit reads is "解锁：" and the reason, in a field of 500.
        with self.assertRaisesMessage(ValidationError, "原因不能超过 497 个字"):
            services.submission_unlock(
                user=self.supervisor, submission=self.submission, reason="长" * 500
            )
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.status, SubmissionStatus.APPROVED)
        services.submission_unlock(
            user=self.supervisor, submission=self.submission, reason="长" * 497
        )
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.return_reason, "解锁：" + "长" * 497)


@frozen(date(2026, 4, 25))
class LockDaysTest(BaseTestCase):
    """A set's lock days close a period's entry by themselves; sending the unit's report back
    opens it again."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report_set = monthly_set(cls.supervisor, lock_days=20)

    def test_entry_closes_after_the_lock_days(self) -> None:
        march = make_activity(Tree.VILLAGE_A, title="三月", start_date=date(2026, 3, 30))
        april = make_activity(Tree.VILLAGE_A, title="四月", start_date=date(2026, 4, 2))
        with self.assertRaisesMessage(
            ValidationError,
            "2026年3月的录入已于 2026-04-20 截止；如需修改请联系临海市退回该期上报。",
        ):
            activity_services.activity_update(
                user=self.keeper, activity=march, data=data_of(march, audience=7)
            )
        activity_services.activity_update(
            user=self.keeper, activity=april, data=data_of(april, audience=7)
        )
        # The county's own records are no township's: not closed.
        county = make_activity(Tree.COUNTY, title="县里三月", start_date=date(2026, 3, 30))
        activity_services.activity_delete(user=self.admin, activity=county)

        sub = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        services.submission_return(user=self.supervisor, submission=sub, reason="请补录")
        activity_services.activity_update(
            user=self.keeper, activity=march, data=data_of(march, audience=7)
        )
        # Township B's March stays closed.
        other = make_activity(Tree.TOWNSHIP_B, start_date=date(2026, 3, 3))
        with self.assertRaises(ValidationError):
            activity_services.activity_delete(user=self.staff_b, activity=other)
