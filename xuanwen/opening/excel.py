"""Opening logs in and out of Excel, on the shared rules of xuanwen.core.sheets.

The facility column holds "编号 名称（单位）" from the template's drop-down list; only the
leading number is read, so a typed id works too and a renamed facility still matches.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core import sheets
from xuanwen.core.imports import ImportResult
from xuanwen.core.sheets import CellError, Column
from xuanwen.facilities.models import Facility

from . import selectors, services
from .models import OpeningLog

SHEET_TITLE = "开放登记"
FACILITY_OPTIONS = "阵地"
MAX_ROWS = sheets.MAX_ROWS
XLSX_MIME = sheets.XLSX_MIME
EXPORT_MAX = sheets.EXPORT_MAX


def facility_label(facility: Facility) -> str:
    return f"{facility.pk} {facility.name}（{facility.unit.name}）"


def parse_facility(value: object) -> int:
    match = re.match(r"^\s*(\d+)", sheets.parse_text(value))
    if not match:
        raise CellError(_("请从下拉列表中选择阵地（以编号开头）。"))
    return int(match[1])


_TIME_TEXT = re.compile(r"^(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*\d{2})?$")


def parse_time(value: object) -> time | None:
    """A time of day: a time cell, "8:30", "08:30:00" or "8：30"; empty for a whole-day row."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)  # Excel keeps a time as a fraction of the day
        return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else None
    text = sheets.parse_text(value)
    if not text:
        return None
    match = _TIME_TEXT.match(text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise CellError(_("请填写时间，如 08:30。"))


COLUMNS = (
    Column(
        "facility",
        "阵地",
        40,
        True,
        _lazy("从下拉列表选择；也可只填阵地编号。"),
        parse=parse_facility,
        options=FACILITY_OPTIONS,
    ),
    Column(
        "date",
        "日期",
        12,
        True,
        _lazy(
            "开放的日期，如 2026-03-02。同一阵地同一天同一场（起止时间相同）已有登记的，"
            "导入后以表中为准。"
        ),
        parse=sheets.parse_required_date,
        fmt=sheets.DATE_FORMAT,
    ),
    Column(
        "start",
        "开始时间",
        10,
        False,
        _lazy("这一场开始的时间，如 08:30。一天开放几场的，每场一行；同一天的各场不能重叠。"),
        parse=parse_time,
    ),
    Column(
        "end",
        "结束时间",
        10,
        False,
        _lazy("这一场结束的时间，如 11:30，与开始时间同填或同不填。"),
        parse=parse_time,
    ),
    Column(
        "hours",
        "开放时长（小时）",
        14,
        False,
        _lazy(
            "可有 1 位小数，如 3.5。填了起止时间的可不填，按时间计算；"
            "不填起止时间的，一行即当天的全部开放。没开放的日子不要填行。"
        ),
        parse=sheets.parse_decimal,
    ),
    Column("visitors", "接待人次", 10, False, _lazy("不填为 0。"), parse=sheets.parse_count),
    Column("note", "备注", 30, False, _lazy("可不填，最多 200 字。")),
)
# The data export names the facility by its unit and name too, which an import into another
# database (where the numbers differ) goes by; the template leaves them out.
DATA_COLUMNS = (
    *COLUMNS,
    Column(
        "facility_unit",
        "阵地单位代码(可选)",
        16,
        False,
        _lazy("数据导出带有此列；填写时按单位代码和阵地名称查找阵地，不看编号。"),
        fmt=sheets.TEXT_FORMAT,
    ),
    Column("facility_name", "阵地名称(可选)", 20, False, _lazy("与上一列一起填写。")),
)
HELP_LINES = (
    _lazy(
        "在“开放登记”表中每行填写一个阵地一场开放的情况；上午、下午各开放一次的，填两行，"
        "当天时长相加。"
    ),
    _lazy("只要有一处问题就一条也不导入，并列出每个问题的行和列。"),
    _lazy(
        "达标判定：每周（周一至周日）按阵地类型的规定，如综合文化站每周至少 3 天、每天至少 3 小时。"
    ),
)


def build_template(*, user: User) -> bytes:
    facilities = selectors.writable_facilities(user)
    if facilities is None:
        facilities = list(
            selectors.facilities_for(user)
            .select_related("unit")
            .order_by("unit_id", "name")[: sheets.TEMPLATE_UNITS_MAX]
        )
    return sheets.build_template(
        sheet_title=SHEET_TITLE,
        columns=COLUMNS,
        options={FACILITY_OPTIONS: [facility_label(f) for f in facilities]},
        help_title=_("开放登记导入说明"),
        help_lines=[str(line) for line in HELP_LINES],
        checks=[
            sheets.date_check("date"),
            sheets.decimal_check("hours"),
            sheets.whole_check("visitors"),
        ],
    )


def read_workbook(
    source: str | IO[bytes], *, user: User, check_rules: bool
) -> ImportResult[services.OpeningData]:
    """Read and resolve an upload; with `check_rules` the services' rules are applied too."""
    table = sheets.read_table(
        source,
        sheet_title=SHEET_TITLE,
        columns=DATA_COLUMNS,
        empty_message=_("表中没有开放登记。"),
    )
    result: ImportResult[services.OpeningData] = ImportResult(table)
    if not table.rows:
        return result  # the file or its header is wrong: there is nothing more to say
    ids = sorted({values["facility"] for _n, values in table.rows})
    facilities: dict[int, Facility] = {}
    for start in range(0, len(ids), 500):
        facilities.update(
            (f.pk, f)
            for f in selectors.facilities_for(user)
            .select_related("unit", "kind")
            .filter(pk__in=ids[start : start + 500])
        )
    named = _facilities_by_name(user, table.rows)
    for number, values in table.rows:
        key = (values.get("facility_unit", ""), values.get("facility_name", ""))
        if all(key):
            found = named.get(key, [])
            if len(found) != 1:
                message = _("“%(unit)s”下没有名为“%(name)s”的阵地，或不在您的管辖范围内。")
                if found:
                    message = _("“%(unit)s”下有多处名为“%(name)s”的阵地，请改填阵地编号。")
                result.add(number, "facility_name", message % {"unit": key[0], "name": key[1]})
                continue
            facility: Facility | None = found[0]
        else:
            facility = facilities.get(values["facility"])
        if facility is None:
            result.add(
                number,
                "facility",
                _("阵地编号 %(id)s 不存在或不在您的管辖范围内。") % {"id": values["facility"]},
            )
            continue
        result.keep(
            number,
            services.OpeningData(
                facility=facility,
                date=values["date"],
                start=values.get("start"),
                end=values.get("end"),
                hours=values.get("hours"),
                visitors=values.get("visitors") or 0,
                note=values.get("note") or "",
            ),
        )
    result.sort()
    if check_rules and result.ok:
        result.add_rule_problems(
            services.openings_problems(user=user, rows=result.rows, row_numbers=result.row_numbers)
        )
    return result


def _facilities_by_name(
    user: User, rows: Sequence[tuple[int, dict[str, Any]]]
) -> dict[tuple[str, str], list[Facility]]:
    """The facilities the rows name by unit code and name, in the user's scope (one query per
    500 units)."""
    keys = {(v.get("facility_unit", ""), v.get("facility_name", "")) for _n, v in rows}
    keys = {k for k in keys if all(k)}
    units = sorted({unit for unit, _name in keys})
    out: dict[tuple[str, str], list[Facility]] = {}
    for start in range(0, len(units), 500):
        found = (
            selectors.facilities_for(user)
            .select_related("unit", "kind")
            .filter(unit_id__in=units[start : start + 500], name__in={n for _u, n in keys})
        )
        for f in found:
            out.setdefault((f.unit_id, f.name), []).append(f)
    return out


def export_rows(logs: Iterable[OpeningLog]) -> Iterable[Sequence[Any]]:
    for log in logs:
        f = log.facility
        yield (
            facility_label(f),
            log.date,
            f"{log.start:%H:%M}" if log.start else None,
            f"{log.end:%H:%M}" if log.end else None,
            log.hours,
            log.visitors,
            log.note,
            f.unit_id,
            f.name,
        )


def write_export(logs: Iterable[OpeningLog], target: IO[bytes]) -> int:
    return sheets.write_export(
        export_rows(logs), target, sheet_title=SHEET_TITLE, columns=DATA_COLUMNS
    )
