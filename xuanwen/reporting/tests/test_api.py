"""The reporting API: sets, submitting, approving, returning, unlocking, completeness."""

from datetime import date

from xuanwen.reporting.models import ReportSet, Submission, SubmissionStatus
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import INDICATORS

API = "/api/v1/reporting/"


@frozen(date(2026, 4, 5))
class ReportingApiTest(BaseTestCase):
    def make_set(self) -> int:
        body = {"owner": Tree.COUNTY, "name": "月报", "levels": [4], "indicators": INDICATORS}
        r = self.api("POST", f"{API}sets/", self.supervisor, body)
        self.assertEqual(r.status_code, 201, r.content)
        return int(r.json()["id"])

    def test_the_whole_cycle(self) -> None:
        set_id = self.make_set()
        r = self.api("GET", f"{API}sets/", self.staff_a)
        self.assertEqual([s["name"] for s in r.json()], ["月报"])
        self.assertEqual(self.api("GET", f"{API}sets/", self.outsider).json(), [])

        body = {"unit": Tree.TOWNSHIP_A, "period": "2026-03"}
        r = self.api("POST", f"{API}sets/{set_id}/submit/", self.staff_a, body)
        self.assertEqual(r.status_code, 200, r.content)
        sub = r.json()
        self.assertEqual(
            (sub["status"], sub["period_label"], sub["on_time"]), ("submitted", "2026年3月", True)
        )
        r = self.api(
            "POST", f"{API}submissions/{sub['id']}/return/", self.supervisor, {"reason": ""}
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("请填写退回原因", r.json()["detail"])
        r = self.api("POST", f"{API}submissions/{sub['id']}/approve/", self.staff_b)
        self.assertEqual(r.status_code, 404)  # township B sees nothing of A
        r = self.api("POST", f"{API}submissions/{sub['id']}/approve/", self.supervisor)
        self.assertEqual(r.json()["status"], "approved")
        r = self.api(
            "POST", f"{API}submissions/{sub['id']}/unlock/", self.supervisor, {"reason": "改"}
        )
        self.assertEqual(r.json()["status"], "returned")

        r = self.api(
            "GET",
            f"{API}sets/{set_id}/completeness/?unit={Tree.COUNTY}&period=2026-03",
            self.supervisor,
        )
        total = r.json()["total"]
        self.assertEqual((total["expected"], total["received"], total["missing"]), (2, 0, 2))
        self.assertEqual(total["missing_units"], ["古城街道", "大洋街道"])
        r = self.api("GET", f"{API}submissions/?period=2026-03", self.supervisor)
        self.assertEqual([s["unit"] for s in r.json()], [Tree.TOWNSHIP_A])

    def test_bounded_and_scoped_inputs(self) -> None:
        set_id = self.make_set()
        long = {"owner": Tree.COUNTY, "name": "月" * 101, "levels": [4], "indicators": INDICATORS}
        self.assertEqual(self.api("POST", f"{API}sets/", self.supervisor, long).status_code, 422)
        other = {"owner": Tree.OTHER_COUNTY, "name": "x", "levels": [4], "indicators": INDICATORS}
        self.assertEqual(self.api("POST", f"{API}sets/", self.supervisor, other).status_code, 404)
        r = self.api("POST", f"{API}sets/", self.staff_a, {**other, "owner": Tree.TOWNSHIP_A})
        self.assertEqual(r.status_code, 403)
        bad = {"unit": Tree.TOWNSHIP_A, "period": "2026-13"}
        r = self.api("POST", f"{API}sets/{set_id}/submit/", self.staff_a, bad)
        self.assertEqual(r.status_code, 400)
        r = self.api(
            "GET",
            f"{API}sets/{set_id}/completeness/?unit={Tree.OTHER_COUNTY}&period=2026-03",
            self.supervisor,
        )
        self.assertEqual(r.status_code, 404)
        self.assertEqual(ReportSet.objects.count(), 1)
        self.assertFalse(Submission.objects.exclude(status=SubmissionStatus.SUBMITTED).exists())
