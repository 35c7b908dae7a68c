"""The OpenAPI document declares the errors every operation can answer (xuanwen.api.errors), and
the answers keep to it: a client reads the document, not the code."""

from typing import Any

from xuanwen.testing import BaseTestCase, Tree

WRITES = {"post", "put", "patch", "delete"}


class DeclaredErrorTests(BaseTestCase):
    def document(self) -> dict[str, Any]:
        r = self.client.get("/api/v1/openapi.json", **self.bearer(self.admin))
        assert r.status_code == 200
        return r.json()

    def test_every_operation_declares_its_errors_with_one_body(self) -> None:
        doc = self.document()
        assert {"detail", "errors"} <= set(doc["components"]["schemas"]["ErrorOut"]["properties"])
        seen = 0
        for path, operations in doc["paths"].items():
            for method, op in operations.items():
                statuses = set(op["responses"])
                if op.get("security"):
                    assert "401" in statuses, (method, path)
                if method in WRITES:
                    assert {"400", "403", "404", "422"} <= statuses, (method, path)
                for status in statuses & {"400", "401", "403", "404", "422"}:
                    ref = op["responses"][status]["content"]["application/json"]["schema"]
                    assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)
                seen += 1
        assert seen > 50

    def test_the_answers_are_the_declared_ones(self) -> None:
        doc = self.document()
        declared = doc["paths"]["/api/v1/activities/{activity_id}/"]["get"]["responses"]
        # No token: 401; a guessed id: 404; a malformed date: 422 — each declared, each in Chinese.
        r = self.client.get("/api/v1/activities/1/")
        assert r.status_code == 401 and "401" in declared
        r = self.client.get("/api/v1/activities/999999/", **self.bearer(self.staff_a))
        assert r.status_code == 404 and "404" in declared
        listed = doc["paths"]["/api/v1/activities/"]["get"]["responses"]
        r = self.client.get("/api/v1/activities/", {"start": "x"}, **self.bearer(self.staff_a))
        assert r.status_code == 422 and "422" in listed
        assert r.json()["detail"]
        # A write a viewer may not make: 403, declared on the create.
        create = doc["paths"]["/api/v1/activities/"]["post"]["responses"]
        r = self.api("post", "/api/v1/activities/", self.viewer, {"unit": Tree.VILLAGE_A})
        assert r.status_code in {403, 422} and str(r.status_code) in create


class SchemaNameTests(BaseTestCase):
    def test_each_kinds_read_documents_its_own_fields(self) -> None:
        doc = self.client.get("/api/v1/openapi.json", **self.bearer(self.admin)).json()

        def fields(path: str) -> set[str]:
            ok = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
            ref = ok["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
            return set(doc["components"]["schemas"][ref]["properties"])

        assert {"min_days_per_week", "min_hours_per_day"} <= fields("/api/v1/facilities/kinds/")
        assert "min_days_per_week" not in fields("/api/v1/households/kinds/")
