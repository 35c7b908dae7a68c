"""Excel pages of the facilities: the import template, the import itself (upload → preview →
confirm, core.imports.ImportFlow) and the exports."""

from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.imports import refusing
from xuanwen.records.excel import data_views, register_import
from xuanwen.records.filters import listed
from xuanwen.records.reports import list_report_view

from . import excel, reports, services
from .filters import facility_filters
from .forms import may_create

FLOW = register_import(
    excel.SHEET,
    key="facilities",
    list_label=_lazy("文化阵地"),
    template_filename=_lazy("文化阵地导入模板"),
    title=_lazy("批量导入阵地"),
    save=services.facilities_import,
    saved=_lazy("已从“%(name)s”导入 %(n)d 处阵地。"),
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入阵地。")),
    book=excel.BOOK,
)


# The list's report (title, names, totals); the data export in the template's columns is
# excel's.
export = list_report_view(
    reports,
    records=listed(facility_filters),
    too_many=_lazy("符合条件的阵地超过 %(n)d 处，超出 Excel 的行数上限，请缩小范围后再导出。"),
    back="facilities:list",
)

# The data export, and the same with the facilities' photos (数据包), which the import takes
# too.
data_export, data_package = data_views(
    excel.BOOK, records=listed(facility_filters), stem=_lazy("文化阵地"), back="facilities:list"
)
