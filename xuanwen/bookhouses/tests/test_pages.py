from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import add_demand, add_loan, add_stock, make_bookhouse

# Returns, due dates and overdue loans are judged against today.
TODAY = date(2026, 11, 27)


class BookhousePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house_a = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋", area=30)
        cls.house_b = make_bookhouse(Tree.VILLAGE_B, "府东社区农家书屋", area=15)
        add_stock(cls.house_a, 1500, date=date(2025, 5, 1), source="opening")
        add_stock(cls.house_a, 100, kind="av")
        add_stock(cls.house_b, 2000)

    def test_the_page_shows_totals_against_the_standard(self) -> None:
        self.client.force_login(self.keeper)
        page = self.client.get(reverse("bookhouses:detail", args=[self.house_a.pk]))
        self.assertEqual(page.status_code, 200)
        checks = page.context["summary"].checks
        self.assertEqual([c.met for c in checks], [True, True, True])
        self.assertTrue(page.context["summary"].meets_standard)
        self.assertContains(page, "1500")
        # The additions of the year are the distributed AV items only: an opening count is stock,
        # not an addition.
        self.assertEqual(page.context["additions"], [])

    def test_a_bookhouse_short_of_the_standard_says_what_is_missing(self) -> None:
        self.client.force_login(self.staff_b)
        page = self.client.get(reverse("bookhouses:detail", args=[self.house_b.pk]))
        met = {str(c.label): c.met for c in page.context["summary"].checks}
        self.assertEqual(met, {"面积": False, "图书": True, "音像制品": False})
        self.assertContains(page, "未达标")

    def test_another_units_bookhouse_is_a_404(self) -> None:
        self.client.force_login(self.staff_b)
        for name in ("detail", "stock", "loans", "demands", "stock_create", "loan_create"):
            r = self.client.get(reverse(f"bookhouses:{name}", args=[self.house_a.pk]))
            self.assertEqual(r.status_code, 404, name)
        entry = StockEntry.objects.filter(facility=self.house_a).first()
        assert entry is not None
        r = self.client.post(reverse("bookhouses:stock_delete", args=[entry.pk]))
        self.assertEqual(r.status_code, 404)
        self.assertFalse(StockEntry.all_objects.get(pk=entry.pk).deleted_at)

    def test_a_facility_of_another_kind_is_no_bookhouse(self) -> None:
        kind, _ = FacilityKind.objects.get_or_create(code="room", defaults={"name": "文化室"})
        room = Facility.objects.create(unit_id=Tree.VILLAGE_A, kind=kind, name="文化室")
        self.client.force_login(self.admin)
        r = self.client.get(reverse("bookhouses:detail", args=[room.pk]))
        self.assertEqual(r.status_code, 404)

    def test_the_list_rolls_up_by_child_unit(self) -> None:
        self.client.force_login(self.admin)
        page = self.client.get(reverse("bookhouses:list"))
        rows = {r.unit.code: r for r in page.context["children"]}
        self.assertEqual(rows[Tree.TOWNSHIP_A].bookhouses, 1)
        self.assertEqual(rows[Tree.TOWNSHIP_A].meeting, 1)
        self.assertEqual(rows[Tree.TOWNSHIP_A].books, 1500)
        self.assertEqual(rows[Tree.TOWNSHIP_B].meeting, 0)
        self.assertEqual(rows[Tree.TOWNSHIP_B].books, 2000)
        self.assertEqual(page.context["total"].bookhouses, 2)
        self.assertEqual(page.context["total"].meeting, 1)

    def test_the_list_shows_only_the_subtree(self) -> None:
        self.client.force_login(self.staff_b)
        page = self.client.get(reverse("bookhouses:list"))
        self.assertContains(page, "府东社区农家书屋")
        self.assertNotContains(page, "文化社区农家书屋")
        # Asking for a unit outside the scope shows the user's own subtree.
        page = self.client.get(reverse("bookhouses:list"), {"unit": Tree.TOWNSHIP_A})
        self.assertNotContains(page, "文化社区农家书屋")


