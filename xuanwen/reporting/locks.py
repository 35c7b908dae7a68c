"""The lock an approved report puts on its unit's records of the period.

Registered into core.locks from ReportingConfig.ready(): every record write (records'
services, imports, the audit page's restore) asks it there, since those layers may not import
reporting. A record of unit U dated start..end is locked when a report of U or of an ancestor
of U (whose figures count U's records) is approved for a period that any day of it lies in.

A report set with lock days closes entry by itself too: once a period is that many days past
its end, the records of the units that owe it are closed for that period, unless the approver
has sent the unit's report of it back (returned or unlocked) to be corrected.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.utils.translation import gettext as _

from xuanwen.core import clock, tree
from xuanwen.core.locks import Span
from xuanwen.indicators.periods import Period, PeriodKind

from .models import ReportSet, Submission, SubmissionStatus


def refuse_if_locked(spans: Sequence[Span]) -> dict[int, str]:
    """{index: message} of the spans an approved report locks, or whose entry has closed; two
    queries for them all (three when a closed period is touched)."""
    units = {code for unit, _s, _e in spans for code in (unit, *tree.ancestor_codes(unit))}
    first = min(start for _u, start, _e in spans)
    last = max(end for _u, _s, end in spans)
    approved = list(
        Submission.objects.filter(
            status=SubmissionStatus.APPROVED,
            unit_id__in=sorted(units),
            period_start__lte=last,
            period_end__gte=first,
        )
        .select_related("report_set__owner", "approved_by__unit")
        .order_by("period_start", "pk")
    )
    found: dict[int, str] = {}
    for i, (unit, start, end) in enumerate(spans):
        for sub in approved:
            if unit.startswith(sub.unit_id) and sub.period_start <= end and start <= sub.period_end:
                found[i] = message(sub)
                break
    closed = [(i, span) for i, span in enumerate(spans) if i not in found]
    if closed:
        found.update(_closed(closed, sorted(units)))
    return found


def _closed(spans: list[tuple[int, Span]], units: list[str]) -> dict[int, str]:
    """The spans that lie in a period whose entry has closed (a set's lock days are past):
    one query for the sets, and one for the reports sent back when any period is closed."""
    today = clock.today()
    sets = list(
        ReportSet.objects.filter(active=True, lock_days__gt=0, owner_id__in=units).select_related(
            "owner"
        )
    )
    # (span index, set, the unit that reports, period) of each closed period a span touches.
    hits: list[tuple[int, ReportSet, str, Period]] = []
    for i, (unit, start, end) in spans:
        for report_set in sets:
            reporter = next(
                (
                    unit[:n]
                    for n in sorted(report_set.code_lengths, reverse=True)
                    if n <= len(unit) and report_set.owes(unit[:n])
                ),
                None,
            )
            if reporter is None:
                continue
            for year in range(start.year, end.year + 1):
                for period in report_set.periods(year):
                    past = today > period.end + timedelta(days=report_set.lock_days)
                    if past and period.start <= end and start <= period.end:
                        hits.append((i, report_set, reporter, period))
    if not hits:
        return {}
    reopened = set(
        Submission.objects.filter(
            status=SubmissionStatus.RETURNED,
            report_set__in={report_set.pk for _i, report_set, _u, _p in hits},
            unit_id__in={reporter for _i, _s, reporter, _p in hits},
        ).values_list("report_set_id", "unit_id", "period_key")
    )
    found: dict[int, str] = {}
    for i, report_set, reporter, period in hits:
        if i in found or (report_set.pk, reporter, period.key) in reopened:
            continue
        day = period.end + timedelta(days=report_set.lock_days)
        found[i] = _("%(period)s的录入已于 %(day)s 截止；如需修改请联系%(owner)s退回该期上报。") % {
            "period": period.label,
            "day": day.isoformat(),
            "owner": report_set.owner.name,
        }
    return found


def message(submission: Submission) -> str:
    approver = submission.approved_by
    unit = approver.unit if approver is not None and approver.unit is not None else None
    period = submission.period
    text = (
        _("%(period)s的上报已批准，该月记录已锁定；如需修改请联系%(approver)s解锁。")
        if period.kind == PeriodKind.MONTH
        else _("%(period)s的上报已批准，该期间记录已锁定；如需修改请联系%(approver)s解锁。")
    )
    return text % {
        "period": period.label,
        "approver": (unit or submission.report_set.owner).name,
    }
