"""The home page and a unit's page cost the same number of queries whatever the tree's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.core import tree
from xuanwen.core.text import pinyin_of
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit


def unit(code: str, name: str) -> Unit:
    full, initials = pinyin_of(name)
    return Unit(code=code, name=name, parent_id=tree.parent_code(code), pinyin=full,
                initials=initials)  # fmt: skip


class QueryCountTests(BaseTestCase):
    def queries(self, path: str) -> int:
        self.client.get(path)  # warm: the session and the user are loaded the same way after
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(path)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    def grow(self) -> None:
        """30 more townships with 5 villages each (34 children of the county instead of 2),
        and 30 more villages in township A (32 instead of 2)."""
        units = []
        for t in range(3, 33):
            township = f"{Tree.COUNTY}{t:03d}"
            units.append(unit(township, f"新{t}街道"))
            units += [unit(f"{township}{v:03d}", f"新{t}-{v}社区") for v in range(1, 6)]
        units += [unit(f"{Tree.TOWNSHIP_A}{v:03d}", f"古城{v}社区") for v in range(3, 33)]
        Unit.objects.bulk_create(units)

    def test_it_keeps_the_home_page_flat(self) -> None:
        small = {}
        for user in (self.admin, self.staff_a, self.keeper):
            self.client.force_login(user)
            small[user.username] = self.queries("/")
        self.grow()
        for user in (self.admin, self.staff_a, self.keeper):
            self.client.force_login(user)
            r = self.client.get("/")
            # The units below are one tap away on the unit's page, not listed on the home page
            # (a township's villages would fill it).
            self.assertNotContains(r, "新32街道" if user == self.admin else "古城32社区")
            if user != self.keeper:
                self.assertContains(r, f'href="/units/{user.unit_id}/"')
            assert self.queries("/") == small[user.username], user.username

    def test_it_keeps_the_unit_page_flat(self) -> None:
        self.client.force_login(self.admin)
        small = self.queries(f"/units/{Tree.COUNTY}/")
        small_township = self.queries(f"/units/{Tree.TOWNSHIP_A}/")
        self.grow()
        r = self.client.get(f"/units/{Tree.COUNTY}/")
        self.assertContains(r, "新32街道")
        assert self.queries(f"/units/{Tree.COUNTY}/") == small
        assert self.queries(f"/units/{Tree.TOWNSHIP_A}/") == small_township
        assert self.queries(f"/units/{Tree.COUNTY}032/") == small_township

    def test_it_keeps_the_api_list_flat(self) -> None:
        headers = self.bearer(self.admin)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get(f"/api/v1/units/?parent={Tree.COUNTY}", **headers)
            assert r.status_code == 200
            return len(ctx.captured_queries)

        count()  # the token's first use is recorded once
        small = count()
        self.grow()
        assert count() == small
