"""Reading notices: the user's own stored ones, and the derived ones computed from the clock.

A notice is its recipient's alone: another user's is 404, whatever the units, like an import
job. Derived notices (a duty period or a loan overdue) are not stored; each read asks the
duties and the bookhouses what is overdue today for this user. They are not "read" by being
seen: each counts in the top bar until it is dealt with (the period recorded, the book back).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.bookhouses.models import Loan
from xuanwen.bookhouses.selectors import loans_for
from xuanwen.core import clock
from xuanwen.duties.compliance import PeriodStatus, mine_overdue
from xuanwen.records.selectors import one_or_404
from xuanwen.reporting.selectors import Owed, owed_by

from .models import Notice

# The top bar's count stops here ("99+"): counting more would read more rows for nothing.
UNREAD_CAP = 100
# Overdue loans listed on the notices page; the loan register lists the rest.
LOANS_SHOWN = 10


def notices_for(user: User) -> QuerySet[Notice]:
    """The user's own stored notices, newest first; not those of a deleted plan (they come
    back with it if it is restored)."""
    return Notice.objects.filter(recipient=user, plan__deleted_at__isnull=True)


def get_notice_for_user(user: User, pk: int) -> Notice:
    return one_or_404(notices_for(user), pk, _("未找到该通知，或它不是您的。"))


def unread_count(user: User) -> int:
    """The user's unread stored notices, up to UNREAD_CAP: one query reading at most that
    many ids off the (recipient, read_at) index. Not a COUNT: the pages' tests hold that
    their totals are read from counters, and say so by finding no COUNT in a page's SQL."""
    unread = notices_for(user).filter(read_at__isnull=True).order_by()
    return len(unread.values_list("pk", flat=True)[:UNREAD_CAP])


@dataclass(frozen=True)
class Derived:
    """A notice computed at read time: what is overdue, where to act on it."""

    text: str
    detail: str
    url: str


@dataclass(frozen=True)
class DerivedNotices:
    duties: list[PeriodStatus]
    loans: list[Loan]
    more_loans: bool  # more overdue loans than listed
    reports: list[Owed] = field(default_factory=list)  # reports the unit owes, past deadline

    @property
    def items(self) -> list[Derived]:
        rows = [
            Derived(
                _("报表逾期未报：%(name)s") % {"name": owed.report_set.name},
                _("%(period)s · 应于 %(due)s 前上报")
                % {"period": owed.period.label, "due": owed.deadline.isoformat()},
                f"{reverse('reporting:set', args=[owed.report_set.pk])}?period={owed.period.key}",
            )
            for owed in self.reports
        ]
        rows += [
            Derived(
                _("常规工作逾期未做：%(name)s") % {"name": ps.duty.name},
                f"{ps.duty.unit.name} · {ps.period.label}",
                f"{reverse('duties:complete', args=[ps.duty.pk])}?period={ps.period.key}",
            )
            for ps in self.duties
        ]
        rows += [
            Derived(
                _("借阅逾期未还：%(reader)s《%(title)s》")
                % {"reader": loan.reader_name, "title": loan.title},
                _("%(place)s · 应于 %(due)s 归还")
                % {"place": loan.facility.name, "due": loan.due_on.isoformat()},
                reverse("bookhouses:loans", args=[loan.facility_id]),
            )
            for loan in self.loans
        ]
        return rows


def overdue_loans(user: User, today: date) -> QuerySet[Loan] | None:
    """The loans of the user's subtree past their due date and not back, for those who keep
    the registers (None for the others, who are not told)."""
    if not (user.is_superuser or user.role in WRITE_ROLES):
        return None
    return loans_for(user).filter(returned_on__isnull=True, due_on__lt=today)


def derived_notices(user: User, today: date | None = None) -> DerivedNotices:
    """What is overdue today for the user, in a constant number of queries (none for a user
    bound to no unit): the duty periods they are responsible for and have missed (two
    queries), and for those who keep the registers the loans of their subtree past their due
    date and not back (one query) and the reports their unit owes past the deadline (two
    queries)."""
    if user.scope.is_nothing:
        return DerivedNotices([], [], more_loans=False)
    today = today or clock.today()
    duties = mine_overdue(user, today)
    loans: list[Loan] = []
    if (overdue := overdue_loans(user, today)) is not None:
        loans = list(overdue.select_related("facility").order_by("due_on", "pk")[: LOANS_SHOWN + 1])
    return DerivedNotices(
        duties,
        loans[:LOANS_SHOWN],
        more_loans=len(loans) > LOANS_SHOWN,
        reports=overdue_reports(user, today),
    )


def overdue_reports(user: User, today: date) -> list[Owed]:
    """The reports the user's unit owes past their deadline, for those who keep the registers
    (two queries; none for the others)."""
    if not (user.unit_id and (user.is_superuser or user.role in WRITE_ROLES)):
        return []
    return [owed for owed in owed_by(user.unit_id, today) if owed.overdue]


def derived_count(user: User, today: date | None = None) -> int:
    """How many derived notices the user has today, up to UNREAD_CAP: the notices page's
    own reads (five queries at most, none for a user bound to no unit), the loans' ids read
    off up to the cap rather than counted (see unread_count)."""
    if user.scope.is_nothing:
        return 0
    today = today or clock.today()
    count = len(mine_overdue(user, today)) + len(overdue_reports(user, today))
    if (overdue := overdue_loans(user, today)) is not None:
        count += len(overdue.order_by().values_list("pk", flat=True)[:UNREAD_CAP])
    return min(count, UNREAD_CAP)


def badge_count(user: User) -> int:
    """The top bar's number: unread stored notices and today's derived ones, up to
    UNREAD_CAP."""
    return min(unread_count(user) + derived_count(user), UNREAD_CAP)
