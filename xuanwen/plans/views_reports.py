"""A plan's progress as a report .xlsx (core.reports): every item with its target, actual
value and status as of the page's day, then how many items stand in each status."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core.reports import ReportBook

from . import selectors
from .selectors import STATUS_LABELS
from .views import as_of_from


@login_required
@require_GET
def progress_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.get_plan_for_user(request_user(request), pk)
    today, error = as_of_from(request)
    if error:
        raise Http404(error)
    progress = selectors.plan_progress(plan, today)
    book = ReportBook(
        title=_("%(t)s 完成进度（截至 %(d)s）") % {"t": plan.title, "d": today.isoformat()},
        unit=plan.unit.name,
        period=plan.period.label,
        sheet_title=_("完成进度"),
        columns=[
            (_("序号"), 8), (_("条目"), 40), (_("指标"), 16), (_("目标下限"), 10),
            (_("目标上限"), 10), (_("实际"), 10), (_("完成比例(%)"), 10), (_("应达"), 10),
            (_("情况"), 14), (_("完成日期"), 12),
        ],
    )  # fmt: skip
    for section, rows in progress.sections:
        book.row([section.number, section.section.title])
        for p in rows:
            item = p.row.item
            indicator = p.row.indicator
            book.row([
                p.row.number, item.text,
                f"{indicator.name}（{indicator.measure}）" if indicator else "",
                item.target_min, item.target_max, p.actual if indicator else None, p.percent,
                p.expected if p.status != "met" else None, p.status_label, item.done_on,
            ])  # fmt: skip
    counts = progress.counts
    total = sum(counts.values())
    book.total([_("合计"), _("%(n)d 条") % {"n": total}])
    for status, label in STATUS_LABELS.items():
        if counts.get(status):
            book.row(["", str(label), None, None, None, counts[status]])
    return book.response(stem=_("完成进度"))
