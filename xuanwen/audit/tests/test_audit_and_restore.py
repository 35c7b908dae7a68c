"""Every change is audited and a deleted unit comes back from its audit entry; only admins,
only in their scope, only once. Pages and API alike."""

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit


class AuditPageTests(BaseTestCase):
    def delete_by_page(self, code: str) -> AuditEntry:
        self.client.force_login(self.admin)
        r = self.client.post(f"/units/{code}/delete/")
        assert r.status_code == 302, r.status_code
        assert not Unit.objects.filter(code=code).exists()
        return AuditEntry.objects.get(action=Action.DELETE, object_pk=code)

    def test_it_records_a_rename_with_both_names(self) -> None:
        self.client.force_login(self.admin)
        r = self.client.post(f"/units/{Tree.VILLAGE_A}/edit/", {"name": "文化新社区"})
        self.assertRedirects(r, f"/units/{Tree.VILLAGE_A}/", fetch_redirect_response=False)
        unit = Unit.objects.get(code=Tree.VILLAGE_A)
        assert (unit.name, unit.initials) == ("文化新社区", "whxsq")
        entry = AuditEntry.objects.get(action=Action.UPDATE, object_pk=Tree.VILLAGE_A)
        assert entry.before["fields"]["name"] == "文化社区"
        assert entry.after["fields"]["name"] == "文化新社区"
        assert (entry.actor, entry.unit_code, entry.model) == (
            self.admin,
            Tree.VILLAGE_A,
            "units.unit",
        )
        r = self.client.get(f"/audit/{entry.pk}/")
        self.assertContains(r, "文化社区")
        self.assertContains(r, "文化新社区")
        # The unit's own audit trail links there (the detail page's 操作记录 link).
        r = self.client.get("/audit/", {"unit": Tree.VILLAGE_A})
        self.assertContains(r, f'href="/audit/{entry.pk}/"')

    def test_it_refuses_a_rename_to_readers_in_scope(self) -> None:
        for user in (self.viewer, self.supervisor, self.staff_a, self.keeper):
            self.client.force_login(user)
            r = self.client.post(f"/units/{Tree.VILLAGE_A}/edit/", {"name": "改名"})
            assert r.status_code == 403, (user.username, r.status_code)
            r = self.client.get(f"/units/{Tree.VILLAGE_A}/edit/")
            assert r.status_code == 403, (user.username, r.status_code)
            # A village they see.
            target = Tree.VILLAGE_A if user == self.keeper else Tree.VILLAGE_A2
            r = self.client.post(f"/units/{target}/delete/")
            assert r.status_code == 403, (user.username, r.status_code)
        assert Unit.objects.get(code=Tree.VILLAGE_A).name == "文化社区"
        assert Unit.objects.filter(code=Tree.VILLAGE_A2).exists()
        assert not AuditEntry.objects.exists()

    def test_it_refuses_an_empty_name(self) -> None:
        self.client.force_login(self.admin)
        r = self.client.post(f"/units/{Tree.VILLAGE_A}/edit/", {"name": "   "})
        assert r.status_code == 200  # the form again, with its error
        assert Unit.objects.get(code=Tree.VILLAGE_A).name == "文化社区"
        assert not AuditEntry.objects.exists()

    def test_it_deletes_and_restores_a_village_once(self) -> None:
        before = Unit.objects.get(code=Tree.VILLAGE_B)
        entry = self.delete_by_page(Tree.VILLAGE_B)
        assert entry.before["fields"]["name"] == "府东社区"
        r = self.client.get(f"/audit/{entry.pk}/")
        self.assertContains(r, f'action="/audit/{entry.pk}/restore/"')

        r = self.client.post(f"/audit/{entry.pk}/restore/", follow=True)
        assert r.status_code == 200
        self.assertContains(r, "已恢复")
        self.assertNotContains(r, f'action="/audit/{entry.pk}/restore/"')
        unit = Unit.objects.get(code=Tree.VILLAGE_B)
        assert (unit.name, unit.parent_id, unit.pinyin, unit.initials) == (
            before.name,
            Tree.TOWNSHIP_B,
            before.pinyin,
            before.initials,
        )
        entry.refresh_from_db()
        assert entry.restored_at is not None
        assert (
            AuditEntry.objects.filter(action=Action.RESTORE, object_pk=Tree.VILLAGE_B).count() == 1
        )

        # A second restore is refused with a message and changes nothing.
        r = self.client.post(f"/audit/{entry.pk}/restore/", follow=True)
        self.assertContains(r, "该记录已经恢复过了")
        assert Unit.objects.filter(code=Tree.VILLAGE_B).count() == 1
        assert AuditEntry.objects.filter(action=Action.RESTORE).count() == 1

    def test_it_lets_only_an_admin_in_scope_restore(self) -> None:
        entry_a = self.delete_by_page(Tree.VILLAGE_A2)
        entry_b = self.delete_by_page(Tree.VILLAGE_B)
        self.client.force_login(self.staff_a)
        assert self.client.post(f"/audit/{entry_b.pk}/restore/").status_code == 404
        assert self.client.get(f"/audit/{entry_b.pk}/").status_code == 404
        assert self.client.post(f"/audit/{entry_a.pk}/restore/").status_code == 403
        r = self.client.get(f"/audit/{entry_a.pk}/")
        self.assertNotContains(r, "/restore/")  # no button for a staff member
        for user in (self.supervisor, self.viewer):
            self.client.force_login(user)
            assert self.client.post(f"/audit/{entry_a.pk}/restore/").status_code == 403
        assert not Unit.objects.filter(code__in=[Tree.VILLAGE_A2, Tree.VILLAGE_B]).exists()
        assert not AuditEntry.objects.filter(action=Action.RESTORE).exists()

    def test_it_refuses_to_delete_a_unit_with_children_or_the_scope_root(self) -> None:
        self.client.force_login(self.admin)
        r = self.client.post(f"/units/{Tree.TOWNSHIP_A}/delete/", follow=True)
        self.assertContains(r, "不能删除")
        assert self.client.post(f"/units/{Tree.COUNTY}/delete/").status_code == 403
        # A village with a user bound to it is kept too.
        r = self.client.post(f"/units/{Tree.VILLAGE_A}/delete/", follow=True)
        self.assertContains(r, "不能删除")
        assert (
            Unit.objects.filter(code__in=[Tree.TOWNSHIP_A, Tree.COUNTY, Tree.VILLAGE_A]).count()
            == 3
        )
        assert not AuditEntry.objects.exists()

    def test_it_refuses_to_restore_a_village_whose_township_is_gone(self) -> None:
        Unit.objects.create(code="331082003", name="临时街道", parent_id=Tree.COUNTY)
        Unit.objects.create(code="331082003001", name="临时社区", parent_id="331082003")
        village = self.delete_by_page("331082003001")
        self.delete_by_page("331082003")
        r = self.client.post(f"/audit/{village.pk}/restore/", follow=True)
        self.assertContains(r, "已不存在，请先恢复")
        assert not Unit.objects.filter(code__startswith="331082003").exists()
        village.refresh_from_db()
        assert village.restored_at is None
        # Restoring the township first, then the village, works.
        township = AuditEntry.objects.get(action=Action.DELETE, object_pk="331082003")
        self.client.post(f"/audit/{township.pk}/restore/")
        self.client.post(f"/audit/{village.pk}/restore/")
        assert Unit.objects.get(code="331082003001").parent_id == "331082003"

    def test_it_refuses_to_restore_anything_but_a_deletion(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(f"/units/{Tree.VILLAGE_A}/edit/", {"name": "文化新社区"})
        entry = AuditEntry.objects.get(action=Action.UPDATE)
        r = self.client.post(f"/audit/{entry.pk}/restore/", follow=True)
        self.assertContains(r, "只有删除操作可以恢复")
        assert Unit.objects.get(code=Tree.VILLAGE_A).name == "文化新社区"


class AuditApiTests(BaseTestCase):
    def test_it_records_a_rename_with_both_names(self) -> None:
        r = self.api(
            "PATCH", f"/api/v1/units/{Tree.VILLAGE_A}/", self.admin, {"name": "文化新社区"}
        )
        assert r.status_code == 200, r.content
        assert r.json()["name"] == "文化新社区"
        assert r.json()["initials"] == "whxsq"
        entry = AuditEntry.objects.get(action=Action.UPDATE, object_pk=Tree.VILLAGE_A)
        r = self.api("GET", f"/api/v1/audit/{entry.pk}/", self.admin)
        assert r.json()["before"]["fields"]["name"] == "文化社区"
        assert r.json()["after"]["fields"]["name"] == "文化新社区"
        assert r.json()["actor_name"] == "赵管理" == self.admin.name

    def test_it_refuses_a_rename_to_readers_in_scope(self) -> None:
        for user in (self.viewer, self.supervisor, self.staff_a, self.keeper):
            r = self.api("PATCH", f"/api/v1/units/{Tree.VILLAGE_A}/", user, {"name": "改名"})
            assert r.status_code == 403, (user.username, r.status_code)
            assert "系统管理员" in r.json()["detail"]
            # A village they see.
            target = Tree.VILLAGE_A if user == self.keeper else Tree.VILLAGE_A2
            r = self.api("DELETE", f"/api/v1/units/{target}/", user)
            assert r.status_code == 403, (user.username, r.status_code)
        assert Unit.objects.get(code=Tree.VILLAGE_A).name == "文化社区"
        assert Unit.objects.filter(code=Tree.VILLAGE_A2).exists()
        assert not AuditEntry.objects.exists()

    def test_it_refuses_an_empty_name(self) -> None:
        r = self.api("PATCH", f"/api/v1/units/{Tree.VILLAGE_A}/", self.admin, {"name": " "})
        assert r.status_code == 400
        assert "名称不能为空" in r.json()["detail"]
        r = self.api("PATCH", f"/api/v1/units/{Tree.VILLAGE_A}/", self.admin, {})
        assert r.status_code == 422
        assert not AuditEntry.objects.exists()

    def test_it_deletes_and_restores_a_village_once(self) -> None:
        before = Unit.objects.get(code=Tree.VILLAGE_B)
        r = self.api("DELETE", f"/api/v1/units/{Tree.VILLAGE_B}/", self.admin)
        assert r.status_code == 204
        assert not Unit.objects.filter(code=Tree.VILLAGE_B).exists()
        entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=Tree.VILLAGE_B)

        r = self.api("POST", f"/api/v1/audit/{entry.pk}/restore/", self.admin)
        assert r.status_code == 200, r.content
        assert r.json()["restored_at"] is not None
        unit = Unit.objects.get(code=Tree.VILLAGE_B)
        assert (unit.name, unit.parent_id, unit.initials) == (before.name, Tree.TOWNSHIP_B, "fdsq")
        r = self.api("GET", f"/api/v1/units/{Tree.VILLAGE_B}/", self.admin)
        assert r.json()["parent"] == Tree.TOWNSHIP_B

        r = self.api("POST", f"/api/v1/audit/{entry.pk}/restore/", self.admin)
        assert r.status_code == 400
        assert "已经恢复过了" in r.json()["detail"]
        assert AuditEntry.objects.filter(action=Action.RESTORE).count() == 1

    def test_it_lets_only_an_admin_in_scope_restore(self) -> None:
        self.api("DELETE", f"/api/v1/units/{Tree.VILLAGE_A2}/", self.admin)
        self.api("DELETE", f"/api/v1/units/{Tree.VILLAGE_B}/", self.admin)
        entry_a = AuditEntry.objects.get(action=Action.DELETE, object_pk=Tree.VILLAGE_A2)
        entry_b = AuditEntry.objects.get(action=Action.DELETE, object_pk=Tree.VILLAGE_B)
        r = self.api("POST", f"/api/v1/audit/{entry_b.pk}/restore/", self.staff_a)
        assert r.status_code == 404
        r = self.api("POST", f"/api/v1/audit/{entry_a.pk}/restore/", self.staff_a)
        assert r.status_code == 403
        assert "系统管理员" in r.json()["detail"]
        r = self.api("POST", f"/api/v1/audit/{entry_a.pk}/restore/", self.outsider)
        assert r.status_code == 404
        assert not Unit.objects.filter(code__in=[Tree.VILLAGE_A2, Tree.VILLAGE_B]).exists()

    def test_it_refuses_to_restore_a_village_whose_township_is_gone(self) -> None:
        Unit.objects.create(code="331082003", name="临时街道", parent_id=Tree.COUNTY)
        Unit.objects.create(code="331082003001", name="临时社区", parent_id="331082003")
        self.api("DELETE", "/api/v1/units/331082003001/", self.admin)
        self.api("DELETE", "/api/v1/units/331082003/", self.admin)
        entry = AuditEntry.objects.get(action=Action.DELETE, object_pk="331082003001")
        r = self.api("POST", f"/api/v1/audit/{entry.pk}/restore/", self.admin)
        assert r.status_code == 400
        assert "已不存在" in r.json()["detail"]
        assert not Unit.objects.filter(code__startswith="331082003").exists()

    def test_it_refuses_to_delete_a_unit_with_children(self) -> None:
        r = self.api("DELETE", f"/api/v1/units/{Tree.TOWNSHIP_A}/", self.admin)
        assert r.status_code == 400
        assert "不能删除" in r.json()["detail"]
        assert Unit.objects.filter(code=Tree.TOWNSHIP_A).exists()
