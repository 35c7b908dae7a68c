import io
import os
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xuanwen.activities.excel import COLUMNS, XLSX_MIME, write_export
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.selectors import ActivityFilter, activity_search
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.core.text import pinyin_of
from xuanwen.testing import BaseTestCase, Tree, read_xlsx, sheet_row, temporary_media, xlsx_bytes

from .helpers import make_activity

HEADERS = [c.header for c in COLUMNS]


# A valid row, cell by cell (keyed by column): a test changes only the cells it is about.
ROW: dict[str, Any] = {
    "unit": Tree.VILLAGE_A,
    "unit_name": "",
    "type": "文艺演出",
    "title": "广场文艺演出",
    "start_date": date(2025, 3, 5),
    "end_date": None,
    "place": "文化广场",
    "organisers": "古城街道文化站",
    "co_organisers": "",
    "participants": 30,
    "audience": 200,
    "programmes": None,
    "cost": 1500.5,
    "funding": "财政",
    "description": "",
}


def row(**values: Any) -> list[Any]:
    return sheet_row(COLUMNS, ROW, **values)


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS, title: str = "活动") -> bytes:
    return xlsx_bytes(title, headers, rows)


def many(n: int, year: int = 2025) -> list[list[Any]]:
    units = [Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_A]
    return [
        row(
            unit=units[i % 3],
            title=f"送戏下乡第{i + 1}场",
            start_date=date(year, 1 + i % 12, 1 + i % 28),
        )
        for i in range(n)
    ]


class ExcelTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.media = temporary_media(self)

    def upload(self, content: bytes, user: Any = None, name: str = "活动.xlsx") -> Any:
        if user is not None or "_auth_user_id" not in self.client.session:
            self.client.force_login(user or self.staff_a)
        return self.client.post(
            reverse("activities:import"),
            {"file": SimpleUploadedFile(name, content, content_type=XLSX_MIME)},
        )

    def confirm(self, token: str, user: Any = None) -> Any:
        if user is not None or "_auth_user_id" not in self.client.session:
            self.client.force_login(user or self.staff_a)
        return self.client.post(reverse("activities:import_confirm"), {"token": token})

    def problems(self, response: Any) -> list[str]:
        return [str(p) for p in response.context.get("problems") or []]

    def stashed(self) -> list[str]:
        folder = os.path.join(self.media, "imports")
        return os.listdir(folder) if os.path.isdir(folder) else []


class TemplateTests(ExcelTestCase):
    def test_it_serves_the_template(self) -> None:
        ActivityType.objects.create(name="停用的类型", active=False)
        self.client.force_login(self.staff_a)
        r = self.client.get(reverse("activities:import_template"))
        assert r.status_code == 200
        assert r["Content-Type"] == XLSX_MIME
        assert "attachment" in r["Content-Disposition"]
        book = read_xlsx(r)
        assert book.sheetnames[:3] == ["活动", "填写说明", "单位"]
        sheet = book["活动"]
        assert [c.value for c in sheet[1]] == HEADERS
        assert book["选项"].sheet_state == "hidden"

        # Drop-down lists for the type (active types only) and the funding source.
        lists = {
            str(dv.sqref): dv.formula1
            for dv in sheet.data_validations.dataValidation
            if dv.type == "list"
        }
        assert lists == {"C2:C5001": "活动类型", "N2:N5001": "经费来源"}
        options = book["选项"]
        types = [c.value for c in options["A"][1:] if c.value]
        assert types == list(
            ActivityType.objects.filter(active=True).values_list("name", flat=True)
        )
        assert "停用的类型" not in types
        assert [c.value for c in options["B"][1:] if c.value] == ["财政", "自筹", "赞助", "其他"]
        for name in ("活动类型", "经费来源"):
            ((sheet_name, _cells),) = book.defined_names[name].destinations
            assert sheet_name == "选项"

        # Dates formatted as dates, codes as text.
        assert sheet.column_dimensions["E"].number_format == "yyyy-mm-dd"
        assert sheet.column_dimensions["F"].number_format == "yyyy-mm-dd"
        assert sheet.column_dimensions["A"].number_format == "@"
        kinds = {dv.type for dv in sheet.data_validations.dataValidation}
        assert {"list", "date", "whole", "decimal"} <= kinds

        # The instructions name every column; the units sheet lists only the user's units.
        notes = [c.value for c in book["填写说明"]["A"]]
        assert all(h in notes for h in HEADERS)
        codes = [c.value for c in book["单位"]["A"][1:]]
        assert codes == [Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2]

    def test_a_viewer_gets_no_template_and_no_import(self) -> None:
        self.client.force_login(self.viewer)
        assert self.client.get(reverse("activities:import_template")).status_code == 403
        assert self.client.get(reverse("activities:import")).status_code == 403
        assert (
            self.client.post(reverse("activities:import_confirm"), {"token": "x"}).status_code
            == 403
        )

    def test_the_filled_template_imports(self) -> None:
        self.client.force_login(self.staff_a)
        book = load_workbook(
            io.BytesIO(
                b"".join(self.client.get(reverse("activities:import_template")).streaming_content)
            )
        )
        book["活动"].append(row(title="元宵灯谜会", type="节庆活动"))
        out = io.BytesIO()
        book.save(out)
        r = self.upload(out.getvalue())
        assert r.context["total"] == 1, self.problems(r)
        self.confirm(r.context["token"])
        assert Activity.objects.get().title == "元宵灯谜会"


