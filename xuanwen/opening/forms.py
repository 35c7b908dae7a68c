"""Forms of the opening pages. They parse and present; the rules live in services."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.facilities.models import Facility
from xuanwen.records.forms import held_int

from .compliance import WEEKDAYS
from .models import OpeningLog
from .selectors import facilities_for
from .services import OpeningData

HOURS = {"inputmode": "decimal", "step": "0.5", "min": "0.5", "max": "24"}
NUMERIC = {"inputmode": "numeric", "pattern": "[0-9]*", "min": "0"}


class DateInput(forms.DateInput):
    """A native date picker: on a phone the system's own wheel, no typing of dashes."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A native time picker (the phone's wheel), to the minute."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def facility_label(facility: Facility) -> str:
    return f"{facility.name}（{facility.unit.name}）"


class FacilityField(forms.Field):
    """A facility id checked against the user's scope and right to write."""

    def __init__(self, *, user: User, choices: list[Facility] | None, **kwargs: Any) -> None:
        self.user = user
        if choices is not None:
            kwargs["widget"] = forms.Select(choices=[(f.pk, facility_label(f)) for f in choices])
        else:
            kwargs["widget"] = forms.HiddenInput()
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Facility:
        value = super().clean(value)
        facility = None
        if str(value).isdigit():
            facility = (
                facilities_for(self.user).select_related("unit", "kind").filter(pk=value).first()
            )
        if facility is None or not can_write(self.user, facility.unit_id):
            raise forms.ValidationError(_("请选择您可以登记的阵地。"))
        return facility


class OpeningForm(forms.Form):
    """One session: the keeper's everyday form (today, their facility, the usual times)."""

    date = forms.DateField(label=_("日期"), widget=DateInput())
    start = forms.TimeField(label=_("开始时间"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("结束时间"), required=False, widget=TimeInput())
    hours = forms.DecimalField(
        label=_("开放时长（小时）"),
        help_text=_("填了起止时间的可不填，自动计算。"),
        required=False,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs=HOURS),
    )
    visitors = held_int(
        OpeningLog, "visitors", min_value=0, initial=0, widget=forms.NumberInput(attrs=NUMERIC)
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(
        self, *args: Any, user: User, facilities: list[Facility] | None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields = {
            "facility": FacilityField(user=user, choices=facilities, label=_("阵地")),
            **self.fields,
        }

    def to_data(self) -> OpeningData:
        c = self.cleaned_data
        return OpeningData(
            facility=c["facility"],
            date=c["date"],
            hours=c["hours"],
            visitors=c["visitors"],
            note=c["note"],
            start=c["start"],
            end=c["end"],
        )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class WeekForm(forms.Form):
    """Seven days of one facility at once: a row per day with hours and visitors; a day left
    without hours was not open (an existing record of it stays as it is).

    A day's inputs are its whole-day entry (no times). A day recorded in timed sessions (or
    in more than one) has no inputs here: its cell shows the sessions' count and total hours
    and leads to them."""

    def __init__(
        self,
        *args: Any,
        monday: date,
        existing: dict[date, list[Any]],
        default_hours: Decimal,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.monday = monday
        self.default_hours = default_hours
        self.existing = existing
        for i in range(7):
            day = monday + timedelta(days=i)
            logs = existing.get(day, [])
            if logs and (len(logs) > 1 or logs[0].start is not None):
                continue  # recorded in sessions: edited one by one
            log = logs[0] if logs else None
            self.fields[f"d{i}_hours"] = forms.DecimalField(
                label=f"{day:%m-%d} {WEEKDAYS[i]}",
                required=False,
                max_digits=3,
                decimal_places=1,
                initial=log.hours if log else None,
                widget=forms.NumberInput(attrs={**HOURS, "placeholder": _("小时")}),
            )
            self.fields[f"d{i}_visitors"] = held_int(
                OpeningLog,
                "visitors",
                label=_("人次"),
                required=False,
                min_value=0,
                initial=log.visitors if log else None,
                widget=forms.NumberInput(attrs={**NUMERIC, "placeholder": _("人次")}),
            )

    def rows(self) -> list[tuple[date, str, Any, Any, list[Any], Decimal]]:
        """Per day: the date, its label, its inputs (None, None for a day in sessions), its
        sessions and their total hours."""
        out = []
        for i in range(7):
            day = self.monday + timedelta(days=i)
            logs = self.existing.get(day, [])
            total = sum((log.hours for log in logs), Decimal(0))
            hours: Any = None
            visitors: Any = None
            if f"d{i}_hours" in self.fields:
                hours, visitors = self[f"d{i}_hours"], self[f"d{i}_visitors"]
            out.append((day, f"{day:%m-%d} {WEEKDAYS[i]}", hours, visitors, logs, total))
        return out

    def field_of(self, day: date, name: str) -> str:
        """The input a service's error of `name` on `day` goes on: its visitors, else its
        hours (the day's other fields are not on the grid)."""
        index = (day - self.monday).days
        return f"d{index}_visitors" if name == "visitors" else f"d{index}_hours"

    def days(self, facility: Facility) -> list[OpeningData]:
        out = []
        for i in range(7):
            hours = self.cleaned_data.get(f"d{i}_hours")
            if hours is None:
                continue
            out.append(
                OpeningData(
                    facility=facility,
                    date=self.monday + timedelta(days=i),
                    hours=hours,
                    visitors=self.cleaned_data.get(f"d{i}_visitors") or 0,
                )
            )
        return out
