"""Excel: templates, all-or-nothing imports of people and teams, exports of every list."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xuanwen.teams.models import Person, Team
from xuanwen.testing import BaseTestCase, Tree, read_xlsx, xlsx_upload

from .helpers import make_honour, make_person, make_team, make_training

PEOPLE_HEAD = ["单位代码", "姓名", "性别", "出生年份", "电话", "特长"]
TEAM_HEAD = ["单位代码", "队伍名称", "类别", "负责人", "队员", "成立日期", "正常活动"]


def xlsx(sheet: str, head: list[str], rows: list[list[Any]]) -> SimpleUploadedFile:
    return xlsx_upload("名单.xlsx", sheet, head, rows)


class ImportTests(BaseTestCase):
    def test_template_has_dropdowns_and_instructions(self) -> None:
        self.client.force_login(self.staff_a)
        for kind in ("people", "teams"):
            book = read_xlsx(self.client.get(f"/{kind}/import/template.xlsx"))
            assert "填写说明" in book.sheetnames and "单位" in book.sheetnames
            assert book.worksheets[0].data_validations.dataValidation
        self.client.force_login(self.viewer)
        assert self.client.get("/people/import/template.xlsx").status_code == 403

    def test_people_import_is_all_or_nothing_with_every_problem_named(self) -> None:
        make_person(Tree.VILLAGE_A, name="张三", birth_year=1960)
        self.client.force_login(self.staff_a)
        bad = xlsx("人员", PEOPLE_HEAD, [
            [Tree.VILLAGE_A, "李四", "男", 1970, "138", "唢呐"],
            [Tree.VILLAGE_A, "张三", "", 1960, "", ""],
            [Tree.TOWNSHIP_B, "王五", "", "", "", ""],
            [Tree.TOWNSHIP_A, "赵六", "不详", "七十", "", ""],
        ])  # fmt: skip
        page = self.client.post("/people/import/", {"file": bad}).content.decode()
        assert "第 3 行 第 B 列（姓名）：本单位已有同名、同出生年份的人员。" in page
        assert (
            f"第 4 行 第 A 列（单位代码）：单位代码“{Tree.TOWNSHIP_B}”不存在或不在您的管辖范围内。"
            in page
        )
        assert "第 5 行 第 C 列（性别）" in page and "第 5 行 第 D 列（出生年份）" in page
        assert Person.objects.count() == 1

        good = xlsx("人员", PEOPLE_HEAD, [
            [Tree.VILLAGE_A, "李四", "男", 1970, "13800000000", "唢呐"],
            [Tree.TOWNSHIP_A, "赵六", "女", "", "", "+1+1"],
        ])  # fmt: skip
        r = self.client.post("/people/import/", {"file": good})
        token = r.context["token"]
        assert "确认导入 2 条" in r.content.decode()
        assert Person.objects.count() == 1  # the preview saves nothing
        r = self.client.post("/people/import/confirm/", {"token": token})
        self.assertRedirects(r, "/people/")
        assert set(Person.objects.values_list("name", flat=True)) == {"张三", "李四", "赵六"}
        # The token is spent.
        r = self.client.post("/people/import/confirm/", {"token": token})
        assert "预览已过期" in r.content.decode()

    def test_teams_import_with_members_by_name(self) -> None:
        leader = make_person(Tree.TOWNSHIP_A, name="王大妈")
        self.client.force_login(self.staff_a)
        good = xlsx("队伍", TEAM_HEAD, [
            [Tree.TOWNSHIP_A, "古城秧歌队", "秧歌队", "王大妈", "甲、乙，丙", "2008-03-01", "是"],
            [Tree.VILLAGE_A, "文化社区锣鼓队", "锣鼓队", "", "丁", "", "否"],
        ])  # fmt: skip
        r = self.client.post("/teams/import/", {"file": good})
        self.assertProblems(r)
        self.client.post("/teams/import/confirm/", {"token": r.context["token"]})
        team = Team.objects.get(name="古城秧歌队")
        assert team.leader == leader and team.founded_on == date(2008, 3, 1)
        assert set(team.members.values_list("person__name", flat=True)) == {
            "王大妈",
            "甲",
            "乙",
            "丙",
        }
        assert Team.objects.get(name="文化社区锣鼓队").active is False
        assert Person.objects.get(name="丁").unit_id == Tree.VILLAGE_A

    def test_teams_import_refuses_unknown_genre_and_ambiguous_names(self) -> None:
        make_person(Tree.VILLAGE_A, name="同名")
        make_person(Tree.TOWNSHIP_A, name="外号") and make_person("331082001002", name="同名")
        self.client.force_login(self.staff_a)
        bad = xlsx("队伍", TEAM_HEAD, [
            [Tree.TOWNSHIP_A, "甲队", "杂技团", "", "", "", ""],
            [Tree.TOWNSHIP_A, "乙队", "秧歌队", "同名", "", "", ""],
        ])  # fmt: skip
        page = self.client.post("/teams/import/", {"file": bad}).content.decode()
        assert "第 2 行 第 C 列（类别）：没有“杂技团”这个队伍类别" in page
        assert "第 3 行 第 D 列（负责人）：“同名”在本单位及下级有多人同名" in page
        assert not Team.objects.exists()


class ExportTests(BaseTestCase):
    def test_people_export_is_formula_safe_and_keeps_phones_private(self) -> None:
        make_person(Tree.VILLAGE_A, name='=HYPERLINK("x")', phone="13800000000")
        self.client.force_login(self.staff_a)
        ws = read_xlsx(self.client.get("/people/export.xlsx")).active
        head = [c.value for c in ws[2]]  # under the title
        row = [c for c in ws[3]]
        assert "电话" in head
        name = row[head.index("姓名")]
        assert name.value == '=HYPERLINK("x")' and name.data_type == "s"
        assert row[head.index("电话")].value == "13800000000"
        self.client.force_login(self.viewer)
        ws = read_xlsx(self.client.get("/people/export.xlsx")).active
        assert "电话" not in [c.value for c in ws[2]]
        assert "13800000000" not in str([c.value for r in ws.iter_rows() for c in r])

    def test_every_list_exports_its_filtered_scope(self) -> None:
        make_team(Tree.TOWNSHIP_A, members=2, name="古城秧歌队")
        make_team(Tree.TOWNSHIP_B, name="邻镇锣鼓队")
        make_training(Tree.TOWNSHIP_A, sessions=2, trainees=3, title="骨干班")
        make_honour(Tree.TOWNSHIP_A, name="先进集体")
        make_honour(Tree.TOWNSHIP_B, name="邻镇先进")
        self.client.force_login(self.staff_a)
        teams = read_xlsx(self.client.get("/teams/export.xlsx")).active
        values = [[c.value for c in r] for r in teams.iter_rows(min_row=3)]
        assert [v[1] for v in values] == ["古城秧歌队", "1 支"]  # no unit code; the totals
        assert values[0][4].count("、") == 1
        training = read_xlsx(self.client.get("/training/export.xlsx")).active
        row = [c.value for c in training[3]]
        assert row[1] == "骨干班" and row[6:10] == [2, 4, 3, 0]
        assert [c.value for c in training[4]][6:10] == [2, 4, 3, 0]  # the totals
        honours = read_xlsx(self.client.get("/honours/export.xlsx")).active
        assert [r[3].value for r in honours.iter_rows(min_row=3)] == ["先进集体", None]
