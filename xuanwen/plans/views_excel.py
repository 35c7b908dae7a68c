"""The plans' data export (every plan in the list with its sections and items) and its import
(upload → preview → confirm, core.imports.ImportFlow): plans.excel."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core.imports import ImportFlow, ImportResult, refusing
from xuanwen.records.excel import data_export_view
from xuanwen.records.filters import listed
from xuanwen.units.pickers import may_write_somewhere

from . import excel, services
from .filters import plan_filters
from .services import PlanRow


def _save(user: User, result: ImportResult[PlanRow], original: str) -> str:
    excel.with_sections(result, user)
    plans = services.plans_import(
        user=user, rows=result.rows, row_numbers=result.row_numbers, source=original
    )
    return _("已从“%(name)s”导入 %(n)d 份计划（草稿）。") % {"name": original, "n": len(plans)}


def _summary(result: ImportResult[PlanRow]) -> dict[str, Any]:
    return {
        "units": len({r.data.unit.code for r in result.rows}),
        "items": sum(1 for _i, _n, v in result.parts.get(excel.ITEMS_TITLE, ()) if v.get("text")),
    }


FLOW = ImportFlow.of_list(
    "plans",
    _lazy("工作计划"),
    template_filename=_lazy("工作计划导入模板"),
    build_template=lambda user: excel.BOOK.template(excel.build_template(user=user)),
    read=excel.BOOK.reader(excel.read_workbook),
    save=_save,
    summary=_summary,
    require=refusing(may_write_somewhere, _lazy("您的角色只能查看，不能导入计划。")),
    title=_lazy("批量导入计划"),
)

data_export = data_export_view(
    excel.BOOK,
    # The list page's plans (same filters, same scope: the latest revision of each).
    records=listed(plan_filters),
    stem=_lazy("工作计划"),
    back="plans:list",
)