class QueryCountTests(BaseTestCase):
    """Every list page costs the same number of queries for 2 or 40 bookhouses and rows."""

    def fill(self, n: int) -> None:
        for i in range(n):
            unit = Tree.VILLAGE_A if i % 2 else Tree.VILLAGE_B
            house = make_bookhouse(unit, f"书屋{i}")
            add_stock(house, 10 + i)
            add_loan(house, reader=f"读者{i}")
            add_demand(house)

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200, url)
        return len(ctx.captured_queries)

    def urls(self) -> list[str]:
        house = Facility.objects.order_by("pk").first()
        assert house is not None
        return [
            reverse("bookhouses:list"),
            reverse("bookhouses:list") + f"?unit={Tree.TOWNSHIP_A}",
            reverse("bookhouses:detail", args=[house.pk]),
            reverse("bookhouses:stock", args=[house.pk]),
            reverse("bookhouses:loans", args=[house.pk]),
            reverse("bookhouses:demands", args=[house.pk]),
            reverse("bookhouses:stock_all"),
            reverse("bookhouses:loans_all"),
            reverse("bookhouses:loans_all") + "?status=overdue",
            reverse("bookhouses:demands_all"),
        ]

    def test_it_does_not_grow_with_the_rows(self) -> None:
        self.client.force_login(self.admin)
        self.fill(2)
        small = [self.count(u) for u in self.urls()]
        self.fill(40)
        house = Facility.objects.order_by("pk").first()
        assert house is not None
        for i in range(30):
            add_loan(house, reader=f"多{i}", returned_on=None)
            add_stock(house, 5, date=date(2020 + i % 6, 1, 1))
        large = [self.count(u) for u in self.urls()]
        self.assertEqual(small, large)
        # Three of them are the top bar's derived notices (the user's own duties and their
        # completions, the overdue loans: notices.context_processors).
        self.assertLessEqual(max(large), 15)


@frozen(TODAY)
class RegisterEntryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")

    def test_the_keeper_lends_a_book_from_the_bookhouse_page(self) -> None:
        self.client.force_login(self.keeper)
        page = self.client.get(reverse("bookhouses:detail", args=[self.house.pk]))
        self.assertContains(page, 'id="quick-loan"')
        self.assertContains(page, 'inputmode="tel"')
        r = self.client.post(
            reverse("bookhouses:loan_create", args=[self.house.pk]),
            {
                "reader_name": "王大妈",
                "title": "果树栽培",
                "reader_phone": "",
                "lent_on": "2026-03-02",
                "back": "detail",
            },
        )
        self.assertRedirects(r, reverse("bookhouses:detail", args=[self.house.pk]))
        loan = Loan.objects.get()
        self.assertEqual(loan.due_on, date(2026, 4, 1))  # 30 days by default
        self.assertEqual(loan.created_by, self.keeper)
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.CREATE, model="bookhouses.loan").exists()
        )

    def test_return_is_one_tap(self) -> None:
        loan = add_loan(self.house)
        self.client.force_login(self.keeper)
        r = self.client.post(
            reverse("bookhouses:loan_return", args=[loan.pk]), HTTP_HX_REQUEST="true"
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "已归还")
        loan.refresh_from_db()
        self.assertEqual(loan.returned_on, TODAY)
        # A second tap changes nothing and says why.
        r = self.client.post(reverse("bookhouses:loan_return", args=[loan.pk]))
        self.assertRedirects(r, reverse("bookhouses:loans", args=[self.house.pk]))
        loan.refresh_from_db()
        self.assertEqual(loan.returned_on, TODAY)

    def test_a_loan_returned_on_the_bookhouse_page_leaves_its_open_loans(self) -> None:
        loan = add_loan(self.house)
        add_loan(self.house, "第二本")
        self.client.force_login(self.keeper)
        page = self.client.get(reverse("bookhouses:detail", args=[self.house.pk]))
        self.assertContains(page, '<dd id="loans-open">2</dd>')
        r = self.client.post(
            reverse("bookhouses:loan_return", args=[loan.pk]),
            {"back": "detail"},
            HTTP_HX_REQUEST="true",
        )
        # The row is swapped for nothing: it leaves 在借图书, and the count above says 1.
        body = r.content.decode()
        assert f'id="loan-{loan.pk}"' not in body
        assert '<dd id="loans-open" hx-swap-oob="true">1</dd>' in body
        page = self.client.get(reverse("bookhouses:detail", args=[self.house.pk]))
        self.assertContains(page, '<dd id="loans-open">1</dd>')

    def test_overdue_loans_are_listed(self) -> None:
        today = TODAY
        late = add_loan(
            self.house, "迟还", lent_on=today - timedelta(40), due_on=today - timedelta(10)
        )
        add_loan(self.house, "按时", lent_on=today, due_on=today + timedelta(30))
        add_loan(self.house, "已还", lent_on=today - timedelta(40), due_on=today - timedelta(10),
                 returned_on=today - timedelta(12))  # fmt: skip
        other = make_bookhouse(Tree.VILLAGE_B)
        add_loan(other, "别村", lent_on=today - timedelta(40), due_on=today - timedelta(10))
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("bookhouses:loans_all"), {"status": "overdue"})
        self.assertEqual([loan.pk for loan in page.context["page"]], [late.pk])
        self.assertContains(page, "已逾期")
        page = self.client.get(reverse("bookhouses:detail", args=[self.house.pk]))
        self.assertEqual(page.context["summary"].loans_overdue, 1)

    def test_stock_entry_rules_are_named_in_chinese(self) -> None:
        self.client.force_login(self.keeper)
        url = reverse("bookhouses:stock_create", args=[self.house.pk])
        data = {"date": "2026-03-02", "kind": "books", "source": "removed", "count": "20"}
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "剔旧报损的数量应为负数")
        self.assertFalse(StockEntry.objects.exists())
        add_stock(self.house, 30, date=date(2026, 3, 1))
        r = self.client.post(url, {**data, "count": "-20"})
        self.assertRedirects(r, reverse("bookhouses:stock", args=[self.house.pk]))
        self.assertEqual(StockEntry.objects.get(source="removed").count, -20)

    def test_a_demand_is_recorded_and_answered(self) -> None:
        self.client.force_login(self.keeper)
        self.client.post(
            reverse("bookhouses:demand_create", args=[self.house.pk]),
            {
                "date": "2026-03-02",
                "reader_name": "李大爷",
                "wanted": "养蜂技术",
                "status": "pending",
            },
        )
        demand = Demand.objects.get()
        self.assertIsNone(demand.status_date)
        r = self.client.post(
            reverse("bookhouses:demand_edit", args=[demand.pk]),
            {"date": "2026-03-02", "reader_name": "李大爷", "wanted": "养蜂技术",
             "status": "reported", "status_date": "2026-03-05"},
        )  # fmt: skip
        self.assertRedirects(r, reverse("bookhouses:demands", args=[self.house.pk]))
        demand.refresh_from_db()
        self.assertEqual((demand.status, demand.status_date), ("reported", date(2026, 3, 5)))

    def test_readers_may_not_write(self) -> None:
        self.client.force_login(self.viewer)
        self.assertEqual(
            self.client.get(reverse("bookhouses:detail", args=[self.house.pk])).status_code, 200
        )
        r = self.client.get(reverse("bookhouses:loan_create", args=[self.house.pk]))
        self.assertEqual(r.status_code, 403)
        loan = add_loan(self.house)
        r = self.client.post(reverse("bookhouses:loan_return", args=[loan.pk]))
        self.assertEqual(r.status_code, 403)
        loan.refresh_from_db()
        self.assertIsNone(loan.returned_on)

    def test_a_deleted_row_can_be_restored_from_the_audit_page(self) -> None:
        demand = add_demand(self.house)
        self.client.force_login(self.keeper)
        self.client.post(reverse("bookhouses:demand_delete", args=[demand.pk]))
        self.assertFalse(Demand.objects.exists())
        entry = AuditEntry.objects.get(action=Action.DELETE, model="bookhouses.demand")
        self.assertEqual(entry.unit_code, Tree.VILLAGE_A)
        audit_restore(user=self.admin, entry=entry)
        self.assertTrue(Demand.objects.filter(pk=demand.pk).exists())

    def test_a_county_user_sees_the_village_registers(self) -> None:
        add_loan(self.house)
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("bookhouses:loans_all"), {"unit": Tree.COUNTY})
        self.assertEqual(page.context["page"].paginator.count, 1)


