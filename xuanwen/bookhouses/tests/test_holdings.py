"""A kind's holdings never fall below zero: removals, edits and deletions on the page, in the
API and in the Excel import are all refused by the same service rule."""

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.bookhouses import services
from xuanwen.bookhouses.models import StockEntry
from xuanwen.testing import BaseTestCase, Tree

from .helpers import add_stock, make_bookhouse
from .test_excel import STOCK_HEADERS, xlsx

API = "/api/v1/bookhouses/"


class HoldingsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")

    def setUp(self) -> None:
        # 100 books arrive on 1 March; 50 are weeded out on 20 March.
        self.arrival = add_stock(self.house, 100, date=date(2026, 3, 1))
        self.weeding = add_stock(self.house, -50, date=date(2026, 3, 20), source="removed")

    def send(self, method: str, path: str, body: Any = None) -> Any:
        return self.api(method, API + path, self.keeper, body)

    def removal(self, count: int, day: str = "2026-03-10", kind: str = "books") -> dict[str, Any]:
        return {"date": day, "kind": kind, "source": "removed", "count": str(count)}

    def enter_removal(self, count: int, **fields: str) -> Any:
        """The keeper enters a removal on the bookhouse's stock page."""
        self.client.force_login(self.keeper)
        url = reverse("bookhouses:stock_create", args=[self.house.pk])
        return self.client.post(url, self.removal(count, **fields))

    def test_a_removal_beyond_the_holdings_is_refused_on_the_page(self) -> None:
        # On 10 March there are 100 books, and the 50 weeded on the 20th are still needed then:
        # 70 more would leave -20 on the 20th.
        r = self.enter_removal(-70)
        self.assertEqual(r.status_code, 200)
        self.assertIn(
            "图书库存不足：2026-03-20 的库存将变为 -20，缺 20。", r.context["form"].errors["count"]
        )
        self.assertEqual(StockEntry.objects.count(), 2)
        # 50 is exactly what is there: allowed, the shelf is empty.
        r = self.enter_removal(-50)
        self.assertRedirects(r, reverse("bookhouses:stock", args=[self.house.pk]))
        self.assertEqual(StockEntry.objects.count(), 3)

    def test_holdings_count_at_the_date_of_the_removal(self) -> None:
        # Before the books arrived there is nothing to remove, whatever comes later.
        r = self.enter_removal(-5, day="2026-02-27")
        self.assertContains(r, "图书库存不足：2026-02-27 的库存将变为 -5，缺 5。")
        self.assertEqual(StockEntry.objects.count(), 2)

    def test_other_kinds_and_bookhouses_are_their_own(self) -> None:
        r = self.enter_removal(-1, kind="av")
        self.assertContains(r, "音像制品库存不足")
        other = make_bookhouse(Tree.VILLAGE_A, "第二书屋")
        add_stock(other, 500, date=date(2026, 3, 1))
        r = self.enter_removal(-60)
        self.assertEqual(r.status_code, 200)  # the other bookhouse's books are not these
        self.assertEqual(StockEntry.objects.filter(facility=self.house).count(), 2)

    def test_the_api_names_the_kind_and_the_shortfall(self) -> None:
        body = {"facility": self.house.pk, **self.removal(-70), "count": -70}
        r = self.send("POST", "stock/", body)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(
            r.json()["errors"],
            [{"field": "count", "message": "图书库存不足：2026-03-20 的库存将变为 -20，缺 20。"}],
        )
        # A smaller arrival, or one moved after the weeding, lowers the holdings just as well.
        r = self.send("PATCH", f"stock/{self.arrival.pk}/", {"count": 30})
        self.assertEqual(r.status_code, 400)
        self.assertIn("缺 20", r.json()["detail"])
        r = self.send("PATCH", f"stock/{self.arrival.pk}/", {"date": "2026-03-25"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("图书库存不足：2026-03-20 的库存将变为 -50，缺 50。", r.json()["detail"])
        r = self.send("PATCH", f"stock/{self.arrival.pk}/", {"kind": "av"})
        self.assertEqual(r.status_code, 400)
        self.arrival.refresh_from_db()
        self.assertEqual((self.arrival.count, self.arrival.kind), (100, "books"))
        # The arrival the weeding relies on cannot be deleted either.
        r = self.send("DELETE", f"stock/{self.arrival.pk}/")
        self.assertEqual(r.status_code, 400)
        self.assertIn("不能删除：图书库存不足", r.json()["detail"])
        self.assertTrue(StockEntry.objects.filter(pk=self.arrival.pk).exists())
        # Deleting the weeding first, then the arrival, is fine.
        self.assertEqual(self.send("DELETE", f"stock/{self.weeding.pk}/").status_code, 204)
        self.assertEqual(self.send("DELETE", f"stock/{self.arrival.pk}/").status_code, 204)
        self.assertFalse(StockEntry.objects.exists())

    def test_deleting_a_needed_arrival_on_the_page_says_why(self) -> None:
        self.client.force_login(self.keeper)
        r = self.client.post(
            reverse("bookhouses:stock_delete", args=[self.arrival.pk]), follow=True
        )
        self.assertContains(r, "不能删除：图书库存不足：2026-03-20 的库存将变为 -50，缺 50。")
        self.assertTrue(StockEntry.objects.filter(pk=self.arrival.pk).exists())

    def test_an_earlier_shortage_does_not_block_unrelated_entries(self) -> None:
        # Data from before the rule: 30 removed in January with nothing on the shelf.
        add_stock(self.house, -30, date=date(2026, 1, 5), source="removed")
        # From March on there are 70 (100 - 30) and then 20 after the weeding: 20 may go.
        r = self.enter_removal(-20, day="2026-03-25")
        self.assertRedirects(r, reverse("bookhouses:stock", args=[self.house.pk]))
        r = self.enter_removal(-1, day="2026-03-25")
        self.assertContains(r, "图书库存不足：2026-03-25 的库存将变为 -1，缺 1。")

    def test_the_service_refuses_whoever_calls_it(self) -> None:
        data = services.StockData(
            facility=self.house, date=date(2026, 3, 10), kind="books", count=-70, source="removed"
        )
        with self.assertRaisesMessage(
            services.ValidationError, "图书库存不足：2026-03-20 的库存将变为 -20，缺 20。"
        ):
            services.stock_create(user=self.keeper, data=data)
        self.assertEqual(StockEntry.objects.count(), 2)


class HoldingsImportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")

    def upload(self, rows: list[list[Any]]) -> Any:
        return self.client.post(
            reverse("bookhouses:stock_import"), {"file": xlsx(rows, STOCK_HEADERS, "藏书登记")}
        )

    def test_a_removal_may_rely_on_an_arrival_in_the_same_file(self) -> None:
        self.client.force_login(self.keeper)
        r = self.upload(
            [
                [Tree.VILLAGE_A, "", "2026-03-20", "图书", -40, "剔旧报损", ""],
                [Tree.VILLAGE_A, "", "2026-03-01", "图书", 100, "上级配送", ""],
            ]
        )
        self.assertEqual(r.context["total"], 2, r.context.get("problems_shown"))
        self.client.post(reverse("bookhouses:stock_import_confirm"), {"token": r.context["token"]})
        self.assertEqual(StockEntry.objects.count(), 2)

    def test_a_removal_beyond_the_holdings_is_named_on_its_cell(self) -> None:
        add_stock(self.house, 30, date=date(2026, 3, 1))
        self.client.force_login(self.keeper)
        r = self.upload(
            [
                [Tree.VILLAGE_A, "", "2026-03-05", "图书", 10, "捐赠", ""],
                [Tree.VILLAGE_A, "", "2026-03-10", "图书", -60, "剔旧报损", ""],
                [Tree.VILLAGE_A, "", "2026-03-10", "音像制品", -1, "剔旧报损", ""],
            ]
        )
        self.assertProblems(
            r,
            "第 3 行 第 E 列（数量）：图书库存不足：2026-03-10 的库存将变为 -20，缺 20。",
            "第 4 行 第 E 列（数量）：音像制品库存不足：2026-03-10 的库存将变为 -1，缺 1。",
        )
        self.assertEqual(StockEntry.objects.count(), 1)

    def test_a_removal_recorded_between_preview_and_confirmation_is_caught(self) -> None:
        add_stock(self.house, 30, date=date(2026, 3, 1))
        self.client.force_login(self.keeper)
        r = self.upload([[Tree.VILLAGE_A, "", "2026-03-10", "图书", -20, "剔旧报损", ""]])
        token = r.context["token"]
        add_stock(self.house, -20, date=date(2026, 3, 5), source="removed")
        r = self.client.post(reverse("bookhouses:stock_import_confirm"), {"token": token})
        self.assertProblems(
            r, "第 2 行 第 E 列（数量）：图书库存不足：2026-03-10 的库存将变为 -10，缺 10。"
        )
        self.assertEqual(StockEntry.objects.count(), 2)

    def test_the_check_costs_the_same_for_any_number_of_rows(self) -> None:
        second = make_bookhouse(Tree.VILLAGE_A2, "井头书屋")

        def rows(n: int) -> list[services.StockData]:
            out = []
            for i in range(n):
                house = self.house if i % 2 else second
                out.append(services.StockData(house, date(2026, 3, 1), "books", 10, "donated"))
                out.append(services.StockData(house, date(2026, 3, 2), "books", -5, "removed"))
            return out

        counts = []
        for n in (2, 40):
            with CaptureQueriesContext(connection) as ctx:
                problems = services.stock_import_problems(user=self.staff_a, rows=rows(n))
            self.assertEqual(problems, {})
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1])


