import datetime as dt

from django.urls import reverse

from xuanwen.audit.models import Action
from xuanwen.designations.models import Designation
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import kind, make_designation

D = dt.date
LIST = reverse("designations:list")
NEW = reverse("designations:create")


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": Tree.VILLAGE_A,
        "kind": kind("model_village").pk,
        "level": "county",
        "designated_on": "2026-05-20",
        "revoked_on": "",
        "document_no": "临文〔2026〕12号",
        "awarded_by": "临海市文化和旅游局",
        "note": "",
    }
    data.update(overrides)
    return data


@frozen(D(2026, 6, 1))
class EntryTests(BaseTestCase):
    def test_staff_records_a_village_of_their_township(self) -> None:
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(NEW).status_code, 200)
        page = self.client.post(NEW, form_data(), follow=True)
        designation = Designation.objects.get()
        self.assertRedirects(page, designation.get_absolute_url())
        self.assertContains(page, "已登记命名“文化社区 · 文化示范村”。")
        self.assertContains(page, "临文〔2026〕12号")
        self.assertContains(page, "县级")
        self.assertAudited(Action.CREATE, designation)

    def test_rule_errors_show_on_the_form(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.post(NEW, form_data(revoked_on="2026-01-01"))
        self.assertIn("撤销日期应晚于命名日期", str(response.context["form"].errors["revoked_on"]))
        self.client.post(NEW, form_data())
        response = self.client.post(NEW, form_data())
        self.assertIn("同一命名日期", str(response.context["form"].errors["kind"]))
        self.assertEqual(Designation.objects.count(), 1)

    def test_edit_and_delete(self) -> None:
        designation = make_designation(Tree.VILLAGE_A, designated_on=D(2019, 3, 1))
        self.client.force_login(self.staff_a)
        url = reverse("designations:edit", args=[designation.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, form_data(level="city", designated_on="2024-03-01"))
        self.assertRedirects(response, designation.get_absolute_url())
        designation.refresh_from_db()
        self.assertEqual((designation.level, designation.designated_on), ("city", D(2024, 3, 1)))
        delete = reverse("designations:delete", args=[designation.pk])
        self.assertRedirects(self.client.post(delete), LIST)
        self.assertFalse(Designation.objects.exists())
        self.assertEqual(self.client.get(designation.get_absolute_url()).status_code, 404)

    def test_an_undated_designation_says_so(self) -> None:
        designation = make_designation(Tree.VILLAGE_A)
        self.client.force_login(self.staff_a)
        page = self.client.get(designation.get_absolute_url())
        self.assertContains(page, "待补日期")
        self.assertContains(page, "不计入任何时段的命名数")


class ScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.in_a = make_designation(Tree.VILLAGE_A, designated_on=D(2025, 5, 1))
        cls.in_b = make_designation(Tree.VILLAGE_B, "advanced_village", designated_on=D(2025, 5, 1))
        cls.other = make_designation(Tree.OTHER_TOWNSHIP, designated_on=D(2025, 5, 1))

    def test_another_units_designation_is_404_everywhere(self) -> None:
        self.client.force_login(self.staff_b)
        self.assertHiddenRecord(self.in_a)

    def test_list_shows_only_the_users_subtree(self) -> None:
        self.client.force_login(self.staff_a)
        names = {x.name for x in self.client.get(LIST).context["page"]}
        self.assertEqual(names, {"文化社区 · 文化示范村"})
        # A unit outside the scope means "all of mine", never another unit's.
        names = {x.name for x in self.client.get(LIST, {"unit": Tree.VILLAGE_B}).context["page"]}
        self.assertEqual(names, {"文化社区 · 文化示范村"})

    def test_keeper_writes_own_village_viewer_reads_only(self) -> None:
        self.client.force_login(self.keeper)
        edit = reverse("designations:edit", args=[self.in_a.pk])
        self.assertEqual(self.client.get(edit).status_code, 200)
        response = self.client.post(NEW, form_data(unit=Tree.TOWNSHIP_A))
        self.assertTrue(response.context["form"].errors["unit"])
        self.client.force_login(self.viewer)
        page = self.client.get(self.in_a.get_absolute_url())
        self.assertContains(page, "文化示范村")
        self.assertNotContains(page, edit)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(self.client.get(NEW).status_code, 403)
        delete = reverse("designations:delete", args=[self.in_a.pk])
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.assertTrue(Designation.objects.filter(pk=self.in_a.pk).exists())


class ListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_designation(Tree.VILLAGE_A, designated_on=D(2019, 3, 1), document_no="临文〔2019〕3号")
        make_designation(Tree.VILLAGE_A, level="city", designated_on=D(2024, 3, 1))
        make_designation(Tree.VILLAGE_B, "feature_village", revoked_on=None)
        make_designation(
            Tree.TOWNSHIP_B, "strong_township", designated_on=D(2020, 1, 1),
            revoked_on=D(2023, 1, 1),
        )  # fmt: skip

    def names(self, **params: str) -> list[str]:
        return [x.name for x in self.client.get(LIST, params).context["page"]]

    def test_filters(self) -> None:
        self.client.force_login(self.supervisor)
        self.assertEqual(len(self.names()), 4)
        self.assertEqual(len(self.names(unit=Tree.TOWNSHIP_A)), 2)
        self.assertEqual(self.names(kind="feature_village"), ["府东社区 · 文化特色村"])
        self.assertEqual(len(self.names(level="city")), 1)
        self.assertEqual(len(self.names(q="2019")), 1)
        self.assertEqual(len(self.names(q="whsq")), 2)  # the unit's pinyin initials
        self.assertEqual(self.names(undated="on"), ["府东社区 · 文化特色村"])
        # In force on a day: designated by then, not revoked by then.
        self.assertEqual(len(self.names(as_of="2022-06-30")), 2)
        self.assertEqual(len(self.names(as_of="2024-06-30")), 2)
        self.assertEqual(len(self.names(start="2024-01-01", end="2024-12-31")), 1)
        # Malformed values are simply not applied (a code above the scope is the whole scope).
        self.assertEqual(len(self.names(level="nope", as_of="x", unit="3")), 4)

    def test_rows_read_level_dates_and_document(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(LIST, {"kind": "feature_village"})
        self.assertContains(
            response, '<div class="meta">县级 · <span class="std-bad">待补日期</span></div>'
        )
        response = self.client.get(LIST, {"kind": "strong_township"})
        self.assertContains(response, "县级 · 2020-01-01 命名 · 2023-01-01 撤销")

    def test_htmx_filter_returns_the_results_only(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(LIST, {"kind": "feature_village"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "府东社区")

    def test_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.supervisor)
        units = [Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_B, Tree.VILLAGE_B]

        def more() -> None:
            for i in range(60):
                unit = units[i % len(units)]
                make_designation(unit, designated_on=D(2000 + i % 20, 1 + i % 12, 1))

        many = self.assertQueriesDoNotGrow(LIST, more, {"kind": "model_village"})
        self.assertLessEqual(many, 8)
        self.assertContains(self.client.get(LIST, {"kind": "model_village"}), "1 / 2")
