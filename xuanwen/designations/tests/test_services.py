import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.designations import services
from xuanwen.designations.models import Designation, DesignationKind
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit

from .helpers import kind

D = dt.date


def data(**overrides: object) -> services.DesignationData:
    values: dict[str, object] = {
        "unit": Unit.objects.get(code=Tree.VILLAGE_A),
        "kind": kind("model_village"),
        "level": "county",
        "designated_on": D(2026, 5, 20),
        "document_no": " 临文〔2026〕12号 ",
        "awarded_by": "临海市文化和旅游局",
    }
    values.update(overrides)
    return services.DesignationData(**values)  # type: ignore[arg-type]


class DefaultKindsTests(BaseTestCase):
    def test_the_national_defaults_and_their_stable_codes(self) -> None:
        self.assertEqual(
            dict(DesignationKind.objects.values_list("code", "name")),
            {
                "model_village": "文化示范村",
                "advanced_village": "文化先进村",
                "feature_village": "文化特色村",
                "model_community": "文化示范社区",
                "strong_township": "文化强镇",
            },
        )


@frozen(D(2026, 6, 1))
class ServiceTests(BaseTestCase):
    def test_create_stores_and_audits(self) -> None:
        designation = services.designation_create(user=self.staff_a, data=data())
        self.assertEqual(
            (designation.unit_id, designation.kind.code, designation.level),
            (Tree.VILLAGE_A, "model_village", "county"),
        )
        self.assertEqual(designation.document_no, "临文〔2026〕12号")  # stripped
        self.assertEqual(designation.created_by, self.staff_a)
        self.assertIn("whsq", designation.search_pinyin)  # 文化社区
        self.assertAudited(Action.CREATE, designation)

    def test_rights_other_unit_read_only_role_and_no_unit(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.designation_create(user=self.staff_b, data=data())
        with self.assertRaises(PermissionDenied):
            services.designation_create(user=self.viewer, data=data())
        with self.assertRaises(PermissionDenied):
            services.designation_create(user=self.outsider, data=data())
        # A keeper writes for their own village only.
        services.designation_create(user=self.keeper, data=data())
        with self.assertRaises(PermissionDenied):
            services.designation_create(
                user=self.keeper, data=data(unit=Unit.objects.get(code=Tree.VILLAGE_A2))
            )
        # Moving a record out of reach is a write to a unit the user does not own.
        designation = Designation.objects.get()
        with self.assertRaises(PermissionDenied):
            services.designation_update(
                user=self.staff_a,
                designation=designation,
                data=data(unit=Unit.objects.get(code=Tree.VILLAGE_B)),
            )

    def test_rules_in_chinese(self) -> None:
        def errors(**overrides: object) -> dict[str, list[str]]:
            with self.assertRaises(ValidationError) as raised:
                services.designation_create(user=self.staff_a, data=data(**overrides))
            return raised.exception.message_dict

        self.assertIn("撤销日期应晚于命名日期", errors(revoked_on=D(2026, 5, 20))["revoked_on"][0])
        self.assertIn(
            "日期应在 1949 年至 2027 年之间",
            errors(designated_on=D(1900, 1, 1))["designated_on"][0],
        )
        self.assertIn("级别只能是", errors(level="village")["level"][0])
        self.assertIn("文号不能超过 100 个字", errors(document_no="文" * 101)["document_no"][0])
        self.assertFalse(Designation.objects.exists())

    def test_the_same_kind_at_several_levels_but_no_exact_duplicate(self) -> None:
        services.designation_create(user=self.staff_a, data=data(designated_on=D(2019, 3, 1)))
        services.designation_create(
            user=self.staff_a, data=data(level="city", designated_on=D(2024, 3, 1))
        )
        # The same kind at the same level on another date is another designation too.
        services.designation_create(user=self.staff_a, data=data(designated_on=D(2024, 3, 1)))
        with self.assertRaises(ValidationError) as raised:
            services.designation_create(user=self.staff_a, data=data(designated_on=D(2019, 3, 1)))
        self.assertEqual(
            raised.exception.message_dict["kind"],
            ["该单位已有同一类型、同一级别、同一命名日期的命名。"],
        )
        self.assertEqual(Designation.objects.count(), 3)
        # An update keeping its own values is not its own duplicate.
        first = Designation.objects.get(designated_on=D(2019, 3, 1))
        services.designation_update(
            user=self.staff_a,
            designation=first,
            data=data(designated_on=D(2019, 3, 1), note="复核"),
        )
        self.assertAudited(Action.UPDATE, first)

    def test_update_records_before_and_after(self) -> None:
        designation = services.designation_create(user=self.staff_a, data=data())
        services.designation_update(
            user=self.staff_a, designation=designation, data=data(revoked_on=D(2026, 5, 31))
        )
        entry = AuditEntry.objects.get(action=Action.UPDATE, object_pk=str(designation.pk))
        self.assertIsNone(entry.before["fields"]["revoked_on"])
        designation.refresh_from_db()
        self.assertEqual(designation.revoked_on, D(2026, 5, 31))

    def test_soft_delete_and_restore(self) -> None:
        designation = services.designation_create(user=self.staff_a, data=data())
        with self.assertRaises(PermissionDenied):
            services.designation_delete(user=self.staff_b, designation=designation)
        services.designation_delete(user=self.staff_a, designation=designation)
        self.assertFalse(Designation.objects.filter(pk=designation.pk).exists())
        self.assertTrue(Designation.all_objects.filter(pk=designation.pk).exists())
        entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(designation.pk))
        self.client.force_login(self.admin)
        self.client.post(reverse("audit:restore", args=[entry.pk]))
        self.assertTrue(Designation.objects.filter(pk=designation.pk).exists())
