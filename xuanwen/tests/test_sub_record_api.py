"""The API writes of every sub-record (#12 build 5): an activity's media coverage and awards,
a facility's rooms and equipment, a team's members and performances, each created, changed and
deleted through its service, audited, and out of scope a 404; and the bulk link of many
activities to a team, all or nothing."""

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import Activity, Award, MediaCoverage
from xuanwen.activities.tests.helpers import make_activity
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.facilities.models import Equipment, Room
from xuanwen.facilities.tests.helpers import make_facility
from xuanwen.teams.models import TeamMember, TeamPerformance
from xuanwen.teams.tests.helpers import make_person, make_team
from xuanwen.testing import BaseTestCase, Tree

API = "/api/v1/"


class PartCase(BaseTestCase):
    def trail(self, model: type[Model], pk: int) -> list[str]:
        entries = AuditEntry.objects.filter(object_pk=str(pk), model=model._meta.label_lower)
        return sorted(entries.values_list("action", flat=True))

    def round_trip(
        self,
        model: type[Model],
        create: str,
        part: str,
        body: dict[str, Any],
        change: dict[str, Any],
        hidden_create: str,
    ) -> int:
        """Create, change and delete one part as staff_a; the viewer may not write, another
        township's record is a 404; each write is audited. Returns the part's id."""
        assert self.api("POST", API + create, self.viewer, body).status_code == 403
        assert self.api("POST", API + hidden_create, self.staff_a, body).status_code == 404
        r = self.api("POST", API + create, self.staff_a, body)
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        r = self.api("PATCH", f"{API}{part.format(pk=pk)}", self.staff_a, change)
        assert r.status_code == 200, r.content
        for key, value in change.items():
            assert r.json()[key] == value, (key, r.json())
        assert (
            self.api("PATCH", f"{API}{part.format(pk=pk)}", self.staff_b, change).status_code == 404
        )
        assert self.api("DELETE", f"{API}{part.format(pk=pk)}", self.viewer).status_code == 403
        r = self.api("DELETE", f"{API}{part.format(pk=pk)}", self.staff_a)
        assert r.status_code == 204, r.content
        assert not model._default_manager.filter(pk=pk).exists()
        assert self.trail(model, pk) == [Action.CREATE, Action.UPDATE]
        deleted = AuditEntry.objects.filter(action=Action.DELETE, model=model._meta.label_lower)
        assert [e.before["pk"] for e in deleted] == [pk]
        return int(pk)


class ActivityPartsTests(PartCase):
    def test_coverage(self) -> None:
        a = make_activity(Tree.TOWNSHIP_A)
        b = make_activity(Tree.TOWNSHIP_B)
        body = {"outlet": "临海新闻", "level": "county", "date": "2026-02-11", "views": 1600}
        self.round_trip(MediaCoverage, f"activities/{a.pk}/coverage/",
                        "activities/coverage/{pk}/", body, {"views": 2400, "title": "报道"},
                        f"activities/{b.pk}/coverage/")  # fmt: skip
        r = self.api("POST", f"{API}activities/{a.pk}/coverage/", self.staff_a,
                     {**body, "level": "galaxy"})  # fmt: skip
        assert r.status_code == 422
        r = self.api("POST", f"{API}activities/{a.pk}/coverage/", self.staff_a,
                     {**body, "link": "not a link"})  # fmt: skip
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "link"

    def test_awards(self) -> None:
        a = make_activity(Tree.VILLAGE_A)
        b = make_activity(Tree.VILLAGE_B)
        body = {"name": "汇演一等奖", "level": "city", "winner_kind": "team", "winner": "秧歌队"}
        self.round_trip(Award, f"activities/{a.pk}/awards/", "activities/awards/{pk}/", body,
                        {"rank": "一等奖"}, f"activities/{b.pk}/awards/")  # fmt: skip

    def test_coverage_through_the_api_keeps_the_tallies(self) -> None:
        from xuanwen.activities import counts

        a = make_activity(Tree.TOWNSHIP_A)
        body = {"outlet": "临海新闻", "level": "county", "date": "2026-02-11"}
        r = self.api("POST", f"{API}activities/{a.pk}/coverage/", self.staff_a, body)
        assert r.status_code == 201
        assert counts.differences() == {}
        assert Activity.objects.filter(coverage__isnull=False).count() == 1


class FacilityPartsTests(PartCase):
    def test_rooms(self) -> None:
        f = make_facility(Tree.TOWNSHIP_A)
        g = make_facility(Tree.TOWNSHIP_B)
        self.round_trip(Room, f"facilities/{f.pk}/rooms/", "facilities/rooms/{pk}/",
                        {"name": "多功能厅", "area": "300.0"}, {"name": "排练厅"},
                        f"facilities/{g.pk}/rooms/")  # fmt: skip
        r = self.api("POST", f"{API}facilities/{f.pk}/rooms/", self.staff_a,
                     {"name": "厅", "area": "-1"})  # fmt: skip
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "area"

    def test_equipment(self) -> None:
        f = make_facility(Tree.TOWNSHIP_A)
        g = make_facility(Tree.TOWNSHIP_B)
        self.round_trip(Equipment, f"facilities/{f.pk}/equipment/",
                        "facilities/equipment/{pk}/", {"name": "音响", "count": 2},
                        {"count": 3, "condition": "worn"},
                        f"facilities/{g.pk}/equipment/")  # fmt: skip
        r = self.api("POST", f"{API}facilities/{f.pk}/equipment/", self.staff_a,
                     {"name": "音响", "count": 0})  # fmt: skip
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "count"


