"""A list's unit filter: a township lists its units in a select; a county or more, whose units
are too many to scroll through, types a name or a code, with the matching names offered as the
user types. Either way only units in the user's scope are found."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import Activity
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit


class UnitFilterBoxTests(BaseTestCase):
    def test_a_county_types_a_name_and_asks_no_query_to_choose_the_box(self) -> None:
        self.client.force_login(self.supervisor)
        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get("/activities/").content.decode()
        assert 'list="unit-options"' in page
        assert not any('FROM "units_unit"' in q["sql"] for q in ctx.captured_queries), [
            q["sql"] for q in ctx.captured_queries
        ]

    def test_a_township_chooses_from_a_select(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get("/activities/").content.decode()
        assert '<select name="unit"' in page
        assert Unit.objects.get(code=Tree.VILLAGE_A).name in page

    def test_a_name_filters_like_its_code(self) -> None:
        self.make_activity(Tree.VILLAGE_A, "文化社区的活动")
        self.make_activity(Tree.VILLAGE_B, "府东社区的活动")
        self.client.force_login(self.supervisor)
        for typed in ("文化社区", Tree.VILLAGE_A):
            page = self.client.get("/activities/", {"unit": typed}).content.decode()
            assert "文化社区的活动" in page and "府东社区的活动" not in page, typed
        # The box shows what was typed, not a code the user never saw.
        page = self.client.get("/activities/", {"unit": "文化社区"}).content.decode()
        assert 'value="文化社区"' in page
        # The facility list reads the same box.
        assert self.client.get("/facilities/", {"unit": "古城街道"}).status_code == 200

    def test_a_name_of_no_unit_in_scope_shows_nothing_and_says_why(self) -> None:
        self.make_activity(Tree.VILLAGE_A, "文化社区的活动")
        self.client.force_login(self.supervisor)
        for typed in ("太平街道", "古城"):  # another county's township; a part of a name
            page = self.client.get("/activities/", {"unit": typed}).content.decode()
            assert "文化社区的活动" not in page, typed  # not the whole county, as if empty
            assert f"没有名为“{typed}”的单位" in page and f'value="{typed}"' in page
        page = self.client.get("/facilities/", {"unit": "古城"}).content.decode()
        assert "没有名为“古城”的单位" in page
        long = self.client.get("/activities/", {"unit": "名" * 500})
        assert long.status_code == 200

    def test_a_name_alone_works_on_the_indicators_and_compliance(self) -> None:
        self.make_activity(Tree.VILLAGE_A, "文化社区的活动")
        self.client.force_login(self.supervisor)
        page = self.client.get("/indicators/", {"unit": "古城街道"}).content.decode()
        assert f'href="/units/{Tree.TOWNSHIP_A}/">古城街道</a>' in page
        assert 'value="古城街道"' in page  # the box shows the name, not 331082001
        page = self.client.get("/indicators/", {"unit": "古城"}).content.decode()
        assert "没有名为“古城”的单位" in page  # and the user's own unit is shown
        page = self.client.get("/duties/compliance/", {"unit": "古城街道"}).content.decode()
        assert "常规工作完成情况：古城街道" in page
        page = self.client.get("/duties/compliance/", {"unit": "太平街道"}).content.decode()
        assert "没有名为“太平街道”的单位" in page
        # A name longer than any unit's is said to name none, on both pages.
        for path in ("/indicators/", "/duties/compliance/"):
            long = self.client.get(path, {"unit": "名" * 5000})
            assert long.status_code == 200 and "没有名为" in long.content.decode(), path
        # A code outside the scope stays a 404, as a guessed id does.
        assert self.client.get("/indicators/", {"unit": "331081001"}).status_code == 404

    def test_gucheng_is_offered_by_name_pinyin_and_initials(self) -> None:
        self.client.force_login(self.supervisor)
        for typed in ("古城", "gucheng", "gc"):
            offered = self.client.get("/units/options/", {"unit": typed}).content.decode()
            first_five = offered.split("<option")[1:6]
            assert any('value="古城街道"' in o for o in first_five), (typed, offered)

    def test_the_offered_names_stay_in_scope(self) -> None:
        self.client.force_login(self.supervisor)
        offered = self.client.get("/units/options/", {"unit": "街道"}).content.decode()
        assert 'value="古城街道"' in offered and 'value="大洋街道"' in offered
        assert "太平街道" not in offered  # the other county's
        assert self.client.get("/units/options/").content.decode().strip() == ""
        self.client.force_login(self.unbound)
        assert "街道" not in self.client.get("/units/options/", {"unit": "街道"}).content.decode()

    def make_activity(self, unit: str, title: str) -> Activity:
        from xuanwen.activities import services
        from xuanwen.activities.models import ActivityType
        from xuanwen.core import clock

        today = clock.today()
        return services.activity_create(
            user=self.admin,
            data=services.ActivityData(
                unit=Unit.objects.get(code=unit),
                type=ActivityType.objects.order_by("pk").first(),  # type: ignore[misc]
                title=title,
                start_date=today,
                end_date=today,
            ),
        )


class SameNameTests(BaseTestCase):
    def test_a_name_of_two_units_at_one_level_asks_which(self) -> None:
        Unit.objects.bulk_create(
            [
                Unit(code=f"{Tree.TOWNSHIP_A}201", name="新村", parent_id=Tree.TOWNSHIP_A),
                Unit(code=f"{Tree.TOWNSHIP_B}201", name="新村", parent_id=Tree.TOWNSHIP_B),
            ]
        )
        self.client.force_login(self.supervisor)
        page = self.client.get("/activities/", {"unit": "新村"}).content.decode()
        assert "有 2 个单位名为“新村”" in page
        assert f"古城街道新村（{Tree.TOWNSHIP_A}201）" in page
        assert f"大洋街道新村（{Tree.TOWNSHIP_B}201）" in page
        # Within one township the name is one unit again.
        self.client.force_login(self.staff_a)
        page = self.client.get("/activities/", {"unit": "新村"}).content.decode()
        assert "有 2 个单位名为" not in page
