"""Excel pages of the households: the import template, the import itself (upload → preview →
confirm, core.imports.ImportFlow) and the exports."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core.imports import export_response, refusing
from xuanwen.records.excel import data_export_view, register_import
from xuanwen.records.filters import listed
from xuanwen.records.reports import period_label, unit_label

from . import excel, services
from .filters import household_filters
from .forms import may_create

FLOW = register_import(
    excel.SHEET,
    key="households",
    list_label=_lazy("文化户"),
    template_filename=_lazy("文化户导入模板"),
    title=_lazy("批量导入文化户"),
    save=services.households_import,
    saved=_lazy("已从“%(name)s”导入 %(n)d 户文化户。"),
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入文化户。")),
    book=excel.BOOK,
)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The list page's households (same filters, same scope) as a report, its title naming
    the unit and the period the filter asked for."""
    user = request_user(request)
    unit, period = unit_label(user, request.GET), period_label(request.GET)

    def write(rows: Any, target: Any) -> int:
        return excel.write_export(rows, target, unit=unit, period=period)

    return export_response(
        request,
        records=household_filters(user, request.GET).qs,
        write=write,
        stem=_("文化户名录"),
        too_many=_("符合条件的文化户超过 %(n)d 户，超出 Excel 的行数上限，请缩小范围后再导出。"),
        back="households:list",
    )


# The template's shape, every field, which imports back (the export above is a report).
data_export = data_export_view(
    excel.BOOK,
    records=listed(household_filters),
    stem=_lazy("文化户"),
    back="households:list",
)
