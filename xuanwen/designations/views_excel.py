"""Excel pages of the designations: the import template, the import itself (upload → preview
→ confirm, core.imports.ImportFlow), the data export and the report export."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.imports import export_response, export_view, refusing
from xuanwen.records.excel import register_import
from xuanwen.records.filters import listed
from xuanwen.records.reports import period_label

from . import excel, services
from .filters import designation_filters
from .forms import may_create

FLOW = register_import(
    excel.SHEET,
    key="designations",
    list_label=_lazy("命名"),
    template_filename=_lazy("命名导入模板"),
    title=_lazy("批量导入命名"),
    save=services.designations_import,
    saved=_lazy("已从“%(name)s”导入 %(n)d 项命名。"),
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入命名。")),
)

TOO_MANY = _lazy("符合条件的命名超过 %(n)d 项，超出 Excel 的行数上限，请缩小范围后再导出。")

export = export_view(
    # The list page's designations (same filters, same scope), in the import's columns.
    records=listed(designation_filters),
    write=excel.SHEET.write_export,
    stem=_lazy("命名"),
    too_many=TOO_MANY,
    back="designations:list",
)


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponseBase:
    """The list's designations as a report table (title, names, totals)."""
    user = request_user(request)
    filters = designation_filters(user, request.GET)
    unit = filters.shown_unit()
    scope = unit.name if unit else _("全部单位")
    subtitle = _("%(unit)s · 截至 %(d)s") % {"unit": scope, "d": clock.today().isoformat()}
    records = filters.qs.select_related("unit__parent")

    def write(rows: Any, target: Any) -> int:
        period = period_label(request.GET)
        return excel.write_report(rows, target, subtitle=subtitle, unit=scope, period=period)

    return export_response(
        request,
        records=records,
        write=write,
        stem=_("命名统计表"),
        back="designations:list",
        too_many=str(TOO_MANY),
    )
