"""The compliance page as a report .xlsx (core.reports): by child unit with the totals, then
every duty with its tally, for the page's unit and period."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.core.reports import ReportBook

from .compliance import Tally
from .views import compliance_query, duty_rows


def _counts(tally: Tally) -> list[int | float | None]:
    return [tally.on_time, tally.late, tally.overdue, tally.pending, tally.due, tally.rate]


@login_required
@require_GET
def compliance_export(request: HttpRequest) -> HttpResponseBase:
    q = compliance_query(request)
    if q.unknown is not None:
        raise Http404(str(q.unknown.unknown))
    if q.unit is None:
        return redirect("duties:compliance")  # bound to no unit: the page says why
    counts = [_("按时完成"), _("逾期补做"), _("逾期未做"), _("未到期"), _("已到期"), _("按时率(%)")]
    book = ReportBook(
        title=_("常规工作完成情况"),
        unit=q.unit.name,
        period=q.period.label,
        columns=[(_("单位"), 20), *((c, 10) for c in counts)],
    )
    result = q.result
    for row in result.by_child:
        book.row([row.unit.name, *_counts(row.tally)])
    if result.own.due or result.own.pending or not result.by_child:
        book.row([_("本级"), *_counts(result.own)])
    book.total([_("合计"), *_counts(result.total)])
    book.section(_("各项工作"), [_("工作"), _("单位"), _("周期"), *counts])
    for d in duty_rows(result):
        book.row([d.duty.name, d.duty.unit.name, str(d.duty.cycle_label), *_counts(d.tally)])
    return book.response(stem=_("常规工作完成情况"))
