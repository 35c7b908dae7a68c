"""What reports state about activities (#12 build 4): the programmes of a performance (节目数),
the villages an activity reached (覆盖村数) and the views of its media coverage."""

from datetime import date
from typing import Any

from django.urls import reverse

from xuanwen.activities import services
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.indicators.tests.checks import IndicatorTestCase
from xuanwen.testing import Tree, read_xlsx
from xuanwen.units.models import Unit

from .test_excel import HEADERS, ExcelTestCase, row, xlsx


def data(unit: str = Tree.TOWNSHIP_A, **fields: Any) -> services.ActivityData:
    values: dict[str, Any] = {
        "unit": Unit.objects.get(code=unit),
        "type": ActivityType.objects.get(name="文艺演出"),
        "title": "送戏下乡",
        "start_date": date(2026, 3, 1),
        "end_date": date(2026, 3, 1),
    }
    values.update(fields)
    return services.ActivityData(**values)


class ProgrammesTests(IndicatorTestCase):
    def test_the_service_bounds_programmes(self) -> None:
        for n, message in ((-1, "节目数不能为负数。"), (1000, "节目数不能超过 999 个。")):
            with self.assertRaisesMessage(Exception, message):
                services.activity_create(user=self.staff_a, data=data(programmes=n))
        a = services.activity_create(user=self.staff_a, data=data(programmes=12))
        assert Activity.objects.get(pk=a.pk).programmes == 12

    def test_the_indicator_sums_programmes_by_the_event_rule(self) -> None:
        services.activity_create(user=self.staff_a, data=data(programmes=12))
        services.activity_create(
            user=self.staff_a,
            data=data(Tree.VILLAGE_A, title="春节晚会", programmes=8,
                      start_date=date(2026, 1, 30), end_date=date(2026, 2, 2)),
        )  # fmt: skip
        services.activity_create(
            user=self.staff_b, data=data(Tree.TOWNSHIP_B, title="去年", programmes=5,
                                         start_date=date(2025, 12, 30), end_date=date(2025, 12, 31))
        )  # fmt: skip
        got = self.by_period("activities.programmes", ("2026", "2026-01", "2026-02", "2026-03"))
        assert got == {"2026": 20, "2026-01": 8, "2026-02": 8, "2026-03": 12}
        assert self.value("activities.programmes", "2025") == 5
        # Not a whole-month period: counted from the activities themselves, the same rule.
        assert self.value("activities.programmes", "2026-02-01..2026-02-15") == 8
        assert self.by_child("activities.programmes", "2026")[Tree.TOWNSHIP_A] == 20

    def test_form_detail_and_api(self) -> None:
        self.client.force_login(self.staff_a)
        show = ActivityType.objects.get(name="文艺演出")
        form = {"unit": Tree.TOWNSHIP_A, "type": show.pk, "title": "广场演出",
                "start_date": "2026-03-01", "participants": 0, "audience": 0}  # fmt: skip
        r = self.client.post(reverse("activities:create"), {**form, "programmes": 1000})
        assert r.status_code == 200 and "programmes" in r.context["form"].errors
        r = self.client.post(reverse("activities:create"), {**form, "programmes": 9})
        a = Activity.objects.get(title="广场演出")
        assert a.programmes == 9
        page = self.client.get(reverse("activities:detail", args=[a.pk])).content.decode()
        assert "节目数" in page
        edit = self.client.get(reverse("activities:edit", args=[a.pk]))
        assert edit.context["form"].initial["programmes"] == 9
        r = self.client.get(f"/api/v1/activities/{a.pk}/", **self.bearer(self.staff_a))
        assert r.json()["programmes"] == 9
        r = self.api("PATCH", f"/api/v1/activities/{a.pk}/", self.staff_a, {"programmes": 4})
        assert r.status_code == 200, r.content
        assert r.json()["programmes"] == 4
        r = self.api("PATCH", f"/api/v1/activities/{a.pk}/", self.staff_a, {"programmes": 5000})
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "programmes"


class ProgrammesExcelTests(ExcelTestCase):
    def test_the_template_import_and_export_carry_programmes(self) -> None:
        assert "节目数" in HEADERS
        self.client.force_login(self.staff_a)
        book = read_xlsx(self.client.get(reverse("activities:import_template")))
        assert "节目数" in [c.value for c in book["活动"][1]]
        r = self.upload(xlsx([row(title="送戏", programmes=11)]))
        assert r.context["total"] == 1, self.problems(r)
        self.confirm(r.context["token"])
        assert Activity.objects.get(title="送戏").programmes == 11
        r = self.upload(xlsx([row(title="错", programmes=-2)]))
        assert any("节目数不能为负数" in p for p in self.problems(r))
        book = read_xlsx(self.client.get(reverse("activities:export")))
        column = HEADERS.index("节目数")
        values = {r[3]: r[column] for r in book["活动"].iter_rows(min_row=2, values_only=True)}
        assert values["送戏"] == 11
