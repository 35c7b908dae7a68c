"""The home page lists the loans overdue or due in the next days, for those who keep the
registers, within their subtree; in a constant number of queries."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.bookhouses import services
from xuanwen.bookhouses.tests.helpers import make_bookhouse
from xuanwen.testing import BaseTestCase, Tree, frozen

TODAY = date(2026, 6, 10)


@frozen(TODAY)
class LoansHomeCardTests(BaseTestCase):
    def lend(self, facility, title: str, due: date):  # type: ignore[no-untyped-def]
        data = services.LoanData(
            facility=facility,
            lent_on=due - timedelta(days=30),
            reader_name="王芳",
            title=title,
            due_on=due,
        )
        return services.loan_create(user=self.admin, data=data)

    def test_loans_due_and_overdue_are_on_the_keepers_home(self) -> None:
        house = make_bookhouse(Tree.VILLAGE_A)
        self.lend(house, "平凡的世界", TODAY - timedelta(days=2))
        self.lend(house, "红岩", TODAY + timedelta(days=1))
        self.lend(house, "围城", TODAY + timedelta(days=20))  # not yet due
        self.client.force_login(self.keeper)
        with CaptureQueriesContext(connection) as one:
            home = self.client.get("/").content.decode()
        assert "到期借阅" in home and "平凡的世界" in home and "红岩" in home
        assert "围城" not in home and "共 1 笔逾期未还" in home
        self.lend(house, "活着", TODAY)
        with CaptureQueriesContext(connection) as two:
            home = self.client.get("/").content.decode()
        assert "活着" in home and len(two.captured_queries) == len(one.captured_queries)
        # Another township's keeper-level staff see none of it; a viewer gets no card.
        for user in (self.staff_b, self.viewer):
            self.client.force_login(user)
            assert "到期借阅" not in self.client.get("/").content.decode()
