from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.opening.excel import facility_label
from xuanwen.opening.models import OpeningLog
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx, xlsx_upload

from .helpers import log, make_facility

HEADERS = ["阵地", "日期", "开放时长（小时）", "接待人次", "备注"]  # a file without times reads
TEMPLATE_HEADERS = ["阵地", "日期", "开始时间", "结束时间", "开放时长（小时）", "接待人次", "备注"]


def sheet(rows: list[list[object]]) -> SimpleUploadedFile:
    return xlsx_upload("开放.xlsx", "开放登记", HEADERS, rows)


class ExcelTests(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(frozen(date(2026, 11, 27)))
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        self.other = make_facility(Tree.TOWNSHIP_B, name="大洋街道综合文化站")
        self.client.force_login(self.staff_a)

    def test_the_template_has_a_facility_list_and_instructions(self) -> None:
        book = self.assertImportTemplate(
            reverse("opening:import_template"), "开放登记", TEMPLATE_HEADERS
        )
        ws = book["开放登记"]
        assert any(dv.type == "list" for dv in ws.data_validations.dataValidation)
        options = [c.value for c in book["选项"]["A"] if c.value]
        assert facility_label(self.station) in options
        assert all("大洋" not in str(o) for o in options)

    def test_problems_are_named_by_row_and_column_and_nothing_is_imported(self) -> None:
        upload = sheet(
            [
                [facility_label(self.station), "2026-03-09", 3.5, 10, ""],
                [str(self.other.pk), "2026-03-10", 3, 0, ""],
                [facility_label(self.station), "2026-13-01", "三", 0, ""],
                [facility_label(self.station), "2026-03-09", 0, 0, ""],
            ]
        )
        r = self.client.post(reverse("opening:import"), {"file": upload})
        problems = r.context["problems_shown"]
        assert (
            f"第 3 行 第 A 列（阵地）：阵地编号 {self.other.pk} 不存在或不在您的管辖范围内。"
            in problems
        )
        assert any(p.startswith("第 4 行 第 B 列（日期）") for p in problems)
        assert any(p.startswith("第 4 行 第 C 列（开放时长（小时）") for p in problems)
        assert not OpeningLog.objects.exists()
        upload = sheet(
            [
                [facility_label(self.station), "2026-03-09", 3.5, 10, ""],
                [facility_label(self.station), "2026-03-09", 0, 0, ""],
            ]
        )
        r = self.client.post(reverse("opening:import"), {"file": upload})
        problems = r.context["problems_shown"]
        assert any(
            "第 3 行 第 C 列（开放时长（小时））：开放时长应大于 0 小时" in p for p in problems
        )
        assert any("与第 2 行重复" in p for p in problems)
        assert not OpeningLog.objects.exists()

    def test_preview_then_import_everything(self) -> None:
        log(self.station, date(2026, 3, 9), "1")
        upload = sheet(
            [
                [facility_label(self.station), "2026-03-09", 3.5, 10, "周一"],
                [self.station.pk, "2026年3月11日", "3", "8人", ""],
            ]
        )
        r = self.client.post(reverse("opening:import"), {"file": upload})
        assert "total" in r.context, (r.context.get("problems_shown"), r.context.get("error"))
        assert r.context["total"] == 2
        assert OpeningLog.objects.count() == 1  # the preview saves nothing
        r = self.client.post(reverse("opening:import_confirm"), {"token": r.context["token"]})
        assert r.status_code == 302
        days = dict(OpeningLog.objects.values_list("date", "hours"))
        assert days == {date(2026, 3, 9): Decimal("3.5"), date(2026, 3, 11): Decimal("3")}
        entry = AuditEntry.objects.get(action=Action.IMPORT)
        assert entry.after == {
            "created": 1,
            "updated": 1,
            "source": "开放.xlsx",
            "ids": entry.after["ids"],
        }
        assert "导入开放登记 2 条" in entry.object_repr

        OpeningLog.objects.filter(date=date(2026, 3, 11)).update(note="=1+1")
        r = self.client.get(reverse("opening:export"))
        book = read_xlsx(r)
        ws = book.worksheets[0]
        assert [c.value for c in ws[2]][:3] == ["单位", "阵地", "日期"]
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        assert len(rows) == 3  # two logs and the totals
        assert rows[-1][0] == "合计"
        note = next(c for c in ws["G"] if c.value == "=1+1")  # after 日期 and 时间
        assert note.data_type == "s" and note.quotePrefix  # shown as typed, never evaluated

    def test_readers_may_not_import(self) -> None:
        self.client.force_login(self.viewer)
        assert self.client.get(reverse("opening:import")).status_code == 403
        assert self.client.get(reverse("opening:import_template")).status_code == 403
        assert self.client.get(reverse("opening:export")).status_code == 200
