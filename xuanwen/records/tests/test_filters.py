"""The shared list filters: a value beyond what the database holds is left out, never a 500."""

from xuanwen.testing import BaseTestCase

HUGE = str(2**70)


class BoundedFilterTests(BaseTestCase):
    def test_an_id_or_a_year_beyond_the_database_is_not_applied(self) -> None:
        self.client.force_login(self.admin)
        for url in (
            f"/plans/?year={HUGE}",
            f"/opening/?facility={HUGE}",
            f"/duties/completions/?duty={HUGE}",
            f"/teams/?genre={HUGE}",
            f"/bookhouses/stock/?facility={HUGE}",
            f"/opening/?facility=-{HUGE}",
        ):
            with self.subTest(url=url):
                assert self.client.get(url).status_code == 200

    def test_the_api_lists_answer_too(self) -> None:
        headers = self.bearer(self.admin)
        for url in (
            f"/api/v1/plans/?year={HUGE}",
            f"/api/v1/teams/?genre={HUGE}",
            f"/api/v1/duties/completions/?duty={HUGE}",
        ):
            with self.subTest(url=url):
                assert self.client.get(url, **headers).status_code < 500


class BoundedIdTests(BaseTestCase):
    def test_a_record_id_beyond_any_key_is_a_404(self) -> None:
        self.client.force_login(self.admin)
        for url in (f"/activities/{HUGE}/", f"/facilities/{HUGE}/", f"/duties/{HUGE}/"):
            with self.subTest(url=url):
                assert self.client.get(url).status_code == 404
