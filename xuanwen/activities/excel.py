"""Activities in Excel: the import template, reading a filled-in workbook, and the export.

Reading is all or nothing. Every cell of every row is parsed and every row checked before
anything is saved, and each problem names its row and column (第 N 行 第 X 列（列名）). The
rules themselves belong to the services (activity_check, duplicates, the right to write): this
module only turns cells into ActivityData, and the services' field errors back into cells. The
machinery every import shares (the upload check, cell parsers, formula-safe writing) is in
core.sheets.

The column names are the file format, so they stay Chinese whatever the page language: a file
exported with the English interface imports with the Chinese one. The same goes for the funding
sources written into cells.
"""

import dataclasses
from collections.abc import Iterable
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core import sheets
from xuanwen.core.files import max_bytes
from xuanwen.core.imports import ImportResult
from xuanwen.core.models import Level
from xuanwen.core.scope import Scope
from xuanwen.core.sheets import (
    DATE_FORMAT,
    EXPORT_MAX,
    MAX_ROWS,
    TEXT_FORMAT,
    XLSX_MIME,
    CellError,
    Column,
    check_xlsx,
    choice_parser,
    date_check,
    decimal_check,
    parse_count,
    parse_money,
    parse_optional_date,
    parse_required_date,
    parse_text,
    parse_unit_code,
    read_table,
    whole_check,
)
from xuanwen.records.excel import DataBook, Files, Part, choice_column
from xuanwen.records.vocab import offered_kinds, visible_kinds
from xuanwen.units.models import Unit
from xuanwen.units.selectors import template_units, units_by_code

from . import services
from .models import Activity, ActivityType, Funding, WinnerKind
from .services import ActivityData, activities_import_problems

__all__ = ["EXPORT_MAX", "MAX_ROWS", "XLSX_MIME", "check_xlsx"]

SHEET_TITLE = "活动"


def _funding_choices() -> dict[str, str]:
    """What a 经费来源 cell may say: the Chinese label, today's language's label, or the value."""
    choices = {str(label): value for value, label in Funding.choices}
    with translation.override("zh-hans"):
        choices.update({str(label): value for value, label in Funding.choices})
    choices.update({value: value for value in Funding.values})
    return choices


def funding_labels() -> list[str]:
    with translation.override("zh-hans"):
        return [str(label) for label in Funding.labels]


class _TypeParser:
    """An activity type by name, with the types looked up once per file."""

    def __init__(self, scope: Scope) -> None:
        # The types the importer's scope sees: another county's are unknown here.
        self.types = {t.name: t for t in visible_kinds(ActivityType, scope)}
        self.active = [t.name for t in self.types.values() if t.active]

    def __call__(self, value: object) -> ActivityType:
        name = parse_text(value)
        if not name:
            raise CellError(_("不能为空。"))
        found = self.types.get(name)
        if found is None:
            raise CellError(
                _("没有“%(name)s”这个活动类型。可选：%(names)s。")
                % {"name": name, "names": "、".join(self.active)}
            )
        if not found.active:
            raise CellError(_("活动类型“%(name)s”已停用。") % {"name": name})
        return found


def columns(type_parser: Any = parse_text) -> tuple[Column, ...]:
    funding = choice_parser(_funding_choices(), what="经费来源")
    return (
        Column("unit", "单位代码", 16, True, _lazy("区划代码，6、9 或 12 位数字，见“单位”表。"),
               parse=parse_unit_code, fmt=TEXT_FORMAT),
        Column("unit_name", "单位名称(可选)", 14, False,
               _lazy("便于核对，可不填；填写时须与单位代码相符。")),
        Column("type", "活动类型", 12, True, _lazy("从下拉列表中选择。"), parse=type_parser,
               options="活动类型"),
        Column("title", "活动名称", 30, True, _lazy("不超过 200 字。")),
        Column("start_date", "开始日期", 12, True, _lazy("日期，如 2025-03-05。"),
               parse=parse_required_date, fmt=DATE_FORMAT),
        Column("end_date", "结束日期", 12, False, _lazy("一天的活动可不填；不能早于开始日期。"),
               parse=parse_optional_date, fmt=DATE_FORMAT),
        Column("place", "地点", 16, False, _lazy("不超过 200 字。")),
        Column("organisers", "主办单位", 16, False, _lazy("不超过 200 字。")),
        Column("co_organisers", "联办单位", 16, False, _lazy("不超过 200 字。")),
        Column("participants", "参与人数", 10, False, _lazy("整数，不填为 0。"),
               parse=parse_count, fmt="0"),
        Column("audience", "观众人数", 10, False, _lazy("整数，不填为 0。"),
               parse=parse_count, fmt="0"),
        Column("programmes", "节目数", 10, False, _lazy("演出的节目个数，整数，其他活动不填。"),
               parse=parse_count, fmt="0"),
        Column("cost", "经费（元）", 12, False, _lazy("金额，最多两位小数，可不填。"),
               parse=parse_money, fmt="0.00"),
        Column("funding", "经费来源", 10, False,
               _lazy("从下拉列表中选择：财政、自筹、赞助、其他。"), parse=funding,
               options="经费来源"),
        Column("description", "内容简介", 40, False, _lazy("可不填。")),
    )  # fmt: skip


