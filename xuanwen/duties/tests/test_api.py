import base64
from datetime import date

from xuanwen.activities.tests.helpers import image_bytes
from xuanwen.duties.models import Duty, DutyCompletion
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import complete, make_duty

TODAY = date(2026, 4, 5)
BASE = "/api/v1/duties/"
# A duty as the API creates it: township A's weekly meeting, proved by a note.
WEEKLY_MEETING = {
    "unit": Tree.TOWNSHIP_A,
    "name": "周例会",
    "cycle": "weekly",
    "start_date": "2026-01-05",
    "needs_note": True,
}


@frozen(TODAY)
class DutyApiTests(BaseTestCase):
    def test_duty_crud(self) -> None:
        body = {**WEEKLY_MEETING, "assignees": [self.staff_a.pk]}
        r = self.api("POST", BASE, self.staff_a, body)
        self.assertEqual(r.status_code, 201, r.content)  # type: ignore[attr-defined]
        duty_id = r.json()["id"]  # type: ignore[attr-defined]
        self.assertEqual(r.json()["assignees"], [self.staff_a.pk])  # type: ignore[attr-defined]
        r = self.api("PATCH", f"{BASE}{duty_id}/", self.staff_a, {"name": "周一例会"})
        self.assertEqual(r.json()["name"], "周一例会")  # type: ignore[attr-defined]
        r = self.api("GET", BASE, self.staff_a)
        self.assertEqual(r.json()["count"], 1)  # type: ignore[attr-defined]
        self.assertEqual(self.api("GET", f"{BASE}{duty_id}/", self.staff_b).status_code, 404)  # type: ignore[attr-defined]
        self.assertEqual(self.api("DELETE", f"{BASE}{duty_id}/", self.staff_a).status_code, 204)  # type: ignore[attr-defined]
        self.assertIsNotNone(Duty.all_objects.get(pk=duty_id).deleted_at)

    def test_another_units_user_is_never_named(self) -> None:
        body = {**WEEKLY_MEETING, "assignees": [self.outsider.pk]}
        r = self.api("POST", BASE, self.staff_a, body)
        self.assertEqual(r.status_code, 400, r.content)  # type: ignore[attr-defined]
        detail = r.json()["detail"]  # type: ignore[attr-defined]
        self.assertNotIn(self.outsider.username, detail)
        self.assertIn("不在您的管辖范围内", detail)
        self.assertFalse(Duty.objects.exists())

    def test_rules_are_400_in_chinese_and_roles_403(self) -> None:
        body = {
            "unit": Tree.TOWNSHIP_A,
            "name": "黑板报",
            "cycle": "half_monthly",
            "start_date": "2026-01-01",
        }
        r = self.api("POST", BASE, self.staff_a, body)
        self.assertEqual(r.status_code, 400)  # type: ignore[attr-defined]
        self.assertIn("请至少选择一种佐证", r.json()["detail"])  # type: ignore[attr-defined]
        r = self.api("POST", BASE, self.viewer, {**body, "needs_photo": True})
        self.assertEqual(r.status_code, 403)  # type: ignore[attr-defined]
        r = self.api(
            "POST", BASE, self.staff_a, {**body, "unit": Tree.TOWNSHIP_B, "needs_photo": True}
        )
        self.assertEqual(r.status_code, 404)  # type: ignore[attr-defined]

    def test_completion_with_base64_photo_and_compliance(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A, start_date=date(2026, 3, 1))
        body = {"duty": duty.pk, "done_on": "2026-03-02"}
        r = self.api("POST", f"{BASE}completions/", self.staff_a, body)
        self.assertEqual(r.status_code, 400)  # type: ignore[attr-defined]
        self.assertIn("该工作需要照片", r.json()["detail"])  # type: ignore[attr-defined]
        photo = {"name": "黑板报.jpg", "content": base64.b64encode(image_bytes()).decode()}
        r = self.api("POST", f"{BASE}completions/", self.staff_a, {**body, "evidence": [photo]})
        self.assertEqual(r.status_code, 201, r.content)  # type: ignore[attr-defined]
        out = r.json()  # type: ignore[attr-defined]
        self.assertEqual(out["period_name"], "2026年3月上半月")
        self.assertEqual(out["evidence"][0]["content_type"], "image/jpeg")
        r = self.api("GET", f"{BASE}{duty.pk}/compliance/?period=2026-03", self.staff_a)
        periods = r.json()["periods"]  # type: ignore[attr-defined]
        self.assertEqual([p["status"] for p in periods], ["on_time", "overdue"])
        r = self.api("GET", f"{BASE}compliance/?unit=331082&period=2026-03", self.supervisor)
        data = r.json()  # type: ignore[attr-defined]
        self.assertEqual((data["total"]["on_time"], data["total"]["overdue"]), (1, 1))
        self.assertEqual(data["overdue"][0]["period"], "2026年3月下半月")
        r = self.api("GET", f"{BASE}compliance/?unit={Tree.TOWNSHIP_A}", self.staff_b)
        self.assertEqual(r.status_code, 404)  # type: ignore[attr-defined]

    def test_completion_update_and_delete(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A)
        completion = complete(self.staff_a, duty, date(2026, 3, 2))
        path = f"{BASE}completions/{completion.pk}/"
        r = self.api("PATCH", path, self.staff_a, {"done_on": "2026-03-20"})
        self.assertEqual(r.json()["period_start"], "2026-03-16")  # type: ignore[attr-defined]
        self.assertEqual(self.api("PATCH", path, self.staff_b, {"note": "x"}).status_code, 404)  # type: ignore[attr-defined]
        self.assertEqual(self.api("DELETE", path, self.staff_a).status_code, 204)  # type: ignore[attr-defined]
        self.assertFalse(DutyCompletion.objects.exists())
