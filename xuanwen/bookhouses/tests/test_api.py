from datetime import date
from typing import Any

from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import add_demand, add_loan, add_stock, make_bookhouse

BASE = "/api/v1/bookhouses/"
# Returns, due dates and the summary's open and overdue loans are judged against today.
TODAY = date(2026, 11, 27)


@frozen(TODAY)
class ApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋", area=30)
        cls.other = make_bookhouse(Tree.VILLAGE_B, "府东社区农家书屋")

    def send(self, user: Any, method: str, path: str, body: Any = None) -> Any:
        return self.api(method, BASE + path, user, body)

    def test_stock_crud(self) -> None:
        body = {"facility": self.house.pk, "date": "2026-03-02", "kind": "books", "count": 1500,
                "source": "distributed"}  # fmt: skip
        r = self.send(self.keeper, "POST", "stock/", body)
        self.assertEqual(r.status_code, 201, r.content)
        pk = r.json()["id"]
        r = self.send(self.keeper, "PATCH", f"stock/{pk}/", {"count": 1600})
        self.assertEqual(r.json()["count"], 1600)
        r = self.send(self.keeper, "PUT", f"stock/{pk}/", {**body, "count": 1700})
        self.assertEqual(StockEntry.objects.get().count, 1700)
        r = self.send(self.keeper, "GET", "stock/")
        self.assertEqual(r.json()["count"], 1)
        r = self.send(self.keeper, "DELETE", f"stock/{pk}/")
        self.assertEqual(r.status_code, 204)
        self.assertFalse(StockEntry.objects.exists())
        self.assertTrue(StockEntry.all_objects.filter(pk=pk).exists())

    def test_a_broken_rule_is_a_400_naming_the_field(self) -> None:
        body = {"facility": self.house.pk, "date": "2026-03-02", "kind": "books", "count": 5,
                "source": "removed"}  # fmt: skip
        r = self.send(self.keeper, "POST", "stock/", body)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["errors"][0]["field"], "count")

    def test_loans_lend_and_return(self) -> None:
        body = {"facility": self.house.pk, "lent_on": "2026-03-02", "reader_name": "王大妈",
                "title": "果树栽培"}  # fmt: skip
        r = self.send(self.keeper, "POST", "loans/", body)
        self.assertEqual(r.status_code, 201, r.content)
        loan = r.json()
        self.assertEqual(loan["due_on"], "2026-04-01")
        r = self.send(
            self.keeper, "POST", f"loans/{loan['id']}/return/", {"returned_on": "2026-03-20"}
        )
        self.assertEqual(r.json()["returned_on"], "2026-03-20")
        r = self.send(self.keeper, "POST", f"loans/{loan['id']}/return/", {})
        self.assertEqual(r.status_code, 400)
        r = self.send(self.keeper, "GET", "loans/?status=returned")
        self.assertEqual(r.json()["count"], 1)

    def test_demands_crud(self) -> None:
        body = {"facility": self.house.pk, "date": "2026-03-02", "reader_name": "李大爷",
                "wanted": "养蜂"}  # fmt: skip
        r = self.send(self.keeper, "POST", "demands/", body)
        self.assertEqual(r.status_code, 201, r.content)
        pk = r.json()["id"]
        r = self.send(
            self.keeper, "PATCH", f"demands/{pk}/", {"status": "met", "status_date": "2026-03-10"}
        )
        self.assertEqual((r.json()["status"], r.json()["status_date"]), ("met", "2026-03-10"))
        self.assertEqual(self.send(self.keeper, "DELETE", f"demands/{pk}/").status_code, 204)
        self.assertFalse(Demand.objects.exists())

    def test_another_units_rows_are_404_and_unchanged(self) -> None:
        entry = add_stock(self.other, 10)
        loan = add_loan(self.other)
        demand = add_demand(self.other)
        for path in (f"stock/{entry.pk}/", f"loans/{loan.pk}/", f"demands/{demand.pk}/",
                     f"{self.other.pk}/summary/"):  # fmt: skip
            self.assertEqual(self.send(self.staff_a, "GET", path).status_code, 404, path)
        self.assertEqual(self.send(self.staff_a, "DELETE", f"loans/{loan.pk}/").status_code, 404)
        r = self.send(self.staff_a, "POST", f"loans/{loan.pk}/return/", {})
        self.assertEqual(r.status_code, 404)
        body = {"facility": self.other.pk, "date": "2026-03-02", "kind": "books", "count": 5,
                "source": "donated"}  # fmt: skip
        self.assertEqual(self.send(self.staff_a, "POST", "stock/", body).status_code, 404)
        # Moving one's own row to another unit's bookhouse is a 404 too.
        mine = add_stock(self.house, 10)
        r = self.send(self.staff_a, "PATCH", f"stock/{mine.pk}/", {"facility": self.other.pk})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(StockEntry.objects.filter(facility=self.other).count(), 1)
        self.assertIsNone(Loan.objects.get(pk=loan.pk).returned_on)
        r = self.send(self.staff_a, "GET", f"loans/?facility={self.other.pk}")
        self.assertEqual(r.status_code, 404)
        r = self.send(self.staff_a, "GET", "")
        self.assertEqual([b["id"] for b in r.json()["items"]], [self.house.pk])

    def test_a_reader_gets_403(self) -> None:
        body = {"facility": self.house.pk, "date": "2026-03-02", "reader_name": "李大爷",
                "wanted": "养蜂"}  # fmt: skip
        self.assertEqual(self.send(self.viewer, "POST", "demands/", body).status_code, 403)
        self.assertFalse(Demand.objects.exists())

    def test_the_summary(self) -> None:
        add_stock(self.house, 1500)
        add_stock(self.house, 120, kind="av", source="purchased")
        add_loan(self.house, lent_on=TODAY, due_on=TODAY)
        r = self.send(self.staff_a, "GET", f"{self.house.pk}/summary/")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertTrue(body["bookhouse"]["meets_standard"])
        self.assertEqual(body["bookhouse"]["books"], 1500)
        self.assertEqual([c["met"] for c in body["standard"]], [True, True, True])
        self.assertEqual(body["loans_open"], 1)
        r = self.send(self.staff_a, "GET", f"?unit={Tree.TOWNSHIP_A}")
        self.assertEqual(r.json()["items"][0]["av"], 120)
