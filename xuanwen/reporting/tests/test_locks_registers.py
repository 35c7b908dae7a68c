"""Every dated register is locked by an approved March, not only activities and opening: an
activity's parts, duty completions and their evidence, training classes and their parts, team
performances, honours, and the bookhouses' stock, loans and demands.

One table of registers, one test over it (a subTest per register): after March is approved
a March record's edit, delete, import and restore are refused with the Chinese message, an
April one is allowed, and after an unlock the March one is allowed again."""

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.activities import services as activities
from xuanwen.activities.models import Award, MediaCoverage
from xuanwen.activities.tests.helpers import make_activity
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.bookhouses import services as bookhouses
from xuanwen.bookhouses.tests.helpers import make_bookhouse
from xuanwen.core.files import check_upload
from xuanwen.duties import services as duties
from xuanwen.duties.tests.helpers import complete, make_duty, photo
from xuanwen.indicators.periods import month_period
from xuanwen.reporting import services
from xuanwen.teams import services as teams
from xuanwen.teams.imports import TrainingRow, honours_import, training_import
from xuanwen.teams.models import Trainee
from xuanwen.teams.tests.helpers import make_person, make_team
from xuanwen.testing import BaseTestCase, Tree, frozen, temporary_media
from xuanwen.units.models import Unit

from .helpers import monthly_set, submit
from .test_locks import LOCKED

MARCH = month_period(2026, 3)
MAR = date(2026, 3, 15)
APR = date(2026, 4, 2)

_n = itertools.count(1)

# (test, record) → None: a change, a delete; (test, day, n) → n rows of an import; (test, rows).
Do = Callable[[Any, Any], Any]


@dataclasses.dataclass(frozen=True)
class Register:
    name: str
    make: Callable[[Any, date], Any]  # a record dated `day`, through the services
    edit: Do | None
    delete: Do | None
    rows: Callable[[Any, date, int], Sequence[Any]] | None = None
    batch: Do | None = None  # import `rows`


def _activity(t: Any, day: date) -> Any:
    return make_activity(Tree.TOWNSHIP_A, title=f"演出{next(_n)}", start_date=day)


def _duty(t: Any) -> Any:
    return make_duty(
        t.staff_a, Tree.TOWNSHIP_A, name=f"学习会{next(_n)}", needs_photo=False, needs_note=True
    )


def _training_data(t: Any, day: date, **changes: Any) -> teams.TrainingData:
    values: dict[str, Any] = {"unit": t.township, "title": f"培训班{next(_n)}"}
    values.update(start_date=day, end_date=day, **changes)
    return teams.TrainingData(**values)


def _training(t: Any, day: date) -> Any:
    return teams.training_create(user=t.staff_a, data=_training_data(t, day))


def _honour(t: Any, day: date, **changes: Any) -> teams.HonourData:
    values: dict[str, Any] = {"holder_kind": "unit", "unit": t.township, "level": "county"}
    values.update(name=f"先进集体{next(_n)}", year=day.year, month=day.month, day=day.day)
    values.update(changes)
    return teams.HonourData(**values)


def _stock(t: Any, day: date, count: int = 10) -> bookhouses.StockData:
    return bookhouses.StockData(
        facility=t.stock_house, date=day, kind="books", count=count, source="distributed"
    )


def _loan(t: Any, day: date, title: str = "果树栽培技术") -> bookhouses.LoanData:
    return bookhouses.LoanData(facility=t.bookhouse, lent_on=day, reader_name="王大妈", title=title)


def _demand(t: Any, day: date, wanted: str = "养蜂") -> bookhouses.DemandData:
    return bookhouses.DemandData(
        facility=t.bookhouse, date=day, reader_name="李大爷", wanted=wanted
    )


def _trainee(t: Any, day: date) -> Trainee:
    tc = _training(t, day)
    teams.trainees_add(user=t.staff_a, training=tc, people=[make_person(Tree.TOWNSHIP_A)])
    return Trainee.objects.get(training_class=tc)


def _session(t: Any, day: date) -> Any:
    data = teams.SessionData(date=day, hours=Decimal(2), topic="识谱")
    return teams.session_add(user=t.staff_a, training=_training(t, day), data=data)


