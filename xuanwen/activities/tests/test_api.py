from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import Activity, ActivityType, Award, MediaCoverage
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_activity

URL = "/api/v1/activities/"


class ApiTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.show = ActivityType.objects.get(name="文艺演出")
        cls.talk = ActivityType.objects.get(name="宣讲")
        cls.a = make_activity(
            Tree.TOWNSHIP_A, title="古城街道元宵晚会", start_date=date(2025, 2, 12)
        )
        cls.a_village = make_activity(Tree.VILLAGE_A, title="文化社区宣讲", type=cls.talk)
        cls.b = make_activity(Tree.TOWNSHIP_B, title="大洋街道送戏下乡")
        cls.elsewhere = make_activity(Tree.OTHER_COUNTY, title="温岭市活动")

    def get(self, user: Any, path: str = "", **params: Any) -> Any:
        return self.client.get(URL + path, params, **self.bearer(user))

    def send(self, method: str, user: Any, path: str = "", body: Any = None) -> Any:
        return self.api(method, URL + path, user, body)

    def payload(self, **values: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "unit": Tree.VILLAGE_A,
            "type": self.show.pk,
            "title": "广场舞展演",
            "start_date": "2025-06-01",
            "place": "文化广场",
            "participants": 40,
            "audience": 300,
            "cost": "800.00",
            "funding": "fiscal",
        }
        body.update(values)
        return body


class ListTests(ApiTestCase):
    def titles(self, r: Any) -> set[str]:
        assert r.status_code == 200, r.content
        return {item["title"] for item in r.json()["items"]}

    def test_it_lists_only_the_subtree(self) -> None:
        assert self.titles(self.get(self.staff_a)) == {"古城街道元宵晚会", "文化社区宣讲"}
        assert self.titles(self.get(self.staff_b)) == {"大洋街道送戏下乡"}
        assert self.titles(self.get(self.keeper)) == {"文化社区宣讲"}
        assert self.titles(self.get(self.supervisor)) == {
            "古城街道元宵晚会",
            "文化社区宣讲",
            "大洋街道送戏下乡",
        }
        assert self.titles(self.get(self.outsider)) == {"温岭市活动"}

    def test_it_filters_like_the_list_page(self) -> None:
        sup = self.supervisor
        assert self.titles(self.get(sup, unit=Tree.TOWNSHIP_B)) == {"大洋街道送戏下乡"}
        assert self.titles(self.get(sup, type=self.talk.pk)) == {"文化社区宣讲"}
        assert self.titles(self.get(sup, start="2025-01-01", end="2025-03-01")) == {
            "古城街道元宵晚会"
        }
        assert self.titles(self.get(sup, q="yxwh")) == {"古城街道元宵晚会"}
        assert self.titles(self.get(sup, q="送戏")) == {"大洋街道送戏下乡"}

    def test_a_unit_outside_the_scope_is_a_404(self) -> None:
        for code in (Tree.TOWNSHIP_B, Tree.OTHER_COUNTY, "999999"):
            r = self.get(self.staff_a, unit=code)
            assert r.status_code == 404
            assert "无权查看" in r.json()["detail"]

    def test_it_pages_and_names(self) -> None:
        r = self.get(self.supervisor, page_size=2)
        body = r.json()
        assert body["count"] == 3
        assert len(body["items"]) == 2
        first = body["items"][0]
        assert first["unit"] and first["unit_name"] and first["type_name"]
        assert "coverage" not in first

    def test_the_list_takes_the_same_queries_for_more_rows(self) -> None:
        with CaptureQueriesContext(connection) as few:
            self.get(self.supervisor)
        for i in range(20):
            make_activity(Tree.VILLAGE_A2, title=f"活动{i}")
        with CaptureQueriesContext(connection) as more:
            r = self.get(self.supervisor)
        assert r.json()["count"] == 23
        assert len(few) == len(more)

    def test_a_bad_filter_is_named_in_chinese(self) -> None:
        r = self.get(self.staff_a, start="2025-13-01")
        assert r.status_code == 422
        assert r.json()["errors"][0]["message"] == "应为日期，格式为 YYYY-MM-DD。"

    def test_it_requires_a_token(self) -> None:
        assert self.client.get(URL).status_code == 401


