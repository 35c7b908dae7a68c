"""Next year's plan drafted from this year's: carried over, years and dates moved by one in
every part of the text, this year's unmet targets marked "（上年未完成）" (which names no year)."""

import io
from datetime import date

from docx import Document

from xuanwen.documents.planning import UNMET_MARK, moved
from xuanwen.indicators.tests.helpers import make_activity, robot
from xuanwen.plans import services
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree, frozen


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [p.text for s in doc.sections for p in s.footer.paragraphs + s.header.paragraphs]
    return "\n".join(parts)


class MovedTest(BaseTestCase):
    def test_years_move_and_other_numbers_stay(self) -> None:
        assert moved("2026年工作计划") == "2027年工作计划"
        assert moved("在2025年基础上，2026-03-01前完成，2026.6底验收") == (
            "在2026年基础上，2027-03-01前完成，2027.6底验收"
        )
        # The year before the source's is the draft's 上年, not the source's own year.
        assert moved("在2025年基础上，2024年以来", source=2026) == "在上年基础上，2025年以来"
        assert moved("二〇二五年", source=2026) == "上年"
        assert moved("二〇二六年计划") == "二〇二七年计划"
        assert moved("组织2000人参加，藏书19500余册，20260场") == (
            "组织2000人参加，藏书19500余册，20260场"
        )


class PlanDraftTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with frozen(date(2026, 3, 1)):
            plan, _item = plan_with_item(
                robot(), Tree.TOWNSHIP_A, "activities.count", text="开展群众文化活动",
                target_min=10, deadline=date(2026, 12, 31), owner="李站长",
            )  # fmt: skip
            section = plan.sections.get()
            services.item_create(
                user=robot(), section=section,
                data=services.ItemData(
                    text="举办培训", indicator="activities.count", target_min=1,
                    deadline=date(2026, 6, 30),
                ),
            )  # fmt: skip
            services.section_create(user=robot(), plan=plan, title="2026年重点项目")
            services.plan_update(
                user=robot(), plan=plan, title="古城街道2026年文化工作计划",
                preamble="为做好2026年全街道文化工作，在2025年基础上，特制定本计划。",
            )  # fmt: skip
        make_activity(Tree.TOWNSHIP_A, "文艺演出", date(2026, 4, 2))
        make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 5, 2))

    @frozen(date(2027, 1, 10))
    def test_the_draft_moves_every_year_and_marks_the_unmet_target(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/plan-draft.docx?unit={Tree.TOWNSHIP_A}&period=2026")
        assert r.status_code == 200
        text = docx_text(r.content)
        assert "2026" not in text  # not even in a marker: it says 上年
        assert text.startswith("古城街道2027年文化工作计划")
        assert "为做好2027年全街道文化工作，在上年基础上，特制定本计划。" in text
        assert "一、重点工作" in text and "二、2027年重点项目" in text
        # 2 of 10 activities: missed and marked; the training (1 of 1) met, not marked.
        assert (
            f"1.开展群众文化活动，目标不少于10场次，完成期限2027年12月31日，责任人：李站长。{UNMET_MARK}"
            in text
        )
        assert "2.举办培训，目标不少于1场次，完成期限2027年6月30日。\n" in text + "\n"
        assert text.count(UNMET_MARK) == 1
        assert "2027年1月10日" in text
        # The API gives the same draft.
        auth = self.bearer(self.staff_a)
        r = self.client.get(f"/api/v1/documents/plan?unit={Tree.TOWNSHIP_A}&period=2026", **auth)
        assert r.status_code == 200 and docx_text(r.content) == text

    @frozen(date(2026, 12, 20))
    def test_written_in_december_the_date_is_left_blank(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/plan-draft.docx?unit={Tree.TOWNSHIP_A}&period=2026")
        text = docx_text(r.content)
        assert "2026" not in text and "年　月　日" in text
        # Still in December the target is behind, not yet missed: marked all the same.
        assert text.count(UNMET_MARK) == 1

    @frozen(date(2027, 1, 10))
    def test_no_plan_or_no_year_is_a_404_and_another_county_too(self) -> None:
        self.client.force_login(self.staff_b)
        r = self.client.get(f"/documents/plan-draft.docx?unit={Tree.TOWNSHIP_B}&period=2026")
        assert r.status_code == 404
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/documents/plan-draft.docx?unit={Tree.TOWNSHIP_A}&period=2026-H1")
        assert r.status_code == 404
        self.client.force_login(self.outsider)
        r = self.client.get(f"/documents/plan-draft.docx?unit={Tree.TOWNSHIP_A}&period=2026")
        assert r.status_code == 404
