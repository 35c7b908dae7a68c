from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.opening.models import OpeningLog
from xuanwen.opening.services import FUTURE_DAYS
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit

from .helpers import bookhouse_kind, log, make_facility

NEW = reverse("opening:create")
WEEK = reverse("opening:week")
LIST = reverse("opening:list")
TODAY = date(2026, 11, 27)  # a Friday


class PageTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(frozen(TODAY))
        self.room = make_facility(Tree.VILLAGE_A, bookhouse_kind(), name="文化社区农家书屋")
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        self.other = make_facility(Tree.TOWNSHIP_B, name="大洋街道综合文化站")


class RecordTests(PageTestCase):
    def test_the_keeper_records_today_with_everything_filled_in(self) -> None:
        log(self.room, date(2026, 11, 20), "2.5")
        self.client.force_login(self.keeper)
        page = self.client.get(NEW)
        form = page.context["form"]
        assert form["facility"].value() == self.room.pk  # their own village's facility
        assert form["date"].value() == TODAY
        assert form["hours"].value() == Decimal("2.5")  # the usual hours: the last day's
        self.assertContains(page, 'inputmode="decimal"')
        # Only facilities in the keeper's village are offered.
        assert [pk for pk, _label in form.fields["facility"].widget.choices] == [self.room.pk]
        self.assertNotContains(page, "古城街道综合文化站")
        response = self.client.post(
            NEW,
            {"facility": self.room.pk, "date": "2026-11-27", "hours": "3", "visitors": "12"},
        )
        # Back to the same form for that day, which now lists the day's session.
        again = f"{NEW}?facility={self.room.pk}&date=2026-11-27"
        self.assertRedirects(response, again)
        saved = OpeningLog.objects.get(facility=self.room, date=TODAY)
        assert (saved.hours, saved.visitors, saved.created_by) == (Decimal("3"), 12, self.keeper)
        self.assertAudited(Action.CREATE, saved)
        # The same day saved again is refused (it used to replace the first entry silently):
        # a day recorded as a whole cannot take a second entry.
        response = self.client.post(
            again, {"facility": self.room.pk, "date": "2026-11-27", "hours": "4", "visitors": "20"}
        )
        self.assertContains(response, "这一场（全天登记 3 小时）已经登记过了")
        # A session with times next to it is refused too, saying how to split the day.
        response = self.client.post(
            again,
            {
                "facility": self.room.pk,
                "date": "2026-11-27",
                "start": "14:00",
                "end": "17:00",
                "visitors": "0",
            },
        )
        self.assertContains(response, "请先在那一条填上起止时间")
        assert OpeningLog.objects.filter(facility=self.room, date=TODAY).count() == 1
        assert OpeningLog.objects.get(facility=self.room, date=TODAY).hours == Decimal("3")

    def test_morning_and_afternoon_sessions_are_both_kept_and_add_up(self) -> None:
        """What the replacement test meant, now with sessions: two entries of one day are
        two sessions, and the day's hours are their sum."""
        self.client.force_login(self.keeper)
        morning = {
            "facility": self.room.pk,
            "date": "2026-11-27",
            "start": "08:30",
            "end": "11:30",
            "visitors": "12",
        }
        response = self.client.post(NEW, morning, follow=True)
        self.assertContains(response, "已登记：文化社区农家书屋 2026-11-27 周五 08:30–11:30")
        # The form the keeper comes back to lists the morning and offers the afternoon.
        self.assertContains(response, "共 1 场 3 小时")
        assert response.context["form"]["start"].value() is None
        afternoon = {**morning, "start": "14:00", "end": "17:30", "visitors": "20"}
        response = self.client.post(response.redirect_chain[-1][0], afternoon, follow=True)
        self.assertContains(response, "共 2 场 6.5 小时")
        self.assertContains(response, "08:30–11:30")
        self.assertContains(response, "14:00–17:30")
        sessions = OpeningLog.objects.filter(facility=self.room, date=TODAY).order_by("start")
        assert [(s.start, s.end, s.hours, s.visitors) for s in sessions] == [
            (time(8, 30), time(11, 30), Decimal("3.0"), 12),
            (time(14, 0), time(17, 30), Decimal("3.5"), 20),
        ]
        # An overlapping session is refused, naming the one it overlaps; a repeat too.
        response = self.client.post(NEW, {**morning, "start": "11:00", "end": "12:00"})
        self.assertContains(
            response, "与当天已登记的一场（08:30–11:30）时间重叠；同一阵地同一天的各场不能重叠。"
        )
        assert "start" in response.context["form"].errors
        response = self.client.post(NEW, afternoon)
        self.assertContains(response, "这一场（14:00–17:30）已经登记过了，请直接修改那一条。")
        # A whole-day entry next to sessions overlaps them; broken times are said too.
        response = self.client.post(NEW, {**morning, "start": "", "end": "", "hours": "2"})
        self.assertContains(response, "当天已按场登记（如 08:30–11:30），不能再登记不记时间的全天")
        response = self.client.post(NEW, {**morning, "start": "18:00", "end": "17:00"})
        self.assertContains(response, "结束时间应晚于开始时间")
        response = self.client.post(NEW, {**morning, "start": "18:00", "end": ""})
        self.assertContains(response, "请同时填写开始和结束时间")
        response = self.client.post(
            NEW, {**morning, "start": "18:00", "end": "19:00", "hours": "2"}
        )
        self.assertContains(response, "按起止时间应为 1 小时")
        assert OpeningLog.objects.filter(facility=self.room, date=TODAY).count() == 2
        # The next day's form offers the last session's times.
        form = self.client.get(NEW, {"date": "2026-11-28"}).context["form"]
        assert (form["start"].value(), form["end"].value()) == (time(14, 0), time(17, 30))
        # Moving the afternoon into the morning is refused on edit too.
        edit = reverse("opening:edit", args=[sessions[1].pk])
        assert self.client.get(edit).context["form"]["hours"].value() is None
        response = self.client.post(edit, {**afternoon, "start": "10:00"})
        self.assertContains(response, "与当天已登记的一场（08:30–11:30）时间重叠")
        response = self.client.post(edit, {**afternoon, "end": "18:00"})
        assert response.status_code == 302
        sessions[1].refresh_from_db()
        assert sessions[1].hours == Decimal("4.0")

    def test_the_facility_last_recorded_for_is_chosen_next_time(self) -> None:
        hall = make_facility(Tree.VILLAGE_A, name="文化社区文化礼堂")
        self.client.force_login(self.keeper)
        first = self.client.get(NEW).context["form"]["facility"].value()
        assert first == self.room.pk or first == hall.pk  # both the keeper's village's
        kept = hall if first == self.room.pk else self.room
        answer = self.client.post(
            NEW, {"facility": kept.pk, "date": "2026-11-26", "hours": "2", "visitors": "0"}
        )
        assert answer.status_code == 302
        assert self.client.get(NEW).context["form"]["facility"].value() == kept.pk
        # Somebody else's entries do not move the keeper's choice.
        self.client.force_login(self.staff_a)
        answer = self.client.post(
            NEW, {"facility": first, "date": "2026-11-25", "hours": "2", "visitors": "0"}
        )
        assert answer.status_code == 302
        self.client.force_login(self.keeper)
        assert self.client.get(NEW).context["form"]["facility"].value() == kept.pk

    def test_bad_input_gets_chinese_errors_and_nothing_is_lost(self) -> None:
        self.client.force_login(self.keeper)
        response = self.client.post(
            NEW,
            {
                "facility": self.room.pk,
                # The first day too far ahead: after tomorrow, counted from the frozen today.
                "date": f"{TODAY + timedelta(days=FUTURE_DAYS + 1):%Y-%m-%d}",
                "hours": "0",
                "visitors": "5",
                "note": "周末活动",
            },
        )
        assert response.status_code == 200
        self.assertContains(response, "开放时长应大于 0 小时")
        self.assertContains(response, "还没到这一天")
        self.assertContains(response, "周末活动")  # what was typed is still there
        assert not OpeningLog.objects.exists()

    def test_no_one_records_outside_their_subtree_or_without_the_right(self) -> None:
        self.client.force_login(self.keeper)
        response = self.client.post(
            NEW, {"facility": self.station.pk, "date": "2026-11-27", "hours": "3", "visitors": "0"}
        )
        self.assertContains(response, "请选择您可以登记的阵地。")
        assert self.client.get(NEW, {"facility": self.other.pk}).status_code == 404
        self.client.force_login(self.viewer)
        assert self.client.get(NEW).status_code == 403
        assert (
            self.client.post(
                NEW, {"facility": self.room.pk, "date": "2026-11-27", "hours": "3"}
            ).status_code
            == 403
        )
        assert not OpeningLog.objects.exists()

    def test_a_whole_week_at_once(self) -> None:
        log(self.station, date(2026, 11, 17), "2")
        self.client.force_login(self.staff_a)
        url = f"{WEEK}?facility={self.station.pk}&week=2026-11-16"
        page = self.client.get(url)
        self.assertContains(page, "11-16 周一")
        self.assertContains(page, 'value="2.0"')  # Tuesday's existing record
        response = self.client.post(
            url,
            {
                "d0_hours": "3.5",
                "d0_visitors": "8",
                "d1_hours": "3",
                "d2_hours": "",
                "d4_hours": "3.5",
            },
        )
        assert response.status_code == 302
        days = dict(OpeningLog.objects.filter(facility=self.station).values_list("date", "hours"))
        assert days == {
            date(2026, 11, 16): Decimal("3.5"),
            date(2026, 11, 17): Decimal("3"),
            date(2026, 11, 20): Decimal("3.5"),
        }
        response = self.client.post(url, {"d0_hours": "30"})
        self.assertContains(response, "开放时长不能超过 24 小时。")

    def test_the_week_says_what_it_saved_and_puts_a_refused_day_on_its_own_inputs(self) -> None:
        log(self.station, date(2026, 11, 23), "2")
        self.client.force_login(self.staff_a)
        url = f"{WEEK}?facility={self.station.pk}&week=2026-11-25"  # any day names its week
        response = self.client.post(url, {"d0_hours": "3", "d2_hours": "2.5"}, follow=True)
        # Back to the same week, saying what was new and what was changed.
        self.assertRedirects(response, f"{WEEK}?facility={self.station.pk}&week=2026-11-23")
        self.assertContains(response, "已保存：新登记 1 天，更新 1 天。")
        # Sunday the 29th is after tomorrow: refused on Sunday's hours, the whole week unsaved.
        response = self.client.post(url, {"d1_hours": "4", "d4_hours": "30", "d6_hours": "3"})
        form = response.context["form"]
        assert form.errors["d4_hours"] == ["开放时长不能超过 24 小时。"]
        assert form.errors["d6_hours"] == ["不能登记 2026-11-29：还没到这一天。"]
        assert set(form.errors) == {"d4_hours", "d6_hours"}
        assert form["d1_hours"].value() == "4"  # what was typed is still there
        assert not OpeningLog.objects.filter(date=date(2026, 11, 24)).exists()
        # Nothing filled in: said above the grid, nothing saved.
        response = self.client.post(url, {"d0_hours": "", "d0_visitors": "5"})
        assert response.context["form"].non_field_errors() == ["请至少填写一天的开放时长。"]
        assert OpeningLog.objects.filter(facility=self.station).count() == 2

    def test_edit_delete_and_restore(self) -> None:
        day = log(self.station, date(2026, 11, 16), "3")
        self.client.force_login(self.staff_a)
        edit = reverse("opening:edit", args=[day.pk])
        assert self.client.get(edit).status_code == 200
        self.client.post(
            edit,
            {"facility": self.station.pk, "date": "2026-11-16", "hours": "2.5", "visitors": "3"},
        )
        day.refresh_from_db()
        assert day.hours == Decimal("2.5")
        self.client.post(reverse("opening:delete", args=[day.pk]))
        assert not OpeningLog.objects.filter(pk=day.pk).exists()
        entry = AuditEntry.objects.get(object_pk=str(day.pk), action=Action.DELETE)
        audit_restore(user=self.admin, entry=entry)
        assert OpeningLog.objects.filter(pk=day.pk).exists()
        # A deleted session recorded again is a new row; restoring the deleted one then would
        # make two entries of the day, and is refused with the reason instead of colliding.
        self.client.post(reverse("opening:delete", args=[day.pk]))
        self.client.post(
            NEW, {"facility": self.station.pk, "date": "2026-11-16", "hours": "4", "visitors": "0"}
        )
        again = OpeningLog.objects.get(facility=self.station, date=date(2026, 11, 16))
        assert again.pk != day.pk and again.hours == Decimal("4")
        entry = AuditEntry.objects.filter(object_pk=str(day.pk), action=Action.DELETE).latest("pk")
        with self.assertRaisesMessage(ValidationError, "无法恢复"):
            audit_restore(user=self.admin, entry=entry)
        assert not OpeningLog.objects.filter(pk=day.pk).exists()

    def test_another_units_log_is_a_404(self) -> None:
        theirs = log(self.other, date(2026, 11, 16))
        self.client.force_login(self.staff_a)
        assert self.client.get(reverse("opening:edit", args=[theirs.pk])).status_code == 404
        assert self.client.post(reverse("opening:delete", args=[theirs.pk])).status_code == 404
        assert (
            self.client.get(
                reverse("opening:facility_compliance", args=[self.other.pk])
            ).status_code
            == 404
        )
        assert (
            self.client.get(reverse("opening:compliance"), {"unit": Tree.TOWNSHIP_B}).status_code
            == 404
        )
        page = self.client.get(LIST)
        self.assertNotContains(page, "大洋街道综合文化站")
        assert OpeningLog.objects.filter(pk=theirs.pk).exists()