class ImportTests(ExcelTestCase):
    def test_one_bad_cell_in_1000_rows_saves_nothing_and_is_named(self) -> None:
        rows = many(1000)
        rows[499][HEADERS.index("开始日期")] = "2025-13-45"
        r = self.upload(xlsx(rows))
        assert r.status_code == 200
        assert self.problems(r) == [
            "第 501 行 第 E 列（开始日期）：“2025-13-45”不是有效日期，请按 2025-03-05 的格式填写。"
        ]
        assert "没有导入任何活动" in r.content.decode()
        assert "token" not in r.context or not r.context["token"]
        assert Activity.objects.count() == 0
        assert self.stashed() == []

        # The corrected file: preview, then all 1,000 in one go.
        rows[499][HEADERS.index("开始日期")] = date(2025, 12, 31)
        r = self.upload(xlsx(rows))
        assert self.problems(r) == []
        assert r.context["total"] == 1000
        assert Activity.objects.count() == 0  # a preview saves nothing
        r = self.confirm(r.context["token"])
        assert r.status_code == 302
        assert r["Location"] == reverse("activities:list")
        assert Activity.objects.count() == 1000
        assert Activity.objects.filter(start_date=date(2025, 12, 31)).count() >= 1
        entries = AuditEntry.objects.filter(action=Action.IMPORT)
        assert entries.count() == 1
        entry = entries.get()
        assert entry.after is not None
        assert entry.after["count"] == 1000
        assert entry.after["source"] == "活动.xlsx"
        assert entry.unit_code == Tree.TOWNSHIP_A
        assert entry.actor == self.staff_a
        ids = sorted(Activity.objects.values_list("pk", flat=True))
        assert entry.after["ids"] == [[ids[0], ids[-1]]] and len(ids) == ids[-1] - ids[0] + 1
        assert set(Activity.objects.values_list("created_by", flat=True)) == {self.staff_a.pk}
        assert not Activity.objects.filter(created_at__isnull=True).exists()
        assert AuditEntry.objects.filter(action=Action.CREATE).count() == 0
        assert self.stashed() == []

    def test_the_import_takes_the_same_queries_for_10_or_300_rows(self) -> None:
        counts = []
        self.client.force_login(self.staff_a)
        for n, year in ((10, 2023), (300, 2024)):
            content = xlsx(many(n, year))
            with CaptureQueriesContext(connection) as preview:
                r = self.upload(content)
            assert r.context["total"] == n, self.problems(r)
            with CaptureQueriesContext(connection) as confirm:
                self.confirm(r.context["token"])
            counts.append((len(preview), len(confirm)))
        assert Activity.objects.count() == 310
        assert counts[0] == counts[1]

    def test_it_names_each_kind_of_problem(self) -> None:
        make_activity(Tree.VILLAGE_A, title="已有的活动", start_date=date(2025, 4, 1))
        rows = [
            row(unit="999999999999"),  # 2: no such unit
            row(unit=Tree.VILLAGE_B),  # 3: another township's village
            row(type="杂技"),  # 4: unknown type
            row(start_date="明天"),  # 5: bad date
            row(audience=-5),  # 6: negative audience
            row(start_date=date(2025, 5, 2), end_date=date(2025, 5, 1)),  # 7: end before start
            row(title=None),  # 8: missing title
            row(title="已有的活动", start_date=date(2025, 4, 1)),  # 9: already in the database
            row(title="重复的活动"),  # 10
            row(title="重复的活动"),  # 11: same as row 10
            row(participants="三十"),  # 12: not a number
            row(funding="众筹"),  # 13: unknown funding source
            row(unit_name="井头社区"),  # 14: the name of another unit
            row(title="长" * 201),  # 15: too long
            row(cost="-3", title="经费为负"),  # 16: negative cost
            row(unit="33108200100"),  # 17: 11 digits
        ]
        r = self.upload(xlsx(rows))
        problems = self.problems(r)
        expected = [
            "第 2 行 第 A 列（单位代码）：单位代码“999999999999”不存在或不在您的管辖范围内。",
            f"第 3 行 第 A 列（单位代码）：单位代码“{Tree.VILLAGE_B}”不存在或不在您的管辖范围内。",
            "第 4 行 第 C 列（活动类型）：没有“杂技”这个活动类型。",
            "第 5 行 第 E 列（开始日期）：“明天”不是有效日期",
            "第 6 行 第 K 列（观众人数）：观众人数不能为负数。",
            "第 7 行 第 F 列（结束日期）：结束日期不能早于开始日期。",
            "第 8 行 第 D 列（活动名称）：活动名称不能为空。",
            "第 9 行 第 D 列（活动名称）：同一单位同一天已有同类型、同名称的活动。",
            "第 11 行 第 D 列（活动名称）：与第 10 行重复",
            "第 12 行 第 J 列（参与人数）：“三十”不是整数。",
            "第 13 行 第 N 列（经费来源）：经费来源只能是：财政、自筹、赞助、其他。",
            "第 14 行 第 B 列（单位名称(可选)）：与单位代码不符",
            "第 15 行 第 D 列（活动名称）：活动名称不能超过 200 个字。",
            "第 16 行 第 M 列（经费（元））：经费不能为负数。",
            "第 17 行 第 A 列（单位代码）：单位代码应为 6、9 或 12 位数字。",
        ]
        for text in expected:
            assert any(p.startswith(text) for p in problems), (text, problems)
        assert len(problems) == len(expected), "\n".join(problems)
        assert Activity.objects.count() == 1

    def test_rows_outside_the_scope_are_rejected(self) -> None:
        for user, code in (
            (self.staff_a, Tree.VILLAGE_B),
            (self.staff_a, Tree.OTHER_COUNTY),
            (self.keeper, Tree.VILLAGE_A2),
        ):
            r = self.upload(xlsx([row(), row(unit=code, title="别人的活动")]), user=user)
            assert self.problems(r) == [
                f"第 3 行 第 A 列（单位代码）：单位代码“{code}”不存在或不在您的管辖范围内。"
            ], user
        assert Activity.objects.count() == 0

    def test_a_supervisor_may_read_but_not_import(self) -> None:
        self.client.force_login(self.supervisor)
        assert self.client.get(reverse("activities:import")).status_code == 403

    def test_it_reads_the_usual_ways_of_writing_cells(self) -> None:
        rows = [
            row(
                unit=int("331082001000"),  # a township in the 12-digit form, typed as a number
                title="元宵灯谜会",
                start_date="2025年2月12日",
                end_date="2025/2/13",
                participants="1,200人",
                audience=3000.0,
                cost="1,200.50元",
                funding="自筹",
            ),
            row(
                title="国庆文艺汇演",
                start_date=datetime(2025, 10, 1, 19, 30),  # noqa: DTZ001 (a cell's value)
                cost=None,
                funding=None,
            ),
            row(
                title="重阳敬老",
                start_date=20251029,
                participants=None,
                audience="",
                cost=0.1 + 0.2,
            ),
        ]
        r = self.upload(xlsx(rows))
        assert self.problems(r) == []
        self.confirm(r.context["token"])
        a = Activity.objects.get(title="元宵灯谜会")
        assert (a.unit_id, a.start_date, a.end_date) == (
            Tree.TOWNSHIP_A,
            date(2025, 2, 12),
            date(2025, 2, 13),
        )
        assert (a.participants, a.audience, a.cost, a.funding) == (
            1200,
            3000,
            Decimal("1200.50"),
            "self",
        )
        b = Activity.objects.get(title="国庆文艺汇演")
        assert (b.start_date, b.end_date, b.cost, b.funding) == (
            date(2025, 10, 1),
            date(2025, 10, 1),
            None,
            "",
        )
        c = Activity.objects.get(title="重阳敬老")
        assert (c.start_date, c.participants, c.audience, c.cost) == (
            date(2025, 10, 29),
            0,
            0,
            Decimal("0.30"),
        )

    def test_text_that_looks_like_a_formula_is_kept_as_text(self) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "活动"
        sheet.append(HEADERS)
        sheet.append(row(title="x", start_date=45000))  # a date cell left in General format
        sheet["D2"].value = '=HYPERLINK("http://x")'
        sheet["D2"].data_type = "s"  # typed as '=HYPERLINK(…) in Excel
        out = io.BytesIO()
        book.save(out)
        r = self.upload(out.getvalue())
        self.confirm(r.context["token"])
        a = Activity.objects.get()
        assert (a.title, a.start_date) == ('=HYPERLINK("http://x")', date(2023, 3, 15))

    def test_imported_titles_are_searchable_by_pinyin(self) -> None:
        r = self.upload(
            xlsx([row(title=" 农家书屋阅读推广 ", place=" 书屋 "), row(title="银行重庆长安行")])
        )
        self.confirm(r.context["token"])
        for a in Activity.objects.all():
            full, initials = pinyin_of(a.title)
            assert a.search_pinyin == f"{full} {initials}"
        assert Activity.objects.filter(title="农家书屋阅读推广", place="书屋").exists()
        found = activity_search(self.staff_a, ActivityFilter(text="njsw"))
        assert [a.title for a in found] == ["农家书屋阅读推广"]

    def test_it_names_wrong_headers(self) -> None:
        headers = [h for h in HEADERS if h != "活动名称"] + ["备注"]
        r = self.upload(xlsx([row()[:-1]], headers=headers))
        assert self.problems(r) == [
            "第 1 行：缺少“活动名称”列。",
            f"第 1 行 第 {chr(ord('A') + len(headers) - 1)} 列（备注）：无法识别的列名。"
            + "请使用导入模板的列名："
            + "、".join(HEADERS)
            + "。",
        ]

    def test_headers_may_differ_in_brackets_and_spaces(self) -> None:
        headers = [
            "单位代码",
            "单位名称",
            "活动类型",
            " 活动名称 ",
            "开始日期",
            "结束日期",
            "地点",
            "主办单位",
            "联办单位",
            "参与人数",
            "观众人数",
            "节目数",
            "经费(元)",
            "经费来源",
            "内容简介",
        ]
        r = self.upload(xlsx([row()], headers=headers))
        assert r.context["total"] == 1, self.problems(r)

    def test_it_refuses_what_is_not_an_xlsx(self) -> None:
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as archive:
            archive.writestr("a.txt", "hello")
        for content in (
            b"\xd0\xcf\x11\xe0 an old xls",
            b"unit,title\n1,2\n",
            zipped.getvalue(),
            b"",
        ):
            r = self.upload(content, name="活动.xlsx")
            assert r.status_code == 200
            assert r.context["error"], content
            assert "token" not in r.context
        assert self.stashed() == []

    def test_it_refuses_a_file_over_the_limit(self) -> None:
        with override_settings(UPLOAD_MAX_MB=0):
            r = self.upload(xlsx([row()]))
        assert "文件太大" in r.context["error"]

    def test_the_token_belongs_to_its_user_and_works_once(self) -> None:
        r = self.upload(xlsx([row()]))
        token = r.context["token"]
        other = self.confirm(token, user=self.keeper)
        assert "预览已过期" in other.context["error"]
        tampered = self.confirm(token[:-2] + "xx", user=self.staff_a)
        assert "预览已过期" in tampered.context["error"]
        assert Activity.objects.count() == 0
        assert self.confirm(token).status_code == 302
        again = self.confirm(token)
        assert "预览已过期" in again.context["error"]
        assert Activity.objects.count() == 1

    def test_a_duplicate_entered_after_the_preview_is_still_caught(self) -> None:
        r = self.upload(xlsx([row(title="抢先登记的活动"), row(title="另一项")]))
        make_activity(Tree.VILLAGE_A, title="抢先登记的活动", start_date=date(2025, 3, 5))
        r = self.confirm(r.context["token"])
        assert r.status_code == 200
        assert self.problems(r) == [
            "第 2 行 第 D 列（活动名称）：同一单位同一天已有同类型、同名称的活动。"
        ]
        assert Activity.objects.count() == 1
        assert self.stashed() == []