class TeamPartsTests(PartCase):
    def test_members(self) -> None:
        t = make_team(Tree.TOWNSHIP_A)
        u = make_team(Tree.TOWNSHIP_B)
        person = make_person(Tree.VILLAGE_A)
        self.round_trip(TeamMember, f"teams/{t.pk}/members/", "teams/members/{pk}/",
                        {"person": person.pk, "role": "队长"},
                        {"role": "副队长", "joined_on": "2020-01-01"},
                        f"teams/{u.pk}/members/")  # fmt: skip
        elsewhere = make_person(Tree.VILLAGE_B)
        r = self.api("POST", f"{API}teams/{t.pk}/members/", self.staff_a,
                     {"person": elsewhere.pk})  # fmt: skip
        assert r.status_code == 404

    def test_one_performance(self) -> None:
        t = make_team(Tree.TOWNSHIP_A)
        a = make_activity(Tree.VILLAGE_A)
        r = self.api("POST", f"{API}teams/{t.pk}/performances/", self.staff_a,
                     {"activity": a.pk})  # fmt: skip
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        assert r.json()["activity"] == a.pk
        r = self.api("DELETE", f"{API}teams/performances/{pk}/", self.staff_a)
        assert r.status_code == 204
        assert self.trail(TeamPerformance, pk) == [Action.CREATE]
        assert AuditEntry.objects.filter(action=Action.DELETE).count() == 1
        hidden = make_activity(Tree.VILLAGE_B)
        r = self.api("POST", f"{API}teams/{t.pk}/performances/", self.staff_a,
                     {"activity": hidden.pk})  # fmt: skip
        assert r.status_code == 404


class BulkPerformancesTests(PartCase):
    def url(self, team: Any) -> str:
        return f"{API}teams/{team.pk}/performances/bulk/"

    def test_many_activities_in_one_request(self) -> None:
        t = make_team(Tree.TOWNSHIP_A)
        shows = [make_activity(Tree.VILLAGE_A, start_date=date(2026, 1, 1 + i)) for i in range(25)]
        r = self.api("POST", self.url(t), self.staff_a, {"activities": [a.pk for a in shows]})
        assert r.status_code == 201, r.content
        assert len(r.json()) == 25
        assert TeamPerformance.objects.filter(team=t).count() == 25
        made = TeamPerformance.objects.filter(team=t).values_list("pk", flat=True)
        entries = AuditEntry.objects.filter(model="teams.teamperformance", action=Action.CREATE)
        assert set(entries.values_list("object_pk", flat=True)) == {str(pk) for pk in made}

    def test_all_or_nothing_and_the_bad_item_is_named(self) -> None:
        t = make_team(Tree.TOWNSHIP_A)
        ok = [make_activity(Tree.VILLAGE_A) for _ in range(3)]
        hidden = make_activity(Tree.VILLAGE_B)
        ids = [ok[0].pk, ok[1].pk, hidden.pk, ok[2].pk]
        r = self.api("POST", self.url(t), self.staff_a, {"activities": ids})
        assert r.status_code == 400, r.content
        message = r.json()["errors"][0]["message"]
        assert f"第 3 项（活动编号 {hidden.pk}）" in message, message
        assert not TeamPerformance.objects.exists()
        r = self.api("POST", self.url(t), self.staff_a, {"activities": [ok[0].pk, ok[0].pk]})
        assert r.status_code == 400 and "第 2 项" in r.json()["errors"][0]["message"]
        self.api("POST", self.url(t), self.staff_a, {"activities": [ok[1].pk]})
        r = self.api("POST", self.url(t), self.staff_a, {"activities": [ok[0].pk, ok[1].pk]})
        assert r.status_code == 400 and "已登记为该队演出" in r.json()["errors"][0]["message"]
        assert TeamPerformance.objects.count() == 1
        # The length is bounded; the viewer may not write; another township's team is a 404.
        r = self.api("POST", self.url(t), self.staff_a, {"activities": list(range(1, 502))})
        assert r.status_code == 422
        r = self.api("POST", self.url(t), self.staff_a, {"activities": []})
        assert r.status_code == 422
        assert (
            self.api("POST", self.url(t), self.viewer, {"activities": [ok[2].pk]}).status_code
            == 403
        )
        other = make_team(Tree.TOWNSHIP_B)
        assert (
            self.api("POST", self.url(other), self.staff_a, {"activities": [ok[2].pk]}).status_code
            == 404
        )

    def test_the_queries_do_not_grow_with_the_list(self) -> None:
        def run(n: int) -> int:
            t = make_team(Tree.TOWNSHIP_A)
            shows = [make_activity(Tree.VILLAGE_A) for _ in range(n)]
            headers = self.bearer(self.staff_a)
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.post(self.url(t), {"activities": [a.pk for a in shows]},
                                     content_type="application/json", **headers)  # fmt: skip
            assert r.status_code == 201, r.content
            return len(ctx.captured_queries)

        assert run(2) == run(40)
