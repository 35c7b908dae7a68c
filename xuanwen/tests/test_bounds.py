"""Every integer a client sends through the API or an entry form is bounded by what its column
holds on both databases: 2^31 (past PostgreSQL's `integer`) and 2^70 (past any integer SQLite
or PostgreSQL store) are refused with a Chinese 422 or a form error, never a 500, and nothing
is saved. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

from typing import Any

from django.db.models import Model
from django.urls import reverse

from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.tests.helpers import make_activity
from xuanwen.bookhouses.models import StockEntry
from xuanwen.duties.models import Duty
from xuanwen.facilities.models import Facility
from xuanwen.opening.models import OpeningLog
from xuanwen.opening.tests.helpers import make_facility
from xuanwen.plans.models import WorkPlan
from xuanwen.teams.models import Honour, Person
from xuanwen.testing import BaseTestCase, Tree

PAST_INTEGER = 2**31  # 2,147,483,648: one past PostgreSQL's integer
PAST_BIGINT = 2**70  # past SQLite's and PostgreSQL's largest integer
TOO_LARGE = (PAST_INTEGER, PAST_BIGINT)
IDS_TOO_LARGE = (2**63, PAST_BIGINT)  # an id of 2^31 is a bigint: not found, not refused here


class BoundsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(Tree.TOWNSHIP_A)
        cls.type_id = ActivityType.objects.get(name="讲座").pk

    def activity(self, **values: Any) -> dict[str, Any]:
        return {
            "unit": Tree.TOWNSHIP_A,
            "type": self.type_id,
            "title": "非遗进校园讲座",
            "start_date": "2026-03-05",
            "participants": 40,
            "audience": 120,
        } | values

    def opening(self, **values: Any) -> dict[str, Any]:
        return {"facility": self.facility.pk, "date": "2026-03-05", "hours": "3"} | values

    def assertRefused(self, method: str, url: str, body: dict[str, Any], field: str) -> None:
        """The API answers 422 naming `field` only (the rest of `body` is well formed)."""
        response = self.api(method, url, self.staff_a, body)
        self.assertEqual(response.status_code, 422, (url, body, response.content))
        errors = response.json()["errors"]
        self.assertTrue(errors, response.content)
        for error in errors:
            self.assertEqual(error["field"].split(".")[2], field, errors)
            self.assertRegex(error["message"], r"^不能(大|小)于 -?\d+。$", errors)


class ApiBodyTests(BoundsTestCase):
    def test_the_bodies_are_otherwise_accepted(self) -> None:
        # The payloads below are well formed: with numbers in range they are saved.
        self.assertEqual(
            self.api("POST", "/api/v1/activities/", self.staff_a, self.activity()).status_code, 201
        )
        r = self.api("POST", "/api/v1/opening/logs/", self.staff_a, self.opening(visitors=5))
        self.assertEqual(r.status_code, 201, r.content)

    def test_activity_numbers_beyond_the_columns_are_refused(self) -> None:
        record = make_activity(Tree.TOWNSHIP_A, participants=0, audience=0)
        url = f"/api/v1/activities/{record.pk}/"
        for value in TOO_LARGE:
            for field in ("participants", "audience"):
                self.assertRefused(
                    "POST", "/api/v1/activities/", self.activity(**{field: value}), field
                )
                self.assertRefused("PUT", url, self.activity(**{field: value}), field)
                self.assertRefused("PATCH", url, {field: value}, field)
        for value in IDS_TOO_LARGE:
            self.assertRefused("POST", "/api/v1/activities/", self.activity(type=value), "type")
        self.assertEqual(Activity.objects.count(), 1)
        record.refresh_from_db()
        self.assertEqual((record.participants, record.audience), (0, 0))

    def test_opening_numbers_beyond_the_columns_are_refused(self) -> None:
        for value in TOO_LARGE:
            body = self.opening(visitors=value)
            self.assertRefused("POST", "/api/v1/opening/logs/", body, "visitors")
            self.assertRefused("PATCH", "/api/v1/opening/logs/1/", {"visitors": value}, "visitors")
        for value in IDS_TOO_LARGE:
            body = self.opening(facility=value)
            self.assertRefused("POST", "/api/v1/opening/logs/", body, "facility")
        self.assertFalse(OpeningLog.objects.exists())

    def test_other_records_numbers_beyond_the_columns_are_refused(self) -> None:
        unit = {"unit": Tree.TOWNSHIP_A}
        cases: list[tuple[str, dict[str, Any], str, type[Model]]] = [
            ("/api/v1/people/", {**unit, "name": "张三"}, "birth_year", Person),
            (
                "/api/v1/honours/",
                {**unit, "name": "先进", "level": "county"},
                "year",
                Honour,
            ),
            ("/api/v1/plans/", unit, "year", WorkPlan),
            ("/api/v1/plans/", {**unit, "year": 2026}, "index", WorkPlan),
            (
                "/api/v1/duties/",
                {**unit, "name": "例会", "cycle": "month_day", "start_date": "2026-01-01"},
                "due_day",
                Duty,
            ),
            (
                "/api/v1/bookhouses/stock/",
                {
                    "facility": self.facility.pk,
                    "date": "2026-03-05",
                    "kind": "books",
                    "source": "donated",
                },
                "count",
                StockEntry,
            ),
        ]
        for url, body, field, model in cases:
            before = model._default_manager.count()
            for value in TOO_LARGE:
                self.assertRefused("POST", url, {**body, field: value}, field)
                self.assertRefused("POST", url, {**body, field: -value - 1}, field)
            self.assertEqual(model._default_manager.count(), before, url)
        duty = {**unit, "name": "例会", "cycle": "monthly", "start_date": "2026-01-01"}
        for value in IDS_TOO_LARGE:
            self.assertRefused(
                "POST", "/api/v1/duties/", {**duty, "assignees": [value]}, "assignees"
            )
            self.assertRefused(
                "POST", "/api/v1/teams/", {**unit, "name": "队", "genre": value}, "genre"
            )
        self.assertFalse(Duty.objects.exists())


class DecimalTests(BoundsTestCase):
    """A decimal beyond its numeric column's digits or places is a rule error in Chinese, on
    the page and in the API alike (PostgreSQL would refuse it with a 500; SQLite would store
    it as it came)."""

    def test_decimals_beyond_their_columns_are_refused(self) -> None:
        self.client.force_login(self.staff_a)
        record = make_activity(Tree.TOWNSHIP_A)
        facility_body = {"unit": Tree.TOWNSHIP_A, "kind": "station", "name": "站"}
        plan = {"unit": Tree.TOWNSHIP_A, "kind": "year", "year": 2027}
        created = self.api("POST", "/api/v1/plans/", self.staff_a, plan)
        self.assertEqual(created.status_code, 201, created.content)
        plan_id = created.json()["id"]
        section = WorkPlan.objects.get().sections.create(title="一、活动")
        for value in ("1e20", "123456789012.5", "1.005"):
            cases = [
                ("POST", "/api/v1/activities/", self.activity(cost=value)),
                ("PATCH", f"/api/v1/activities/{record.pk}/", {"cost": value}),
                ("POST", "/api/v1/facilities/", {**facility_body, "area": value}),
                (
                    "PATCH",
                    f"/api/v1/plans/{plan_id}/",
                    {
                        "sections": [
                            {"title": "一", "items": [{"text": "讲座", "target_min": value}]}
                        ]
                    },
                ),
            ]
            for method, url, body in cases:
                response = self.api(method, url, self.staff_a, body)
                self.assertEqual(response.status_code, 400, (url, body, response.content))
                self.assertRegex(response.json()["detail"], "最多 .*位小数")
            for field in ("target_min", "target_max"):
                response = self.client.post(
                    reverse("plans:item_add", args=[section.pk]),
                    {"text": "举办讲座", "target_min": "1", field: value},
                )
                self.assertEqual(response.status_code, 200, (field, value))
                self.assertIn(field, response.context["form"].errors)
        self.assertEqual(Activity.objects.count(), 1)
        self.assertIsNone(Activity.objects.get().cost)
        self.assertFalse(Facility.objects.filter(name="站").exists())
        self.assertFalse(section.items.exists())
        self.assertEqual(WorkPlan.objects.get().sections.count(), 1)


class ApiPageTests(BoundsTestCase):
    def test_a_page_beyond_any_offset_is_a_422(self) -> None:
        lists = [
            "/api/v1/units/",
            "/api/v1/audit/",
            "/api/v1/activities/",
            "/api/v1/facilities/",
            "/api/v1/opening/logs/",
            "/api/v1/duties/",
            "/api/v1/people/",
            "/api/v1/bookhouses/stock/",
        ]
        for url in lists:
            for page in (2**63 - 1, PAST_BIGINT):
                response = self.client.get(url, {"page": page}, **self.bearer(self.admin))
                self.assertEqual(response.status_code, 422, url)
                self.assertEqual(response.json()["errors"][0]["field"], "query.page")
            response = self.client.get(url, {"page": 2**31 - 1}, **self.bearer(self.admin))
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(response.json()["items"], [], url)

    def test_a_filter_id_beyond_any_key_is_a_422(self) -> None:
        response = self.client.get(
            "/api/v1/activities/", {"type": PAST_BIGINT}, **self.bearer(self.admin)
        )
        self.assertEqual(response.status_code, 422)


class FormTests(BoundsTestCase):
    def test_the_activity_form_refuses_numbers_beyond_the_columns(self) -> None:
        self.client.force_login(self.staff_a)
        form = {
            "unit": Tree.TOWNSHIP_A,
            "type": self.type_id,
            "title": "非遗进校园讲座",
            "start_date": "2026-03-05",
            "participants": "40",
            "audience": "120",
        }
        for value in TOO_LARGE:
            for field in ("participants", "audience"):
                response = self.client.post(reverse("activities:create"), {**form, field: value})
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
        self.assertFalse(Activity.objects.exists())

    def test_the_opening_form_refuses_numbers_beyond_the_columns(self) -> None:
        self.client.force_login(self.staff_a)
        form = {"facility": self.facility.pk, "date": "2026-03-05", "hours": "3"}
        for value in TOO_LARGE:
            response = self.client.post(reverse("opening:create"), {**form, "visitors": value})
            self.assertEqual(response.status_code, 200)
            self.assertIn("visitors", response.context["form"].errors)
        self.assertFalse(OpeningLog.objects.exists())

    def test_the_activity_list_leaves_out_a_type_beyond_any_key(self) -> None:
        self.client.force_login(self.staff_a)
        make_activity(Tree.TOWNSHIP_A, title="讲座一")
        for value in IDS_TOO_LARGE:
            for url in (reverse("activities:list"), reverse("activities:calendar")):
                response = self.client.get(url, {"type": value})
                self.assertEqual(response.status_code, 200)
