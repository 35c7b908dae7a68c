"""The shared list filters: a value beyond what the database holds is left out, never a 500."""

from django.http import QueryDict

from xuanwen.facilities.filters import FacilityFilters, facility_filters
from xuanwen.facilities.tests.helpers import make_facility
from xuanwen.testing import BaseTestCase, Tree

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


class FormClassTests(BaseTestCase):
    """A filter set's form class is made once per filter set class (RecordFilterSet.form_class);
    what is particular to a request, the user's scope, is given to each form."""

    def test_one_class_serves_every_user_with_each_users_own_scope(self) -> None:
        mine = QueryDict(f"unit={Tree.VILLAGE_B}")
        # The first filter set made is township A's: its scope must not stay with the class.
        first = facility_filters(self.staff_a, mine)
        second = facility_filters(self.staff_b, mine)
        assert type(first.form) is type(second.form) is FacilityFilters.form_class()
        assert first.values["unit"] == ""  # township B's village is outside township A
        assert second.values["unit"] == Tree.VILLAGE_B
        # And back again: the class holds no scope of its own.
        assert facility_filters(self.staff_a, mine).values["unit"] == ""
        assert facility_filters(self.unbound, mine).values["unit"] == ""

    def test_the_same_page_filters_each_users_subtree(self) -> None:
        make_facility(Tree.VILLAGE_A, name="甲村文化礼堂")
        make_facility(Tree.VILLAGE_B, name="乙村文化礼堂")
        for user, unit, shown, hidden in (
            (self.staff_a, Tree.VILLAGE_A, "甲村文化礼堂", "乙村文化礼堂"),
            (self.staff_b, Tree.VILLAGE_A, "乙村文化礼堂", "甲村文化礼堂"),  # not applied
            (self.staff_b, Tree.VILLAGE_B, "乙村文化礼堂", "甲村文化礼堂"),
        ):
            self.client.force_login(user)
            page = self.client.get("/facilities/", {"unit": unit}).content.decode()
            assert shown in page and hidden not in page, (user, unit)
