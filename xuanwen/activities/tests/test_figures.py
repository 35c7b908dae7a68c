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
        book = read_xlsx(self.client.get(reverse("activities:data_export")))
        column = HEADERS.index("节目数")
        values = {r[3]: r[column] for r in book["活动"].iter_rows(min_row=2, values_only=True)}
        assert values["送戏"] == 11


class VillagesTests(IndicatorTestCase):
    def villages(self, *codes: str) -> list[Unit]:
        return list(Unit.objects.filter(code__in=codes))

    def test_the_service_keeps_villages_inside_the_unit(self) -> None:
        with self.assertRaisesMessage(Exception, "不在举办单位"):
            services.activity_create(
                user=self.staff_a, data=data(villages=self.villages(Tree.VILLAGE_B))
            )
        with self.assertRaisesMessage(Exception, "不是村（社区）级单位"):
            services.activity_create(
                user=self.staff_a, data=data(villages=self.villages(Tree.TOWNSHIP_A))
            )
        a = services.activity_create(
            user=self.staff_a, data=data(villages=self.villages(Tree.VILLAGE_A, Tree.VILLAGE_A2))
        )
        assert {v.code for v in a.villages.all()} == {Tree.VILLAGE_A, Tree.VILLAGE_A2}
        # An edit that does not name them leaves them; one that does replaces them.
        services.activity_update(user=self.staff_a, activity=a, data=data(title="改名"))
        assert a.villages.count() == 2
        services.activity_update(
            user=self.staff_a, activity=a, data=data(villages=self.villages(Tree.VILLAGE_A2))
        )
        assert [v.code for v in a.villages.all()] == [Tree.VILLAGE_A2]
        # Moved to another village with its villages kept: refused, they lie outside it.
        with self.assertRaisesMessage(Exception, "不在举办单位"):
            services.activity_update(user=self.staff_a, activity=a, data=data(Tree.VILLAGE_A))

    def test_a_campaign_of_20_sessions_in_10_villages_reached_10(self) -> None:
        township = Unit.objects.get(code=Tree.TOWNSHIP_A)
        extra = [
            Unit.objects.create(code=f"{Tree.TOWNSHIP_A}{n:03d}", name=f"第{n}村", parent=township)
            for n in range(3, 11)
        ]
        villages = [*self.villages(Tree.VILLAGE_A, Tree.VILLAGE_A2), *extra]
        assert len(villages) == 10
        for i in range(20):
            day = date(2026, 3, 1 + i)
            services.activity_create(
                user=self.staff_a,
                data=data(title=f"送戏下乡第{i + 1}场", start_date=day, end_date=day,
                          villages=[villages[i % 10]]),
            )  # fmt: skip
        services.activity_create(
            user=self.staff_b,
            data=data(Tree.TOWNSHIP_B, villages=self.villages(Tree.VILLAGE_B)),
        )
        gone = services.activity_create(
            user=self.staff_a,
            data=data(title="删掉的", start_date=date(2026, 4, 1), end_date=date(2026, 4, 1),
                      villages=villages[:1]),
        )  # fmt: skip
        services.activity_delete(user=self.staff_a, activity=gone)
        assert self.value("activities.villages", "2026-03", Tree.TOWNSHIP_A) == 10
        assert self.value("activities.villages", "2026-03") == 11
        assert self.value("activities.villages", "2026-04") == 0
        assert self.value("activities.villages", "2026-03-01..2026-03-05", Tree.TOWNSHIP_A) == 5
        assert self.by_child("activities.villages", "2026") == {
            Tree.TOWNSHIP_A: 10,
            Tree.TOWNSHIP_B: 1,
        }
        self.client.force_login(self.supervisor)
        r = self.records_page("activities.villages", "2026")
        assert r.status_code == 200

    def test_form_detail_and_api(self) -> None:
        self.client.force_login(self.staff_a)
        show = ActivityType.objects.get(name="文艺演出")
        form = {"unit": Tree.TOWNSHIP_A, "type": show.pk, "title": "送戏",
                "start_date": "2026-03-01", "participants": 0, "audience": 0}  # fmt: skip
        r = self.client.post(reverse("activities:create"), {**form, "villages": [Tree.VILLAGE_B]})
        assert r.status_code == 200 and "villages" in r.context["form"].errors  # not offered
        r = self.client.post(
            reverse("activities:create"), {**form, "villages": [Tree.VILLAGE_A, Tree.VILLAGE_A2]}
        )
        a = Activity.objects.get(title="送戏")
        assert a.villages.count() == 2
        page = self.client.get(reverse("activities:detail", args=[a.pk])).content.decode()
        assert "覆盖村（社区）" in page and "2 个" in page
        edit = self.client.get(reverse("activities:edit", args=[a.pk]))
        assert set(edit.context["form"].initial["villages"]) == {Tree.VILLAGE_A, Tree.VILLAGE_A2}
        url = f"/api/v1/activities/{a.pk}/"
        r = self.client.get(url, **self.bearer(self.staff_a))
        assert [v["code"] for v in r.json()["villages"]] == [Tree.VILLAGE_A, Tree.VILLAGE_A2]
        r = self.api("PATCH", url, self.staff_a, {"title": "送戏2"})
        assert len(r.json()["villages"]) == 2, r.content
        r = self.api("PATCH", url, self.staff_a, {"villages": [Tree.VILLAGE_A]})
        assert [v["code"] for v in r.json()["villages"]] == [Tree.VILLAGE_A]
        r = self.api("PATCH", url, self.staff_a, {"villages": [Tree.VILLAGE_B]})
        assert r.status_code == 400, r.content
        assert r.json()["errors"][0]["field"] == "villages"
        assert Tree.VILLAGE_B in r.json()["errors"][0]["message"]
        r = self.api("PATCH", url, self.staff_a, {"villages": ["1" * 13]})
        assert r.status_code == 422


