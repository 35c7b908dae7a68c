"""The round trip of a record type's data export (records.excel.DataBook), shared by the apps'
tests: export the records, delete them for good (the unit tree stays), import the file back,
and compare the records field by field, their sub-records included.

    class RoundTrip(RoundTripCase):
        app = "facilities"
        model = Facility
        parts = ("rooms", "equipment")

        def test_round_trip(self):
            make_records(...)
            self.assertRoundTrip(self.admin)
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.accounts.models import User
from xuanwen.records.tests.excel import RegisterExcelCase
from xuanwen.testing import Tree

# Not the record's data: its id, its bookkeeping, its soft delete.
IGNORED = frozenset({"id", "created_at", "updated_at", "created_by", "deleted_at"})


Link = Callable[[models.Model, Any], Any]


def fields_of(
    record: models.Model,
    parts: tuple[str, ...] = (),
    skip: frozenset[str] = frozenset(),
    link: Link | None = None,
) -> dict[str, Any]:
    """A record's stored values (foreign keys by their key, or as `link(field, record)` gives
    them), then each part's rows likewise ("sections__items": a part's own parts), without
    ids, the owner's key, bookkeeping and `skip`, in a stable order."""
    values: dict[str, Any] = {}
    for field in record._meta.concrete_fields:
        if field.name in IGNORED or field.name in skip:
            continue
        values[field.name] = link(field, record) if link else getattr(record, field.attname)
    nested: dict[str, list[str]] = {}
    for name in parts:
        head, _sep, rest = name.partition("__")
        nested.setdefault(head, []).extend([rest] if rest else [])
    for related, inner in nested.items():
        owner = record._meta.get_field(related).field.name  # type: ignore[union-attr]
        rows = [
            fields_of(x, tuple(inner), skip | {owner}, link) for x in getattr(record, related).all()
        ]
        values[related] = sorted(rows, key=repr)
    return values


class RoundTripCase(RegisterExcelCase):
    """`app` names the URLs ("<app>:data_export", "<app>:import" …), `model` the record and
    `parts` its sub-records' related names."""

    model: ClassVar[type[models.Model]]
    parts: ClassVar[tuple[str, ...]] = ()
    export: ClassVar[str] = "data_export"  # the URL name of the data export
    skip: ClassVar[frozenset[str]] = frozenset()  # fields that do not travel (a workflow's)
    query: ClassVar[dict[str, str]] = {}  # the list's filter that shows every record

    def snapshot(self) -> list[dict[str, Any]]:
        manager = self.model._default_manager
        records = manager.prefetch_related(*self.parts)
        return sorted((fields_of(r, self.parts, self.skip) for r in records), key=repr)

    def assertRoundTrip(self, user: User, *, expect: int | None = None) -> list[dict[str, Any]]:
        """Export every record `user` sees, delete them all, import the file: the same records.
        Returns the records compared (to check the fixture filled what it should)."""
        before = self.snapshot()
        self.assertTrue(before)
        if expect is not None:
            self.assertEqual(len(before), expect)
        book = self.download(reverse(f"{self.app}:{self.export}"), user, **self.query)
        all_objects = getattr(self.model, "all_objects", self.model._default_manager)
        all_objects.all().delete()
        self.assertEqual(self.snapshot(), [])
        preview = self.upload_book(book, user)
        self.assertEqual(preview.status_code, 200)
        self.assertFalse(preview.context.get("problems"), preview.context.get("problems_shown"))
        response = self.confirm(preview)
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None) and response.context.get("problems_shown"),
        )
        after = self.snapshot()
        self.assertEqual(after, before)
        return after

    def export_queries(self, user: User) -> int:
        """The queries of `user`'s data export, the file streamed to its end."""
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse(f"{self.app}:{self.export}"))
            self.assertEqual(response.status_code, 200)
            b"".join(response.streaming_content)
        return len(queries)

    def assertScopedAndConstant(self, make: Callable[[str, int], Any], sheet: str) -> None:
        """The data export's queries do not grow with its rows (`make(unit, n)` makes the n-th
        record in township A), and a user of township B gets none of them."""
        make(Tree.VILLAGE_A, 1)
        few = self.export_queries(self.admin)
        make(Tree.VILLAGE_A2, 2)
        make(Tree.TOWNSHIP_A, 3)
        self.assertEqual(self.export_queries(self.admin), few)
        book = self.download(reverse(f"{self.app}:{self.export}"), self.staff_b, **self.query)
        self.assertEqual(book[sheet].max_row, 1)  # the header alone
