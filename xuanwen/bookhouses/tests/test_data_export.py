"""The bookhouse registers' exports (the import's shape; a row names its bookhouse by unit and
name) import back field by field, also where the bookhouses were imported again."""

from datetime import date
from typing import Any, ClassVar

from django.db import models
from django.urls import reverse

from xuanwen.bookhouses import services
from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.bookhouses.tests.helpers import make_bookhouse
from xuanwen.facilities.models import Facility
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree


def rows(model: type[models.Model], *fields: str) -> list[tuple[Any, ...]]:
    by = ("facility__unit_id", "facility__name", *fields)
    return sorted(model._default_manager.values_list(*by))


STOCK = ("date", "kind", "count", "source", "note")
LOANS = ("lent_on", "reader_name", "reader_phone", "title", "due_on", "returned_on", "reader_key")
DEMANDS = ("date", "reader_name", "reader_phone", "wanted", "status", "status_date", "note")


class BookhouseRoundTrip(RoundTripCase):
    app = "bookhouses"
    registers: ClassVar = (
        ("stock", StockEntry, STOCK),
        ("loans", Loan, LOANS[:-1]),  # reader_key names the facility by its id
        ("demands", Demand, DEMANDS),
    )

    def make(self) -> None:
        for n, unit in enumerate((Tree.VILLAGE_A, Tree.VILLAGE_A2), start=1):
            f = make_bookhouse(unit, name=f"=书屋{n}")
            services.stock_create(
                user=self.staff_a,
                data=services.StockData(
                    facility=f,
                    date=date(2026, 1, n),
                    kind="books",
                    count=500,
                    source="distributed",
                    note="首批",
                ),
            )
            services.stock_create(
                user=self.staff_a,
                data=services.StockData(
                    facility=f, date=date(2026, 2, n), kind="books", count=-20, source="removed"
                ),
            )
            services.loan_create(
                user=self.staff_a,
                data=services.LoanData(
                    facility=f,
                    lent_on=date(2026, 3, n),
                    reader_name="王大妈",
                    title="+农技手册",
                    reader_phone="13800000000",
                    due_on=date(2026, 4, n),
                    returned_on=date(2026, 3, 20),
                ),
            )
            services.demand_create(user=self.staff_a, data=services.DemandData(
                facility=f, date=date(2026, 3, n), reader_name="李四", wanted="养殖",
                status="met", status_date=date(2026, 3, 25), note="已配送"))  # fmt: skip

    def test_each_register_imports_back_field_by_field(self) -> None:
        self.make()
        for key, model, fields in self.registers:
            before = rows(model, *fields)
            self.assertEqual(len(before), 4 if key == "stock" else 2)
            book = self.download(reverse(f"bookhouses:{key}_data_export"), self.staff_a)
            model._default_manager.all().delete()
            self.prefix = f"{key}_"
            preview = self.upload_book(book, self.staff_a)
            self.assertFalse(preview.context.get("problems"), preview.context.get("problems_shown"))
            self.assertEqual(self.confirm(preview).status_code, 302)
            self.assertEqual(rows(model, *fields), before, key)

    def test_they_travel_with_the_bookhouses_to_a_fresh_database(self) -> None:
        self.make()
        before = [rows(model, *fields) for _key, model, fields in self.registers]
        facilities = self.download(reverse("facilities:data_export"), self.staff_a)
        books = {key: self.download(reverse(f"bookhouses:{key}_data_export"), self.staff_a)
                 for key, _m, _f in self.registers}  # fmt: skip
        for _key, model, _fields in self.registers:
            model._default_manager.all().delete()
        Facility.all_objects.all().delete()
        self.app = "facilities"
        self.confirm(self.upload_book(facilities, self.staff_a))
        self.app = "bookhouses"
        for key, _model, _fields in self.registers:
            self.prefix = f"{key}_"
            self.assertEqual(
                self.confirm(self.upload_book(books[key], self.staff_a)).status_code, 302
            )
        after = [rows(model, *fields) for _key, model, fields in self.registers]
        self.assertEqual(after, before)
