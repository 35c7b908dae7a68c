from datetime import date

from django.urls import reverse

from xuanwen.audit.models import Action
from xuanwen.households.models import Household
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import kind, make_household

LIST = reverse("households:list")
NEW = reverse("households:create")


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": Tree.VILLAGE_A,
        "kind": kind("major").pk,
        "head": "张秀兰",
        "speciality": "剪纸",
        "members": "3",
        "member_names": "张秀兰、李建国",
        "level": "county",
        "designated_on": "2026-03-05",
        "revoked_on": "",
        "note": "",
    }
    data.update(overrides)
    return data


@frozen(date(2026, 6, 1))
class EntryTests(BaseTestCase):
    def test_a_keeper_records_edits_and_deletes_in_their_village(self) -> None:
        self.client.force_login(self.keeper)
        self.assertEqual(self.client.get(NEW).status_code, 200)
        page = self.client.post(NEW, form_data(), follow=True)
        x = Household.objects.get()
        self.assertRedirects(page, x.get_absolute_url())
        self.assertEqual((x.unit_id, x.members, x.level), (Tree.VILLAGE_A, 3, "county"))
        self.assertContains(page, "已登记文化户“张秀兰”。")
        self.assertContains(page, "文化大户")
        edit = reverse("households:edit", args=[x.pk])
        self.assertContains(self.client.get(edit), 'value="张秀兰"')
        self.client.post(edit, form_data(members="5"))
        x.refresh_from_db()
        self.assertEqual(x.members, 5)
        self.assertAudited(Action.UPDATE, x)
        response = self.client.post(reverse("households:delete", args=[x.pk]), follow=True)
        self.assertContains(response, "张秀兰")
        self.assertFalse(Household.objects.exists())
        # A village keeper records for their own village only.
        response = self.client.post(NEW, form_data(unit=Tree.VILLAGE_A2))
        self.assertTrue(response.context["form"].errors["unit"])

    def test_rule_errors_land_on_the_form(self) -> None:
        make_household(Tree.VILLAGE_A, head="张秀兰")
        self.client.force_login(self.staff_a)
        response = self.client.post(NEW, form_data())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["head"], ["该村（社区）已有同一户主的同类文化户。"]
        )
        response = self.client.post(NEW, form_data(head="王", revoked_on="2026-01-01"))
        self.assertEqual(
            response.context["form"].errors["revoked_on"], ["撤销日期应晚于认定日期。"]
        )
        response = self.client.post(NEW, form_data(head="王", members="999"))
        self.assertIn("members", response.context["form"].errors)
        self.assertEqual(Household.objects.count(), 1)

    def test_a_viewer_reads_but_may_not_write(self) -> None:
        x = make_household(Tree.VILLAGE_A)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(LIST).status_code, 200)
        page = self.client.get(x.get_absolute_url())
        self.assertNotContains(page, reverse("households:edit", args=[x.pk]))
        self.assertEqual(self.client.get(NEW).status_code, 403)
        self.assertEqual(self.client.post(NEW, form_data(head="新")).status_code, 403)
        self.assertEqual(self.client.get(reverse("households:edit", args=[x.pk])).status_code, 403)
        self.client.post(reverse("households:delete", args=[x.pk]))
        self.assertTrue(Household.objects.filter(pk=x.pk).exists())

    def test_another_units_household_is_404_on_every_page(self) -> None:
        other = make_household(Tree.VILLAGE_B)
        self.client.force_login(self.staff_a)
        self.assertHiddenRecord(other)
        self.client.force_login(self.keeper)
        self.assertHiddenRecord(make_household(Tree.VILLAGE_A2))
        self.client.force_login(self.outsider)
        self.assertHiddenRecord(make_household(Tree.VILLAGE_A))


class ListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_household(Tree.VILLAGE_A, head="张秀兰", speciality="剪纸", level="county",
                       designated_on=date(2025, 3, 1))  # fmt: skip
        make_household(Tree.VILLAGE_A2, "centre", head="李建国", speciality="锣鼓")
        make_household(Tree.VILLAGE_B, head="王大伯", designated_on=date(2026, 2, 1))
        make_household(Tree.OTHER_TOWNSHIP, head="外县户")

    def heads(self, **query: str) -> set[str]:
        return {r.name for r in self.client.get(LIST, query).context["page"]}

    def test_filters(self) -> None:
        self.client.force_login(self.supervisor)
        self.assertEqual(self.heads(), {"张秀兰", "李建国", "王大伯"})
        self.assertEqual(self.heads(unit=Tree.TOWNSHIP_A), {"张秀兰", "李建国"})
        self.assertEqual(self.heads(kind="centre"), {"李建国"})
        self.assertEqual(self.heads(level="county"), {"张秀兰"})
        self.assertEqual(self.heads(q="zxl"), {"张秀兰"})
        self.assertEqual(self.heads(q="锣鼓"), {"李建国"})
        self.assertEqual(self.heads(undated="on"), {"李建国"})
        self.assertEqual(self.heads(as_of="2025-12-31"), {"张秀兰"})
        self.assertEqual(self.heads(start="2026-01-01", end="2026-12-31"), {"王大伯"})
        # A unit outside the scope, or malformed values, are not applied (nothing leaks).
        self.client.force_login(self.staff_a)
        self.assertEqual(self.heads(unit=Tree.OTHER_TOWNSHIP), {"张秀兰", "李建国"})
        self.assertEqual(self.heads(level="galaxy", as_of="no"), {"张秀兰", "李建国"})

    def test_the_undated_are_marked(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(LIST, {"undated": "on"})
        self.assertContains(page, "待补日期")
        undated = Household.objects.get(head="李建国")
        self.assertContains(self.client.get(undated.get_absolute_url()), "待补日期")

    def test_htmx_answers_the_results_fragment(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.get(LIST, {"kind": "centre"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "李建国")

    def test_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.supervisor)
        units = [Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.VILLAGE_B]

        def more() -> None:
            for i in range(60):
                make_household(units[i % 3], designated_on=date(2026, 1, 1))

        self.assertQueriesDoNotGrow(LIST, more)