class ExportTests(ExcelTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = make_activity(
            Tree.VILLAGE_A, title="=1+1", place="+cmd|' /C calc'!A0", organisers="@SUM(1)"
        )
        make_activity(Tree.TOWNSHIP_A, title="古城街道活动", start_date=date(2025, 6, 1))
        make_activity(Tree.TOWNSHIP_B, title="大洋街道活动")
        make_activity(Tree.VILLAGE_B, title="府东社区活动")
        make_activity(Tree.OTHER_COUNTY, title="温岭市活动")

    def export(self, user: Any, **params: str) -> Any:
        self.client.force_login(user)
        r = self.client.get(reverse("activities:export"), params)
        assert r.status_code == 200
        assert r["Content-Type"] == XLSX_MIME
        content = b"".join(r.streaming_content)
        return content, load_workbook(io.BytesIO(content))

    def titles(self, book: Any) -> set[str]:
        """The activity names of the report's rows (between the header and the totals)."""
        rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
        return {r[2] for r in rows[:-1]}

    def test_it_exports_only_the_filtered_rows_in_scope(self) -> None:
        _, book = self.export(self.supervisor, unit=Tree.TOWNSHIP_B)
        assert self.titles(book) == {"大洋街道活动", "府东社区活动"}
        _, book = self.export(self.staff_b)
        assert self.titles(book) == {"大洋街道活动", "府东社区活动"}
        # A unit outside the scope filters nothing in: it means "all of mine", as on the list.
        _, book = self.export(self.staff_a, unit=Tree.TOWNSHIP_B)
        assert self.titles(book) == {"=1+1", "古城街道活动"}
        _, book = self.export(self.staff_a, start="2025-05-01", end="2025-12-31")
        assert self.titles(book) == {"古城街道活动"}
        _, book = self.export(self.supervisor)
        assert "温岭市活动" not in self.titles(book)
        assert len(self.titles(book)) == 4
        headers = [c.value for c in book.worksheets[0][2]]
        assert headers[:3] == ["单位", "活动类型", "活动名称"]
        assert "单位代码" not in headers

    def test_formulas_are_neutralised(self) -> None:
        content, book = self.export(self.staff_a, q="=1+1")
        sheet = book.worksheets[0]
        title, place, organisers = sheet["C3"], sheet["F3"], sheet["G3"]
        for cell, text in ((title, "=1+1"), (place, "+cmd|' /C calc'!A0"), (organisers, "@SUM(1)")):
            assert cell.value == text
            assert cell.data_type == "s"
            assert cell.quotePrefix
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml

    def test_the_data_export_round_trips_through_the_import(self) -> None:
        records = activity_search(self.staff_a, ActivityFilter(unit=""))
        content = io.BytesIO()
        write_export(records, content)
        r = self.upload(content.getvalue())
        # Everything is already there: every row is named as a duplicate, nothing is saved.
        problems = self.problems(r)
        assert len(problems) == 2
        assert all("同一单位同一天已有同类型、同名称的活动" in p for p in problems)

    def test_the_export_takes_the_same_queries_for_more_rows(self) -> None:
        self.client.force_login(self.supervisor)
        with CaptureQueriesContext(connection) as few:
            b"".join(self.client.get(reverse("activities:export")).streaming_content)
        for i in range(30):
            make_activity(Tree.VILLAGE_A2, title=f"活动{i}")
        with CaptureQueriesContext(connection) as more:
            b"".join(self.client.get(reverse("activities:export")).streaming_content)
        assert len(few) == len(more)


class BrokenFileTests(ExcelTestCase):
    def test_a_damaged_workbook_is_named_not_a_crash(self) -> None:
        source = zipfile.ZipFile(io.BytesIO(xlsx([row()])))
        broken = io.BytesIO()
        with zipfile.ZipFile(broken, "w") as archive:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data[: len(data) // 2]  # cut off in the middle of the rows
                archive.writestr(info, data)
        r = self.upload(broken.getvalue())
        assert r.status_code == 200
        assert self.problems(r) == [
            "无法读取该文件。请用 Excel 或 WPS 打开，另存为 .xlsx 后重新上传。"
        ]
        assert self.stashed() == []
