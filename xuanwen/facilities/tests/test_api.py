from decimal import Decimal
from itertools import count

from xuanwen.audit.models import Action
from xuanwen.facilities.models import Facility, Room
from xuanwen.records.tests.api import RegisterApiTestCase
from xuanwen.testing import Tree

from .helpers import make_facility


class ApiTests(RegisterApiTestCase):
    url = "/api/v1/facilities/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站", area=Decimal(400))
        cls.a_village = make_facility(Tree.VILLAGE_A, "bookhouse", name="文化社区农家书屋")
        cls.b = make_facility(Tree.TOWNSHIP_B, name="大洋街道综合文化站")
        cls.elsewhere = make_facility(Tree.OTHER_COUNTY, name="温岭市文化馆")
        Room.objects.create(facility=cls.a, name="多功能厅", area=Decimal(300))

    def test_it_lists_only_the_subtree_and_filters(self) -> None:
        names = {x["name"] for x in self.get(self.staff_a).json()["items"]}
        self.assertEqual(names, {"古城街道综合文化站", "文化社区农家书屋"})
        items = self.get(self.supervisor, kind="bookhouse").json()["items"]
        self.assertEqual([x["name"] for x in items], ["文化社区农家书屋"])
        self.assertEqual(items[0]["kind_name"], "农家书屋")
        self.assertEqual(self.get(self.supervisor, q="dyjd").json()["count"], 1)
        self.assertEqual(self.get(self.staff_a, unit=Tree.TOWNSHIP_B).status_code, 404)

    def test_the_list_takes_the_same_queries_for_more_rows(self) -> None:
        numbers = count()  # a name once per unit and kind
        self.assertListQueriesDoNotGrow(
            lambda: make_facility(Tree.VILLAGE_B, name=f"书屋{next(numbers)}")
        )

    def test_detail_with_rooms_and_standards(self) -> None:
        body = self.get(self.staff_a, f"{self.a.pk}/").json()
        self.assertEqual(body["rooms"][0]["name"], "多功能厅")
        self.assertEqual(body["standards"], [])
        body = self.get(self.staff_a, f"{self.a_village.pk}/").json()
        self.assertEqual(body["standards"][0]["met"], None)
        self.assertEqual(self.get(self.staff_a, f"{self.b.pk}/").status_code, 404)
        self.assertIn("detail", self.get(self.staff_a, f"{self.b.pk}/").json())

    def test_create_update_delete(self) -> None:
        body = {
            "unit": Tree.VILLAGE_A,
            "kind": "courtyard",
            "name": "学堂巷文化大院",
            "area": "120.5",
        }
        pk = self.write("POST", "", body, 201)["id"]
        facility = Facility.objects.get(pk=pk)
        self.assertEqual((facility.kind.code, facility.area), ("courtyard", Decimal("120.5")))
        self.write("PATCH", f"{pk}/", {"area": None, "keeper": "李"})
        facility.refresh_from_db()
        self.assertEqual((facility.area, facility.keeper), (None, "李"))
        self.assertEqual(
            self.write("PUT", f"{pk}/", {**body, "name": "文化大院"})["name"], "文化大院"
        )
        self.assertEqual(self.send("DELETE", self.staff_a, f"{pk}/").status_code, 204)
        self.assertFalse(Facility.objects.filter(pk=pk).exists())
        self.assertTrail(Facility, pk, Action.CREATE, Action.UPDATE, Action.UPDATE, Action.DELETE)

    def test_rules_roles_and_scope(self) -> None:
        body = {"unit": Tree.TOWNSHIP_A, "kind": "station", "name": "古城街道综合文化站"}
        response = self.send("POST", self.staff_a, body=body)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "name")
        response = self.send("POST", self.staff_a, body={**body, "kind": "nope", "name": "新"})
        self.assertEqual(response.json()["errors"][0]["field"], "kind")
        self.assertRefused({**body, "name": "新"}, self.a, hidden=self.b, elsewhere=Tree.TOWNSHIP_B)
        response = self.send("PATCH", self.staff_a, f"{self.a.pk}/", {"name": None})
        self.assertEqual(response.status_code, 400)

    def test_kinds(self) -> None:
        kinds = {k["code"]: k for k in self.get(self.keeper, "kinds/").json()}
        self.assertEqual(kinds["station"]["min_days_per_week"], 3)
        self.assertEqual(kinds["bookhouse"]["name"], "农家书屋")
