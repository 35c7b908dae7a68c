"""A training class restored from the audit page brings back its 培训 activity, so the plan's
"举办3—5期培训" counts it again, once."""

import pytest
from django.urls import reverse

from xuanwen.activities.models import Activity
from xuanwen.audit import services as audit_services
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.teams import services
from xuanwen.teams.models import TrainingClass
from xuanwen.testing import BaseTestCase

from .test_training import NEW, class_form

HOOKED = hasattr(audit_services, "register_restore_hook")


class RestoreTests(BaseTestCase):
    def _deleted_class(self) -> tuple[TrainingClass, int]:
        self.client.force_login(self.staff_a)
        assert self.client.post(NEW, class_form()).status_code == 302
        tc = TrainingClass.objects.get()
        act_pk = tc.activity_id
        assert act_pk is not None
        self.client.post(reverse("teams:training_delete", args=[tc.pk]))
        assert not Activity.objects.filter(pk=act_pk).exists()
        return tc, act_pk

    def _class_entry(self, tc: TrainingClass) -> AuditEntry:
        return AuditEntry.objects.get(
            model="teams.trainingclass", object_pk=str(tc.pk), action=Action.DELETE
        )

    def _assert_back(self, tc: TrainingClass, act_pk: int) -> None:
        tc = TrainingClass.objects.get(pk=tc.pk)
        assert tc.activity_id == act_pk
        assert list(Activity.objects.filter(type__name="培训").values_list("pk", flat=True)) == [
            act_pk
        ]
        # Audited as a restore, and its own deletion entry is spent (no second restore).
        assert AuditEntry.objects.filter(
            model="activities.activity", object_pk=str(act_pk), action=Action.RESTORE
        ).exists()
        assert not AuditEntry.objects.filter(
            model="activities.activity", object_pk=str(act_pk), action=Action.DELETE,
            restored_at__isnull=True,
        ).exists()  # fmt: skip

    def test_the_restore_hook_brings_back_the_same_activity(self) -> None:
        tc, act_pk = self._deleted_class()
        audit_services.audit_restore(user=self.admin, entry=self._class_entry(tc))
        tc = TrainingClass.objects.get(pk=tc.pk)
        # What the audit app's restore hook calls (registered in TeamsConfig.ready).
        services.training_restored(user=self.admin, training=tc)
        self._assert_back(tc, act_pk)
        # Called again, or for a class that is not restored, it changes nothing.
        services.training_restored(user=self.admin, training=tc)
        assert Activity.objects.filter(type__name="培训").count() == 1

    @pytest.mark.skipif(not HOOKED, reason="the audit app has no restore hook yet")
    def test_restoring_the_class_on_the_audit_page_restores_its_activity(self) -> None:
        tc, act_pk = self._deleted_class()
        self.client.force_login(self.admin)
        self.client.post(reverse("audit:restore", args=[self._class_entry(tc).pk]))
        self._assert_back(tc, act_pk)

    def test_the_next_change_of_a_restored_class_revives_its_own_activity(self) -> None:
        # The class alone comes back (as the audit page does without the hook) …
        tc, act_pk = self._deleted_class()
        TrainingClass.all_objects.filter(pk=tc.pk).update(deleted_at=None)
        # … and its next change brings back that same activity rather than a second one,
        # which would count the class twice once someone restored the first.
        self.client.force_login(self.staff_a)
        r = self.client.post(
            reverse("teams:training_edit", args=[tc.pk]), class_form(trainer="李老师")
        )
        assert r.status_code == 302
        self._assert_back(tc, act_pk)
        entry = AuditEntry.objects.get(
            model="activities.activity", object_pk=str(act_pk), action=Action.DELETE
        )
        assert entry.restored_at is not None
