"""Vocabularies per subtree (#12): a kind an admin adds belongs to their unit and is seen in
its subtree only; national defaults are seen by all (the rule: records.models).

Every vocabulary a unit may own (each subclass of records.models.OwnedCatalogue) is walked
through every place that offers its kinds: the admin's catalogue page, the entry form's
select, the list's filter, the API's kinds, the indicator page and the indicator API.
"""

import json
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.accounts.models import Role, User
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.services import activity_type_create
from xuanwen.designations.models import DesignationKind
from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.facilities.services import KindData, kind_create
from xuanwen.households.models import Household, HouseholdKind
from xuanwen.households.services import HouseholdData, household_create
from xuanwen.households.tests.test_excel import SHEET as HOUSEHOLDS
from xuanwen.plans import services as plan_services
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.records.models import OwnedCatalogue
from xuanwen.records.tests.excel import RegisterExcelCase
from xuanwen.teams.models import Team, TeamGenre
from xuanwen.teams.services.teams import team_genre_create
from xuanwen.testing import BaseTestCase, Tree, frozen


@dataclass(frozen=True)
class Vocab:
    model: type[OwnedCatalogue]
    page: str | None  # the admins' catalogue page (a coded vocabulary without one: None)
    form: str  # the entry form, whose select offers the kinds
    listing: str  # the list, whose filter offers them
    api: str  # the API's list of kinds
    indicators: bool  # whether each kind has indicators of its own


VOCABS = (
    Vocab(ActivityType, "/activities/types/", "/activities/new/", "/activities/",
          "/api/v1/activities/types/", True),
    Vocab(TeamGenre, "/teams/genres/", "/teams/new/", "/teams/", "/api/v1/teams/genres/", False),
    Vocab(FacilityKind, "/facilities/kinds/", "/facilities/new/", "/facilities/",
          "/api/v1/facilities/kinds/", True),
    Vocab(HouseholdKind, None, "/households/new/", "/households/", "/api/v1/households/kinds/",
          True),
    Vocab(DesignationKind, None, "/designations/new/", "/designations/",
          "/api/v1/designations/kinds/", True),
)  # fmt: skip


def added_name(model: type[OwnedCatalogue]) -> str:
    return f"甲县自加{model._meta.model_name}"


