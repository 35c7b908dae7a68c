"""A list's report export: the list page's records (same filters, same scope) as a report
.xlsx (core.reports.ReportBook), its title naming the unit and the period the filter asked
for. The data exports, in the import template's columns, are another thing (records.excel).

    export = report_view(
        records=listed(household_filters),
        title=_lazy("文化户名录"), columns=COLUMNS, write=write_rows, back="households:list",
    )

`write(book, records)` writes a row per record with names, never ids or codes, and the
totals where they add (book.total). An app whose `reports` module declares its list's report
(TITLE, COLUMNS, write_rows) names the module instead:

    export = list_report_view(reports, records=_records, back="activities:list", too_many=…)
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

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


class ListReport(Protocol):
    """An app's `reports` module: its list report's title, columns (header, width) and the
    writer of its rows."""

    @property
    def TITLE(self) -> Any: ...

    @property
    def COLUMNS(self) -> Sequence[tuple[Any, int]]: ...

    def write_rows(self, book: ReportBook, rows: Iterable[Any], /) -> None: ...


def list_report_view(
    reports: ListReport, *, records: Callable[[HttpRequest], Any], back: str, too_many: Any = ""
) -> View:
    """report_view of the report a `reports` module declares."""
    title, columns, write = reports.TITLE, reports.COLUMNS, reports.write_rows
    return report_view(
        records=records, title=title, columns=columns, write=write, back=back, too_many=too_many
    )


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
        return report_response(
            request, records=records(request), title=title, columns=columns, write=write,
            back=back, too_many=too_many,
        )  # fmt: skip

    return export


def report_response(
    request: HttpRequest,
    *,
    records: Any,
    title: Any,
    columns: Sequence[tuple[Any, int]],
    write: Callable[[ReportBook, Iterable[Any]], None],
    back: str,
    too_many: Any = "",
) -> HttpResponseBase:
    """`records` (the list page's queryset) as a report .xlsx, or back to the list with
    `too_many` (with %(n)d) past Excel's row limit."""
    room = sheets.EXPORT_MAX - ROOM
    if records.count() > room:
        text = str(too_many) or _(
            "符合条件的记录超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。"
        )
        messages.error(request, text % {"n": room})
        return redirect(back)
    book = ReportBook(
        title=title,
        unit=unit_label(request_user(request), request.GET),
        period=period_label(request.GET),
        columns=columns,
        rows_max=room,
    )
    write(book, records.iterator(chunk_size=2000))
    return book.response(stem=title)


# Columns of a data export that a report leaves out: codes and ids.
CODE_KEYS = frozenset({"unit", "code", "id", "pk"})


@dataclass(frozen=True)
class FromData:
    """A report in a data export's columns less the codes (`CODE_KEYS`), its headers without
    "(可选)", with a totals row: the count in the first kept text column and the sums of the
    `sums` columns. `rows(records)` gives the data export's rows (in `columns`' order)."""

    columns: Sequence[sheets.Column]
    rows: Callable[[Iterable[Any]], Iterable[Sequence[Any]]]
    sums: Sequence[str] = ()
    count: Any = ""  # the totals' count, with %(n)d; "%(n)d 条" unless given

    @property
    def kept(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.key not in CODE_KEYS]

    @property
    def report_columns(self) -> list[tuple[Any, int]]:
        return [(header_of(self.columns[i].header), self.columns[i].width) for i in self.kept]

    def write(self, book: ReportBook, records: Iterable[Any]) -> None:
        kept = self.kept
        keys = [self.columns[i].key for i in kept]
        sums: dict[str, Any] = dict.fromkeys(self.sums, 0)
        for row in self.rows(records):
            cells = [row[i] for i in kept]
            for key, value in zip(keys, cells, strict=True):
                if key in sums and isinstance(value, int | float | Decimal):
                    sums[key] += value
            book.row(cells)
        count = str(self.count) or _("%(n)d 条")
        total: list[Any] = [_("合计"), count % {"n": book.count}]
        total += [sums.get(key) for key in keys[2:]]
        book.total(total)


def header_of(header: str) -> str:
    """A data export's header as a report's: "单位名称(可选)" → "单位名称"."""
    return header.replace("(可选)", "").replace("（可选）", "").strip()
