"""Excel pages: the imports of people, teams, training classes and honours (templates,
upload → preview → confirm), and the exports of every list.

Each import is a core.imports.ImportFlow (the file is read again at the confirmation and saved
through the services in one transaction, or nothing); this module says what differs by kind:
the reader, the batch service, and how a row shows in the preview.
"""

import dataclasses
from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.accounts.permissions import request_user
from xuanwen.core.imports import ImportFlow, ImportResult, export_response, export_view, refusing
from xuanwen.records.excel import data_export_view
from xuanwen.records.filters import listed
from xuanwen.records.reports import FromData, report_response, report_view
from xuanwen.units.pickers import may_write_somewhere as may_create

from . import excel, excel_data, excel_records, imports, selectors
from .filters import honour_filters, person_filters, team_filters, training_filters
from .models import HolderKind, Team, TrainingClass


class Line(NamedTuple):
    """A row of the preview: what it is, and the details worth checking."""

    title: str
    meta: str


def _person_line(p: Any) -> Line:
    return Line(p.name, " · ".join(x for x in (p.unit.name, p.specialty) if x))


def _team_line(row: imports.TeamRow) -> Line:
    parts = [row.data.unit.name, row.data.genre.name]
    if row.leader:
        parts.append(_("负责人 %(name)s") % {"name": row.leader})
    if row.members:
        parts.append(_("队员 %(n)d 人") % {"n": len(row.members)})
    return Line(row.data.name, " · ".join(parts))


def _training_line(row: imports.TrainingRow) -> Line:
    d = row.data
    parts = [d.unit.name, f"{d.start_date:%Y-%m-%d} – {d.end_date:%Y-%m-%d}"]
    if d.trainer:
        parts.append(d.trainer)
    if row.sessions:
        parts.append(_("课次 %(n)d 次") % {"n": len(row.sessions)})
    return Line(d.title, " · ".join(parts))


def _honour_line(d: Any) -> Line:
    holder = d.person or d.team
    kinds = dict(HolderKind.choices)
    who = holder.name if holder is not None else d.unit.name
    return Line(d.name, " · ".join([f"{kinds[d.holder_kind]} {who}", str(d.year)]))


def _flow(
    kind: str,
    *,
    what: Any,
    list_url: str,
    build: Callable[[Any], bytes],
    read: Callable[..., ImportResult[Any]],
    run: Callable[..., int | list[Any]],
    line: Callable[[Any], Line],
) -> ImportFlow:
    def save(user: User, result: ImportResult[Any], original: str) -> str:
        saved = run(user=user, rows=result.rows, row_numbers=result.row_numbers)
        count = saved if isinstance(saved, int) else len(saved)
        return _("已从“%(name)s”导入 %(n)d 条%(what)s。") % {
            "name": original,
            "n": count,
            "what": what,
        }

    return ImportFlow(
        key=f"teams.{kind}",
        page_template="teams/import.html",
        template_filename=lazy(lambda: _("%(what)s导入模板") % {"what": what}, str)(),
        build_template=build,
        read=read,
        save=save,
        require=refusing(may_create, _lazy("您的角色只能查看，不能导入。")),
        done_url=list_url,
        urls=f"teams:{kind}_",
        title=lazy(lambda: _("批量导入%(what)s") % {"what": what}, str)(),
        crumbs=((list_url, what),),
        preview_row=line,
    )


