"""Plans in Excel: the data export and its import (records.excel.DataBook).

The 计划 sheet holds a plan a row (unit, period, title, preamble); the 条目 sheet its items in
order, each naming its plan by the row of the 计划 sheet (主表行号) and its section by number
and title, so that sections and items come back in their order. A row with a section and no
content is a section without items. Imported plans are drafts: submission and approval are
steps of the work (who, when), not data to copy, and so is a revision's history. An item's
evidence activities are named a line each by unit code, start date and title (the activities
import's key), found again in the importing user's scope and the plan's unit's subtree.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.activities.models import Activity
from xuanwen.activities.selectors import activities_for
from xuanwen.core import sheets, tree
from xuanwen.core.imports import ImportResult
from xuanwen.core.sheets import DATE_FORMAT, Column
from xuanwen.records.excel import (
    HELP_LINES,
    UNIT_NAME_COLUMN,
    DataBook,
    Part,
    choice_column,
    unit_column,
)
from xuanwen.units.selectors import template_units, units_by_code

from .models import ItemStyle, PlanKind, PlanSection, WorkPlan
from .services import (
    ItemData,
    PlanData,
    PlanRow,
    SectionData,
    item_check,
    plans_import_problems,
)

SHEET_TITLE = "计划"
ITEMS_TITLE = "条目"


def _parse_index(value: object) -> int:
    return sheets.parse_count(value)


def _year(value: object) -> int:
    if sheets.parse_text(value) == "":
        raise sheets.CellError(_("不能为空。"))
    return sheets.parse_count(value)


COLUMNS: tuple[Column, ...] = (
    unit_column(_lazy("区划代码，见“单位”表。")),
    UNIT_NAME_COLUMN,
    choice_column("kind", "计划类型", 10, PlanKind),
    Column("year", "年份", 8, True, _lazy("四位数年份。"), parse=_year, fmt="0"),
    Column("index", "序号", 6, False,
           _lazy("年度计划不填；半年 1–2，季度 1–4，月度 1–12。"), parse=_parse_index, fmt="0"),
    Column("title", "标题", 30, False, _lazy("不填则按单位和期间生成。")),
    Column("preamble", "前言", 40, False, _lazy("可不填。")),
)  # fmt: skip


def _plan_row(plan: WorkPlan) -> list[Any]:
    with translation.override("zh-hans"):
        kind = str(PlanKind(plan.kind).label)
    return [plan.unit_id, plan.unit.name, kind, plan.year, plan.index, plan.title, plan.preamble]


def _rows_of(plan: WorkPlan) -> Iterable[tuple[int, PlanSection, Any]]:
    """The plan's items in order, each with its section's number; a section without items
    once, with no item."""
    for n, section in enumerate(plan.sections.all(), start=1):
        items: list[Any] = list(section.items.all())
        for item in items or [None]:
            yield n, section, item


def _item(key: str) -> Any:
    return lambda row: getattr(row[2], key) if row[2] is not None else None


def _style(row: tuple[int, PlanSection, Any]) -> str:
    with translation.override("zh-hans"):
        return str(ItemStyle(row[1].item_style).label)


EvidenceKey = tuple[str, date, str]


def parse_evidence(value: object) -> list[EvidenceKey]:
    """The evidence activities, a line each: "单位代码 开始日期 活动名称"."""
    keys = []
    for line in sheets.parse_text(value).splitlines():
        if not line.strip():
            continue
        parts = line.strip().split(" ", 2)
        if len(parts) != 3:
            raise sheets.CellError(_("每行一项活动：单位代码、开始日期、活动名称，以空格分开。"))
        keys.append((sheets.parse_unit_code(parts[0]), sheets.parse_required_date(parts[1]),
                     parts[2].strip()))  # fmt: skip
    return keys


def _evidence_cell(row: tuple[int, PlanSection, Any]) -> str:
    item = row[2]
    if item is None:
        return ""
    return "\n".join(f"{a.unit_id} {a.start_date:%Y-%m-%d} {a.title}" for a in item.evidence.all())


def _evidence_ids(user: User, keys: list[EvidenceKey]) -> list[int] | None:
    """The activities the keys name in the user's scope, or None if one is not found."""
    ids = []
    for unit, start, title in keys:
        found = activities_for(user).filter(unit_id=unit, start_date=start, title=title).first()
        if found is None:
            return None
        ids.append(found.pk)
    return ids


def _item_data(v: dict[str, Any], evidence: list[int] | None = None) -> ItemData:
    return ItemData(
        text=v.get("text", ""), indicator=v.get("indicator", ""),
        target_min=v.get("target_min"), target_max=v.get("target_max"),
        deadline=v.get("deadline"), owner=v.get("owner", ""), done_on=v.get("done_on"),
        done_note=v.get("done_note", ""), evidence=evidence or [],
    )  # fmt: skip


def _item_problems(user: User, v: dict[str, Any]) -> dict[str, str]:
    if not v.get("text"):
        return {}
    errors = item_check(_item_data(v))
    if _evidence_ids(user, v.get("evidence") or []) is None:
        errors["evidence"] = _("有佐证活动在您的管辖范围内找不到（单位代码、开始日期、名称）。")
    return errors


