"""Scoring a scheme: the four rules, breakdown links, adjustments, publication and versions,
grade bands and rewards, and queries that do not grow with the units."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import ActivityType
from xuanwen.activities.tests.helpers import make_activity
from xuanwen.assessment import scoring, services
from xuanwen.assessment.models import (
    Adjustment,
    Grade,
    ItemRule,
    Reward,
    RewardBasis,
    Run,
    RunState,
    Scheme,
)
from xuanwen.audit.models import Action
from xuanwen.reporting.tests.helpers import more_townships
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit

from .helpers import evidence, late_report, make_scheme, trainings

TODAY = date(2027, 1, 15)


class FourRulesTests(BaseTestCase):
    def setUp(self) -> None:
        self.scheme = make_scheme(self.supervisor)
        trainings(Tree.TOWNSHIP_A, 3)
        show = ActivityType.objects.get(name="文艺演出")
        for i in range(2):
            make_activity(Tree.VILLAGE_A, type=show, title=f"村晚{i}", start_date=date(2026, 9, 1))
        make_activity(Tree.TOWNSHIP_A, type=show, title="去年的演出", start_date=date(2025, 9, 1))
        late_report(Tree.TOWNSHIP_A)

    def score(self) -> dict[str, scoring.UnitScore]:
        return {s.unit.code: s for s in scoring.compute(self.scheme)}

    def test_each_rule_and_the_total(self) -> None:
        a = self.score()[Tree.TOWNSHIP_A]
        # 培训 3 of 4 → 75 % of 20; 5 activities ≥ 5 → 10; 2 shows × 3 → 6; 1 late: 10 − 2.
        self.assertEqual([line.points for line in a.lines], [15, 10, 6, 8])
        self.assertEqual([line.actual for line in a.lines], [3, 5, 2, 1])
        self.assertEqual(a.total, Decimal("39.00"))
        b = self.score()[Tree.TOWNSHIP_B]
        self.assertEqual(b.total, Decimal(10))  # nothing done, nothing late
        self.assertEqual((a.rank, b.rank), (1, 2))

    def test_caps_and_floors(self) -> None:
        trainings(Tree.TOWNSHIP_A, 5)  # 8 of 4: capped at 20
        for month in range(6, 12):
            late_report(Tree.TOWNSHIP_A, month)  # 7 late × 2 = 14 off 10: floor 0
        a = self.score()[Tree.TOWNSHIP_A]
        self.assertEqual((a.lines[0].points, a.lines[3].points), (20, 0))

    def test_breakdown_links_lead_to_the_counted_records(self) -> None:
        a = self.score()[Tree.TOWNSHIP_A]
        self.client.force_login(self.supervisor)
        page = self.client.get(a.lines[0].url).content.decode()
        for i in range(3):
            self.assertIn(f"培训001-{i}", page)
        self.assertNotIn("村晚", page)
        shows = self.client.get(a.lines[2].url).content.decode()
        self.assertIn("村晚0", shows)
        self.assertNotIn("去年的演出", shows)  # another year: not counted, not listed
        late = self.client.get(a.lines[3].url).content.decode()
        self.assertIn("月报", late)

    def test_a_bonus_needs_a_reason_and_evidence(self) -> None:
        unit = self.units[Tree.TOWNSHIP_A]
        data = services.AdjustmentData(unit=unit, points=Decimal(5), reason="  ")
        with self.assertRaises(ValidationError) as caught:
            services.adjustment_add(
                user=self.supervisor, scheme=self.scheme, data=data, evidence=evidence()
            )
        self.assertIn("请填写加减分理由。", caught.exception.messages)
        data.reason = "获省级表彰"
        with self.assertRaises(ValidationError) as caught:
            services.adjustment_add(
                user=self.supervisor, scheme=self.scheme, data=data, evidence=None
            )
        self.assertIn("请上传佐证材料。", caught.exception.messages)
        bad = evidence("表彰.jpg")
        bad.file.write(b"MZ not an image")
        bad.file.seek(0)
        with self.assertRaises(ValidationError):
            services.adjustment_add(
                user=self.supervisor, scheme=self.scheme, data=data,
                evidence=type(bad)("表彰.jpg", b"MZ\x90\x00 not an image", "image/jpeg"),
            )  # fmt: skip
        with self.assertRaises(PermissionDenied):
            services.adjustment_add(
                user=self.staff_a, scheme=self.scheme, data=data, evidence=evidence()
            )
        self.assertFalse(Adjustment.objects.exists())
        adj = services.adjustment_add(
            user=self.supervisor, scheme=self.scheme, data=data, evidence=evidence()
        )
        self.assertAudited(Action.CREATE, adj)
        a = self.score()[Tree.TOWNSHIP_A]
        self.assertEqual(a.total, Decimal("44.00"))
        self.assertEqual(a.lines[-1].name, "加分：获省级表彰")

    def test_a_bonus_without_a_reason_is_refused_on_the_page(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.post(
            f"/assessment/schemes/{self.scheme.pk}/",
            {"unit": Tree.TOWNSHIP_A, "points": "5", "reason": "", "evidence": evidence()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请填写加减分理由。", status_code=400)
        self.assertFalse(Adjustment.objects.exists())

    def test_published_is_frozen_and_scoring_again_makes_version_2(self) -> None:
        with frozen(TODAY):
            run = services.score_request(user=self.supervisor, scheme=self.scheme)
            self.assertEqual(run.state, RunState.DONE)
            services.run_publish(user=self.supervisor, run=run)
            trainings(Tree.TOWNSHIP_A, 1, day=date(2026, 12, 1))  # entered after publication
            first = run.results.get(unit_id=Tree.TOWNSHIP_A)
            self.assertEqual(first.total, Decimal("39.00"))
            self.client.force_login(self.supervisor)
            page = self.client.get(f"/assessment/results/{first.pk}/")
            self.assertContains(page, "39.00")
            again = services.score_request(user=self.supervisor, scheme=self.scheme)
            # Read while the clock is still set: the session signed in above expires by it.
            versions = self.client.get(f"/assessment/runs/{again.pk}/")
        self.assertEqual(again.version, 2)
        self.assertEqual(again.results.get(unit_id=Tree.TOWNSHIP_A).total, Decimal("44.00"))
        run.refresh_from_db()
        self.assertTrue(run.published)
        self.assertEqual(run.results.get(unit_id=Tree.TOWNSHIP_A).total, Decimal("39.00"))
        self.assertContains(versions, "第 1 版")
        self.assertContains(versions, "第 2 版")
        with self.assertRaises(ValidationError):
            services.run_publish(user=self.supervisor, run=run)

    def test_an_unpublished_version_is_computed_again_in_place(self) -> None:
        first = services.score_request(user=self.supervisor, scheme=self.scheme)
        again = services.score_request(user=self.supervisor, scheme=self.scheme)
        self.assertEqual((first.pk, again.version), (again.pk, 1))
        self.assertEqual(Run.objects.count(), 1)

    def test_only_a_supervisor_scores_and_publishes(self) -> None:
        for user in (self.staff_a, self.viewer, self.outsider):
            with self.assertRaises(PermissionDenied):
                services.score_request(user=user, scheme=self.scheme)

    def test_copied_to_next_year(self) -> None:
        copy = services.scheme_copy(user=self.supervisor, scheme=self.scheme)
        self.assertEqual((copy.year, copy.name), (2027, "2027年乡镇综合文化站考核"))
        self.assertEqual(copy.items.count(), 4)


class BandTests(BaseTestCase):
    def scheme(self, by: str = RewardBasis.GRADE) -> Scheme:
        bands = {"excellent_min": Decimal(90), "good_min": Decimal(80), "pass_min": Decimal(60)}
        return Scheme(owner_id=Tree.COUNTY, year=2026, level=4, reward_by=by, **bands)

    def test_grades_on_each_side_of_a_boundary(self) -> None:
        scheme = self.scheme()
        cases = {"90": Grade.EXCELLENT, "89.99": Grade.GOOD, "80": Grade.GOOD,
                 "79.99": Grade.PASS, "60": Grade.PASS, "59.99": Grade.FAIL}  # fmt: skip
        for total, grade in cases.items():
            self.assertEqual(scoring.grade_of(scheme, Decimal(total)), grade, total)

    def test_rewards_by_grade_and_by_rank(self) -> None:
        scheme = self.scheme()
        rewards = [Reward(grade=Grade.EXCELLENT, amount=Decimal(5000), title="先进文化站"),
                   Reward(grade=Grade.GOOD, amount=Decimal(2000))]  # fmt: skip
        self.assertEqual(
            scoring.reward_of(scheme, rewards, Grade.EXCELLENT, 9), (5000, "先进文化站")
        )
        self.assertEqual(scoring.reward_of(scheme, rewards, Grade.GOOD, 1), (2000, ""))
        self.assertEqual(scoring.reward_of(scheme, rewards, Grade.PASS, 1), (None, ""))
        by_rank = self.scheme(RewardBasis.RANK)
        bands = [
            Reward(top_rank=10, amount=Decimal(1000)),
            Reward(top_rank=3, amount=Decimal(3000)),
        ]
        got = [scoring.reward_of(by_rank, bands, Grade.PASS, r)[0] for r in (1, 3, 4, 10, 11)]
        self.assertEqual(got, [3000, 3000, 1000, 1000, None])
        self.assertEqual(
            scoring.ranks([Decimal(5), Decimal(9), Decimal(5), Decimal(1)]), [2, 1, 2, 4]
        )

    def test_a_scored_run_follows_the_bands(self) -> None:
        # A: 3 trainings of 4 → 60 of 80 points (合格, just); B: 2.999… → 59.99 would not pass.
        items = [services.ItemData("培训", "activities.count", ItemRule.PROPORTIONAL, Decimal(80),
                                   target=Decimal(4))]  # fmt: skip
        rewards = [services.RewardData(grade=Grade.PASS, amount=Decimal(500), title="合格站"),
                   services.RewardData(grade=Grade.FAIL, title="限期整改")]  # fmt: skip
        scheme = make_scheme(self.supervisor, items, rewards=rewards)
        trainings(Tree.TOWNSHIP_A, 3)
        trainings(Tree.TOWNSHIP_B, 2)
        b = self.units[Tree.TOWNSHIP_B]
        services.adjustment_add(
            user=self.supervisor, scheme=scheme, evidence=evidence(),
            data=services.AdjustmentData(unit=b, points=Decimal("19.99"), reason="补报材料"),
        )  # fmt: skip
        run = services.score_request(user=self.supervisor, scheme=scheme)
        got = {
            r.unit_id: (r.total, r.grade, r.reward_amount, r.reward_title)
            for r in run.results.all()
        }
        self.assertEqual(got[Tree.TOWNSHIP_A], (Decimal(60), Grade.PASS, Decimal(500), "合格站"))
        self.assertEqual(got[Tree.TOWNSHIP_B], (Decimal("59.99"), Grade.FAIL, None, "限期整改"))


class QueryTests(BaseTestCase):
    """Scoring 19 townships on a 40-item scheme costs what scoring 3 does."""

    def forty_items(self) -> list[services.ItemData]:
        codes = ["activities.count", "activities.audience", "activities.participants",
                 "activities.villages", "activities.coverage_rate", "awards.count",
                 "opening.compliance_rate", "opening.days", "opening.hours",
                 "duties.overdue_periods", "duties.on_time_rate", "duties.completions",
                 "training.classes", "training.sessions", "honours.count", "reporting.late",
                 "facilities.count", "households.count", "designations.count",
                 "bookhouses.loans"]  # fmt: skip
        codes += [
            f"activities.type.{pk}" for pk in ActivityType.objects.values_list("pk", flat=True)
        ]
        codes = (codes * 3)[:40]
        rules = [
            ItemRule.PROPORTIONAL,
            ItemRule.THRESHOLD,
            ItemRule.PER_OCCURRENCE,
            ItemRule.DEDUCTION,
        ]
        return [
            services.ItemData(f"第{i}项", code, rules[i % 4], Decimal("2.5"), target=Decimal(3),
                              per=Decimal(1))
            for i, code in enumerate(codes)
        ]  # fmt: skip

    def test_queries_do_not_grow_with_the_townships(self) -> None:
        scheme = make_scheme(self.supervisor, self.forty_items())
        more_townships(1)  # A, B and 003: 3 townships
        for code in (Tree.TOWNSHIP_A, Tree.TOWNSHIP_B):
            trainings(code, 2)
            late_report(code)

        def cost() -> int:
            with CaptureQueriesContext(connection) as ctx:
                scoring.compute(Scheme.objects.get(pk=scheme.pk))
            return len(ctx.captured_queries)

        few = cost()
        run = services.score_request(user=self.supervisor, scheme=scheme)
        with CaptureQueriesContext(connection) as ctx:
            services.compute_and_store(Run.objects.select_related("scheme").get(pk=run.pk))
        store_few = len(ctx.captured_queries)
        for unit in more_townships(16, first=4):  # 19 townships, each with records
            trainings(unit.code, 2)
            late_report(unit.code)
            services.adjustment_add(
                user=self.supervisor, scheme=scheme, evidence=evidence(),
                data=services.AdjustmentData(unit=unit, points=Decimal(1), reason="加分"),
            )  # fmt: skip
        self.assertEqual(len(scoring.scored_units(scheme)), 19)
        self.assertEqual(cost(), few)
        with CaptureQueriesContext(connection) as ctx:
            services.compute_and_store(Run.objects.select_related("scheme").get(pk=run.pk))
        self.assertEqual(len(ctx.captured_queries), store_few)
        self.assertEqual(Unit.objects.filter(code__startswith=Tree.COUNTY).count() > 19, True)
