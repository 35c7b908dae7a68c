from xuanwen.accounts.models import User
from xuanwen.activities.models import ActivityType
from xuanwen.audit.models import AuditEntry
from xuanwen.testing import BaseTestCase


class ActivityTypeTests(BaseTestCase):
    def test_it_lets_an_admin_add_a_type(self) -> None:
        self.client.force_login(self.admin)
        r = self.client.post("/activities/types/", {"name": "非遗展演"})
        assert r.status_code == 302
        kind = ActivityType.objects.get(name="非遗展演")
        assert kind.active
        assert AuditEntry.objects.filter(model="activities.activitytype", action="create").exists()
        r = self.client.get("/activities/new/")
        assert "非遗展演" in r.content.decode()

    def test_it_refuses_a_duplicate_name(self) -> None:
        self.client.force_login(self.admin)
        r = self.client.post("/activities/types/", {"name": "培训"})
        assert r.status_code == 200
        assert "已有名为" in r.content.decode()
        assert ActivityType.objects.filter(name="培训").count() == 1

    def test_it_retires_a_type_from_the_form(self) -> None:
        # A national type is retired by a country-wide admin; a county's admin may not.
        kind = ActivityType.objects.get(name="广场文化")
        self.client.force_login(self.admin)
        assert self.client.post(f"/activities/types/{kind.pk}/active/").status_code == 403
        kind.refresh_from_db()
        assert kind.active
        root = User.objects.create_superuser(username="root", password=self.password)
        self.client.force_login(root)
        self.client.post(f"/activities/types/{kind.pk}/active/")
        kind.refresh_from_db()
        assert not kind.active
        self.client.force_login(self.staff_a)
        assert "广场文化" not in self.client.get("/activities/new/").content.decode()

    def test_it_is_for_admins_only(self) -> None:
        for user in (self.supervisor, self.staff_a, self.viewer):
            self.client.force_login(user)
            assert self.client.get("/activities/types/").status_code == 403
            assert self.client.post("/activities/types/", {"name": "x"}).status_code == 403
        assert not ActivityType.objects.filter(name="x").exists()