def _roll_call(t: Any, day: date) -> Any:
    session = _session(t, day)
    teams.trainees_add(
        user=t.staff_a, training=session.training_class, people=[make_person(Tree.TOWNSHIP_A)]
    )
    return session


def _ledger(
    name: str,
    noun: str,
    arg: str,
    data: Callable[..., Any],
    day: str,
    change: dict[str, Any],
    batch: Callable[..., Any],
) -> Register:
    """A bookhouse register: its services `<noun>_create/_update/_delete` (the row as `arg`),
    its rows made by `data(t, day, **change)` and imported by `batch`."""
    create, update, delete = (
        getattr(bookhouses, f"{noun}_{op}") for op in ("create", "update", "delete")
    )
    return Register(
        name,
        make=lambda t, on: create(user=t.staff_a, data=data(t, on)),
        edit=lambda t, r: update(
            user=t.staff_a, data=data(t, getattr(r, day), **change), **{arg: r}
        ),
        delete=lambda t, r: delete(user=t.staff_a, **{arg: r}),
        rows=lambda t, on, n: [data(t, on) for _i in range(n)],
        batch=lambda t, rows: batch(user=t.staff_a, rows=rows),
    )


REGISTERS = [
    Register(
        "活动照片附件",
        make=lambda t, day: activities.attachment_add(
            user=t.staff_a, activity=_activity(t, day), upload=check_upload(photo())
        ),
        edit=None,
        delete=lambda t, r: activities.attachment_delete(user=t.staff_a, attachment=r),
    ),
    Register(
        "媒体报道",
        make=lambda t, day: activities.coverage_add(
            user=t.staff_a, activity=_activity(t, day), outlet="县融媒体", level="county", date=day
        ),
        edit=lambda t, r: activities.coverage_update(
            user=t.staff_a, coverage=r, outlet=r.outlet, level=r.level, date=r.date, views=99
        ),
        delete=lambda t, r: activities.coverage_delete(user=t.staff_a, coverage=r),
    ),
    Register(
        "获奖",
        make=lambda t, day: activities.award_add(
            user=t.staff_a,
            activity=_activity(t, day),
            name="合唱比赛",
            level="county",
            winner_kind="team",
            winner="夕阳红合唱团",
        ),
        edit=lambda t, r: activities.award_update(
            user=t.staff_a,
            award=r,
            name=r.name,
            level=r.level,
            winner_kind=r.winner_kind,
            winner=r.winner,
            rank="一等奖",
        ),
        delete=lambda t, r: activities.award_delete(user=t.staff_a, award=r),
    ),
    Register(
        "队伍演出",
        make=lambda t, day: teams.team_performance_add(
            user=t.staff_a, team=make_team(Tree.TOWNSHIP_A), activity=_activity(t, day)
        ),
        # Another team's performance in the same activity, linked with the many-at-once form.
        edit=lambda t, r: teams.team_performances_add(
            user=t.staff_a, team=make_team(Tree.TOWNSHIP_A), activities=[r.activity_id]
        ),
        delete=lambda t, r: teams.team_performance_remove(user=t.staff_a, performance=r),
    ),
    Register(
        "常规工作完成",
        make=lambda t, day: complete(t.staff_a, _duty(t), day),
        edit=lambda t, r: duties.completion_update(
            user=t.staff_a, completion=r, done_on=r.done_on, note="补记"
        ),
        delete=lambda t, r: duties.completion_delete(user=t.staff_a, completion=r),
        rows=lambda t, day, n: [
            duties.CompletionData(duty=_duty(t), done_on=day, note="学习") for _i in range(n)
        ],
        batch=lambda t, rows: duties.completions_import(user=t.staff_a, rows=rows),
    ),
    Register(
        "完成佐证材料",
        make=lambda t, day: duties.evidence_add(
            user=t.staff_a,
            completion=complete(t.staff_a, _duty(t), day),
            upload=check_upload(photo()),
        ),
        edit=None,
        delete=lambda t, r: duties.evidence_delete(user=t.staff_a, evidence=r),
    ),
    Register(
        "检查的经营单位",
        make=lambda t, day: duties.business_add(
            user=t.staff_a,
            completion=complete(t.staff_a, _duty(t), day),
            data=duties.BusinessData(name="星空网吧", kind="internet_cafe"),
        ),
        edit=lambda t, r: duties.business_update(
            user=t.staff_a,
            business=r,
            data=duties.BusinessData(name=r.name, kind=r.kind, findings="证照齐全"),
        ),
        delete=lambda t, r: duties.business_delete(user=t.staff_a, business=r),
    ),
    Register(
        "培训班",
        make=_training,
        edit=lambda t, r: teams.training_update(
            user=t.staff_a,
            training=r,
            data=_training_data(t, r.start_date, title=r.title, place="文化站"),
        ),
        delete=lambda t, r: teams.training_delete(user=t.staff_a, training=r),
        rows=lambda t, day, n: [TrainingRow(data=_training_data(t, day)) for _i in range(n)],
        batch=lambda t, rows: training_import(user=t.staff_a, rows=rows),
    ),
    Register(
        "培训课次",
        make=_session,
        edit=lambda t, r: teams.session_update(
            user=t.staff_a,
            session=r,
            data=teams.SessionData(date=r.date, hours=Decimal(3), topic=r.topic),
        ),
        delete=lambda t, r: teams.session_delete(user=t.staff_a, session=r),
    ),
    Register(
        "培训学员",
        make=_trainee,
        edit=None,
        delete=lambda t, r: teams.trainee_remove(user=t.staff_a, trainee=r),
    ),
    Register(
        "课次考勤",
        make=_roll_call,
        edit=lambda t, r: teams.attendance_set(
            user=t.staff_a,
            session=r,
            present=list(r.training_class.trainees.values_list("pk", flat=True)),
        ),
        delete=None,
    ),
    Register(
        "荣誉",
        make=lambda t, day: teams.honour_create(user=t.staff_a, data=_honour(t, day)),
        edit=lambda t, r: teams.honour_update(
            user=t.staff_a,
            honour=r,
            data=_honour(t, r.awarded_on, name=r.name, awarded_by="县文化馆"),
        ),
        delete=lambda t, r: teams.honour_delete(user=t.staff_a, honour=r),
        rows=lambda t, day, n: [_honour(t, day) for _i in range(n)],
        batch=lambda t, rows: honours_import(user=t.staff_a, rows=rows),
    ),
    _ledger("藏书登记", "stock", "entry", _stock, "date", {"count": 12}, bookhouses.stock_import),
    _ledger(
        "借阅登记", "loan", "loan", _loan, "lent_on", {"title": "养猪技术"}, bookhouses.loans_import
    ),
    _ledger(
        "需求登记",
        "demand",
        "demand",
        _demand,
        "date",
        {"wanted": "养鸡"},
        bookhouses.demands_import,
    ),
]


