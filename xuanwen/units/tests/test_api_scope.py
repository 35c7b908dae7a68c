from xuanwen.testing import BaseTestCase, Tree


class UnitApiScopeTests(BaseTestCase):
    def test_it_hides_another_township(self) -> None:
        r = self.client.get(f"/api/v1/units/{Tree.TOWNSHIP_B}/", **self.bearer(self.staff_a))
        assert r.status_code == 404
        assert "detail" in r.json()

    def test_it_lists_only_the_subtree(self) -> None:
        r = self.client.get("/api/v1/units/", **self.bearer(self.staff_a))
        assert r.status_code == 200
        codes = {u["code"] for u in r.json()["items"]}
        assert codes == {Tree.TOWNSHIP_A, Tree.VILLAGE_A, "331082001002"}

    def test_it_requires_a_token(self) -> None:
        r = self.client.get("/api/v1/units/")
        assert r.status_code == 401
        assert "令牌" in r.json()["detail"]
