"""The schedule form: a row per holiday (name, first and last day off) and per make-up workday.

Plain numbered fields rather than a formset: a phone user sees the seven official holidays
already named and only picks dates; a row left without dates is simply not a holiday.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Entry
from .services import HolidayData, MakeupData, ScheduleData, schedule_check

# The holidays of every year's notice since 2008, in its order; 春节 … as the rows' defaults.
STANDARD_HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
HOLIDAY_ROWS = len(STANDARD_HOLIDAYS) + 2
WORKDAY_ROWS = 8


class DateInput(forms.DateInput):
    """A native date picker: on a phone the system's own wheel."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _rows_in(data: Any, prefix: str, default: int) -> int:
    """How many rows the posted form had (so that nothing typed is dropped)."""
    count = 0
    while data and (f"{prefix}{count}_name" in data or f"{prefix}{count}_date" in data):
        count += 1
    return max(count, default)


class ScheduleForm(forms.Form):
    source = forms.CharField(
        label=_("依据"),
        max_length=200,
        required=False,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"),
    )

    def __init__(
        self, *args: Any, year: int, entries: list[Entry] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.year = year
        entries = entries or []
        holidays = [e for e in entries if e.kind == "holiday"]
        workdays = [e for e in entries if e.kind == "workday"]
        data = args[0] if args else kwargs.get("data")
        self.holiday_rows = _rows_in(data, "h", max(HOLIDAY_ROWS, len(holidays) + 2))
        self.workday_rows = _rows_in(data, "w", max(WORKDAY_ROWS, len(workdays) + 2))
        names = [e.name for e in holidays] or list(STANDARD_HOLIDAYS)
        for i in range(self.holiday_rows):
            given = holidays[i] if i < len(holidays) else None
            self.fields[f"h{i}_name"] = forms.CharField(
                label=_("节日"),
                max_length=50,
                required=False,
                initial=names[i] if i < len(names) else "",
            )
            self.fields[f"h{i}_start"] = forms.DateField(
                label=_("放假开始"),
                required=False,
                widget=DateInput(),
                initial=given.start if given else None,
            )
            self.fields[f"h{i}_end"] = forms.DateField(
                label=_("放假结束"),
                required=False,
                widget=DateInput(),
                initial=given.end if given else None,
            )
        for i in range(self.workday_rows):
            given = workdays[i] if i < len(workdays) else None
            self.fields[f"w{i}_date"] = forms.DateField(
                label=_("调休上班日"),
                required=False,
                widget=DateInput(),
                initial=given.start if given else None,
            )
            self.fields[f"w{i}_name"] = forms.CharField(
                label=_("说明"),
                max_length=50,
                required=False,
                initial=given.name if given else "",
                widget=forms.TextInput(attrs={"placeholder": _("如：春节调休")}),
            )

    def holiday_fields(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"h{i}_name"], self[f"h{i}_start"], self[f"h{i}_end"])
            for i in range(self.holiday_rows)
        ]

    def workday_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"w{i}_date"], self[f"w{i}_name"]) for i in range(self.workday_rows)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        holidays: list[HolidayData] = []
        for i in range(self.holiday_rows):
            name = (cleaned.get(f"h{i}_name") or "").strip()
            start: date | None = cleaned.get(f"h{i}_start")
            end: date | None = cleaned.get(f"h{i}_end")
            if start is None and end is None:
                continue  # a named row without dates is not a holiday this year
            if start is None:
                self.add_error(f"h{i}_start", _("请填写放假开始日期。"))
                continue
            holidays.append(HolidayData(name=name, start=start, end=end or start))
        workdays = [
            MakeupData(date=cleaned[f"w{i}_date"], name=cleaned.get(f"w{i}_name") or "")
            for i in range(self.workday_rows)
            if cleaned.get(f"w{i}_date")
        ]
        cleaned["holidays"] = holidays
        cleaned["workdays"] = workdays
        # The service's rules too, so that every mistake shows at once, not one round each.
        errors = schedule_check(
            ScheduleData(
                year=self.year,
                holidays=holidays,
                workdays=workdays,
                source=cleaned.get("source") or "",
            )
        )
        for messages in errors.values():
            for message in messages:
                self.add_error(None, message)
        return cleaned