@frozen(date(2026, 6, 15))
class VocabularyScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admin_b = User.objects.create_user(
            username="admin_b", password=cls.password, unit=cls.units[Tree.OTHER_COUNTY],
            role=Role.ADMIN,
        )  # fmt: skip
        # County A's admin adds one of each: through the services where an admin page adds
        # them, directly (as a data migration would) for the coded ones without a page.
        cls.added = {
            ActivityType: activity_type_create(user=cls.admin, name=added_name(ActivityType)),
            TeamGenre: team_genre_create(user=cls.admin, name=added_name(TeamGenre)),
            FacilityKind: kind_create(
                user=cls.admin, code="a-own", data=KindData(name=added_name(FacilityKind))
            ),
            HouseholdKind: HouseholdKind.objects.create(
                code="a-own", name=added_name(HouseholdKind), owner_id=Tree.COUNTY
            ),
            DesignationKind: DesignationKind.objects.create(
                code="a-own", name=added_name(DesignationKind), owner_id=Tree.COUNTY
            ),
        }

    def national(self, model: type[OwnedCatalogue]) -> OwnedCatalogue:
        return model._default_manager.filter(owner=None, active=True).first()  # type: ignore[return-value]

    def seen(self, user: User, vocab: Vocab) -> dict[str, str]:
        """Each place that offers the vocabulary's kinds, as the user gets it, by its name."""
        self.client.force_login(user)
        paths = {"form": vocab.form, "list": vocab.listing, "indicators": "/indicators/"}
        if vocab.page and user.role == Role.ADMIN:
            paths["page"] = vocab.page
        out: dict[str, str] = {}
        for where, path in paths.items():
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, (user, path))
            out[where] = response.content.decode()
        for where, path in (("api", vocab.api), ("indicator api", "/api/v1/indicators/")):
            response = self.api("GET", path, user)
            self.assertEqual(response.status_code, 200, (user, path))
            out[where] = json.dumps(response.json(), ensure_ascii=False)
        if not vocab.indicators:
            out.pop("indicators")
            out.pop("indicator api")
        return out

    def test_every_owned_vocabulary_is_walked(self) -> None:
        owned = {m for m in apps.get_models() if issubclass(m, OwnedCatalogue)}
        self.assertEqual(owned, {v.model for v in VOCABS})
        self.assertEqual(set(self.added), owned)

    def test_the_adding_admin_s_unit_owns_the_kind(self) -> None:
        for model, kind in self.added.items():
            self.assertEqual(kind.owner_id, Tree.COUNTY, model)

    def test_a_county_s_kind_is_seen_in_its_subtree_and_nowhere_else(self) -> None:
        for vocab in VOCABS:
            name = added_name(vocab.model)
            national = self.national(vocab.model).name
            # County A itself and a township of county A see it, with the national ones.
            for user in (self.admin, self.staff_a):
                for where, text in self.seen(user, vocab).items():
                    with self.subTest(vocab=vocab.model.__name__, user=user.username, at=where):
                        self.assertIn(name, text)
                        self.assertIn(national, text)
            # County B's admin and staff see the national ones only.
            for user in (self.admin_b, self.outsider):
                for where, text in self.seen(user, vocab).items():
                    with self.subTest(vocab=vocab.model.__name__, user=user.username, at=where):
                        self.assertNotIn(name, text)
                        self.assertIn(national, text)

    def test_county_b_s_admin_cannot_reach_county_a_s_kind_on_the_catalogue_pages(self) -> None:
        self.client.force_login(self.admin_b)
        activity_type = self.added[ActivityType]
        genre = self.added[TeamGenre]
        kind = self.added[FacilityKind]
        for path in (
            f"/activities/types/{activity_type.pk}/active/",
            f"/teams/team-genres/{genre.pk}/active/",
            f"/facilities/kinds/{kind.pk}/",
        ):
            self.assertEqual(self.client.post(path).status_code, 404, path)
        for row in (activity_type, genre, kind):
            row.refresh_from_db()
            self.assertTrue(row.active)

    def test_a_county_s_admin_adds_for_the_county_and_cannot_change_national_kinds(self) -> None:
        self.client.force_login(self.admin)
        national = self.national(FacilityKind)
        self.assertEqual(self.client.get(f"/facilities/kinds/{national.pk}/").status_code, 403)
        genre = self.national(TeamGenre)
        self.assertEqual(
            self.client.post(f"/teams/team-genres/{genre.pk}/active/").status_code, 403
        )
        genre.refresh_from_db()
        self.assertTrue(genre.active)
        # Its own it retires.
        own = self.added[TeamGenre]
        self.assertEqual(self.client.post(f"/teams/team-genres/{own.pk}/active/").status_code, 302)
        own.refresh_from_db()
        self.assertFalse(own.active)

    def test_a_national_admin_adds_national_kinds(self) -> None:
        root = User.objects.create_superuser(username="root", password=self.password)
        kind = activity_type_create(user=root, name="全国新类型")
        self.assertIsNone(kind.owner_id)
        self.client.force_login(self.outsider)
        self.assertIn("全国新类型", self.client.get("/activities/new/").content.decode())

    def test_names_and_codes_stay_unique_country_wide(self) -> None:
        with self.assertRaises(ValidationError):
            activity_type_create(user=self.admin_b, name=added_name(ActivityType))
        with self.assertRaises(ValidationError):
            kind_create(user=self.admin_b, code="a-own", data=KindData(name="乙县阵地"))

    def test_county_b_cannot_record_with_county_a_s_kind(self) -> None:
        """Form, API and service: a Chinese error, never a 500, nothing saved."""
        user = self.outsider
        self.client.force_login(user)
        activity_type = self.added[ActivityType]
        activity = {"unit": Tree.OTHER_TOWNSHIP, "title": "乙县活动", "start_date": "2026-06-01"}
        # The entry form: the select does not hold it.
        response = self.client.post("/activities/new/", {**activity, "type": activity_type.pk})
        self.assertEqual(response.status_code, 200)
        self.assertIn("type", response.context["form"].errors)
        # The API: 400 on the field, in Chinese.
        response = self.api(
            "POST", "/api/v1/activities/", user, {**activity, "type": activity_type.pk}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("类型", json.dumps(response.json(), ensure_ascii=False))
        facility = {"unit": Tree.OTHER_TOWNSHIP, "kind": "a-own", "name": "乙县阵地"}
        response = self.api("POST", "/api/v1/facilities/", user, facility)
        self.assertEqual(response.status_code, 400)
        self.assertIn("阵地类型", json.dumps(response.json(), ensure_ascii=False))
        genre = self.added[TeamGenre]
        team = {"unit": Tree.OTHER_TOWNSHIP, "name": "乙县队伍", "genre": genre.pk}
        response = self.api("POST", "/api/v1/teams/", user, team)
        self.assertEqual(response.status_code, 400)
        # The service itself, whoever calls it: the kind's owner must be the unit's own line.
        root = User.objects.create_superuser(username="root", password=self.password)
        data = HouseholdData(
            unit=self.units[Tree.OTHER_TOWNSHIP], kind=self.added[HouseholdKind], head="王五"
        )
        with self.assertRaises(ValidationError) as caught:
            household_create(user=root, data=data)
        self.assertIn("其他单位添加的类型", str(caught.exception.message_dict["kind"]))
        self.assertFalse(Activity.objects.filter(unit__code__startswith=Tree.OTHER_COUNTY).exists())
        self.assertFalse(Facility.objects.filter(unit__code__startswith=Tree.OTHER_COUNTY).exists())
        self.assertFalse(Team.objects.filter(unit__code__startswith=Tree.OTHER_COUNTY).exists())
        self.assertFalse(
            Household.objects.filter(unit__code__startswith=Tree.OTHER_COUNTY).exists()
        )

    def test_a_township_of_county_a_records_with_county_a_s_kind(self) -> None:
        activity_type = self.added[ActivityType]
        body = {
            "unit": Tree.TOWNSHIP_A, "title": "甲县活动", "start_date": "2026-06-01",
            "type": activity_type.pk,
        }  # fmt: skip
        response = self.api("POST", "/api/v1/activities/", self.staff_a, body)
        self.assertEqual(response.status_code, 201, response.content)


@frozen(date(2026, 6, 15))
class VocabularyImportTests(RegisterExcelCase):
    """An import names a kind by its name or code: another county's is unknown there."""

    app = "households"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        HouseholdKind.objects.create(code="a-own", name="甲县户", owner_id=Tree.COUNTY)

    def test_county_b_s_import_does_not_know_county_a_s_kind(self) -> None:
        row = HOUSEHOLDS.row(unit=Tree.OTHER_TOWNSHIP, kind="甲县户", head="王五")
        preview = self.upload(HOUSEHOLDS.xlsx([row]), user=self.outsider)
        self.assertEqual(preview.status_code, 200)
        self.assertTrue(any("类型" in p for p in preview.context["problems_shown"]))
        self.assertNotIn("token", preview.context)
        self.assertFalse(Household.objects.exists())

    def test_county_a_s_village_imports_with_it(self) -> None:
        row = HOUSEHOLDS.row(kind="甲县户", head="张三")
        self.confirm(self.upload(HOUSEHOLDS.xlsx([row]), user=self.staff_a))
        self.assertEqual(Household.objects.get().kind.code, "a-own")


@frozen(date(2026, 6, 15))
class VocabularyQueryTests(BaseTestCase):
    """The pages that list kinds read them in one query, owners included, however many."""

    def count(self, path: str, api: bool = False) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.api("GET", path, self.admin) if api else self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
        return len(queries)

    def add_kinds(self, n: int, start: int) -> None:
        for i in range(start, start + n):
            for owner in (Tree.COUNTY, Tree.TOWNSHIP_A, None):
                code = f"k{i}-{owner or 'n'}"
                ActivityType.objects.create(name=f"类型{code}", owner_id=owner)
                TeamGenre.objects.create(name=f"类别{code}", owner_id=owner)
                FacilityKind.objects.create(code=code, name=f"阵地{code}", owner_id=owner)
                HouseholdKind.objects.create(code=code, name=f"户{code}", owner_id=owner)
                DesignationKind.objects.create(code=code, name=f"命名{code}", owner_id=owner)

    def test_the_counts_do_not_grow_with_the_kinds(self) -> None:
        self.client.force_login(self.admin)
        pages = [v.page for v in VOCABS if v.page] + [v.listing for v in VOCABS]
        pages += [v.form for v in VOCABS] + ["/indicators/"]
        apis = [v.api for v in VOCABS] + ["/api/v1/indicators/"]
        self.add_kinds(1, 0)
        # A token is made per API call (one insert); warm the session and caches first.
        before = {p: self.count(p) for p in pages} | {a: self.count(a, api=True) for a in apis}
        before = {p: self.count(p) for p in pages} | {a: self.count(a, api=True) for a in apis}
        self.add_kinds(4, 1)
        after = {p: self.count(p) for p in pages} | {a: self.count(a, api=True) for a in apis}
        self.assertEqual(after, before)


@frozen(date(2026, 6, 15))
class KindIndicatorTests(BaseTestCase):
    def test_a_plan_item_counts_only_a_kind_its_plan_s_unit_sees(self) -> None:
        kind = ActivityType.objects.create(name="甲县类型", owner_id=Tree.COUNTY)
        code = f"activities.type.{kind.pk}"
        _, item = plan_with_item(self.admin, Tree.TOWNSHIP_A, code)
        self.assertEqual(item.indicator, code)
        _, other = plan_with_item(self.outsider, Tree.OTHER_TOWNSHIP, "activities.count")
        with self.assertRaises(ValidationError) as caught:
            data = plan_services.ItemData(text="甲县类型的活动", indicator=code)
            plan_services.item_create(user=self.outsider, section=other.section, data=data)
        self.assertIn("没有这个指标", str(caught.exception.message_dict["indicator"]))
        # The item form's picker offers it to county A only.
        self.client.force_login(self.staff_a)
        form = self.client.get(f"/plans/items/{item.pk}/edit/")
        self.assertEqual(form.status_code, 200)
        self.assertIn("甲县类型", form.content.decode())
        self.client.force_login(self.outsider)
        form = self.client.get(f"/plans/sections/{other.section_id}/items/add/")
        self.assertEqual(form.status_code, 200)
        self.assertIn("活动次数", form.content.decode())
        self.assertNotIn("甲县类型", form.content.decode())

    def test_another_county_s_kind_names_no_indicator(self) -> None:
        kind = ActivityType.objects.create(name="甲县类型", owner_id=Tree.COUNTY)
        code = f"activities.type.{kind.pk}"
        self.assertEqual(
            self.api("GET", f"/api/v1/indicators/{code}/values", self.admin).status_code, 200
        )
        self.assertEqual(
            self.api("GET", f"/api/v1/indicators/{code}/values", self.outsider).status_code, 404
        )
        self.client.force_login(self.outsider)
        response = self.client.get("/indicators/records/", {"indicator": code})
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.staff_a)
        response = self.client.get("/indicators/records/", {"indicator": code})
        self.assertEqual(response.status_code, 200)
