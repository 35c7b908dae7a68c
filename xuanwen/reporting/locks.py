"""The lock an approved report puts on its unit's records of the period.

Registered into core.locks from ReportingConfig.ready(): every record write (records'
services, imports, the audit page's restore) asks it there, since those layers may not import
reporting. A record of unit U dated start..end is locked when a report of U or of an ancestor
of U (whose figures count U's records) is approved for a period that any day of it lies in.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from xuanwen.core import tree
from xuanwen.core.locks import Span
from xuanwen.indicators.periods import PeriodKind

from .models import Submission, SubmissionStatus


def refuse_if_locked(spans: Sequence[Span]) -> dict[int, str]:
    """{index: message} of the spans an approved report locks; one query for them all."""
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
    if not approved:
        return found
    for i, (unit, start, end) in enumerate(spans):
        for sub in approved:
            if unit.startswith(sub.unit_id) and sub.period_start <= end and start <= sub.period_end:
                found[i] = message(sub)
                break
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
