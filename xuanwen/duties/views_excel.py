"""Excel pages of the duties: the duty import (template, upload → preview → confirm), the
completions import (core.imports.ImportFlow, a .xlsx or a data package with the evidence) and
the completions' exports of the filtered list (report, data export, data package).

As for activities, the upload is stored under a random name between the preview and the
confirmation, and the confirm button carries only a signed token naming that file for this
user within the hour; the confirmation reads the file again and imports all rows or none.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core.imports import ImportFlow, ImportResult, export_view, refusing
from xuanwen.records.excel import data_export_view
from xuanwen.records.filters import listed
from xuanwen.records.package import package_view
from xuanwen.records.reports import list_report_view

from . import excel, reports, services
from .filters import completion_filters, duty_filters
from .forms import may_create
from .models import DutyCompletion, Evidence
from .services import CompletionData, DutyData


def _duties_save(user: User, result: ImportResult[DutyData], original: str) -> str:
    count = services.duties_import(user=user, rows=result.rows, row_numbers=result.row_numbers)
    return _("已从“%(name)s”导入 %(n)d 项常规工作。") % {"name": original, "n": count}


DUTIES_FLOW = ImportFlow.of_list(
    "duties",
    _lazy("常规工作"),
    template_filename=_lazy("常规工作导入模板"),
    build_template=lambda user: excel.build_template(user=user),
    read=lambda source, *, user, check_rules: excel.read_workbook(source, user=user),
    save=_duties_save,
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入常规工作。")),
    title=_lazy("批量导入常规工作"),
)

# Every field of the list's duties, in the import's shape (and whether each is in use).
data_export = data_export_view(
    excel.BOOK,
    records=listed(duty_filters),
    stem=_lazy("常规工作"),
    back="duties:list",
)


def _completions(request: HttpRequest) -> QuerySet[DutyCompletion]:
    """The completions list's rows (same filters, same scope)."""
    user = request_user(request)
    return completion_filters(user, request.GET).qs.prefetch_related(
        "businesses", Prefetch("evidence", queryset=Evidence.objects.only("pk", "completion_id"))
    )


# The list's report (title, names, totals).
completions_export = list_report_view(
    reports,
    records=_completions,
    too_many=_lazy("符合条件的完成记录超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。"),
    back="duties:completions",
)


def _completions_data(request: HttpRequest) -> QuerySet[DutyCompletion]:
    """The list page's completions with what their data export writes."""
    qs = completion_filters(request_user(request), request.GET).qs
    return qs.select_related("duty").prefetch_related("businesses")


completions_data_export = export_view(
    records=_completions_data,
    write=excel.write_completions,
    stem=_lazy("常规工作完成记录数据"),
    back="duties:completions",
)

# The same with the completions' photos and files (数据包), which the import takes too.
completions_data_package = package_view(
    records=lambda request: _completions_data(request).prefetch_related("evidence"),
    write=excel.write_completions,
    stem=_lazy("常规工作完成记录数据包"),
    back="duties:completions",
)

# --- Completions import ----------------------------------------------------------------------


def _completions_summary(result: ImportResult[CompletionData]) -> dict[str, Any]:
    rows = result.rows
    return {
        "duties": len({r.duty.pk for r in rows}),
        "businesses": sum(len(r.businesses) for r in rows),
        "first": min(r.done_on for r in rows),
        "last": max(r.done_on for r in rows),
    }


def _completions_save(user: User, result: ImportResult[CompletionData], original: str) -> str:
    evidence = excel.EVIDENCE.grouped(result)
    count = services.completions_import(
        user=user,
        rows=result.rows,
        row_numbers=result.row_numbers,
        uploads=(
            (lambda i: excel.EVIDENCE.uploads(result, evidence.get(i, ())))
            if result.package
            else None
        ),
    )
    return _("已从“%(name)s”导入 %(n)d 条完成记录。") % {"name": original, "n": count}


COMPLETIONS_FLOW = ImportFlow(
    key="duty-completions",
    page_template="duties/completion_import.html",
    template_filename=_lazy("常规工作完成记录导入模板"),
    build_template=lambda user: excel.build_completion_template(user=user),
    read=excel.read_completions,
    save=_completions_save,
    summary=_completions_summary,
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入完成记录。")),
    done_url="duties:completions",
    urls="duties:completions_",
    title=_lazy("批量导入完成记录"),
    crumbs=(("duties:list", _lazy("常规工作")), ("duties:completions", _lazy("完成记录"))),
    packages=True,  # a data package's evidence is stored with its completions
)
