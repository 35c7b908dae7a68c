"""Cached counts (core.versioned) are exact: every change to the activities shows at once."""

from datetime import date

from django.test import override_settings

from xuanwen.activities import services
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.core import tree
from xuanwen.core.versioned import cached_count
from xuanwen.testing import COUNTY, TOWNSHIP_A, BaseTestCase
from xuanwen.units.models import Unit


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class CachedCountTests(BaseTestCase):
    def data(self, title: str) -> services.ActivityData:
        return services.ActivityData(
            unit=Unit.objects.get(code=TOWNSHIP_A),
            type=ActivityType.objects.order_by("pk")[0],
            title=title,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 3, 1),
        )

    def page_count(self) -> str:
        r = self.client.get("/activities/")
        assert r.status_code == 200
        return r.content.decode()

    def test_create_delete_restore_and_import_change_the_count(self) -> None:
        self.client.force_login(self.supervisor)
        qs = Activity.objects.filter(tree.subtree_q(COUNTY, "unit_id"))
        assert cached_count(qs) == 0
        first = services.activity_create(user=self.staff_a, data=self.data("一"))
        assert cached_count(qs) == 1
        assert "共 1 项活动" in self.page_count()

        services.activity_delete(user=self.staff_a, activity=first)
        assert cached_count(qs) == 0
        assert "共 0 项活动" in self.page_count()

        entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(first.pk))
        audit_restore(user=self.admin, entry=entry)
        assert cached_count(qs) == 1

        services.activities_import(
            user=self.staff_a, rows=[self.data("二"), self.data("三")], source="test"
        )
        assert cached_count(qs) == 3
        assert "共 3 项活动" in self.page_count()

    def test_an_edit_changes_a_filtered_count(self) -> None:
        activity = services.activity_create(user=self.staff_a, data=self.data("一"))
        named = Activity.objects.filter(title="改名")
        assert cached_count(named) == 0
        data = self.data("改名")
        services.activity_update(user=self.staff_a, activity=activity, data=data)
        assert cached_count(named) == 1
