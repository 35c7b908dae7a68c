"""Excel pages of the stock, lending and demand registers: template, import, export.

Each register's import is a core.imports.ImportFlow (upload → preview → confirm, all rows or
none) and its export a report (records.reports.report_view), one of each per register.
"""

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core.imports import ImportFlow, ImportResult, View, export_view, refusing
from xuanwen.records.filters import listed
from xuanwen.records.reports import report_view

from . import excel, reports
from .filters import REGISTER_FILTERS
from .forms import may_write_somewhere


def _flow(spec: excel.Register) -> ImportFlow:
    def read(source: Any, *, user: User, check_rules: bool) -> ImportResult[Any]:
        return excel.read_workbook(source, register=spec, user=user)

    def save(user: User, result: ImportResult[Any], original: str) -> str:
        count = excel.import_rows(spec, user=user, rows=result.rows, source=original)
        return _("已从“%(name)s”导入 %(n)d 条记录。") % {"name": original, "n": count}

    return ImportFlow(
        key=f"bookhouses.{spec.key}",
        page_template="bookhouses/import.html",
        template_filename=f"{spec.sheet_title}导入模板",
        build_template=lambda user: excel.build_template(spec, user),
        read=read,
        save=save,
        require=refusing(may_write_somewhere, _lazy("您的角色只能查看，不能导入。")),
        done_url=f"bookhouses:{spec.key}_all",
        urls=f"bookhouses:{spec.key}_",
        title=lazy(lambda: _("批量导入%(t)s") % {"t": spec.sheet_title}, str)(),
        crumbs=(
            ("bookhouses:list", _lazy("农家书屋")),
            (f"bookhouses:{spec.key}_all", spec.sheet_title),
        ),
        context={"spec": spec},
        preview_row=lambda row: (row.facility.name, spec.preview_row(row)),
    )


def _export(spec: excel.Register) -> View:
    """The subtree list's rows (same filter, same scope) as a report .xlsx."""
    report = reports.REPORTS[spec.key]
    return report_view(
        records=listed(REGISTER_FILTERS[spec.key]),
        title=report.title,
        columns=report.columns,
        write=report.write,
        back=f"bookhouses:{spec.key}_all",
    )


def _data_export(spec: excel.Register) -> View:
    """The subtree list's rows in the import template's shape, which imports back."""
    return export_view(
        records=listed(REGISTER_FILTERS[spec.key]),
        write=lambda rows, target: excel.write_export(spec, rows, target),
        stem=spec.sheet_title,
        back=f"bookhouses:{spec.key}_all",
    )


# Each register's import, report and data export, routed by urls.py under the register's key.
FLOWS = {key: _flow(spec) for key, spec in excel.REGISTERS.items()}
EXPORTS = {key: _export(spec) for key, spec in excel.REGISTERS.items()}
DATA_EXPORTS = {key: _data_export(spec) for key, spec in excel.REGISTERS.items()}
