from datetime import date

from xuanwen.audit.models import Action
from xuanwen.households.models import Household, HouseholdKind
from xuanwen.records.tests.api import RegisterApiTestCase
from xuanwen.testing import Tree, frozen

from .helpers import make_household


@frozen(date(2026, 6, 1))
class ApiTests(RegisterApiTestCase):
    url = "/api/v1/households/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = make_household(Tree.VILLAGE_A, head="张秀兰", designated_on=date(2025, 3, 1))
        cls.a2 = make_household(Tree.VILLAGE_A2, "centre", head="李建国")
        cls.b = make_household(Tree.VILLAGE_B, head="王大伯")
        cls.elsewhere = make_household(Tree.OTHER_TOWNSHIP, head="外县户")

    def test_it_lists_only_the_subtree_and_filters(self) -> None:
        heads = {x["head"] for x in self.get(self.staff_a).json()["items"]}
        self.assertEqual(heads, {"张秀兰", "李建国"})
        items = self.get(self.supervisor, kind="centre").json()["items"]
        self.assertEqual([x["head"] for x in items], ["李建国"])
        self.assertEqual((items[0]["kind_name"], items[0]["unit_name"]), ("文化中心户", "井头社区"))
        self.assertEqual(self.get(self.supervisor, q="zxl").json()["count"], 1)
        self.assertEqual(self.get(self.supervisor, undated=True).json()["count"], 2)
        self.assertEqual(self.get(self.staff_a, unit=Tree.TOWNSHIP_B).status_code, 404)

    def test_the_list_takes_the_same_queries_for_more_rows(self) -> None:
        self.assertListQueriesDoNotGrow(lambda: make_household(Tree.VILLAGE_B))

    def test_create_update_delete(self) -> None:
        body = {
            "unit": Tree.VILLAGE_A,
            "kind": "major",
            "head": "赵大娘",
            "members": 2,
            "speciality": "剪纸",
            "level": "township",
            "designated_on": "2026-03-05",
        }
        created = self.write("POST", "", body, 201)
        self.assertEqual(created["level_name"], "乡镇级")
        pk = created["id"]
        x = Household.objects.get(pk=pk)
        self.assertEqual((x.kind.code, x.members, x.designated_on), ("major", 2, date(2026, 3, 5)))
        self.write("PATCH", f"{pk}/", {"revoked_on": "2026-05-01"})
        x.refresh_from_db()
        self.assertEqual(x.revoked_on, date(2026, 5, 1))
        put = self.write("PUT", f"{pk}/", {**body, "members": 4})
        self.assertEqual((put["members"], put["revoked_on"]), (4, None))
        self.assertEqual(self.send("DELETE", self.staff_a, f"{pk}/").status_code, 204)
        self.assertFalse(Household.objects.filter(pk=pk).exists())
        self.assertTrail(Household, pk, Action.CREATE, Action.UPDATE, Action.UPDATE, Action.DELETE)

    def test_rules_roles_scope_and_bad_input(self) -> None:
        body = {"unit": Tree.VILLAGE_A, "kind": "major", "head": "张秀兰"}
        response = self.send("POST", self.staff_a, body=body)
        self.assertEqual(response.status_code, 400)
        error = response.json()["errors"][0]
        self.assertEqual(
            (error["field"], error["message"]), ("head", "该村（社区）已有同一户主的同类文化户。")
        )
        response = self.send("POST", self.staff_a, body={**body, "kind": "nope", "head": "新"})
        self.assertEqual(response.json()["errors"][0]["field"], "kind")
        response = self.send("POST", self.staff_a, body={**body, "head": "新", "members": 0})
        self.assertEqual(response.json()["errors"][0]["field"], "members")
        # Not a number, not a date, a member count beyond the column: an answer, never a 500.
        for bad in ({"members": "many"}, {"designated_on": "2026-13-01"}, {"members": 10**9}):
            response = self.send("POST", self.staff_a, body={**body, "head": "新", **bad})
            self.assertIn(response.status_code, (400, 422), bad)
        self.assertRefused({**body, "head": "新"}, self.a, hidden=self.b, elsewhere=Tree.VILLAGE_B)
        response = self.send("PATCH", self.staff_a, f"{self.a.pk}/", {"head": None})
        self.assertEqual(response.status_code, 400)

    def test_kinds(self) -> None:
        kinds = {k["code"]: k["name"] for k in self.get(self.keeper, "kinds/").json()}
        self.assertEqual(
            kinds, {"household": "文化户", "major": "文化大户", "centre": "文化中心户"}
        )

    def test_a_retired_kind_stays_on_its_records_only(self) -> None:
        HouseholdKind.objects.filter(code="major").update(active=False)
        body = {"unit": Tree.VILLAGE_A, "kind": "major", "head": "张秀兰", "note": "新"}
        self.assertEqual(self.write("PUT", f"{self.a.pk}/", body)["kind"], "major")
        response = self.send("POST", self.staff_a, body={**body, "head": "新户"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "kind")
        kinds = [k["code"] for k in self.get(self.keeper, "kinds/").json()]
        self.assertNotIn("major", kinds)
