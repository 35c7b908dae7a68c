"""Pages show every change at once: nothing of them is kept between requests, and the list's
total comes from counters kept in the writes' own transactions (activities.counts, whose own
tests are in activities/tests/test_counts.py)."""

import re
from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities import services
from xuanwen.activities.models import ActivityType
from xuanwen.facilities import services as facility_services
from xuanwen.facilities.models import FacilityKind
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit
from xuanwen.units.services import unit_update

# A facility counts from the day it is recorded, so the pages of 2026 below are read with a
# facility recorded in that year, before the day the plan's progress is read on.
IN_2026 = date(2026, 6, 1)


def activity_data(title: str, kind: ActivityType | None = None) -> services.ActivityData:
    """An activity of 古城街道 on 2026-03-01."""
    return services.ActivityData(
        unit=Unit.objects.get(code=Tree.TOWNSHIP_A),
        type=kind or ActivityType.objects.order_by("pk")[0],
        title=title,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 1),
    )


def add_courtyard(user: Any) -> None:
    """A culture courtyard in township A, recorded through the facility service as a user would."""
    facility_services.facility_create(
        user=user,
        data=facility_services.FacilityData(
            unit=Unit.objects.get(code=Tree.TOWNSHIP_A),
            kind=FacilityKind.objects.get(code="courtyard"),
            name="古城文化大院",
            opened_on=date(2026, 3, 1),
        ),
    )


class UnrelatedWriteTests(BaseTestCase):
    def test_a_write_to_another_table_leaves_the_count_and_renews_the_page(self) -> None:
        services.activity_create(
            user=self.staff_a,
            data=activity_data("一"),
        )
        self.client.force_login(self.supervisor)
        assert "共 1 项活动" in self.client.get("/activities/").content.decode()
        # A write elsewhere: the page is rendered again, and the total is read from the
        # counters, not counted over the activities.
        add_courtyard(self.staff_a)
        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get("/activities/").content.decode()
        assert "共 1 项活动" in page
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert any('"activities_activity"."title"' in sql for sql in sqls)  # rendered again
        assert not any("COUNT(" in sql for sql in sqls), sqls  # read from the counters


class FreshListPageTests(BaseTestCase):
    """What the activity list shows from other tables, and what differs between users, is
    never stale."""

    def setUp(self) -> None:
        super().setUp()
        self.activity = services.activity_create(
            user=self.staff_a,
            data=activity_data("道德讲堂", ActivityType.objects.get(name="讲座")),
        )

    def page(self) -> str:
        response = self.client.get("/activities/")
        assert response.status_code == 200
        return response.content.decode()

    def test_a_renamed_unit_and_a_new_type_show_at_once(self) -> None:
        self.client.force_login(self.supervisor)
        assert "古城街道" in self.page()
        unit_update(user=self.admin, unit=Unit.objects.get(code=Tree.TOWNSHIP_A), name="古城新街道")
        assert "古城新街道" in self.page()
        assert "非遗展示" not in self.page()
        services.activity_type_create(user=self.admin, name="非遗展示")
        assert "非遗展示" in self.page()

    def test_an_edit_shows_at_once(self) -> None:
        self.client.force_login(self.supervisor)
        assert "道德讲堂" in self.page()
        data = activity_data("道德讲堂（第二期）", self.activity.type)
        services.activity_update(user=self.staff_a, activity=self.activity, data=data)
        assert "道德讲堂（第二期）" in self.page()

    def test_an_edit_changes_a_filtered_count(self) -> None:
        self.client.force_login(self.supervisor)
        found = self.client.get("/activities/", {"q": "改名"}).content.decode()
        assert "共 0 项活动" in found
        data = activity_data("改名", self.activity.type)
        services.activity_update(user=self.staff_a, activity=self.activity, data=data)
        found = self.client.get("/activities/", {"q": "改名"}).content.decode()
        assert "共 1 项活动" in found

    def test_users_of_one_scope_keep_their_own_buttons(self) -> None:
        # The supervisor and the viewer share the county's scope; only rights differ.
        self.client.force_login(self.admin)
        assert "登记活动" in self.page()
        self.client.force_login(self.viewer)
        page = self.page()
        assert "道德讲堂" in page
        assert "登记活动" not in page

    def test_the_scope_and_the_language_are_part_of_the_key(self) -> None:
        self.client.force_login(self.staff_b)
        assert "道德讲堂" not in self.page()
        self.client.force_login(self.staff_a)
        assert "道德讲堂" in self.page()
        self.client.cookies["django_language"] = "en"
        english = self.page()
        assert "道德讲堂" in english
        assert "共 1 项活动" not in english


@frozen(IN_2026)
class FreshProgressPageTests(BaseTestCase):
    """A plan's progress shows a record of another table (here a facility) at once, and so
    does the next day."""

    def actual(self, plan: Any, item: Any, as_of: str = "2026-06-30") -> str:
        r = self.client.get(f"/plans/{plan.pk}/progress/", {"as_of": as_of})
        row = re.search(rf'<tr id="progress-{item.pk}">(.*?)</tr>', r.content.decode(), re.S)
        assert row is not None
        found = re.search(r'<a class="actual" href="[^"]+">([^<]+)</a>', row[1])
        assert found is not None
        return found[1]

    def test_a_new_facility_and_another_day_show_at_once(self) -> None:
        target = {"text": "建好2—3个文化大院。", "target_min": 2}
        plan, item = plan_with_item(
            self.staff_a, Tree.TOWNSHIP_A, "facilities.new.courtyard", **target
        )
        self.client.force_login(self.staff_a)
        assert self.actual(plan, item) == "0"
        add_courtyard(self.staff_a)
        assert self.actual(plan, item) == "1"
        # The same data on another day is another page (the share of the year elapsed).
        later = self.client.get(f"/plans/{plan.pk}/progress/", {"as_of": "2026-07-01"})
        assert "截至 2026-07-01" in later.content.decode()


@frozen(IN_2026)
class FreshIndicatorPageTests(BaseTestCase):
    def test_a_facility_recorded_through_its_service_shows_at_once(self) -> None:
        self.client.force_login(self.supervisor)
        query = {
            "unit": Tree.COUNTY,
            "period": "2026",
            "by": "child",
            "indicator": "facilities.count",
        }

        def cell() -> str:
            page = self.client.get("/indicators/", query).content.decode()
            row = re.search(r"古城街道</a>.*?</tr>", page, re.S)
            assert row is not None
            return row[0]

        assert ">1<" not in cell()
        add_courtyard(self.staff_a)
        assert ">1<" in cell()
