from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.duties.models import Cycle, Duty, DutyCompletion, InspectedBusiness
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import MARKET_INSPECTION, complete, make_duty, photo

TODAY = date(2026, 4, 5)


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": Tree.TOWNSHIP_A,
        "name": "宣传橱窗",
        "cycle": Cycle.MONTHLY,
        "due_day": "",
        "needs_photo": "on",
        "role": "staff",
        "start_date": "2026-01-01",
        "active": "on",
        "description": "",
    }
    data.update(overrides)
    return data


@frozen(TODAY)
class DutyPageTests(BaseTestCase):
    def test_list_shows_active_duties_unless_inactive_is_ticked(self) -> None:
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="黑板报")
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="旧橱窗", active=False)
        self.client.force_login(self.staff_a)
        shown = self.client.get(reverse("duties:list")).content.decode()
        self.assertIn("黑板报", shown)
        self.assertNotIn("旧橱窗", shown)
        shown = self.client.get(reverse("duties:list"), {"inactive": "on"}).content.decode()
        self.assertIn("旧橱窗", shown)
        # The API lists every duty unless asked otherwise.
        r = self.client.get("/api/v1/duties/", **self.bearer(self.staff_a))
        self.assertEqual(r.json()["count"], 2)

    def test_the_list_and_the_home_page_count_the_same_missed_periods(self) -> None:
        # A monthly 宣传橱窗 since February, never done: February and March are overdue on
        # 5 April, April's is not due yet. Both pages say two periods were missed.
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="宣传橱窗", cycle=Cycle.MONTHLY,
                  start_date=date(2026, 2, 1))  # fmt: skip
        self.client.force_login(self.staff_a)
        listed = self.client.get(reverse("duties:list")).content.decode()
        assert "逾期 2 期" in listed and "未到期" in listed
        home = self.client.get("/").content.decode()
        assert "共有 2 期逾期未做" in home
        # The one-off defaults are folded away, not the page's primary button.
        assert "<details" in listed and "添加常规工作默认项</button>" in listed
        assert 'class="primary">添加常规工作默认项' not in listed

    def test_staff_creates_a_duty(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.post(reverse("duties:create"), form_data())
        duty = Duty.objects.get(name="宣传橱窗")
        self.assertRedirects(response, duty.get_absolute_url())
        self.assertEqual((duty.unit_id, duty.role), (Tree.TOWNSHIP_A, "staff"))
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.CREATE, model="duties.duty").exists()
        )

    def test_rules_show_in_chinese_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.post(reverse("duties:create"), form_data(needs_photo=""))
        self.assertContains(r, "请至少选择一种佐证")
        r = self.client.post(reverse("duties:create"), form_data(cycle=Cycle.MONTH_DAY))
        self.assertContains(r, "每月固定日的工作要填每月几日")
        r = self.client.post(reverse("duties:create"), form_data(unit=Tree.TOWNSHIP_B))
        self.assertTrue(r.context["form"].errors["unit"])
        self.assertFalse(Duty.objects.exists())

    def test_defaults_from_the_seed(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("duties:defaults")
        self.client.post(url, {"unit": Tree.TOWNSHIP_A, "start_date": "2026-01-01"})
        duties = {d.name: d for d in Duty.objects.filter(unit_id=Tree.TOWNSHIP_A)}
        self.assertEqual(
            set(duties), {"黑板报", "宣传橱窗", "文化市场清理整顿", "理论学习日", "周例会"}
        )
        self.assertEqual(duties["黑板报"].cycle, Cycle.HALF_MONTHLY)
        self.assertTrue(duties["黑板报"].needs_photo)
        self.assertEqual(
            (duties["理论学习日"].cycle, duties["理论学习日"].due_day), ("month_day", 10)
        )
        self.assertTrue(duties["文化市场清理整顿"].needs_inspections)
        self.assertEqual(duties["周例会"].cycle, Cycle.WEEKLY)
        # Again: nothing doubled. Another township's: 404.
        self.client.post(url, {"unit": Tree.TOWNSHIP_A, "start_date": "2026-01-01"})
        self.assertEqual(Duty.objects.count(), 5)
        r = self.client.post(url, {"unit": Tree.TOWNSHIP_B, "start_date": "2026-01-01"})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(Duty.objects.count(), 5)

    def test_other_units_records_are_404(self) -> None:
        duty = make_duty(self.staff_b, Tree.TOWNSHIP_B)
        completion = complete(self.staff_b, duty, date(2026, 3, 2))
        evidence = completion.evidence.get()
        self.client.force_login(self.staff_a)
        for url in (
            reverse("duties:detail", args=[duty.pk]),
            reverse("duties:edit", args=[duty.pk]),
            reverse("duties:complete", args=[duty.pk]),
            reverse("duties:completion", args=[completion.pk]),
            reverse("duties:evidence", args=[evidence.pk]),
            reverse("duties:evidence_thumb", args=[evidence.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(
            self.client.post(reverse("duties:delete", args=[duty.pk])).status_code, 404
        )
        self.assertIsNone(Duty.objects.get(pk=duty.pk).deleted_at)
        export = self.client.get(reverse("duties:completions_export"))
        self.assertEqual(export.status_code, 200)
        self.assertNotIn("黑板报".encode(), b"".join(export.streaming_content))  # type: ignore[attr-defined]

    def test_viewer_may_read_but_not_record(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(duty.get_absolute_url()).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("duties:complete", args=[duty.pk])).status_code, 403
        )

    def test_delete_is_soft_and_hides_completions(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A)
        completion = complete(self.staff_a, duty, date(2026, 3, 2))
        self.client.force_login(self.staff_a)
        self.client.post(reverse("duties:delete", args=[duty.pk]))
        self.assertIsNotNone(Duty.all_objects.get(pk=duty.pk).deleted_at)
        r = self.client.get(reverse("duties:completion", args=[completion.pk]))
        self.assertEqual(r.status_code, 404)

    def test_market_inspection_records_businesses(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A, **MARKET_INSPECTION)
        self.client.force_login(self.staff_a)
        url = reverse("duties:complete", args=[duty.pk])
        base = {
            "done_on": "2026-03-20",
            "note": "",
            "business-TOTAL_FORMS": "3",
            "business-INITIAL_FORMS": "0",
            "business-MIN_NUM_FORMS": "0",
            "business-MAX_NUM_FORMS": "50",
        }
        r = self.client.post(url, base)
        self.assertContains(r, "文化市场检查需要记录至少一个检查的经营单位。")
        r = self.client.post(
            url,
            {
                **base,
                "business-0-name": "星空网吧",
                "business-0-kind": "internet_cafe",
                "business-0-findings": "未成年人进入",
                "business-0-rectification_required": "on",
                "business-1-name": "新华书店",
                "business-1-kind": "bookshop",
            },
        )
        self.assertRedirects(r, duty.get_absolute_url())
        completion = DutyCompletion.objects.get(duty=duty)
        self.assertEqual(completion.businesses.count(), 2)
        cafe = InspectedBusiness.objects.get(name="星空网吧")
        self.client.post(
            reverse("duties:business_rectified", args=[cafe.pk]), {"rectified_on": "2026-03-28"}
        )
        cafe.refresh_from_db()
        self.assertEqual((cafe.rectified, cafe.rectified_on), (True, date(2026, 3, 28)))

    def test_keeper_records_with_a_photo_on_the_phone_form(self) -> None:
        duty = make_duty(self.keeper, Tree.VILLAGE_A)
        self.client.force_login(self.keeper)
        url = reverse("duties:complete", args=[duty.pk])
        page = self.client.get(url)
        self.assertContains(page, 'type="date"')
        self.assertContains(page, 'type="file"')
        r = self.client.post(url, {"done_on": "2026-04-02", "files": [photo()]})
        self.assertRedirects(r, duty.get_absolute_url())
        evidence = DutyCompletion.objects.get(duty=duty).evidence.get()
        r = self.client.get(reverse("duties:evidence", args=[evidence.pk]))
        self.assertEqual(r["Content-Type"], "image/jpeg")
        # The only photo of a photo duty cannot be deleted.
        self.client.post(reverse("duties:evidence_delete", args=[evidence.pk]))
        self.assertTrue(DutyCompletion.objects.get(duty=duty).evidence.exists())

    def test_future_dates_are_refused(self) -> None:
        duty = make_duty(self.keeper, Tree.VILLAGE_A)
        self.client.force_login(self.keeper)
        r = self.client.post(
            reverse("duties:complete", args=[duty.pk]),
            {"done_on": "2026-05-01", "files": [photo()]},
        )
        self.assertContains(r, "完成日期不能晚于今天。")


@frozen(TODAY)
class QueryCountTests(BaseTestCase):
    """List pages cost the same number of queries with 5 records or 50."""

    def fill(self, n: int) -> None:
        units = [Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_B, Tree.VILLAGE_B]
        for i in range(n):
            duty = make_duty(
                self.admin, units[i % len(units)], name=f"工作{Duty.all_objects.count()}"
            )
            complete(self.admin, duty, date(2026, 3, 2))

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(ctx.captured_queries)

    def test_list_pages_do_not_grow(self) -> None:
        self.client.force_login(self.admin)
        urls = [
            reverse("duties:list"),
            reverse("duties:completions"),
            reverse("duties:compliance"),
            reverse("home"),
        ]
        self.fill(5)
        small = {url: self.count(url) for url in urls}
        self.fill(45)
        large = {url: self.count(url) for url in urls}
        self.assertEqual(small, large)
