"""Next year's work plan (工作计划) drafted from this year's (#16): the plan carried over, its
years and dates moved by one, and this year's unmet targets marked.

The draft is a document, written into the same template as the summary (its title, its
preamble, its 一、 sections with their items as paragraphs, the signature and the date), for a
station head to edit in Word before entering next year's plan. The plans app copies a plan
into next year's as records (`plans.services.plan_create(from_previous=True)`); this is its
text, with what the records say about this year.

Years move in the text too (the title, the preamble, sections and items): a year written with
年 or as the head of a date (2026年, 二〇二六年, 2026-03-01, 2026.3) becomes the next one. The
year before the source's ("在2025年基础上" in the 2026 plan) would become the source's own, and
the draft says 上年 for it instead ("在上年基础上"), as a plan speaks of the year it follows:
so no year of the source is left. A number that is no year (2000人, 19500余册) is left as it
is. An unmet item is marked "（上年未完成）", which names no year either.
"""

import re
from dataclasses import dataclass
from datetime import date

from xuanwen.indicators.periods import PeriodKind
from xuanwen.plans.models import ItemStyle, WorkPlan
from xuanwen.plans.numbering import item_number, section_number
from xuanwen.plans.selectors import ItemProgress, Status, plan_progress
from xuanwen.units.models import Unit

from . import wording
from .facts import current_plan, measure_of
from .writing import Paragraph, Section, SummaryText

UNMET_MARK = "（上年未完成）"
# A target this year's records did not reach, and an item without a target not done.
UNMET = {Status.MISSED, Status.BEHIND}

# A year in Arabic digits followed by 年 or by the rest of a date; in Chinese digits by 年.
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?=\s*(?:年|[-./]\d))")
_CN_DIGITS = "〇一二三四五六七八九"
_CN_YEAR = re.compile(r"(?P<y>[〇零一二三四五六七八九]{4})(?=\s*年)")


def _cn_year(digits: str) -> int:
    return int("".join(str(_CN_DIGITS.index("〇" if c == "零" else c)) for c in digits))


def moved(text: str, source: int | None = None) -> str:
    """`text` with every year it writes moved on by one; with the `source` year given, the
    year before it written 上年 where it is followed by 年 (see the module)."""

    def arabic(m: re.Match[str]) -> str:
        return _year(int(m["y"]), str(int(m["y"]) + 1), m)

    def chinese(m: re.Match[str]) -> str:
        year = _cn_year(m["y"])
        return _year(year, "".join(_CN_DIGITS[int(c)] for c in str(year + 1)), m)

    def _year(year: int, written: str, m: re.Match[str]) -> str:
        before_source = source is not None and year + 1 == source
        if before_source and m.string[m.end() :].lstrip().startswith("年"):
            return "上"  # with the 年 that follows: 上年
        return written

    return _CN_YEAR.sub(chinese, _YEAR.sub(arabic, text))


def moved_day(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February has no twin in the next year
        return day.replace(year=day.year + 1, day=28)


@dataclass
class DraftItem:
    number: str
    text: str
    unmet: bool


def _item_line(p: ItemProgress, number: str, year: int) -> DraftItem:
    item = p.row.item
    words = [moved(item.text, year).rstrip("。；;")]
    notes = []
    if item.target_min is not None and p.row.indicator is not None:
        measure = measure_of(p.row.indicator)
        low = wording.number(float(item.target_min))
        if item.target_max is not None and item.target_max != item.target_min:
            notes.append(f"目标{low}—{wording.number(float(item.target_max))}{measure}")
        else:
            notes.append(f"目标不少于{low}{measure}")
    if item.deadline:
        notes.append(f"完成期限{wording.day(moved_day(item.deadline))}")
    if item.owner:
        notes.append(f"责任人：{item.owner}")
    unmet = p.status in UNMET
    text = "".join(words) + ("，" + "，".join(notes) if notes else "") + "。"
    return DraftItem(number, text + (UNMET_MARK if unmet else ""), unmet)


@dataclass
class PlanDraft:
    source: WorkPlan
    text: SummaryText
    unmet: list[DraftItem]


def plan_draft(unit: Unit, year: int, today: date) -> PlanDraft | None:
    """The draft of the unit's year plan for `year` + 1 from its plan for `year`, its items
    judged as of `today`; None when the unit has no plan for `year`."""
    source = current_plan(unit, PeriodKind.YEAR, year, 0)
    if source is None:
        return None
    progress = plan_progress(source, today)
    sections: list[Section] = []
    unmet: list[DraftItem] = []
    for n, (row, items) in enumerate(progress.sections, start=1):
        style = row.section.item_style or ItemStyle.ARABIC
        lines = [
            _item_line(p, item_number(m, style), source.year) for m, p in enumerate(items, start=1)
        ]
        unmet.extend(line for line in lines if line.unmet)
        paragraphs = [Paragraph([f"{line.number}{line.text}"]) for line in lines]
        heading = f"{section_number(n)}{moved(row.section.title, year)}"
        sections.append(Section(heading, paragraphs))
    preamble = [moved(p.strip(), year) for p in source.preamble.splitlines() if p.strip()]
    text = SummaryText(
        title=moved(source.title, year),
        sections=sections,
        signature=unit.name,
        # Written before the new year, the day is left for the writer: it would name this year.
        dated=wording.day(today) if today.year > year else "　　年　月　日",
        preamble=preamble,
    )
    return PlanDraft(source, text, unmet)