COLUMNS = columns()


def read_workbook(
    source: str | IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[ActivityData]:
    """Read the activities sheet of an .xlsx into ActivityData, naming every problem.

    With check_rules the services' rules (activities_import_problems: the right to write,
    activity_check, duplicates in the database and in the file) are applied too, as the
    preview needs; activities_import applies them itself when it saves.
    """
    table = read_table(
        source,
        sheet_title=SHEET_TITLE,
        columns=columns(_TypeParser(user.scope)),
        empty_message=_("文件中没有活动：表“活动”第 2 行起每行一项。"),
    )
    result: ImportResult[ActivityData] = ImportResult(table)
    # A query per 500 units, not per row.
    units = units_by_code(user, result.unit_codes())
    for number, values in table.rows:
        unit = result.unit_of(number, values, units)
        if unit is None:
            continue
        start = values["start_date"]
        result.keep(
            number,
            ActivityData(
                unit=unit,
                type=values["type"],
                title=values["title"],
                start_date=start,
                end_date=values.get("end_date") or start,
                organisers=values.get("organisers", ""),
                co_organisers=values.get("co_organisers", ""),
                place=values.get("place", ""),
                participants=values.get("participants", 0),
                audience=values.get("audience", 0),
                programmes=values.get("programmes", 0),
                cost=values.get("cost"),
                funding=values.get("funding", ""),
                description=values.get("description", ""),
            ),
        )
    result.sort()
    # The rows that read cleanly are checked even when others did not, so that one upload
    # names every problem rather than one kind at a time.
    if check_rules and result.rows:
        result.add_rule_problems(
            activities_import_problems(user=user, rows=result.rows, row_numbers=result.row_numbers)
        )
    return result


def build_template(*, user: User) -> bytes:
    """The import template: the data sheet with drop-down lists, the instructions, the units."""
    lines = [
        _("1. 在“活动”表中每行填写一项活动，从第 2 行开始；第 1 行的列名不要修改。"),
        _("2. 导入是“全部或全不”：只要有一处问题就一条也不导入，页面会列出每个问题的行号和列名。"),
        _(
            "3. 同一单位同一天同类型、同名称的活动视为重复，"
            "文件内重复或与系统中已有活动重复都不能导入。"
        ),
        _("4. 只能为本单位及下级单位导入；“单位”表列出了您可以填写的单位代码。"),
        _("5. 上传后先预览，确认无误后再导入。一次最多 %(n)d 行，文件不超过 %(mb)d MB。")
        % {"n": MAX_ROWS, "mb": max_bytes() // 1024 // 1024},
        _("6. 没有列名的列不会导入。"),
    ]
    return sheets.build_template(
        units=template_units(user),
        sheet_title=SHEET_TITLE,
        columns=COLUMNS,
        options={
            "活动类型": [t.name for t in offered_kinds(ActivityType, user.scope)],
            "经费来源": funding_labels(),
        },
        help_title=_("活动批量导入：填写说明"),
        help_lines=[str(line) for line in lines],
        checks=[
            date_check("start_date"),
            date_check("end_date"),
            whole_check("participants"),
            whole_check("audience"),
            whole_check("programmes"),
            decimal_check("cost"),
        ],
    )


def export_row(a: Activity) -> tuple[Any, ...]:
    """An activity in the template's columns (so that an export can be edited and imported)."""
    with translation.override("zh-hans"):
        funding = str(Funding(a.funding).label) if a.funding else ""
    return (
        a.unit_id, a.unit.name, a.type.name, a.title, a.start_date, a.end_date, a.place,
        a.organisers, a.co_organisers, a.participants, a.audience, a.programmes, a.cost,
        funding, a.description,
    )  # fmt: skip


def write_export(activities: Iterable[Activity], target: str | IO[bytes]) -> int:
    """Write activities in the template's columns (so an export can be edited and imported)."""
    rows = (export_row(a) for a in activities)
    return sheets.write_export(rows, target, sheet_title=SHEET_TITLE, columns=COLUMNS)


# The data export: the template's sheet, then the awards and the media coverage, each row
# naming its activity by its row in the first sheet. Photos and files travel in its data
# package (records.package: the same workbook with a "附件" sheet and the files).
AWARDS = Part(
    "奖项",
    "awards",
    (
        Column(
            "name", "奖项名称", 24, True, _lazy("不超过 200 字。"), parse=sheets.parse_required_text
        ),
        choice_column("level", "级别", 8, Level),
        Column("rank", "名次/等次", 10, False, _lazy("不超过 50 字。")),
        choice_column("winner_kind", "获奖者类别", 10, WinnerKind),
        Column(
            "winner", "获奖者", 16, True, _lazy("不超过 100 字。"), parse=sheets.parse_required_text
        ),
    ),
    add=lambda *, user, owner, values: services.award_add(user=user, activity=owner, **values),
)
COVERAGE = Part(
    "媒体报道",
    "coverage",
    (
        Column(
            "outlet", "媒体", 16, True, _lazy("不超过 100 字。"), parse=sheets.parse_required_text
        ),
        choice_column("level", "级别", 8, Level),
        Column(
            "date",
            "日期",
            12,
            True,
            _lazy("日期，如 2025-03-05。"),
            parse=sheets.parse_required_date,
            fmt=DATE_FORMAT,
        ),
        Column("title", "标题", 24, False, _lazy("不超过 200 字。")),
        Column("link", "链接", 30, False, _lazy("网址，可不填。")),
        Column(
            "views",
            "阅读/点击量",
            10,
            False,
            _lazy("整数，可不填。"),
            parse=sheets.parse_optional_count,
            fmt="0",
        ),
    ),
    add=lambda *, user, owner, values: services.coverage_add(user=user, activity=owner, **values),
)


def _village(user: User, code: str) -> Unit | None:
    return units_by_code(user, {code}).get(code)


def _village_check(user: User, values: dict[str, Any]) -> dict[str, str]:
    if _village(user, values["village"]) is None:
        return {"village": sheets.unknown_unit_message(values["village"])}
    return {}


def _village_add(*, user: User, owner: Activity, values: dict[str, Any]) -> Activity:
    """One more village the activity reached, through activity_update (which checks it)."""
    village = _village(user, values["village"])
    # Its stored fields as they are (its photos and files come after, records.package).
    names = [
        f.name for f in dataclasses.fields(ActivityData) if f.name not in ("villages", "photos")
    ]
    data = ActivityData(
        **{name: getattr(owner, name) for name in names},
        villages=[*owner.villages.all(), *([village] if village else [])],
    )
    return services.activity_update(user=user, activity=owner, data=data)


VILLAGES = Part(
    "覆盖村",
    "reached",
    (
        Column(
            "village",
            "村（社区）代码",
            16,
            True,
            _lazy("活动覆盖的村（社区），12 位代码。"),
            parse=parse_unit_code,
            fmt=TEXT_FORMAT,
        ),
        Column(
            "village_name", "村（社区）名称(可选)", 16, False, _lazy("便于核对，导入时不读取。")
        ),
    ),
    add=_village_add,
    exports={"village": lambda r: r.village_id, "village_name": lambda r: r.village.name},
    check=_village_check,
)
BOOK = DataBook(
    model=Activity,
    title=SHEET_TITLE,
    columns=COLUMNS,
    row=export_row,
    parts=(AWARDS, COVERAGE, VILLAGES),
    prefetch=("awards", "coverage", "reached__village"),
    files=Files(
        "attachments",
        add=lambda *, user, owner, upload: services.attachment_add(
            user=user, activity=owner, upload=upload
        ),
    ),
)
