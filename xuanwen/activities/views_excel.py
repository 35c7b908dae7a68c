"""Excel pages of the activities: the import template, the import itself, the export.

The two-step import (upload → preview → confirm) is core.imports.ImportFlow; this module says
what is special to activities: who may import, what the preview sums up, how rows are saved.
"""

from collections import Counter
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.permissions import request_user
from xuanwen.core.imports import ImportFlow, ImportResult, refusing
from xuanwen.records.excel import data_views
from xuanwen.records.reports import list_report_view

from . import excel, reports, selectors, services
from .forms import FilterForm, may_create
from .models import Activity
from .services import ActivityData


def _summary(result: ImportResult[ActivityData]) -> dict[str, Any]:
    rows = result.rows
    return {
        "units": len({r.unit.code for r in rows}),
        "by_type": Counter(r.type.name for r in rows).most_common(),
        "first": min(r.start_date for r in rows),
        "last": max(r.end_date for r in rows),
    }


FLOW = ImportFlow.of_list(
    "activities",
    _lazy("活动"),
    template_filename=_lazy("活动导入模板"),
    build_template=lambda user: excel.build_template(user=user),
    # A data export's extra sheets (awards, media coverage) are read and saved too.
    read=excel.BOOK.reader(excel.read_workbook),
    save=excel.BOOK.saver(services.activities_import, _lazy("已从“%(name)s”导入 %(n)d 项活动。")),
    summary=_summary,
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入活动。")),
    title=_lazy("批量导入活动"),
    packages=True,  # a data package's photos and files are stored with the activities
)


def _records(request: HttpRequest) -> QuerySet[Activity]:
    """The list page's activities (same filters, same scope)."""
    user = request_user(request)
    form = FilterForm(request.GET, user=user)
    form.is_valid()  # as on the list page: a malformed filter is simply not applied
    c = form.cleaned_data
    return selectors.activity_search(
        user,
        selectors.ActivityFilter(
            unit=c.get("unit") or "",
            type_id=c.get("type"),
            start=c.get("start"),
            end=c.get("end"),
            text=c.get("q") or "",
        ),
    )


# The list's report (title, names, totals); the data export in the template's columns is
# excel.write_export.
export = list_report_view(
    reports,
    records=_records,
    too_many=_lazy("符合条件的活动超过 %(n)d 项，超出 Excel 的行数上限，请缩小范围后再导出。"),
    back="activities:list",
)

# The data export, and the same with the activities' photos and files (数据包), which the
# import takes too.
data_export, data_package = data_views(
    excel.BOOK, records=_records, stem=_lazy("活动"), back="activities:list"
)
