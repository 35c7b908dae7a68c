from datetime import date

from xuanwen.activities.models import ActivityType
from xuanwen.indicators.tests.helpers import make_activity
from xuanwen.plans.models import WorkPlan
from xuanwen.testing import BaseTestCase, Tree


class PlanApiTests(BaseTestCase):
    def create(self, user, **payload):  # type: ignore[no-untyped-def]
        body = {"unit": Tree.TOWNSHIP_A, "kind": "year", "year": 2026, **payload}
        return self.client.post(
            "/api/v1/plans/", body, content_type="application/json", **self.bearer(user)
        )

    def test_create_read_update_delete(self) -> None:
        r = self.create(self.staff_a, template="township_station_year")
        assert r.status_code == 201, r.content
        plan = r.json()
        assert plan["period_label"] == "2026年" and plan["status"] == "draft"
        assert plan["sections"][0]["number"] == "一、"
        assert plan["sections"][0]["items"][3]["number"] == "4."
        auth = self.bearer(self.staff_a)
        training = ActivityType.objects.get(name="培训")
        r = self.client.patch(
            f"/api/v1/plans/{plan['id']}/",
            {
                "title": "2026年计划",
                "sections": [
                    {
                        "title": "活动",
                        "item_style": "paren",
                        "items": [
                            {
                                "text": "培训",
                                "indicator": f"activities.type.{training.pk}",
                                "target_min": 3,
                                "target_max": 5,
                                "deadline": "2026-12-31",
                            },
                            {"text": "开放"},
                        ],
                    }
                ],
            },
            content_type="application/json",
            **auth,
        )
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["title"] == "2026年计划"
        assert [i["number"] for i in body["sections"][0]["items"]] == ["（一）", "（二）"]
        assert body["sections"][0]["items"][0]["indicator_name"] == "培训活动次数"
        r = self.client.delete(f"/api/v1/plans/{plan['id']}/", **auth)
        assert r.status_code == 204
        assert self.client.get(f"/api/v1/plans/{plan['id']}/", **auth).status_code == 404

    def test_the_whole_cycle(self) -> None:
        plan = self.create(self.staff_a, template="township_station_year").json()
        for n in range(3):
            make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 3, n + 1))
        a, s = self.bearer(self.staff_a), self.bearer(self.supervisor)
        progress = self.client.get(f"/api/v1/plans/{plan['id']}/progress/?as_of=2026-04-01", **a)
        training = next(p for p in progress.json() if "期文化活动培训" in p["text"])
        assert (training["actual"], training["status"], training["percent"]) == (3, "met", 100)
        assert training["number"] == "一、4."
        assert self.client.post(f"/api/v1/plans/{plan['id']}/approve/", **s).status_code == 400
        assert (
            self.client.post(f"/api/v1/plans/{plan['id']}/submit/", **a).json()["status"]
            == "submitted"
        )
        assert self.client.post(f"/api/v1/plans/{plan['id']}/approve/", **a).status_code == 403
        assert (
            self.client.post(f"/api/v1/plans/{plan['id']}/approve/", **s).json()["status"]
            == "approved"
        )
        r = self.client.patch(
            f"/api/v1/plans/{plan['id']}/", {"title": "改"}, content_type="application/json", **a
        )
        assert r.status_code == 400 and "不能修改" in r.json()["detail"]
        r = self.client.post(f"/api/v1/plans/{plan['id']}/revise/", **a)
        assert (
            r.status_code == 201
            and r.json()["revision"] == 2
            and r.json()["replaces"] == plan["id"]
        )
        listed = self.client.get("/api/v1/plans/", **s).json()["items"]
        assert [p["revision"] for p in listed] == [2]

    def test_scope(self) -> None:
        plan = self.create(self.staff_a).json()
        b = self.bearer(self.staff_b)
        assert self.client.get(f"/api/v1/plans/{plan['id']}/", **b).status_code == 404
        assert self.client.post(f"/api/v1/plans/{plan['id']}/submit/", **b).status_code == 404
        assert self.client.get("/api/v1/plans/", **b).json()["items"] == []
        assert self.create(self.staff_b).status_code == 404  # another township's unit
        assert self.create(self.staff_b, unit=Tree.TOWNSHIP_B).status_code == 201
        assert self.create(self.viewer).status_code == 403
        assert WorkPlan.objects.count() == 2
