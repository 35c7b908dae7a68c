"""Assessment pages and API: scope (a township sees only its own result; another county's
ids are 404), the scheme form, scoring with its progress, export, the home card, and the API's
bounded inputs."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from xuanwen.assessment import services
from xuanwen.assessment.models import Run, Scheme
from xuanwen.reporting.tests.helpers import more_townships
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx
from xuanwen.units.models import Unit

from .helpers import make_scheme, trainings, type_code

API = "/api/v1/assessment"


class ScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scheme = make_scheme(cls.supervisor)
        trainings(Tree.TOWNSHIP_A, 3)
        trainings(Tree.TOWNSHIP_B, 1)
        cls.published_run = services.score_request(user=cls.supervisor, scheme=cls.scheme)
        services.run_publish(user=cls.supervisor, run=cls.published_run)
        cls.a = cls.published_run.results.get(unit_id=Tree.TOWNSHIP_A)
        cls.b = cls.published_run.results.get(unit_id=Tree.TOWNSHIP_B)
        other = Unit.objects.get(code=Tree.OTHER_COUNTY)
        from xuanwen.accounts.models import Role, User

        boss = User.objects.create_user(
            username="boss", unit=other, role=Role.SUPERVISOR, name="赵"
        )
        cls.other_scheme = make_scheme(boss, name="温岭考核")
        cls.other_run = services.score_request(user=boss, scheme=cls.other_scheme)

    def test_a_township_sees_only_its_own_result(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/assessment/runs/{self.published_run.pk}/")
        self.assertContains(page, "古城街道")
        self.assertNotContains(page, "大洋街道")
        self.assertEqual(self.client.get(f"/assessment/results/{self.a.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/assessment/results/{self.b.pk}/").status_code, 404)
        results = self.api(
            "GET", f"{API}/runs/{self.published_run.pk}/results/", self.staff_a
        ).json()
        self.assertEqual([r["unit"] for r in results], [Tree.TOWNSHIP_A])
        self.assertEqual(
            self.api("GET", f"{API}/results/{self.b.pk}/", self.staff_a).status_code, 404
        )
        live = self.api("GET", f"{API}/schemes/{self.scheme.pk}/scores/", self.staff_a).json()
        self.assertEqual([r["unit"] for r in live], [Tree.TOWNSHIP_A])
        self.assertEqual(self.client.get("/assessment/schemes/new/").status_code, 403)

    def test_another_countys_ids_are_404(self) -> None:
        other_result = self.other_run.results.first()
        assert other_result is not None
        self.client.force_login(self.supervisor)
        for path in (
            f"/assessment/schemes/{self.other_scheme.pk}/",
            f"/assessment/schemes/{self.other_scheme.pk}/edit/",
            f"/assessment/runs/{self.other_run.pk}/",
            f"/assessment/runs/{self.other_run.pk}/export.xlsx",
            f"/assessment/results/{other_result.pk}/",
        ):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        for path in (f"/assessment/schemes/{self.other_scheme.pk}/score/",
                     f"/assessment/runs/{self.other_run.pk}/publish/"):  # fmt: skip
            self.assertEqual(self.client.post(path).status_code, 404, path)
        for method, path in (
            ("GET", f"{API}/schemes/{self.other_scheme.pk}/"),
            ("GET", f"{API}/schemes/{self.other_scheme.pk}/scores/"),
            ("GET", f"{API}/schemes/{self.other_scheme.pk}/runs/"),
            ("POST", f"{API}/schemes/{self.other_scheme.pk}/score/"),
            ("GET", f"{API}/runs/{self.other_run.pk}/"),
            ("GET", f"{API}/runs/{self.other_run.pk}/results/"),
            ("POST", f"{API}/runs/{self.other_run.pk}/publish/"),
            ("GET", f"{API}/results/{other_result.pk}/"),
        ):
            self.assertEqual(self.api(method, path, self.supervisor).status_code, 404, path)
        listed = self.api("GET", f"{API}/schemes/", self.supervisor).json()
        self.assertEqual([s["id"] for s in listed], [self.scheme.pk])

    def test_results_page_breakdown_and_export(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get(f"/assessment/runs/{self.published_run.pk}/")
        self.assertContains(page, "古城街道")
        self.assertContains(page, "大洋街道")
        breakdown = self.client.get(f"/assessment/results/{self.a.pk}/")
        self.assertContains(breakdown, "举办培训")
        self.assertContains(breakdown, "/activities/?")  # the line's link to its records
        book = read_xlsx(self.client.get(f"/assessment/runs/{self.published_run.pk}/export.xlsx"))
        sheet = book.active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("临海市", str(rows[0][0]))
        self.assertIn("制表时间", str(rows[0][0]))
        self.assertEqual(rows[2][:3], (1, "古城街道", 25))
        self.assertEqual(rows[-1][0], "合计")

    def test_the_home_card_shows_the_latest_published_ranking(self) -> None:
        with frozen(date(2027, 1, 10)):
            self.client.force_login(self.supervisor)
            few = self.count_queries("/")
            home = self.client.get("/")
            self.assertContains(home, 'id="assessment-ranking"')
            more_townships(5)
            services.run_publish(
                user=self.supervisor,
                run=services.score_request(user=self.supervisor, scheme=self.scheme),
            )
            self.assertEqual(self.count_queries("/"), few)
        self.client.force_login(self.staff_a)
        self.assertNotContains(self.client.get("/"), 'id="assessment-ranking"')


class FlowTests(BaseTestCase):
    def test_the_scheme_form_saves_items_and_rewards(self) -> None:
        self.client.force_login(self.supervisor)
        self.assertEqual(self.client.get("/assessment/schemes/new/").status_code, 200)
        data: dict[str, Any] = {
            "name": "2026年考核", "year": "2026", "level": "4", "excellent_min": "90",
            "good_min": "80", "pass_min": "60", "reward_by": "grade",
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
            "items-0-name": "培训", "items-0-indicator": type_code("培训"),
            "items-0-rule": "proportional", "items-0-points": "20", "items-0-target": "4",
            "rewards-TOTAL_FORMS": "2", "rewards-INITIAL_FORMS": "0",
            "rewards-0-grade": "excellent", "rewards-0-amount": "5000",
            "rewards-0-title": "先进文化站",
        }  # fmt: skip
        response = self.client.post("/assessment/schemes/new/", data, follow=True)
        self.assertContains(response, "考核方案已保存。")
        scheme = Scheme.objects.get()
        self.assertEqual((scheme.items.count(), scheme.rewards.count()), (1, 1))
        bad = data | {"items-0-target": ""}
        response = self.client.post(f"/assessment/schemes/{scheme.pk}/edit/", bad)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请填写大于 0 的目标值。", status_code=400)

    def test_scoring_returns_at_once_with_a_job_and_its_progress(self) -> None:
        scheme = make_scheme(self.supervisor)
        self.client.force_login(self.supervisor)
        response = self.client.post(f"/assessment/schemes/{scheme.pk}/score/")
        run = Run.objects.get()
        self.assertRedirects(response, f"/assessment/runs/{run.pk}/")
        progress = self.client.get(f"/assessment/runs/{run.pk}/progress/")
        self.assertEqual(progress["HX-Refresh"], "true")  # done (an immediate backend in tests)
        Run.objects.filter(pk=run.pk).update(state="running", done=1, total=4)
        progress = self.client.get(f"/assessment/runs/{run.pk}/progress/")
        self.assertContains(progress, "hx-trigger")
        self.assertContains(progress, "25%")
        busy = self.api("POST", f"{API}/schemes/{scheme.pk}/score/", self.supervisor)
        self.assertEqual(busy.status_code, 400)
        self.assertIn("该方案正在计算中", busy.json()["detail"])
        Run.objects.filter(pk=run.pk).update(state="done")
        answer = self.api("POST", f"{API}/schemes/{scheme.pk}/score/", self.supervisor)
        self.assertEqual(answer.status_code, 202)
        self.assertEqual(answer.json()["version"], 1)

    def test_a_run_that_stopped_moving_fails_and_the_scheme_can_be_scored_again(self) -> None:
        """A worker that died (or never ran) leaves a run queued or running: ten minutes
        without a sign of life and it is recorded as failed, not left 计算中 for ever."""
        scheme = make_scheme(self.supervisor)
        with frozen(datetime(2026, 11, 2, 1, 0, tzinfo=UTC)):
            run = Run.objects.create(scheme=scheme, version=1, state="running", done=1, total=4)
            services.check_stale(run)  # just started: left alone
        self.client.force_login(self.supervisor)
        score = f"{API}/schemes/{scheme.pk}/score/"
        with frozen(datetime(2026, 11, 2, 1, 9, tzinfo=UTC)):
            self.assertEqual(self.api("POST", score, self.supervisor).status_code, 400)
            progress = self.client.get(f"/assessment/runs/{run.pk}/progress/")
            self.assertContains(progress, "hx-trigger")
        with frozen(datetime(2026, 11, 2, 1, 11, tzinfo=UTC)):
            progress = self.client.get(f"/assessment/runs/{run.pk}/progress/")
            self.assertEqual(progress["HX-Refresh"], "true")
            self.assertContains(progress, "后台计算中断")
            answer = self.api("POST", score, self.supervisor)
            self.assertEqual(answer.status_code, 202, answer.content)
        run.refresh_from_db()
        self.assertEqual((run.version, run.state, run.error), (1, "done", ""))

    def test_api_create_update_and_bounds(self) -> None:
        body: dict[str, Any] = {
            "owner": Tree.COUNTY, "name": "2026年考核", "year": 2026, "level": 4,
            "items": [{"name": "培训", "indicator": "activities.count", "rule": "threshold",
                       "points": "10", "target": "4"}],
            "rewards": [{"top_rank": 3, "amount": "3000"}], "reward_by": "rank",
        }  # fmt: skip
        created = self.api("POST", f"{API}/schemes/", self.supervisor, body)
        self.assertEqual(created.status_code, 201, created.content)
        pk = created.json()["id"]
        own = body | {"owner": Tree.TOWNSHIP_A, "level": 5}
        self.assertEqual(self.api("POST", f"{API}/schemes/", self.staff_a, own).status_code, 403)
        self.assertEqual(self.api("POST", f"{API}/schemes/", self.staff_a, body).status_code, 404)
        for bad in (
            {"points": "1e400"},
            {"points": "-1"},
            {"target": "NaN"},
            {"rule": "x" * 30},
            {"indicator": "nope"},
            {"per": "99999999"},
            {"floor": "20"},
        ):
            item = body["items"][0] | bad
            r = self.api("PUT", f"{API}/schemes/{pk}/", self.supervisor, body | {"items": [item]})
            self.assertIn(r.status_code, (400, 422), (bad, r.content))
        for bad_body in ({"year": 99999}, {"level": 9}, {"level": 3}, {"items": []},
                         {"items": body["items"] * 61}, {"name": ""}, {"excellent_min": "50"},
                         {"rewards": [{"top_rank": None}]}):  # fmt: skip
            r = self.api("PUT", f"{API}/schemes/{pk}/", self.supervisor, body | bad_body)
            self.assertIn(r.status_code, (400, 422), (bad_body, r.content))
        changed = body | {"items": body["items"] * 2}
        r = self.api("PUT", f"{API}/schemes/{pk}/", self.supervisor, changed)
        self.assertEqual(len(r.json()["items"]), 2)
        run = self.api("POST", f"{API}/schemes/{pk}/score/", self.supervisor).json()
        self.assertEqual(run["state"], "done")
        self.assertEqual(
            self.api("POST", f"{API}/runs/{run['id']}/publish/", self.supervisor).status_code, 200
        )
        again = self.api("POST", f"{API}/schemes/{pk}/score/", self.supervisor).json()
        self.assertEqual(again["version"], 2)
        versions = self.api("GET", f"{API}/schemes/{pk}/runs/", self.supervisor).json()
        self.assertEqual([v["version"] for v in versions], [2, 1])
        results = self.api("GET", f"{API}/runs/{run['id']}/results/", self.supervisor).json()
        one = self.api("GET", f"{API}/results/{results[0]['id']}/", self.supervisor).json()
        self.assertEqual(len(one["lines"]), 2)
        self.assertTrue(one["lines"][0]["url"])
        self.assertEqual(Decimal(one["total"]), Decimal(one["lines"][0]["points"]) * 2)
