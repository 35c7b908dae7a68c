from datetime import date

from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.households import excel
from xuanwen.households.models import Household
from xuanwen.records.tests.excel import RegisterExcelCase, SheetRows
from xuanwen.testing import Tree, frozen

from .helpers import make_household

IMPORT = reverse("households:import")
EXPORT = reverse("households:export")

# A valid row, cell by cell (keyed by column): a test changes only the cells it is about.
SHEET = SheetRows(
    excel.SHEET,
    {
        "unit": Tree.VILLAGE_A,
        "unit_name": "",
        "kind": "文化大户",
        "head": "张秀兰",
        "speciality": "剪纸",
        "members": 3,
        "member_names": "张秀兰、李建国",
        "level": "县级",
        "designated_on": "2026-03-05",
        "revoked_on": "",
        "note": "",
    },
)
HEADERS = SHEET.headers
row = SHEET.row
xlsx = SHEET.xlsx


@frozen(date(2026, 6, 1))
class ImportTests(RegisterExcelCase):
    app = "households"

    def test_the_template(self) -> None:
        self.client.force_login(self.staff_a)
        book = self.assertImportTemplate(reverse("households:import_template"), "文化户", HEADERS)
        kinds = [c.value for c in book["选项"]["A"][1:]]
        self.assertEqual(kinds[:3], ["文化户", "文化大户", "文化中心户"])
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("households:import_template")).status_code, 403)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)

    def test_a_good_file_saves_every_row(self) -> None:
        rows = [row(), row(unit=Tree.VILLAGE_A2, kind="文化户", head="李建国", members="",
                           level="", designated_on="")]  # fmt: skip
        preview = self.upload(xlsx(rows))
        self.assertContains(preview, "确认导入 2 户")
        self.assertFalse(Household.objects.exists())  # a dry run
        response = self.confirm(preview)
        self.assertRedirects(response, reverse("households:list"))
        zhang = Household.objects.get(head="张秀兰")
        self.assertEqual(
            (zhang.unit_id, zhang.kind.code, zhang.members, zhang.level, zhang.designated_on),
            (Tree.VILLAGE_A, "major", 3, "county", date(2026, 3, 5)),
        )
        li = Household.objects.get(head="李建国")
        self.assertEqual((li.members, li.level, li.designated_on), (1, "", None))
        self.assertEqual(AuditEntry.objects.filter(action=Action.IMPORT).count(), 2)

    def test_one_bad_row_saves_nothing_and_is_named_by_row_and_column(self) -> None:
        make_household(Tree.VILLAGE_A, head="已有户")
        rows = [
            row(),
            row(kind="文化大院", head="甲"),
            row(unit=Tree.VILLAGE_B, head="乙"),
            row(members=0, head="丙"),
            row(level="宇宙级", head="丁"),
            row(head="已有户"),
            row(),  # the same as row 2
            row(designated_on="2026-03-05", revoked_on="2026-01-01", head="戊"),
            row(designated_on="2026-13-01", head="己"),
        ]
        response = self.upload(xlsx(rows))
        self.assertProblems(
            response,
            "第 3 行 第 C 列（类型）：类型只能是：文化户、文化大户、文化中心户。",
            f"第 4 行 第 A 列（单位代码）：单位代码“{Tree.VILLAGE_B}”不存在或不在您的管辖范围内。",
            "第 5 行 第 F 列（参与人数）：参与人数应在 1 至 50 之间。",
            "第 6 行 第 H 列（认定级别）：认定级别只能是：国家级、省级、市级、县级、乡镇级、其他。",
            "第 7 行 第 D 列（户主）：该村（社区）已有同一户主的同类文化户。",
            "第 8 行 第 D 列（户主）：与第 2 行重复：同一村（社区）、同一户主、同一类型。",
            "第 9 行 第 J 列（撤销日期）：撤销日期应晚于认定日期。",
            response.context["problems_shown"][-1],
        )
        self.assertIn("第 10 行 第 I 列（认定日期）", response.context["problems_shown"][-1])
        self.assertEqual(Household.objects.count(), 1)
        self.assertNotIn("token", response.context)


@frozen(date(2026, 6, 1))
class ExportTests(RegisterExcelCase):
    app = "households"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_household(Tree.VILLAGE_A, head="张秀兰", members=3, level="county",
                       designated_on=date(2025, 3, 1))  # fmt: skip
        make_household(Tree.VILLAGE_A2, "centre", head='=HYPERLINK("http://evil")', members=2)
        make_household(Tree.VILLAGE_B, head="王大伯", members=5)

    def test_a_report_with_title_names_and_totals(self) -> None:
        sheet = self.download(EXPORT, self.staff_a)["文化户"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "古城街道 全部时间 文化户名录（制表时间：2026-06-01 10:00）")
        self.assertEqual(rows[1][0], "导出日期：2026-06-01")
        self.assertEqual(rows[2][:4], ("序号", "村（社区）", "类型", "户主"))
        data = rows[3:-1]
        # In the list's order (village, kind, head); township B is out of staff A's scope.
        self.assertEqual([r[3] for r in data], ["张秀兰", '=HYPERLINK("http://evil")'])
        zhang = next(r for r in data if r[3] == "张秀兰")
        # Names, never codes: the village, the kind, the level.
        self.assertEqual((zhang[1], zhang[2], zhang[7]), ("文化社区", "文化大户", "县级"))
        undated = next(r for r in data if r[3] != "张秀兰")
        self.assertEqual(undated[8], "待补日期")
        self.assertEqual(rows[-1][:2], ("合计", "2 户"))
        self.assertEqual(rows[-1][5], 5)
        # A formula typed as a head stays text.
        cell = next(
            c for r in sheet.iter_rows(min_row=4) for c in r if str(c.value).startswith("=")
        )
        self.assertEqual(cell.data_type, "s")

    def test_it_exports_the_filtered_list(self) -> None:
        rows = list(
            self.download(EXPORT, self.supervisor, kind="major")["文化户"].iter_rows(
                values_only=True
            )
        )
        self.assertEqual({r[3] for r in rows[3:-1]}, {"张秀兰", "王大伯"})
        self.assertEqual(rows[-1][5], 8)