class DetailTests(ApiTestCase):
    def test_another_townships_activity_is_a_404(self) -> None:
        for user in (self.staff_b, self.outsider, self.keeper):
            r = self.get(user, f"{self.a.pk}/")
            assert r.status_code == 404, user
            assert r.json()["detail"] == "未找到该活动，或您无权查看。"
        assert self.get(self.staff_a, f"{self.a.pk}/").status_code == 200
        assert self.get(self.supervisor, f"{self.a.pk}/").status_code == 200

    def test_it_shows_coverage_and_awards(self) -> None:
        MediaCoverage.objects.create(
            activity=self.a, outlet="临海新闻", level="county", date=date(2025, 2, 13), views=1600
        )
        Award.objects.create(
            activity=self.a,
            name="优秀节目",
            level="county",
            rank="一等奖",
            winner_kind="team",
            winner="古城艺术团",
        )
        body = self.get(self.staff_a, f"{self.a.pk}/").json()
        assert body["title"] == "古城街道元宵晚会"
        assert body["unit"] == Tree.TOWNSHIP_A and body["unit_name"] == "古城街道"
        assert [c["outlet"] for c in body["coverage"]] == ["临海新闻"]
        assert body["coverage"][0]["views"] == 1600
        assert [(a["name"], a["rank"]) for a in body["awards"]] == [("优秀节目", "一等奖")]

    def test_a_deleted_activity_is_a_404(self) -> None:
        self.a.deleted_at = self.a.created_at
        self.a.save()
        assert self.get(self.staff_a, f"{self.a.pk}/").status_code == 404


class CreateTests(ApiTestCase):
    def test_it_creates_through_the_service(self) -> None:
        r = self.send("post", self.staff_a, body=self.payload())
        assert r.status_code == 201, r.content
        body = r.json()
        activity = Activity.objects.get(pk=body["id"])
        assert activity.title == "广场舞展演"
        assert activity.end_date == date(2025, 6, 1)  # one day when no end is given
        assert activity.created_by == self.staff_a
        assert body["cost"] == "800.00"
        assert body["funding_name"] == "财政"
        assert body["coverage"] == [] and body["awards"] == []
        assert activity.search_pinyin.startswith("guangchangwuzhanyan")
        entry = AuditEntry.objects.get(action=Action.CREATE, object_pk=str(activity.pk))
        assert entry.actor == self.staff_a

    def test_a_unit_outside_the_scope_is_a_404(self) -> None:
        for code in (Tree.VILLAGE_B, Tree.OTHER_COUNTY):
            r = self.send("post", self.staff_a, body=self.payload(unit=code))
            assert r.status_code == 404
        assert not Activity.objects.filter(title="广场舞展演").exists()

    def test_a_read_only_role_gets_403(self) -> None:
        for user, code in ((self.viewer, Tree.VILLAGE_A), (self.supervisor, Tree.COUNTY)):
            r = self.send("post", user, body=self.payload(unit=code, type=999))
            assert r.status_code == 403, user
            assert r.json()["detail"]
        assert not Activity.objects.filter(title="广场舞展演").exists()

    def test_rule_errors_are_400_per_field_in_chinese(self) -> None:
        cases = [
            ({"end_date": "2025-05-31"}, "end_date", "结束日期不能早于开始日期。"),
            ({"audience": -1}, "audience", "观众人数不能为负数。"),
            ({"title": "  "}, "title", "活动名称不能为空。"),
            ({"title": "长" * 201}, "title", "活动名称不能超过 200 个字。"),
            ({"type": 999}, "type", "没有这个活动类型，或该类型已停用。"),
            ({"funding": "bank"}, "funding", "经费来源只能是：财政、自筹、赞助、其他。"),
            ({"cost": "1.234"}, "cost", "经费最多 10 位整数、2 位小数。"),
            (
                {"title": "文化社区宣讲", "type": self.talk.pk, "start_date": "2026-02-10"},
                "title",
                "同一单位同一天已有同类型、同名称的活动。",
            ),
        ]
        for values, field, message in cases:
            r = self.send("post", self.staff_a, body=self.payload(**values))
            assert r.status_code == 400, (values, r.content)
            assert {"field": field, "message": message} in r.json()["errors"], r.json()
            assert message in r.json()["detail"]
        assert not Activity.objects.filter(title="广场舞展演").exists()

    def test_malformed_input_is_422_per_field_in_chinese(self) -> None:
        body = self.payload(start_date="2025-02-30", participants="很多")
        del body["title"]
        r = self.send("post", self.staff_a, body=body)
        assert r.status_code == 422
        errors = {e["field"].split(".")[-1]: e["message"] for e in r.json()["errors"]}
        assert errors == {
            "title": "必填。",
            "start_date": "应为日期，格式为 YYYY-MM-DD。",
            "participants": "应为整数。",
        }


