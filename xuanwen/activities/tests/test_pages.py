import html
import re
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

from django.urls import reverse

from xuanwen.activities.models import Activity, ActivityType, Award, MediaCoverage
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_activity

LIST = reverse("activities:list")
NEW = reverse("activities:create")


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": Tree.TOWNSHIP_A,
        "type": ActivityType.objects.get(name="讲座").pk,
        "title": "非遗进校园讲座",
        "start_date": "2026-03-05",
        "end_date": "",
        "place": "古城小学",
        "organisers": "古城街道文化站",
        "co_organisers": "",
        "participants": "40",
        "audience": "120",
        "cost": "800.50",
        "funding": "fiscal",
        "description": "讲解剪纸技艺。",
    }
    data.update(overrides)
    return data


class CreateEditDeleteTests(BaseTestCase):
    def test_staff_creates_in_own_township(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(NEW)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'type="date"')
        self.assertContains(page, 'inputmode="numeric"')
        response = self.client.post(NEW, form_data())
        activity = Activity.objects.get(title="非遗进校园讲座")
        self.assertRedirects(response, activity.get_absolute_url())
        self.assertEqual(activity.unit_id, Tree.TOWNSHIP_A)
        # A one-day activity needs no end date.
        self.assertEqual(activity.end_date, date(2026, 3, 5))
        self.assertEqual(activity.created_by, self.staff_a)
        self.assertAudited(Action.CREATE, activity)

    def test_staff_creates_for_a_village_below(self) -> None:
        self.client.force_login(self.staff_a)
        self.client.post(NEW, form_data(unit=Tree.VILLAGE_A2))
        self.assertEqual(Activity.objects.get().unit_id, Tree.VILLAGE_A2)

    def test_unit_choices_are_the_users_subtree_only(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(NEW).content.decode()
        for code in (Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2):
            self.assertIn(f'value="{code}"', page)
        for code in (Tree.TOWNSHIP_B, Tree.VILLAGE_B, Tree.OTHER_TOWNSHIP):
            self.assertNotIn(f'value="{code}"', page)
        response = self.client.post(NEW, form_data(unit=Tree.TOWNSHIP_B))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["unit"])
        self.assertFalse(Activity.objects.exists())

    def test_keeper_may_only_choose_their_village(self) -> None:
        self.client.force_login(self.keeper)
        self.client.post(NEW, form_data(unit=Tree.TOWNSHIP_A))
        self.assertFalse(Activity.objects.exists())
        self.client.post(NEW, form_data(unit=Tree.VILLAGE_A))
        self.assertEqual(Activity.objects.get().unit_id, Tree.VILLAGE_A)

    def test_service_rule_errors_show_on_their_fields(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.post(NEW, form_data(end_date="2026-03-01"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("结束日期不能早于开始日期。", response.context["form"].errors["end_date"])
        self.client.post(NEW, form_data())
        response = self.client.post(NEW, form_data())
        self.assertIn(
            "同一单位同一天已有同类型、同名称的活动。", response.context["form"].errors["title"]
        )
        self.assertEqual(Activity.objects.count(), 1)

    def test_negative_numbers_refused(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.post(NEW, form_data(audience="-3"))
        self.assertTrue(response.context["form"].errors["audience"])
        self.assertFalse(Activity.objects.exists())

    def test_staff_edits_own_activity(self) -> None:
        activity = make_activity(Tree.TOWNSHIP_A, title="春节联欢")
        self.client.force_login(self.staff_a)
        url = reverse("activities:edit", args=[activity.pk])
        page = self.client.get(url)
        self.assertContains(page, "春节联欢")
        response = self.client.post(url, form_data(title="春节联欢晚会", unit=Tree.VILLAGE_A))
        self.assertRedirects(response, activity.get_absolute_url())
        activity.refresh_from_db()
        self.assertEqual((activity.title, activity.unit_id), ("春节联欢晚会", Tree.VILLAGE_A))
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.UPDATE, object_pk=str(activity.pk)).exists()
        )

    def test_staff_deletes_own_activity_softly(self) -> None:
        activity = make_activity(Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_a)
        url = reverse("activities:delete", args=[activity.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(self.client.post(url), LIST)
        self.assertFalse(Activity.objects.filter(pk=activity.pk).exists())
        self.assertIsNotNone(Activity.all_objects.get(pk=activity.pk).deleted_at)
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.DELETE, object_pk=str(activity.pk)).exists()
        )
        detail = reverse("activities:detail", args=[activity.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)


class ScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.in_a = make_activity(Tree.VILLAGE_A, title="文化社区广场舞")
        cls.in_b = make_activity(Tree.TOWNSHIP_B, title="大洋街道读书会")
        cls.other = make_activity(Tree.OTHER_TOWNSHIP, title="太平街道演出")

    def test_another_units_activity_is_404_everywhere(self) -> None:
        self.client.force_login(self.staff_b)
        coverage = MediaCoverage.objects.create(
            activity=self.in_a, outlet="临海新闻", level="county", date=date(2026, 2, 11)
        )
        award = Award.objects.create(
            activity=self.in_a, name="优秀节目", level="county", winner_kind="team", winner="舞队"
        )
        pages = ("attachment_upload", "coverage_add", "award_add")
        self.assertHiddenRecord(self.in_a, pages, coverage_delete=coverage, award_delete=award)

    def test_viewer_sees_the_list_but_cannot_write(self) -> None:
        self.client.force_login(self.viewer)
        page = self.client.get(LIST)
        self.assertContains(page, "文化社区广场舞")
        self.assertContains(page, "大洋街道读书会")
        self.assertNotContains(page, NEW)
        self.assertEqual(self.client.get(NEW).status_code, 403)
        self.assertEqual(self.client.post(NEW, form_data()).status_code, 403)
        pk = self.in_a.pk
        self.assertEqual(self.client.get(reverse("activities:detail", args=[pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("activities:edit", args=[pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("activities:delete", args=[pk])).status_code, 403)
        response = self.client.post(
            reverse("activities:coverage_add", args=[pk]),
            {"coverage-outlet": "x", "coverage-level": "county", "coverage-date": "2026-02-11"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(MediaCoverage.objects.exists())

    def test_list_shows_only_the_users_subtree(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(LIST)
        self.assertContains(page, "文化社区广场舞")
        self.assertNotContains(page, "大洋街道读书会")
        self.assertNotContains(page, "太平街道演出")
        # Asking for another unit's subtree does not widen the scope.
        page = self.client.get(LIST, {"unit": Tree.TOWNSHIP_B})
        self.assertNotContains(page, "大洋街道读书会")
        self.client.force_login(self.outsider)
        page = self.client.get(LIST)
        self.assertContains(page, "太平街道演出")
        self.assertNotContains(page, "文化社区广场舞")

    def test_list_filters(self) -> None:
        self.client.force_login(self.supervisor)
        lecture = ActivityType.objects.get(name="讲座")
        make_activity(Tree.TOWNSHIP_A, title="道德讲堂", type=lecture, start_date=date(2026, 5, 1))

        def titles(**params: object) -> set[str]:
            return set(listed_titles(self.client.get(LIST, params)))

        self.assertEqual(titles(unit=Tree.TOWNSHIP_B), {"大洋街道读书会"})
        self.assertEqual(titles(unit=Tree.TOWNSHIP_A), {"文化社区广场舞", "道德讲堂"})
        self.assertEqual(titles(type=lecture.pk), {"道德讲堂"})
        self.assertEqual(titles(start="2026-04-01", end="2026-05-31"), {"道德讲堂"})
        self.assertEqual(titles(q="广场舞"), {"文化社区广场舞"})
        self.assertEqual(titles(q="dsh"), {"大洋街道读书会"})  # pinyin initials of 读书会
        self.assertEqual(titles(q="文化广场"), {"文化社区广场舞", "大洋街道读书会", "道德讲堂"})
        # Malformed parameters are ignored rather than failing the page.
        self.assertEqual(len(titles(type="x", start="nope", unit="331")), 3)
        # A unit by its name alone; a name of no unit in scope shows nothing and says why,
        # rather than the whole county as if the box were empty.
        self.assertEqual(titles(unit="大洋街道"), {"大洋街道读书会"})
        self.assertEqual(titles(unit="太平街道"), set())  # the other county's
        page = self.client.get(LIST, {"unit": "古城"}).content.decode()
        self.assertIn("没有名为“古城”的单位", page)

    def test_htmx_filter_returns_the_results_only(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(LIST, {"q": "读书"}, headers={"HX-Request": "true"})
        self.assertTemplateUsed(response, "activities/_results.html")
        self.assertTemplateNotUsed(response, "activities/list.html")
        self.assertContains(response, "大洋街道读书会")

    def test_nav_links_to_activities(self) -> None:
        self.client.force_login(self.viewer)
        self.assertContains(self.client.get(reverse("home")), f'href="{LIST}"')


def listed_titles(response: Any) -> list[str]:
    """The titles of the rows a list page shows, from its HTML (the rows may come from the
    cache, rendered by an earlier request)."""
    return [
        html.unescape(t)
        for t in re.findall(r'<a class="title" href="[^"]*">([^<]*)</a>', response.content.decode())
    ]


class QueryCountTests(BaseTestCase):
    def fill(self, n: int) -> None:
        units = [Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_B, Tree.VILLAGE_B]
        for i in range(n):
            make_activity(units[i % len(units)], start_date=date(2026, 2, 1 + i % 28))

    def test_list_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.supervisor)
        self.fill(5)
        many = self.assertQueriesDoNotGrow(LIST, lambda: self.fill(55))
        self.assertLessEqual(many, 8)
        response = self.client.get(LIST)
        first = listed_titles(response)
        self.assertEqual(len(first), 50)
        # Pages are marked by the row they follow, not numbered (see selectors.ActivityPage).
        older = re.search(r'href="\?at=([^"]+)" rel="next"', response.content.decode())
        assert older is not None
        self.assertEqual(self.count_queries(LIST, {"at": older[1]}), many)
        second = self.client.get(LIST, {"at": older[1]})
        self.assertEqual(len(listed_titles(second)), 10)
        assert not set(first) & set(listed_titles(second))
        assert 'rel="next"' not in second.content.decode()
        newer = re.search(r'href="\?at=([^"]+)" rel="prev"', second.content.decode())
        assert newer is not None
        self.assertEqual(listed_titles(self.client.get(LIST, {"at": newer[1]})), first)
        # The oldest page: the 50 oldest, newest first, whatever the count.
        last = listed_titles(self.client.get(LIST, {"at": "last"}))
        self.assertEqual(len(last), 50)
        self.assertEqual(last[-10:], listed_titles(second))

    def test_calendar_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.supervisor)
        url = reverse("activities:calendar")
        self.fill(5)
        many = self.assertQueriesDoNotGrow(url, lambda: self.fill(55), {"month": "2026-02"})
        self.assertLessEqual(many, 6)

    def test_detail_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.staff_a)
        activity = make_activity(Tree.TOWNSHIP_A)

        def more() -> None:
            for i in range(10):
                MediaCoverage.objects.create(
                    activity=activity, outlet=f"媒体{i}", level="county", date=date(2026, 2, 11)
                )
                Award.objects.create(
                    activity=activity,
                    name=f"奖{i}",
                    level="county",
                    winner_kind="team",
                    winner="队",
                )

        self.assertQueriesDoNotGrow(activity.get_absolute_url(), more)


class CoverageAndAwardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.activity = make_activity(Tree.TOWNSHIP_A, title="送戏下乡")

    def test_add_and_delete_coverage_with_htmx(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("activities:coverage_add", args=[self.activity.pk])
        response = self.client.post(
            url,
            {
                "coverage-outlet": "临海发布公众号",
                "coverage-level": "county",
                "coverage-date": "2026-02-12",
                "coverage-title": "送戏下乡走进古城",
                "coverage-link": "mp.weixin.qq.com/s/abc",
                "coverage-views": "1600",
            },
            headers={"HX-Request": "true"},
        )
        self.assertTemplateUsed(response, "activities/_coverage.html")
        self.assertContains(response, "临海发布公众号")
        coverage = MediaCoverage.objects.get()
        self.assertEqual((coverage.views, coverage.activity_id), (1600, self.activity.pk))
        self.assertTrue(coverage.link.startswith("https"))
        self.assertAudited(
            Action.CREATE, model="activities.mediacoverage", unit_code=Tree.TOWNSHIP_A
        )
        response = self.client.post(
            reverse("activities:coverage_delete", args=[coverage.pk]),
            headers={"HX-Request": "true"},
        )
        self.assertNotContains(response, "临海发布公众号")
        self.assertFalse(MediaCoverage.objects.exists())
        self.assertAudited(Action.DELETE, model="activities.mediacoverage")

    def test_invalid_coverage_shows_errors(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("activities:coverage_add", args=[self.activity.pk])
        response = self.client.post(
            url, {"coverage-outlet": "", "coverage-level": "county"}, headers={"HX-Request": "true"}
        )
        self.assertTrue(response.context["coverage_form"].errors)
        self.assertFalse(MediaCoverage.objects.exists())
        # Without JavaScript: back to the page with the errors as messages.
        response = self.client.post(url, {"coverage-outlet": ""}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(list(response.context["messages"]))

    def test_add_and_delete_award_without_javascript(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("activities:award_add", args=[self.activity.pk])
        response = self.client.post(
            url,
            {
                "award-name": "群众文艺汇演",
                "award-level": "city",
                "award-rank": "一等奖",
                "award-winner_kind": "team",
                "award-winner": "古城秧歌队",
            },
        )
        self.assertRedirects(response, self.activity.get_absolute_url() + "#awards")
        award = Award.objects.get()
        self.assertEqual(award.winner, "古城秧歌队")
        page = self.client.get(self.activity.get_absolute_url())
        self.assertContains(page, "古城秧歌队")
        self.assertContains(page, "一等奖")
        self.client.post(reverse("activities:award_delete", args=[award.pk]))
        self.assertFalse(Award.objects.exists())
        self.assertEqual(AuditEntry.objects.filter(model="activities.award").count(), 2)


class UnitPickerTests(BaseTestCase):
    """Above UNIT_SELECT_MAX units the form searches instead of listing every unit."""

    def test_picker_for_large_subtrees(self) -> None:
        self.client.force_login(self.admin)
        with mock.patch("xuanwen.units.pickers.UNIT_SELECT_MAX", 2):
            page = self.client.get(NEW)
            self.assertContains(page, 'name="unit_q"')
            self.assertContains(page, f'value="{self.admin.unit_id}" checked')
            results = self.client.get(
                reverse("activities:unit_choices"), {"unit_q": "fd"}, headers={"HX-Request": "true"}
            )
            self.assertContains(results, f'value="{Tree.VILLAGE_B}"')  # 府东社区
            self.assertNotContains(
                self.client.get(reverse("activities:unit_choices"), {"unit_q": "tp"}),
                Tree.OTHER_TOWNSHIP,
            )
            self.client.post(NEW, form_data(unit=Tree.VILLAGE_B))
            self.assertEqual(Activity.objects.get().unit_id, Tree.VILLAGE_B)
            response = self.client.post(NEW, form_data(unit=Tree.OTHER_TOWNSHIP, title="越权"))
            self.assertTrue(response.context["form"].errors["unit"])


def test_no_external_urls_in_templates_or_static() -> None:
    app = Path(__file__).resolve().parent.parent
    for path in [*app.glob("templates/**/*.html"), *app.glob("static/**/*.*")]:
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path
