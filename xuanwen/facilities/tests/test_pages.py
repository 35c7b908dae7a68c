import datetime as dt
from decimal import Decimal

from django.urls import reverse

from xuanwen.accounts.models import User
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.facilities.models import Equipment, Facility, FacilityKind, Room
from xuanwen.testing import BaseTestCase, Tree

from .helpers import kind, make_facility

LIST = reverse("facilities:list")
NEW = reverse("facilities:create")


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": Tree.TOWNSHIP_A,
        "kind": kind("station").pk,
        "name": "古城街道综合文化站",
        "area": "400",
        "address": "古城街道人民路 1 号",
        "opened_on": "2014-10-01",
        "closed_on": "",
        "opening_schedule": "周二至周日 8:30-11:30，14:00-17:00",
        "free_opening": "1",
        "keeper": "王站长",
        "phone": "0576-85123456",
        "notes": "内设图书室、电子阅览室、会议培训室、综合活动室。",
    }
    data.update(overrides)
    return data


class DefaultKindsTests(BaseTestCase):
    def test_the_default_kinds_and_their_rules(self) -> None:
        kinds = {k.code: k for k in FacilityKind.objects.all()}
        self.assertEqual(
            {code: k.name for code, k in kinds.items()},
            {
                "station": "综合文化站",
                "room": "文化室",
                "bookhouse": "农家书屋",
                "courtyard": "文化大院",
                "square": "文化广场",
                "centre": "文化活动中心",
                "ereading": "电子阅览室",
            },
        )
        station, bookhouse = kinds["station"], kinds["bookhouse"]
        self.assertEqual((station.min_days_per_week, station.min_hours_per_day), (3, Decimal(3)))
        self.assertEqual((bookhouse.min_days_per_week, bookhouse.min_hours_per_day), (5, None))
        self.assertIsNone(kinds["courtyard"].min_days_per_week)


