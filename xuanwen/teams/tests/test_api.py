"""The JSON API of people, teams, training classes and honours: the same services and scope
as the pages."""

from xuanwen.activities.models import Activity
from xuanwen.teams.models import Honour, Person, Team, TeamGenre, TrainingClass
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_person, make_team


class ApiTests(BaseTestCase):
    def test_people_crud_and_phone_privacy(self) -> None:
        r = self.api("POST", "/api/v1/people/", self.staff_a, {
            "unit": Tree.VILLAGE_A, "name": "张三", "gender": "male", "birth_year": 1968,
            "phone": "13800000000", "specialty": "唢呐",
        })  # fmt: skip
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        assert r.json()["phone"] == "13800000000"
        # A viewer of the county sees the person but not the phone.
        r = self.api("GET", f"/api/v1/people/{pk}/", self.viewer)
        assert r.status_code == 200 and r.json()["phone"] is None
        r = self.api("GET", "/api/v1/people/?q=zs", self.supervisor)
        assert r.json()["count"] == 1 and r.json()["items"][0]["phone"] is None
        # Another township: 404; a viewer writing: 403.
        assert self.api("GET", f"/api/v1/people/{pk}/", self.staff_b).status_code == 404
        body = {"unit": Tree.VILLAGE_A, "name": "张三丰"}
        assert self.api("PUT", f"/api/v1/people/{pk}/", self.viewer, body).status_code == 403
        r = self.api("PUT", f"/api/v1/people/{pk}/", self.keeper, body)
        assert r.status_code == 200 and r.json()["name"] == "张三丰"
        r = self.api("POST", "/api/v1/people/", self.keeper, {"unit": Tree.VILLAGE_A, "name": ""})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "name"
        assert self.api("DELETE", f"/api/v1/people/{pk}/", self.keeper).status_code == 204
        assert not Person.objects.exists() and Person.all_objects.count() == 1

    def test_teams_with_members(self) -> None:
        a, b = make_person(Tree.TOWNSHIP_A, name="李四"), make_person(Tree.TOWNSHIP_A, name="王五")
        genre = TeamGenre.objects.get(name="锣鼓队")
        r = self.api("POST", "/api/v1/teams/", self.staff_a, {
            "unit": Tree.TOWNSHIP_A, "name": "古城锣鼓队", "genre": genre.pk, "leader": a.pk,
            "founded_on": "2010-06-01", "members": [{"person": b.pk, "role": "鼓手"}],
        })  # fmt: skip
        assert r.status_code == 201, r.content
        body = r.json()
        assert (body["founded_on"], body["disbanded_on"]) == ("2010-06-01", None)
        assert body["leader_name"] == "李四" and body["genre_name"] == "锣鼓队"
        assert {m["name"] for m in body["members"]} == {"李四", "王五"}
        # A leader from another township is 404, as if unknown.
        other = make_person(Tree.TOWNSHIP_B)
        r = self.api("PUT", f"/api/v1/teams/{body['id']}/", self.staff_a, {
            "unit": Tree.TOWNSHIP_A, "name": "古城锣鼓队", "genre": genre.pk, "leader": other.pk,
        })  # fmt: skip
        assert r.status_code == 404
        assert self.api("GET", f"/api/v1/teams/?genre={genre.pk}", self.viewer).json()["count"] == 1
        assert self.api("GET", "/api/v1/teams/", self.staff_b).json()["count"] == 0
        assert self.api("DELETE", f"/api/v1/teams/{body['id']}/", self.staff_a).status_code == 204
        assert not Team.objects.exists()

    def test_training_with_sessions_makes_its_activity(self) -> None:
        p = make_person(Tree.VILLAGE_A, name="赵六")
        r = self.api("POST", "/api/v1/training/", self.keeper, {
            "unit": Tree.VILLAGE_A, "title": "剪纸培训班", "start_date": "2026-04-01",
            "end_date": "2026-04-30", "trainees": [p.pk],
            "sessions": [{"date": "2026-04-02", "hours": "2.0", "topic": "基础"}],
        })  # fmt: skip
        assert r.status_code == 201, r.content
        body = r.json()
        assert body["trainees"] == [p.pk] and len(body["sessions"]) == 1
        act = Activity.objects.get(pk=body["activity"])
        assert act.type.name == "培训" and act.participants == 1
        # A session outside the class's dates: nothing saved at all.
        r = self.api("POST", "/api/v1/training/", self.keeper, {
            "unit": Tree.VILLAGE_A, "title": "另一班", "start_date": "2026-04-01",
            "sessions": [{"date": "2026-05-02", "hours": "2"}],
        })  # fmt: skip
        assert r.status_code == 400
        assert TrainingClass.objects.count() == 1 and Activity.objects.count() == 1
        r = self.api("PUT", f"/api/v1/training/{body['id']}/", self.keeper, {
            "unit": Tree.VILLAGE_A, "title": "剪纸提高班", "start_date": "2026-04-01",
            "end_date": "2026-04-30",
        })  # fmt: skip
        assert r.status_code == 200
        act.refresh_from_db()
        assert act.title == "剪纸提高班"
        assert self.api("GET", f"/api/v1/training/{body['id']}/", self.staff_b).status_code == 404
        assert self.api("DELETE", f"/api/v1/training/{body['id']}/", self.keeper).status_code == 204
        assert not Activity.objects.exists()

    def test_honours(self) -> None:
        team = make_team(Tree.TOWNSHIP_A, name="古城艺术团")
        r = self.api("POST", "/api/v1/honours/", self.staff_a, {
            "holder_kind": "team", "unit": Tree.TOWNSHIP_A, "team": team.pk, "name": "优秀文艺团队",
            "level": "city", "year": 2025, "month": 12, "awarded_by": "台州市文化局",
        })  # fmt: skip
        assert r.status_code == 201, r.content
        assert r.json()["holder_name"] == "古城艺术团"
        assert (r.json()["month"], r.json()["awarded_on"]) == (12, "2025-12-01")
        r = self.api("POST", "/api/v1/honours/", self.staff_a, {
            "holder_kind": "person", "unit": Tree.TOWNSHIP_A, "name": "先进个人", "level": "county",
            "year": 2025,
        })  # fmt: skip
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "person"
        assert self.api("GET", "/api/v1/honours/?level=city", self.viewer).json()["count"] == 1
        assert Honour.objects.count() == 1
