"""Forms of the activity pages. They parse and present; the rules live in services."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.core.entry import CALENDAR_YEARS, NUMERIC, DateInput, Form
from xuanwen.core.models import Level
from xuanwen.records.filters import UnitField
from xuanwen.records.forms import UnitForm, cleaned_as, held_int, initial_of, offered
from xuanwen.units.models import Unit
from xuanwen.units.pickers import (  # noqa: F401 (re-exported: the activity pages' names)
    SELECT_FROM_LEVEL,
    UNIT_SELECT_MAX,
    may_write_somewhere,
    unit_choices,
    unit_label,
    visible_units,
    writable_units,
)

from .models import Activity, ActivityType, Funding, MediaCoverage, WinnerKind
from .selectors import villages_for
from .services import PROGRAMMES_MAX, ActivityData

# Whether the user may record activities at all (for their own unit or below).
may_create = may_write_somewhere


class ActivityForm(UnitForm):
    unit_label_text = _("举办单位")
    unit_refused = _("请选择您可以登记活动的单位。")

    type = forms.ModelChoiceField(
        label=_("类型"), queryset=ActivityType.objects.none(), empty_label=_("请选择")
    )
    title = forms.CharField(label=_("名称"), max_length=200)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(
        label=_("结束日期"), required=False, widget=DateInput(), help_text=_("一天的活动可不填。")
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    organisers = forms.CharField(label=_("主办单位"), max_length=200, required=False)
    co_organisers = forms.CharField(label=_("联办单位"), max_length=200, required=False)
    participants = held_int(
        Activity, "participants", min_value=0, initial=0, widget=forms.NumberInput(attrs=NUMERIC)
    )
    audience = held_int(
        Activity, "audience", min_value=0, initial=0, widget=forms.NumberInput(attrs=NUMERIC)
    )
    programmes = held_int(
        Activity,
        "programmes",
        min_value=0,
        max_value=PROGRAMMES_MAX,
        initial=0,
        required=False,
        help_text=_("文艺演出、送戏下乡等演出填写节目个数，其他活动不填。"),
        widget=forms.NumberInput(attrs=NUMERIC),
    )
    cost = forms.DecimalField(
        label=_("经费（元）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    funding = forms.ChoiceField(
        label=_("经费来源"), required=False, choices=[("", "—"), *Funding.choices]
    )
    description = forms.CharField(
        label=_("内容简介"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("覆盖村（社区）"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("活动到过的村（社区），须在举办单位辖区内；按住 Ctrl 可多选。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        units: list[Unit] | None,
        activity: Activity | None = None,
        **kwargs: Any,
    ) -> None:
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(activity)
        super().__init__(*args, user=user, units=units, **kwargs)
        current = activity.type_id if activity is not None else None
        self.fields["type"].queryset = offered(ActivityType, current)  # type: ignore[attr-defined]
        villages = self.fields["villages"]
        villages.queryset = villages_for(user)  # type: ignore[attr-defined]
        villages.label_from_instance = lambda u: f"{u.name}（{u.code}）"  # type: ignore[attr-defined]
        if not user.scope.is_nothing and user.scope.level < SELECT_FROM_LEVEL:
            # A county's or a city's villages are too many to list: their codes are typed.
            villages.widget = CodesInput()
            villages.help_text = _("活动到过的村（社区）的 12 位区划代码，以空格、逗号或换行分隔。")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("programmes") is None:
            cleaned["programmes"] = 0
        if cleaned.get("start_date") and not cleaned.get("end_date"):
            cleaned["end_date"] = cleaned["start_date"]
        return cleaned

    def to_data(self) -> ActivityData:
        return cleaned_as(self, ActivityData, villages=list(self.cleaned_data.get("villages", [])))


def initial_from(activity: Activity) -> dict[str, Any]:
    names = ("unit", "type", "title", "start_date", "end_date", "place", "organisers")
    more = ("co_organisers", "participants", "audience", "programmes", "cost", "funding")
    text = ("description",)
    villages = [v.code for v in activity.villages.all()]
    return initial_of(activity, (*names, *more, *text), villages=villages)


class CodesInput(forms.Textarea):
    """Unit codes typed into a box, for a multiple choice too long to list."""

    def __init__(self) -> None:
        super().__init__(attrs={"rows": 2, "inputmode": "numeric"})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        text = str(data.get(name, ""))[:VILLAGES_TEXT_MAX]
        return [c for c in re.split(r"[\s,，、;；]+", text) if c]

    def format_value(self, value: Any) -> str:
        if not value:
            return ""
        return " ".join(str(v) for v in (value if isinstance(value, list | tuple) else [value]))


# The longest list of codes read from the box (200 codes and their separators).
VILLAGES_TEXT_MAX = 3000


class CoverageForm(Form):
    outlet = forms.CharField(label=_("媒体"), max_length=100)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices, initial=Level.COUNTY)
    date = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    link = forms.URLField(
        label=_("链接"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    views = held_int(
        MediaCoverage, "views", min_value=0, required=False, widget=forms.NumberInput(attrs=NUMERIC)
    )

    prefix = "coverage"


class AwardForm(Form):
    name = forms.CharField(label=_("奖项名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices, initial=Level.COUNTY)
    rank = forms.CharField(label=_("名次/等次"), max_length=50, required=False)
    winner_kind = forms.ChoiceField(
        label=_("获奖者类别"), choices=WinnerKind.choices, initial=WinnerKind.TEAM
    )
    winner = forms.CharField(label=_("获奖者"), max_length=100)

    prefix = "award"


def parse_month(value: str, today: date) -> date:
    """The first day of the month in `2026-02`, or of today's month when missing or malformed."""
    try:
        year, month = (int(part) for part in value.split("-", 1))
        # The festival calendar and the grid's neighbours need a year well inside date's range.
        if CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


class FilterForm(forms.Form):
    """The list's and the calendar's filter; anything malformed is simply not applied."""

    type = held_int(Activity, "type", required=False)  # beyond any key: not applied
    start = forms.DateField(required=False, widget=DateInput())
    end = forms.DateField(required=False, widget=DateInput())
    q = forms.CharField(required=False, max_length=50)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Restricted to the user's scope: a unit outside it (or an ancestor) means "all of mine".
        self.fields["unit"] = UnitField(scope=user.scope)