class RestoreTests(BaseTestCase):
    """Restoring a deleted stock entry on the audit page keeps to the same rule."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")

    def delete(self, entry: StockEntry) -> AuditEntry:
        services.stock_delete(user=self.keeper, entry=entry)
        return AuditEntry.objects.get(
            action=Action.DELETE, model="bookhouses.stockentry", object_pk=str(entry.pk)
        )

    def test_a_removal_whose_books_were_used_since_is_not_restored(self) -> None:
        add_stock(self.house, 100, date=date(2026, 3, 1))
        weeding = add_stock(self.house, -60, date=date(2026, 3, 10), source="removed")
        deleted = self.delete(weeding)
        # With the weeding gone, 80 of the 100 were removed on the 20th.
        add_stock(self.house, -80, date=date(2026, 3, 20), source="removed")
        self.client.force_login(self.admin)
        r = self.client.post(reverse("audit:restore", args=[deleted.pk]), follow=True)
        self.assertContains(r, "不能恢复：图书库存不足：2026-03-20 的库存将变为 -40，缺 40。")
        weeding.refresh_from_db()
        self.assertIsNotNone(weeding.deleted_at)
        deleted.refresh_from_db()
        self.assertIsNone(deleted.restored_at)

    def test_a_removal_that_still_fits_and_an_addition_are_restored(self) -> None:
        arrival = add_stock(self.house, 100, date=date(2026, 3, 1))
        weeding = add_stock(self.house, -60, date=date(2026, 3, 10), source="removed")
        restored = self.delete(weeding)
        audit_restore(user=self.admin, entry=restored)
        weeding.refresh_from_db()
        self.assertIsNone(weeding.deleted_at)
        # An addition comes back whatever happened since (it only raises the holdings).
        services.stock_delete(user=self.keeper, entry=weeding)
        gone = self.delete(arrival)
        audit_restore(user=self.admin, entry=gone)
        arrival.refresh_from_db()
        self.assertIsNone(arrival.deleted_at)
