"""A NUL character (U+0000) in a request is refused at the door (core.middleware.
NulRefusedMiddleware): PostgreSQL cannot hold or compare it, so it would otherwise be a server
error there. Found by the Schemathesis run (`make fuzz`) on PostgreSQL."""

from xuanwen.activities.models import Activity
from xuanwen.testing import BaseTestCase, Tree


class NulTests(BaseTestCase):
    def test_the_api_answers_422_in_its_own_shape(self) -> None:
        for url in (
            "/api/v1/households/?unit=%00",
            "/api/v1/activities/?q=a%00b",
            "/api/v1/units/%00/",
        ):
            with self.subTest(url=url):
                r = self.client.get(url, **self.bearer(self.admin))
                assert r.status_code == 422
                assert "空字符" in r.json()["detail"]

    def test_a_json_body_with_nul_saves_nothing(self) -> None:
        body = {
            "unit": Tree.VILLAGE_A,
            "type": 1,
            "title": "广场\u0000舞",
            "start_date": "2025-06-01",
        }
        r = self.api("post", "/api/v1/activities/", self.admin, body)
        assert r.status_code == 422
        assert not Activity.objects.exists()

    def test_a_page_answers_400_and_a_clean_request_passes(self) -> None:
        self.client.force_login(self.staff_a)
        assert self.client.get("/activities/", {"q": "a\x00b"}).status_code == 400
        assert self.client.get("/activities/", {"q": "礼堂"}).status_code == 200
