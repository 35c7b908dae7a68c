"""The assessment notice (考核结果通报): written from a published run's stored results, every
assessed unit in rank order with its total and grade; an unpublished run refused; another
county's run a 404; its appendix linking each unit's breakdown; its template checked."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

from docx import Document

from xuanwen.accounts.models import Role, User
from xuanwen.assessment import services
from xuanwen.assessment.models import Grade, ItemRule, Run, UnitResult
from xuanwen.assessment.tests.helpers import make_scheme, trainings, type_code
from xuanwen.documents.build_template import NOTICE_TEMPLATE
from xuanwen.documents.checking import template_problems
from xuanwen.reporting.tests.helpers import more_townships
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx
from xuanwen.units.models import Unit

API = "/api/v1/documents"


def body(response: Any) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@frozen(date(2027, 1, 15))
class NoticeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with frozen(date(2026, 12, 20)):
            trainings(Tree.TOWNSHIP_A, 4)
            trainings(Tree.TOWNSHIP_B, 1)
            rewards = [
                services.RewardData(grade=Grade.EXCELLENT, amount=Decimal(5000), title="先进站")
            ]
            # One item, so that A (4 trainings of 4) is 优秀 and B (1 of 4) 不合格.
            item = services.ItemData(
                "举办培训",
                type_code("培训"),
                ItemRule.PROPORTIONAL,
                Decimal(100),
                target=Decimal(4),
            )
            cls.scheme = make_scheme(cls.supervisor, items=[item], rewards=rewards)
            cls.published = services.score_request(user=cls.supervisor, scheme=cls.scheme)
            services.run_publish(user=cls.supervisor, run=cls.published)
            cls.draft = services.score_request(user=cls.supervisor, scheme=cls.scheme)
        other = Unit.objects.get(code=Tree.OTHER_COUNTY)
        boss = User.objects.create_user(username="boss", unit=other, role=Role.SUPERVISOR)
        cls.other_run = services.score_request(user=boss, scheme=make_scheme(boss))
        services.run_publish(user=boss, run=cls.other_run)

    def query(self, run: Run) -> dict[str, str]:
        return {"run": str(run.pk)}

    def test_the_notice_states_every_unit_in_rank_order(self) -> None:
        self.client.force_login(self.supervisor)
        r = self.client.get("/documents/notice.docx", self.query(self.published))
        self.assertEqual(r.status_code, 200)
        text = docx_text(body(r))
        county = Unit.objects.get(code=Tree.COUNTY).name  # a county: its name, not “全市”
        self.assertIn(f"关于2026年度{county}乡镇（街道）综合文化站考核结果的通报", text)
        self.assertNotIn("全市", text)
        self.assertIn("优秀（1个）：古城街道；不合格（1个）：大洋街道。各单位", text)
        results = list(UnitResult.objects.filter(run=self.published).select_related("unit"))
        self.assertEqual(len(results), 2)
        self.assertIn("对2026年度2个乡镇（街道）综合文化站", text)
        at = -1
        for result in sorted(results, key=lambda x: x.rank):
            line = f"{result.unit.name}\n{result.total.normalize():f}\n{result.get_grade_display()}"
            self.assertIn(line, text)
            self.assertGreater(text.index(line), at, "rank order")
            at = text.index(line)
        self.assertIn("授予“先进站”称号", text)
        self.assertIn("2026年12月20日", text)  # the date it was published

    def test_an_unpublished_run_is_refused(self) -> None:
        self.client.force_login(self.supervisor)
        r = self.client.get("/documents/notice.docx", self.query(self.draft))
        self.assertContains(r, "尚未发布", status_code=400)
        r = self.api("GET", f"{API}/notices/{self.draft.pk}", self.supervisor)
        self.assertEqual(r.status_code, 400)
        self.assertIn("尚未发布", r.json()["detail"])

    def test_another_countys_run_is_404(self) -> None:
        self.client.force_login(self.supervisor)
        for path in ("/documents/notice.docx", "/documents/notice-appendix.xlsx"):
            r = self.client.get(path, self.query(self.other_run))
            self.assertEqual(r.status_code, 404, path)
        for path in (
            f"{API}/notices/{self.other_run.pk}",
            f"{API}/notices/{self.other_run.pk}/appendix",
        ):
            self.assertEqual(self.api("GET", path, self.supervisor).status_code, 404, path)
        for bad in ("", "abc", "9" * 40):  # no run named: to the page that offers them
            r = self.client.get("/documents/notice.docx", {"run": bad})
            self.assertRedirects(r, "/documents/summary/", fetch_redirect_response=False)
        r = self.client.get("/documents/notice.docx", {"run": "987654321"})
        self.assertEqual(r.status_code, 404)

    def test_a_township_reads_its_own_line_of_the_countys_notice(self) -> None:
        self.client.force_login(self.staff_b)
        text = docx_text(
            body(self.client.get("/documents/notice.docx", self.query(self.published)))
        )
        county = Unit.objects.get(code=Tree.COUNTY).name
        self.assertIn(f"{county}乡镇（街道）综合文化站考核结果的通报", text)  # the county issues it
        self.assertIn("大洋街道", text)
        self.assertNotIn("古城街道", text)

    def test_the_api_and_the_appendix(self) -> None:
        r = self.api("GET", f"{API}/notices/{self.published.pk}", self.supervisor)
        self.assertEqual(r.status_code, 200)
        self.assertIn("考核结果的通报", docx_text(body(r)))
        r = self.api("GET", f"{API}/notices/{self.published.pk}/appendix", self.supervisor)
        self.assertEqual(r.status_code, 200)
        rows = list(read_xlsx(r).active.iter_rows(values_only=True))
        first = UnitResult.objects.get(run=self.published, rank=1)
        line = next(row for row in rows if first.unit.name in row)
        self.assertTrue(str(line[-1]).endswith(f"/assessment/results/{first.pk}/"))
        self.assertEqual(Decimal(str(line[2])), first.total)

    def test_the_documents_page_offers_published_runs(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get("/documents/summary/", {"unit": Tree.COUNTY, "period": "2026"})
        self.assertContains(page, f"notice.docx?run={self.published.pk}")
        self.assertNotContains(page, f"run={self.draft.pk}")

    def test_queries_do_not_grow_with_the_units(self) -> None:
        self.client.force_login(self.supervisor)

        def more(first: int) -> None:
            for n, unit in enumerate(more_townships(5, first), start=first):
                UnitResult.objects.create(
                    run=self.published, unit=unit, total=Decimal(50), rank=n, grade=Grade.FAIL
                )

        query = self.query(self.published)
        self.assertQueriesDoNotGrow("/documents/notice.docx", lambda: more(3), query)
        self.assertQueriesDoNotGrow("/documents/notice-appendix.xlsx", lambda: more(8), query)
        r = self.client.get("/documents/notice.docx", self.query(self.published))
        self.assertIn("第7镇", docx_text(body(r)))

    def test_the_templates_page_lists_the_tables_placeholder(self) -> None:
        self.client.force_login(self.admin)
        page = self.client.get("/documents/templates/", {"unit": Tree.COUNTY})
        self.assertContains(page, "考核结果通报")
        self.assertContains(page, "<code>rows</code>", html=False)

    def test_the_default_template_passes_its_check_and_unknown_names_are_refused(self) -> None:
        self.assertEqual(template_problems(NOTICE_TEMPLATE.read_bytes(), "notice"), [])
        problems = template_problems(NOTICE_TEMPLATE.read_bytes(), "summary")
        self.assertIn("rows", problems[0])
