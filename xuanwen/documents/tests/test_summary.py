"""The year-end and half-year summaries of a township with a year of records: every figure
the document states is an indicator's value (checked against the API in the same test), the
.docx carries each of them in the official layout, and the pages keep to the user's scope."""

import io
from datetime import date
from typing import Any, ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from docx.oxml.ns import qn

from xuanwen.activities.models import Award
from xuanwen.activities.services import coverage_add
from xuanwen.bookhouses.tests.helpers import add_loan, add_stock, make_bookhouse
from xuanwen.core import clock
from xuanwen.designations.tests.helpers import make_designation
from xuanwen.documents import build_template
from xuanwen.documents.facts import summary_facts
from xuanwen.documents.writing import summary_text
from xuanwen.duties.tests.helpers import MARKET_INSPECTION, complete, make_duty
from xuanwen.facilities.tests.helpers import make_facility
from xuanwen.households.tests.helpers import make_household
from xuanwen.indicators.periods import half_period, year_period
from xuanwen.indicators.tests.helpers import make_activity, robot
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.teams.tests.helpers import make_team, make_training
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx
from xuanwen.units.models import Unit

YEAR = year_period(2026)


def township_year(unit: str = Tree.TOWNSHIP_A, tag: str = "") -> None:
    """A year of records in the township and its village (`tag` names a second set apart)."""
    village = Tree.VILLAGE_A if unit == Tree.TOWNSHIP_A else Tree.VILLAGE_B
    show = make_activity(
        unit,
        "文艺演出",
        date(2026, 3, 12),
        title=f"迎春文艺汇演{tag}",
        participants=120,
        audience=1850,
    )
    make_activity(village, "培训", date(2026, 5, 8), participants=35)
    make_activity(village, "培训", date(2026, 9, 20), participants=40)
    coverage_add(
        user=robot(), activity=show, outlet="临海新闻", level="county", date=date(2026, 3, 13)
    )  # the service keeps the tallies the indicator reads
    Award.objects.create(
        activity=show, name="优秀组织奖", level="county", rank="一等", winner_kind="team",
        winner="文化站",
    )  # fmt: skip
    make_facility(unit, "station", name=f"综合文化站{tag}", opened_on=date(2015, 1, 1), area=800)
    house = make_bookhouse(village, name=f"文化社区农家书屋{tag}")
    add_stock(house, 1523)
    add_loan(house)
    make_team(village, members=3, name=f"文化社区秧歌队{tag}")
    make_training(unit, sessions=2, trainees=3)
    make_designation(village, designated_on=date(2026, 6, 1))
    make_household(village, designated_on=date(2026, 4, 1))


def year_of_records() -> Any:
    """Township A's year: its records, a market inspection duty done once of four quarters,
    and a plan item behind (10 activities planned, 3 held); gives the item."""
    with frozen(date(2026, 12, 20)):
        township_year()
        duty = make_duty(robot(), Tree.TOWNSHIP_A, **MARKET_INSPECTION)
        complete(robot(), duty, date(2026, 2, 10))  # Q1 done, Q2–Q4 overdue
        _plan, item = plan_with_item(
            robot(), Tree.TOWNSHIP_A, "activities.count", text="开展群众文化活动",
            target_min=10,
        )  # fmt: skip
    return item


