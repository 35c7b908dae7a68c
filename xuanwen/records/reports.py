"""A list's report export: the list page's records (same filters, same scope) as a report
.xlsx (core.reports.ReportBook), its title naming the unit and the period the filter asked
for. The data exports, in the import template's columns, are another thing (records.excel).

    export = report_view(
        records=lambda request: household_filters(request_user(request), request.GET).qs,
        title=_lazy("文化户名录"), columns=COLUMNS, write=write_rows, back="households:list",
    )

`write(book, records)` writes a row per record with names, never ids or codes, and the
totals where they add (book.total).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core import sheets
from xuanwen.core.imports import View
from xuanwen.core.reports import ReportBook
from xuanwen.units.models import Unit
from xuanwen.units.selectors import UnknownUnit, unit_in_box

# Room for the title, the header, the totals and a note within Excel's row limit.
ROOM = 4


def unit_label(user: User, query: Mapping[str, str]) -> str:
    """The unit a list shows: the one its unit box names (a code or a name in the scope), or
    the user's own; what was typed if it named none."""
    typed = str(query.get("unit", "")).strip()[:50]
    code = unit_in_box(user.scope, typed) if typed else ""
    if isinstance(code, UnknownUnit):
        return str(code)
    code = code or user.scope.unit_code or ""
    name = Unit.objects.filter(code=code).values_list("name", flat=True).first() if code else None
    return name or _("全部单位")


def _day(query: Mapping[str, str], key: str) -> date | None:
    try:
        return date.fromisoformat(str(query.get(key, "")).strip()[:10])
    except ValueError:
        return None


def period_label(query: Mapping[str, str]) -> str:
    """The period a list's filter asks for: start–end, a year, a day it stands on, or all."""
    start, end, as_of = _day(query, "start"), _day(query, "end"), _day(query, "as_of")
    year = str(query.get("year", "")).strip()
    if start and end:
        return _("%(a)s 至 %(b)s") % {"a": start.isoformat(), "b": end.isoformat()}
    if start:
        return _("%(a)s 起") % {"a": start.isoformat()}
    if end:
        return _("截至 %(b)s") % {"b": end.isoformat()}
    if as_of:
        return _("%(d)s 在册") % {"d": as_of.isoformat()}
    if year.isdigit() and len(year) == 4:
        return _("%(y)s年") % {"y": year}
    return _("全部时间")


def report_view(
    *,
    records: Callable[[HttpRequest], Any],
    title: Any,
    columns: Sequence[tuple[Any, int]],
    write: Callable[[ReportBook, Iterable[Any]], None],
    back: str,
    too_many: Any = "",
) -> View:
    """A list's report export as a view (see the module)."""

    @login_required
    @require_GET
    def export(request: HttpRequest) -> HttpResponseBase:
        user = request_user(request)
        qs = records(request)
        room = sheets.EXPORT_MAX - ROOM
        if qs.count() > room:
            text = str(too_many) or _(
                "符合条件的记录超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。"
            )
            messages.error(request, text % {"n": room})
            return redirect(back)
        book = ReportBook(
            title=title,
            unit=unit_label(user, request.GET),
            period=period_label(request.GET),
            columns=columns,
            rows_max=room,
        )
        write(book, qs.iterator(chunk_size=2000))
        return book.response(stem=title)

    return export
