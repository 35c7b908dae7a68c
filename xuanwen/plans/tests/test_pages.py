from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import ActivityType
from xuanwen.indicators.tests.helpers import make_activity
from xuanwen.plans import services
from xuanwen.plans.models import PlanItem, PlanSection, WorkPlan
from xuanwen.testing import BaseTestCase, Tree

from .helpers import NEW_FROM_TEMPLATE, make_plan

HTMX = {"HTTP_HX_REQUEST": "true"}


class PlanPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = make_plan(cls.staff_a)
        cls.section = cls.plan.sections.get(title="日常工作")

    def setUp(self) -> None:
        self.client.force_login(self.staff_a)

    def test_another_units_plan_is_404_everywhere(self) -> None:
        item = PlanItem.objects.filter(section=self.section).first()
        assert item is not None
        self.client.force_login(self.staff_b)
        for url in (
            f"/plans/{self.plan.pk}/",
            f"/plans/{self.plan.pk}/progress/",
            f"/plans/{self.plan.pk}/edit/",
            f"/plans/sections/{self.section.pk}/edit/",
            f"/plans/items/{item.pk}/edit/",
            f"/plans/items/{item.pk}/done/",
        ):
            assert self.client.get(url).status_code == 404, url
        assert self.client.post(f"/plans/{self.plan.pk}/submit/").status_code == 404
        assert self.client.post(f"/plans/items/{item.pk}/delete/").status_code == 404
        assert "古城街道" not in self.client.get("/plans/").content.decode()

    def test_the_county_sees_the_township_plan(self) -> None:
        self.client.force_login(self.supervisor)
        assert "古城街道综合文化站2026年工作计划" in self.client.get("/plans/").content.decode()
        assert self.client.get(f"/plans/{self.plan.pk}/").status_code == 200

    def test_create_page_errors_stay_on_the_form(self) -> None:
        r = self.client.get("/plans/new/")
        assert r.status_code == 200 and "乡镇综合文化站年度工作计划" in r.content.decode()
        r = self.client.post("/plans/new/", NEW_FROM_TEMPLATE)
        assert r.status_code == 200 and "已有计划" in r.content.decode()
        r = self.client.post(
            "/plans/new/",
            {"unit": Tree.TOWNSHIP_A, "kind": "year", "year": 2026, "start": "previous"},
        )
        assert r.status_code == 200
        r = self.client.post(
            "/plans/new/",
            {"unit": Tree.OTHER_TOWNSHIP, "kind": "year", "year": 2027, "start": "blank"},
        )
        assert r.status_code == 404
        r = self.client.post(
            "/plans/new/",
            {"unit": Tree.VILLAGE_A, "kind": "quarter", "year": 2026, "index": 2, "start": "blank"},
        )
        plan = WorkPlan.objects.get(unit_id=Tree.VILLAGE_A)
        assert plan.title == "文化社区2026年第二季度工作计划"

    def test_items_are_added_edited_moved_and_deleted_with_htmx(self) -> None:
        url = f"/plans/sections/{self.section.pk}/items/add/"
        form = self.client.get(url, **HTMX).content.decode()
        assert "<form" in form and "<html" not in form
        r = self.client.post(url, {"text": "新增条目", "indicator": "", "owner": "王站长"}, **HTMX)
        assert 'id="plan-content"' in r.content.decode() and "新增条目" in r.content.decode()
        item = PlanItem.objects.get(text="新增条目")
        # A rejected form goes back where it was, not over the whole content.
        r = self.client.post(
            f"/plans/items/{item.pk}/edit/", {"text": "x", "target_min": 5, "target_max": 2}, **HTMX
        )
        assert r["HX-Retarget"] == f"#item-{item.pk}" and "上限不能小于下限" in r.content.decode()
        self.client.post(f"/plans/items/{item.pk}/move/", {"to": "up"}, **HTMX)
        item.refresh_from_db()
        assert item.order == len(PlanItem.objects.filter(section=self.section)) - 2
        r = self.client.post(f"/plans/items/{item.pk}/delete/", **HTMX)
        assert "新增条目" not in r.content.decode()
        assert not PlanItem.objects.filter(pk=item.pk).exists()

    def test_sections_without_javascript(self) -> None:
        r = self.client.post(
            f"/plans/{self.plan.pk}/sections/add/", {"title": "队伍建设", "item_style": "paren"}
        )
        self.assertRedirects(r, self.plan.get_absolute_url())
        section = PlanSection.objects.get(plan=self.plan, title="队伍建设")
        self.client.post(f"/plans/sections/{section.pk}/items/add/", {"text": "培养文艺骨干"})
        self.client.post(f"/plans/sections/{section.pk}/items/add/", {"text": "组建秧歌队"})
        page = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert (
            "五、队伍建设" in page
            and "（一）</span>培养文艺骨干" in page
            and "（二）</span>组建秧歌队" in page
        )
        self.client.post(f"/plans/sections/{section.pk}/move/", {"to": "up"})
        assert "四、队伍建设" in self.client.get(self.plan.get_absolute_url()).content.decode()
        self.client.post(f"/plans/sections/{section.pk}/delete/")
        assert not PlanSection.objects.filter(pk=section.pk).exists()

    def test_an_item_is_marked_done_with_evidence(self) -> None:
        item = PlanItem.objects.get(section__plan=self.plan, text__contains="每周不低于三个工作日")
        ours = make_activity(Tree.VILLAGE_A, "阅读推广", date(2026, 4, 23), title="读书日开放")
        theirs = make_activity(Tree.TOWNSHIP_B, "展览", date(2026, 4, 23), title="邻镇展览")
        page = self.client.get(f"/plans/items/{item.pk}/done/").content.decode()
        assert "读书日开放" in page and "邻镇展览" not in page
        r = self.client.post(
            f"/plans/items/{item.pk}/done/",
            {"done": "1", "done_on": "2026-04-30", "note": "每周开放五天", "evidence": [ours.pk]},
        )
        self.assertRedirects(r, f"/plans/{self.plan.pk}/progress/")
        item.refresh_from_db()
        assert item.done_on == date(2026, 4, 30) and list(item.evidence.all()) == [ours]
        r = self.client.post(
            f"/plans/items/{item.pk}/done/", {"done": "1", "evidence": [theirs.pk]}
        )
        assert r.status_code == 200  # not a choice: refused by the form
        progress = self.client.get(f"/plans/{self.plan.pk}/progress/").content.decode()
        assert "每周开放五天" in progress and ours.get_absolute_url() in progress

    def test_progress_statuses_by_elapsed_fraction(self) -> None:
        item = PlanItem.objects.get(section__plan=self.plan, text__contains="期文化活动培训")
        make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 2, 1))
        behind = self.client.get(
            f"/plans/{self.plan.pk}/progress/?as_of=2026-07-01"
        ).content.decode()
        assert "进行中（落后）" in behind and "应达 1.5" in behind
        early = self.client.get(
            f"/plans/{self.plan.pk}/progress/?as_of=2026-03-01"
        ).content.decode()
        assert "进行中（正常）" in early
        over = self.client.get(f"/plans/{self.plan.pk}/progress/?as_of=2027-01-05").content.decode()
        assert f'id="progress-{item.pk}"' in over and "未完成" in over
        assert (
            "日期格式"
            in self.client.get(f"/plans/{self.plan.pk}/progress/?as_of=x").content.decode()
        )