class SummaryTest(BaseTestCase):
    plan_item: ClassVar[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan_item = year_of_records()

    def facts(self, unit: str = Tree.TOWNSHIP_A, period: Any = YEAR) -> Any:
        return summary_facts(Unit.objects.get(code=unit), period, clock.today())

    @frozen(date(2027, 1, 15))
    def test_every_figure_of_the_appendix_is_in_the_docx_and_is_the_apis_value(self) -> None:
        self.client.force_login(self.staff_a)
        query = f"unit={Tree.TOWNSHIP_A}&period=2026"
        r = self.client.get(f"/documents/summary.docx?{query}")
        assert r.status_code == 200
        docx = Document(io.BytesIO(r.content))
        text = "\n".join(p.text for p in docx.paragraphs)
        r = self.client.get(f"/documents/summary-appendix.xlsx?{query}")
        rows = list(read_xlsx(r).active.iter_rows(values_only=True))[2:]
        # The appendix names indicators, not codes: its rows are the facts' figures in order.
        figures = self.facts().figures()
        assert [row[1] for row in rows] == [f.label for f in figures]
        assert {
            "activities.count", "activities.audience", "awards.count", "facilities.count",
            "bookhouses.books", "teams.count", "training.sessions", "designations.new",
            "households.new", "duties.completions", "duties.overdue_periods",
        } <= {f.code for f in figures}  # fmt: skip
        auth = self.bearer(self.staff_a)
        for row, figure in zip(rows, figures, strict=True):
            api = self.client.get(
                f"/api/v1/indicators/{figure.code}/values?unit={Tree.TOWNSHIP_A}&period=2026",
                **auth,
            )
            assert api.status_code == 200, figure.code
            assert row[3] == api.json()["value"], figure.label  # the appendix's value
            assert row[2] in text, (figure.label, row[2])  # as the document states it
        # The seed's forms: counts exact, a big total rounded down with 余.
        assert "共组织开展各类群众文化活动3场次" in text
        assert "藏书1500余册" in text and "观众1800余人次" in text
        assert "一、基本情况" in text and "二、主要工作及成效" in text
        assert "（一）群众文化活动" in text
        assert "1场次活动获媒体报道，获得各类奖项1项。" in text
        assert "其中，文艺演出1场次、培训2场次。" in text
        assert "2026年3月12日，开展“迎春文艺汇演”，临海新闻予以报道，获优秀组织奖一等。" in text
        assert "“开展群众文化活动”计划完成10场次，实际完成3场次，未完成" in text
        assert "常规工作有3期逾期未完成" in text

    @frozen(date(2027, 1, 15))
    def test_the_appendix_lists_every_figure_with_its_records(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/summary-appendix.xlsx?unit={Tree.TOWNSHIP_A}&period=2026")
        assert r.status_code == 200
        rows = list(read_xlsx(r).active.iter_rows(values_only=True))
        assert "工作总结数据附表" in rows[0][0]
        assert rows[1][:4] == ("序号", "数据项", "文中表述", "数值")
        figures = self.facts().figures()
        assert len(rows) == 2 + len(figures)
        by_label = {row[1]: row for row in rows[2:]}
        books = by_label["农家书屋藏书（期末）"]
        assert books[2:5] == ("1500余册", 1523, "册")
        assert books[5] == "农家书屋藏书（期末）" and books[7].startswith("http://testserver/")

    @frozen(date(2027, 1, 15))
    def test_a_township_without_duties_gets_no_duties_paragraph(self) -> None:
        township_year(Tree.TOWNSHIP_B)
        text = "\n".join(summary_text(self.facts(Tree.TOWNSHIP_B)).paragraphs())
        assert "常规工作" not in text
        assert "群众文化活动" in text
        # No plan and nothing overdue: no problems and no next steps either, never boilerplate.
        assert "存在的问题" not in text and "工作打算" not in text

    @frozen(date(2026, 7, 10))
    def test_the_half_year_summary_plans_the_second_half(self) -> None:
        text = "\n".join(summary_text(self.facts(period=half_period(2026, 1))).paragraphs())
        assert text.startswith("古城街道2026年上半年工作总结")
        assert "上半年共组织开展各类群众文化活动2场次" in text
        assert "“开展群众文化活动”计划完成10场次，实际完成3场次，进度落后" in text
        assert "四、下半年工作打算" in text
        assert "继续推进“开展群众文化活动”，确保完成10场次的目标" in text

    @frozen(date(2027, 1, 15))
    def test_queries_do_not_grow_with_the_records(self) -> None:
        unit = Unit.objects.get(code=Tree.TOWNSHIP_A)
        with CaptureQueriesContext(connection) as before:
            summary_text(summary_facts(unit, YEAR, clock.today()))
        township_year(tag="二")
        make_activity(Tree.VILLAGE_A2, "培训", date(2026, 10, 1))
        with self.assertNumQueries(len(before.captured_queries)):
            summary_text(summary_facts(unit, YEAR, clock.today()))

    @frozen(date(2027, 1, 15))
    def test_pages_preview_link_figures_and_keep_to_the_scope(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/summary/?unit={Tree.TOWNSHIP_A}&period=2026")
        assert r.status_code == 200
        body = r.content.decode()
        assert "古城街道2026年工作总结" in body
        assert 'title="活动总次数">3场次</a>' in body
        assert "<code>sections</code>" in body  # the placeholders, listed
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_A}&period=2026")
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
        for url in ("summary/", "summary.docx", "summary-appendix.xlsx"):
            r = self.client.get(f"/documents/{url}?unit={Tree.TOWNSHIP_B}&period=2026")
            assert r.status_code == 404, url
        r = self.client.get("/documents/summary-template.docx")
        assert r.status_code == 200
        assert (
            Document(io.BytesIO(b"".join(r.streaming_content))).paragraphs[0].text == "{{ title }}"
        )
        # A quarter is no summary's period: said on the page, a 404 for a file.
        r = self.client.get(f"/documents/summary/?unit={Tree.TOWNSHIP_A}&period=2026-Q1")
        assert "按年度或半年生成" in r.content.decode()
        r = self.client.get(f"/documents/summary.docx?unit={Tree.TOWNSHIP_A}&period=2026-Q1")
        assert r.status_code == 404


class LayoutTest(BaseTestCase):
    def test_the_template_is_gbt_9704(self) -> None:
        doc = Document(str(build_template.TEMPLATE))
        section = doc.sections[0]
        # In twips, as Word stores them: A4 to the tenth of a millimetre.
        assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
        assert [round(m.mm) for m in (
            section.top_margin, section.bottom_margin, section.left_margin, section.right_margin
        )] == [37, 35, 28, 26]  # fmt: skip

        def east_asia(name: str) -> tuple[str, float]:
            style = doc.styles[name]
            fonts = style.element.rPr.find(qn("w:rFonts"))
            return fonts.get(qn("w:eastAsia")), style.font.size.pt

        assert east_asia(build_template.TITLE) == ("方正小标宋简体", 22)
        assert east_asia(build_template.BODY) == ("仿宋_GB2312", 16)
        assert east_asia(build_template.HEADING) == ("黑体", 16)
        assert east_asia(build_template.SUBHEADING) == ("楷体_GB2312", 16)
        footer = section.footer.paragraphs[0]
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml

    def test_the_committed_template_is_what_the_script_writes(self) -> None:
        written = Document(str(build_template.build(self.tmp_path())))
        committed = Document(str(build_template.TEMPLATE))
        assert [(p.style.name, p.text) for p in written.paragraphs] == [
            (p.style.name, p.text) for p in committed.paragraphs
        ]

    def tmp_path(self) -> Any:
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="xuanwen-docx-"))
        self.addCleanup(__import__("shutil").rmtree, folder, ignore_errors=True)
        return folder / "summary.docx"