class UpdateDeleteTests(ApiTestCase):
    def test_put_replaces_and_patch_changes_only_what_is_sent(self) -> None:
        path = f"{self.a_village.pk}/"
        r = self.send("put", self.staff_a, path, self.payload(title="改名后的宣讲"))
        assert r.status_code == 200, r.content
        self.a_village.refresh_from_db()
        assert (self.a_village.title, self.a_village.audience) == ("改名后的宣讲", 300)

        r = self.send("patch", self.keeper, path, {"audience": 450, "start_date": "2025-06-03"})
        assert r.status_code == 200, r.content
        self.a_village.refresh_from_db()
        assert self.a_village.audience == 450
        assert self.a_village.title == "改名后的宣讲"
        assert (self.a_village.start_date, self.a_village.end_date) == (
            date(2025, 6, 3),
            date(2025, 6, 3),
        )
        assert AuditEntry.objects.filter(action=Action.UPDATE).count() == 2

    def test_another_townships_activity_is_a_404_for_writes(self) -> None:
        path = f"{self.a.pk}/"
        assert (
            self.send("put", self.staff_b, path, self.payload(unit=Tree.TOWNSHIP_B)).status_code
            == 404
        )
        assert self.send("patch", self.staff_b, path, {"audience": 1}).status_code == 404
        assert self.send("delete", self.staff_b, path).status_code == 404
        assert self.send("patch", self.keeper, path, {"audience": 1}).status_code == 404
        self.a.refresh_from_db()
        assert self.a.deleted_at is None and self.a.audience == 0

    def test_moving_an_activity_out_of_reach_is_refused(self) -> None:
        r = self.send("patch", self.staff_a, f"{self.a.pk}/", {"unit": Tree.VILLAGE_B})
        assert r.status_code == 404
        self.a.refresh_from_db()
        assert self.a.unit_id == Tree.TOWNSHIP_A

    def test_a_read_only_role_cannot_change_or_delete(self) -> None:
        path = f"{self.a.pk}/"
        for user in (self.viewer, self.supervisor):
            assert self.send("patch", user, path, {"audience": 5}).status_code == 403
            assert self.send("delete", user, path).status_code == 403
        self.a.refresh_from_db()
        assert self.a.deleted_at is None

    def test_patch_rule_errors_are_named(self) -> None:
        r = self.send("patch", self.staff_a, f"{self.a.pk}/", {"end_date": "2025-01-01"})
        assert r.status_code == 400
        assert r.json()["errors"] == [
            {"field": "end_date", "message": "结束日期不能早于开始日期。"}
        ]

    def test_delete_is_soft_and_audited(self) -> None:
        r = self.send("delete", self.staff_a, f"{self.a.pk}/")
        assert r.status_code == 204
        assert self.get(self.staff_a, f"{self.a.pk}/").status_code == 404
        assert Activity.all_objects.get(pk=self.a.pk).deleted_at is not None
        assert AuditEntry.objects.filter(action=Action.DELETE, object_pk=str(self.a.pk)).exists()

    def test_a_retired_type_keeps_working_for_its_records(self) -> None:
        self.talk.active = False
        self.talk.save()
        r = self.send("patch", self.staff_a, f"{self.a_village.pk}/", {"audience": 9})
        assert r.status_code == 200, r.content
        r = self.send("post", self.staff_a, body=self.payload(type=self.talk.pk))
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "type"


class TypesTests(ApiTestCase):
    def test_it_lists_active_types(self) -> None:
        names = [t["name"] for t in self.get(self.keeper, "types/").json()]
        assert (
            "文艺演出" in names and len(names) == ActivityType.objects.filter(active=True).count()
        )


class PatchNullTests(ApiTestCase):
    def test_null_is_refused_where_a_value_is_required(self) -> None:
        r = self.send("patch", self.staff_a, f"{self.a.pk}/", {"title": None, "cost": None})
        assert r.status_code == 400
        assert r.json()["errors"] == [{"field": "title", "message": "不能为空。"}]
        r = self.send("patch", self.staff_a, f"{self.a.pk}/", {"cost": None, "end_date": None})
        assert r.status_code == 200, r.content
