"""A schema's class name is its OpenAPI component name: two classes of one name would share one
component, and one of their operations would be documented with the other's fields (the plans'
return once showed the bookhouses' returned_on, the duties' compliance the reports' tally)."""

from collections import defaultdict

from django.test import SimpleTestCase
from ninja import Schema

from xuanwen.api.api import api


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_schemas(sub))
    return found


class ComponentNameTests(SimpleTestCase):
    def test_no_two_schemas_share_a_component(self) -> None:
        components = api.get_openapi_schema()["components"]["schemas"]
        modules: dict[str, set[str]] = defaultdict(set)
        for schema in _schemas(Schema):
            # A base class that only its subclasses use (records.schemas.UnitOut) is no
            # component of its own.
            if schema.__module__.startswith("xuanwen.") and not schema.__subclasses__():
                modules[schema.__name__].add(schema.__module__)
        # Bodies and answers (…In, …Out); a filter's fields become query parameters instead.
        shared = {
            name: m
            for name, m in modules.items()
            if len(m) > 1 and name in components and name.endswith(("In", "Out"))
        }
        self.assertEqual(shared, {})

    def test_the_plans_return_takes_a_note(self) -> None:
        body = api.get_openapi_schema()["paths"]["/api/v1/plans/{plan_id}/return/"]["post"]
        ref = body["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[1]
        properties = api.get_openapi_schema()["components"]["schemas"][name]["properties"]
        self.assertIn("note", properties)
