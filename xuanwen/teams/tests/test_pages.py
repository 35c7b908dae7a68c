"""People, team and honour pages: entry, scope (another unit's record is a 404), phones,
query counts of the lists at two sizes."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.activities.tests.helpers import make_activity
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.teams.models import Honour, Person, Team, TeamGenre, TeamMember, TeamPerformance
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_honour, make_person, make_team, make_training


class PeopleTests(BaseTestCase):
    def test_keeper_records_a_person(self) -> None:
        self.client.force_login(self.keeper)
        r = self.client.post(reverse("teams:person_create"), {
            "unit": Tree.VILLAGE_A, "name": "张三", "gender": "male", "birth_year": "1965",
            "phone": "13800000000", "specialty": "二胡",
        })  # fmt: skip
        person = Person.objects.get()
        self.assertRedirects(r, person.get_absolute_url())
        assert person.unit_id == Tree.VILLAGE_A and "zs" in person.search_pinyin
        assert AuditEntry.objects.filter(model="teams.person", action=Action.CREATE).exists()
        r = self.client.post(
            reverse("teams:person_create"),
            {"unit": Tree.VILLAGE_A, "name": "张三", "birth_year": "1965"},
        )
        assert "同名" in r.content.decode()
        assert Person.objects.count() == 1

    def test_phones_only_for_writers(self) -> None:
        p = make_person(Tree.VILLAGE_A, name="张三", phone="13800000000")
        for user, shown in ((self.staff_a, True), (self.viewer, False), (self.supervisor, False)):
            self.client.force_login(user)
            for url in (reverse("teams:person_list"), p.get_absolute_url()):
                page = self.client.get(url).content.decode()
                assert "张三" in page
                assert ("13800000000" in page) is shown, (user, url)

    def test_another_units_person_is_404(self) -> None:
        p = make_person(Tree.TOWNSHIP_B)
        self.client.force_login(self.staff_a)
        for name in ("person_detail", "person_edit", "person_delete"):
            url = reverse(f"teams:{name}", args=[p.pk])
            r = self.client.post(url) if name.endswith("delete") else self.client.get(url)
            assert r.status_code == 404, name
        assert Person.objects.filter(pk=p.pk).exists()

    def test_search_by_pinyin(self) -> None:
        make_person(Tree.TOWNSHIP_A, name="张三")
        make_person(Tree.TOWNSHIP_A, name="李四")
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("teams:person_list"), {"q": "zs"}).content.decode()
        assert "张三" in page and "李四" not in page


class TeamTests(BaseTestCase):
    def test_team_with_leader_members_and_performances(self) -> None:
        self.client.force_login(self.staff_a)
        genre = TeamGenre.objects.get(name="秧歌队")
        r = self.client.post(reverse("teams:team_create"), {
            "unit": Tree.TOWNSHIP_A, "name": "古城秧歌队", "genre": genre.pk,
            "leader_name": "王大妈", "founded_on": "2008-03-01", "active": "on",
        })  # fmt: skip
        team = Team.objects.get()
        assert team.founded_on == date(2008, 3, 1)
        self.assertRedirects(r, team.get_absolute_url())
        assert team.leader is not None and team.leader.name == "王大妈"
        # The leader is a member too.
        assert list(team.members.values_list("person__name", flat=True)) == ["王大妈"]

        self.client.post(
            reverse("teams:member_add", args=[team.pk]),
            {"member-names": "甲、乙，丙", "member-role": "队员", "member-joined_on": "2020-05-01"},
        )
        assert TeamMember.objects.filter(team=team).count() == 4

        a1 = make_activity(Tree.TOWNSHIP_A, title="春节巡演")
        a2 = make_activity(Tree.VILLAGE_A, title="元宵汇演")
        a3 = make_activity(
            Tree.TOWNSHIP_A, title="去年演出", start_date=__import__("datetime").date(2025, 5, 1)
        )
        other = make_activity(Tree.TOWNSHIP_B, title="邻镇演出")
        for act in (a1, a2, a3):
            self.client.post(
                reverse("teams:performance_add", args=[team.pk]), {"performance-activities": act.pk}
            )
        # Another township's activity is not offered, and refused.
        page = self.client.get(team.get_absolute_url()).content.decode()
        assert "邻镇演出" not in page
        self.client.post(
            reverse("teams:performance_add", args=[team.pk]), {"performance-activities": other.pk}
        )
        assert TeamPerformance.objects.filter(team=team).count() == 3
        page = self.client.get(team.get_absolute_url()).content.decode()
        assert "2026年 2 场" in page and "2025年 1 场" in page

    def test_viewer_cannot_create(self) -> None:
        self.client.force_login(self.viewer)
        assert self.client.get(reverse("teams:team_create")).status_code == 403

    def test_delete_is_soft_and_audited(self) -> None:
        team = make_team(Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_a)
        self.assertRedirects(
            self.client.post(reverse("teams:team_delete", args=[team.pk])),
            reverse("teams:team_list"),
        )
        assert not Team.objects.exists() and Team.all_objects.get().deleted_at is not None
        entry = AuditEntry.objects.get(model="teams.team", action=Action.DELETE)
        self.client.force_login(self.admin)
        self.client.post(f"/audit/{entry.pk}/restore/")
        assert Team.objects.filter(pk=team.pk).exists()

    def test_another_units_team_is_404(self) -> None:
        team = make_team(Tree.TOWNSHIP_B, members=1)
        member = team.members.get()
        self.client.force_login(self.staff_a)
        assert self.client.get(team.get_absolute_url()).status_code == 404
        assert (
            self.client.post(
                reverse("teams:member_add", args=[team.pk]), {"member-names": "x"}
            ).status_code
            == 404
        )
        assert self.client.post(reverse("teams:member_remove", args=[member.pk])).status_code == 404
        assert team.members.count() == 1

    def test_a_team_without_a_founding_date_is_listed_to_fill_in(self) -> None:
        make_team(Tree.VILLAGE_A, name="老年腰鼓队", founded_on=None)
        make_team(Tree.VILLAGE_A, name="青年舞蹈队")
        self.client.force_login(self.keeper)
        page = self.client.get(reverse("teams:team_list")).content.decode()
        assert page.count("待补日期</span>") == 1
        undated = self.client.get(reverse("teams:team_list"), {"undated": "on"}).content.decode()
        assert "老年腰鼓队" in undated and "青年舞蹈队" not in undated


class HonourTests(BaseTestCase):
    def test_honour_for_a_person(self) -> None:
        p = make_person(Tree.VILLAGE_A2, name="李师傅")
        self.client.force_login(self.staff_a)
        r = self.client.post(reverse("teams:honour_create"), {
            "unit": Tree.TOWNSHIP_A, "holder_kind": "person", "person_name": "李师傅",
            "name": "优秀民间艺人", "level": "city", "year": "2025", "awarded_by": "台州市文化局",
        })  # fmt: skip
        h = Honour.objects.get()
        self.assertRedirects(r, h.get_absolute_url())
        # A person's honour belongs to the person's unit.
        assert (h.person, h.unit_id) == (p, Tree.VILLAGE_A2)
        r = self.client.post(reverse("teams:honour_create"), {
            "unit": Tree.TOWNSHIP_A, "holder_kind": "person", "person_name": "没这个人",
            "name": "x", "level": "city", "year": "2025",
        })  # fmt: skip
        assert "没有名为“没这个人”的人员" in r.content.decode()
        assert Honour.objects.count() == 1

    def test_an_honour_dated_as_precisely_as_known(self) -> None:
        self.client.force_login(self.staff_a)
        base = {"unit": Tree.TOWNSHIP_A, "holder_kind": "unit", "level": "county", "year": "2011"}
        r = self.client.post(reverse("teams:honour_create"), {**base, "name": "a", "day": "5"})
        assert "填写日时须同时填写月份" in r.content.decode()
        r = self.client.post(
            reverse("teams:honour_create"), {**base, "name": "b", "month": "2", "day": "30"}
        )
        assert "2 月没有 30 日" in r.content.decode()
        r = self.client.post(reverse("teams:honour_create"), {**base, "name": "c", "month": "12"})
        h = Honour.objects.get()
        self.assertRedirects(r, h.get_absolute_url())
        assert (h.month, h.day, h.awarded_on) == (12, None, date(2011, 12, 1))
        assert "2011-12" in self.client.get(h.get_absolute_url()).content.decode()


class ListQueryCountTests(BaseTestCase):
    """A list's queries do not grow with its rows."""

    def count(self, url: str) -> int:
        self.client.force_login(self.supervisor)
        self.client.get(url)  # warm (session, content types)
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    def fill(self, n: int) -> None:
        for i in range(n):
            unit = (Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.TOWNSHIP_B)[i % 3]
            make_team(unit, members=2, leader=make_person(unit))
            make_training(unit, sessions=2, trainees=2)
            make_honour(unit, person=make_person(unit), holder_kind="person")

    def test_lists_at_two_sizes(self) -> None:
        urls = [
            reverse(f"teams:{n}")
            for n in ("person_list", "team_list", "training_list", "honour_list")
        ]
        self.fill(2)
        small = [self.count(u) for u in urls]
        self.fill(30)
        large = [self.count(u) for u in urls]
        assert small == large, (small, large)
        assert max(large) <= 8, large