PEOPLE_FLOW = _flow(
    "people", what=_lazy("人员"), list_url="teams:person_list",
    build=lambda user: excel.build_template("people", user=user),
    read=lambda f, **kw: excel.read_workbook("people", f, **kw), run=imports.people_import,
    line=_person_line,
)  # fmt: skip
TEAMS_FLOW = dataclasses.replace(
    _flow(
        "teams", what=_lazy("队伍"), list_url="teams:team_list",
        build=lambda user: excel.build_template("teams", user=user),
        read=lambda f, **kw: excel.read_workbook("teams", f, **kw), run=imports.teams_import,
        line=_team_line,
    ),
    # A data export's members and performances are read and saved with the teams.
    read=excel_data.BOOK.reader(lambda f, **kw: excel.read_workbook("teams", f, **kw)),
    save=excel_data.BOOK.saver(imports.teams_import, _lazy("已从“%(name)s”导入 %(n)d 支队伍。")),
)  # fmt: skip
TRAINING_FLOW = dataclasses.replace(
    _flow(
        "training", what=_lazy("培训班"), list_url="teams:training_list",
        build=lambda user: excel_records.build_training_template(user=user),
        read=excel_records.read_training,
        run=imports.training_import, line=_training_line,
    ),
    # A data export's sessions, trainees and roll call are read and saved with the classes.
    read=excel_data.TRAINING_BOOK.reader(excel_records.read_training),
    save=excel_data.TRAINING_BOOK.saver(
        imports.training_import, _lazy("已从“%(name)s”导入 %(n)d 个培训班。")
    ),
)  # fmt: skip
HONOURS_FLOW = _flow(
    "honours", what=_lazy("荣誉"), list_url="teams:honour_list",
    build=lambda user: excel_records.build_honours_template(user=user),
    read=excel_records.read_honours,
    run=imports.honours_import, line=_honour_line,
)  # fmt: skip


@login_required
@require_GET
def people_export(request: HttpRequest) -> HttpResponseBase:
    """The people list as a report; phones only of units the user may write in (and the
    column left out for a user who may write nowhere), as in the data export."""
    user = request_user(request)
    with_phone = user.is_superuser or user.role in WRITE_ROLES
    report = FromData(
        excel.people_columns(with_phone),
        lambda people: excel.people_rows(user, people, with_phone=with_phone),
        count=_lazy("%(n)d 人"),
    )
    return report_response(
        request, records=person_filters(user, request.GET).qs, title=_("人员名录"),
        columns=report.report_columns, write=report.write, back="teams:person_list",
    )  # fmt: skip


def _teams(request: HttpRequest) -> QuerySet[Team]:
    teams = team_filters(request_user(request), request.GET).qs
    return teams.prefetch_related("members__person")


def _training(request: HttpRequest) -> QuerySet[TrainingClass]:
    return selectors.with_totals(training_filters(request_user(request), request.GET).qs)


TEAMS_REPORT = FromData(excel.team_columns(), excel.team_rows, count=_lazy("%(n)d 支"))
TRAINING_REPORT = FromData(
    excel.TRAINING_COLUMNS, excel.training_rows, count=_lazy("%(n)d 期"),
    sums=("sessions", "hours", "trainees", "attendance"),
)  # fmt: skip
HONOURS_REPORT = FromData(excel.HONOUR_COLUMNS, excel.honour_rows, count=_lazy("%(n)d 项"))

# The lists' reports (title, names, totals); the data exports are excel.export_*.
teams_export = report_view(
    records=_teams, title=_lazy("队伍名录"), columns=TEAMS_REPORT.report_columns,
    write=TEAMS_REPORT.write, back="teams:team_list",
)  # fmt: skip
training_export = report_view(
    records=_training, title=_lazy("培训班"), columns=TRAINING_REPORT.report_columns,
    write=TRAINING_REPORT.write, back="teams:training_list",
)  # fmt: skip
honours_export = report_view(
    records=listed(honour_filters),
    title=_lazy("荣誉"), columns=HONOURS_REPORT.report_columns, write=HONOURS_REPORT.write,
    back="teams:honour_list",
)  # fmt: skip


# The people's and the honours' data exports: the template's shape, which imports back.
@login_required
@require_GET
def people_data_export(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)

    def write(rows: Any, target: Any) -> int:
        return excel.export_people(user, rows, target)

    qs = person_filters(user, request.GET).qs
    return export_response(
        request, records=qs, write=write, stem=_("人员"), back="teams:person_list"
    )


honours_data_export = export_view(
    records=listed(honour_filters),
    write=excel.export_honours, stem=_lazy("荣誉"), back="teams:honour_list",
)  # fmt: skip

team_data_export = data_export_view(
    excel_data.BOOK, records=_teams, stem=_lazy("队伍"), back="teams:team_list"
)

training_data_export = data_export_view(
    excel_data.TRAINING_BOOK,
    records=listed(training_filters),
    stem=_lazy("培训班"),
    back="teams:training_list",
)
