from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from xuanwen.audit import services as audit_services
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.households import services
from xuanwen.households.models import Household, HouseholdKind
from xuanwen.households.services import HouseholdData
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit

from .helpers import kind


def data(**values: object) -> HouseholdData:
    fields: dict[str, object] = {
        "unit": Unit.objects.get(code=Tree.VILLAGE_A),
        "kind": kind("major"),
        "head": " 张秀兰 ",
        "speciality": "剪纸",
        "members": 3,
        "member_names": "张秀兰、李建国、李小红",
        "level": "county",
        "designated_on": date(2026, 3, 5),
    }
    fields.update(values)
    return HouseholdData(**fields)  # type: ignore[arg-type]


class DefaultKindsTests(BaseTestCase):
    def test_the_national_defaults(self) -> None:
        kinds = dict(HouseholdKind.objects.values_list("code", "name"))
        self.assertEqual(
            kinds, {"household": "文化户", "major": "文化大户", "centre": "文化中心户"}
        )


@frozen(date(2026, 6, 1))
class ServiceTests(BaseTestCase):
    def test_create_strips_stores_pinyin_and_audits(self) -> None:
        x = services.household_create(user=self.keeper, data=data())
        self.assertEqual((x.head, x.unit_id, x.created_by), ("张秀兰", Tree.VILLAGE_A, self.keeper))
        self.assertIn("zxl", x.search_pinyin)
        self.assertAudited(Action.CREATE, x)

    def test_rights(self) -> None:
        village_b = Unit.objects.get(code=Tree.VILLAGE_B)
        for user, unit in ((self.staff_a, village_b), (self.viewer, None), (self.unbound, None)):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.household_create(user=user, data=data(**({"unit": unit} if unit else {})))
        x = services.household_create(user=self.staff_a, data=data())
        # Moving it to a unit out of reach is a write there.
        with self.assertRaises(PermissionDenied):
            services.household_update(user=self.staff_a, household=x, data=data(unit=village_b))
        with self.assertRaises(PermissionDenied):
            services.household_delete(user=self.staff_b, household=x)

    def test_rules_in_chinese_by_field(self) -> None:
        cases = {
            "head": data(head="  "),
            "members": data(members=0),
            "level": data(level="galaxy"),
            "designated_on": data(designated_on=date(1900, 1, 1)),
        }
        for field, bad in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as ctx:
                services.household_create(user=self.staff_a, data=bad)
            self.assertIn(field, ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.household_create(user=self.staff_a, data=data(members=51))
        self.assertEqual(ctx.exception.message_dict["members"], ["参与人数应在 1 至 50 之间。"])
        early = data(revoked_on=date(2026, 3, 1))
        with self.assertRaises(ValidationError) as ctx:
            services.household_create(user=self.staff_a, data=early)
        self.assertEqual(ctx.exception.message_dict["revoked_on"], ["撤销日期应晚于认定日期。"])
        undated = data(designated_on=None, revoked_on=date(2026, 3, 1))
        with self.assertRaises(ValidationError) as ctx:
            services.household_create(user=self.staff_a, data=undated)
        self.assertIn("请先填写认定日期", ctx.exception.message_dict["revoked_on"][0])
        self.assertFalse(Household.objects.exists())

    def test_a_live_duplicate_is_refused_a_deleted_one_is_not(self) -> None:
        first = services.household_create(user=self.staff_a, data=data())
        with self.assertRaises(ValidationError) as ctx:
            services.household_create(user=self.staff_a, data=data(head="张秀兰"))
        self.assertEqual(
            ctx.exception.message_dict["head"], ["该村（社区）已有同一户主的同类文化户。"]
        )
        # Another kind, or another village, is another household.
        services.household_create(user=self.staff_a, data=data(kind=kind("centre")))
        village_a2 = Unit.objects.get(code=Tree.VILLAGE_A2)
        services.household_create(user=self.staff_a, data=data(unit=village_a2))
        # Editing the household itself is not a duplicate of itself.
        services.household_update(user=self.staff_a, household=first, data=data(members=4))
        services.household_delete(user=self.staff_a, household=first)
        services.household_create(user=self.staff_a, data=data())

    def test_soft_delete_and_restore(self) -> None:
        x = services.household_create(user=self.staff_a, data=data())
        services.household_delete(user=self.staff_a, household=x)
        self.assertFalse(Household.objects.filter(pk=x.pk).exists())
        self.assertTrue(Household.all_objects.filter(pk=x.pk).exists())
        entry = AuditEntry.objects.get(
            model="households.household", object_pk=str(x.pk), action=Action.DELETE
        )
        audit_services.audit_restore(user=self.admin, entry=entry)
        self.assertTrue(Household.objects.filter(pk=x.pk).exists())
