"""Excel imports of training classes (each one 培训 activity, as on the page) and honours."""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.services import ActivityData, activity_create
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.teams.excel import export_honours
from xuanwen.teams.filters import honour_filters
from xuanwen.teams.models import Honour, TrainingClass, TrainingSession
from xuanwen.testing import BaseTestCase, Tree, read_xlsx

from .helpers import make_honour, make_person, make_team, make_training
from .test_excel import xlsx

CLASS_HEAD = [
    "单位代码", "培训班名称", "授课老师", "开始日期", "结束日期", "地点", "课次日期",
    "每次课时（小时）",
]  # fmt: skip
HONOUR_HEAD = ["单位代码", "授予对象", "获得者", "荣誉名称", "级别", "年份", "授予单位"]


class TrainingImportTests(BaseTestCase):
    def test_template_has_instructions_and_date_checks(self) -> None:
        self.client.force_login(self.staff_a)
        for url in ("/training/import/template.xlsx", "/honours/import/template.xlsx"):
            book = read_xlsx(self.client.get(url))
            assert book.sheetnames[:3] == [book.sheetnames[0], "填写说明", "单位"]
            assert book.worksheets[0].data_validations.dataValidation
        book = read_xlsx(self.client.get("/training/import/template.xlsx"))
        assert [c.value for c in book["培训班"][1]][7:9] == ["课次日期", "每次课时（小时）"]
        help_text = " ".join(str(c.value) for r in book["填写说明"].iter_rows() for c in r)
        assert "2026-03-02、2026-03-09" in help_text and "培训”活动" in help_text
        honours = read_xlsx(self.client.get("/honours/import/template.xlsx"))
        options = honours["选项"]
        assert [c.value for c in options["A"]][:4] == ["授予对象", "单位", "个人", "队伍"]
        assert "国家级" in [c.value for c in options["B"]]
        self.client.force_login(self.viewer)
        assert self.client.get("/training/import/template.xlsx").status_code == 403
        assert self.client.get("/honours/import/").status_code == 403
        assert self.client.post("/training/import/confirm/", {"token": "x"}).status_code == 403

    def test_bad_cells_are_named_and_nothing_is_saved_then_the_corrected_file_imports(
        self,
    ) -> None:
        make_training(Tree.TOWNSHIP_A, title="旧班", start_date=date(2026, 1, 5))
        self.client.force_login(self.staff_a)
        bad = xlsx("培训班", CLASS_HEAD, [
            [Tree.TOWNSHIP_A, "文艺骨干培训班", "王老师", "2026-03-10", "2026-03-20", "文化站",
             "2026-03-10、2026-03-17", 2],
            [Tree.VILLAGE_A, "广场舞班", "", "2026-04-01", "2026-03-01", "", "", ""],
            [Tree.TOWNSHIP_A, "摄影班", "", "2026-05-01", "2026-05-31", "", "2026-06-02", 2],
            [Tree.TOWNSHIP_A, "书法班", "", "2026-05-01", "2026-05-31", "", "2026-05-3x", ""],
            [Tree.TOWNSHIP_A, "剪纸班", "", "2026-05-01", "2026-05-31", "", "2026-05-06", ""],
            [Tree.TOWNSHIP_A, "旧班", "", "2026-01-05", "2026-01-05", "", "", ""],
            [Tree.TOWNSHIP_B, "邻镇班", "", "2026-05-01", "2026-05-01", "", "", ""],
            [Tree.TOWNSHIP_A, "文艺骨干培训班", "", "2026-03-10", "2026-03-10", "", "", ""],
        ])  # fmt: skip
        r = self.client.post("/training/import/", {"file": bad})
        page = r.content.decode()
        assert "第 3 行 第 E 列（结束日期）：结束日期不能早于开始日期。" in page
        assert "第 4 行 第 G 列（课次日期）：2026-06-02：课次日期应在培训班的起止日期" in page
        assert "第 5 行 第 G 列（课次日期）：“2026-05-3x”不是有效日期" in page
        assert "第 6 行 第 H 列（每次课时（小时））：填写了课次日期时，每次课时不能为空。" in page
        assert "第 7 行 第 B 列（培训班名称）：本单位已有同名、同开始日期的培训班。" in page
        assert (
            f"第 8 行 第 A 列（单位代码）：单位代码“{Tree.TOWNSHIP_B}”不存在或不在您的管辖范围内。"
            in page
        )
        assert "第 9 行 第 B 列（培训班名称）：与第 2 行重复。" in page
        assert TrainingClass.objects.count() == 1 and not TrainingSession.objects.exists()

        # The station recorded one of them as an activity already: the class links it.
        recorded = activity_create(
            user=self.staff_a,
            data=ActivityData(
                unit=self.units[Tree.VILLAGE_A], type=ActivityType.objects.get(name="培训"),
                title="广场舞班", start_date=date(2026, 4, 1), end_date=date(2026, 4, 1),
                participants=30,
            ),
        )  # fmt: skip
        good = xlsx("培训班", CLASS_HEAD, [
            [Tree.TOWNSHIP_A, "文艺骨干培训班", "王老师", "2026-03-10", "2026-03-20", "文化站",
             "2026-03-10、2026-03-17", 2],
            [Tree.VILLAGE_A, "广场舞班", "", "2026-04-01", "2026-04-30", "广场", "", ""],
        ])  # fmt: skip
        r = self.client.post("/training/import/", {"file": good})
        assert "确认导入 2 条" in r.content.decode()
        assert TrainingClass.objects.count() == 1  # the preview saves nothing
        r = self.client.post("/training/import/confirm/", {"token": r.context["token"]})
        self.assertRedirects(r, "/training/")
        tc = TrainingClass.objects.get(title="文艺骨干培训班")
        assert (tc.trainer, tc.place) == ("王老师", "文化站")
        assert list(tc.sessions.values_list("date", "hours")) == [
            (date(2026, 3, 10), Decimal("2.0")),
            (date(2026, 3, 17), Decimal("2.0")),
        ]
        # Each class is one 培训 activity, exactly as on the page: made, or linked.
        assert tc.activity is not None and tc.activity.type.name == "培训"
        assert (tc.activity.title, tc.activity.unit_id) == ("文艺骨干培训班", Tree.TOWNSHIP_A)
        square = TrainingClass.objects.get(title="广场舞班")
        assert square.activity_id == recorded.pk and square.place == "广场"
        assert Activity.objects.filter(type__name="培训").count() == 2
        assert (
            AuditEntry.objects.filter(
                model="teams.trainingclass", action=Action.CREATE, actor=self.staff_a
            ).count()
            == 2
        )

        make_training(Tree.TOWNSHIP_A, title="公式班", place="=1+1")
        ws = read_xlsx(self.client.get("/training/export.xlsx")).active
        place = next(row for row in ws.iter_rows(min_row=3) if row[1].value == "公式班")[5]
        assert place.value == "=1+1" and place.data_type == "s"


