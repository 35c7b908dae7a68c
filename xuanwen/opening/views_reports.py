"""The opening compliance page as a report .xlsx (core.reports): by child unit with the
total, then every facility, for the page's unit and period."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core.reports import ReportBook
from xuanwen.units.selectors import get_unit_for_user

from .compliance import BranchRow, FacilityCompliance, by_branch
from .views import period_from, unit_compliance


def _counts(row: BranchRow | FacilityCompliance) -> list[int | float | None]:
    return [row.compliant, row.judged, row.failing, row.rate]


@login_required
@require_GET
def compliance_export(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    code = request.GET.get("unit", "").strip() or user.unit_id or ""
    if not code:
        return redirect("opening:compliance")  # bound to no unit: the page says why
    unit = get_unit_for_user(user, code)
    period, period_error = period_from(request)
    if period_error:
        raise Http404(period_error)
    results, children, total = unit_compliance(unit, period)
    counts = [_("达标周"), _("判定周"), _("未达标周"), _("达标率(%)")]
    book = ReportBook(
        title=_("开放达标情况"),
        unit=unit.name,
        period=period.label,
        columns=[(_("单位"), 20), (_("阵地"), 8), *((c, 10) for c in counts)],
    )
    for child, row in children:
        book.row([child.name, row.facilities, *_counts(row)])
    mine = [r for r in results if r.facility.unit_id == unit.code]
    if mine or not children:
        here = by_branch(mine, len(unit.code)).get(unit.code, BranchRow(unit.code))
        book.row([_("本级"), here.facilities, *_counts(here)])
    book.total([_("合计"), total.facilities, *_counts(total)])
    book.section(_("各阵地"), [_("阵地"), _("单位"), *counts])
    for r in results:
        book.row([r.facility.name, r.facility.unit.name, *_counts(r)])
    return book.response(stem=_("开放达标情况"))
