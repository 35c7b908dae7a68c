from datetime import date

from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.opening.models import OpeningLog
from xuanwen.plans.selectors import Status, plan_progress
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import log, make_facility

TODAY = date(2026, 11, 27)
MARCH_9 = date(2026, 3, 9)


class ApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(frozen(TODAY))
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        self.other = make_facility(Tree.TOWNSHIP_B, name="大洋街道综合文化站")


class LogApiTests(ApiTestCase):
    def test_create_read_update_delete(self) -> None:
        auth = self.bearer(self.staff_a)
        body = {"facility": self.station.pk, "date": "2026-03-09", "hours": "3.5", "visitors": 20}
        r = self.client.post("/api/v1/opening/logs/", body, content_type="application/json", **auth)
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        assert r.json()["unit"] == Tree.TOWNSHIP_A
        r = self.client.get(f"/api/v1/opening/logs/{pk}/", **auth)
        assert r.json()["hours"] == "3.5"
        r = self.client.patch(
            f"/api/v1/opening/logs/{pk}/", {"hours": "2.5"}, content_type="application/json", **auth
        )
        assert r.json()["hours"] == "2.5"
        r = self.client.patch(
            f"/api/v1/opening/logs/{pk}/", {"hours": "0"}, content_type="application/json", **auth
        )
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "hours"
        r = self.client.get("/api/v1/opening/logs/?start=2026-03-01", **auth)
        assert r.json()["count"] == 1
        assert self.client.delete(f"/api/v1/opening/logs/{pk}/", **auth).status_code == 204
        assert not OpeningLog.objects.filter(pk=pk).exists()

    def test_scope_and_roles(self) -> None:
        theirs = log(self.other, MARCH_9)
        auth = self.bearer(self.staff_a)
        assert self.client.get(f"/api/v1/opening/logs/{theirs.pk}/", **auth).status_code == 404
        body = {"facility": self.other.pk, "date": "2026-03-09", "hours": "3"}
        r = self.client.post("/api/v1/opening/logs/", body, content_type="application/json", **auth)
        assert r.status_code == 404
        assert self.client.get("/api/v1/opening/logs/", **auth).json()["count"] == 0
        body["facility"] = self.station.pk
        r = self.client.post(
            "/api/v1/opening/logs/", body, content_type="application/json",
            **self.bearer(self.viewer),
        )  # fmt: skip
        assert r.status_code == 403
        assert OpeningLog.objects.count() == 1

    def test_compliance_per_unit_and_facility(self) -> None:
        for offset in (0, 2):
            log(self.station, date(2026, 3, 9 + offset), "3")
        for offset in (0, 2, 4):
            log(self.other, date(2026, 3, 9 + offset), "3")
        auth = self.bearer(self.supervisor)
        r = self.client.get(
            f"/api/v1/opening/compliance/?unit={Tree.COUNTY}&period=2026-03-09..2026-03-15&by=child",
            **auth,
        )
        data = r.json()
        assert data["total"]["judged"] == 2 and data["total"]["compliant"] == 1
        assert data["total"]["rate"] == 50.0
        by_child = {c["unit"]: c["rate"] for c in data["children"]}
        assert by_child == {Tree.TOWNSHIP_A: 0.0, Tree.TOWNSHIP_B: 100.0}
        r = self.client.get(
            f"/api/v1/opening/compliance/facility/{self.station.pk}/?period=2026-03-09..2026-03-15",
            **auth,
        )
        assert r.json()["weeks"][0]["reasons"] == ["只开放 2 天，需 3 天"]
        r = self.client.get(
            f"/api/v1/opening/compliance/facility/{self.other.pk}/", **self.bearer(self.staff_a)
        )
        assert r.status_code == 404


class IndicatorTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        for offset in (0, 2, 4):  # week of 9 March: compliant
            log(self.station, date(2026, 3, 9 + offset), "3.5", visitors=10)
        for offset in (0, 2):  # week of 16 March: two days only
            log(self.station, date(2026, 3, 16 + offset), "3.5", visitors=5)
        for offset in (0, 1, 2):
            log(self.other, date(2026, 3, 9 + offset), "3")

    def test_values_by_child_through_the_indicators_api(self) -> None:
        auth = self.bearer(self.supervisor)
        r = self.client.get(
            f"/api/v1/indicators/opening.compliance_rate/values?unit={Tree.COUNTY}"
            "&period=2026-03-09..2026-03-22&by=child",
            **auth,
        )
        data = r.json()
        # Station A: 1 of 2 weeks; station B compliant on 9 March, nothing on 16 March.
        assert data["value"] == 50.0
        assert {c["unit"]: c["value"] for c in data["children"]} == {
            Tree.TOWNSHIP_A: 50.0,
            Tree.TOWNSHIP_B: 50.0,
        }
        assert "/opening/compliance/" in data["children"][0]["records_url"]
        r = self.client.get(
            f"/api/v1/indicators/opening.visitors/values?unit={Tree.TOWNSHIP_A}&period=2026-03",
            **auth,
        )
        assert r.json()["value"] == 40
        r = self.client.get(
            f"/api/v1/indicators/opening.days/values?unit={Tree.COUNTY}&period=2026-03", **auth
        )
        assert r.json()["value"] == 8

    def test_the_indicator_page_links_to_the_weeks(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(
            "/indicators/", {"unit": Tree.TOWNSHIP_A, "period": "2026-03-09..2026-03-22"}
        )
        self.assertContains(page, "开放达标率")
        self.assertContains(page, "/opening/compliance/?unit=331082001")

    def test_a_plan_target_weekly_opening_shows_progress(self) -> None:
        text = "确保综合文化站常年开放，每周不低于三个工作日，每天不少于三个小时。"
        target = {"text": text, "target_min": 100}
        plan, item = plan_with_item(
            self.staff_a, Tree.TOWNSHIP_A, "opening.compliance_rate", **target
        )
        progress = plan_progress(plan, TODAY)
        [row] = [p for _s, rows in progress.sections for p in rows if p.row.item.pk == item.pk]
        # March: 1 of 2 weeks for station A; every week after is failing (nothing recorded).
        assert row.actual is not None and row.actual < 100
        assert row.status == Status.BEHIND  # a rate is not scaled by the elapsed part
        assert row.expected == 100
        assert "/opening/compliance/" in row.records_url
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/plans/{plan.pk}/progress/")
        self.assertContains(page, "进行中（落后）")

    def test_values_cost_a_fixed_number_of_queries(self) -> None:
        indicator = get_indicator("opening.compliance_rate")
        assert indicator is not None and not indicator.accumulates
        from xuanwen.indicators import selectors

        with self.assertNumQueries(3):  # children, facilities, logs (2026 is built in)
            table = selectors.table_by_child([indicator], Tree.COUNTY, parse_period("2026"))
        assert len(table.rows) == 2
        assert Tree.VILLAGE_A
