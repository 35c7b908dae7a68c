import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.designations.models import Designation
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import make_designation

D = dt.date
URL = "/api/v1/designations/"


@frozen(D(2026, 6, 1))
class ApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = make_designation(Tree.VILLAGE_A, designated_on=D(2019, 3, 1))
        cls.b = make_designation(Tree.VILLAGE_B, "advanced_village", designated_on=D(2024, 3, 1))
        cls.elsewhere = make_designation(Tree.OTHER_TOWNSHIP, designated_on=D(2024, 3, 1))

    def get(self, user: Any, path: str = "", **params: Any) -> Any:
        return self.client.get(URL + path, params, **self.bearer(user))

    def send(self, method: str, user: Any, path: str = "", body: Any = None) -> Any:
        return self.api(method, URL + path, user, body)

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
        def count() -> int:
            headers = self.bearer(self.supervisor)
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(URL, **headers).status_code, 200)
            return len(ctx.captured_queries)

        few = count()
        for i in range(30):
            make_designation(Tree.VILLAGE_B, designated_on=D(2000 + i, 1, 1))
        self.assertEqual(few, count())

    def test_create_update_delete(self) -> None:
        body = {
            "unit": Tree.VILLAGE_A2,
            "kind": "model_village",
            "level": "city",
            "designated_on": "2026-05-20",
            "document_no": "台文〔2026〕8号",
        }
        response = self.send("POST", self.staff_a, body=body)
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        response = self.send("PATCH", self.staff_a, f"{pk}/", {"revoked_on": "2026-05-30"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Designation.objects.get(pk=pk).revoked_on, D(2026, 5, 30))
        response = self.send(
            "PUT", self.staff_a, f"{pk}/", {**body, "awarded_by": "台州市文广旅局"}
        )
        self.assertEqual(response.json()["awarded_by"], "台州市文广旅局")
        self.assertIsNone(response.json()["revoked_on"])
        self.assertEqual(self.send("GET", self.staff_a, f"{pk}/").status_code, 200)
        self.assertEqual(self.send("DELETE", self.staff_a, f"{pk}/").status_code, 204)
        self.assertFalse(Designation.objects.filter(pk=pk).exists())
        actions = AuditEntry.objects.filter(object_pk=str(pk), model="designations.designation")
        self.assertEqual(
            sorted(actions.values_list("action", flat=True)),
            sorted([Action.CREATE, Action.UPDATE, Action.UPDATE, Action.DELETE]),
        )

    def test_bad_ids_bad_input_and_roles_never_500(self) -> None:
        self.assertEqual(self.get(self.staff_a, f"{self.b.pk}/").status_code, 404)
        self.assertEqual(self.get(self.staff_a, "987654321/").status_code, 404)
        self.assertEqual(self.send("DELETE", self.staff_a, f"{self.b.pk}/").status_code, 404)
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
        self.assertEqual(
            self.send("POST", self.viewer, body={**body, "level": "city"}).status_code, 403
        )
        self.assertEqual(
            self.send("POST", self.staff_a, body={**body, "unit": Tree.VILLAGE_B}).status_code, 404
        )
        self.assertEqual(Designation.objects.count(), 3)

    def test_kinds_and_openapi(self) -> None:
        kinds = [k["code"] for k in self.get(self.keeper, "kinds/").json()]
        self.assertEqual(kinds[0], "model_village")
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/designations/{designation_id}/", schema["paths"])
