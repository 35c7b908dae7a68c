import datetime as dt
from itertools import count

from xuanwen.audit.models import Action
from xuanwen.designations.models import Designation
from xuanwen.records.tests.api import RegisterApiTestCase
from xuanwen.testing import Tree, frozen

from .helpers import make_designation

D = dt.date


@frozen(D(2026, 6, 1))
class ApiTests(RegisterApiTestCase):
    url = "/api/v1/designations/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = make_designation(Tree.VILLAGE_A, designated_on=D(2019, 3, 1))
        cls.b = make_designation(Tree.VILLAGE_B, "advanced_village", designated_on=D(2024, 3, 1))
        cls.elsewhere = make_designation(Tree.OTHER_TOWNSHIP, designated_on=D(2024, 3, 1))

    def test_the_list_is_scoped_and_filtered(self) -> None:
        items = self.get(self.staff_a).json()["items"]
        self.assertEqual([x["id"] for x in items], [self.a.pk])
        self.assertEqual(
            (
                items[0]["kind"],
                items[0]["kind_name"],
                items[0]["level_name"],
                items[0]["unit_name"],
            ),
            ("model_village", "文化示范村", "县级", "文化社区"),
        )
        self.assertEqual(self.get(self.supervisor).json()["count"], 2)
        self.assertEqual(self.get(self.supervisor, kind="advanced_village").json()["count"], 1)
        self.assertEqual(self.get(self.supervisor, as_of="2020-01-01").json()["count"], 1)
        self.assertEqual(self.get(self.staff_a, unit=Tree.TOWNSHIP_B).status_code, 404)

    def test_the_list_takes_the_same_queries_for_more_rows(self) -> None:
        years = count(2000)  # one designation a year: the same kind twice a day is refused
        self.assertListQueriesDoNotGrow(
            lambda: make_designation(Tree.VILLAGE_B, designated_on=D(next(years), 1, 1))
        )

    def test_create_update_delete(self) -> None:
        body = {
            "unit": Tree.VILLAGE_A2,
            "kind": "model_village",
            "level": "city",
            "designated_on": "2026-05-20",
            "document_no": "台文〔2026〕8号",
        }
        pk = self.write("POST", "", body, 201)["id"]
        self.write("PATCH", f"{pk}/", {"revoked_on": "2026-05-30"})
        self.assertEqual(Designation.objects.get(pk=pk).revoked_on, D(2026, 5, 30))
        put = self.write("PUT", f"{pk}/", {**body, "awarded_by": "台州市文广旅局"})
        self.assertEqual((put["awarded_by"], put["revoked_on"]), ("台州市文广旅局", None))
        self.assertEqual(self.send("GET", self.staff_a, f"{pk}/").status_code, 200)
        self.assertEqual(self.send("DELETE", self.staff_a, f"{pk}/").status_code, 204)
        self.assertFalse(Designation.objects.filter(pk=pk).exists())
        self.assertTrail(
            Designation, pk, Action.CREATE, Action.UPDATE, Action.UPDATE, Action.DELETE
        )

    def test_bad_ids_bad_input_and_roles_never_500(self) -> None:
        body = {"unit": Tree.VILLAGE_A, "kind": "model_village", "level": "county",
                "designated_on": "2019-03-01"}  # fmt: skip
        response = self.send("POST", self.staff_a, body=body)  # the exact duplicate of self.a
        self.assertEqual(response.status_code, 400)
        error = response.json()["errors"][0]
        self.assertEqual(error["field"], "kind")
        self.assertIn("同一命名日期", error["message"])
        response = self.send("POST", self.staff_a, body={**body, "kind": "nope"})
        self.assertEqual(response.json()["errors"][0]["field"], "kind")
        response = self.send("POST", self.staff_a, body={**body, "level": "galaxy"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("级别只能是", response.json()["errors"][0]["message"])
        response = self.send("POST", self.staff_a, body={**body, "designated_on": "2019-02-30"})
        self.assertIn(response.status_code, (400, 422))
        self.assertRegex(response.json()["errors"][0]["message"], r"[\u4e00-\u9fff]")
        response = self.send(
            "POST",
            self.staff_a,
            body={**body, "designated_on": "2026-01-01", "revoked_on": "2025-01-01"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("撤销日期应晚于命名日期", response.json()["errors"][0]["message"])
        self.assertRefused(
            {**body, "level": "city"}, self.a, hidden=self.b, elsewhere=Tree.VILLAGE_B
        )
        self.assertEqual(Designation.objects.count(), 3)

    def test_kinds_and_openapi(self) -> None:
        kinds = [k["code"] for k in self.get(self.keeper, "kinds/").json()]
        self.assertEqual(kinds[0], "model_village")
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/designations/{designation_id}/", schema["paths"])
