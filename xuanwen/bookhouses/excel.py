"""Excel for the three registers, stock (藏书登记), lending (借阅登记) and demands (需求登记):
template, import, export.

Built on xuanwen.core.sheets (its docstring has the rules). A row names its bookhouse by the
unit code and, when the unit has more than one bookhouse, the bookhouse's name; bookhouses are
looked up once for the whole sheet, within the user's scope, so an import's query count does
not grow with its rows. An export has the template's columns, so it can be edited and imported
again (as new rows).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core import sheets
from xuanwen.core.imports import ImportResult
from xuanwen.core.sheets import DATE_FORMAT, TEXT_FORMAT, Column
from xuanwen.facilities.models import Facility
from xuanwen.units.selectors import template_units

from . import selectors, services
from .models import Demand, DemandStatus, Loan, StockEntry, StockKind, StockSource

UNIT = Column(
    "unit",
    "单位代码",
    16,
    True,
    _lazy("农家书屋所在单位的区划代码，见“单位”表。"),
    parse=sheets.parse_unit_code,
    fmt=TEXT_FORMAT,
)
NAME = Column(
    "name",
    "书屋名称",
    20,
    False,
    _lazy("该单位只有一个农家书屋时可不填；有多个时填写书屋名称。"),
)

STOCK_COLUMNS = (
    UNIT,
    NAME,
    Column(
        "date",
        "日期",
        12,
        True,
        _lazy("到书或剔旧的日期，如 2026-03-05。"),
        parse=sheets.parse_required_date,
        fmt=DATE_FORMAT,
    ),
    Column(
        "kind",
        "类别",
        12,
        True,
        _lazy("图书、音像制品、报刊或书架（从下拉列表选择）。"),
        parse=sheets.choice_parser(
            {str(label): value for value, label in StockKind.choices}, what="类别", required=True
        ),
        options="stock_kinds",
    ),
    Column(
        "count",
        "数量",
        10,
        True,
        _lazy("册、件、种或个；剔旧报损填负数，如 -20。"),
        parse=sheets.parse_count,
    ),
    Column(
        "source",
        "来源",
        12,
        True,
        _lazy("上级配送、捐赠、自购、期初盘点或剔旧报损（从下拉列表选择）。"),
        parse=sheets.choice_parser(
            {str(label): value for value, label in StockSource.choices}, what="来源", required=True
        ),
        options="stock_sources",
    ),
    Column("note", "备注", 30, False, _lazy("可不填。")),
)

LOAN_COLUMNS = (
    UNIT,
    NAME,
    Column(
        "lent_on",
        "借出日期",
        12,
        True,
        _lazy("如 2026-03-05。"),
        parse=sheets.parse_required_date,
        fmt=DATE_FORMAT,
    ),
    Column("reader_name", "读者", 12, True, _lazy("读者姓名。"), parse=sheets.parse_required_text),
    Column("reader_phone", "联系电话", 16, False, _lazy("可不填。"), fmt=TEXT_FORMAT),
    Column("title", "书名", 30, True, _lazy("所借图书的书名。"), parse=sheets.parse_required_text),
    Column(
        "due_on",
        "应还日期",
        12,
        False,
        _lazy("不填为借出后 30 天。"),
        parse=sheets.parse_optional_date,
        fmt=DATE_FORMAT,
    ),
    Column(
        "returned_on",
        "归还日期",
        12,
        False,
        _lazy("尚未归还的不填。"),
        parse=sheets.parse_optional_date,
        fmt=DATE_FORMAT,
    ),
)

DEMAND_COLUMNS = (
    UNIT,
    NAME,
    Column(
        "date",
        "登记日期",
        12,
        True,
        _lazy("读者提出需求的日期，如 2026-03-05。"),
        parse=sheets.parse_required_date,
        fmt=DATE_FORMAT,
    ),
    Column("reader_name", "读者", 12, True, _lazy("读者姓名。"), parse=sheets.parse_required_text),
    Column("reader_phone", "联系电话", 16, False, _lazy("可不填。"), fmt=TEXT_FORMAT),
    Column(
        "wanted",
        "需求（书名或主题）",
        30,
        True,
        _lazy("想借的书名，或想看的主题，如“果树栽培”。"),
        parse=sheets.parse_required_text,
    ),
    Column(
        "status",
        "处理情况",
        12,
        False,
        _lazy("待处理、已满足、已上报或无法满足（从下拉列表选择）；不填为待处理。"),
        parse=sheets.choice_parser(
            {str(label): value for value, label in DemandStatus.choices}, what="处理情况"
        ),
        options="demand_statuses",
    ),
    Column(
        "status_date",
        "处理日期",
        12,
        False,
        _lazy("已处理而不填时记为导入当天；待处理的不填。"),
        parse=sheets.parse_optional_date,
        fmt=DATE_FORMAT,
    ),
    Column("note", "备注", 30, False, _lazy("可不填。")),
)


@dataclass(frozen=True)
class Register:
    """One importable register: its sheet, columns, rules and how a row becomes data."""

    key: str
    sheet_title: str
    columns: tuple[Column, ...]
    build: Callable[[Facility, dict[str, Any]], Any]
    # The services' rules for a whole batch: {row index: {field: message}}.
    problems: Callable[..., dict[int, dict[str, str]]]
    save: Callable[..., int]
    export_row: Callable[[Any], list[Any]]
    options: Callable[[], dict[str, list[str]]]
    help_lines: Callable[[], list[str]]
    # The preview's columns: headers, and a row's cells as the user wrote them (labels,
    # not the stored codes).
    preview_headers: tuple[Any, ...]
    preview_row: Callable[[Any], list[Any]]


def _stock_data(facility: Facility, v: dict[str, Any]) -> services.StockData:
    return services.StockData(
        facility=facility,
        date=v["date"],
        kind=v["kind"],
        count=v["count"],
        source=v["source"],
        note=v.get("note", ""),
    )


def _loan_data(facility: Facility, v: dict[str, Any]) -> services.LoanData:
    return services.LoanData(
        facility=facility,
        lent_on=v["lent_on"],
        reader_name=v["reader_name"],
        reader_phone=v.get("reader_phone", ""),
        title=v["title"],
        due_on=v.get("due_on"),
        returned_on=v.get("returned_on"),
    )


def _demand_data(facility: Facility, v: dict[str, Any]) -> services.DemandData:
    return services.DemandData(
        facility=facility,
        date=v["date"],
        reader_name=v["reader_name"],
        reader_phone=v.get("reader_phone", ""),
        wanted=v["wanted"],
        status=v.get("status") or DemandStatus.PENDING,
        status_date=v.get("status_date"),
        note=v.get("note", ""),
    )


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _stock_preview(d: services.StockData) -> list[Any]:
    return [
        _day(d.date),
        StockKind(d.kind).label,
        d.count,
        StockSource(d.source).label,
    ]


def _loan_preview(d: services.LoanData) -> list[Any]:
    return [_day(d.lent_on), d.reader_name, d.title, _day(d.returned_on)]


def _demand_preview(d: services.DemandData) -> list[Any]:
    return [_day(d.date), d.reader_name, d.wanted, DemandStatus(d.status).label]


def _stock_row(e: StockEntry) -> list[Any]:
    return [
        e.facility.unit_id,
        e.facility.name,
        e.date,
        str(e.get_kind_display()),
        e.count,
        str(e.get_source_display()),
        e.note,
    ]


def _loan_row(loan: Loan) -> list[Any]:
    return [
        loan.facility.unit_id,
        loan.facility.name,
        loan.lent_on,
        loan.reader_name,
        loan.reader_phone,
        loan.title,
        loan.due_on,
        loan.returned_on,
    ]


def _demand_row(d: Demand) -> list[Any]:
    return [
        d.facility.unit_id,
        d.facility.name,
        d.date,
        d.reader_name,
        d.reader_phone,
        d.wanted,
        str(d.get_status_display()),
        d.status_date,
        d.note,
    ]


def _common_help() -> list[str]:
    return [
        _("每行一条记录，第 1 行是列名，请勿修改。带底色的列必填。"),
        _("上传后先预览、后导入；只要有一处问题就一条也不导入，并列出每个问题的行和列。"),
    ]


STOCK = Register(
    key="stock",
    sheet_title="藏书登记",
    columns=STOCK_COLUMNS,
    build=_stock_data,
    problems=services.stock_import_problems,
    save=services.stock_import,
    export_row=_stock_row,
    options=lambda: {
        "stock_kinds": [str(label) for label in StockKind.labels],
        "stock_sources": [str(label) for label in StockSource.labels],
    },
    help_lines=lambda: [
        *_common_help(),
        _("新增（上级配送、捐赠、自购）和期初盘点填正数，剔旧报损填负数。"),
        _("任何一天每类藏书的库存都不能少于 0：剔旧报损不能多于当时已有的数量。"),
    ],
    preview_headers=(_lazy("日期"), _lazy("类别"), _lazy("数量"), _lazy("来源")),
    preview_row=_stock_preview,
)
LOANS = Register(
    key="loans",
    sheet_title="借阅登记",
    columns=LOAN_COLUMNS,
    build=_loan_data,
    problems=services.loan_import_problems,
    save=services.loans_import,
    export_row=_loan_row,
    options=lambda: {},
    help_lines=_common_help,
    preview_headers=(_lazy("借出日期"), _lazy("读者"), _lazy("书名"), _lazy("归还日期")),
    preview_row=_loan_preview,
)
DEMANDS = Register(
    key="demands",
    sheet_title="需求登记",
    columns=DEMAND_COLUMNS,
    build=_demand_data,
    problems=services.demand_import_problems,
    save=services.demands_import,
    export_row=_demand_row,
    options=lambda: {"demand_statuses": [str(label) for label in DemandStatus.labels]},
    help_lines=lambda: [
        *_common_help(),
        _("已满足、已上报或无法满足的需求可填处理日期，不能早于登记日期。"),
    ],
    preview_headers=(_lazy("登记日期"), _lazy("读者"), _lazy("需求"), _lazy("处理情况")),
    preview_row=_demand_preview,
)
REGISTERS = {r.key: r for r in (STOCK, LOANS, DEMANDS)}


def build_template(register: Register, user: User) -> bytes:
    date_checks = [sheets.date_check(c.key) for c in register.columns if c.fmt == DATE_FORMAT]
    return sheets.build_template(
        units=template_units(user),
        sheet_title=register.sheet_title,
        columns=register.columns,
        options=register.options(),
        help_title=_("%(title)s导入说明") % {"title": register.sheet_title},
        help_lines=register.help_lines(),
        checks=date_checks,
    )


def _bookhouses(user: User, codes: Iterable[str]) -> dict[str, list[Facility]]:
    """The user's bookhouses of these units, by unit code (a query per 500 codes)."""
    wanted = sorted(set(codes))
    found: dict[str, list[Facility]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for facility in (
            selectors.bookhouses_for(user)
            .filter(unit_id__in=chunk)
            .select_related("kind")
            .order_by("pk")
        ):
            found[facility.unit_id].append(facility)
    return found


def read_workbook(source: str | IO[bytes], *, register: Register, user: User) -> ImportResult[Any]:
    """Read and check a whole upload: every problem by row and column, or the rows."""
    table = sheets.read_table(
        source,
        sheet_title=register.sheet_title,
        columns=register.columns,
        empty_message=_("表中没有记录。"),
    )
    # The services name the bookhouse "facility"; the sheet names it by its name column.
    result: ImportResult[Any] = ImportResult(table, fields={"facility": "name"})
    if not table.rows:
        return result
    bookhouses = _bookhouses(user, result.unit_codes())
    for number, values in table.rows:
        here = bookhouses.get(values["unit"], [])
        name = values.get("name", "").strip()
        matches = [f for f in here if f.name == name] if name else here
        if not here:
            result.add(number, "unit", _("该单位没有农家书屋，或不在您的管辖范围内。"))
        elif not matches:
            result.add(number, "name", _("该单位没有名为“%(name)s”的农家书屋。") % {"name": name})
        elif len(matches) > 1:
            result.add(number, "name", _("该单位有多个农家书屋，请填写书屋名称。"))
        else:
            result.keep(number, register.build(matches[0], values))
    if result.ok:
        result.add_rule_problems(register.problems(user=user, rows=result.rows))
    result.sort()
    return result


def write_export(register: Register, rows: Iterable[Any], target: IO[bytes]) -> int:
    return sheets.write_export(
        (register.export_row(r) for r in rows),
        target,
        sheet_title=register.sheet_title,
        columns=register.columns,
    )


def import_rows(register: Register, *, user: User, rows: Sequence[Any], source: str) -> int:
    return register.save(user=user, rows=rows, source=source)
