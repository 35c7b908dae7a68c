"""Excel pages of the households: the import template, the import itself, the export.

The two-step import (upload → preview → confirm) is core.imports.ImportFlow; this module says
what is special to households.
"""

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core.imports import ImportFlow, ImportResult, export_view, refusing

from . import excel, services
from .filters import household_filters
from .forms import may_create
from .services import HouseholdData


def _summary(result: ImportResult[HouseholdData]) -> dict[str, Any]:
    rows = result.rows
    return {
        "units": len({r.unit.code for r in rows}),
        "by_kind": Counter(r.kind.name for r in rows).most_common(),
    }


def _save(user: User, result: ImportResult[HouseholdData], original: str) -> str:
    households = services.households_import(
        user=user, rows=result.rows, row_numbers=result.row_numbers, source=original
    )
    return _("已从“%(name)s”导入 %(n)d 户文化户。") % {"name": original, "n": len(households)}


FLOW = ImportFlow(
    key="households",
    page_template="households/import.html",
    template_filename=_lazy("文化户导入模板"),
    build_template=lambda user: excel.build_template(user=user),
    read=excel.read_workbook,
    save=_save,
    summary=_summary,
    require=refusing(may_create, _lazy("您的角色只能查看，不能导入文化户。")),
    done_url="households:list",
    title=_lazy("批量导入文化户"),
    crumbs=(("households:list", _lazy("文化户")),),
)


export = export_view(
    # The list page's households (same filters, same scope).
    records=lambda request: household_filters(request_user(request), request.GET).qs,
    write=excel.write_export,
    stem=_lazy("文化户名录"),
    too_many=_lazy("符合条件的文化户超过 %(n)d 户，超出 Excel 的行数上限，请缩小范围后再导出。"),
    back="households:list",
)