class CoverageViewsTests(IndicatorTestCase):
    def test_views_are_summed_by_the_reports_dates(self) -> None:
        a = services.activity_create(user=self.staff_a, data=data())
        b = services.activity_create(user=self.staff_b, data=data(Tree.TOWNSHIP_B))
        for activity, day, views in (
            (a, date(2026, 3, 2), 1600),
            (a, date(2026, 4, 1), 400),
            (a, date(2026, 4, 2), None),  # not known: counts as nothing
            (b, date(2026, 3, 5), 50),
        ):
            services.coverage_add(user=self.admin, activity=activity, outlet="临海新闻",
                                  level="county", date=day, views=views)  # fmt: skip
        gone = services.activity_create(user=self.staff_a, data=data(title="删掉的"))
        services.coverage_add(user=self.admin, activity=gone, outlet="台州日报", level="city",
                              date=date(2026, 3, 3), views=9999)  # fmt: skip
        services.activity_delete(user=self.staff_a, activity=gone)
        got = self.by_period("activities.coverage_views", ("2026", "2026-03", "2026-04"))
        assert got == {"2026": 2050, "2026-03": 1650, "2026-04": 400}
        assert self.value("activities.coverage_views", "2026", Tree.TOWNSHIP_A) == 2000
        assert self.by_child("activities.coverage_views", "2026") == {
            Tree.TOWNSHIP_A: 2000,
            Tree.TOWNSHIP_B: 50,
        }
        self.client.force_login(self.supervisor)
        r = self.records_page("activities.coverage_views", "2026-03")
        assert r.status_code == 200 and "阅读/点击 1600" in r.content.decode()


class VillagesAsCodesTests(IndicatorTestCase):
    def test_a_county_user_types_the_codes(self) -> None:
        self.client.force_login(self.admin)
        show = ActivityType.objects.get(name="文艺演出")
        page = self.client.get(reverse("activities:create")).content.decode()
        assert "12 位区划代码" in page  # a box, not a list of every village
        form = {"unit": Tree.TOWNSHIP_A, "type": show.pk, "title": "送戏",
                "start_date": "2026-03-01", "participants": 0, "audience": 0,
                "villages": f"{Tree.VILLAGE_A}，{Tree.VILLAGE_A2}\n"}  # fmt: skip
        r = self.client.post(reverse("activities:create"), form)
        assert r.status_code == 302, r.context["form"].errors
        a = Activity.objects.get(title="送戏")
        assert {v.code for v in a.villages.all()} == {Tree.VILLAGE_A, Tree.VILLAGE_A2}
        edit = self.client.get(reverse("activities:edit", args=[a.pk])).content.decode()
        assert f"{Tree.VILLAGE_A} {Tree.VILLAGE_A2}" in edit
        r = self.client.post(reverse("activities:create"),
                             {**form, "title": "送戏2", "villages": "12345"})  # fmt: skip
        assert r.status_code == 200 and "villages" in r.context["form"].errors
