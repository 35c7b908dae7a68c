"""What the API tests of every register repeat, written once: the requests, and the checks
whose steps are the same for each (a list's queries do not grow with its rows; a record's
writes leave their audit trail; the scope and the roles are refused alike). Each app's test
still states what it sends and what it expects of its own fields.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from xuanwen.accounts.models import User
from xuanwen.audit.models import AuditEntry
from xuanwen.testing import BaseTestCase


class RegisterApiTestCase(BaseTestCase):
    """A register's API tests; `url` is its collection, e.g. "/api/v1/households/"."""

    url: ClassVar[str]

    def get(self, user: User, path: str = "", **params: Any) -> Any:
        return self.client.get(self.url + path, params, **self.bearer(user))

    def send(self, method: str, user: User, path: str = "", body: Any = None) -> Any:
        return self.api(method, self.url + path, user, body)

    def write(self, method: str, path: str, body: Any, status: int = 200) -> Any:
        """staff_a's write of `body`, answered with `status` (the answer shown if not): its
        JSON, the record as the API gives it back."""
        response = self.send(method, self.staff_a, path, body)
        self.assertEqual(response.status_code, status, response.content)
        return response.json()

    def assertListQueriesDoNotGrow(self, add_row: Callable[[], object], rows: int = 30) -> None:
        """The list (the supervisor's, the whole county) takes as many queries after `rows`
        more records, each made by `add_row()`, as before: nothing is read row by row."""

        def count() -> int:
            headers = self.bearer(self.supervisor)
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.url, **headers).status_code, 200)
            return len(ctx.captured_queries)

        few = count()
        for _i in range(rows):
            add_row()
        self.assertEqual(few, count())

    def assertTrail(self, model: type[Model], pk: int, *actions: str) -> None:
        """The audit log holds exactly `actions` (in any order) for the record `pk` of `model`,
        deleted or not."""
        entries = AuditEntry.objects.filter(object_pk=str(pk), model=model._meta.label_lower)
        self.assertEqual(sorted(entries.values_list("action", flat=True)), sorted(actions))

    def assertRefused(
        self, body: dict[str, Any], own: Model, hidden: Model, elsewhere: str
    ) -> None:
        """The API refuses as the pages do, and changes nothing: `body` (a record staff_a could
        create) is a 403 for the read-only viewer and a 404 for staff_a in the unit
        `elsewhere`, outside staff_a's subtree; `hidden` (a record there) and an id that does
        not exist are 404 to read, delete and patch, and so is moving `own` (a record of
        staff_a's subtree) into `elsewhere`."""
        self.assertEqual(self.send("POST", self.viewer, body=body).status_code, 403)
        self.assertEqual(
            self.send("POST", self.staff_a, body={**body, "unit": elsewhere}).status_code, 404
        )
        for method, path in [
            ("GET", f"{hidden.pk}/"),
            ("GET", "987654321/"),
            ("DELETE", f"{hidden.pk}/"),
            ("PATCH", f"{hidden.pk}/"),
        ]:
            self.assertEqual(self.send(method, self.staff_a, path, {}).status_code, 404, method)
        response = self.send("PATCH", self.staff_a, f"{own.pk}/", {"unit": elsewhere})
        self.assertEqual(response.status_code, 404)
        self.assertTrue(type(hidden)._default_manager.filter(pk=hidden.pk).exists())