class CreateEditDeleteTests(BaseTestCase):
    def test_staff_creates_in_own_township(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(NEW)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'inputmode="decimal"')
        response = self.client.post(NEW, form_data())
        facility = Facility.objects.get(name="古城街道综合文化站")
        self.assertRedirects(response, facility.get_absolute_url())
        self.assertEqual(
            (facility.unit_id, facility.area, facility.opened_on, facility.created_by),
            (Tree.TOWNSHIP_A, Decimal(400), dt.date(2014, 10, 1), self.staff_a),
        )
        self.assertIn("gcjdzhwhz", facility.search_pinyin)
        self.assertAudited(Action.CREATE, facility)

    def test_keeper_records_only_for_their_village(self) -> None:
        self.client.force_login(self.keeper)
        response = self.client.post(NEW, form_data(unit=Tree.TOWNSHIP_A))
        self.assertTrue(response.context["form"].errors["unit"])
        self.client.post(
            NEW, form_data(unit=Tree.VILLAGE_A, kind=kind("bookhouse").pk, name="书屋")
        )
        self.assertEqual(Facility.objects.get().unit_id, Tree.VILLAGE_A)

    def test_bad_input_is_named_and_nothing_is_lost(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.post(NEW, form_data(opened_on="1800-01-01", area="-5"))
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("area", errors)
        self.assertFalse(Facility.objects.exists())
        # What was typed is still there.
        self.assertContains(response, "古城街道人民路 1 号")
        response = self.client.post(NEW, form_data(opened_on="1800-01-01"))
        self.assertIn("日期应在 1949 年至", str(response.context["form"].errors["opened_on"]))
        response = self.client.post(NEW, form_data(closed_on="2014-09-30"))
        self.assertIn("停用日期应晚于建成日期", str(response.context["form"].errors["closed_on"]))
        self.client.post(NEW, form_data())
        response = self.client.post(NEW, form_data())
        self.assertIn("该单位已有同类型、同名称的阵地。", response.context["form"].errors["name"])
        self.assertEqual(Facility.objects.count(), 1)

    def test_viewer_cannot_create(self) -> None:
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(NEW).status_code, 403)
        self.assertEqual(self.client.post(NEW, form_data()).status_code, 403)
        self.assertFalse(Facility.objects.exists())

    def test_staff_edits_own_facility(self) -> None:
        facility = make_facility(Tree.TOWNSHIP_A, name="旧名")
        self.client.force_login(self.staff_a)
        url = reverse("facilities:edit", args=[facility.pk])
        self.assertContains(self.client.get(url), "旧名")
        response = self.client.post(url, form_data(name="新名", unit=Tree.VILLAGE_A2))
        self.assertRedirects(response, facility.get_absolute_url())
        facility.refresh_from_db()
        self.assertEqual((facility.name, facility.unit_id), ("新名", Tree.VILLAGE_A2))
        entry = AuditEntry.objects.get(action=Action.UPDATE, object_pk=str(facility.pk))
        self.assertEqual(entry.before["fields"]["name"], "旧名")

    def test_delete_is_soft_audited_and_restorable(self) -> None:
        facility = make_facility(Tree.TOWNSHIP_A, name="待删除文化站")
        Room.objects.create(facility=facility, name="排练厅")
        self.client.force_login(self.staff_a)
        url = reverse("facilities:delete", args=[facility.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(self.client.post(url), LIST)
        self.assertFalse(Facility.objects.filter(pk=facility.pk).exists())
        self.assertEqual(self.client.get(facility.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(LIST), "待删除文化站")
        entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(facility.pk))
        # The admin restores it from the audit page, rooms and all.
        self.client.force_login(self.admin)
        self.client.post(reverse("audit:restore", args=[entry.pk]))
        self.assertTrue(Facility.objects.filter(pk=facility.pk).exists())
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(facility.get_absolute_url()), "排练厅")


class ScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.in_a = make_facility(Tree.VILLAGE_A, "bookhouse", name="文化社区农家书屋")
        cls.in_b = make_facility(Tree.TOWNSHIP_B, name="大洋街道文化站")
        cls.other = make_facility(Tree.OTHER_TOWNSHIP, name="太平街道文化站")

    def test_another_units_facility_is_404_everywhere(self) -> None:
        room = Room.objects.create(facility=self.in_a, name="阅览室")
        item = Equipment.objects.create(facility=self.in_a, name="书架", count=4)
        self.client.force_login(self.staff_b)
        pages = ("photo_upload", "room_add", "equipment_add")
        self.assertHiddenRecord(self.in_a, pages, room_delete=room, equipment_delete=item)

    def test_list_shows_only_the_users_subtree(self) -> None:
        self.client.force_login(self.staff_a)
        page = self.client.get(LIST)
        self.assertContains(page, "文化社区农家书屋")
        self.assertNotContains(page, "大洋街道文化站")
        self.assertNotContains(page, "太平街道文化站")
        # A unit filter outside the scope means "all of mine", never another unit's.
        page = self.client.get(LIST, {"unit": Tree.TOWNSHIP_B})
        self.assertNotContains(page, "大洋街道文化站")

    def test_viewer_sees_but_cannot_write(self) -> None:
        self.client.force_login(self.viewer)
        page = self.client.get(self.in_a.get_absolute_url())
        self.assertContains(page, "文化社区农家书屋")
        self.assertNotContains(page, reverse("facilities:edit", args=[self.in_a.pk]))
        edit = reverse("facilities:edit", args=[self.in_a.pk])
        self.assertEqual(self.client.get(edit).status_code, 403)
        delete = reverse("facilities:delete", args=[self.in_a.pk])
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.assertTrue(Facility.objects.filter(pk=self.in_a.pk).exists())


class ListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        make_facility(Tree.VILLAGE_A, "courtyard", name="文化社区文化大院", address="学堂巷")
        make_facility(Tree.VILLAGE_B, "courtyard", name="府东文化大院")

    def test_filters_by_unit_kind_text_and_pinyin(self) -> None:
        self.client.force_login(self.supervisor)

        def names(**params: str) -> set[str]:
            page = self.client.get(LIST, params).context["page"]
            return {x.name for x in page}

        self.assertEqual(len(names()), 3)
        self.assertEqual(names(unit=Tree.TOWNSHIP_A), {"古城街道综合文化站", "文化社区文化大院"})
        self.assertEqual(names(kind="courtyard"), {"文化社区文化大院", "府东文化大院"})
        self.assertEqual(names(q="学堂"), {"文化社区文化大院"})
        self.assertEqual(names(q="fdwhdy"), {"府东文化大院"})
        self.assertEqual(names(q="wenhuadayuan"), {"文化社区文化大院", "府东文化大院"})

    def test_a_row_links_to_its_facility_and_reads_kind_unit_area_and_address(self) -> None:
        courtyard = Facility.objects.get(name="文化社区文化大院")
        self.client.force_login(self.supervisor)
        Facility.objects.filter(pk=courtyard.pk).update(area=Decimal("120.5"))
        # Without an opening date it is marked for the clerk to fill in.
        line = f"{courtyard.kind.name} · {courtyard.unit.name} · 120.5 平方米 · 学堂巷"
        undated = f'{line} · <span class="std-bad">待补日期</span>'
        response = self.client.get(LIST, {"q": "学堂"})
        self.assertContains(response, f'<div class="meta">{undated}</div>')
        Facility.objects.filter(pk=courtyard.pk).update(
            opened_on=dt.date(2008, 5, 1), closed_on=dt.date(2020, 6, 30)
        )
        response = self.client.get(LIST, {"q": "学堂"})
        self.assertContains(
            response, f'<a class="title" href="{courtyard.get_absolute_url()}">文化社区文化大院</a>'
        )
        line = (
            f"{courtyard.kind.name} · {courtyard.unit.name} · 2008-05-01 建成 · 2020-06-30 停用"
            " · 120.5 平方米 · 学堂巷"
        )
        self.assertContains(response, f'<div class="meta">{line}</div>')

    def test_htmx_filter_returns_the_results_only(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(LIST, {"kind": "courtyard"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "府东文化大院")

    def test_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.supervisor)
        units = [Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_B, Tree.VILLAGE_B]

        def more() -> None:
            for i in range(60):
                make_facility(units[i % len(units)])

        many = self.assertQueriesDoNotGrow(LIST, more, {"kind": "station"})
        self.assertLessEqual(many, 8)
        self.assertContains(self.client.get(LIST, {"kind": "station"}), "1 / 2")

    def test_detail_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.staff_a)
        facility = make_facility(Tree.TOWNSHIP_A)

        def more() -> None:
            for i in range(10):
                Room.objects.create(facility=facility, name=f"室{i}")
                Equipment.objects.create(facility=facility, name=f"设备{i}")

        self.assertQueriesDoNotGrow(facility.get_absolute_url(), more)


class DetailTests(BaseTestCase):
    def test_bookhouse_area_against_the_standard(self) -> None:
        small = make_facility(Tree.VILLAGE_A, "bookhouse", name="小书屋", area=Decimal("15"))
        big = make_facility(Tree.VILLAGE_A2, "bookhouse", name="大书屋", area=Decimal("36.5"))
        unknown = make_facility(Tree.VILLAGE_B, "bookhouse", name="新书屋")
        self.client.force_login(self.supervisor)
        page = self.client.get(small.get_absolute_url())
        self.assertContains(page, "不少于 20 平方米")
        self.assertContains(page, "15.0 平方米")
        self.assertContains(page, "未达标")
        self.assertContains(page, "每周至少开放 5 天")
        self.assertContains(self.client.get(big.get_absolute_url()), "✓ 达标")
        self.assertContains(self.client.get(unknown.get_absolute_url()), "（未知）")
        station = make_facility(Tree.TOWNSHIP_A)
        page = self.client.get(station.get_absolute_url())
        self.assertNotContains(page, "达标情况")
        self.assertContains(page, "每周至少开放 3 天，每天至少 3.0 小时")

    def test_rooms_and_equipment_inline_with_htmx(self) -> None:
        facility = make_facility(Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_a)
        response = self.client.post(
            reverse("facilities:room_add", args=[facility.pk]),
            {"room-name": "多功能厅", "room-area": "300"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "多功能厅")
        self.assertNotContains(response, "<html")
        room = Room.objects.get(facility=facility)
        self.assertEqual(room.area, Decimal(300))
        response = self.client.post(
            reverse("facilities:equipment_add", args=[facility.pk]),
            {"equipment-name": "音响", "equipment-count": "2", "equipment-condition": "worn"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "音响")
        item = Equipment.objects.get(facility=facility)
        self.assertEqual((item.count, item.condition), (2, "worn"))
        # Bad input comes back on the form, nothing saved.
        response = self.client.post(
            reverse("facilities:equipment_add", args=[facility.pk]),
            {"equipment-name": "", "equipment-count": "0", "equipment-condition": "good"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "errorlist")
        self.assertEqual(Equipment.objects.count(), 1)
        # Without JavaScript the same posts redirect back to the section.
        response = self.client.post(reverse("facilities:room_delete", args=[room.pk]))
        self.assertRedirects(response, facility.get_absolute_url() + "#rooms")
        self.assertFalse(Room.objects.exists())
        self.client.post(reverse("facilities:equipment_delete", args=[item.pk]))
        self.assertFalse(Equipment.objects.exists())
        actions = AuditEntry.objects.filter(model__in=["facilities.room", "facilities.equipment"])
        self.assertEqual(
            sorted(actions.values_list("action", flat=True)),
            sorted([Action.CREATE, Action.CREATE, Action.DELETE, Action.DELETE]),
        )

    def test_opening_link_spot_is_marked(self) -> None:
        # The opening app's link goes where the template's comment says; the comment itself
        # never reaches the page.
        facility = make_facility(Tree.TOWNSHIP_A)
        self.client.force_login(self.staff_a)
        self.assertNotContains(self.client.get(facility.get_absolute_url()), "opening:facility")


class KindPageTests(BaseTestCase):
    URL = reverse("facilities:kinds")

    def test_admin_adds_a_kind_with_a_rule(self) -> None:
        self.client.force_login(self.admin)
        self.assertContains(self.client.get(self.URL), "综合文化站")
        response = self.client.post(
            self.URL,
            {
                "code": "library",
                "name": "图书分馆",
                "min_days_per_week": "6",
                "min_hours_per_day": "4.5",
                "ordering": "80",
                "active": "on",
            },
        )
        self.assertRedirects(response, self.URL)
        library = FacilityKind.objects.get(code="library")
        self.assertEqual(library.owner_id, Tree.COUNTY)  # the county's own (#12)
        self.assertEqual(
            (library.min_days_per_week, library.min_hours_per_day), (6, Decimal("4.5"))
        )
        self.assertTrue(AuditEntry.objects.filter(model="facilities.facilitykind").exists())
        response = self.client.post(self.URL, {"code": "library", "name": "另一个", "ordering": 1})
        self.assertIn("已有代码", str(response.context["form"].errors["code"]))

    def test_admin_edits_the_rule_but_not_the_code(self) -> None:
        station = kind("station")
        url = reverse("facilities:kind_edit", args=[station.pk])
        # A national kind is changed by a country-wide admin, not by a county's (#12).
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(url).status_code, 403)
        root = User.objects.create_superuser(username="root", password=self.password)
        self.client.force_login(root)
        response = self.client.post(
            url,
            {
                "code": "changed",
                "name": "综合文化站",
                "min_days_per_week": "4",
                "min_hours_per_day": "3",
                "ordering": "10",
                "active": "on",
            },
        )
        self.assertRedirects(response, self.URL)
        station.refresh_from_db()
        self.assertEqual((station.code, station.min_days_per_week), ("station", 4))
        response = self.client.post(
            url, {"name": "综合文化站", "min_days_per_week": "9", "ordering": "10"}
        )
        self.assertTrue(response.context["form"].errors["min_days_per_week"])

    def test_only_admins(self) -> None:
        station = kind("station")
        for user in (self.staff_a, self.supervisor, self.keeper):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.URL).status_code, 403)
            url = reverse("facilities:kind_edit", args=[station.pk])
            self.assertEqual(self.client.post(url, {"name": "改"}).status_code, 403)
        station.refresh_from_db()
        self.assertEqual(station.name, "综合文化站")

    def test_retired_kind_leaves_the_form_but_stays_on_its_records(self) -> None:
        facility = make_facility(Tree.VILLAGE_A, "ereading", name="电子阅览室")
        ereading = kind("ereading")
        ereading.active = False
        ereading.save()
        self.client.force_login(self.staff_a)
        self.assertNotContains(self.client.get(NEW), "电子阅览室")
        edit = self.client.get(reverse("facilities:edit", args=[facility.pk]))
        self.assertContains(edit, f'<option value="{ereading.pk}" selected>电子阅览室</option>')
