"""Facilities in Excel: the import template, reading a filled-in workbook, and the export.

The generic parts (upload check, cell parsers, formula-safe writing, the Problem type) are
core.sheets'; reading a register's sheet of coded kinds, its template and its data export are
records.excel's (RegisterSheet). This module declares the facility columns and sheet. Reading
is all or nothing: every problem is named with its row and column before anything is saved.
The data export (BOOK) adds a sheet of rooms and one of equipment, which its import reads back;
its data package (records.package) carries the photos too, each named on its "附件" sheet.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core import sheets
from xuanwen.core.sheets import Column
from xuanwen.records.excel import (
    HELP_LINES,
    UNIT_NAME_COLUMN,
    Files,
    Part,
    RegisterSheet,
    choice_column,
    date_column,
    kind_column,
    unit_column,
)

from . import services
from .models import Condition, Facility, FacilityKind
from .services import FacilityData, facilities_import_problems

SHEET_TITLE = "文化阵地"
YES, NO = "是", "否"


def _yes_no(value: object) -> bool:
    text = sheets.parse_text(value)
    if text in ("", YES, "Y", "y", "1"):
        return True  # blank: free opening is the rule for public facilities
    if text in (NO, "N", "n", "0"):
        return False
    raise sheets.CellError(_("只能填“是”或“否”。"))


COLUMNS: tuple[Column, ...] = (
    unit_column(_lazy("区划代码，6、9 或 12 位数字，见“单位”表。")),
    UNIT_NAME_COLUMN,
    kind_column("类型", 14, _lazy("从下拉列表中选择。")),
    Column("name", "名称", 30, True, _lazy("不超过 200 字。"), parse=sheets.parse_required_text),
    Column(
        "area",
        "面积（平方米）",
        12,
        False,
        _lazy("数字，最多一位小数，可不填。"),
        parse=sheets.parse_decimal,
    ),
    Column("address", "地址", 24, False, _lazy("不超过 200 字。")),
    date_column(
        "opened_on",
        "建成日期",
        _lazy("如 2014-09-01；只知道年份的填该年 1 月 1 日。不填则不计入任何时段的阵地数。"),
    ),
    date_column("closed_on", "停用日期", _lazy("拆除或停用的日期；仍在使用的不填。")),
    Column("opening_schedule", "开放时间", 24, False, _lazy("如：周二至周日 8:30-11:30。")),
    Column(
        "free_opening",
        "免费开放",
        10,
        False,
        _lazy("从下拉列表中选择“是”或“否”；不填为“是”。"),
        parse=_yes_no,
        options="yes_no",
    ),
    Column("keeper", "管理员", 10, False, _lazy("不超过 50 字。")),
    Column("phone", "联系电话", 14, False, _lazy("不超过 30 字。"), fmt=sheets.TEXT_FORMAT),
    Column("notes", "备注", 30, False, _lazy("可不填。")),
)


SHEET = RegisterSheet(
    title=SHEET_TITLE,
    columns=COLUMNS,
    kinds=FacilityKind,
    data=FacilityData,
    rules=facilities_import_problems,
    empty_message=_lazy("表中没有阵地：请从第 2 行起每行填写一处。"),
    kind_message=_lazy("类型只能是：%(names)s。"),
    help_title=_lazy("文化阵地导入说明"),
    help_lines=(
        _lazy("每行填写一处文化阵地（综合文化站、文化室、农家书屋、文化大院、文化广场等）。"),
        *HELP_LINES,
        _lazy("同一单位下同类型、同名称的阵地只能有一处。功能室、设备和照片请在阵地页面中登记。"),
    ),
    options={"yes_no": [YES, NO]},
    checks=lambda: [
        sheets.decimal_check("area"),
        sheets.date_check("opened_on"),
        sheets.date_check("closed_on"),
    ],
    exports={"free_opening": lambda x: YES if x.free_opening else NO},
)


PART_NAME = Column(
    "name", "名称", 20, True, _lazy("不超过 100 字。"), parse=sheets.parse_required_text
)
ROOMS = Part(
    "功能室",
    "rooms",
    (
        PART_NAME,
        Column(
            "area", "面积（平方米）", 12, False, _lazy("数字，可不填。"), parse=sheets.parse_decimal
        ),
    ),
    add=lambda *, user, owner, values: services.room_add(user=user, facility=owner, **values),
)
EQUIPMENT = Part(
    "设施设备",
    "equipment",
    (
        PART_NAME,
        Column("count", "数量", 8, True, _lazy("整数，至少为 1。"), parse=sheets.parse_count),
        choice_column("condition", "状况", 8, Condition),
    ),
    add=lambda *, user, owner, values: services.equipment_add(user=user, facility=owner, **values),
)
# A facility's photos travel in its data package.
PHOTOS = Files(
    "photos",
    add=lambda *, user, owner, upload: services.photo_add(user=user, facility=owner, upload=upload),
    photos_only=True,
)
BOOK = SHEET.book(Facility, ROOMS, EQUIPMENT, files=PHOTOS)
