"""Excel pages of the opening logs: the import template, the import itself, the export.

The two-step import (upload → preview → confirm) is core.imports.ImportFlow; this module says
what is special to opening logs (a row repeating a session already recorded, same facility,
day, start and end, updates it; several rows of one day are several sessions).
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core.imports import ImportFlow, ImportResult, export_view
from xuanwen.records.filters import listed
from xuanwen.records.reports import list_report_view

from . import excel, reports, services
from .filters import log_filters
from .services import OpeningData
from .views import _require_recorder


def _summary(result: ImportResult[OpeningData]) -> dict[str, Any]:
    rows = result.rows
    return {
        "facilities": len({r.facility.pk for r in rows}),
        "first": min(r.date for r in rows),
        "last": max(r.date for r in rows),
    }


def _save(user: User, result: ImportResult[OpeningData], original: str) -> str:
    created, updated = services.openings_record_many(
        user=user, rows=result.rows, source=original, row_numbers=result.row_numbers
    )
    return _("已从“%(name)s”导入：新登记 %(c)d 天，更新 %(u)d 天。") % {
        "name": original,
        "c": created,
        "u": updated,
    }


FLOW = ImportFlow.of_list(
    "opening",
    _lazy("开放登记"),
    template_filename=_lazy("开放登记导入模板"),
    build_template=lambda user: excel.build_template(user=user),
    read=excel.read_workbook,
    save=_save,
    summary=_summary,
    require=_require_recorder,
    title=_lazy("批量导入开放登记"),
)


# The list's report (title, names, totals); the data export in the template's columns is
# excel's.
export = list_report_view(
    reports,
    records=listed(log_filters),
    too_many=_lazy("符合条件的登记超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。"),
    back="opening:list",
)

# The template's shape, every field (the facility by unit and name too), which imports back.
data_export = export_view(
    records=listed(log_filters),
    write=excel.write_export,
    stem=_lazy("开放登记"),
    too_many=_lazy("符合条件的登记超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。"),
    back="opening:list",
)