class PerformancePickerTests(BaseTestCase):
    """The picker offers the newest activities and finds any other by searching on the server,
    so an activity older than the newest hundred can be linked too (#12)."""

    def test_search_finds_an_old_activity_beyond_the_newest(self) -> None:
        team = make_team(Tree.TOWNSHIP_A)
        old = make_activity(Tree.VILLAGE_A, title="十年前的送戏下乡", start_date=date(2016, 5, 1))
        for i in range(120):
            make_activity(Tree.TOWNSHIP_A, title=f"近期演出{i}", start_date=date(2026, 1, 1))
        hidden = make_activity(Tree.TOWNSHIP_B, title="邻镇送戏下乡")
        self.client.force_login(self.staff_a)
        page = self.client.get(team.get_absolute_url()).content.decode()
        assert "十年前的送戏下乡" not in page  # only the newest are listed at first
        url = reverse("teams:performance_choices", args=[team.pk])
        r = self.client.get(url, {"q": "送戏"})
        assert r.status_code == 200
        body = r.content.decode()
        assert f'value="{old.pk}"' in body and "邻镇送戏下乡" not in body
        assert f'value="{old.pk}"' in self.client.get(url, {"q": "sxxx"}).content.decode()
        self.client.post(
            reverse("teams:performance_add", args=[team.pk]), {"performance-activities": old.pk}
        )
        assert TeamPerformance.objects.filter(team=team, activity=old).exists()
        # Linked now: no longer offered. Another township's activity is refused by id too.
        assert f'value="{old.pk}"' not in self.client.get(url, {"q": "送戏"}).content.decode()
        self.client.post(
            reverse("teams:performance_add", args=[team.pk]), {"performance-activities": hidden.pk}
        )
        assert TeamPerformance.objects.filter(team=team).count() == 1
        # A reader may not search a team's picker; another township's team is a 404.
        self.client.force_login(self.viewer)
        assert self.client.get(url, {"q": "送戏"}).status_code in (403, 404)
        self.client.force_login(self.staff_b)
        assert self.client.get(url, {"q": "送戏"}).status_code == 404

    def test_the_search_takes_the_same_queries_for_more_activities(self) -> None:
        team = make_team(Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_a)
        url = reverse("teams:performance_choices", args=[team.pk])

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(url, {"q": "演出"}).status_code == 200
            return len(ctx.captured_queries)

        make_activity(Tree.TOWNSHIP_A, title="演出0")
        few = queries()
        for i in range(40):
            make_activity(Tree.VILLAGE_A, title=f"演出{i + 1}")
        assert queries() == few

    def test_several_performances_in_one_post_all_or_none(self) -> None:
        team = make_team(Tree.TOWNSHIP_A)
        shows = [make_activity(Tree.VILLAGE_A, title=f"巡演{i}") for i in range(5)]
        hidden = make_activity(Tree.TOWNSHIP_B, title="邻镇演出")
        self.client.force_login(self.staff_a)
        url = reverse("teams:performance_add", args=[team.pk])
        r = self.client.post(url, {"performance-activities": [shows[0].pk, hidden.pk]}, follow=True)
        assert "第 2 项" in r.content.decode()
        assert not TeamPerformance.objects.exists()
        r = self.client.post(url, {"performance-activities": [a.pk for a in shows]}, follow=True)
        assert "已添加 5 场演出" in r.content.decode()
        assert TeamPerformance.objects.filter(team=team).count() == 5
        r = self.client.post(url, {"performance-activities": ["x"]}, follow=True)
        assert "请从列表中选择" in r.content.decode()
        assert TeamPerformance.objects.count() == 5