class QueryCountTests(PageTestCase):
    def grow(self, n: int) -> None:
        """n more facilities with a log a day for eight weeks, spread over the county."""
        villages = list(Unit.objects.filter(code__startswith="33108200", code__regex=r"^\d{12}$"))
        start = date(2026, 9, 7)
        for i in range(n):
            facility = make_facility(villages[i % len(villages)].code, name=f"阵地{i}")
            OpeningLog.objects.bulk_create(
                OpeningLog(facility=facility, date=start + timedelta(days=d), hours=Decimal("3"))
                for d in range(56)
            )

    def counts(self) -> list[int]:
        self.client.force_login(self.supervisor)
        urls = [
            (reverse("opening:compliance"), {"unit": Tree.COUNTY, "period": "2026"}),
            (reverse("opening:compliance"), {"unit": Tree.TOWNSHIP_A, "period": "2026-Q3"}),
            (LIST, {}),
            (reverse("opening:facility_compliance", args=[self.station.pk]), {"period": "2026"}),
            (
                "/indicators/",
                {
                    "unit": Tree.COUNTY,
                    "by": "child",
                    "indicator": ["opening.compliance_rate", "opening.days", "opening.visitors"],
                },
            ),
        ]
        out = []
        for url, query in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(url, query).status_code == 200
            out.append(len(ctx))
        return out

    def test_pages_cost_the_same_for_3_facilities_or_30(self) -> None:
        for facility in (self.room, self.station, self.other):
            log(facility, date(2026, 9, 7))
        small = self.counts()
        self.grow(27)
        assert self.counts() == small
        # The indicator page's picker reads each catalogue of kinds once (activity types,
        # facility, household and designation kinds: registry.listed_once): fixed, whatever
        # the rows. Three of them are the top bar's notices (notices.context_processors: the
        # unread stored ones, the supervisor's own duties and their completions).
        assert max(small) <= 14, small


class ListAndExportTests(PageTestCase):
    def test_the_list_filters_by_unit_and_dates(self) -> None:
        log(self.station, date(2026, 11, 16))
        log(self.room, date(2026, 11, 17))
        log(self.other, date(2026, 11, 18))
        self.client.force_login(self.staff_a)
        page = self.client.get(LIST)
        assert {x.facility_id for x in page.context["page"]} == {self.station.pk, self.room.pk}
        page = self.client.get(LIST, {"unit": Tree.VILLAGE_A})
        assert [x.facility_id for x in page.context["page"]] == [self.room.pk]
        page = self.client.get(LIST, {"start": "2026-11-17"})
        assert [x.facility_id for x in page.context["page"]] == [self.room.pk]
        page = self.client.get(LIST, {"unit": Tree.OTHER_TOWNSHIP})  # outside: "all of mine"
        assert len(page.context["page"]) == 2
        assert Tree.VILLAGE_A2  # the tree has a second village with nothing