class HonourImportTests(BaseTestCase):
    def test_honours_by_holder_name_all_or_nothing(self) -> None:
        person = make_person(Tree.VILLAGE_A, name="王大妈")
        team = make_team(Tree.TOWNSHIP_A, name="古城秧歌队")
        make_person(Tree.VILLAGE_A, name="同名") and make_person("331082001002", name="同名")
        make_person(Tree.TOWNSHIP_B, name="邻镇人")
        make_honour(Tree.TOWNSHIP_A, name="先进集体", year=2025)
        self.client.force_login(self.staff_a)
        bad = xlsx("荣誉", HONOUR_HEAD, [
            [Tree.TOWNSHIP_A, "个人", "王大妈", "优秀文艺骨干", "县级", 2025, "县文广局"],
            [Tree.TOWNSHIP_A, "个人", "同名", "优秀志愿者", "县级", 2025, ""],
            [Tree.TOWNSHIP_A, "个人", "邻镇人", "优秀志愿者", "县级", 2025, ""],
            [Tree.TOWNSHIP_A, "队伍", "", "优秀团队", "市级", 2025, ""],
            [Tree.TOWNSHIP_A, "单位", "", "先进集体", "县级", 2025, ""],
            [Tree.TOWNSHIP_A, "单位", "", "文明单位", "宇宙级", "", ""],
            [Tree.TOWNSHIP_B, "单位", "", "先进集体", "县级", 2025, ""],
        ])  # fmt: skip
        page = self.client.post("/honours/import/", {"file": bad}).content.decode()
        assert "第 3 行 第 C 列（获得者）：“同名”在本单位及下级有多个同名人员" in page
        assert "第 4 行 第 C 列（获得者）：“古城街道”及下级单位中没有名为“邻镇人”的人员。" in page
        assert "第 5 行 第 C 列（获得者）：请填写获得荣誉的个人姓名或队伍名称。" in page
        assert "第 6 行 第 D 列（荣誉名称）：已有同一获得者同年的同名荣誉。" in page
        assert "第 7 行 第 E 列（级别）：级别只能是：国家级" in page
        assert "第 7 行 第 F 列（年份）：不能为空。" in page
        assert f"第 8 行 第 A 列（单位代码）：单位代码“{Tree.TOWNSHIP_B}”不存在" in page
        assert Honour.objects.count() == 1

        good = xlsx("荣誉", HONOUR_HEAD, [
            [Tree.TOWNSHIP_A, "个人", "王大妈", "优秀文艺骨干", "县级", 2025, "县文广局"],
            [Tree.TOWNSHIP_A, "队伍", "古城秧歌队", "优秀团队", "市级", 2024, "县文联"],
            [Tree.VILLAGE_A, "单位", "", "文明村", "乡镇级", 2025, ""],
        ])  # fmt: skip
        r = self.client.post("/honours/import/", {"file": good})
        self.assertProblems(r)
        r = self.client.post("/honours/import/confirm/", {"token": r.context["token"]})
        self.assertRedirects(r, "/honours/")
        mine = Honour.objects.get(name="优秀文艺骨干")
        # A person's honour is their unit's record.
        assert (mine.person, mine.unit_id, mine.level) == (person, Tree.VILLAGE_A, "county")
        assert Honour.objects.get(name="优秀团队").team == team
        assert Honour.objects.get(name="文明村").holder_kind == "unit"

        # The export reads back: the same rows are now duplicates, not new honours.
        make_honour(Tree.TOWNSHIP_A, name="公式", awarded_by="=1+1")
        book = read_xlsx(self.client.get("/honours/export.xlsx"))
        awarded = [row[8] for row in book.active.iter_rows(min_row=3) if row[3].value == "公式"]
        assert awarded[0].value == "=1+1" and awarded[0].data_type == "s"
        out = io.BytesIO()  # the data export, in the template's columns
        export_honours(honour_filters(self.staff_a, {}).qs, out)
        again = SimpleUploadedFile("荣誉.xlsx", out.getvalue())
        page = self.client.post("/honours/import/", {"file": again}).content.decode()
        assert page.count("已有同一获得者同年的同名荣誉。") == 5

    def test_out_of_scope_holders_and_units_are_refused(self) -> None:
        make_person(Tree.TOWNSHIP_B, name="邻镇人")
        self.client.force_login(self.keeper)
        bad = xlsx("荣誉", HONOUR_HEAD, [
            [Tree.TOWNSHIP_A, "单位", "", "先进集体", "县级", 2025, ""],
            [Tree.VILLAGE_A, "个人", "邻镇人", "优秀志愿者", "县级", 2025, ""],
        ])  # fmt: skip
        page = self.client.post("/honours/import/", {"file": bad}).content.decode()
        assert (
            f"第 2 行 第 A 列（单位代码）：单位代码“{Tree.TOWNSHIP_A}”不存在或不在您的管辖范围内"
            in page
        )
        assert "第 3 行 第 C 列（获得者）：“文化社区”及下级单位中没有名为“邻镇人”的人员。" in page
        assert not Honour.objects.exists()