def fresh(record: Any) -> Any:
    return type(record)._base_manager.get(pk=record.pk)


def deletion_of(record: Any) -> AuditEntry:
    return AuditEntry.objects.filter(
        action=Action.DELETE, model=record._meta.label_lower, object_pk=str(record.pk)
    ).latest("pk")


@frozen(date(2026, 4, 12))
class RegisterLockTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report_set = monthly_set(cls.supervisor)
        cls.township = Unit.objects.get(code=Tree.TOWNSHIP_A)
        cls.bookhouse = make_bookhouse(Tree.VILLAGE_A)
        # The stock apart from the loans, which its holdings rule would count.
        cls.stock_house = make_bookhouse(Tree.VILLAGE_A, name="书屋二")

    def setUp(self) -> None:
        temporary_media(self)

    def approve_march(self) -> Any:
        submission = submit(self.staff_a, self.report_set, Tree.TOWNSHIP_A, MARCH)
        return services.submission_approve(user=self.supervisor, submission=submission)

    def assert_locked(self, do: Callable[[], Any]) -> None:
        with self.assertRaisesMessage(ValidationError, LOCKED):
            do()

    def test_every_dated_register_is_locked_by_an_approved_march(self) -> None:
        # Each register's March record, April record, and a March record deleted before the
        # approval (its deletion, to restore).
        made: dict[str, tuple[Any, Any, AuditEntry | None]] = {}
        for reg in REGISTERS:
            deleted = None
            if reg.delete is not None:
                gone = reg.make(self, MAR)
                reg.delete(self, gone)
                deleted = deletion_of(gone)
            made[reg.name] = (reg.make(self, MAR), reg.make(self, APR), deleted)
        submission = self.approve_march()

        for reg in REGISTERS:
            march, april, deleted = made[reg.name]
            with self.subTest(reg.name, step="locked"):
                if reg.edit is not None:
                    self.assert_locked(partial(reg.edit, self, march))
                    reg.edit(self, april)
                if reg.delete is not None and deleted is not None:
                    # As read again by the next request (the refused edit changed `march`).
                    march = fresh(march)
                    self.assert_locked(partial(reg.delete, self, march))
                    self.assert_locked(partial(audit_restore, user=self.admin, entry=deleted))
                if reg.rows is not None and reg.batch is not None:
                    rows = reg.rows(self, MAR, 2)
                    with self.assertRaisesMessage(ValidationError, f"第 1 行：{LOCKED}"):
                        reg.batch(self, rows)
                    reg.batch(self, reg.rows(self, APR, 2))

        services.submission_unlock(user=self.supervisor, submission=submission, reason="补录")
        for reg in REGISTERS:
            march, _april, deleted = made[reg.name]
            with self.subTest(reg.name, step="unlocked"):
                if reg.edit is not None:
                    reg.edit(self, fresh(march))
                if reg.delete is not None and deleted is not None:
                    audit_restore(user=self.admin, entry=deleted)
                    reg.delete(self, fresh(march))
                if reg.rows is not None and reg.batch is not None:
                    reg.batch(self, reg.rows(self, MAR, 2))

    def test_a_march_loan_can_still_be_returned_in_april(self) -> None:
        loan = bookhouses.loan_create(user=self.staff_a, data=_loan(self, MAR))
        self.approve_march()
        bookhouses.loan_return(user=self.staff_a, loan=loan)
        loan.refresh_from_db()
        self.assertEqual(loan.returned_on, date(2026, 4, 12))
        # Anything more than the return is still March's.
        self.assert_locked(
            lambda: bookhouses.loan_update(
                user=self.staff_a, loan=loan, data=_loan(self, MAR, title="养猪技术")
            )
        )

    def test_an_import_asks_for_the_locks_once_whatever_its_rows(self) -> None:
        self.approve_march()
        for reg in REGISTERS:
            if reg.rows is None or reg.batch is None:
                continue
            with self.subTest(reg.name):
                counts = []
                for n in (1, 50):
                    rows = reg.rows(self, APR + timedelta(days=n // 50), n)
                    with CaptureQueriesContext(connection) as queries:
                        reg.batch(self, rows)
                    counts.append(sum('"reporting_' in q["sql"] for q in queries.captured_queries))
                self.assertGreater(counts[0], 0)
                self.assertEqual(counts[0], counts[1])

    def test_the_pages_and_the_api_say_why_for_a_part(self) -> None:
        coverage = REGISTERS[1].make(self, MAR)
        award = REGISTERS[2].make(self, MAR)
        self.approve_march()
        self.client.force_login(self.staff_a)
        page = self.client.post(
            reverse("activities:coverage_delete", args=[coverage.pk]), follow=True
        )
        self.assertContains(page, LOCKED)
        # With htmx the section's delete sends the whole page back, where the message shows.
        answer = self.client.post(
            reverse("activities:coverage_delete", args=[coverage.pk]), HTTP_HX_REQUEST="true"
        )
        self.assertTrue(answer["HX-Redirect"].endswith("#coverage"))
        url = f"/api/v1/activities/awards/{award.pk}/"
        answer = self.api("PATCH", url, self.staff_a, {"rank": "一等奖"})
        self.assertIn(answer.status_code, (400, 409, 422))
        self.assertIn(LOCKED, str(answer.json()))
        answer = self.api("DELETE", url, self.staff_a)
        self.assertIn(answer.status_code, (400, 409, 422))
        self.assertIn(LOCKED, str(answer.json()))
        self.assertTrue(MediaCoverage.objects.filter(pk=coverage.pk).exists())
        self.assertEqual(Award.objects.get(pk=award.pk).rank, "")
