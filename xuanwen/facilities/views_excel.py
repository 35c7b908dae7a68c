"""Excel pages of the facilities: the import template, the import itself, the export.

The two-step import (upload → preview → confirm) is core.imports.ImportFlow; this module says
what is special to facilities.
"""

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core.imports import ImportFlow, ImportResult, export_response

from . import excel, services
from .filters import facility_filters
from .forms import may_create
from .services import FacilityData


def _require_writer(user: User) -> None:
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能导入阵地。"))


def _summary(result: ImportResult[FacilityData]) -> dict[str, Any]:
    rows = result.rows
    return {
        "units": len({r.unit.code for r in rows}),
        "by_kind": Counter(r.kind.name for r in rows).most_common(),
    }


def _save(user: User, result: ImportResult[FacilityData], original: str) -> str:
    facilities = services.facilities_import(
        user=user, rows=result.rows, row_numbers=result.row_numbers, source=original
    )
    return _("已从“%(name)s”导入 %(n)d 处阵地。") % {"name": original, "n": len(facilities)}


FLOW = ImportFlow(
    key="facilities",
    page_template="facilities/import.html",
    template_filename=_lazy("文化阵地导入模板"),
    build_template=lambda user: excel.build_template(user=user),
    read=excel.read_workbook,
    save=_save,
    summary=_summary,
    require=_require_writer,
    done_url="facilities:list",
)
import_template, import_upload, import_confirm = FLOW.views()


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The list page's facilities (same filters, same scope) as .xlsx."""
    user = request_user(request)
    qs = facility_filters(user, request.GET).qs
    return export_response(
        request,
        records=qs,
        write=excel.write_export,
        stem=_("文化阵地"),
        too_many=_("符合条件的阵地超过 %(n)d 处，超出 Excel 的行数上限，请缩小范围后再导出。"),
        back="facilities:list",
    )
