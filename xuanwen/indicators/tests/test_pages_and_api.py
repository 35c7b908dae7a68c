from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import ActivityType
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_activity
from .test_values import big_county


class IndicatorPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.training = ActivityType.objects.get(name="培训")
        make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 3, 1), audience=120)
        make_activity(Tree.VILLAGE_A, "培训", date(2026, 5, 1))
        make_activity(Tree.TOWNSHIP_B, "文艺演出", date(2026, 5, 1))

    def test_it_shows_the_indicators_of_the_users_unit(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get("/indicators/?period=2026")
        assert r.status_code == 200
        html = r.content.decode()
        assert "古城街道" in html and "2026年" in html
        assert "培训活动次数" in html
        assert (
            f"/activities/?unit={Tree.TOWNSHIP_A}&amp;type={self.training.pk}&amp;start=2026-01-01&amp;end=2026-12-31"
            in html
        )

    def test_by_child_links_each_number_to_its_records(self) -> None:
        self.client.force_login(self.supervisor)
        r = self.client.get(
            f"/indicators/?unit={Tree.COUNTY}&period=2026&by=child&indicator=activities.type.{self.training.pk}"
        )
        html = r.content.decode()
        assert "古城街道" in html and "大洋街道" in html
        assert f"/activities/?unit={Tree.TOWNSHIP_A}&amp;type={self.training.pk}" in html

    def test_the_page_query_count_does_not_grow_with_children(self) -> None:
        big_county("331083", 19)
        self.client.force_login(self.admin)
        self.admin.is_superuser = True
        self.admin.save(update_fields=["is_superuser"])
        counts = []
        for unit in (Tree.COUNTY, "331083"):
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get(f"/indicators/?unit={unit}&period=2026&by=child")
            assert r.status_code == 200
            counts.append(len(ctx.captured_queries))
        print(f"QUERIES /indicators/?by=child: 2 townships {counts[0]}, 19 townships {counts[1]}")
        assert counts[0] == counts[1]

    def test_another_units_numbers_are_404(self) -> None:
        self.client.force_login(self.staff_a)
        assert self.client.get(f"/indicators/?unit={Tree.TOWNSHIP_B}").status_code == 404
        assert self.client.get(f"/indicators/?unit={Tree.OTHER_COUNTY}").status_code == 404
        r = self.client.get(
            f"/indicators/records/?indicator=activities.count&unit={Tree.TOWNSHIP_B}&period=2026"
        )
        assert r.status_code == 404

    def test_a_mistyped_period_says_so(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get("/indicators/?period=2026-Q9")
        assert r.status_code == 200
        assert "无法识别的期间" in r.content.decode()

    def test_the_records_page_lists_exactly_the_records(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get(
            f"/indicators/records/?indicator=activities.count&unit={Tree.TOWNSHIP_A}&period=2026"
        )
        assert r.status_code == 200
        html = r.content.decode()
        assert html.count("<tr>") == 3  # header + 2 records
        assert "文艺演出" not in html


class IndicatorApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 3, 1))
        make_activity(Tree.VILLAGE_A, "培训", date(2026, 5, 1))

    def test_it_lists_indicators(self) -> None:
        r = self.client.get("/api/v1/indicators/", **self.bearer(self.viewer))
        codes = [i["code"] for i in r.json()]
        assert "activities.count" in codes and "awards.level.national" in codes

    def test_it_gives_values_by_child(self) -> None:
        r = self.client.get(
            f"/api/v1/indicators/activities.count/values?unit={Tree.COUNTY}&period=2026&by=child",
            **self.bearer(self.supervisor),
        )
        assert r.status_code == 200
        body = r.json()
        assert body["value"] == 2
        assert body["period"]["label"] == "2026年"
        assert [(c["unit"], c["value"]) for c in body["children"]] == [
            (Tree.TOWNSHIP_A, 2),
            (Tree.TOWNSHIP_B, 0),
        ]

    def test_it_defaults_to_the_callers_unit(self) -> None:
        r = self.client.get(
            "/api/v1/indicators/activities.count/values?period=2026-Q1", **self.bearer(self.staff_a)
        )
        assert r.json()["unit"] == Tree.TOWNSHIP_A
        assert r.json()["value"] == 1
        assert "children" not in r.json() or r.json()["children"] is None

    def test_out_of_scope_unknown_and_bad_input(self) -> None:
        auth = self.bearer(self.staff_a)
        r = self.client.get(
            f"/api/v1/indicators/activities.count/values?unit={Tree.TOWNSHIP_B}", **auth
        )
        assert r.status_code == 404
        r = self.client.get("/api/v1/indicators/no.such/values", **auth)
        assert r.status_code == 404
        r = self.client.get("/api/v1/indicators/activities.count/values?period=2026-Q9", **auth)
        assert r.status_code == 400
        assert "期间" in r.json()["detail"]