class QueryCountTests(BaseTestCase):
    """Plan pages cost the same number of queries however many items, targets and records."""

    def counts(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    def test_detail_and_progress_do_not_grow_with_items(self) -> None:
        self.client.force_login(self.staff_a)
        small = make_plan(self.staff_a, template="")
        s = services.section_create(user=self.staff_a, plan=small, title="一")
        t = ActivityType.objects.get(name="培训")
        services.item_create(
            user=self.staff_a,
            section=s,
            data=services.ItemData(text="a", indicator=f"activities.type.{t.pk}"),
        )
        # The template also measures opening, facilities, households and designations: a
        # source costs its queries once, however many items use it, so the small plan has one
        # item of each.
        measured = ("opening.compliance_rate", "facilities.kind.courtyard",
                    "households.new.major", "designations.new.model_village")  # fmt: skip
        for code in measured:
            services.item_create(
                user=self.staff_a, section=s, data=services.ItemData(text=code, indicator=code)
            )
        big = make_plan(self.staff_a, year=2027)  # the template: ~20 items over 4 sections
        for kind in ("培训", "讲座"):
            t = ActivityType.objects.get(name=kind)
            section = big.sections.first()
            assert section is not None
            for n in range(3):
                services.item_create(
                    user=self.staff_a,
                    section=section,
                    data=services.ItemData(text=f"{kind}{n}", indicator=f"activities.type.{t.pk}"),
                )
        evidence = make_activity(Tree.TOWNSHIP_A, "展览", date(2027, 3, 1))
        for item in PlanItem.objects.filter(section__plan=big, indicator="")[:5]:
            services.item_mark_done(
                user=self.staff_a, item=item, done_on=date(2027, 3, 2), activities=[evidence]
            )
        for page in ("", "progress/"):
            few = self.counts(f"/plans/{small.pk}/{page}")
            many = self.counts(f"/plans/{big.pk}/{page}")
            print(f"QUERIES /plans/<pk>/{page}: 1 item {few}, 28 items {many}")
            assert few == many, page

    def test_the_list_does_not_grow_with_plans(self) -> None:
        self.client.force_login(self.supervisor)
        make_plan(self.staff_a, template="")
        one = self.counts("/plans/")
        make_plan(self.staff_b, Tree.TOWNSHIP_B, template="")
        make_plan(self.keeper, Tree.VILLAGE_A, template="")
        make_plan(self.staff_a, kind="half", index=1, template="")
        print(f"QUERIES /plans/: {one}")
        assert self.counts("/plans/") == one
