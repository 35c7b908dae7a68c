"""The late reports a deduction item counts, as an indicator of the registry.

Reporting (below this app) keeps whether each submission came in on time; a report counts as
late (迟报) in the period it reports on (an *event* by its period's last day), so a scheme for
2026 deducts for the 2026 reports that came late, whenever they were sent. Registered here
rather than by reporting because only assessment scores it.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuanwen.indicators.declare import Group, within
from xuanwen.indicators.registry import RecordRow, Source
from xuanwen.reporting.models import RECEIVED, Submission

G = Group(_("上报"))
LATE_REPORTS = "reporting.late"


def _row(s: Submission) -> RecordRow:
    return RecordRow(
        title=f"{s.report_set.name} · {s.period.label}",
        url=reverse("reporting:submission", args=[s.pk]),
        unit_name=s.unit.name,
        date=s.submitted_at.date() if s.submitted_at else None,
        detail=str(_("逾期上报")),
    )


SUBMISSIONS = Source(
    key="reporting.submissions",
    queryset=lambda: Submission.objects.filter(status__in=RECEIVED),
    unit_field="unit_id",
    period_q=within("period_end"),
    row=_row,
    select_related=("unit", "report_set"),
)


def register_all() -> None:
    G.add(LATE_REPORTS, _("逾期上报次数"), _("次"), SUBMISSIONS, where=Q(on_time=False))