def _date(key: str, header: str) -> Column:
    return Column(key, header, 12, False, _lazy("可不填。"),
                  parse=sheets.parse_optional_date, fmt=DATE_FORMAT)  # fmt: skip


ITEMS = Part(
    ITEMS_TITLE,
    "sections",
    (
        Column(
            "section_no",
            "部分序号",
            8,
            True,
            _lazy("1、2、3…，同一计划的部分按序号排列。"),
            parse=sheets.parse_count,
            fmt="0",
        ),
        Column(
            "section_title",
            "部分标题",
            20,
            True,
            _lazy("不超过 200 字。"),
            parse=sheets.parse_required_text,
        ),
        choice_column("item_style", "条目编号", 10, ItemStyle),
        Column("text", "内容", 40, False, _lazy("一行一条；不填表示该部分没有条目。")),
        Column("indicator", "指标", 16, False, _lazy("指标代码，可不填。")),
        Column("target_min", "目标下限", 10, False, "", parse=sheets.parse_decimal),
        Column("target_max", "目标上限", 10, False, "", parse=sheets.parse_decimal),
        _date("deadline", "完成期限"),
        Column("owner", "责任人", 10, False, _lazy("不超过 100 字。")),
        _date("done_on", "完成日期"),
        Column("done_note", "完成情况", 30, False, _lazy("可不填。")),
        Column(
            "evidence",
            "佐证活动",
            40,
            False,
            _lazy("每行一项：单位代码 开始日期 活动名称，如 331082001001 2026-03-05 广场演出。"),
            parse=parse_evidence,
        ),
    ),
    add=None,  # plans_import saves them with their plan
    exports={
        "section_no": lambda row: row[0],
        "section_title": lambda row: row[1].title,
        "item_style": _style,
        "evidence": _evidence_cell,
        **{
            key: _item(key)
            for key in (
                "text",
                "indicator",
                "target_min",
                "target_max",
                "deadline",
                "owner",
                "done_on",
                "done_note",
            )
        },
    },
    check=_item_problems,
    rows_of=_rows_of,
)


def read_workbook(
    source: str | IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[PlanRow]:
    """The 计划 sheet as PlanRows (their sections are added from the 条目 sheet), naming every
    problem; with check_rules the services' rules too."""
    table = sheets.read_table(
        source, sheet_title=SHEET_TITLE, columns=COLUMNS,
        empty_message=_("文件中没有计划：表“计划”第 2 行起每行一份。"),
    )  # fmt: skip
    result: ImportResult[PlanRow] = ImportResult(table)
    units = units_by_code(user, result.unit_codes())
    for number, v in table.rows:
        unit = result.unit_of(number, v, units)
        if unit is not None:
            data = PlanData(unit=unit, kind=v["kind"], year=v["year"], index=v.get("index", 0),
                            title=v.get("title", ""), preamble=v.get("preamble", ""))  # fmt: skip
            result.keep(number, PlanRow(data=data))
    result.sort()
    if check_rules and result.rows:
        result.add_rule_problems(
            plans_import_problems(user=user, rows=result.rows, row_numbers=result.row_numbers)
        )
    return result


def with_sections(result: ImportResult[PlanRow], user: User) -> None:
    """Give each plan row its sections and items from the 条目 sheet, in their order, each
    item with its evidence activities (which must lie in the plan's unit's subtree)."""
    by_plan: dict[int, dict[int, SectionData]] = {}
    for i, number, v in result.parts.get(ITEMS_TITLE, ()):
        sections = by_plan.setdefault(i, {})
        section = sections.setdefault(
            v["section_no"], SectionData(title=v["section_title"], item_style=v["item_style"])
        )
        if v.get("text"):
            ids = _evidence_ids(user, v.get("evidence") or []) or []
            plan_unit = result.rows[i].data.unit.code
            codes = Activity.objects.filter(pk__in=ids).values_list("unit_id", flat=True)
            if not all(tree.in_subtree(code, plan_unit) for code in codes):
                message = _("佐证活动只能是本计划单位及下级单位的活动。")
                raise ValidationError(str(sheets.Problem(number, 0, "", message, ITEMS_TITLE)))
            section.items.append(_item_data(v, ids))
    for i, sections in by_plan.items():
        result.rows[i].sections = [sections[n] for n in sorted(sections)]


def build_template(*, user: User) -> bytes:
    """An empty data export with the instructions and the units: the plans' import template."""
    lines: Sequence[Any] = (
        _lazy("“计划”表每行一份计划；“条目”表每行一个条目，用“主表行号”指明属于“计划”表的哪一行。"),
        *HELP_LINES,
        _lazy("导入的计划都是草稿；同一单位同一期间只能有一份计划。"),
    )
    return sheets.build_template(
        units=template_units(user), sheet_title=SHEET_TITLE, columns=COLUMNS, options={},
        help_title=_("工作计划导入说明"), help_lines=[str(x) for x in lines], checks=[],
    )  # fmt: skip


BOOK = DataBook(
    model=WorkPlan,
    title=SHEET_TITLE,
    columns=COLUMNS,
    row=_plan_row,
    parts=(ITEMS,),
    prefetch=("sections__items__evidence",),
)
