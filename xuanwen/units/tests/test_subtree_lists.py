"""Every persona's lists, pages and API alike, show their subtree and nothing else."""

from xuanwen.accounts.models import User
from xuanwen.core import tree
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit


class SubtreeListTests(BaseTestCase):
    def subtree(self, user: User) -> set[str]:
        return {c for c in Unit.objects.values_list("code", flat=True) if user.scope.contains(c)}

    def api_codes(self, user: User, query: str = "") -> set[str]:
        r = self.client.get(f"/api/v1/units/?page_size=500{query}", **self.bearer(user))
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["count"] == len(body["items"])
        return {u["code"] for u in body["items"]}

    def test_it_lists_exactly_the_subtree_in_the_api(self) -> None:
        for user in self.personas():
            assert self.api_codes(user) == self.subtree(user), user.username

    def test_it_lists_children_in_the_api_only_inside_the_scope(self) -> None:
        assert self.api_codes(self.admin, f"&parent={Tree.COUNTY}") == {
            Tree.TOWNSHIP_A,
            Tree.TOWNSHIP_B,
        }
        assert self.api_codes(self.supervisor, f"&parent={Tree.TOWNSHIP_B}") == {Tree.VILLAGE_B}
        assert self.api_codes(self.staff_a, f"&parent={Tree.TOWNSHIP_A}") == {
            Tree.VILLAGE_A,
            Tree.VILLAGE_A2,
        }
        assert self.api_codes(self.keeper, f"&parent={Tree.VILLAGE_A}") == set()
        for user, parent in [
            (self.staff_a, Tree.COUNTY),  # an ancestor
            (self.staff_a, Tree.TOWNSHIP_B),  # a sibling
            (self.keeper, Tree.TOWNSHIP_A),  # the keeper's own township
            (self.outsider, Tree.COUNTY),  # another county
            (self.admin, Tree.OTHER_COUNTY),
        ]:
            r = self.client.get(f"/api/v1/units/?parent={parent}", **self.bearer(user))
            assert r.status_code == 404, (user.username, parent, r.status_code)
            assert "detail" in r.json()

    def test_it_finds_a_county_by_pinyin_initials_only_in_scope(self) -> None:
        r = self.client.get("/api/v1/units/?q=lhs", **self.bearer(self.supervisor))
        names = [u["name"] for u in r.json()["items"]]
        assert names[0] == "临海市"
        r = self.client.get("/api/v1/units/?q=lhs", **self.bearer(self.outsider))
        assert r.status_code == 200
        assert r.json()["items"] == []
        # A township's staff do not find their own county either.
        r = self.client.get("/api/v1/units/?q=linhai", **self.bearer(self.staff_a))
        assert r.json()["items"] == []

    def test_it_searches_names_and_codes_only_in_scope(self) -> None:
        for user in self.personas():
            r = self.client.get("/api/v1/units/?q=社区", **self.bearer(user))
            found = {u["code"] for u in r.json()["items"]}
            expected = {c for c in self.subtree(user) if tree.level_of(c) == 5}
            assert found == expected, user.username
            r = self.client.get("/api/v1/units/?q=3310", **self.bearer(user))
            assert {u["code"] for u in r.json()["items"]} == self.subtree(user), user.username

    def test_it_finds_a_county_on_the_search_page_only_in_scope(self) -> None:
        self.client.force_login(self.supervisor)
        r = self.client.get("/units/search/", {"q": "lhs"})
        self.assertContains(r, "临海市")
        self.assertContains(r, f'href="/units/{Tree.COUNTY}/"')
        # The htmx partial says the same.
        r = self.client.get("/units/search/", {"q": "lhs"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, "临海市")
        self.assertNotContains(r, "<html")
        self.client.force_login(self.outsider)
        r = self.client.get("/units/search/", {"q": "lhs"})
        self.assertNotContains(r, "临海市")
        self.assertContains(r, "没有找到匹配的单位")

    def test_it_leads_each_persona_to_their_own_unit_from_the_home_page(self) -> None:
        for user in self.personas():
            self.client.force_login(user)
            r = self.client.get("/")
            assert r.status_code == 200
            # One tap to the unit's page, which lists its children (not the home page).
            self.assertContains(r, f'href="/units/{user.scope.root}/"', msg_prefix=user.username)
            page = self.client.get(f"/units/{user.scope.root}/")
            for child in Unit.objects.filter(parent_id=user.scope.root):
                self.assertContains(page, f'href="/units/{child.code}/"', msg_prefix=user.username)
            # No unit outside the subtree is named or linked (the tree's names are unique).
            for unit in Unit.objects.exclude(code__in=self.subtree(user)):
                self.assertNotContains(r, unit.name, msg_prefix=user.username)
                self.assertNotContains(r, f"/units/{unit.code}/", msg_prefix=user.username)

    def test_it_shows_a_unit_page_with_children_only_inside_the_scope(self) -> None:
        self.client.force_login(self.admin)
        r = self.client.get(f"/units/{Tree.COUNTY}/")
        self.assertContains(r, "古城街道")
        self.assertContains(r, "大洋街道")
        self.assertNotContains(r, "温岭市")
        self.client.force_login(self.staff_a)
        r = self.client.get(f"/units/{Tree.TOWNSHIP_A}/")
        self.assertContains(r, "文化社区")
        self.assertContains(r, "井头社区")
        # The breadcrumbs stop at the scope: no link up to the county staff_a cannot open.
        self.assertNotContains(r, f'href="/units/{Tree.COUNTY}/"')
        self.assertNotContains(r, "大洋街道")
        for code in (Tree.COUNTY, Tree.TOWNSHIP_B, Tree.VILLAGE_B, Tree.OTHER_COUNTY):
            assert self.client.get(f"/units/{code}/").status_code == 404, code

    def test_it_filters_the_audit_page_within_the_scope_only(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(f"/units/{Tree.VILLAGE_B}/edit/", {"name": "府东新社区"})
        self.client.post(f"/units/{Tree.VILLAGE_A}/edit/", {"name": "文化新社区"})
        self.client.force_login(self.staff_a)
        # Asking for township B's entries through the filter shows none of them.
        r = self.client.get("/audit/", {"unit": Tree.TOWNSHIP_B})
        self.assertNotContains(r, "府东")
        r = self.client.get("/audit/")
        self.assertContains(r, "文化新社区")
        self.assertNotContains(r, "府东")
        r = self.client.get("/api/v1/audit/", **self.bearer(self.staff_a))
        assert {e["unit_code"] for e in r.json()["items"]} == {Tree.VILLAGE_A}
