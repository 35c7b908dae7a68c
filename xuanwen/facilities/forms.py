"""Forms of the facility pages. They parse and present; the rules live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.core.entry import NUMERIC, Form
from xuanwen.records.forms import (
    RegisterForm,
    cleaned_as,
    date_field,
    held_int,
    kind_field,
    note_field,
)
from xuanwen.units.pickers import may_write_somewhere

from .models import Condition, Equipment, Facility, FacilityKind
from .services import FacilityData, KindData

DECIMAL = {"inputmode": "decimal", "step": "0.1", "min": "0"}


def _area_field() -> forms.DecimalField:
    """An area in square metres as the models keep it (8 digits and one decimal): a
    facility's and a room's."""
    return forms.DecimalField(
        label=_("面积（平方米）"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=1,
        widget=forms.NumberInput(attrs=DECIMAL),
    )


# Whether the user may record facilities at all (for their own unit or below).
may_create = may_write_somewhere


class FacilityForm(RegisterForm):
    unit_refused = _("请选择您可以登记阵地的单位。")
    record_name = "facility"
    initial_fields = ("unit", "kind", "name", "area", "address", "opened_on", "closed_on",
                      "opening_schedule", "keeper", "phone", "notes")  # fmt: skip

    kind = kind_field(FacilityKind)
    name = forms.CharField(label=_("名称"), max_length=200)
    area = _area_field()
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    opened_on = date_field(
        _("建成日期"),
        _("建成或开始使用的日期；只知道年份的，填该年 1 月 1 日。不填则不计入任何时段的阵地数。"),
    )
    closed_on = date_field(_("停用日期"), _("拆除、停用或改作他用的日期；仍在使用的不填。"))
    opening_schedule = forms.CharField(
        label=_("开放时间"),
        max_length=200,
        required=False,
        help_text=_("如：周二至周日 8:30-11:30，14:00-17:00"),
    )
    # A select rather than a checkbox: a full-width tap target on a phone.
    free_opening = forms.TypedChoiceField(
        label=_("免费开放"),
        choices=[("1", _("是")), ("0", _("否"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    keeper = forms.CharField(label=_("管理员"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    notes = note_field()

    def initial_from(self, record: Facility) -> dict[str, Any]:
        return super().initial_from(record) | {"free_opening": "1" if record.free_opening else "0"}

    def to_data(self) -> FacilityData:
        return cleaned_as(self, FacilityData)


class RoomForm(Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    area = _area_field()

    prefix = "room"


class EquipmentForm(Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    count = held_int(
        Equipment, "count", min_value=1, initial=1, widget=forms.NumberInput(attrs=NUMERIC)
    )
    condition = forms.ChoiceField(
        label=_("状况"), choices=Condition.choices, initial=Condition.GOOD
    )

    prefix = "equipment"


class KindForm(Form):
    """A facility kind; the code is asked only when adding one (it names an indicator)."""

    code = forms.SlugField(
        label=_("代码"),
        max_length=30,
        help_text=_("英文字母、数字、-、_，如 library；添加后不能修改（指标以此命名）。"),
    )
    name = forms.CharField(label=_("名称"), max_length=50)
    min_days_per_week = forms.IntegerField(
        label=_("每周至少开放天数"),
        required=False,
        min_value=1,
        max_value=7,
        widget=forms.NumberInput(attrs=NUMERIC),
        help_text=_("不填表示不考核开放天数。"),
    )
    min_hours_per_day = forms.DecimalField(
        label=_("每天至少开放小时数"),
        required=False,
        min_value=0,
        max_value=24,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs=DECIMAL),
        help_text=_("不填表示不考核每天时长。"),
    )
    ordering = held_int(
        FacilityKind, "ordering", min_value=0, initial=100, widget=forms.NumberInput(attrs=NUMERIC)
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, kind: FacilityKind | None = None, **kwargs: Any) -> None:
        if kind is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": kind.name,
                "min_days_per_week": kind.min_days_per_week,
                "min_hours_per_day": kind.min_hours_per_day,
                "ordering": kind.ordering,
                "active": kind.active,
            }
        super().__init__(*args, **kwargs)
        if kind is not None:
            del self.fields["code"]

    def to_data(self) -> KindData:
        c = self.cleaned_data
        return KindData(
            name=c["name"],
            min_days_per_week=c["min_days_per_week"],
            min_hours_per_day=c["min_hours_per_day"],
            ordering=c["ordering"] if c["ordering"] is not None else 100,
            active=c["active"],
        )