@frozen(TODAY)
class LendFromTheRegisterTests(BaseTestCase):
    """借阅登记 (the subtree's loans) is where lending starts, not only a bookhouse's page."""

    def test_a_keeper_lends_and_returns_from_the_register(self) -> None:
        house = make_bookhouse(Tree.VILLAGE_A)
        self.client.force_login(self.keeper)
        page = self.client.get(reverse("bookhouses:loans_all")).content.decode()
        assert 'id="quick-loan"' in page and 'name="back" value="all"' in page
        r = self.client.post(
            reverse("bookhouses:loan_create", args=[house.pk]),
            {"reader_name": "王大妈", "title": "果树栽培技术", "lent_on": TODAY.isoformat(),
             "back": "all"},
        )  # fmt: skip
        self.assertRedirects(r, reverse("bookhouses:loans_all"))
        page = self.client.get(reverse("bookhouses:loans_all")).content.decode()
        assert "果树栽培技术" in page and "归还" in page  # returned from here too
        # A township's staff with two bookhouses get a button for each; a viewer none.
        make_bookhouse(Tree.VILLAGE_A2, name="井头社区农家书屋")
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("bookhouses:loans_all")).content.decode()
        assert page.count("借出：") == 2 and 'id="quick-loan"' not in page
        self.client.force_login(self.viewer)
        page = self.client.get(reverse("bookhouses:loans_all")).content.decode()
        assert "借出：" not in page and 'id="quick-loan"' not in page
